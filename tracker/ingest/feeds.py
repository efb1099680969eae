"""Feed parsing: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed, and news sitemaps.

Every document is decoded by evidence (see text.decode_document) and checked before
any XML parser sees it: a document that declares XML entities is refused, so neither
entity expansion ("billion laughs") nor external entities (local files, URLs) can
happen. feedparser strips most declarations itself; refusing them is clearer and
does not depend on its internals.
"""

from __future__ import annotations

import calendar
import io
import json
import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import defusedxml.ElementTree as SafeET
import feedparser
from defusedxml import DefusedXmlException

from .text import clean_line, clean_text, decode_document, html_to_text
from .types import FeedEntry
from .urls import is_http_url

# Inline content shorter than this that ends like an excerpt ("…", "Read more") is a
# summary; the page holds the article. Items with only a description always are.
FULL_TEXT_MIN_CHARS = 600
_TRUNCATED = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading|more\s*»)\W*$", re.IGNORECASE)
MAX_ENTRIES = 2000
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class NotAFeed(ValueError):
    """The document is not a feed (an HTML page, a login form, garbage)."""


class UnsafeDocument(ValueError):
    """The document declares XML entities; it is refused before any parser sees it."""


def refuse_entity_declarations(text: str) -> None:
    """Raise UnsafeDocument if the document's prolog declares XML entities."""
    first = _FIRST_ELEMENT.search(text)
    prolog = text[: first.start()] if first else text
    if _ENTITY_DECLARATION.search(prolog):
        raise UnsafeDocument("refused: the document declares XML entities (entity expansion or external entities)")


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _struct_datetime(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _iso_datetime(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return _as_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def _entry(base_url: str, link: str, guid, title, author, published, text: str, is_content: bool):
    link = urljoin(base_url, (link or "").strip()) if base_url else (link or "").strip()
    if not is_http_url(link):
        return None
    return FeedEntry(
        url=link,
        guid=clean_line(str(guid or ""), limit=1000),
        title=clean_line(title or "", limit=1000) or link[:1000],
        author=clean_line(author or "", limit=300),
        published=published,
        text=text,
        has_full_text=is_content and (len(text) >= FULL_TEXT_MIN_CHARS or not _TRUNCATED.search(text)),
    )


def _feedparser_entries(text: str, base_url: str, warnings: list[str]) -> list[FeedEntry]:
    data = _XML_DECLARATION.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1).encode("utf-8")
    # A file-like object: given bytes, feedparser would first try them as a local file name.
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": "application/xml; charset=utf-8", "content-location": base_url},
        sanitize_html=False,  # we keep only text, never the feed's HTML
        resolve_relative_uris=False,
    )
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise NotAFeed(f"not a feed: {reason}" if reason else "not a feed: no RSS, Atom or JSON Feed found")
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        warnings.append(f"malformed XML, read leniently: {str(parsed['bozo_exception'])[:300]}")
    entries = []
    for item in parsed.entries[:MAX_ENTRIES]:
        contents = item.get("content") or []
        best = max((c.get("value", "") for c in contents), key=len, default="")
        summary = item.get("summary", "") or ""
        html, is_content = (best, True) if best and len(best) >= len(summary) else (summary, False)
        published = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            if item.get(key):
                published = _struct_datetime(item[key])
                break
        entry = _entry(
            base_url,
            item.get("link"),
            item.get("id"),
            item.get("title"),
            item.get("author"),
            published,
            html_to_text(html),
            is_content,
        )
        if entry is not None:
            entries.append(entry)
    return entries


def _json_feed_entries(text: str, base_url: str) -> list[FeedEntry]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise NotAFeed(f"not a feed: invalid JSON ({exc})") from exc
    if not isinstance(document, dict) or "jsonfeed.org/version" not in str(document.get("version", "")):
        raise NotAFeed("not a feed: JSON without a JSON Feed version")
    items = document.get("items")
    if not isinstance(items, list):
        raise NotAFeed("not a feed: JSON Feed without items")
    entries = []
    for item in items[:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        author = ", ".join(a.get("name", "") for a in authors if isinstance(a, dict) and a.get("name"))
        content_html, content_text = item.get("content_html"), item.get("content_text")
        summary = item.get("summary") or ""
        if isinstance(content_html, str) and content_html:
            text, is_content = html_to_text(content_html), True
        elif isinstance(content_text, str) and content_text:
            text, is_content = clean_text(content_text), True
        else:
            text, is_content = clean_text(str(summary)), False
        published = _iso_datetime(item.get("date_published")) or _iso_datetime(item.get("date_modified"))
        link = item.get("url") or item.get("external_url") or ""
        entry = _entry(
            base_url,
            link if isinstance(link, str) else "",
            item.get("id"),
            item.get("title") if isinstance(item.get("title"), str) else "",
            author,
            published,
            text,
            is_content,
        )
        if entry is not None:
            entries.append(entry)
    return entries


def _sitemap_entries(text: str, base_url: str) -> list[FeedEntry]:
    try:
        root = SafeET.fromstring(text.encode("utf-8"), forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise NotAFeed(f"not a sitemap: {exc}") from exc
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        raise NotAFeed("a sitemap index, not a sitemap: add its news sitemaps as sources")
    if root.tag != f"{SITEMAP_NS}urlset":
        raise NotAFeed(f"not a sitemap: the root element is <{root.tag}>")
    entries = []
    for url in root.iter(f"{SITEMAP_NS}url"):
        loc = (url.findtext(f"{SITEMAP_NS}loc") or "").strip()
        news = url.find(f"{NEWS_NS}news")
        title = news.findtext(f"{NEWS_NS}title") if news is not None else ""
        date = news.findtext(f"{NEWS_NS}publication_date") if news is not None else url.findtext(f"{SITEMAP_NS}lastmod")
        entry = _entry(base_url, loc, loc, title, "", _iso_datetime(date), "", False)
        if entry is not None:
            entries.append(entry)
        if len(entries) >= MAX_ENTRIES:
            break
    return entries


def parse_feed(
    body: bytes, base_url: str = "", content_type: str = "", warnings: list[str] | None = None
) -> list[FeedEntry]:
    """Return the entries of an RSS/Atom/JSON feed; raise NotAFeed or UnsafeDocument.

    Problems that did not stop parsing (malformed XML read leniently) go to warnings.
    """
    text = decode_document(body, content_type)
    if text.lstrip()[:1] in ("{", "["):
        return _json_feed_entries(text, base_url)
    refuse_entity_declarations(text)
    return _feedparser_entries(text, base_url, warnings if warnings is not None else [])


def parse_sitemap(body: bytes, base_url: str = "", content_type: str = "") -> list[FeedEntry]:
    """Return the article URLs of a (news) sitemap as summary-only entries."""
    text = decode_document(body, content_type)
    refuse_entity_declarations(text)
    return _sitemap_entries(text, base_url)
