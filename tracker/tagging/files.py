"""Tag an article file (text or HTML) into the `extract --json` shape: what `extract` and the evaluation share."""

from __future__ import annotations

from pathlib import Path

from ..ingest.files import read_article_file
from .pipeline import tag_article
from .report import result_to_json
from .vocabulary import Vocabulary


def tag_file(path: Path, vocabulary: Vocabulary) -> dict:
    """Read path and return its tagging as the contract's JSON object."""
    article = read_article_file(path)
    published = article.published.date() if article.published else None
    result = tag_article(title=article.title, text=article.text, published=published, vocabulary=vocabulary)
    return result_to_json(
        path=str(path), title=article.title, published=published, result=result, vocabulary=vocabulary
    )
