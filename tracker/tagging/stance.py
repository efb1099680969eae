"""Stance of a statement toward its dispute, from a small lexicon."""

from __future__ import annotations

import re

_ESCALATING = re.compile(
    r"\b(warn\w*|threat\w*|sanction\w*|consequence\w*|will not|won't|refus\w*|reject\w*|unacceptable|"
    r"never|deadline|cannot|can't|incompatible|retaliat\w*|punish\w*|remov\w*|expel\w*|suspend\w*|"
    r"halt\w*|no going back|done deal|not negotiable|red line|pressure|ultimatum)\b",
    re.IGNORECASE,
)
_CONCILIATORY = re.compile(
    r"\b(talks?|dialogue|negotiat\w*|compromis\w*|offer\w*|solution|resolve\w*|working group|"
    r"diplomac\w*|constructive|cooperat\w*|partner\w*|friend\w*|ally|allies|common ground|"
    r"hope\w*|welcome\w*|agree\w*|meet\w*)\b",
    re.IGNORECASE,
)


def classify_stance(text: str) -> str:
    """Return "escalating", "conciliatory" or "neutral" for a statement's text."""
    escalating = len(_ESCALATING.findall(text))
    conciliatory = len(_CONCILIATORY.findall(text))
    if escalating > conciliatory:
        return "escalating"
    if conciliatory > escalating:
        return "conciliatory"
    return "neutral"
