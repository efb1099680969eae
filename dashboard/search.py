"""Full-text search: PostgreSQL websearch queries with ranking and highlighted snippets;
a plain substring search on SQLite.

Snippets come back with private markers around the matched words; `mark_snippet`
escapes everything else before turning the markers into <mark> elements, so text from
feeds never reaches the page as markup.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet, Subquery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
START, STOP = "\x02", "\x03"
# Rank among the newest matches only, so a very common word costs the same as a rare one.
RANK_WINDOW = 2_000
# Statements: the newest matches are looked for among the newest rows first (reading only
# their recent heap pages); when those hold a full window of matches, they are the newest
# overall. Phrases ("working group") went from ~40-100 ms to ~20 ms on 300,000 statements.
RECENT_STATEMENTS = 40_000
SNIPPET_CHARS = 240


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text.replace('"', " ")) if w.strip("-")][:10]


def _headline(field: str, query: SearchQuery, *, whole: bool) -> SearchHeadline:
    options = {"start_sel": START, "stop_sel": STOP, "config": CONFIG}
    if whole:
        options["highlight_all"] = True
    else:
        options.update(max_words=30, min_words=12, max_fragments=2, fragment_delimiter=" … ")
    return SearchHeadline(field, query, **options)


def statements_matching(queryset: QuerySet, text: str) -> QuerySet:
    """Return every statement matching `text`, unranked (exports, cache checks)."""
    return _matching(queryset, text, ("text", "speaker_text"))


def _matching(queryset: QuerySet, text: str, fields: tuple[str, ...]) -> QuerySet:
    """Filter to rows matching `text`: the full-text index on PostgreSQL, else each word in one of `fields`."""
    if _postgres():
        return queryset.filter(search_vector=SearchQuery(text, search_type="websearch", config=CONFIG))
    condition = Q()
    for word in _words(text):
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__icontains": word})
        condition &= either
    return queryset.filter(condition)


def statements(queryset: QuerySet, text: str) -> QuerySet:
    """Return statements matching `text`, best first, each with a `snippet` (marked text)."""
    if _postgres():
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        return (
            _newest_matches(queryset, query)
            .annotate(rank=SearchRank(F("search_vector"), query), snippet=_headline("text", query, whole=True))
            .order_by("-rank", "-said_on", "-id")
        )
    return statements_matching(queryset, text).order_by("-said_on", "-id")


def _newest_matches(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """Return the newest RANK_WINDOW rows of `queryset` that match `query`.

    A common word matches tens of thousands of rows spread over the whole table: finding
    the newest of them through the full-text index alone reads every matching row's page.
    So the newest rows are asked first; when they hold a full window, the window is every
    match from the oldest of it on (an id range the next query reads cheaply).
    """
    matching = queryset.filter(search_vector=query)
    ids = matching.order_by("-id").values_list("id", flat=True)
    newest_id = queryset.model.objects.order_by("-id").values("id")[:1]
    recent = list(ids.filter(id__gt=Subquery(newest_id) - RECENT_STATEMENTS)[RANK_WINDOW - 1 : RANK_WINDOW])
    if recent:
        return matching.filter(id__gte=recent[0])
    return queryset.filter(id__in=ids[:RANK_WINDOW])


def articles_matching(queryset: QuerySet, text: str) -> QuerySet:
    """Return every article matching `text`, unranked."""
    return _matching(queryset, text, ("title", "text"))


def articles(queryset: QuerySet, text: str) -> QuerySet:
    """Return articles matching `text`, best first, each with a `snippet` (marked excerpt)."""
    if _postgres():
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        newest = queryset.filter(search_vector=query).order_by("-id").values("id")[:RANK_WINDOW]
        return (
            queryset.filter(id__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), query), snippet=_headline("text", query, whole=False))
            .order_by("-rank", "-published_at", "-id")
        )
    return articles_matching(queryset, text).order_by("-published_at", "-id")


def mark_words(text: str, query: str, *, limit: int | None = None) -> str:
    """Put the private markers around `query`'s words in `text` (the SQLite fallback's snippets)."""
    words = [re.escape(w.strip("-")) for w in _words(query) if w.strip("-")]
    if not words:
        return text[:limit] if limit else text
    pattern = re.compile("|".join(words), re.IGNORECASE)
    if limit:
        first = pattern.search(text)
        start = max(0, first.start() - limit // 3) if first else 0
        end = start + limit
        # Cut at spaces, not inside words (when one is near).
        if start:
            space = text.find(" ", start, first.start() if first else end)
            start = space + 1 if space != -1 else start
        if end < len(text):
            space = text.rfind(" ", max(start, end - 30), end)
            end = space if space != -1 else end
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)


def mark_snippet(snippet: str) -> SafeString:
    """Escape a marked snippet and turn its markers into <mark> elements."""
    escaped = escape(snippet)
    depth = 0
    out = []
    for char in escaped:
        if char == START:
            if depth == 0:
                out.append("<mark>")
            depth += 1
        elif char == STOP:
            if depth == 1:
                out.append("</mark>")
            depth = max(0, depth - 1)
        else:
            out.append(char)
    if depth:
        out.append("</mark>")
    return mark_safe("".join(out))
