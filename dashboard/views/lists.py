"""The filtered streams: a dispute's timeline, and the statements and articles lists."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from tracker.models import Dispute

from .. import queries, search
from ..forms import FilterForm, statement_form
from .common import analyst_required, query_without


def _mark_results(page: queries.Page, text: str, field: str) -> None:
    """Attach a safe, highlighted `marked` snippet to each search result.

    PostgreSQL's ts_headline made `snippet`; the SQLite fallback marks the words itself.
    """
    postgres = queries.connection.vendor == "postgresql"
    for item in page.items:
        raw = (
            item.snippet
            if postgres
            else search.mark_words(getattr(item, field) or "", text, limit=search.SNIPPET_CHARS)
        )
        item.marked = search.mark_snippet(raw or "")


@analyst_required
def timeline(request, slug: str):
    dispute = get_object_or_404(Dispute, slug=slug)
    choices = queries.filter_choices(dispute=dispute)
    form = FilterForm(request.GET, **choices, drop=("q", "dispute"))
    filters = form.values()
    page = queries.timeline_page(dispute, filters, queries.page_number(request.GET.get("page")))
    template = "dashboard/_timeline_results.html" if request.GET.get("partial") == "1" else "dashboard/timeline.html"
    return render(
        request,
        template,
        {
            "dispute": dispute,
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "query": query_without(request, "page", "partial"),
            "nav": "home",
        },
    )


@analyst_required
def statements(request):
    choices = queries.filter_choices()
    disputes = list(Dispute.objects.only("slug", "name").order_by("name"))
    form = statement_form(request.GET, **choices, disputes=disputes)
    filters = form.values()
    page = queries.statements_page(filters, queries.page_number(request.GET.get("page")))
    if filters.get("q"):
        _mark_results(page, filters["q"], "text")
    return render(
        request,
        "dashboard/statements.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "search": filters.get("q", ""),
            "query": query_without(request, "page"),
            "nav": "statements",
        },
    )


@analyst_required
def articles(request):
    choices = queries.filter_choices()
    disputes = list(Dispute.objects.only("slug", "name").order_by("name"))
    form = FilterForm(request.GET, **choices, disputes=disputes, drop=("side", "kind", "stance"))
    filters = form.values()
    page = queries.articles_page(filters, queries.page_number(request.GET.get("page")))
    if filters.get("q"):
        # On SQLite the body is not loaded on list pages: the title carries the marks.
        _mark_results(page, filters["q"], "title")
    return render(
        request,
        "dashboard/articles.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "search": filters.get("q", ""),
            "query": query_without(request, "page"),
            "nav": "articles",
        },
    )
