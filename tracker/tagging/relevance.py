"""Score how much an article is about each dispute.

Evidence for a dispute: its systems, its parties weighted by how few disputes share them
(the United States is party to every dispute and says little; Egypt says much), and its
keywords. An article needs both a party that marks the dispute and a system or keyword
of it; when another dispute's marking parties dominate the article (an India article that
mentions Turkey once in passing), the weaker dispute is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .normalise import fold
from .segments import Segments
from .types import DisputeScore, Mention
from .vocabulary import Vocabulary

THRESHOLD = 0.5
DOMINANCE = 0.34  # a dispute's marking-party evidence must reach this share of the strongest one's


def _keyword_patterns(vocabulary: Vocabulary) -> dict[int, re.Pattern | None]:
    patterns = vocabulary.cache.get("keywords")
    if patterns is None:
        patterns = {}
        for dispute in vocabulary.disputes.values():
            words = sorted({fold(k) for k in dispute.keywords if k.strip()}, key=len, reverse=True)
            patterns[dispute.id] = (
                re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])") if words else None
            )
        vocabulary.cache["keywords"] = patterns
    return patterns


def score_disputes(
    title: str,
    text: str,
    title_mentions: Sequence[Mention],
    mentions: Sequence[Mention],
    segments: Segments | None,
    vocabulary: Vocabulary,
) -> list[DisputeScore]:
    """Return the disputes the article is about, best first, with scores in [0, 1]."""
    actors: Counter[int] = Counter(m.id for m in mentions if m.kind == "actor")
    systems: Counter[int] = Counter(m.id for m in mentions if m.kind == "system")
    for m in title_mentions:  # the headline counts double
        (actors if m.kind == "actor" else systems)[m.id] += 2
    party_use = vocabulary.cache.get("party_use")
    if party_use is None:
        party_use = Counter(pid for d in vocabulary.disputes.values() for pid in d.party_ids)
        vocabulary.cache["party_use"] = party_use
    body = fold(f"{title}\n{text}")
    if segments is not None and segments.furniture:
        offset = len(title) + 1
        chars = list(body)
        for start, end in segments.furniture:
            chars[offset + start : offset + end] = " " * (end - start)
        body = "".join(chars)
    patterns = _keyword_patterns(vocabulary)
    evidence = {}
    for dispute in vocabulary.disputes.values():
        system_hits = sum(systems[s] for s in dispute.system_ids)
        marking = sum(actors[p] / party_use[p] for p in dispute.party_ids if party_use[p] <= 2)
        unique = sum(actors[p] for p in dispute.party_ids if party_use[p] == 1)
        shared = sum(actors[p] / party_use[p] for p in dispute.party_ids if party_use[p] > 2)
        pattern = patterns.get(dispute.id)
        keywords = len(set(pattern.findall(body))) if pattern else 0
        evidence[dispute.id] = (system_hits, marking, unique, shared, keywords)
    strongest = max((e[1] for e in evidence.values()), default=0.0)
    scores = []
    for dispute in vocabulary.disputes.values():
        system_hits, marking, unique, shared, keywords = evidence[dispute.id]
        score = (
            0.35 * min(1.0, system_hits / 2)
            + 0.35 * min(1.0, marking / 3)
            + 0.1 * min(1.0, shared / 2)
            + 0.2 * min(1.0, keywords / 2)
        )
        anchored = unique > 0 and (system_hits > 0 or keywords > 0)
        dominated = strongest > 0 and marking < DOMINANCE * strongest
        if not anchored or dominated:
            score = min(score, THRESHOLD - 0.01)
        scores.append(DisputeScore(dispute.id, dispute.slug, round(score, 3)))
    return sorted((s for s in scores if s.score >= THRESHOLD), key=lambda s: -s.score)
