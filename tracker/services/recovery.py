"""Find work that a lost message left behind, so that a periodic task can queue it again.

Queued tasks can vanish: a worker killed between storing articles and queueing their
tagging, a broker restarted without persistence, a publish that failed while Redis was
away. Articles remember their state, so the database says what is still to do.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ..models import Article, Source


def articles_stranded(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Return ids of articles stored more than older_than ago and still waiting to be tagged.

    Tagging is idempotent, so an article whose task is merely slow in a long queue costs
    one extra run, never a wrong result.
    """
    cutoff = timezone.now() - older_than
    return list(
        Article.objects.filter(state=Article.State.NEW, fetched_at__lt=cutoff)
        .order_by("fetched_at")
        .values_list("pk", flat=True)[:limit]
    )


def sources_lease_release(*, source_ids: list[int]) -> int:
    """Make leased sources due again when their fetch could not be queued (the broker was away).

    Without this they would wait out the whole lease; sources a worker is fetching right
    now keep their lease.
    """
    return Source.objects.filter(pk__in=source_ids, fetching_since__isnull=True).update(next_fetch_at=timezone.now())
