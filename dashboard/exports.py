"""CSV and JSON exports of any filtered statements list or timeline, streamed row by row."""

from __future__ import annotations

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from tracker.models import Dispute

from . import queries, search
from .forms import FilterForm, statement_form
from .views.common import analyst_required

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
MAX_ROWS = 200_000
CHUNK = 1_000
STATEMENT_COLUMNS = [
    "statement_id",
    "said_on",
    "speaker",
    "speaker_slug",
    "speaker_as_written",
    "kind",
    "stance",
    "text",
    "article_id",
    "article_title",
    "article_source",
    "article_original_url",
    "dashboard_url",
]
TIMELINE_COLUMNS = ["type", "date", "id", "title", "text", "speaker", "kind", "stance", "source", "dashboard_url"]
# Spreadsheets run cells that start with these as formulas.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _stream(fmt: str, columns: list[str], rows, filename: str) -> StreamingHttpResponse:
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def body():
            yield "\ufeff" + writer.writerow(columns)
            for row in rows:
                yield writer.writerow([_cell(row.get(c)) for c in columns])

    else:

        def body():
            yield "[\n"
            first = True
            for row in rows:
                yield ("" if first else ",\n") + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
                first = False
            yield "\n]\n"

    response = StreamingHttpResponse(body(), content_type=FORMATS[fmt])
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404("export formats are csv and json")


@analyst_required
def statements_export(request, fmt: str):
    _check(fmt)
    filters = statement_form(request.GET, **queries.filter_choices()).values()
    queryset = queries.filter_statements(queries.statements_visible(), filters)
    if filters.get("q"):
        queryset = search.statements_matching(queryset, filters["q"])
    queryset = queryset.order_by("-said_on", "-id")
    return _stream(fmt, STATEMENT_COLUMNS, _statement_rows(request, queryset), "statements")


def _statement_rows(request, queryset):
    base = request.build_absolute_uri("/").rstrip("/")
    values = queryset.values_list(
        "id",
        "said_on",
        "speaker__name",
        "speaker__slug",
        "speaker_text",
        "kind",
        "stance",
        "text",
        "article_id",
        "article__title",
        "article__source__name",
        "article__url",
    )[:MAX_ROWS]
    for sid, said_on, name, slug, written, kind, stance, text, article_id, title, source, url in values.iterator(
        chunk_size=CHUNK
    ):
        yield {
            "statement_id": sid,
            "said_on": said_on,
            "speaker": name,
            "speaker_slug": slug,
            "speaker_as_written": written,
            "kind": kind,
            "stance": stance,
            "text": text,
            "article_id": article_id,
            "article_title": title,
            "article_source": source,
            "article_original_url": url,
            "dashboard_url": f"{base}{reverse('article', args=[article_id])}#statement-{sid}",
        }


@analyst_required
def timeline_export(request, slug: str, fmt: str):
    _check(fmt)
    dispute = get_object_or_404(Dispute, slug=slug)
    choices = queries.filter_choices(dispute=dispute)
    filters = FilterForm(request.GET, **choices, drop=("q", "dispute")).values()
    union = queries.timeline_union(queries.timeline_parts(dispute, filters), None)
    return _stream(fmt, TIMELINE_COLUMNS, _timeline_rows(request, union, dispute), f"timeline-{dispute.slug}")


def _timeline_rows(request, union, dispute):
    if union is None:
        return
    base = request.build_absolute_uri("/").rstrip("/")
    chunk: list[dict] = []
    for row in union[:MAX_ROWS].iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _timeline_chunk(base, chunk, dispute.get_absolute_url())
            chunk = []
    yield from _timeline_chunk(base, chunk, dispute.get_absolute_url())


def _timeline_chunk(base: str, rows: list[dict], dispute_url: str):
    for entry in queries.timeline_hydrate(rows):
        item, kind = entry["object"], entry["kind"]
        if kind == "milestone":
            row = {"title": item.title, "text": item.description, "kind": item.kind, "url": dispute_url}
        elif kind == "statement":
            speaker = item.speaker.name if item.speaker else item.speaker_text
            url = f"{reverse('article', args=[item.article_id])}#statement-{item.pk}"
            row = {
                "title": item.article.title,
                "text": item.text,
                "speaker": speaker,
                "kind": item.kind,
                "stance": item.stance,
                "source": item.article.source.name if item.article.source else "",
                "url": url,
            }
        else:
            row = {
                "title": item.title,
                "source": item.source.name if item.source else "",
                "url": item.get_absolute_url(),
            }
        url = row.pop("url")
        yield {"type": kind, "date": entry["day"], "id": item.pk, **row, "dashboard_url": base + url}
