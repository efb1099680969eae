"""Build a Vocabulary straight from the reference JSON files (no database)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .types import ActorEntry, DisputeEntry, RoleEntry, SystemEntry
from .vocabulary import Vocabulary


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def vocabulary_from_files(directory: Path) -> Vocabulary:
    """Return the vocabulary described by actors.json, systems.json and disputes/*.json."""
    actor_rows = json.loads((directory / "actors.json").read_text(encoding="utf-8"))
    system_rows = json.loads((directory / "systems.json").read_text(encoding="utf-8"))
    actor_ids = {row["slug"]: index for index, row in enumerate(actor_rows, start=1)}
    system_ids = {row["slug"]: index for index, row in enumerate(system_rows, start=1)}
    actors = {
        actor_ids[row["slug"]]: ActorEntry(
            id=actor_ids[row["slug"]],
            name=row["name"],
            kind=row["kind"],
            gender=row.get("gender") or "",
            aliases=tuple(row.get("aliases", [])),
            metonyms=tuple(row.get("metonyms", [])),
            roles=tuple(
                RoleEntry(r["title"], _day(r.get("from")), _day(r.get("to")), tuple(r.get("descriptions", [])))
                for r in row.get("roles", [])
            ),
        )
        for row in actor_rows
    }
    systems = {
        system_ids[row["slug"]]: SystemEntry(system_ids[row["slug"]], row["name"], tuple(row.get("aliases", [])))
        for row in system_rows
    }
    disputes = {}
    for index, path in enumerate(sorted((directory / "disputes").glob("*.json")), start=1):
        row = json.loads(path.read_text(encoding="utf-8"))
        disputes[index] = DisputeEntry(
            id=index,
            slug=row["slug"],
            name=row["name"],
            party_ids=frozenset(actor_ids[p["actor"]] for p in row.get("parties", [])),
            system_ids=frozenset(system_ids[s] for s in row.get("systems", [])),
            keywords=tuple(row.get("keywords", [])),
        )
    return Vocabulary(actors=actors, systems=systems, disputes=disputes, version="files")
