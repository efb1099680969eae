"""Feed parsing (RSS, Atom, JSON Feed) with feedparser."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser

from .text import clean_line, html_to_text
from .types import FeedEntry
from .urls import is_http_url

# A feed item whose text is shorter than this is a summary; the page holds the article.
FULL_TEXT_MIN_CHARS = 600


class NotAFeed(ValueError):
    """The document is not a feed (an HTML page, a login form, garbage)."""


def _entry_datetime(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError):
                return None
    return None


def _entry_html(entry) -> tuple[str, bool]:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    if len(best) >= len(summary) and best:
        return best, True
    return summary, False


def parse_feed(body: bytes, base_url: str = "") -> list[FeedEntry]:
    """Return the entries of an RSS/Atom/JSON feed; raise NotAFeed if body is not one."""
    parsed = feedparser.parse(body, response_headers={"content-location": base_url} if base_url else None)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not a feed: {reason}" if reason else "not a feed: no RSS, Atom or JSON Feed found")
    entries = []
    for item in parsed.entries:
        link = (item.get("link") or "").strip()
        if not is_http_url(link):
            continue
        html, is_content = _entry_html(item)
        text = html_to_text(html)
        entries.append(
            FeedEntry(
                url=link,
                guid=clean_line(item.get("id") or "", limit=1000),
                title=clean_line(item.get("title") or "", limit=1000) or link,
                author=clean_line(item.get("author") or "", limit=300),
                published=_entry_datetime(item),
                text=text,
                has_full_text=is_content and len(text) >= FULL_TEXT_MIN_CHARS,
            )
        )
    return entries
