"""The dashboard's page queries: each returns plain rows or small lists, a fixed number of queries.

Charts read the maintained daily roll-ups (tracker.DailyCount), never the article or
statement tables, so their cost does not grow with history. Lists are always sliced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tracker.models import (
    Actor,
    ActorMention,
    Article,
    DailyCount,
    Dispute,
    DisputeParty,
    Event,
    Source,
    Statement,
    StatementReport,
    SystemMention,
    WeaponsSystem,
)

from . import charts as dashboard_charts
from . import search
from .cache import actor_version, cached, curated_version, data_version, dispute_version, system_version

Grain = DailyCount.Grain
TOP_SPEAKERS = 8


def week_of_day():
    """The Monday of a roll-up row's week, as a date made in SQL.

    TruncWeek alone returns a timestamp on PostgreSQL that Django then converts row by row
    in Python (time zone and all): ~5,000 conversions on a dispute page's first render.
    """
    return Cast(TruncWeek("day"), DateField())


def month_of_day():
    """The first day of a roll-up row's month, as a date made in SQL (see week_of_day)."""
    return Cast(TruncMonth("day"), DateField())


CO_OCCURRENCE_WINDOW = 500  # latest articles looked at for "appears with"
PAGE_SIZE = 25
ROLLUP_CACHE_SECONDS = 600
MAX_PAGE = 2_000  # beyond this, pages are empty (and cheap): nobody reads page 2,001

# Large columns the list pages never show.
ARTICLE_HEAVY = ("text", "search_vector")
STATEMENT_LIST_DEFER = ("search_vector", "article__text", "article__search_vector")


def statements_visible() -> QuerySet:
    """Statements an analyst sees: everything but what an editor rejected, with speaker and article."""
    return (
        Statement.objects.exclude(review=Statement.Review.REJECTED)
        .select_related("speaker", "article", "article__source")
        .defer(*STATEMENT_LIST_DEFER, "article__source__last_error")
    )


def latest_statements(queryset: QuerySet, limit: int) -> list[Statement]:
    return list(queryset.order_by("-said_on", "-id")[:limit])


def rollup_version() -> int:
    """Return a stamp that changes whenever any roll-up day is rewritten.

    A refresh deletes a day's rows and inserts new ones, so the newest id moves on. It is
    the first part of the data version, which a request reads once (dashboard/cache.py).
    """
    return int(data_version().split(".", 1)[0])


def from_rollups(key: str, version: int, compute):
    """Return compute() for data derived only from roll-ups, cached until the roll-ups change."""
    return cached(key, (), compute, timeout=ROLLUP_CACHE_SECONDS, version=version)


# ---------------------------------------------------------------- home


def home_data() -> dict:
    disputes = list(Dispute.objects.order_by("status", "name"))
    since = timezone.now().date() - timedelta(weeks=52)

    def weekly() -> dict[int, dict[date, int]]:
        rows = (
            DailyCount.objects.filter(grain=Grain.WEEK_DISPUTE_ARTICLES, day__gte=since - timedelta(days=6))
            .values_list("dispute_id", "day", "count")
            .order_by()
        )
        per_dispute: dict[int, dict[date, int]] = {}
        for dispute_id, week, n in rows:
            per_dispute.setdefault(dispute_id, {})[_as_date(week)] = n
        return per_dispute

    return {
        "disputes": disputes,
        "weekly": from_rollups(f"home:{since}", rollup_version(), weekly),
        "since": since,
        "statements": latest_statements(statements_visible(), 10),
    }


def _as_date(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# ---------------------------------------------------------------- dispute


def dispute_data(dispute: Dispute) -> dict:
    parties = list(dispute.party_links.select_related("actor").order_by("side", "actor__name"))
    systems = list(dispute.systems.order_by("name"))
    events = list(dispute.events.filter(review=Event.Review.CONFIRMED).order_by("date", "id"))
    sides = list(dict.fromkeys(p.side for p in parties))
    series = from_rollups(
        f"dispute:{dispute.pk}:{hashlib.sha1('|'.join(sides).encode()).hexdigest()}",
        dispute_version(dispute.slug),
        lambda: _dispute_series(dispute, sides),
    )
    statements = latest_statements(statements_visible().filter(disputes=dispute), 10)
    return {"parties": parties, "systems": systems, "events": events, **series, "statements": statements}


def _dispute_series(dispute: Dispute, sides: list[str]) -> dict:
    """Chart series, top speakers and coverage, shaped once per roll-up version."""
    rows = _dispute_rollups(dispute)
    return {
        "series": dashboard_charts.dispute_timeline(
            article_rows=rows["article_rows"],
            side_rows=rows["side_rows"],
            speaker_rows=rows["speaker_rows"],
            sides=sides,
        ),
        "speakers": rows["speakers"],
        "coverage": rows["coverage"],
    }


def _dispute_rollups(dispute: Dispute) -> dict:
    """Weekly articles, statements by side and stance, top speakers and coverage, from roll-ups."""
    rollups = DailyCount.objects.filter(dispute=dispute)
    # The weekly grains (one row per week, day = its Monday) hold what the charts plot:
    # ~7× fewer rows than summing the daily rows per request. Articles per week, and per
    # week and side the statements and the statements weighted by stance for the tone
    # chart (a third of the rows that grouping by stance too would return), in one query.
    stance_weight = Case(
        *(
            When(stance=stance, then=weight * F("count"))
            for stance, weight in dashboard_charts.STANCE_WEIGHT.items()
            if weight
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    article_rows, side_rows = [], []
    for grain, week, side, n, net in (
        rollups.filter(grain__in=[Grain.WEEK_DISPUTE_ARTICLES, Grain.WEEK_DISPUTE_SIDE_STATEMENTS])
        .values_list("grain", "day", "side")
        .annotate(n=Sum("count"), net=Sum(stance_weight))
        .order_by()
    ):
        if grain == Grain.WEEK_DISPUTE_ARTICLES:
            article_rows.append((week, n))
        else:
            side_rows.append((week, side, n, net))
    # The ranking, then the top speakers' weeks. Names are looked up for the ranked rows
    # only (sub-selects after the sort), not joined to every one of ~20,000 weekly rows.
    actor = Actor.objects.filter(pk=OuterRef("actor_id"))
    top = list(
        rollups.filter(grain=Grain.WEEK_DISPUTE_SPEAKER_STATEMENTS)
        .values("actor_id")
        .annotate(total=Sum("count"))
        .order_by("-total", "actor_id")
        .annotate(name=Subquery(actor.values("name")), slug=Subquery(actor.values("slug")))
        .values("actor_id", "total", "name", "slug")[:TOP_SPEAKERS]
    )
    names = {row["actor_id"]: row["name"] for row in top}
    speaker_rows = [
        (actor_id, names[actor_id], week, n)
        for actor_id, week, n in rollups.filter(grain=Grain.WEEK_DISPUTE_SPEAKER_STATEMENTS, actor_id__in=list(names))
        .values_list("actor_id", "day", "count")
        .order_by()
    ]
    speakers = sorted(
        ({"id": row["actor_id"], "name": row["name"], "slug": row["slug"], "total": row["total"]} for row in top),
        key=lambda entry: (-entry["total"], entry["name"]),
    )
    coverage = list(
        rollups.filter(grain=Grain.DISPUTE_SOURCE_ARTICLES)
        .values("source_id")
        .annotate(n=Sum("count"))
        .annotate(source__name=Subquery(Source.objects.filter(pk=OuterRef("source_id")).values("name")))
        .order_by("-n", "source__name")[:15]
    )
    return {
        "article_rows": article_rows,
        "side_rows": side_rows,
        "speaker_rows": speaker_rows,
        "speakers": speakers,
        "coverage": coverage,
    }


# ---------------------------------------------------------------- filters


def side_speakers(side: str, dispute: Dispute | None) -> Q:
    """Match statements whose speaker is on `side` (their own party link, else their affiliation's)."""
    parties = DisputeParty.objects.all() if dispute is None else DisputeParty.objects.filter(dispute=dispute)
    on_side = parties.filter(side=side).values("actor_id")
    return Q(speaker_id__in=on_side) | (
        Q(speaker__affiliation_id__in=on_side) & ~Q(speaker_id__in=parties.values("actor_id"))
    )


def actor_lookup(text: str) -> Q:
    """Match an actor by slug or exact name, else by part of the name."""
    return Q(slug=text) | Q(name__iexact=text) | Q(name__icontains=text)


def filter_statements(queryset: QuerySet, filters: dict, *, dispute: Dispute | None = None) -> QuerySet:
    if dispute is None and "dispute" in filters:
        dispute = Dispute.objects.filter(slug=filters["dispute"]).first()
        queryset = queryset.filter(disputes=dispute) if dispute else queryset.none()
    if "actor" in filters:
        actors = Actor.objects.filter(actor_lookup(filters["actor"])).values("pk")
        queryset = queryset.filter(speaker_id__in=actors)
    if "side" in filters:
        queryset = queryset.filter(side_speakers(filters["side"], dispute))
    if "system" in filters:
        queryset = queryset.filter(systems__slug=filters["system"])
    if filters.get("kind") in Statement.Kind.values:
        queryset = queryset.filter(kind=filters["kind"])
    if "stance" in filters:
        queryset = queryset.filter(stance=filters["stance"])
    if "source" in filters:
        queryset = queryset.filter(article__source_id=filters["source"])
    if "since" in filters:
        queryset = queryset.filter(said_on__gte=filters["since"])
    if "until" in filters:
        queryset = queryset.filter(said_on__lte=filters["until"])
    return queryset


def filter_articles(queryset: QuerySet, filters: dict) -> QuerySet:
    if "dispute" in filters:
        queryset = queryset.filter(dispute_links__dispute__slug=filters["dispute"])
    if "actor" in filters:
        actors = Actor.objects.filter(actor_lookup(filters["actor"])).values("pk")
        queryset = queryset.filter(Exists(ActorMention.objects.filter(article=OuterRef("pk"), actor_id__in=actors)))
    if "system" in filters:
        queryset = queryset.filter(
            Exists(SystemMention.objects.filter(article=OuterRef("pk"), system__slug=filters["system"]))
        )
    if "source" in filters:
        queryset = queryset.filter(source_id=filters["source"])
    # Datetime bounds rather than __date, so the published_at index can serve them.
    if "since" in filters:
        queryset = queryset.filter(published_at__gte=_day_start(filters["since"]))
    if "until" in filters:
        queryset = queryset.filter(published_at__lt=_day_start(filters["until"] + timedelta(days=1)))
    return queryset


def _day_start(day: date):
    return timezone.make_aware(datetime.combine(day, time.min), UTC)


# ---------------------------------------------------------------- pages of results


@dataclass
class Page:
    number: int
    items: list
    has_next: bool
    size: int = PAGE_SIZE
    rendered: bool = False  # items are rows of HTML already (cached_rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


def page_number(raw: str | None) -> int:
    """Read ?page=: anything that is not a positive number means page 1."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return max(1, number)


def page_of(queryset: QuerySet, number: int, size: int | None = None) -> Page:
    """Return one page without counting the whole result (one query; fetches one extra row)."""
    size = size or PAGE_SIZE
    if number > MAX_PAGE:
        return Page(number, [], False, size)
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(number, rows[:size], len(rows) > size, size)


def _listed_statements(filters: dict) -> QuerySet:
    """The statements the list shows for `filters` (search matches included, unordered, no joins)."""
    listed = filter_statements(Statement.objects.exclude(review=Statement.Review.REJECTED), filters)
    return search.statements_matching(listed, filters["q"]) if filters.get("q") else listed


def statement_ids_page(filters: dict, number: int) -> Page:
    """One page of the statements list as ids, newest first (no search): its rows come from `cached_rows`."""
    return page_of(_listed_statements(filters).order_by("-said_on", "-id").values_list("id", flat=True), number)


def statements_by_id(ids: list[int]) -> dict[int, Statement]:
    """The visible statements among `ids`, with speaker, article and source (one query)."""
    return statements_visible().in_bulk(ids)


def statements_page(filters: dict, number: int, *, queryset: QuerySet | None = None) -> Page:
    queryset = filter_statements(statements_visible() if queryset is None else queryset, filters)
    if filters.get("q"):
        queryset = search.statements(queryset, filters["q"])
    else:
        queryset = queryset.order_by("-said_on", "-id")
    return page_of(queryset, number)


def statements_changed_since(filters: dict, old: dict) -> bool:
    """Whether statements added or re-reported since the version `old` (its columns) belong in this list.

    New statements have ids above the old newest; an old statement gains links (a dispute,
    a system) only when a newly tagged article reports it. Each is tested against the same
    filters and search as the list, from its own index (one or two small queries).
    """
    listed = _listed_statements(filters)
    if listed.filter(id__gt=old["statements"] or 0).exists():
        return True
    reported = StatementReport.objects.filter(_tagged_after(old["tagged"], "article__")).values("statement_id")
    return listed.filter(id__in=reported).exists()


def articles_changed_since(filters: dict, old: dict) -> bool:
    """Whether articles stored or (re-)tagged since the version `old` (its columns) belong in this list (one query)."""
    listed = _listed_articles(filters)
    return listed.filter(Q(id__gt=old["articles"] or 0) | _tagged_after(old["tagged"])).exists()


def _tagged_after(stamp, prefix: str = "") -> Q:
    """Articles tagged after `stamp` (the newest tagged_at of an older version; None: before any tagging)."""
    if stamp is None:
        return Q(**{f"{prefix}tagged_at__isnull": False})
    if isinstance(stamp, str):  # SQLite returns the text it stores (UTC)
        stamp = parse_datetime(stamp)
        if timezone.is_naive(stamp):
            stamp = timezone.make_aware(stamp, UTC)
    return Q(**{f"{prefix}tagged_at__gt": stamp})


def _listed_articles(filters: dict) -> QuerySet:
    """The articles the list shows for `filters` (search matches included, unordered, no joins)."""
    listed = filter_articles(Article.objects.all(), filters)
    return search.articles_matching(listed, filters["q"]) if filters.get("q") else listed


def article_ids_page(filters: dict, number: int) -> Page:
    """One page of the articles list as ids, newest first (no search): its rows come from `cached_rows`."""
    return page_of(_listed_articles(filters).order_by("-published_at", "-id").values_list("id", flat=True), number)


def articles_by_id(ids: list[int]) -> dict[int, Article]:
    """The articles among `ids`, with their source, without their text (one query)."""
    return Article.objects.select_related("source").defer(*ARTICLE_HEAVY).in_bulk(ids)


def articles_page(filters: dict, number: int) -> Page:
    queryset = filter_articles(Article.objects.select_related("source").defer(*ARTICLE_HEAVY), filters)
    if filters.get("q"):
        queryset = search.articles(queryset, filters["q"])
    else:
        queryset = queryset.order_by("-published_at", "-id")
    return page_of(queryset, number)


# ---------------------------------------------------------------- timeline

TIMELINE_ORDER = ("-day", "item", "-item_id")


def timeline_parts(dispute: Dispute, filters: dict) -> list[QuerySet]:
    """Return the values() queries (item, item_id, day) whose union is the filtered timeline."""
    kind = filters.get("kind", "")
    statement_only = {"side", "stance"} & filters.keys()
    parts = []
    columns = {"item_id": F("id")}
    if kind in ("", "milestone") and not {"actor", "side", "stance", "source", "system"} & filters.keys():
        events = dispute.events.filter(review=Event.Review.CONFIRMED)
        if "since" in filters:
            events = events.filter(date__gte=filters["since"])
        if "until" in filters:
            events = events.filter(date__lte=filters["until"])
        parts.append(
            events.values(item=Value("milestone", output_field=CharField()), **columns, day=F("date")).order_by(
                "-date", "-id"
            )
        )
    if kind in ("", "statement", "direct", "reported"):
        statements = Statement.objects.exclude(review=Statement.Review.REJECTED).filter(
            disputes=dispute, said_on__isnull=False
        )
        statements = filter_statements(statements, {**filters, "kind": kind}, dispute=dispute)
        parts.append(
            statements.values(item=Value("statement", output_field=CharField()), **columns, day=F("said_on")).order_by(
                "-said_on", "-id"
            )
        )
    if kind in ("", "article") and not statement_only:
        articles = filter_articles(
            Article.objects.filter(dispute_links__dispute=dispute, published_at__isnull=False),
            {k: v for k, v in filters.items() if k != "dispute"},
        )
        parts.append(
            articles.values(
                item=Value("article", output_field=CharField()), **columns, day=TruncDate("published_at")
            ).order_by("-published_at", "-id")
        )
    return parts


def timeline_union(parts: list[QuerySet], limit: int | None) -> QuerySet | None:
    """Union the parts, newest first; on PostgreSQL each part is cut to `limit` rows first."""
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]  # already newest first, in an order its indexes serve
    if limit is not None and connection.features.supports_slicing_ordering_in_compound:
        parts = [part[:limit] for part in parts]
    else:
        parts = [part.order_by() for part in parts]
    first, *rest = parts
    return first.union(*rest, all=True).order_by(*TIMELINE_ORDER)


def timeline_page(dispute: Dispute, filters: dict, number: int, size: int | None = None) -> Page:
    size = size or PAGE_SIZE
    if number > MAX_PAGE:
        return Page(number, [], False, size)
    offset = (number - 1) * size
    union = timeline_union(timeline_parts(dispute, filters), offset + size + 1)
    rows = list(union[offset : offset + size + 1]) if union is not None else []
    return Page(number, timeline_hydrate(rows[:size]), len(rows) > size, size)


def timeline_hydrate(rows: list[dict]) -> list[dict]:
    """Turn (item, item_id, day) rows into entries carrying their objects (one query per kind)."""
    wanted: dict[str, list[int]] = {"milestone": [], "statement": [], "article": []}
    for row in rows:
        wanted[row["item"]].append(row["item_id"])
    objects = {
        "milestone": Event.objects.in_bulk(wanted["milestone"]) if wanted["milestone"] else {},
        "statement": statements_by_id(wanted["statement"]) if wanted["statement"] else {},
        "article": articles_by_id(wanted["article"]) if wanted["article"] else {},
    }
    entries = []
    for row in rows:
        item = objects[row["item"]].get(row["item_id"])
        if item is not None:
            entries.append({"kind": row["item"], "day": row["day"], "object": item})
    return entries


# ---------------------------------------------------------------- actor and system


def actor_data(actor: Actor, filters: dict, number: int) -> dict:
    aliases = list(actor.aliases.order_by("text"))
    roles = list(actor.roles.order_by("start", "id"))
    parties = list(actor.party_links.select_related("dispute").order_by("dispute__name"))
    monthly = from_rollups(
        f"actor:{actor.pk}",
        actor_version(actor.slug),
        lambda: list(
            DailyCount.objects.filter(grain=Grain.SPEAKER_STATEMENTS, actor=actor)
            .annotate(month=month_of_day())
            .values_list("month", "stance")
            .annotate(n=Sum("count"))
            .order_by()
        ),
    )
    quotes = statements_page(filters, number, queryset=statements_visible().filter(speaker=actor))
    recent = (
        ActorMention.objects.filter(actor=actor).order_by("-article_id").values("article_id")[:CO_OCCURRENCE_WINDOW]
    )
    with_actors = list(
        ActorMention.objects.filter(article_id__in=recent)
        .exclude(actor=actor)
        .values("actor__slug", "actor__name")
        .annotate(n=Count("id"))
        .order_by("-n", "actor__name")[:12]
    )
    with_systems = list(
        SystemMention.objects.filter(article_id__in=recent)
        .values("system__slug", "system__name")
        .annotate(n=Count("id"))
        .order_by("-n", "system__name")[:12]
    )
    return {
        "aliases": aliases,
        "roles": roles,
        "parties": parties,
        "monthly": monthly,
        "quotes": quotes,
        "with_actors": with_actors,
        "with_systems": with_systems,
    }


def system_data(system: WeaponsSystem) -> dict:
    aliases = list(system.aliases.order_by("text"))
    disputes = list(system.disputes.order_by("name"))
    monthly = from_rollups(
        f"system:{system.pk}",
        system_version(system.slug),
        lambda: list(
            DailyCount.objects.filter(grain__in=[Grain.SYSTEM_MENTIONS, Grain.SYSTEM_STATEMENTS], system=system)
            .annotate(month=month_of_day())
            .values_list("month", "grain")
            .annotate(n=Sum("count"))
            .order_by()
        ),
    )
    recent = (
        SystemMention.objects.filter(system=system).order_by("-article_id").values("article_id")[:CO_OCCURRENCE_WINDOW]
    )
    actors = list(
        ActorMention.objects.filter(article_id__in=recent)
        .values("actor__slug", "actor__name")
        .annotate(n=Count("id"))
        .order_by("-n", "actor__name")[:15]
    )
    statements = latest_statements(statements_visible().filter(systems=system), 20)
    return {"aliases": aliases, "disputes": disputes, "monthly": monthly, "actors": actors, "statements": statements}


# ---------------------------------------------------------------- article


def article_data(article: Article) -> dict:
    reports = list(
        article.statement_reports.exclude(statement__review=Statement.Review.REJECTED)
        .select_related("statement__speaker")
        .defer("statement__search_vector")
        .order_by("start", "id")
    )
    actor_mentions = list(article.actor_mentions.select_related("actor").order_by("-count", "actor__name"))
    system_mentions = list(article.system_mentions.select_related("system").order_by("-count", "system__name"))
    disputes = list(article.dispute_links.select_related("dispute").order_by("-score"))
    return {
        "reports": reports,
        "actor_mentions": actor_mentions,
        "system_mentions": system_mentions,
        "dispute_links": disputes,
    }


# ---------------------------------------------------------------- sources


def sources_data(days: int = 30) -> dict:
    sources = list(Source.objects.defer("etag", "last_modified").order_by("name"))
    today = timezone.now().date()
    since = today - timedelta(days=days - 1)
    rows = DailyCount.objects.filter(grain=Grain.SOURCE_ARTICLES, day__gte=since).values_list(
        "source_id", "day", "count"
    )
    per_source: dict[int, dict[date, int]] = {}
    for source_id, day, n in rows:
        per_source.setdefault(source_id, {})[day] = n
    return {"sources": sources, "per_source": per_source, "days": [since + timedelta(days=i) for i in range(days)]}


# ---------------------------------------------------------------- choices for filter forms


def filter_choices(*, dispute: Dispute | None = None) -> dict:
    """Return the choices the filter forms offer, cached.

    Sides, systems, sources and disputes change only through the admin, whose saves write
    audit rows: a dispute's choices hang on its version, the lists' (which also offer
    every dispute) on the audit trail alone, so new articles leave them cached.
    """
    version = dispute_version(dispute.slug) if dispute else curated_version()
    return cached("choices", (dispute.pk if dispute else None,), lambda: _filter_choices(dispute), version=version)


def _filter_choices(dispute: Dispute | None) -> dict:
    parties = DisputeParty.objects.filter(dispute=dispute) if dispute else DisputeParty.objects.all()
    sides = sorted(set(parties.values_list("side", flat=True)))
    systems = list((dispute.systems if dispute else WeaponsSystem.objects).only("slug", "name").order_by("name"))
    sources = list(Source.objects.only("pk", "name").order_by("name"))
    if dispute:
        return {"sides": sides, "systems": systems, "sources": sources}
    disputes = list(Dispute.objects.only("slug", "name").order_by("name"))
    return {"sides": sides, "systems": systems, "sources": sources, "disputes": disputes}
