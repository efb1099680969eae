"""Resolve when something was said from phrases like "on Monday" and the publication date.

Rules (published = the article's publication date):

- "on Monday", "Monday", "late on Monday": the most recent Monday on or before publication;
- "yesterday": the day before; "today", "this morning", "tonight": the day itself;
- "on June 4", "4 June", "June 4, 2019": that day (a month after publication means last year);
- "last week": seven days before; "earlier this week": two days before (not after the week's start);
- "earlier this month": the first of the month; "last month": the first of the previous month;
- "in July 2017", "in July": the first of that month; "in 2017", "last year": January 1 of the year.

Coarse expressions resolve to the first day of their period; callers that need to know
use `Moment.exact`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .lexicon import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS
from .wordsets import alternation

_MONTH = r"(?P<month>" + "|".join(MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_PATTERNS = [
    (
        "weekday",
        re.compile(r"\b(?:(?:on|last|this|late|early|since)\s+)*(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.I),
    ),
    ("date_md", re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.I)),
    (
        "date_dm",
        re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.I),
    ),
    ("yesterday", re.compile(r"\byesterday\b", re.I)),
    ("today", re.compile(r"\b(?:today|this\s+(?:morning|afternoon|evening)|tonight)\b", re.I)),
    ("last_week", re.compile(r"\blast\s+week\b", re.I)),
    ("this_week", re.compile(r"\b(?:earlier\s+this|this)\s+week\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier\s+this|this)\s+month\b", re.I)),
    ("last_month", re.compile(r"\blast\s+month\b", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.I)),
    ("month_year", re.compile(r"\b(?:in|since|during|by|of)\s+" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b", re.I)),
    (
        "year",
        re.compile(
            r"\b(?:in|since|during|back\s+in|as\s+early\s+as)\s+(?:late\s+|early\s+|mid-?)?(?P<year>(?:19|20)\d\d)\b",
            re.I,
        ),
    ),
]


@dataclass(frozen=True)
class Moment:
    day: date
    exact: bool
    start: int  # where the expression was found (offset into the searched text)


def _month_number(token: str) -> int:
    token = token.lower().rstrip(".")
    if token in MONTHS:
        return MONTHS.index(token) + 1
    return MONTH_ABBREVIATIONS[token[:4] if token.startswith("sept") else token[:3]]


def _resolve(kind: str, match: re.Match, published: date | None) -> tuple[date, bool] | None:
    groups = match.groupdict()
    year_text = groups.get("year")
    if kind in ("weekday", "yesterday", "today", "last_week", "this_week", "this_month", "last_month", "last_year"):
        if published is None:
            return None
    if kind == "weekday":
        target = WEEKDAYS.index(groups["weekday"].lower())
        return published - timedelta(days=(published.weekday() - target) % 7), True
    if kind == "yesterday":
        return published - timedelta(days=1), True
    if kind == "today":
        return published, True
    if kind == "last_week":
        return published - timedelta(days=7), False
    if kind == "this_week":
        return max(published - timedelta(days=2), published - timedelta(days=published.weekday())), False
    if kind == "this_month":
        return published.replace(day=1), False
    if kind == "last_month":
        return (published.replace(day=1) - timedelta(days=1)).replace(day=1), False
    if kind == "last_year":
        return date(published.year - 1, 1, 1), False
    if kind in ("date_md", "date_dm", "month_year"):
        month = _month_number(groups["month"])
        if year_text:
            year = int(year_text)
        elif published is not None:
            year = published.year if month <= published.month else published.year - 1
        else:
            return None
        if kind == "month_year":
            return date(year, month, 1), False
        try:
            return date(year, month, int(groups["day"])), True
        except ValueError:
            return None
    if kind == "year":
        year = int(year_text)
        if published is not None and year == published.year:
            return None  # "in 2019" in a 2019 article says nothing about the day
        return date(year, 1, 1), False
    return None


# All patterns in one alternation (one pass): each kind's groups get a unique prefix.
_COMBINED = re.compile(
    "|".join(f"(?P<k_{kind}>{pattern.pattern.replace('(?P<', f'(?P<{kind}_')})" for kind, pattern in _PATTERNS),
    re.IGNORECASE,
)
_BY_KIND = dict(_PATTERNS)
_TOKEN = re.compile(r"\w+")
_DAY_AFTER = re.compile(r"\.?\s+\d")  # what follows the month in "June 4" and "Nov. 13"
_SPACE_DIGIT = re.compile(r"\s\d")
# The whole first word of every pattern above, in lower case (a digit opens date_dm too).
# Keep in step with _PATTERNS.
OPENING_WORDS = frozenset(
    (*WEEKDAYS, *MONTHS, *MONTH_ABBREVIATIONS)
    + tuple("on last this late early since yesterday today tonight earlier in during by of back as".split())
)
# For an ASCII window with no day number: an opening word standing whole, or a digit opening a word,
# in the lower-cased window (where case-insensitive matching is plain lower case).
_ASCII_OPENING = re.compile(r"\b(?:" + alternation(OPENING_WORDS) + r")\b|\b[0-9]")


def _starts(text: str, start: int, end: int) -> Iterator[int]:
    """Yield, in order, every place in text[start:end] where a time expression can begin.

    Every pattern opens a word, with one of OPENING_WORDS or a digit (a word that is not ASCII is
    always tried: case-insensitive matching lets a few non-ASCII letters stand for ASCII ones).
    But a month name followed by a day number may end a longer word (date_md has no \\b), so in
    a word followed by a day number every place a month name of 3 to 9 letters could start
    counts too. Trying _COMBINED only at these places finds what _COMBINED.search finds,
    without running the alternation at every character. Most windows (ASCII, no day number)
    take the short way: one pattern over the lower-cased window.
    """
    window = text[start:end]
    day_numbers = _SPACE_DIGIT.search(window) is not None
    if window.isascii() and not day_numbers:
        # The words of the window are those of the lower-cased window: one pattern finds the openings.
        yield from (start + m.start() for m in _ASCII_OPENING.finditer(window.lower()))
        return
    for token in _TOKEN.finditer(text, start, end):
        word = token.group()
        token_start, token_end = token.span()
        if not word.isascii() or word[0].isdigit() or word.lower() in OPENING_WORDS:
            yield token_start
        if day_numbers and _DAY_AFTER.match(text, token_end, end):
            yield from range(max(token_start + 1, token_end - 9), token_end - 2)


def find_moment(text: str, start: int, end: int, published: date | None) -> Moment | None:
    """Return the first time expression in text[start:end], resolved against published."""
    for candidate in _starts(text, start, end):
        found = _COMBINED.match(text, candidate, end)
        if found is None:
            continue
        kind = found.lastgroup[2:]
        match = _BY_KIND[kind].match(text, found.start(), end)
        resolved = None
        if match is not None and not (
            kind == "date_md"
            and match.group("month").lower() == "may"
            and not match.group("year")
            and _SPACE_DIGIT.match(text[match.end("month") : match.end("month") + 2]) is None
        ):
            resolved = _resolve(kind, match, published)
        if resolved is not None:
            return Moment(resolved[0], resolved[1], found.start())
    return None


def resolve_said_on(sentence: str, published: date | None) -> date | None:
    """Return the date a statement in sentence was made, given the publication date."""
    moment = find_moment(sentence, 0, len(sentence), published)
    return moment.day if moment else published
