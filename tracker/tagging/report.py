"""The JSON shape of a tagging result (the `extract --json` contract)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from .types import TagResult
from .vocabulary import Vocabulary


def speaker_name(statement, vocabulary: Vocabulary) -> str | None:
    """Return the canonical (or candidate) name of a statement's speaker; None when anonymous or unresolved."""
    if statement.speaker_id is not None:
        return vocabulary.actors[statement.speaker_id].name
    if statement.candidate:
        return statement.speaker_text
    return None


def result_to_json(*, path: str, title: str, published: date | None, result: TagResult, vocabulary: Vocabulary) -> dict:
    """Return the contract's object for one tagged file."""
    # A description ("Turkey's defence minister") names someone only when they are the speaker.
    every = [m for m in (*result.title_mentions, *result.mentions) if m.via != "description"]
    actor_counts = Counter(m.id for m in every if m.kind == "actor")
    system_counts = Counter(m.id for m in every if m.kind == "system")
    for statement in result.statements:
        if statement.speaker_id is not None and statement.speaker_id not in actor_counts:
            actor_counts[statement.speaker_id] = 1
    actors = [
        {
            "name": vocabulary.actors[actor_id].name,
            "kind": vocabulary.actors[actor_id].kind,
            "count": count,
            "candidate": vocabulary.actors[actor_id].candidate,
        }
        for actor_id, count in actor_counts.most_common()
    ]
    candidates = Counter(s.speaker_text for s in result.statements if s.candidate)
    actors += [{"name": name, "kind": "person", "count": n, "candidate": True} for name, n in candidates.most_common()]
    statements = []
    for s in result.statements:
        item = {
            "speaker": speaker_name(s, vocabulary),
            "text": s.text,
            "kind": s.kind,
            "said_on": s.said_on.isoformat() if s.said_on else None,
            "stance": s.stance,
            "start": s.start,
            "end": s.end,
        }
        if s.in_title:
            item["in_title"] = True
        if s.anonymous:
            item["anonymous"] = True
        if s.speaker_id is None:
            item["speaker_text"] = s.speaker_text
        statements.append(item)
    return {
        "path": path,
        "title": title,
        "published": published.isoformat() if published else None,
        "actors": actors,
        "systems": [{"name": vocabulary.systems[i].name, "count": n} for i, n in system_counts.most_common()],
        "statements": statements,
        "disputes": [{"slug": d.slug, "score": d.score} for d in result.disputes],
        "events": [
            {"dispute": e.slug, "kind": e.kind, "date": e.date.isoformat() if e.date else None, "evidence": e.evidence}
            for e in result.events
        ],
    }
