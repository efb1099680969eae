"""Score how much an article is about each dispute."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .normalise import fold
from .types import DisputeScore, Mention
from .vocabulary import Vocabulary

THRESHOLD = 0.5


def score_disputes(text: str, mentions: Sequence[Mention], vocabulary: Vocabulary) -> list[DisputeScore]:
    """Return the disputes the text is about, best first, with scores in [0, 1]."""
    actors = Counter(m.id for m in mentions if m.kind == "actor")
    systems = Counter(m.id for m in mentions if m.kind == "system")
    folded = fold(text)
    # A party shared by every dispute (the United States) says little; one unique to a dispute says much.
    party_use = Counter(pid for d in vocabulary.disputes.values() for pid in d.party_ids)
    scores = []
    for dispute in vocabulary.disputes.values():
        system_hits = sum(systems[s] for s in dispute.system_ids)
        distinctive = sum(actors[p] for p in dispute.party_ids if party_use[p] == 1)
        shared = sum(actors[p] for p in dispute.party_ids if party_use[p] > 1)
        keywords = sum(1 for k in dispute.keywords if re.search(r"\b" + re.escape(fold(k)) + r"\b", folded))
        score = (
            0.35 * min(1.0, system_hits / 2)
            + 0.35 * min(1.0, distinctive / 2)
            + 0.1 * min(1.0, shared / 2)
            + 0.2 * min(1.0, keywords / 2)
        )
        if system_hits == 0 or distinctive == 0:
            score = min(score, THRESHOLD - 0.01)
        scores.append(DisputeScore(dispute.id, dispute.slug, round(score, 3)))
    scores = [s for s in scores if s.score >= THRESHOLD]
    return sorted(scores, key=lambda s: -s.score)
