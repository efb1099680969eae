"""Find the words of a fixed set in a text fast.

A regular-expression alternation of many words is tried at every position of the text; an
Aho-Corasick automaton reads the text once, in C, and reports every occurrence. The callers
then keep the occurrences that stand where a regex with word boundaries would have found them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick


def alternation(words: Iterable[str]) -> str:
    """Return an alternation of words grouped by first letter ("s(?:aid|ays)|t(?:old|ells)").

    At each place the engine then tries only the group of its letter; within a group the words
    go longest first, so that "arrived" is not cut to "arrive".
    """
    by_letter: dict[str, list[str]] = {}
    for word in sorted(set(words), key=lambda w: (w[0], -len(w), w)):
        by_letter.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{re.escape(letter)}(?:{'|'.join(rests)})" for letter, rests in by_letter.items())


def words_pattern(words: Iterable[str], *, whole: bool) -> re.Pattern:
    """Return a case-sensitive pattern for a word that is (whole) or begins with (not whole) one of words."""
    return re.compile(r"\b(?:" + alternation(words) + ")" + (r"\b" if whole else ""))


class WordSet:
    """A fixed set of case-sensitive words, found in a text with one automaton pass.

    A word counts where no word character (\\w; a dash too when dash_is_word) stands right
    before or after it: what \\bword\\b (or (?<![\\w-])word(?![\\w-])) finds. Such places never
    overlap, so the automaton, which reports occurrences by where they end, reports them in order.
    """

    def __init__(self, words: Iterable[str], *, dash_is_word: bool = False):
        self.automaton = ahocorasick.Automaton()
        for word in set(words):
            self.automaton.add_word(word, word)
        self.automaton.make_automaton()
        self.extra = "_-" if dash_is_word else "_"

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, word) for each word of the set standing alone in text, in text order."""
        extra = self.extra
        length = len(text)
        found = []
        for last, word in self.automaton.iter(text):
            start = last + 1 - len(word)
            end = last + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in extra):
                continue
            if end < length and (text[end].isalnum() or text[end] in extra):
                continue
            found.append((start, end, word))
        return found
