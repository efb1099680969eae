"""Main text and metadata of an HTML article page, with trafilatura."""

from __future__ import annotations

from datetime import UTC, datetime

import trafilatura
from trafilatura.settings import use_config

from .text import clean_line, clean_text
from .types import ExtractedArticle

_CONFIG = use_config()
# Dates are checked by the caller against the fetch time; no extensive guessing here.
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


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


def extract_article(html: str | bytes, url: str) -> ExtractedArticle:
    """Return the article in an HTML page; raise NoArticleText when there is none."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, config=_CONFIG
    )
    if document is None or not (document.text or "").strip():
        raise NoArticleText(f"no article text found at {url[:200]}")
    return ExtractedArticle(
        url=document.url or url,
        title=clean_line(document.title or "", limit=1000),
        author=clean_line(document.author or "", limit=300),
        published=_parse_date(document.date),
        text=clean_text(document.text.replace("\n", "\n\n")),
    )
