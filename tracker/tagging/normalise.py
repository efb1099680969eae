"""Length-preserving text folding, so offsets in folded text are offsets in the original."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Characters whose decomposition does not reduce to one ASCII letter.
_SPECIAL = {"ı": "i", "İ": "i", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "ß": "s", "æ": "a", "œ": "o"}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'"}
_SPACES = "\u00a0\u2009\u202f\u2007"

# str.translate table, grown lazily with every non-ASCII character seen; ASCII maps to lower case.
_TABLE: dict[int, str] = {i: chr(i).lower() for i in range(128)}


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """Return one lower-case character standing for ch with diacritics removed."""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch in _DASHES:
        return "-"
    if ch in _QUOTES:
        return _QUOTES[ch]
    if ch in _SPACES:
        return " "
    if ch.isascii():
        return ch.lower()
    base = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in base if not unicodedata.combining(c))
    if len(base) == 1:
        return base.lower() if len(base.lower()) == 1 else base
    return ch.lower() if len(ch.lower()) == 1 else ch


def fold(text: str) -> str:
    """Return text folded character by character (same length as text)."""
    if text.isascii():
        return text.lower()
    for ch in set(text):
        if ord(ch) not in _TABLE:
            _TABLE[ord(ch)] = fold_char(ch)
    return text.translate(_TABLE)


def lower_same_length(text: str) -> str:
    """Return text lower-cased character by character, so its length (and every offset) is kept.

    str.lower() turns "İ" into "i" + a combining dot, one character longer, which shifts every
    later offset; here each character becomes the first character of its own lower case.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower()[0] for ch in text)
