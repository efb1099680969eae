"""Celery tasks: thin wrappers that load by id and call one service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services
from .services.ingest_store import sketch_bands_prune
from .services.recovery import articles_stranded, sources_lease_release

log = logging.getLogger(__name__)

# The database went away (a restart, a failover): worth retrying. A connection that broke
# mid-task raises InterfaceError on its next use; the retry gets a fresh one
# (dashboard/celery.py closes broken connections before every task).
DB_TRANSIENT = (OperationalError, InterfaceError)

# Every task that is safe to run twice: acknowledged only after it ran, re-delivered when
# its worker dies, and retried with jittered backoff on transient database errors.
IDEMPOTENT = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": DB_TRANSIENT,
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(bind=True, **IDEMPOTENT)
def source_fetch_task(self, source_id: int) -> None:
    """Fetch one source and queue tagging for its new articles.

    The task id is the claim token: if the worker dies mid-source, the redelivered
    task takes its own claim over instead of waiting for it to go stale.
    """
    summary = services.source_fetch(source_id=source_id, token=self.request.id or "")
    if summary is None:
        log.info("source %s is being fetched by another worker; skipped", source_id)
        return
    if summary.failed or summary.errors:
        log.warning(
            "source %s: %d item(s) failed, %d deferred, %d note(s), first: %s",
            source_id,
            summary.failed,
            summary.deferred,
            len(summary.errors),
            "; ".join(summary.errors[:2])[:500],
        )
    for article_id in [*summary.new_ids, *summary.untagged_ids]:
        article_tag_task.delay(article_id)


@shared_task(**IDEMPOTENT)
def article_tag_task(article_id: int) -> None:
    """Tag one article (idempotent: its tag set is replaced in one transaction)."""
    try:
        services.article_tag(article_id=article_id)
    except DB_TRANSIENT:
        raise
    except Exception as exc:
        log.exception("tagging article %s failed", article_id)
        services.article_mark_failed(article_id=article_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(ignore_result=True, **IDEMPOTENT)
def reference_retag_task(texts: list[str], actor_ids: list[int], system_ids: list[int]) -> int:
    """Queue re-tagging of the articles a reference-data edit may change (idempotent: tagging replaces)."""
    article_ids = services.articles_affected_by_reference(texts=texts, actor_ids=actor_ids, system_ids=system_ids)
    for article_id in article_ids:
        article_tag_task.delay(article_id)
    return len(article_ids)


@shared_task
def sources_fan_out_task() -> int:
    """Queue a fetch for every due source; the one periodic task."""
    due = services.sources_lease_due()
    for index, source_id in enumerate(due):
        try:
            source_fetch_task.delay(source_id)
        except Exception:
            # The broker went away mid-way: the rest must not wait out their lease.
            sources_lease_release(source_ids=due[index:])
            log.exception("fan-out stopped at source %s; released %d lease(s)", source_id, len(due) - index)
            raise
    return len(due)


@shared_task
def articles_requeue_stranded_task() -> int:
    """Queue tagging again for articles whose task was lost (periodic; tagging is idempotent).

    While a backlog is waiting, old untagged articles are most likely in it: skip the
    run rather than queue them twice; the sweep resumes once the queue has drained.
    """
    from dashboard.celery import queue_length

    waiting = queue_length("tagging")
    if waiting is not None and waiting > settings.REQUEUE_MAX_BACKLOG:
        log.info("stranded-article sweep skipped: %d tagging task(s) still waiting", waiting)
        return 0
    stranded = articles_stranded(older_than=settings.REQUEUE_STRANDED_AFTER)
    for article_id in stranded:
        article_tag_task.delay(article_id)
    if stranded:
        log.warning("re-queued tagging for %d stranded article(s): %s", len(stranded), stranded[:20])
    return len(stranded)


@shared_task(ignore_result=True, **IDEMPOTENT)
def sketch_bands_prune_task() -> int:
    """Delete the near-duplicate band keys of articles older than the near-duplicate window (periodic)."""
    return sketch_bands_prune()
