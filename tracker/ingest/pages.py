"""Main text and metadata of an HTML article page, with trafilatura."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import trafilatura
from trafilatura.settings import use_config

from .feeds import refuse_entity_declarations
from .text import clean_line, clean_text, decode_document
from .types import ExtractedArticle
from .urls import is_http_url

_CONFIG = use_config()
# The timeout uses signals, which only work in a main thread; the fetch deadline bounds the input instead.
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


class NoArticleText(ValueError):
    """The page has no extractable article text."""


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _declared_canonical(text: str) -> str:
    for tag in _LINK_TAG.findall(text[:100_000]):
        attributes = {
            m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in _ATTRIBUTE.finditer(tag)
        }
        if "canonical" in attributes.get("rel", "").lower().split() and attributes.get("href"):
            return htmllib.unescape(attributes["href"])
    return ""


def _canonical(declared: str, url: str) -> str:
    """Honour rel=canonical only on the page's own host: another site cannot claim the URL."""
    if not declared:
        return url
    candidate = urljoin(url, declared.strip())
    if is_http_url(candidate) and (not is_http_url(url) or _host(candidate) == _host(url)):
        return candidate
    return url


def extract_article(html: str | bytes, url: str, content_type: str = "") -> ExtractedArticle:
    """Return the article in an HTML page; raise NoArticleText when there is none."""
    text = decode_document(html, content_type) if isinstance(html, bytes) else html
    refuse_entity_declarations(text)
    document = trafilatura.bare_extraction(
        text.replace("\x00", ""),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        config=_CONFIG,
    )
    if document is None or not (document.text or "").strip():
        raise NoArticleText(f"no article text found at {url[:200]}")
    return ExtractedArticle(
        url=_canonical(_declared_canonical(text), url),
        title=clean_line(document.title or "", limit=1000),
        author=clean_line(document.author or "", limit=300),
        published=_parse_date(document.date),
        text=clean_text(document.text.replace("\n", "\n\n")),
    )
