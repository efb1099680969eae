"""The filtered streams: a dispute's timeline, and the statements and articles lists."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import get_template, render_to_string

from tracker.models import Dispute

from .. import queries, search
from ..cache import cached, cached_list, cached_rows, curated_version, dispute_version, query_parts
from ..forms import FilterForm, statement_form
from ..templatetags.dashboard import statement_item
from .common import analyst_required, page_body, query_without, render_page


def _mark_results(page: queries.Page, text: str, field: str) -> None:
    """Attach a safe, highlighted `marked` snippet to each search result.

    PostgreSQL's ts_headline made `snippet`; the SQLite fallback marks the words itself in
    `field` (articles: their text, read for this page's rows only — list pages defer it).
    """
    if queries.connection.vendor == "postgresql":
        for item in page.items:
            item.marked = search.mark_snippet(item.snippet or "")
        return
    if field == "text" and page.items and isinstance(page.items[0], queries.Article):
        texts = dict(queries.Article.objects.filter(pk__in=[a.pk for a in page.items]).values_list("pk", "text"))
    else:
        texts = {item.pk: getattr(item, field) for item in page.items}
    for item in page.items:
        item.marked = search.mark_snippet(search.mark_words(texts.get(item.pk) or "", text, limit=search.SNIPPET_CHARS))


@analyst_required
def timeline(request, slug: str):
    page = cached(
        "timeline", (slug, query_parts(request)), lambda: _timeline_body(request, slug), version=dispute_version(slug)
    )
    if request.GET.get("partial") == "1":
        return HttpResponse(page["body"])
    return render_page(request, page, nav="home")


def _timeline_body(request, slug: str) -> dict:
    dispute = get_object_or_404(Dispute, slug=slug)
    choices = queries.filter_choices(dispute=dispute)
    form = FilterForm(request.GET, **choices, drop=("q", "dispute"))
    filters = form.values()
    page = queries.timeline_page(dispute, filters, queries.page_number(request.GET.get("page")))
    template = "dashboard/_timeline_results.html" if request.GET.get("partial") == "1" else "dashboard/timeline.html"
    return page_body(
        template,
        {
            "dispute": dispute,
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "query": query_without(request, "page", "partial"),
        },
        title=f"Timeline: {dispute.name}",
        scripts=("js/timeline.js",),
    )


@dataclass(frozen=True)
class _List:
    """What differs between the statements list and the articles list."""

    name: str  # its address name, template and nav entry
    title: str
    row: str  # the cache name of its rows
    make_form: Callable[[QueryDict], FilterForm]
    search_page: Callable[[dict, int], queries.Page]
    ids_page: Callable[[dict, int], queries.Page]
    changed_since: Callable[[dict, dict], bool]
    rows: Callable[[list[int]], dict[int, str]]


def _list(request, kind: _List):
    # The form is built only when the cached body cannot simply be served (a cached page reads no choices).
    form = functools.cache(lambda: kind.make_form(request.GET))
    page = cached_list(
        kind.name,
        query_parts(request),
        lambda: _list_body(request, kind, form(), form().values()),
        unchanged_since=lambda old: not kind.changed_since(form().values(), old),
    )
    return render_page(request, page, nav=kind.name)


def _list_body(request, kind: _List, form: FilterForm, filters: dict) -> dict:
    number = queries.page_number(request.GET.get("page"))
    if filters.get("q"):
        page = kind.search_page(filters, number)
        _mark_results(page, filters["q"], "text")
    else:
        # Newest first: ids, then each row as rendered before (a new statement or article
        # pushes the rows of every page down one place; only the new one is rendered).
        page = kind.ids_page(filters, number)
        page.items = cached_rows(kind.row, page.items, kind.rows)
        page.rendered = True
    return page_body(
        f"dashboard/{kind.name}.html",
        {
            "fields": _filter_fields(kind.name, request, form),
            "page": page,
            "filtered": bool(filters),
            "search": filters.get("q", ""),
            "query": query_without(request, "page"),
        },
        title=kind.title,
    )


def _filter_fields(name: str, request, form: FilterForm) -> str:
    """A list's filter fields as HTML: the same on every page of one set of filters, so rendered once for them."""
    values = tuple(part for part in query_parts(request) if part[0] != "page")
    return cached(
        "filter-fields",
        (name, values),
        lambda: render_to_string("dashboard/_filter_fields.html", {"form": form}),
        version=curated_version(),  # the choices change only through the admin
    )


def _statement_rows(ids: list[int]) -> dict[int, str]:
    return {pk: statement_item(statement) for pk, statement in queries.statements_by_id(ids).items()}


def _article_rows(ids: list[int]) -> dict[int, str]:
    row = get_template("dashboard/_article_row.html")
    return {pk: row.render({"article": article}) for pk, article in queries.articles_by_id(ids).items()}


STATEMENTS = _List(
    name="statements",
    title="Statements",
    row="statement-row",
    make_form=lambda data: statement_form(data, **queries.filter_choices()),
    search_page=queries.statements_page,
    ids_page=queries.statement_ids_page,
    changed_since=queries.statements_changed_since,
    rows=_statement_rows,
)
ARTICLES = _List(
    name="articles",
    title="Articles",
    row="article-row",
    make_form=lambda data: FilterForm(data, **queries.filter_choices(), drop=("side", "kind", "stance")),
    search_page=queries.articles_page,
    ids_page=queries.article_ids_page,
    changed_since=queries.articles_changed_since,
    rows=_article_rows,
)


@analyst_required
def statements(request):
    return _list(request, STATEMENTS)


@analyst_required
def articles(request):
    return _list(request, ARTICLES)
