"""Feed discovery: the feeds a home page announces with <link rel="alternate">."""

from __future__ import annotations

from urllib.parse import urljoin

import lxml.html

from .text import decode_document
from .urls import is_http_url

FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
}


def find_feed_links(body: bytes, base_url: str, content_type: str = "") -> list[str]:
    """Return the feed URLs an HTML page links to, in page order, without duplicates."""
    text = decode_document(body, content_type)
    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(text.replace("\x00", ""))
    except (ValueError, lxml.etree.ParserError):
        return []
    base = root.xpath("string(//base/@href)") or base_url
    found: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = urljoin(urljoin(base_url, base), href)
            if is_http_url(url) and url not in found:
                found.append(url)
    return found
