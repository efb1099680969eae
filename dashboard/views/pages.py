"""The reading pages: home, dispute, actor, weapons system, article, sources."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from tracker.models import Actor, Article, Dispute, WeaponsSystem

from .. import charts, queries
from ..cache import actor_version, article_version, cached, dispute_version, query_parts, system_version
from ..forms import statement_form
from .common import analyst_required, page_body, query_without, render_page

DEMO_DIR = Path(settings.BASE_DIR) / "tracker" / "demo"
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
CHART_SCRIPTS = ("vendor/chart.js/chart.umd.min.js", "js/charts.js")
MONTHLY_SCRIPTS = (*CHART_SCRIPTS, "js/monthly.js")
DISPUTE_SCRIPTS = (
    "vendor/chart.js/chart.umd.min.js",
    "vendor/chartjs-plugin-annotation/chartjs-plugin-annotation.min.js",
    "js/charts.js",
    "js/dispute.js",
)
# The sources page shows "fetched 3 minutes ago": its body is kept one minute at most.
SOURCES_CACHE_SECONDS = 60


@analyst_required
def home(request):
    return render_page(request, cached("home", (), _home_body), nav="home")


def _home_body() -> dict:
    data = queries.home_data()
    weeks = charts.week_range(data["since"], queries.timezone.now().date())
    cards = []
    for dispute in data["disputes"]:
        values = charts.dense(data["weekly"].get(dispute.pk, {}), weeks)
        cards.append({"dispute": dispute, "spark": charts.sparkline(values)})
    return page_body("dashboard/home.html", {"cards": cards, "statements": data["statements"], "since": data["since"]})


@analyst_required
def dispute(request, slug: str):
    page = cached("dispute", (slug,), lambda: _dispute_body(slug), version=dispute_version(slug))
    return render_page(request, page, nav="home")


def _dispute_body(slug: str) -> dict:
    item = get_object_or_404(Dispute, slug=slug)
    data = queries.dispute_data(item)
    series = {
        **data["series"],
        "milestones": charts.milestone_markers(data["events"]),
        "timeline_url": reverse("timeline", args=[item.slug]),
    }
    by_side: dict[str, list] = {}
    for party in data["parties"]:
        by_side.setdefault(party.side, []).append(party.actor)
    coverage_total = sum(row["n"] for row in data["coverage"]) or 1
    return page_body(
        "dashboard/dispute.html",
        {
            "dispute": item,
            "sides": by_side,
            "systems": data["systems"],
            "events": data["events"],
            "series": series,
            "speakers": data["speakers"],
            "coverage": [{**row, "share": round(100 * row["n"] / coverage_total)} for row in data["coverage"]],
            "statements": data["statements"],
        },
        title=item.name,
        scripts=DISPUTE_SCRIPTS,
    )


@analyst_required
def actor(request, slug: str):
    page = cached(
        "actor", (slug, query_parts(request)), lambda: _actor_body(request, slug), version=actor_version(slug)
    )
    return render_page(request, page, nav="home")


def _actor_body(request, slug: str) -> dict:
    item = get_object_or_404(Actor.objects.select_related("affiliation"), slug=slug)
    form = statement_form(request.GET, drop=("actor", "side", "system", "source", "dispute", "since", "until"))
    filters = form.values()
    data = queries.actor_data(item, filters, queries.page_number(request.GET.get("page")))
    stances = ["escalating", "neutral", "conciliatory"]
    series = charts.monthly_by_key([(m, s, n) for m, s, n in data["monthly"]], stances)
    return page_body(
        "dashboard/actor.html",
        {
            "actor": item,
            **data,
            "series": series,
            "form": form,
            "query": query_without(request, "page"),
            "search": filters.get("q", ""),
        },
        title=item.name,
        scripts=MONTHLY_SCRIPTS if series["months"] else (),
    )


@analyst_required
def system(request, slug: str):
    page = cached("system", (slug,), lambda: _system_body(slug), version=system_version(slug))
    return render_page(request, page, nav="home")


def _system_body(slug: str) -> dict:
    item = get_object_or_404(WeaponsSystem.objects.select_related("maker", "origin"), slug=slug)
    data = queries.system_data(item)
    labels = {"system_mentions": "Articles mentioning it", "system_statements": "Statements about it"}
    series = charts.monthly_by_key([(m, labels[g], n) for m, g, n in data["monthly"]], list(labels.values()))
    return page_body(
        "dashboard/system.html",
        {"system": item, **data, "series": series},
        title=item.name,
        scripts=MONTHLY_SCRIPTS if series["months"] else (),
    )


@analyst_required
def article(request, pk: int):
    page = cached("article", (pk,), lambda: _article_body(pk), version=article_version(pk))
    return render_page(request, page, nav="articles")


def _article_body(pk: int) -> dict:
    item = get_object_or_404(Article.objects.select_related("source").defer("search_vector"), pk=pk)
    data = queries.article_data(item)
    spans = _mention_spans(item.text, data["actor_mentions"], data["system_mentions"])
    return page_body(
        "dashboard/article.html",
        {"article": item, **data, "paragraphs": highlight(item.text, data["reports"], spans)},
        title=item.title,
    )


def _mention_spans(text: str, actor_mentions, system_mentions) -> list[tuple[int, int, dict]]:
    spans = []
    for mention in actor_mentions:
        link = {"url": mention.actor.get_absolute_url(), "label": mention.actor.name, "kind": "actor"}
        spans += [(s, e, link) for s, e in _offsets(mention.offsets, len(text))]
    for mention in system_mentions:
        link = {"url": mention.system.get_absolute_url(), "label": mention.system.name, "kind": "system"}
        spans += [(s, e, link) for s, e in _offsets(mention.offsets, len(text))]
    return spans


def _offsets(offsets, length: int) -> list[tuple[int, int]]:
    """Keep only well-formed [start, end] pairs that fall inside the text."""
    good = []
    for pair in offsets or []:
        if isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(v, int) for v in pair):
            start, end = pair
            if 0 <= start < end <= length:
                good.append((start, end))
    return good


def _non_overlapping(spans: list[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    kept: list[tuple[int, int, object]] = []
    for start, end, value in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, value))
    return kept


def _covering(spans: list[tuple[int, int, object]], starts: list[int], position: int):
    index = bisect.bisect_right(starts, position) - 1
    if index >= 0 and spans[index][0] <= position < spans[index][1]:
        return spans[index][2]
    return None


def highlight(text: str, reports, mentions: list[tuple[int, int, dict]] = ()) -> list[list[dict]]:
    """Split text into paragraphs of runs: plain text, or one statement (with its #statement-<id>).

    Each run is {"statement", "anchor", "parts"}; each part is {"text", "mention"}, where a
    mention links an actor or system. "anchor" is true on the first run of a statement
    (a statement may cross a paragraph break). Templates escape every part.
    """
    statements = _non_overlapping([(r.start, r.end, r.statement) for r in reports if 0 <= r.start < r.end <= len(text)])
    links = _non_overlapping(list(mentions))
    cuts = {0, len(text)}
    for start, end, _ in statements + links:
        cuts.update((start, end))
    breaks = {m.start(): m.end() for m in PARAGRAPH_BREAK.finditer(text)}
    for start, end in breaks.items():
        cuts.update((start, end))
    statement_starts = [s[0] for s in statements]
    link_starts = [s[0] for s in links]
    paragraphs: list[list[dict]] = [[]]
    anchored: set[int] = set()
    points = sorted(cuts)
    skip_until = -1
    for start, end in zip(points, points[1:], strict=False):
        if start < skip_until:
            continue
        if start in breaks:
            skip_until = breaks[start]
            paragraphs.append([])
            continue
        statement = _covering(statements, statement_starts, start)
        part = {"text": text[start:end], "mention": _covering(links, link_starts, start)}
        runs = paragraphs[-1]
        if runs and runs[-1]["statement"] is statement:
            runs[-1]["parts"].append(part)
            continue
        anchor = statement is not None and statement.pk not in anchored
        if anchor:
            anchored.add(statement.pk)
        runs.append({"statement": statement, "anchor": anchor, "parts": [part]})
    return [runs for runs in paragraphs if any(p["text"].strip() for run in runs for p in run["parts"])]


@analyst_required
def sources(request):
    page = cached("sources", (), _sources_body, timeout=min(SOURCES_CACHE_SECONDS, settings.DASHBOARD_CACHE_SECONDS))
    return render_page(request, page, nav="sources")


def _sources_body() -> dict:
    data = queries.sources_data()
    rows = []
    for source in data["sources"]:
        values = charts.dense(data["per_source"].get(source.pk, {}), data["days"])
        rows.append(
            {
                "source": source,
                "spark": charts.sparkline(values, width=120, height=24),
                "per_day": sum(values) / len(values),
            }
        )
    return page_body("dashboard/sources.html", {"rows": rows, "days": len(data["days"])}, title="Sources")


def demo_file(request, name: str):
    """Serve the synthetic demo feeds and pages, with {{BASE}} pointing at this server."""
    if not settings.DEMO_FEEDS:
        raise Http404("demo feeds are off")
    path = (DEMO_DIR / name).resolve()
    if DEMO_DIR.resolve() not in path.parents or not path.is_file():
        raise Http404("no such demo file")
    base = request.build_absolute_uri("/demo").rstrip("/")
    body = path.read_text(encoding="utf-8").replace("{{BASE}}", base)
    content_type = "application/xml" if path.suffix == ".xml" else "text/html"
    return HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
