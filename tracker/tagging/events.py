"""Propose milestones: sentences that announce deliveries, sanctions, removals, deadlines,
offers, deals, tests and talks in a dispute the article is about.

A sentence qualifies when it names a system or a party of the dispute and a trigger of a
kind in the past or present tense; conditionals and threats ("would impose sanctions if")
are warnings, not events, and are left out. One event per (dispute, kind) per article.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date

from .dates import find_moment
from .normalise import lower_same_length
from .segments import Segments
from .types import DisputeScore, Mention, ProposedEvent
from .vocabulary import Vocabulary
from .wordsets import WordSet, words_pattern

# Patterns are matched against the lower-cased text, each from the start of a word.
TRIGGERS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (kind, re.compile(rf"\b(?=[a-z])(?:{pattern})"))
    for kind, pattern in (
        (
            "sanction",
            r"\b(?:imposed|imposes|slapped|announced|levied)\s+(?:\w+\s+){0,3}sanctions\b|\bsanctioned\b|\bsanctions\s+(?:took|take)\s+effect",
        ),
        (
            "removal",
            r"\b(?:removed|removes|expelled|expels|suspended|suspends|kicked\s+out|ejected|ejects|formally\s+ended)\b[^.]{0,60}\b(?:programme|program|partnership|consortium)\b|\b(?:removal|expulsion)\s+(?:of\s+\w+\s+)?from\s+the\b",
        ),
        (
            "delivery",
            r"\b(?:delivered|delivers|arrived|arrive[sd]?|landed|unloaded|took\s+delivery|takes\s+delivery|handed\s+over|received|receives)\b[^.]{0,80}|\b(?:first|second|last|final)\s+(?:batch|shipment|delivery|parts|components|battery)\b",
        ),
        (
            "deadline",
            r"\b(?:deadline|set\s+a\s+date|until\s+(?:the\s+end\s+of\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2}\s+to|ultimatum)\b",
        ),
        (
            "offer",
            r"\b(?:offered|offers|approved\s+(?:a|the)\s+(?:possible\s+)?sale|notified\s+congress|formally\s+notified|proposed\s+(?:selling|to\s+sell))\b",
        ),
        (
            "deal",
            r"\b(?:signed|signs|sealed|finali[sz]ed|clinched|concluded)\s+(?:\w+\s+){0,4}(?:deal|contract|agreement|accord)\b|\bdeal\s+(?:was|has\s+been)\s+signed\b",
        ),
        ("test", r"\b(?:test-fired|tested|activated|switched\s+on|live-fire\s+test|fired\s+a\s+missile)\b"),
        ("talks", r"\b(?:held\s+talks|met\s+with\b|meeting\s+(?:with|between)|talks\s+(?:in|with|on)\b)"),
    )
)
_ANY_TRIGGER = re.compile("|".join(f"(?P<{kind}>{pattern.pattern})" for kind, pattern in TRIGGERS))
# The first word of every trigger above. A sentence with none of them has no trigger, and a word
# lookup is far cheaper than running the alternation over every sentence. Keep it in step with TRIGGERS.
TRIGGER_WORDS = frozenset(
    """imposed imposes slapped announced levied sanctioned sanctions
    removed removes expelled expels suspended suspends kicked ejected ejects formally removal expulsion
    delivered delivers arrive arrives arrived landed unloaded took takes handed received receives
    first second last final
    deadline set until ultimatum
    offered offers approved notified proposed
    signed signs sealed finalised finalized clinched concluded deal
    test tested activated switched live fired
    held met meeting talks""".split()
)
_TRIGGER_WORD = words_pattern(TRIGGER_WORDS, whole=True)
_TRIGGER_WORD_SET = WordSet(TRIGGER_WORDS)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|would|could|might|may|unless|should|threat(?:en)?(?:ed|s)?|warn(?:ed|s)?|risk(?:s|ed)?|expected\s+to|plans?\s+to|will\s+be)\b",
    re.I,
)


def trigger_word_starts(lower: str, start: int, end: int, article_starts: list[int] | None = None) -> list[int]:
    """Return where trigger words start in lower[start:end], taken from article_starts (those of the
    whole text) when given, unless the window ends inside a word, where the window is scanned."""
    if article_starts is None or _ends_inside_word(lower, end):
        return [m.start() for m in _TRIGGER_WORD.finditer(lower, start, end)]
    low = bisect.bisect_left(article_starts, start)
    return article_starts[low : bisect.bisect_left(article_starts, end, low)]


def _ends_inside_word(lower: str, end: int) -> bool:
    return end < len(lower) and (lower[end].isalnum() or lower[end] == "_")


def _trigger_kinds(lower: str, start: int, end: int, word_starts: Sequence[int]) -> set[str]:
    """Return the kinds of the triggers _ANY_TRIGGER.finditer finds in lower[start:end].

    A trigger can only start at one of TRIGGER_WORDS, so the combined pattern is tried at those
    words alone (word_starts, left to right, never inside the previous match) instead of at every
    character.
    """
    kinds = set()
    position = start
    for word_start in word_starts:
        if word_start < position:
            continue
        found = _ANY_TRIGGER.match(lower, word_start, end)
        if found is not None:
            kinds.add(found.lastgroup)
            position = found.end()
    return kinds


def find_events(
    text: str,
    segments: Segments,
    mentions: Sequence[Mention],
    disputes: Sequence[DisputeScore],
    vocabulary: Vocabulary,
    published: date | None,
) -> list[ProposedEvent]:
    """Return proposed events for the disputes the article belongs to."""
    if not disputes:
        return []
    lower = lower_same_length(text)
    starts = [m.start for m in mentions]
    article_triggers = [start for start, _end, _word in _TRIGGER_WORD_SET.find(lower)]
    events: dict[tuple[int, str], ProposedEvent] = {}  # one per dispute and kind: the first sentence wins
    for s_start, s_end in segments.sentences:
        first = bisect.bisect_left(article_triggers, s_start)
        if (first == len(article_triggers) or article_triggers[first] >= s_end) and not _ends_inside_word(lower, s_end):
            continue  # most sentences: no trigger word at all
        word_starts = trigger_word_starts(lower, s_start, s_end, article_triggers)
        if not word_starts:
            continue
        in_sentence = mentions[bisect.bisect_left(starts, s_start) : bisect.bisect_left(starts, s_end)]
        if not in_sentence or segments.in_furniture(s_start, s_end):
            continue
        kinds = _trigger_kinds(lower, s_start, s_end, word_starts)
        if not kinds:
            continue
        sentence = lower[s_start:s_end]
        for kind, trigger in TRIGGERS:
            if kind not in kinds:
                continue
            match = trigger.search(sentence)
            if not match:
                continue
            if kind != "deadline" and _HYPOTHETICAL.search(sentence[: match.start()] + " " + match.group(0)):
                continue
            day: date | None = None
            dated = False
            for score in disputes:
                dispute = vocabulary.disputes[score.id]
                systems = [m for m in in_sentence if m.kind == "system" and m.id in dispute.system_ids]
                parties = [m for m in in_sentence if m.kind == "actor" and m.id in dispute.party_ids]
                if not systems and not (parties and kind in ("talks", "sanction", "deal")):
                    continue
                subject = vocabulary.systems[systems[0].id].name if systems else vocabulary.actors[parties[0].id].name
                key = (dispute.id, kind)
                if key not in events:
                    if not dated:  # dated only when it proposes something: find_moment is not cheap
                        moment = find_moment(text, s_start, s_end, published)
                        day, dated = (moment.day if moment else published), True
                    title = f"{kind.capitalize()}: {subject} (proposed)"
                    events[key] = ProposedEvent(
                        dispute.id, dispute.slug, kind, day, title, sentence.strip(), s_start, s_end
                    )
            break
    return list(events.values())
