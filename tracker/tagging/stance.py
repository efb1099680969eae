"""Stance of a statement toward its dispute, from weighted cue phrases.

Escalating: threats, warnings, refusals, ultimatums, sanctions, halts, removals, suspensions,
insistence on a purchase against objections, defiant deliveries, demands, retaliation.
Conciliatory: offers, compromise, talks, hopes for a solution, reassurance, waivers, keeping
a party in a programme. Neutral: facts, process, "no decision yet", and everything in an
article that belongs to no dispute. The heavier side wins; a tie is neutral.
"""

from __future__ import annotations

import re

from .normalise import fold
from .wordsets import words_pattern


def _cues(pairs: tuple[tuple[str, int], ...]) -> tuple[tuple[re.Pattern, int], ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in pairs)


_ESCALATING = _cues(
    (
        (r"\bsanction\w*", 2),
        (r"\bthreat\w*", 2),
        (r"\bwarn\w*", 2),
        (r"\bretaliat\w*", 2),
        (r"\brefus\w*|\breject\w*|\bdefian\w*|\bdefy\w*", 2),
        (r"\bultimatum|\bdeadline", 2),
        (r"\bhalt\w*|\bsuspen\w*|\bpause\w*|\bfreez\w*|\bblock\w*", 2),
        (r"\bremov\w*|\bexpel\w*|\bexclu\w*|\bout of the programme|\bwind-down|\bleave\b", 2),
        (
            r"\b(?:will|would|could|can|do|does|did)\s*(?:not|n't)\s+(?:back|bow|step|go back|walk|accept|give|tear|take orders|be|"
            r"change|cancel|retreat|keep)\b|\bcannot\b|\bcan't\b|\bwon't\b",
            2,
        ),
        (r"\bno place\b|\bincompatible\b|\bunjust\b|\bunacceptable\b|\bdangerous\b|\btroubling\b|\bpoison\w*", 2),
        (r"\bconsequence\w*|\bpunish\w*|\bprice to pay\b|\bon the table\b", 2),
        (r"\bconcern\w*|\brisk\w*|\bat stake\b|\bdoubt\b|\bpressure\b|\bobject\w*", 1),
        (r"\bmust\b|\bhave to\b|\bhas to\b|\bdemand\w*|\binsist\w*", 1),
        (
            r"\bpermission\b|\bsovereign\w*|\bnobody\b|\bno one\b|\bours?\s+(?:own\s+)?business\b|\bclosed\b|\bfinal\b",
            1,
        ),
        (r"\bdeliver\w*|\barriv\w*|\bbatch\b|\bshipments?\b|\bactivat\w*|\btests?\b|\bflew\b|\boperational\b", 1),
        (r"\bmore\s+S[- ]?\d+|\bsecond (?:batch|contract)\b|\bready to (?:supply|sell)\b", 1),
        (r"\bnot changed\b|\bwill not change\b|\bdone\b|\bthreaten\w*|\bchoose between\b|\bboth ways\b", 1),
    )
)
_CONCILIATORY = _cues(
    (
        (r"\btalk\w*|\bdialogue\b|\bnegotiat\w*|\bdiscuss\w*", 2),
        (r"\bsolution\b|\bresolve\w*|\bcompromis\w*|\bworking group\b|\bfind a way\b|\bway through\b", 2),
        (r"\bhop(?:e|es|ed|ing)\b|\bopen to\b|\bwilling\w*|\bready to (?:consider|talk|discuss|work)\b", 2),
        (r"\bassur\w*|\breassur\w*|\bno problem\b|\bwaiver\w*|\bnot directed against\b|\bstill time\b|\bdoor\b", 2),
        (r"\bunfair\w*|\bnot (?:been )?treated fairly\b|\bnot a fair\b|\bdifficult position\b|\bhandled badly\b", 2),
        (r"\boffer\w*|\balternative\b|\bpartner\w*|\bpersuad\w*|\bapprov\w*|\bwelcome\w*|\bcooperat\w*", 1),
        (r"\bkeep (?:turkey|them|it|talking)\b|\bchange course\b|\blisten\w*|\bwork on\b|\bsit down\b", 1),
    )
)
_NEUTRAL = re.compile(r"\bno decision\b|\bnot (?:yet )?decided\b|\bhas not decided\b|\bcase by case\b", re.IGNORECASE)
# Words every _NEUTRAL cue contains, as fold() writes them: without one, the pattern need not run.
_NEUTRAL_WORDS = ("decision", "decided", "case by case")


def _combine(cues: tuple[tuple[re.Pattern, int], ...], prefix: str) -> tuple[re.Pattern, dict[str, int]]:
    """Fold cue patterns into one alternation (one pass over the text), named by their weights."""
    weights = {f"{prefix}{i}": weight for i, (_p, weight) in enumerate(cues)}
    body = "|".join(f"(?P<{prefix}{i}>{pattern.pattern.lower()})" for i, (pattern, _w) in enumerate(cues))
    # Every cue starts a word: anchoring the alternation there lets the engine skip the rest fast.
    return re.compile(rf"\b(?=[a-z])(?:{body})"), weights


_ALL, _WEIGHTS = _combine(_ESCALATING + _CONCILIATORY, "c")
_SPLIT = len(_ESCALATING)

# The first three letters of the word each cue above opens with (the whole word when it is
# shorter: "no place", "on the table", "at stake", "do not"). A word that opens no cue is
# skipped without running the alternation. Keep in step with the cues.
CUE_OPENINGS = frozenset(
    """san thr war ret ref rej def ult dea hal sus pau fre blo rem exp exc out win lea
    wil wou cou can do don doe did won no inc unj una dan tro poi con pun pri on ris at dou pre obj
    mus hav has dem ins per sov nob our clo fin del arr bat shi act tes fle ope mor sec rea not cho bot
    tal dia neg dis sol res com wor way hop ass wai sti doo unf dif han off alt par app wel coo kee cha
    lis sit""".split()
)


_OPENING = words_pattern(CUE_OPENINGS, whole=False)  # statements are short: a regex beats the automaton here


def cue_matches(lowered: str) -> list[re.Match]:
    """Return what _ALL.finditer(lowered) finds, trying the alternation only at words that open a cue.

    Every cue opens a word, so a match starts where a word starts, and the next one after the
    previous match ends.
    """
    matches = []
    position = 0
    for opening in _OPENING.finditer(lowered):
        start = opening.start()
        if start >= position:
            found = _ALL.match(lowered, start)
            if found is not None:
                position = found.end()
                matches.append(found)
    return matches


def classify_stance(text: str, *, in_dispute: bool = True) -> str:
    """Return "escalating", "conciliatory" or "neutral" for a statement's text."""
    if not in_dispute:
        return "neutral"
    folded = fold(text)
    if any(word in folded for word in _NEUTRAL_WORDS) and _NEUTRAL.search(text):
        return "neutral"
    escalating = conciliatory = 0
    for match in cue_matches(text.lower()):
        name = match.lastgroup
        if int(name[1:]) < _SPLIT:
            escalating += _WEIGHTS[name]
        else:
            conciliatory += _WEIGHTS[name]
    if escalating > conciliatory:
        return "escalating"
    if conciliatory > escalating:
        return "conciliatory"
    return "neutral"
