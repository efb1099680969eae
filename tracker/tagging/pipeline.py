"""The whole tagging pipeline for one article."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .gazetteer import find_mentions
from .relevance import score_disputes
from .statements import find_statements
from .types import TagResult
from .vocabulary import Vocabulary


def tag_article(*, title: str, text: str, published: date | None, vocabulary: Vocabulary) -> TagResult:
    """Tag an article: offsets in the result are into text; the title counts for relevance."""
    mentions = find_mentions(text, vocabulary)
    title_mentions = find_mentions(title, vocabulary) if title else []
    system_ids = tuple(sorted({m.id for m in mentions if m.kind == "system"}))
    statements = [
        replace(s, system_ids=s.system_ids or system_ids)
        for s in find_statements(text, mentions, vocabulary, published)
    ]
    disputes = score_disputes(f"{title}\n{text}", [*title_mentions, *mentions], vocabulary)
    return TagResult(mentions=tuple(mentions), statements=tuple(statements), disputes=tuple(disputes))
