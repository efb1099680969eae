"""Find actor and system mentions: whole-word alias matching, longest match wins."""

from __future__ import annotations

from .normalise import fold
from .types import Mention
from .vocabulary import Vocabulary


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def find_mentions(text: str, vocabulary: Vocabulary) -> list[Mention]:
    """Return non-overlapping mentions in text, longest match first, in text order."""
    folded = fold(text)
    candidates: list[tuple[int, int, object]] = []
    for end_index, (key, entries) in vocabulary.automaton.iter(folded):
        start = end_index - len(key) + 1
        end = end_index + 1
        if start > 0 and _is_word_char(folded[start - 1]):
            continue
        # A plural or possessive s after a code-like alias (F-35s, S-400s) stays in the match.
        if end < len(folded) and folded[end] == "s" and key[-1].isdigit():
            if end + 1 >= len(folded) or not _is_word_char(folded[end + 1]):
                end += 1
        if end < len(folded) and _is_word_char(folded[end]):
            continue
        original = text[start:end]
        if not original[:1].isupper() and not original[:1].isdigit():
            continue  # names are capitalised: "turkey" the bird, "patriot" the noun
        fitting = [e for e in entries if e.exact_case is None or text.startswith(e.exact_case, start)]
        if fitting:
            candidates.append((start, end, fitting))
    candidates.sort(key=lambda item: (-(item[1] - item[0]), item[0]))
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    for start, end, entries in candidates:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        for entry in entries[:1]:
            mentions.append(Mention(entry.kind, entry.id, start, end, text[start:end], entry.via))
    mentions.sort(key=lambda m: m.start)
    return mentions
