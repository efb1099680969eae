"""The analyst-facing pages (function views), split by concern."""

from .common import analyst_required, with_csp
from .lists import articles, statements, timeline
from .pages import actor, article, demo_file, dispute, home, sources, system
from .probe import one_query

__all__ = [
    "actor",
    "analyst_required",
    "article",
    "articles",
    "demo_file",
    "dispute",
    "home",
    "one_query",
    "sources",
    "statements",
    "system",
    "timeline",
    "with_csp",
]
