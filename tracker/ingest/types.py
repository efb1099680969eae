"""The data the ingestion pipeline hands to the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as found in the feed."""

    url: str
    guid: str
    title: str
    author: str
    published: datetime | None
    text: str
    has_full_text: bool


@dataclass(frozen=True)
class ExtractedArticle:
    """The main text and metadata of an HTML article page."""

    url: str
    title: str
    author: str
    published: datetime | None
    text: str


@dataclass(frozen=True)
class FetchResult:
    """What a fetch returned; body is empty when the server answered 304."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304
