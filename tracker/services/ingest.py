"""Fetch sources and store their articles: de-duplicated, failures recorded on the source.

One fetch per source at a time (a claim taken by conditional update, which the same
task's retry may take over); one request per host per INGEST_HOST_INTERVAL across all
workers (a reservation row per host); failures classified and recorded on the Source
with exponential backoff. Nothing here stops on one bad source or one bad item.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..ingest.discover import find_feed_links
from ..ingest.feeds import NotAFeed, UnsafeDocument, parse_feed, parse_sitemap
from ..ingest.fetch import FetchError, FetchPolicy, PermanentFetchError, TransientFetchError, fetch
from ..ingest.files import article_from_bytes
from ..ingest.pages import NoArticleText, extract_article
from ..ingest.types import ExtractedArticle, FeedEntry
from ..ingest.urls import InvalidURL, canonical_url
from ..models import Article, HostThrottle, Source
from .ingest_store import (
    Candidate,
    StoreResult,
    articles_build,
    articles_insert,
    articles_screen,
    articles_store,
    content_hash,
)

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=24)
# Full-text page fetches per source run; the rest wait for the next run (soon), so a
# 200-item summary feed cannot hold a worker past its time limit.
MAX_PAGES_PER_RUN = 30
PAGE_BUDGET_SECONDS = 60.0
PAGE_DEADLINE_SECONDS = 15.0
# Pages per transaction: every batch costs a few statements and a commit whatever its size,
# and a killed worker fetches at most this many pages again.
PAGE_BATCH = 10
# New inline feed items per transaction: while one batch is written (PostgreSQL indexes
# its text for search), the next one is sketched; below two batches everything is in line.
FEED_BATCH = 25
# Waiting longer than this for a host's turn defers the work instead of idling the worker.
MAX_POLITE_WAIT = 20.0
DEFER_DELAY = timedelta(minutes=2)
PageFetcher = Callable[[str], ExtractedArticle]
PARSE_ERRORS = (NotAFeed, UnsafeDocument, NoArticleText, InvalidURL)


class HostBusy(TransientFetchError):
    """The host's politeness slot is too far away; try later (not a failure of the source)."""


@dataclass
class IngestSummary:
    new_ids: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)
    not_modified: bool = False
    # Stored earlier but never tagged (a worker died between storing and queueing).
    untagged_ids: list[int] = field(default_factory=list)


@contextmanager
def _bookkeeping():
    """A transaction for fetch bookkeeping (claims, politeness slots, health fields).

    On PostgreSQL its commit does not wait for the disk: a crash may lose the last few
    of these updates, which only means a source is fetched again — never lost data.
    Articles are stored in ordinary, durable transactions.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


# --- politeness -------------------------------------------------------------------


def host_slot_reserve(*, host: str, interval: timedelta, max_wait: float = MAX_POLITE_WAIT) -> float:
    """Reserve the host's next request slot; return how many seconds to wait for it.

    Raises HostBusy when the slot is further away than max_wait (nothing is reserved).
    """
    host = host.lower()[:255]
    now = timezone.now()
    with _bookkeeping():
        row = HostThrottle.objects.select_for_update().filter(host=host).first()
        if row is None:
            try:
                with transaction.atomic():
                    HostThrottle.objects.create(host=host, next_at=now + interval)
                return 0.0
            except IntegrityError:
                row = HostThrottle.objects.select_for_update().get(host=host)
        start = max(now, row.next_at)
        wait = (start - now).total_seconds()
        if wait > max_wait:
            raise HostBusy(f"politeness: {host} is busy for another {wait:.0f}s")
        row.next_at = start + interval
        row.save(update_fields=["next_at"])
    return wait


def _throttle(host: str) -> None:
    interval = timedelta(seconds=float(settings.INGEST_HOST_INTERVAL))
    if interval <= timedelta(0):
        return
    wait = host_slot_reserve(host=host, interval=interval)
    if wait > 0:
        time.sleep(wait)


def _policy(*, deadline: float | None = None) -> FetchPolicy:
    full = float(settings.INGEST_DEADLINE_SECONDS)
    return FetchPolicy(
        user_agent=settings.INGEST_USER_AGENT,
        allow_private=settings.INGEST_ALLOW_PRIVATE_NETWORKS,
        allowed_networks=tuple(settings.INGEST_ALLOWED_NETWORKS),
        deadline=min(deadline, full) if deadline else full,
        max_bytes=int(settings.INGEST_MAX_BYTES),
        throttle=_throttle,
    )


def page_fetch(url: str) -> ExtractedArticle:
    """Fetch an article page and extract its text."""
    result = fetch(url, policy=_policy(deadline=PAGE_DEADLINE_SECONDS))
    return extract_article(result.body, result.url, result.content_type)


# --- storing ----------------------------------------------------------------------


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
    """Store one article once; return it (or the one it duplicates) and whether it is new."""
    candidate = Candidate.build(url=url, title=title, text=text, guid=guid, author=author, published=published)
    result = articles_store(source=source, candidates=[candidate])
    if result.new:
        return result.new[0], True
    if result.known_ids:
        return Article.objects.get(pk=result.known_ids[0]), False
    return Article.objects.get(url=candidate.url), False


def _store(source: Source, candidates: list[Candidate], summary: IngestSummary, recovered: bool) -> None:
    result = articles_store(source=source, candidates=candidates)
    summary.new_ids.extend(a.pk for a in result.new)
    summary.duplicates += result.duplicates
    if recovered and result.known_ids:
        summary.untagged_ids.extend(
            Article.objects.filter(pk__in=result.known_ids, state=Article.State.NEW).values_list("pk", flat=True)
        )


def _store_feed_items(source: Source, candidates: list[Candidate], summary: IngestSummary, recovered: bool) -> None:
    """Store a feed's inline items: screened in one query, then written batch by batch on a writer thread.

    Every batch is its own durable transaction; a worker killed between batches leaves
    the stored ones, which the retry recognises by URL/GUID.
    """
    screened, fresh = articles_screen(source=source, candidates=candidates)
    summary.duplicates += screened.duplicates
    if recovered and screened.known_ids:
        summary.untagged_ids.extend(
            Article.objects.filter(pk__in=screened.known_ids, state=Article.State.NEW).values_list("pk", flat=True)
        )
    if len(fresh) < 2 * FEED_BATCH:
        result = StoreResult()
        articles_insert(rows=articles_build(source=source, candidates=fresh), result=result)
        summary.new_ids.extend(a.pk for a in result.new)
        summary.duplicates += result.duplicates
        return

    def write(rows: list[Article]) -> None:
        result = StoreResult()
        articles_insert(rows=rows, result=result)
        summary.new_ids.extend(a.pk for a in result.new)
        summary.duplicates += result.duplicates

    writer = _Writer(write)
    try:
        for index in range(0, len(fresh), FEED_BATCH):
            writer.submit(articles_build(source=source, candidates=fresh[index : index + FEED_BATCH]))
    finally:
        writer.finish()


def _entries(source: Source, body: bytes, url: str, content_type: str, warnings: list[str]) -> list[FeedEntry]:
    if source.kind == Source.Kind.SITEMAP:
        return parse_sitemap(body, base_url=url, content_type=content_type)
    try:
        return parse_feed(body, base_url=url, content_type=content_type, warnings=warnings)
    except NotAFeed as exc:
        feeds = find_feed_links(body, url, content_type)
        if feeds:
            raise NotAFeed(f"{exc}; this is a web page announcing the feed {feeds[0][:300]}") from exc
        raise


def source_ingest_payload(
    *,
    source: Source,
    body: bytes,
    url: str,
    content_type: str = "",
    page_fetcher: PageFetcher | None = None,
    recovered: bool = False,
) -> IngestSummary:
    """Store the articles of a fetched document (a feed, a sitemap, or one page)."""
    summary = IngestSummary()
    if source.kind == Source.Kind.PAGE:
        page = extract_article(body, url, content_type)
        candidate = Candidate.build(
            url=page.url or url, title=page.title, text=page.text, author=page.author, published=page.published
        )
        _store(source, [candidate], summary, recovered)
        return summary
    entries = _entries(source, body, url, content_type, summary.errors)
    ready: list[Candidate] = []
    need_page: list[FeedEntry] = []
    for entry in entries:
        try:
            candidate = Candidate.build(
                url=entry.url,
                title=entry.title,
                text=entry.text,
                guid=entry.guid,
                author=entry.author,
                published=entry.published,
            )
        except InvalidURL as exc:
            summary.failed += 1
            summary.errors.append(str(exc))
            continue
        if entry.has_full_text or not source.fetch_full_text or page_fetcher is None:
            ready.append(candidate)
        else:
            need_page.append(entry)
    _store_feed_items(source, ready, summary, recovered)
    _store_with_pages(source, need_page, page_fetcher, summary, recovered)
    return summary


def _unknown(source: Source, entries: list[FeedEntry]) -> tuple[list[FeedEntry], list[int]]:
    """Split entries into those not stored yet and the ids of stored ones (by canonical URL or GUID)."""
    if not entries:
        return [], []
    urls = {e.url: canonical_url(e.url) for e in entries}
    known = Article.objects.filter(
        Q(url__in=urls.values()) | Q(source=source, guid__in=[e.guid for e in entries if e.guid])
    ).values_list("pk", "url", "guid")
    known_urls = {u for _, u, _ in known}
    known_guids = {g for _, _, g in known if g}
    fresh, seen = [], set()
    for entry in entries:
        key = urls[entry.url]
        if key in known_urls or (entry.guid and entry.guid in known_guids) or key in seen:
            continue
        seen.add(key)
        fresh.append(entry)
    return fresh, [pk for pk, _, _ in known]


class _Writer:
    """Store batches on a second thread while the next pages are fetched and extracted.

    Writing waits on PostgreSQL (which indexes the text for search), extraction keeps
    this process's CPU busy: overlapping them hides most of the writing. Inside an
    open transaction (tests) another thread's connection could not see our rows, so
    batches are then written in line.
    """

    def __init__(self, store: Callable[[list], None]):
        self.store = store
        self.pool = None if connection.in_atomic_block else ThreadPoolExecutor(1, thread_name_prefix="ingest-writer")
        self.pending: list[Future] = []

    def submit(self, batch: list) -> None:
        if not batch:
            return
        if self.pool is None:
            self.store(batch)
        else:
            self.pending.append(self.pool.submit(self.store, list(batch)))

    def finish(self) -> None:
        if self.pool is None:
            return
        try:
            for future in self.pending:
                future.result()  # re-raises a failed write here, in the fetch
        finally:
            self.pool.submit(lambda: connection.close()).result()  # the writer thread's own connection
            self.pool.shutdown(wait=True)


def _store_with_pages(
    source: Source, entries: list[FeedEntry], page_fetcher, summary: IngestSummary, recovered: bool
) -> None:
    """Fetch the linked page of each new summary-only entry and store it, page by page."""
    fresh, known_ids = _unknown(source, entries)
    summary.duplicates += len(entries) - len(fresh)
    if recovered and known_ids:
        summary.untagged_ids.extend(
            Article.objects.filter(pk__in=known_ids, state=Article.State.NEW).values_list("pk", flat=True)
        )
    started = time.monotonic()
    batch: list[Candidate] = []
    writer = _Writer(lambda candidates: _store(source, candidates, summary, recovered))
    # Whatever ends the loop (a time limit, an unexpected error), the batches already handed
    # to the writer finish and its thread and database connection are closed.
    try:
        for index, entry in enumerate(fresh):
            if index >= MAX_PAGES_PER_RUN or time.monotonic() - started > PAGE_BUDGET_SECONDS:
                summary.deferred += len(fresh) - index
                break
            text, author, published, url = entry.text, entry.author, entry.published, entry.url
            try:
                page = page_fetcher(entry.url)
                text, author, published = page.text or text, author or page.author, published or page.published
                url = page.url or url
            except (TransientFetchError, HostBusy) as exc:
                # Worth another try: leave the item for the next run rather than store a summary.
                summary.deferred += 1
                summary.errors.append(f"{entry.url[:200]}: page deferred: {exc}")
                continue
            except (PermanentFetchError, NoArticleText, UnsafeDocument) as exc:
                summary.errors.append(f"{entry.url[:200]}: kept the feed summary, page failed: {exc}")
            try:
                candidate = Candidate.build(
                    url=url, title=entry.title, text=text, guid=entry.guid, author=author, published=published
                )
            except InvalidURL:
                candidate = Candidate.build(
                    url=entry.url, title=entry.title, text=text, guid=entry.guid, author=author, published=published
                )
            batch.append(candidate)
            if len(batch) >= PAGE_BATCH:
                writer.submit(batch)
                batch = []
        writer.submit(batch)
    finally:
        writer.finish()


# --- fetching a source ------------------------------------------------------------


def _claim(source_id: int, token: str) -> tuple[bool, bool]:
    """Take the source for this fetch; return (won, recovered).

    recovered means the claim was left by a fetch that did not finish (a killed worker,
    or this very task before a redelivery): its stored articles may be untagged.
    """
    now = timezone.now()
    free = Q(fetching_since__isnull=True) | Q(fetching_since__lt=now - CLAIM_TIMEOUT)
    if token:
        free |= Q(fetch_token=token)
    with _bookkeeping():
        recovered = Source.objects.filter(pk=source_id, fetching_since__isnull=False).filter(free).exists()
        won = Source.objects.filter(pk=source_id).filter(free).update(fetching_since=now, fetch_token=token[:64])
    return bool(won), recovered and bool(won)


def source_fetch(*, source_id: int, token: str = "") -> IngestSummary | None:
    """Fetch one source now and store its new articles; None if another fetch holds it."""
    won, recovered = _claim(source_id, token)
    if not won:
        return None
    source = Source.objects.get(pk=source_id)
    now = timezone.now()
    result = None
    try:
        result = fetch(source.url, policy=_policy(), etag=source.etag, last_modified=source.last_modified)
        if result.not_modified:
            summary = IngestSummary(not_modified=True)
        else:
            summary = source_ingest_payload(
                source=source,
                body=result.body,
                url=result.url,
                content_type=result.content_type,
                page_fetcher=page_fetch,
                recovered=recovered,
            )
    except HostBusy as exc:
        _release(source, now + DEFER_DELAY, str(exc))
        return IngestSummary(deferred=1, errors=[str(exc)])
    except (FetchError, *PARSE_ERRORS) as exc:
        _record_failure(source, exc, now, result.status if result else None)
        return IngestSummary(failed=1, errors=[f"{type(exc).__name__}: {exc}"])
    except Exception as exc:  # a parser bug must mark the source, not kill the fan-out
        log.exception("source %s (%s) failed unexpectedly", source.pk, source.url)
        _record_failure(source, exc, now, result.status if result else None)
        return IngestSummary(failed=1, errors=[f"{type(exc).__name__}: {exc}"])
    _record_success(source, result, summary, now)
    return summary


def _release(source: Source, next_fetch_at: datetime, note: str) -> None:
    with _bookkeeping():
        Source.objects.filter(pk=source.pk).update(
            next_fetch_at=next_fetch_at, fetching_since=None, fetch_token="", last_error=note[:5000]
        )


def _record_success(source: Source, result, summary: IngestSummary, now: datetime) -> None:
    updates = {
        "last_fetched_at": now,
        "last_success_at": now,
        "last_status": Source.Status.NOT_MODIFIED if summary.not_modified else Source.Status.OK,
        "last_http_status": result.status,
        "last_error": "; ".join(summary.errors)[:5000],
        "consecutive_failures": 0,
        "next_fetch_at": now + _jittered(source.fetch_interval),
        "fetching_since": None,
        "fetch_token": "",
    }
    if summary.deferred:
        # Keep the old validators so the next run sees the whole feed again, and come back soon.
        updates["next_fetch_at"] = now + min(DEFER_DELAY, source.fetch_interval)
    elif not summary.not_modified:
        updates["etag"] = result.etag[:500]
        updates["last_modified"] = result.last_modified[:100]
    with _bookkeeping():
        Source.objects.filter(pk=source.pk).update(**updates)


def _jittered(interval: timedelta) -> timedelta:
    """Spread fetches by ±10% so that sources added together do not stay in lockstep."""
    return interval * random.uniform(0.9, 1.1)


def backoff_delay(*, interval: timedelta, failures: int, permanent: bool, retry_after: float | None) -> timedelta:
    """Return how long to wait after the n-th consecutive failure.

    Doubles per failure from the source's interval (permanent errors start 4× further
    out), capped at MAX_BACKOFF; a server's Retry-After is honoured up to the same cap.
    """
    exponent = min(failures - 1 + (2 if permanent else 0), 16)
    delay = min(MAX_BACKOFF, interval * (2**exponent))
    if retry_after:
        delay = max(delay, min(MAX_BACKOFF, timedelta(seconds=retry_after)))
    return delay


def _record_failure(source: Source, exc: Exception, now: datetime, http_status: int | None = None) -> None:
    transient = isinstance(exc, TransientFetchError)
    failures = source.consecutive_failures + 1
    retry_after = getattr(exc, "retry_after", None)
    delay = backoff_delay(
        interval=source.fetch_interval, failures=failures, permanent=not transient, retry_after=retry_after
    )
    # Jitter only ever adds time, so a Retry-After is never undercut.
    with _bookkeeping():
        Source.objects.filter(pk=source.pk).update(
            last_fetched_at=now,
            last_status=Source.Status.TRANSIENT if transient else Source.Status.PERMANENT,
            last_http_status=getattr(exc, "status", None) or http_status,
            last_error=f"{type(exc).__name__}: {exc}"[:5000],
            consecutive_failures=failures,
            next_fetch_at=now + delay * random.uniform(1.0, 1.1),
            fetching_since=None,
            fetch_token="",
        )


# --- scheduling and sources -------------------------------------------------------


def sources_lease_due(
    *, now: datetime | None = None, lease: timedelta = CLAIM_TIMEOUT, limit: int = 10_000
) -> list[int]:
    """Return the ids of due sources, pushing each one's next fetch time past the lease.

    Leasing in one locked statement means a second scheduler (two beats by mistake) or
    the next fan-out cannot queue the same source again while its fetch waits in the queue.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # SKIP LOCKED (PostgreSQL): a second fan-out running at the same moment takes other rows, not these.
        due = Source.objects.due(now).select_for_update(skip_locked=True).order_by("next_fetch_at")
        leased = list(due.values_list("pk", flat=True)[:limit])
        Source.objects.filter(pk__in=leased).update(next_fetch_at=now + lease)
    return leased


def sources_import(*, subscriptions) -> tuple[int, int]:
    """Create a feed Source per subscription not yet known (by URL); return (created, existing)."""
    created = existing = 0
    for sub in subscriptions:
        _source, was_created = Source.objects.get_or_create(
            url=sub.url, defaults={"name": sub.title[:200], "kind": Source.Kind.FEED}
        )
        created += was_created
        existing += not was_created
    return created, existing


def feed_discover(*, url: str) -> str:
    """Return the feed URL for url: url itself if it is a feed, else the first feed its page announces.

    Raises FetchError, NotAFeed (no feed found) or UnsafeDocument.
    """
    result = fetch(url, policy=_policy(deadline=PAGE_DEADLINE_SECONDS))
    try:
        parse_feed(result.body, base_url=result.url, content_type=result.content_type)
        return url
    except NotAFeed:
        feeds = find_feed_links(result.body, result.url, result.content_type)
        if not feeds:
            raise NotAFeed(f"{url[:200]} is neither a feed nor a page that links to one") from None
        return feeds[0]


def source_submit_url(*, url: str) -> tuple[Source, bool]:
    """Return the one-off page Source for an article URL an admin submitted (created if new)."""
    canonical_url(url)  # raises InvalidURL for javascript:, file: and the like
    source, created = Source.objects.get_or_create(
        url=url[:2000],
        defaults={"name": f"Submitted: {url[:180]}", "kind": Source.Kind.PAGE, "active": False},
    )
    if not created:
        Source.objects.filter(pk=source.pk).update(next_fetch_at=timezone.now())
    return source, created


def article_create_from_upload(*, name: str, data: bytes) -> tuple[Article, bool]:
    """Store an uploaded text or HTML file as an article (no source); return it and whether it is new."""
    extracted = article_from_bytes(PurePath(name).name or "upload.txt", data)
    digest = content_hash(extracted.title, extracted.text)[:16]
    slug = "".join(ch if ch.isalnum() or ch in "-._" else "-" for ch in PurePath(name).name)[:100] or "upload"
    # Uploads have no address of their own: a reserved (.invalid) host, unique per content.
    url = f"https://uploads.invalid/{digest}/{slug}"
    return article_upsert(
        source=None,
        url=url,
        title=extracted.title or PurePath(name).stem,
        text=extracted.text,
        author=extracted.author,
        published=extracted.published,
    )
