"""The whole tagging pipeline for one article."""

from __future__ import annotations

from datetime import date

from .events import find_events
from .gazetteer import find_mentions
from .quotes import find_quotes
from .relevance import score_disputes
from .segments import segment
from .statements import find_headline_statements, find_statements
from .types import TagResult
from .vocabulary import Vocabulary


def tag_article(*, title: str, text: str, published: date | None, vocabulary: Vocabulary) -> TagResult:
    """Tag an article: offsets in the result are into text; the title counts for relevance."""
    segments = segment(text)
    mentions = find_mentions(text, vocabulary, published=published, furniture=segments.furniture)
    title_mentions = find_mentions(title, vocabulary, published=published) if title else []
    quotes = find_quotes(text, segments.paragraphs)
    disputes = score_disputes(title, text, [*title_mentions], mentions, segments, vocabulary)
    # Every statement in an article that belongs to no dispute is neutral toward the disputes.
    in_dispute = bool(disputes)
    statements = find_statements(text, segments, quotes, mentions, vocabulary, published, in_dispute=in_dispute)
    all_systems = tuple(sorted({m.id for m in mentions if m.kind == "system"}))
    headline = find_headline_statements(
        title, title_mentions, vocabulary, statements, published, all_systems, in_dispute=in_dispute
    )
    statements = headline + statements
    events = find_events(text, segments, mentions, disputes, vocabulary, published)
    candidates = tuple(dict.fromkeys((s.speaker_text, s.evidence) for s in statements if s.candidate))
    return TagResult(
        mentions=tuple(mentions),
        title_mentions=tuple(title_mentions),
        statements=tuple(statements),
        disputes=tuple(disputes),
        candidates=candidates,
        events=tuple(events),
    )
