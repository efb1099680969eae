"""The analyst-facing pages."""

from __future__ import annotations

from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from tracker.models import Actor, Article, Dispute, Event, Statement, WeaponsSystem

from . import charts

DEMO_DIR = Path(settings.BASE_DIR) / "tracker" / "demo"
LATEST = 20


def analyst_required(view):
    """Require a login unless the operator made the dashboard public."""
    protected = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.DASHBOARD_PUBLIC:
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    return wrapper


def _latest_statements(queryset, limit: int = LATEST):
    return list(queryset.with_related().filter(speaker__isnull=False).order_by("-said_on", "-id")[:limit])


@analyst_required
def home(request):
    disputes = list(Dispute.objects.annotate(article_count=Count("article_links")).order_by("name"))
    return render(
        request,
        "dashboard/home.html",
        {"disputes": disputes, "statements": _latest_statements(Statement.objects.all(), 10)},
    )


@analyst_required
def dispute(request, slug: str):
    item = get_object_or_404(Dispute, slug=slug)
    article_rows = (
        Article.objects.filter(dispute_links__dispute=item, published_at__isnull=False)
        .annotate(day=TruncDate("published_at"))
        .values_list("day")
        .annotate(n=Count("id"))
    )
    statement_rows = (
        Statement.objects.filter(disputes=item, said_on__isnull=False).values_list("said_on").annotate(n=Count("id"))
    )
    events = list(item.events.filter(review=Event.Review.CONFIRMED).order_by("date"))
    series = {
        "articles": charts.weekly_series(article_rows),
        "statements": charts.weekly_series(statement_rows),
        "milestones": charts.milestone_markers(events),
    }
    parties = item.party_links.select_related("actor").order_by("side", "actor__name")
    return render(
        request,
        "dashboard/dispute.html",
        {
            "dispute": item,
            "parties": parties,
            "systems": item.systems.all(),
            "events": events,
            "series": series,
            "statements": _latest_statements(Statement.objects.for_dispute(item)),
        },
    )


@analyst_required
def article(request, pk: int):
    item = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    reports = list(item.statement_reports.select_related("statement__speaker").order_by("start"))
    return render(request, "dashboard/article.html", {"article": item, "paragraphs": _highlight(item.text, reports)})


def _highlight(text: str, reports) -> list[list[dict]]:
    """Split text into paragraphs of plain and statement pieces (templates escape every piece)."""
    pieces: list[dict] = []
    position = 0
    for report in reports:
        if report.start < position or report.end > len(text):
            continue
        pieces.append({"text": text[position : report.start]})
        pieces.append({"text": text[report.start : report.end], "statement": report.statement})
        position = report.end
    pieces.append({"text": text[position:]})
    paragraphs: list[list[dict]] = [[]]
    for piece in pieces:
        parts = piece["text"].split("\n\n")
        for index, part in enumerate(parts):
            if index:
                paragraphs.append([])
            if part:
                paragraphs[-1].append({**piece, "text": part})
    return [p for p in paragraphs if p]


@analyst_required
def actor(request, slug: str):
    item = get_object_or_404(Actor.objects.select_related("affiliation"), slug=slug)
    return render(
        request,
        "dashboard/actor.html",
        {
            "actor": item,
            "aliases": item.aliases.order_by("text"),
            "statements": _latest_statements(item.statements.all(), 50),
        },
    )


@analyst_required
def system(request, slug: str):
    item = get_object_or_404(WeaponsSystem.objects.select_related("maker", "origin"), slug=slug)
    return render(
        request,
        "dashboard/system.html",
        {
            "system": item,
            "aliases": item.aliases.order_by("text"),
            "statements": _latest_statements(item.statements.all(), 50),
        },
    )


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
