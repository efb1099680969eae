"""Find work that a lost message left behind, so that a periodic task can queue it again.

Queued tasks can vanish: a worker killed between storing articles and queueing their
tagging, a broker restarted without persistence, a publish that failed while Redis was
away. Articles remember their state, so the database says what is still to do.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ..models import Article


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
