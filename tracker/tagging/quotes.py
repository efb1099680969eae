"""Find quoted passages in any quote style, across paragraphs, without trusting that quotes close.

- Double quotes (straight or curly, „ and « » too) are the quote marks of news copy; single
  quotes quote inside them, or stand alone as the outer marks in some house styles.
- An apostrophe (Turkey's, Investors', don't, '90s) is never a quote mark.
- A paragraph that opens a quote and does not close it continues the quote when the next
  paragraph opens again (the convention for long quotes); otherwise the quote ends with its
  paragraph, so a cut-off quote never swallows the rest of the article.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

_OPENERS = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'", "‚": "‘"}
_DOUBLE = set('"“”„«»')
_SINGLE = set("'‘’‚")


@dataclass(frozen=True)
class Quote:
    """A quoted passage: chunks are the (start, end) of its text in each paragraph it spans."""

    chunks: tuple[tuple[int, int], ...]
    open_at: int  # offset of the opening mark
    close_at: int | None  # offset of the closing mark, None when the quote is cut off

    @property
    def start(self) -> int:
        return self.chunks[0][0]

    @property
    def end(self) -> int:
        return self.chunks[-1][1]

    def text(self, source: str) -> str:
        return " ".join(source[s:e].strip() for s, e in self.chunks)


def _is_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:;,/") and not after.isspace()


def _is_closing(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-\"”'’")


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return True  # don't, Turkey's
    if after.isdigit():
        return True  # '90s
    return before.isalpha() and after == "s" and (i + 2 >= len(text) or not text[i + 2].isalnum())


_ANY_MARK = re.compile("[\"“”„«»'‘’‚]")


def _marks(text: str, offsets: Sequence[int], kinds: set[str]) -> list[tuple[int, str]]:
    """Return (offset, 'open'|'close') for the quote marks of the given kinds among the marks at offsets."""
    marks = []
    for i in offsets:
        ch = text[i]
        if ch not in kinds:
            continue
        if ch in "“„«‘‚":
            marks.append((i, "open"))
        elif ch in "”»":
            marks.append((i, "close"))
        elif ch in "'’" and _is_apostrophe(text, i):
            continue
        elif _is_opening(text, i):
            marks.append((i, "open"))
        elif _is_closing(text, i):
            marks.append((i, "close"))
    return marks


def _pair(marks: list[tuple[int, str]]) -> tuple[list[tuple[int, int | None]], int | None]:
    """Pair opening and closing marks; return the pairs and a trailing unclosed opening."""
    pairs: list[tuple[int, int | None]] = []
    opened: int | None = None
    for offset, role in marks:
        if opened is None:
            if role == "open":
                opened = offset
        elif role == "close" or offset > opened + 1:
            # A second opening mark while one is open is most often a closing straight quote.
            pairs.append((opened, offset))
            opened = None
    return pairs, opened


def find_quotes(text: str, paragraphs: Sequence[tuple[int, int]]) -> list[Quote]:
    """Return the quotes of text in order; paragraphs are (start, end) spans of its lines."""
    quotes: list[Quote] = []
    carry: list[tuple[int, int]] = []  # chunks of a quote running on from earlier paragraphs
    carry_open = 0
    # Every quote mark or apostrophe of the text, found in one pass; each paragraph takes its own by bisection.
    offsets = [found.start() for found in _ANY_MARK.finditer(text)]
    for index, (p_start, p_end) in enumerate(paragraphs):
        low = bisect.bisect_left(offsets, p_start)
        inside = offsets[low : bisect.bisect_left(offsets, p_end, low)]
        has_double = any(text[i] in _DOUBLE for i in inside)
        kinds = _DOUBLE if has_double else _SINGLE
        marks = _marks(text, inside, kinds)
        if carry:
            if marks and marks[0][0] == p_start and marks[0][1] == "open":
                # The quote continues: find where it closes in this paragraph.
                rest_pairs, rest_open = _pair([(p_start - 1, "open"), *marks[1:]])
                first_close = rest_pairs[0][1] if rest_pairs else None
                if first_close is not None:
                    quotes.append(Quote((*carry, (p_start + 1, first_close)), carry_open, first_close))
                    carry = []
                    marks = [m for m in marks if m[0] > first_close]
                else:
                    carry.append((p_start + 1, p_end))
                    continue
            else:
                quotes.append(Quote(tuple(carry), carry_open, None))
                carry = []
        pairs, unclosed = _pair(marks)
        for open_at, close_at in pairs:
            quotes.append(Quote(((open_at + 1, close_at),), open_at, close_at))
        if unclosed is not None:
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            if following and text[following[0] : following[0] + 1] in _OPENERS:
                carry, carry_open = [(unclosed + 1, p_end)], unclosed
            else:
                quotes.append(Quote(((unclosed + 1, p_end),), unclosed, None))
    if carry:
        quotes.append(Quote(tuple(carry), carry_open, None))
    return [q for q in quotes if q.end - q.start >= 2]
