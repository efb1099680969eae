"""Fetch sources and store their articles: de-duplicated, failures recorded on the source."""

from __future__ import annotations

import hashlib
import logging
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..ingest.feeds import NotAFeed, parse_feed
from ..ingest.fetch import FetchError, FetchPolicy, PermanentFetchError, TransientFetchError, fetch
from ..ingest.pages import NoArticleText, extract_article
from ..ingest.types import ExtractedArticle, FeedEntry
from ..ingest.urls import InvalidURL, canonical_url
from ..models import Article, Source
from ..tagging.normalise import fold

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=24)
PageFetcher = Callable[[str], ExtractedArticle]


def content_hash(title: str, text: str) -> str:
    normalised = re.sub(r"\W+", " ", fold(f"{title}\n{text}")).strip()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _clamp_published(published: datetime | None, now: datetime) -> datetime | None:
    """Return published unless it is impossible (before 1990 or in the future)."""
    if published is None:
        return None
    if published.year < 1990:
        return None
    if published > now + timedelta(days=1):
        return None
    return min(published, now)


def article_upsert(
    *,
    source: Source | None,
    url: str,
    title: str,
    text: str,
    guid: str = "",
    author: str = "",
    published: datetime | None = None,
) -> tuple[Article, bool]:
    """Store an article once: by canonical URL, by (source, guid) and by content hash."""
    canonical = canonical_url(url)
    now = timezone.now()
    digest = content_hash(title, text)
    existing = Article.objects.filter(
        Q(url=canonical) | Q(content_hash=digest) | (Q(source=source, guid=guid) if guid and source else Q(pk=None))
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            article = Article.objects.create(
                source=source,
                url=canonical,
                original_url=url[:2000],
                guid=guid[:1000],
                title=title[:1000] or canonical,
                author=author[:300],
                published_at=_clamp_published(published, now),
                fetched_at=now,
                text=text,
                content_hash=digest,
            )
    except IntegrityError:
        # Another worker stored it between our check and our insert.
        return Article.objects.get(url=canonical), False
    return article, True


@dataclass
class IngestSummary:
    new_ids: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    not_modified: bool = False


def source_ingest_payload(
    *, source: Source, body: bytes, url: str, page_fetcher: PageFetcher | None = None
) -> IngestSummary:
    """Store the articles of a fetched document (a feed, or a page for page sources)."""
    summary = IngestSummary()
    if source.kind == Source.Kind.PAGE:
        extracted = extract_article(body, url)
        article, created = article_upsert(
            source=source,
            url=extracted.url or url,
            title=extracted.title,
            text=extracted.text,
            author=extracted.author,
            published=extracted.published,
        )
        if created:
            summary.new_ids.append(article.pk)
        else:
            summary.duplicates += 1
        return summary
    for entry in parse_feed(body, base_url=url):
        try:
            _ingest_entry(source, entry, page_fetcher, summary)
        except (FetchError, NoArticleText, InvalidURL) as exc:
            summary.failed += 1
            summary.errors.append(f"{entry.url[:200]}: {exc}")
    return summary


def _ingest_entry(source: Source, entry: FeedEntry, page_fetcher: PageFetcher | None, summary: IngestSummary) -> None:
    canonical = canonical_url(entry.url)
    if Article.objects.filter(
        Q(url=canonical) | (Q(source=source, guid=entry.guid) if entry.guid else Q(pk=None))
    ).exists():
        summary.duplicates += 1
        return
    title, text, author, published = entry.title, entry.text, entry.author, entry.published
    if not entry.has_full_text and source.fetch_full_text and page_fetcher is not None:
        page = page_fetcher(entry.url)
        text = page.text or text
        author = author or page.author
        published = published or page.published
    article, created = article_upsert(
        source=source, url=entry.url, title=title, text=text, guid=entry.guid, author=author, published=published
    )
    if created:
        summary.new_ids.append(article.pk)
    else:
        summary.duplicates += 1


def _policy() -> FetchPolicy:
    return FetchPolicy(user_agent=settings.INGEST_USER_AGENT, allow_private=settings.INGEST_ALLOW_PRIVATE_NETWORKS)


def page_fetch(url: str) -> ExtractedArticle:
    """Fetch an article page and extract its text."""
    result = fetch(url, policy=_policy())
    return extract_article(result.body, result.url)


def _claim(source_id: int) -> bool:
    now = timezone.now()
    return bool(
        Source.objects.filter(pk=source_id)
        .filter(Q(fetching_since__isnull=True) | Q(fetching_since__lt=now - CLAIM_TIMEOUT))
        .update(fetching_since=now)
    )


def source_fetch(*, source_id: int) -> IngestSummary | None:
    """Fetch one source now and store its new articles; None if another worker holds it."""
    if not _claim(source_id):
        return None
    source = Source.objects.get(pk=source_id)
    now = timezone.now()
    try:
        result = fetch(source.url, policy=_policy(), etag=source.etag, last_modified=source.last_modified)
        if result.not_modified:
            summary = IngestSummary(not_modified=True)
        else:
            summary = source_ingest_payload(source=source, body=result.body, url=result.url, page_fetcher=page_fetch)
    except (TransientFetchError, PermanentFetchError, NotAFeed, NoArticleText) as exc:
        _record_failure(source, exc, now)
        return IngestSummary(failed=1, errors=[str(exc)])
    except Exception as exc:  # a parser bug must mark the source, not kill the fan-out
        log.exception("source %s (%s) failed unexpectedly", source.pk, source.url)
        _record_failure(source, exc, now)
        return IngestSummary(failed=1, errors=[f"{type(exc).__name__}: {exc}"])
    Source.objects.filter(pk=source.pk).update(
        last_fetched_at=now,
        last_success_at=now,
        last_status=Source.Status.NOT_MODIFIED if summary.not_modified else Source.Status.OK,
        last_http_status=result.status,
        last_error="; ".join(summary.errors)[:5000],
        consecutive_failures=0,
        etag=result.etag[:500] if not summary.not_modified else source.etag,
        last_modified=result.last_modified[:100] if not summary.not_modified else source.last_modified,
        next_fetch_at=now + _jittered(source.fetch_interval),
        fetching_since=None,
    )
    return summary


def _jittered(interval: timedelta) -> timedelta:
    return interval * random.uniform(0.9, 1.1)


def _record_failure(source: Source, exc: Exception, now: datetime) -> None:
    transient = isinstance(exc, TransientFetchError)
    failures = source.consecutive_failures + 1
    delay = min(MAX_BACKOFF, source.fetch_interval * (2 ** min(failures - 1, 10)))
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    Source.objects.filter(pk=source.pk).update(
        last_fetched_at=now,
        last_status=Source.Status.TRANSIENT if transient else Source.Status.PERMANENT,
        last_http_status=getattr(exc, "status", None),
        last_error=f"{type(exc).__name__}: {exc}"[:5000],
        consecutive_failures=failures,
        next_fetch_at=now + _jittered(delay),
        fetching_since=None,
    )


def sources_lease_due(*, now: datetime | None = None, lease: timedelta = CLAIM_TIMEOUT) -> list[int]:
    """Return the ids of due sources, pushing each one's next fetch time past the lease.

    The conditional update means a second scheduler (two beats by mistake) or the next
    fan-out cannot queue the same source again while its fetch is waiting in the queue.
    """
    now = now or timezone.now()
    leased = []
    for source_id, next_fetch_at in (
        Source.objects.due(now).order_by("next_fetch_at").values_list("pk", "next_fetch_at")
    ):
        won = Source.objects.filter(pk=source_id, next_fetch_at=next_fetch_at).update(next_fetch_at=now + lease)
        if won:
            leased.append(source_id)
    return leased


def sources_import(*, subscriptions) -> tuple[int, int]:
    """Create a feed Source per subscription not yet known (by URL); return (created, existing)."""
    created = existing = 0
    for sub in subscriptions:
        _source, was_created = Source.objects.get_or_create(
            url=sub.url, defaults={"name": sub.title, "kind": Source.Kind.FEED}
        )
        created += was_created
        existing += not was_created
    return created, existing
