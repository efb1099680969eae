"""Articles from local files: plain text (first line the title) or HTML pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path, PurePath

from .pages import extract_article
from .text import clean_line, clean_text, decode_document
from .types import ExtractedArticle

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def _iso_datetime(line: str) -> datetime | None:
    value = line.strip()
    if value.lower().startswith("published:"):
        value = value.split(":", 1)[1].strip()
    if not value or not value[:4].isdigit():
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_text_article(content: str, url: str = "") -> ExtractedArticle:
    """Read a plain-text article: line 1 is the title; an ISO date on line 2 is its publication time."""
    lines = content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = clean_line(lines[0]) if lines else ""
    published = _iso_datetime(lines[1]) if len(lines) > 1 else None
    body_lines = lines[2:] if published is not None else lines[1:]
    return ExtractedArticle(
        url=url, title=title, author="", published=published, text=clean_text("\n".join(body_lines))
    )


def read_article_file(path: Path, data: bytes | None = None) -> ExtractedArticle:
    """Read an article from a text or HTML file."""
    data = path.read_bytes() if data is None else data
    return article_from_bytes(path.name, data, url=path.resolve().as_uri())


def article_from_bytes(name: str, data: bytes, url: str = "") -> ExtractedArticle:
    """Read an article from the bytes of a text or HTML file called name (an upload, say)."""
    suffix = PurePath(name).suffix.lower()
    if suffix in HTML_SUFFIXES or data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return extract_article(data, url)
    return parse_text_article(decode_document(data), url)
