"""Score how much an article is about each dispute.

Evidence for a dispute: its systems, its parties weighted by how few disputes share them
(the United States is party to every dispute and says little; Egypt says much), and its
keywords. An article needs both a party that marks the dispute and a system or keyword
of it; when another dispute's marking parties dominate the article (an India article that
mentions Turkey once in passing), the weaker dispute is left out.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

import ahocorasick

from .normalise import fold
from .segments import Segments
from .types import DisputeScore, Mention
from .vocabulary import Vocabulary

THRESHOLD = 0.5
DOMINANCE = 0.34  # a dispute's own-party mentions must reach this share of the strongest dispute's


def _keyword_automaton(vocabulary: Vocabulary) -> ahocorasick.Automaton | None:
    """Return an automaton of every dispute's folded keywords, each with the disputes it belongs to (built once)."""
    if "keywords" not in vocabulary.cache:
        owners: dict[str, list[int]] = {}
        for dispute in vocabulary.disputes.values():
            for word in {fold(k) for k in dispute.keywords if k.strip()}:
                owners.setdefault(word, []).append(dispute.id)
        automaton = None
        if owners:
            automaton = ahocorasick.Automaton()
            for word, dispute_ids in owners.items():
                automaton.add_word(word, (word, tuple(dispute_ids)))
            automaton.make_automaton()
        vocabulary.cache["keywords"] = automaton
    return vocabulary.cache["keywords"]


def _keyword_hits(body: str, vocabulary: Vocabulary) -> dict[int, list[tuple[int, str]]]:
    """Return, per dispute, the (start, keyword) of its keywords standing alone in the folded body.

    Read left to right as a regex alternation would: at each place the longest keyword wins and
    the next hit starts after it. One automaton pass serves every dispute.
    """
    automaton = _keyword_automaton(vocabulary)
    longest: dict[int, dict[int, str]] = {}  # dispute -> start -> longest keyword standing alone there
    length = len(body)
    if automaton is not None:
        for end_index, (word, dispute_ids) in automaton.iter(body):
            start = end_index + 1 - len(word)
            before = body[start - 1] if start > 0 else " "
            after = body[end_index + 1] if end_index + 1 < length else " "
            if before.isalnum() or before in "_-" or after.isalnum() or after in "_-":
                continue  # not standing alone: preceded or followed by a word character or a dash
            for dispute_id in dispute_ids:
                at = longest.setdefault(dispute_id, {})
                if len(word) > len(at.get(start, "")):
                    at[start] = word
    hits: dict[int, list[tuple[int, str]]] = {}
    for dispute_id, at in longest.items():
        found, position = [], 0
        for start in sorted(at):
            if start >= position:
                found.append((start, at[start]))
                position = start + len(at[start])
        hits[dispute_id] = found
    return hits


def _parties_by_share(vocabulary: Vocabulary, party_use: Counter[int]) -> dict[int, tuple[tuple[int, ...], ...]]:
    """Return, per dispute, its parties shared by at most two disputes, by this one only, and by
    more than two (each in the order of dispute.party_ids; built once per vocabulary)."""
    parties = vocabulary.cache.get("parties_by_share")
    if parties is None:
        parties = {
            d.id: (
                tuple(p for p in d.party_ids if party_use[p] <= 2),
                tuple(p for p in d.party_ids if party_use[p] == 1),
                tuple(p for p in d.party_ids if party_use[p] > 2),
            )
            for d in vocabulary.disputes.values()
        }
        vocabulary.cache["parties_by_share"] = parties
    return parties


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
        pieces, position = [], 0
        for start, end in segments.furniture:
            pieces += [body[position : offset + start], " " * (end - start)]
            position = offset + end
        body = "".join([*pieces, body[position:]])
    keyword_hits = _keyword_hits(body, vocabulary)
    offset = len(title) + 1
    starts = [s for s, _e in segments.sentences] if segments is not None else [0]
    system_sentences = [(m.id, bisect.bisect_right(starts, m.start)) for m in mentions if m.kind == "system"]
    parties = _parties_by_share(vocabulary, party_use)
    evidence = {}
    for dispute in vocabulary.disputes.values():
        # Topical sentences: how many sentences (the headline is one) carry the dispute's systems or keywords.
        topical = {index for system_id, index in system_sentences if system_id in dispute.system_ids}
        if any(m.kind == "system" and m.id in dispute.system_ids for m in title_mentions):
            topical.add(-1)
        # Counter.get, not Counter[...]: most parties go unmentioned, and a missing key costs a Python call there.
        system_hits = sum(systems.get(s, 0) for s in dispute.system_ids)
        marking_ids, unique_ids, shared_ids = parties[dispute.id]
        marking = sum(actors.get(p, 0) / party_use[p] for p in marking_ids)
        unique = sum(actors.get(p, 0) for p in unique_ids)
        shared = sum(actors.get(p, 0) / party_use[p] for p in shared_ids)
        found = keyword_hits.get(dispute.id, [])
        keywords = len({word for _start, word in found})
        for start, _word in found:
            topical.add(-1 if start < offset else bisect.bisect_right(starts, start - offset))
        evidence[dispute.id] = (system_hits, marking, unique, shared, keywords, len(topical))
    strongest = max((e[2] for e in evidence.values()), default=0)
    scores = []
    for dispute in vocabulary.disputes.values():
        system_hits, marking, unique, shared, keywords, topical_sentences = evidence[dispute.id]
        score = (
            0.35 * min(1.0, system_hits / 2)
            + 0.35 * min(1.0, marking / 3)
            + 0.1 * min(1.0, shared / 2)
            + 0.2 * min(1.0, keywords / 2)
        )
        # One sentence about the dispute in a story about something else (a tariff row) is background.
        anchored = unique > 0 and (system_hits > 0 or keywords > 0) and topical_sentences >= 2
        dominated = strongest > 0 and unique < DOMINANCE * strongest
        if not anchored or dominated:
            score = min(score, THRESHOLD - 0.01)
        scores.append(DisputeScore(dispute.id, dispute.slug, round(score, 3)))
    return sorted((s for s in scores if s.score >= THRESHOLD), key=lambda s: -s.score)
