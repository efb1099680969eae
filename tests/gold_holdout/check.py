"""Check the held-out tagger gold set for internal consistency.

Run from the repository root: ``python tests/gold_holdout/check.py``. Plain Python, no
Django. It reuses every check of ``tests/gold/check_gold.py`` (file formats,
``published``, statement texts, weekday dates, JSON shape) on this directory, with three
differences:

- the synthetic-article sentence is the held-out one;
- file names are ``hNN-short-slug.txt`` / ``.html`` (h for held-out);
- canonical actor, system and dispute names are read from ``tracker/reference/``
  (the list the tagger uses today) instead of the copy embedded in check_gold.py.

Exits non-zero and lists every problem found.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent.parent / "tracker" / "reference"


def load_checker():
    spec = importlib.util.spec_from_file_location("check_gold", HERE.parent / "gold" / "check_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    cg = load_checker()
    cg.ARTICLES = HERE / "articles"
    cg.GOLD = HERE / "gold.json"
    cg.SYNTHETIC_NOTE = "This is a synthetic article written for the tagger held-out set."
    cg.use_reference_names(REFERENCE)
    # The article-order check is check_gold's `check_order`.
    return cg.run(prefix="h", label="held-out gold set", ordered=True)


if __name__ == "__main__":
    sys.exit(main())
