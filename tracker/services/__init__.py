"""Where pipeline results meet the ORM. Every write goes through a function here."""

from ..ingest.fetch import PermanentFetchError, TransientFetchError
from .ingest import (
    HostBusy,
    IngestSummary,
    article_create_from_upload,
    article_upsert,
    content_hash,
    feed_discover,
    host_slot_reserve,
    page_fetch,
    source_fetch,
    source_ingest_payload,
    source_submit_url,
    sources_import,
    sources_lease_due,
)
from .ingest_store import articles_store
from .reference import REFERENCE_DIR, reference_load
from .tagging import article_mark_failed, article_tag, articles_affected_by_reference
from .vocabulary import vocabulary_load

__all__ = [
    "REFERENCE_DIR",
    "HostBusy",
    "IngestSummary",
    "PermanentFetchError",
    "TransientFetchError",
    "article_create_from_upload",
    "article_mark_failed",
    "article_tag",
    "article_upsert",
    "articles_affected_by_reference",
    "articles_store",
    "content_hash",
    "feed_discover",
    "host_slot_reserve",
    "page_fetch",
    "reference_load",
    "source_fetch",
    "source_ingest_payload",
    "source_submit_url",
    "sources_import",
    "sources_lease_due",
    "vocabulary_load",
]
