"""Maintain the daily roll-ups (DailyCount) that the dashboard's charts read.

A roll-up day is always recomputed whole from the source tables, so a refresh is
idempotent and needs no memory of what an article contributed before. Tagging calls
`rollups_refresh_for_article` after it replaces an article's tags; `rollups_rebuild`
(the `rebuild_rollups` command) recomputes everything, e.g. after dispute parties or
sides are edited, or after a bulk load.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from ..models import (
    Article,
    ArticleDispute,
    DailyCount,
    DisputeParty,
    Statement,
    StatementReport,
    SystemMention,
)

Grain = DailyCount.Grain
StatementDispute = Statement.disputes.through
StatementSystem = Statement.systems.through
# Columns a roll-up query may select, as "r_<column>"; the others are stored empty.
DIMENSIONS = ("dispute_id", "source_id", "actor_id", "system_id", "side", "stance")
# Weekly grain: (daily grain it sums, dimensions it keeps).
WEEKLY = {
    Grain.WEEK_DISPUTE_ARTICLES: (Grain.DISPUTE_ARTICLES, ("dispute_id",)),
    Grain.WEEK_DISPUTE_SIDE_STATEMENTS: (Grain.DISPUTE_SIDE_STATEMENTS, ("dispute_id", "side", "stance")),
    Grain.WEEK_DISPUTE_SPEAKER_STATEMENTS: (Grain.DISPUTE_SPEAKER_STATEMENTS, ("dispute_id", "actor_id")),
}
EMPTY = {
    "dispute_id": "NULL",
    "source_id": "NULL",
    "actor_id": "NULL",
    "system_id": "NULL",
    "side": "''",
    "stance": "''",
}


def _day_ranges(field: str, days: Iterable[date] | None) -> Q:
    """Match datetimes in `field` that fall on one of `days` (UTC), as index-friendly ranges."""
    if days is None:
        return Q(**{f"{field}__isnull": False})
    query = Q(pk__in=[])
    for day in days:
        start = timezone.make_aware(datetime.combine(day, time.min), UTC)
        query |= Q(**{f"{field}__gte": start, f"{field}__lt": start + timedelta(days=1)})
    return query


def _dates(field: str, days: Iterable[date] | None) -> Q:
    if days is None:
        return Q(**{f"{field}__isnull": False})
    return Q(**{f"{field}__in": list(days)})


def _speaker_side(dispute: str, speaker: str) -> Coalesce:
    """The speaker's side in the dispute: their own party link, else their affiliation's, else ''."""
    own = DisputeParty.objects.filter(dispute=OuterRef(dispute), actor=OuterRef(speaker)).values("side")[:1]
    via = DisputeParty.objects.filter(dispute=OuterRef(dispute), actor=OuterRef(f"{speaker}__affiliation")).values(
        "side"
    )[:1]
    return Coalesce(Subquery(own), Subquery(via), Value(""))


def _grain_queries(days: Iterable[date] | None) -> dict[str, QuerySet]:
    """Return, per grain, a values() query selecting r_day, r_count and the grain's dimensions."""
    days = None if days is None else sorted(set(days))
    article_day = TruncDate("article__published_at")
    said = F("statement__said_on")
    # Statements an editor rejected are not counted (nor shown anywhere on the dashboard).
    kept = ~Q(statement__review=Statement.Review.REJECTED)
    return {
        Grain.DISPUTE_ARTICLES: ArticleDispute.objects.filter(_day_ranges("article__published_at", days))
        .values(r_day=article_day, r_dispute_id=F("dispute_id"))
        .annotate(r_count=Count("id")),
        Grain.DISPUTE_SOURCE_ARTICLES: ArticleDispute.objects.filter(
            _day_ranges("article__published_at", days), article__source__isnull=False
        )
        .values(r_day=article_day, r_dispute_id=F("dispute_id"), r_source_id=F("article__source_id"))
        .annotate(r_count=Count("id")),
        Grain.SOURCE_ARTICLES: Article.objects.filter(_day_ranges("published_at", days), source__isnull=False)
        .values(r_day=TruncDate("published_at"), r_source_id=F("source_id"))
        .annotate(r_count=Count("id")),
        Grain.DISPUTE_SIDE_STATEMENTS: StatementDispute.objects.filter(_dates("statement__said_on", days), kept)
        .values(
            r_day=said,
            r_dispute_id=F("dispute_id"),
            r_side=_speaker_side("dispute_id", "statement__speaker"),
            r_stance=F("statement__stance"),
        )
        .annotate(r_count=Count("id")),
        Grain.DISPUTE_SPEAKER_STATEMENTS: StatementDispute.objects.filter(
            _dates("statement__said_on", days), kept, statement__speaker__isnull=False
        )
        .values(r_day=said, r_dispute_id=F("dispute_id"), r_actor_id=F("statement__speaker_id"))
        .annotate(r_count=Count("id")),
        Grain.SPEAKER_STATEMENTS: Statement.objects.filter(_dates("said_on", days), speaker__isnull=False)
        .exclude(review=Statement.Review.REJECTED)
        .values(r_day=F("said_on"), r_actor_id=F("speaker_id"), r_stance=F("stance"))
        .annotate(r_count=Count("id")),
        Grain.SYSTEM_MENTIONS: SystemMention.objects.filter(_day_ranges("article__published_at", days))
        .values(r_day=article_day, r_system_id=F("system_id"))
        .annotate(r_count=Count("id")),
        Grain.SYSTEM_STATEMENTS: StatementSystem.objects.filter(_dates("statement__said_on", days), kept)
        .values(r_day=said, r_system_id=F("weaponssystem_id"))
        .annotate(r_count=Count("id")),
    }


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weekly_queries(mondays: Iterable[date] | None) -> dict[str, QuerySet]:
    """Return, per weekly grain, the sum of its daily rows per week (of `mondays`, or all weeks)."""
    weeks = Q()
    if mondays is not None:
        weeks = Q(pk__in=[])
        for start in mondays:
            weeks |= Q(day__gte=start, day__lt=start + timedelta(days=7))
    queries = {}
    for grain, (daily, dimensions) in WEEKLY.items():
        queries[grain] = (
            DailyCount.objects.filter(weeks, grain=daily)
            .values(r_day=Cast(TruncWeek("day"), DateField()), **{f"r_{name}": F(name) for name in dimensions})
            .annotate(r_count=Sum("count"))
        )
    return queries


def _refresh_weeks(days: Iterable[date] | None) -> int:
    """Recompute the weekly rows of the weeks holding `days` (all weeks if None) from the daily rows."""
    weekly = DailyCount.objects.filter(grain__in=list(WEEKLY))
    mondays = None if days is None else sorted({monday(day) for day in days})
    if mondays is not None:
        weekly = weekly.filter(day__in=mondays)
    weekly.delete()
    return sum(_insert(grain, query) for grain, query in _weekly_queries(mondays).items())


def _insert(grain: str, query: QuerySet) -> int:
    """INSERT … SELECT one grain's aggregate straight into the roll-up table."""
    sql, params = query.order_by().query.sql_with_params()
    selected = set(query.query.annotation_select) | set(query.query.values_select)
    columns = ["grain", "day", "count", *DIMENSIONS]
    values = ["%s", "r.r_day", "r.r_count"] + [
        f"r.r_{name}" if f"r_{name}" in selected else EMPTY[name] for name in DIMENSIONS
    ]
    table = DailyCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM ({sql}) r",
            (grain, *params),
        )
        return cursor.rowcount


def _lock() -> None:
    """Serialise roll-up writers on PostgreSQL (SQLite already serialises write transactions)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('tracker_dailycount'))")


def rollups_refresh_days(*, days: Iterable[date]) -> int:
    """Recompute every roll-up row of the given days; return how many rows were written."""
    days = sorted({d for d in days if d is not None})
    if not days:
        return 0
    written = 0
    with transaction.atomic():
        _lock()
        DailyCount.objects.filter(day__in=days).exclude(grain__in=list(WEEKLY)).delete()
        for grain, query in _grain_queries(days).items():
            written += _insert(grain, query)
        written += _refresh_weeks(days)
    return written


def rollups_refresh_for_article(*, article_id: int, extra_days: Iterable[date] = ()) -> int:
    """Recompute the days an article touches: its publication day and its statements' days.

    Call it after tagging replaced the article's mentions, statements and dispute links,
    passing as `extra_days` the days of the statements the article carried before, so
    that a statement tagging dropped leaves no stale count behind.
    """
    published = Article.objects.filter(pk=article_id).values_list("published_at", flat=True).first()
    days = set(
        StatementReport.objects.filter(article_id=article_id, statement__said_on__isnull=False).values_list(
            "statement__said_on", flat=True
        )
    )
    days.update(
        Statement.objects.filter(article_id=article_id, said_on__isnull=False).values_list("said_on", flat=True)
    )
    if published is not None:
        days.add(timezone.localtime(published, UTC).date())
    days.update(extra_days)
    return rollups_refresh_days(days=days)


def rollups_rebuild() -> int:
    """Recompute the whole roll-up table from the source tables; return the row count."""
    written = 0
    with transaction.atomic():
        _lock()
        DailyCount.objects.all().delete()
        for grain, query in _grain_queries(None).items():
            written += _insert(grain, query)
        written += _refresh_weeks(None)
    return written
