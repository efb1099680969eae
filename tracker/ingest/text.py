"""Plain text from HTML fragments, cleaned for storage."""

from __future__ import annotations

import re

import lxml.html

BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article")
MAX_TEXT_CHARS = 200_000
TRUNCATION_MARKER = " […truncated]"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")


def clean_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Strip NUL and control characters, collapse spaces, keep paragraph breaks, cap the length."""
    text = text.replace("\x00", "")
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " " or ch == "\r")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANKS.sub("\n\n", "\n".join(lines)).strip()
    if len(text) > limit:
        text = text[:limit] + TRUNCATION_MARKER
    return text


def clean_line(text: str, limit: int = 1000) -> str:
    """Return text as one cleaned line of at most limit characters."""
    return clean_text(text.replace("\n", " "), limit=limit)


def html_to_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment, one paragraph per block element."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment:
        return clean_text(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment.replace("\x00", ""), create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return clean_text(fragment)
    for bad in root.xpath("//script|//style|//noscript|//iframe"):
        bad.drop_tree()
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n\n" + (element.text or "")
    return clean_text(root.text_content())
