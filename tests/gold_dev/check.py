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
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REFERENCE = ROOT / "tracker" / "reference"
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
            if block.startswith(TRANSCRIPT_ANSWER) and block[len(TRANSCRIPT_ANSWER):] == text:
                return [(b, len(TRANSCRIPT_ANSWER), len(block))]
        return None

    return locate


def check_order(cg, name: str, entry: dict, problems: list[str]) -> None:
    """Statements are listed in the order they appear (headline first).

    Same check as tests/gold_holdout/check.py: each statement must have an occurrence
    that starts no earlier than the previous statement's (joint statements share a
    position).
    """
    scratch: list[str] = []
    _, headline, paragraphs = cg.load_article(cg.ARTICLES / name, scratch)
    blocks = [headline] + paragraphs
    previous = (0, 0)
    for n, st in enumerate(entry.get("statements", []), 1):
        text = st.get("text") or ""
        if st.get("kind") == "direct":
            spans = cg.locate_direct(blocks, text)
            if not spans:
                continue  # reported by check_article
            b, s, e = spans[0]
            key = blocks[b][s:e][:25]
        else:
            key = text[:25]
        occurrences = [(b, m.start()) for b, block in enumerate(blocks) for m in re.finditer(re.escape(key), block)]
        later = [pos for pos in occurrences if pos >= previous]
        if not later:
            problems.append(f"{name} statement {n}: out of article order")
            continue
        previous = min(later)


def main() -> int:
    cg = load_module("check_gold", HERE.parent / "gold" / "check_gold.py")
    cg.ARTICLES = HERE / "articles"
    cg.GOLD = HERE / "gold.json"
    cg.SYNTHETIC_NOTE = "This is a synthetic article written for the tagger development set."
    cg.locate_direct = with_transcript_answers(cg.locate_direct)
    actors = json.loads((REFERENCE / "actors.json").read_text(encoding="utf-8"))
    systems = json.loads((REFERENCE / "systems.json").read_text(encoding="utf-8"))
    cg.CANONICAL_ACTORS = {a["name"] for a in actors}
    cg.CANONICAL_SYSTEMS = {s["name"] for s in systems}
    cg.DISPUTES = {
        json.loads(p.read_text(encoding="utf-8"))["slug"] for p in (REFERENCE / "disputes").glob("*.json")
    }

    problems: list[str] = []
    try:
        gold = json.loads(cg.GOLD.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"gold.json cannot be read: {exc}")
        return 1
    if not isinstance(gold, dict):
        print("gold.json must be an object keyed by article file name")
        return 1

    files = {p.name for p in cg.ARTICLES.iterdir() if p.suffix in {".txt", ".html"}}
    for name in sorted(files - set(gold)):
        problems.append(f"{name}: article has no gold entry")
    for name in sorted(set(gold) - files):
        problems.append(f"{name}: gold entry has no article file")
    for name in sorted(files):
        if not re.fullmatch(r"d\d{2}-[a-z0-9-]+\.(txt|html)", name):
            problems.append(f"{name}: file names are dNN-short-slug.txt or .html")
    for name in sorted(set(gold) & files):
        cg.check_article(name, gold[name], problems)
        check_order(cg, name, gold[name], problems)

    statements = [st for entry in gold.values() for st in entry.get("statements", [])]
    direct = sum(st.get("kind") == "direct" for st in statements)
    anonymous = sum(bool(st.get("anonymous")) for st in statements)
    print(
        f"{len(gold)} articles, {len(statements)} statements "
        f"({direct} direct, {len(statements) - direct} reported, {anonymous} anonymous)"
    )
    for problem in problems:
        print("PROBLEM:", problem)
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    print("development set is consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
