"""Template helpers: links to addresses we did not write, and query strings."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from django import forms, template
from django.forms.utils import flatatt
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def web_url(value: str) -> str:
    """Return value if it is an http(s) address, else "" (a javascript: or data: link becomes no link)."""
    text = (value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in ("http", "https") else ""


@register.simple_tag
def page_query(query: str, number: int) -> str:
    """Return "?<query>&page=N" for pagination links that keep the filters."""
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.simple_tag
def sparkline(spark: dict, label: str) -> str:
    """Render charts.sparkline() as a small inline SVG (no script; labelled for screen readers)."""
    return format_html(
        '<svg class="spark" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<title>{label}</title><path d="{path}"></path></svg>',
        w=spark["width"],
        h=spark["height"],
        label=label,
        path=spark["path"],
    )


@lru_cache(maxsize=64)
def _prefix(name: str, prefix: str) -> str:
    """Return the address of `name` up to its one argument (reversed once per script prefix)."""
    return reverse(name, args=[PLACEHOLDER]).removesuffix(f"{PLACEHOLDER}/")


PLACEHOLDER = "0"


def _path(name: str, arg) -> str:
    """reverse(name, args=[arg]) for the per-row links, without resolving the pattern each time."""
    return f"{_prefix(name, get_script_prefix())}{arg}/"


def _day(value) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@register.simple_tag
def statement_item(statement, marked=None) -> str:
    """Render one statement as a list item (the hot path of every list: built with format_html).

    Every value from the data goes through format_html's escaping; `marked` is a snippet
    that search.mark_snippet has already escaped.
    """
    if marked is None:
        marked = getattr(statement, "marked", None)
    if marked is not None:
        quote = marked
    elif statement.kind == "direct":
        quote = format_html("“{}”", statement.text)
    else:
        quote = statement.text
    if statement.speaker_id:
        who = format_html('<a href="{}">{}</a>', _path("actor", statement.speaker.slug), statement.speaker.name)
    elif statement.anonymous:
        who = format_html("Anonymous ({})", statement.speaker_text)
    else:
        who = statement.speaker_text or "Unattributed"
    said = statement.said_on
    when = format_html('<time datetime="{}">{}</time>', said.isoformat(), _day(said)) if said else "date unknown"
    article = statement.article
    source = format_html(' <span class="source">({})</span>', article.source.name) if article.source_id else ""
    return format_html(
        '<li class="statement stance-border-{stance}"><blockquote>{quote}</blockquote><p class="meta">{who} · {when}'
        ' · {kind} · <span class="stance stance-{stance}">{stance}</span> · <a href="{link}#statement-{pk}">{title}</a>'
        "{source}</p></li>",
        stance=statement.stance,
        quote=quote,
        who=who,
        when=when,
        kind=statement.get_kind_display(),
        link=_path("article", statement.article_id),
        pk=statement.pk,
        title=_truncate(article.title, 90),
        source=source,
    )


@register.simple_tag
def filter_field(field) -> str:
    """Render a filter form field: label, control, help and errors (choices built without per-option templates)."""
    widget = field.field.widget
    attrs = {"id": field.id_for_label, "name": field.html_name}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.id_for_label}-error"
    value = field.value()
    if hasattr(field.field, "choices") and not isinstance(widget, forms.TextInput):
        current = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(k), mark_safe(" selected") if str(k) == current else "", v) for k, v in field.field.choices),
        )
        control = format_html("<select{}>{}</select>", flatatt(attrs), options)
    else:
        attrs["type"] = getattr(widget, "input_type", "text")
        if value not in (None, ""):
            attrs["value"] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        max_length = getattr(field.field, "max_length", None)
        if max_length:
            attrs["maxlength"] = str(max_length)
        if field.help_text:
            attrs["placeholder"] = field.help_text
        control = format_html("<input{}>", flatatt(attrs))
    errors = (
        format_html('<p class="error" role="alert" id="{}-error">{}</p>', field.id_for_label, " ".join(field.errors))
        if field.errors
        else ""
    )
    wide = " field-wide" if field.name == "q" else ""
    problem = " has-error" if field.errors else ""
    return format_html(
        '<div class="field{}{}"><label for="{}">{}</label>{}{}</div>',
        wide,
        problem,
        field.id_for_label,
        field.label,
        control,
        errors,
    )
