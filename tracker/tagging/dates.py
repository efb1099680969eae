"""Resolve when something was said from phrases like "on Monday" and the publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = re.compile(r"\b(?:on|last|this)\s+(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_BARE_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\byesterday\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:today|on\s+today)\b", re.IGNORECASE)
_LAST_WEEK = re.compile(r"\blast\s+week\b", re.IGNORECASE)


def resolve_said_on(sentence: str, published: date | None) -> date | None:
    """Return the date a statement in sentence was made, given the publication date."""
    if published is None:
        return None
    match = _WEEKDAY.search(sentence) or _BARE_WEEKDAY.search(sentence)
    if match:
        target = WEEKDAYS.index(match.group(1).lower())
        return published - timedelta(days=(published.weekday() - target) % 7)
    if _YESTERDAY.search(sentence):
        return published - timedelta(days=1)
    if _LAST_WEEK.search(sentence):
        return None
    return published
