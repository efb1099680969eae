"""Atom feeds of new statements, per dispute and per actor (django.contrib.syndication).

Entry titles are plain text; summaries are HTML that we escape ourselves, so a reader
shows a statement's markup as text instead of rendering it.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from tracker.models import Actor, Dispute

from . import refresh
from .cache import cached
from .queries import statements_visible

FEED_SIZE = 50


class _StatementsFeed(Feed):
    feed_type = Atom1Feed

    def items(self, obj):
        # Newest recorded first: ids grow as statements are found.
        return self.statements(obj).order_by("-id")[:FEED_SIZE]

    def item_title(self, item) -> str:
        who = item.speaker.name if item.speaker else (item.speaker_text or "Unattributed")
        return f"{who}: {Truncator(item.text).chars(120)}"

    def item_description(self, item) -> str:
        said = item.said_on.isoformat() if item.said_on else "date unknown"
        source = item.article.source.name if item.article.source else "uploaded article"
        return f"<p>{escape(item.text)}</p><p>{escape(said)} · {escape(item.get_kind_display())} · {escape(item.stance)} · {escape(source)}</p>"

    def item_link(self, item) -> str:
        return f"{reverse('article', args=[item.article_id])}#statement-{item.pk}"

    def item_guid(self, item) -> str:
        return f"urn:arms-dispute-tracker:statement:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_reported_at or item.created_at

    def item_updateddate(self, item):
        return item.created_at

    def item_author_name(self, item) -> str:
        return item.speaker.name if item.speaker else item.speaker_text


class DisputeStatementsFeed(_StatementsFeed):
    def get_object(self, request, slug: str) -> Dispute:
        return get_object_or_404(Dispute, slug=slug)

    def title(self, obj: Dispute) -> str:
        return f"New statements: {obj.name}"

    def subtitle(self, obj: Dispute) -> str:
        return f"Statements recorded in the {obj.name} dispute, newest first."

    def link(self, obj: Dispute) -> str:
        return obj.get_absolute_url()

    def statements(self, obj: Dispute):
        return statements_visible().filter(disputes=obj)


class ActorStatementsFeed(_StatementsFeed):
    def get_object(self, request, slug: str) -> Actor:
        return get_object_or_404(Actor, slug=slug)

    def title(self, obj: Actor) -> str:
        return f"New statements by {obj.name}"

    def subtitle(self, obj: Actor) -> str:
        return f"Statements attributed to {obj.name}, newest first."

    def link(self, obj: Actor) -> str:
        return obj.get_absolute_url()

    def statements(self, obj: Actor):
        return statements_visible().filter(speaker=obj)


def cached_feed(feed: Feed, *, scope=None):
    """Serve `feed` from the cache until the data version moves (entries carry absolute
    links, so the host and scheme are part of the key); `scope`: a function of the `slug`
    argument giving a narrower version (`dispute_version`, `actor_version`)."""

    def view(request, *args, **kwargs):
        def build() -> tuple[str, bytes]:
            response = feed(request, *args, **kwargs)
            return response["Content-Type"], response.content

        version = scope(kwargs["slug"]) if scope else None
        content_type, content = cached(
            "feed", (request.scheme, request.get_host(), request.path), build, version=version
        )
        response = HttpResponse(content, content_type=content_type)
        refresh.note_read(request, response)  # feed readers poll: render it again after new data
        return response

    return view
