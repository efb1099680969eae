"""Near-duplicate detection: MinHash sketches over word shingles, with LSH band keys.

The sketch is one-permutation MinHash: every 5-word shingle is hashed once (CRC-32:
stable across processes and several times faster than a cryptographic hash, which
this does not need), the hash picks one of BINS bins and the smallest value per bin
is kept. Two texts agree on a bin with probability close to the Jaccard
similarity of their shingle sets. Bins are grouped into BANDS bands of ROWS; texts
that agree on a whole band share its key and become candidates, then the full
sketches are compared. With 20 bands of 3 rows, a pair at similarity 0.6 becomes a
candidate 99% of the time, a pair at 0.1 about 2%.
"""

from __future__ import annotations

import re
import struct
import zlib
from hashlib import blake2b

SHINGLE_WORDS = 5
BINS = 60
ROWS = 3
BANDS = BINS // ROWS
# Fewer shingles than this and the estimate is too coarse to call anything a duplicate.
MIN_SHINGLES = 25
# The opening of a long text is enough to recognise it; the rest only costs time.
MAX_WORDS = 3000
# Marks an empty bin (a shingle hashing to exactly this value looks empty too: harmless).
EMPTY = 0xFFFFFFFF
SAME_STORY = 0.5
_WORD = re.compile(r"\w+")
_PACK = struct.Struct(f">{BINS}I")


def words(text: str) -> list[str]:
    """Return the lower-cased words of text (the first MAX_WORDS)."""
    return _WORD.findall(text[: MAX_WORDS * 12].lower())[:MAX_WORDS]


def sketch(text: str) -> tuple[int, ...] | None:
    """Return the MinHash sketch of text, or None when the text is too short to compare."""
    return sketch_words(words(text))


def sketch_words(tokens: list[str]) -> tuple[int, ...] | None:
    """Return the MinHash sketch of a text's words as words() returns them (None when too few)."""
    tokens = tokens[:MAX_WORDS]
    count = len(tokens) - SHINGLE_WORDS + 1
    if count < MIN_SHINGLES:
        return None
    encoded = [token.encode() for token in tokens]  # each word once, not once per shingle it is in
    shingles = zip(*(encoded[k : k + count] for k in range(SHINGLE_WORDS)), strict=True)
    mins = [EMPTY] * BINS
    for value in map(zlib.crc32, map(b" ".join, shingles)):
        slot = value % BINS
        if value < mins[slot]:
            mins[slot] = value
    return tuple(mins)


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimate the Jaccard similarity of two sketches (bins empty in both are ignored)."""
    compared = agreed = 0
    for x, y in zip(a, b, strict=True):
        if x == EMPTY and y == EMPTY:
            continue
        compared += 1
        agreed += x == y
    return agreed / compared if compared else 0.0


def band_keys(signature: tuple[int, ...]) -> list[int]:
    """Return the LSH band keys of a sketch as signed 64-bit integers (one per non-empty band)."""
    keys = []
    for band in range(BANDS):
        part = signature[band * ROWS : (band + 1) * ROWS]
        if all(value == EMPTY for value in part):
            continue
        digest = blake2b(bytes([band]) + struct.pack(f">{ROWS}I", *part), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def pack(signature: tuple[int, ...]) -> bytes:
    return _PACK.pack(*signature)


def unpack(data: bytes | memoryview) -> tuple[int, ...]:
    return _PACK.unpack(bytes(data))
