"""Plain text from HTML fragments and bytes of unknown encoding, cleaned for storage."""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import lxml.html

BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article")
MAX_TEXT_CHARS = 200_000
TRUNCATION_MARKER = " […truncated]"
# Runs of spaces that need rewriting to one space: a lone " " (every gap between two words) is
# left alone, which makes cleaning an ordinary text several times faster.
_SPACES = re.compile(r"[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*| [ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")
# Control characters other than tab and newline; NUL in particular, which PostgreSQL rejects.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def cap(text: str, limit: int) -> str:
    """Return text cut to at most limit characters, ending with a marker when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(TRUNCATION_MARKER))].rstrip() + TRUNCATION_MARKER


def clean_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Strip NUL and control characters, collapse spaces, keep paragraph breaks, cap the length."""
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]
    return cap(_BLANKS.sub("\n\n", "\n".join(lines)).strip(), limit)


def clean_line(text: str, limit: int = 1000) -> str:
    """Return text as one cleaned line of at most limit characters."""
    return clean_text(text.replace("\n", " ").replace("\r", " "), limit=limit)


def html_to_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment, one paragraph per block element."""
    if not fragment or not fragment.strip():
        return ""
    fragment = _CONTROLS.sub("", fragment)
    if "<" not in fragment:
        return clean_text(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return clean_text(fragment)
    for bad in root.xpath("//script|//style|//noscript|//iframe"):
        bad.drop_tree()
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n\n" + (element.text or "")
    return clean_text(root.text_content())


def declared_charset(body: bytes, content_type: str = "") -> str:
    """Return the charset a document claims: the HTTP header, else the XML declaration or HTML meta."""
    for match in (
        _HEADER_CHARSET.search(content_type or ""),
        _XML_ENCODING.search(body[:200]),
        _META_CHARSET.search(body[:4096]),
    ):
        if match:
            value = match.group(1)
            return (value.decode("ascii", "ignore") if isinstance(value, bytes) else value).lower()
    return ""


def _usable(charset: str) -> str:
    try:
        return codecs.lookup(charset).name if charset else ""
    except LookupError:
        return ""


def decode_document(body: bytes, content_type: str = "") -> str:
    """Return body as text, trusting evidence over claims.

    A byte-order mark wins; then UTF-8 if the bytes are valid UTF-8 (other encodings
    almost never are); then the declared charset if the bytes decode under it; then a
    statistical guess. Headers and declarations often lie, the bytes do not.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _usable(declared_charset(body, content_type))
    if declared and declared not in ("utf-8", "ascii"):
        try:
            return body.decode(declared)
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return body.decode(encoding, errors="replace")
