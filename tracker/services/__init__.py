"""Where pipeline results meet the ORM. Every write goes through a function here."""

from ..ingest.fetch import PermanentFetchError, TransientFetchError
from .ingest import (
    IngestSummary,
    article_upsert,
    content_hash,
    page_fetch,
    source_fetch,
    source_ingest_payload,
    sources_import,
    sources_lease_due,
)
from .reference import REFERENCE_DIR, reference_load
from .tagging import article_mark_failed, article_tag
from .vocabulary import vocabulary_load

__all__ = [
    "REFERENCE_DIR",
    "IngestSummary",
    "PermanentFetchError",
    "TransientFetchError",
    "article_mark_failed",
    "article_tag",
    "article_upsert",
    "content_hash",
    "page_fetch",
    "reference_load",
    "source_fetch",
    "source_ingest_payload",
    "sources_import",
    "sources_lease_due",
    "vocabulary_load",
]
