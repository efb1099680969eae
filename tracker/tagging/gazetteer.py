"""Find actor and system mentions: whole-word alias matching with sense checks, longest match wins.

The automaton finds every folded alias; the checks below then drop look-alikes:

- names are capitalised ("turkey" the bird, "patriot" the noun); acronyms match their case;
- a surname alone or a system that is an ordinary word ("Patriot") is not part of a longer
  proper name ("George Washington", "New England Patriots", "Graham Smith", "Patriot Act");
- a metonym stands for a government only outside place phrases ("in Washington",
  "Washington state", "the Washington Post");
- a role description followed by a name is that person's title, not a reference by role,
  and one after "former" names nobody current;
- furniture (datelines, bylines, captions, related lists) yields nothing.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .lexicon import TITLE_WORDS
from .normalise import fold
from .types import Mention, frozen
from .vocabulary import Entry, Vocabulary

_PREVIOUS_WORD = re.compile(r"([A-Za-z][\w'’.-]*)[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][\w'’.-]*)")
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|around|across|into|of|from\s+(?:Ankara|Moscow|Washington))"
    r"|\b(?:flew|fly|flying|travel(?:l?ed|l?ing|s)?|went|go|going|returned?|returning|arrived?|arriving|visit(?:ed|ing|s)?|"
    r"trip|journey|headed|heading|came|come|coming|moved|based|held|hosted)\s+(?:to|in)?)\s+$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(r"^(?:[ \t]+(?:state|State|area|region|airport|Airport|suburb)\b|,[ \t]*D\.?C\.?)")
_FORMER = re.compile(r"\b(?:former|ex-|then-|then|late|previous|past)\s*$", re.IGNORECASE)
_INDEFINITE = re.compile(r"\b(?:a|an|one|another)\s+$", re.IGNORECASE)
_DEMONYM = re.compile(r"(?:ish|ian|ese|i|ch|ek|can)$")
_COMPOUND = re.compile(
    r"-(?:made|led|built|owned|backed|run|funded|designed|supplied|brokered|sponsored|controlled|allied)\b"
)
_SENTENCE_OPENERS = frozenset(
    "but and then meanwhile also so still yet when while if after before as now later earlier however "
    "instead indeed only even though although because since until unless once thus the a an this that "
    "one two three four five six seven eight nine ten several some many few all both".split()
)
_SYSTEM_AFTER = re.compile(
    r"\s+(?:missiles?|systems?|batter(?:y|ies)|launchers?|interceptors?|air|units?|jets?|fighters?)\b", re.I
)
_SYSTEM_WORDS = frozenset(
    "missile missiles system systems battery batteries air defence defense launcher launchers "
    "interceptor interceptors jet jets fighter fighters aircraft radar advanced capability".split()
)


def _word_or_dash(ch: str) -> bool:
    """Return whether ch is in the regex class [\\w-]."""
    return ch.isalnum() or ch in "_-"


def word_positions(text: str, word: str) -> Iterator[int]:
    """Yield where word stands alone in text: what finditer of (?<![\\w-])word(?![\\w-]) finds.

    str.find jumps straight to each occurrence, where a regex that opens with a lookbehind
    tries every character of the text.
    """
    position = text.find(word)
    while position != -1:
        end = position + len(word)
        if (position == 0 or not _word_or_dash(text[position - 1])) and (
            end == len(text) or not _word_or_dash(text[end])
        ):
            yield position
            position = text.find(word, end)
        else:
            position = text.find(word, position + 1)


@dataclass(frozen=True)
class _Taken:
    """Where the chosen matches start and end: is the word next to a name a known name itself?"""

    starts: frozenset[int]
    ends: frozenset[int]

    @classmethod
    def of(cls, spans: Sequence[tuple[int, int]]) -> _Taken:
        return cls(frozenset(s for s, _e in spans), frozenset(e for _s, e in spans))


class _Covered:
    """Spans (they may overlap): does one of them cover a position? Bisection instead of a scan."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [s for s, _e in ordered]
        # The furthest end among the spans that start at or before each one.
        self.reach = list(itertools.accumulate((e for _s, e in ordered), max))

    def at(self, position: int) -> bool:
        """Return whether some span has start <= position < end."""
        index = bisect.bisect_right(self.starts, position) - 1
        return index >= 0 and self.reach[index] > position


def _previous_word(text: str, low: int, high: int) -> re.Match | None:
    """Return _PREVIOUS_WORD.search(text, low, high), tried only from the last word of the window: the
    word it finds holds no whitespace and only whitespace follows it, so it cannot start earlier."""
    word_end = low + len(text[low:high].rstrip())
    space = max(text.rfind(" ", low, word_end), text.rfind("\t", low, word_end), text.rfind("\n", low, word_end))
    return _PREVIOUS_WORD.search(text, max(low, space + 1), high)


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:\n"


def _ends_sentence(word: str) -> bool:
    """Return whether a capitalised word with a full stop ends a sentence ("… at the White House. Trump said").

    Initials and abbreviations ("U.S.", "D.C.", "A.") and titles ("Gen.", "Sen.") do not.
    """
    if not word.endswith(".") or word.count(".") > 1:
        return False
    stem = word[:-1]
    return len(stem) >= 3 and not stem.isupper() and stem.lower() not in TITLE_WORDS


def _capitalised_neighbour(text: str, start: int, end: int, taken: _Taken) -> bool:
    """Return whether a name at [start, end) runs into an unknown capitalised word on either side."""
    previous = _previous_word(text, max(0, start - 40), start)
    opener = previous is not None and _sentence_initial(text, previous.start(1))
    if previous and opener and previous.group(1).lower() in _SENTENCE_OPENERS:
        previous = None  # "But Demir said …"
    if previous and previous.group(1)[0].isupper() and not _ends_sentence(previous.group(1)):
        word = previous.group(1).rstrip(".").lower()
        known = previous.end(1) in taken.ends
        if not known and word not in TITLE_WORDS and f"{word}." not in TITLE_WORDS and not _DEMONYM.search(word):
            return True
    following = _NEXT_WORD.match(text, end)
    if following and following.group(1)[0].isupper():
        known = following.start(1) in taken.starts
        return not known and following.group(1).lower() not in _SYSTEM_WORDS
    return False


@lru_cache(maxsize=4096)
def _letters(span: str) -> str:
    """Return the letters of span, in order ("U.S." → "US")."""
    return "".join(filter(str.isalpha, span))


def _raw_matches(text: str, folded: str, vocabulary: Vocabulary):
    """Yield (start, end, entries) for each alias standing as whole words in folded ("alnum" is a word character)."""
    length = len(folded)
    for end_index, (key, entries) in vocabulary.automaton.iter(folded):
        start = end_index - len(key) + 1
        end = end_index + 1
        if start > 0 and (folded[start - 1].isalnum() or folded[start - 1] == "-" and folded[start - 2].isalnum()):
            continue
        # A plural s (S-400s, F-35s, Patriots) stays in a system's match.
        if end < length and folded[end] == "s" and entries[0].kind == "system":
            if end + 1 >= length or not folded[end + 1].isalnum():
                end += 1
        if end < length and folded[end].isalnum():
            continue
        if end < length and folded[end] == "-" and folded[end + 1 : end + 2].isalnum():
            # "Raytheon-made", "U.S.-led" name the actor; "Ankara-based" and "S-400-style" do not count.
            if entries[0].via != "alias" or entries[0].kind != "actor" or not _COMPOUND.match(folded, end):
                continue
        yield start, end, entries


def find_mentions(
    text: str,
    vocabulary: Vocabulary,
    *,
    published: date | None = None,
    furniture: Sequence[tuple[int, int]] = (),
) -> list[Mention]:
    """Return non-overlapping mentions in text, longest match first, in text order."""
    folded = fold(text)
    candidates: list[tuple[int, int, tuple[Entry, ...]]] = []
    in_furniture = _Covered(furniture) if furniture else None
    for start, end, entries in _raw_matches(text, folded, vocabulary):
        if in_furniture is not None and in_furniture.at(start):
            continue
        first = text[start]
        fitting = []
        for entry in entries:
            if entry.exact_case is not None:
                letters = _letters(entry.exact_case)
                if _letters(text[start:end])[: len(letters)] == letters:
                    fitting.append(entry)
            elif entry.via == "description" or first.isupper() or first.isdigit():
                fitting.append(entry)
        if fitting:
            candidates.append((start, end, tuple(fitting)))
    candidates.sort(key=lambda item: (-(item[1] - item[0]), item[0]))
    chosen: list[tuple[int, int, tuple[Entry, ...]]] = []
    spans: list[tuple[int, int]] = []  # chosen so far, sorted; they never overlap
    for start, end, entries in candidates:
        # Only the last span that starts before this one ends can overlap it.
        index = bisect.bisect_left(spans, (end,))
        if index and spans[index - 1][1] > start:
            continue
        spans.insert(index, (start, end))
        chosen.append((start, end, entries))
    chosen.sort(key=lambda item: item[0])
    taken = _Taken.of(spans)

    mentions: list[Mention] = []
    for start, end, entries in chosen:
        entry = entries[0]
        if entry.via == "description":
            mention = _description(text, start, end, entries, vocabulary, published, chosen)
            # An institution or state named inside a description is mentioned too ("the Pentagon chief").
            mentions.extend(_inner_names(text, folded, start, end, vocabulary, mention))
        elif _fits_sense(text, start, end, entry, taken):
            mention = frozen(
                Mention, kind=entry.kind, id=entry.id, start=start, end=end, text=text[start:end], via=entry.via
            )
        else:
            mention = None
        if mention is not None:
            mentions.append(mention)
    mentions.extend(_surnames(text, mentions, vocabulary, furniture))
    mentions.sort(key=lambda m: m.start)
    return _drop_common_noun_openers(text, folded, mentions)


def _drop_common_noun_openers(text: str, folded: str, mentions: list[Mention]) -> list[Mention]:
    """Drop a name that only ever opens sentences when the article also uses it as a common noun.

    "Turkey is the centrepiece of the meal" in an article about roast turkeys is the bird: the
    capital letter comes from the sentence, and "turkey" appears in lower case elsewhere.
    """
    result = []
    named_mid_sentence: set[int] | None = None  # ids with a mention that does not open a sentence, found once
    for m in mentions:
        if m.via == "alias" and " " not in m.text and _sentence_initial(text, m.start):
            lowered = m.text.lower()
            if fold(m.text) == lowered:
                if named_mid_sentence is None:
                    named_mid_sentence = {o.id for o in mentions if not _sentence_initial(text, o.start)}
                if m.id not in named_mid_sentence and _used_in_lower_case(text, lowered):
                    continue
        result.append(m)
    return result


def _used_in_lower_case(text: str, lowered: str) -> bool:
    """Return whether the word, or its plural in s, stands alone in text in lower case."""
    return any(True for _ in word_positions(text, lowered)) or any(True for _ in word_positions(text, lowered + "s"))


def _inner_names(text, folded, start, end, vocabulary, outer: Mention | None) -> list[Mention]:
    """Return the actor names inside a description span (not the person the description stands for)."""
    inner = []
    for i_start, i_end, entries in _raw_matches(text[start:end], folded[start:end], vocabulary):
        entry = entries[0]
        if entry.kind != "actor" or entry.via == "description" or (i_start == 0 and i_end == end - start):
            continue
        if not text[start + i_start].isupper():
            continue
        if outer is not None and entry.id == outer.id:
            continue
        if any(m.start <= start + i_start < m.end for m in inner):
            continue
        inner.append(
            Mention("actor", entry.id, start + i_start, start + i_end, text[start + i_start : start + i_end], entry.via)
        )
    inner.sort(key=lambda m: -(m.end - m.start))
    kept: list[Mention] = []
    for m in inner:
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return kept


def _surnames(text: str, mentions: list[Mention], vocabulary: Vocabulary, furniture) -> list[Mention]:
    """Find a person's surname alone once the article has named them in full ("Ellen Lord" … "Lord said")."""
    found: list[Mention] = []
    seen: set[str] = set()
    # The spans taken so far: the mentions, then each surname's finds (added after that surname is done).
    spans = [(x.start, x.end) for x in mentions]
    taken: _Taken | None = None  # built when the first surname needs them
    covered: _Covered | None = None
    added = 0  # how many of found the spans hold
    for m in mentions:
        actor = vocabulary.actors.get(m.id) if m.kind == "actor" else None
        if actor is None or actor.kind != "person" or m.via != "alias" or len(m.text.split()) < 2:
            continue
        surname = m.text.split()[-1]
        if surname in seen or not surname[:1].isupper() or len(surname) < 3:
            continue
        seen.add(surname)
        if covered is None or added < len(found):
            spans.extend((x.start, x.end) for x in found[added:])
            added = len(found)
            taken = _Taken.of(spans)
            covered = _Covered(spans)
        for start in word_positions(text, surname):
            end = start + len(surname)
            if covered.at(start) or any(a <= start < b for a, b in furniture):
                continue
            if _capitalised_neighbour(text, start, end, taken):
                continue
            found.append(frozen(Mention, kind="actor", id=actor.id, start=start, end=end, text=surname, via="alias"))
    return found


def _fits_sense(text: str, start: int, end: int, entry: Entry, taken: _Taken) -> bool:
    if entry.wordlike and text[end - 1] == "s" and not _SYSTEM_AFTER.match(text, end):
        return False  # "the Patriots" are a team; "two Patriot batteries" are missiles
    if entry.short or entry.wordlike:
        if _capitalised_neighbour(text, start, end, taken):
            return False
        if entry.short and _PLACE_BEFORE.search(text, max(0, start - 30), start):
            return False
    if entry.kind == "actor" and entry.via == "alias" and " " not in text[start:end] and not entry.short:
        following = _NEXT_WORD.match(text, end)
        # The word before is looked for only when the word after is capitalised (most often it is not).
        capitalised_after = following is not None and following.group(1)[0].isupper()
        previous = _previous_word(text, max(0, start - 40), start) if capitalised_after else None
        if (
            previous
            and previous.group(1)[0].isupper()
            and not _sentence_initial(text, previous.start(1))
            and previous.end(1) not in taken.ends
            and following.start(1) not in taken.starts
        ):
            return False  # "the National Turkey Federation": inside a longer name
    if entry.via == "metonym":
        if _capitalised_neighbour(text, start, end, taken) or _PLACE_AFTER.match(text[end : end + 8]):
            return False
        if _PLACE_BEFORE.search(text, max(0, start - 30), start):
            return False
    return True


def _description(
    text: str,
    start: int,
    end: int,
    entries: tuple[Entry, ...],
    vocabulary: Vocabulary,
    published: date | None,
    chosen: Sequence[tuple[int, int, tuple[Entry, ...]]],
) -> Mention | None:
    """Resolve a role description to whoever held the role, unless it is a title before a name."""
    if _FORMER.search(text, max(0, start - 12), start) or _INDEFINITE.search(text, max(0, start - 6), start):
        return None  # "a former defence minister", "a State Department spokeswoman": not the holder
    following = _NEXT_WORD.match(text, end)
    if following and following.group(1)[0].isupper():
        return None  # "Defense Secretary Patrick Shanahan": the name is the mention
    if any(c_start == end + 1 and text[end] == " " for c_start, _e, _x in chosen):
        return None
    holders = vocabulary.role_holders(entries, published)
    if len(holders) != 1:
        return None
    return Mention("actor", holders[0], start, end, text[start:end], "description")
