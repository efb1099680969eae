"""Stance of a statement toward its dispute, from weighted cue phrases.

Escalating: threats, warnings, refusals, ultimatums, sanctions, halts, removals, suspensions,
insistence on a purchase against objections, defiant deliveries, demands, retaliation.
Conciliatory: offers, compromise, talks, hopes for a solution, reassurance, waivers, keeping
a party in a programme. Neutral: facts, process, "no decision yet", and everything in an
article that belongs to no dispute. The heavier side wins; a tie is neutral.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from .normalise import fold
from .wordsets import words_pattern


class Cue(NamedTuple):
    """A cue: its pattern, its weight, and how the words it can open with begin (their first three
    letters, or the whole word when shorter: "no place", "on the table", "at stake", "do not")."""

    pattern: re.Pattern
    weight: int
    openings: frozenset[str]


def _cues(rows: tuple[tuple[str, int, str], ...]) -> tuple[Cue, ...]:
    return tuple(Cue(re.compile(pattern, re.IGNORECASE), weight, frozenset(o.split())) for pattern, weight, o in rows)


_ESCALATING = _cues(
    (
        (r"\bsanction\w*", 2, "san"),
        (r"\bthreat\w*", 2, "thr"),
        (r"\bwarn\w*", 2, "war"),
        (r"\bretaliat\w*", 2, "ret"),
        (r"\brefus\w*|\breject\w*|\bdefian\w*|\bdefy\w*", 2, "ref rej def"),
        (r"\bultimatum|\bdeadline", 2, "ult dea"),
        (r"\bhalt\w*|\bsuspen\w*|\bpause\w*|\bfreez\w*|\bblock\w*", 2, "hal sus pau fre blo"),
        (
            r"\bremov\w*|\bexpel\w*|\bexclu\w*|\bout of the programme|\bwind-down|\bleave\b",
            2,
            "rem exp exc out win lea",
        ),
        (
            r"\b(?:will|would|could|can|do|does|did)\s*(?:not|n't)\s+(?:back|bow|step|go back|walk|accept|give|tear|take orders|be|"
            r"change|cancel|retreat|keep|coexist)\b|\bcannot\b|\bcan't\b|\bwon't\b",
            2,
            "wil wou cou can do don doe did won",
        ),
        (
            r"\bno place\b|\bincompatible\b|\bunjust\b|\bunacceptable\b|\bdangerous\b|\btroubling\b|\bpoison\w*",
            2,
            "no inc unj una dan tro poi",
        ),
        (r"\bconsequence\w*|\bpunish\w*|\bprice to pay\b|\bon the table\b", 2, "con pun pri on"),
        (
            r"\bidly by\b|\bno question of\b|\brunning out\b|\bderail\w*|\badvise against\b",
            2,
            "idl no run der adv",
        ),
        (r"\bconcern\w*|\brisk\w*|\bat stake\b|\bdoubt\b|\bpressure\b|\bobject\w*", 1, "con ris at dou pre obj"),
        (r"\bmust\b|\bhave to\b|\bhas to\b|\bdemand\w*|\binsist\w*", 1, "mus hav has dem ins"),
        (
            r"\bpermission\b|\bsovereign\w*|\bnobody\b|\bno one\b|\bours?\s+(?:own\s+)?business\b|\bclosed\b|\bfinal\b",
            1,
            "per sov nob no our clo fin",
        ),
        (
            r"\bdeliver\w*|\barriv\w*|\bbatch\b|\bshipments?\b|\bactivat\w*|\btests?\b|\bflew\b|\boperational\b",
            1,
            "del arr bat shi act tes fle ope",
        ),
        (r"\bmore\s+S[- ]?\d+|\bsecond (?:batch|contract)\b|\bready to (?:supply|sell)\b", 1, "mor sec rea"),
        (
            r"\bnot changed\b|\bwill not change\b|\bdone\b|\bthreaten\w*|\bchoose between\b|\bboth ways\b",
            1,
            "not wil don thr cho bot",
        ),
    )
)
_CONCILIATORY = _cues(
    (
        (r"\btalk\w*|\bdialogue\b|\bnegotiat\w*|\bdiscuss\w*", 2, "tal dia neg dis"),
        (
            r"\bsolution\b|\bresolve\w*|\bcompromis(?:e|es|ing)?\b(?!\s+(?:the|its|our|their|nato|security))|\bworking group\b|\bfind a way\b|\bway through\b",
            2,
            "sol res com wor fin way",
        ),
        (
            r"\bhop(?:e|es|ed|ing)\b|\bopen to\b|\bwilling\w*|\bready to (?:consider|talk|discuss|work)\b",
            2,
            "hop ope wil rea",
        ),
        (
            r"\bassur\w*|\breassur\w*|\bno problem\b|\bwaiver\w*|\bnot directed against\b|\bstill time\b|\bdoor\b",
            2,
            "ass rea no wai not sti doo",
        ),
        (
            r"\bunfair\w*|\bnot (?:been )?treated fairly\b|\bnot a fair\b|\bdifficult position\b|\bhandled badly\b",
            2,
            "unf not dif han",
        ),
        (
            r"\boffer\w*|\balternative\b|\bpartner\w*|\bpersuad\w*|\bapprov\w*|\bwelcome\w*|\bcooperat\w*",
            1,
            "off alt par per app wel coo",
        ),
        (
            r"\bkeep (?:turkey|them|it|talking)\b|\bchange course\b|\blisten\w*|\bwork on\b|\bsit down\b",
            1,
            "kee cha lis wor sit",
        ),
    )
)
_NEUTRAL = re.compile(r"\bno decision\b|\bnot (?:yet )?decided\b|\bhas not decided\b|\bcase by case\b", re.IGNORECASE)
# Words every _NEUTRAL cue contains, as fold() writes them: without one, the pattern need not run.
_NEUTRAL_WORDS = ("decision", "decided", "case by case")


def _alternation(cues: Iterable[tuple[int, Cue]]) -> re.Pattern:
    """Fold cue patterns into one alternation, each cue a group named by its index."""
    body = "|".join(f"(?P<c{i}>{cue.pattern.pattern.lower()})" for i, cue in cues)
    # Every cue starts a word: anchoring the alternation there lets the engine skip the rest fast.
    return re.compile(rf"\b(?=[a-z])(?:{body})")


_CUES = _ESCALATING + _CONCILIATORY
_SPLIT = len(_ESCALATING)
_ALL = _alternation(enumerate(_CUES))
CUE_OPENINGS = frozenset().union(*(cue.openings for cue in _CUES))
# For each opening, the alternation of only the cues that can open with it (same names, same order):
# at a word, the engine then tries a few cues instead of all of them.
_BY_OPENING = {
    opening: _alternation((i, cue) for i, cue in enumerate(_CUES) if opening in cue.openings)
    for opening in CUE_OPENINGS
}
_OPENING = words_pattern(CUE_OPENINGS, whole=False)  # statements are short: a regex beats the automaton here


def cue_matches(lowered: str) -> list[re.Match]:
    """Return what _ALL.finditer(lowered) finds, trying at each word that opens a cue only the cues
    that can open with it.

    Every cue opens a word, so a match starts where a word starts, and the next one after the
    previous match ends; a word of two letters is its own opening ("on the table").
    """
    matches = []
    position = 0
    for opening in _OPENING.finditer(lowered):
        start = opening.start()
        if start < position:
            continue
        cues = _BY_OPENING.get(lowered[start : start + 3]) or _BY_OPENING.get(lowered[start : start + 2])
        found = cues.match(lowered, start) if cues is not None else None
        if found is not None:
            position = found.end()
            matches.append(found)
    return matches


def classify_stance(text: str, *, in_dispute: bool = True) -> str:
    """Return "escalating", "conciliatory" or "neutral" for a statement's text."""
    if not in_dispute:
        return "neutral"
    lowered = text.lower()
    folded = lowered if text.isascii() else fold(text)  # fold() of ASCII text is its lower case
    if any(word in folded for word in _NEUTRAL_WORDS) and _NEUTRAL.search(text):
        return "neutral"
    escalating = conciliatory = 0
    for match in cue_matches(lowered):
        index = int(match.lastgroup[1:])
        if index < _SPLIT:
            escalating += _CUES[index].weight
        else:
            conciliatory += _CUES[index].weight
    if escalating > conciliatory:
        return "escalating"
    if conciliatory > escalating:
        return "conciliatory"
    return "neutral"
