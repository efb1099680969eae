"""Check the tagger development set for internal consistency.

Run from the repository root: ``python tests/gold_dev/check.py``. Plain Python, no
Django. Like ``tests/gold_holdout/check.py``, it reuses every check of
``tests/gold/check_gold.py`` (file formats, ``published``, statement texts, weekday
dates, JSON shape) on this directory, plus the article-order check, with these
differences:

- the synthetic-article sentence is the development-set one;
- file names are ``dNN-short-slug.txt`` / ``.html`` (d for development);
- canonical actor, system and dispute names are read from ``tracker/reference/``
  (the list the tagger uses today) instead of the copy embedded in check_gold.py;
- a direct statement may also be a whole answer in a press-briefing transcript: a
  paragraph that starts with ``A: `` (the words after the label, exactly as printed,
  with no quote marks around them).

Exits non-zero and lists every problem found.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent.parent / "tracker" / "reference"
TRANSCRIPT_ANSWER = "A: "


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def with_transcript_answers(locate_direct):
    """Accept a direct text that is the whole of a transcript answer paragraph."""

    def locate(blocks, text):
        spans = locate_direct(blocks, text)
        if spans is not None:
            return spans
        for b, block in enumerate(blocks):
            if block.startswith(TRANSCRIPT_ANSWER) and block[len(TRANSCRIPT_ANSWER) :] == text:
                return [(b, len(TRANSCRIPT_ANSWER), len(block))]
        return None

    return locate


def main() -> int:
    cg = load_module("check_gold", HERE.parent / "gold" / "check_gold.py")
    cg.ARTICLES = HERE / "articles"
    cg.GOLD = HERE / "gold.json"
    cg.SYNTHETIC_NOTE = "This is a synthetic article written for the tagger development set."
    cg.locate_direct = with_transcript_answers(cg.locate_direct)
    cg.use_reference_names(REFERENCE)
    return cg.run(prefix="d", label="development set", ordered=True)


if __name__ == "__main__":
    sys.exit(main())
