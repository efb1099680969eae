"""Regular expressions for sets of words, shaped so that the regex engine scans them fast."""

from __future__ import annotations

import re
from collections.abc import Iterable


def words_pattern(words: Iterable[str], *, whole: bool) -> re.Pattern:
    """Return a case-sensitive pattern for a word that is (whole) or begins with (not whole) one of words.

    The alternatives are grouped by first letter ("s(?:aid|ays)|t(?:old|ells)"), so that at each
    word the engine tries only the group of its letter, and sorted longest first within a group,
    so that "arrived" is not cut to "arrive".
    """
    by_letter: dict[str, list[str]] = {}
    for word in sorted(set(words), key=lambda w: (w[0], -len(w), w)):
        by_letter.setdefault(word[0], []).append(re.escape(word[1:]))
    groups = (f"{re.escape(letter)}(?:{'|'.join(rests)})" for letter, rests in by_letter.items())
    return re.compile(r"\b(?:" + "|".join(groups) + ")" + (r"\b" if whole else ""))
