"""OPML in and out, the way feed readers move subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .urls import is_http_url


class InvalidOPML(ValueError):
    """The file is not OPML we can read."""


@dataclass(frozen=True)
class Subscription:
    title: str
    url: str


def parse_opml(data: bytes) -> list[Subscription]:
    """Return the feed subscriptions of an OPML document (entities and DTDs refused)."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise InvalidOPML(f"not valid OPML: {exc}") from exc
    if root.tag.lower() != "opml":
        raise InvalidOPML(f"not OPML: the root element is <{root.tag}>")
    found: dict[str, Subscription] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue
        if not is_http_url(url):
            raise InvalidOPML(f"not an http(s) feed URL: {url[:200]!r}")
        title = (outline.get("title") or outline.get("text") or url).strip()[:200]
        found.setdefault(url, Subscription(title, url))
    return list(found.values())


def write_opml(subscriptions: list[Subscription], title: str = "Arms dispute tracker sources") -> str:
    """Return an OPML 2.0 document listing subscriptions."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    body = SubElement(root, "body")
    for sub in subscriptions:
        SubElement(body, "outline", type="rss", text=sub.title, title=sub.title, xmlUrl=sub.url)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"
