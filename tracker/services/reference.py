"""Load reference data (actors, systems, disputes, milestones) from the JSON files."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.db import transaction

from ..models import Actor, ActorAlias, ActorRole, Dispute, DisputeParty, Event, SystemAlias, WeaponsSystem

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def reference_load(*, directory: Path = REFERENCE_DIR) -> dict[str, int]:
    """Create or update actors, systems and disputes from the JSON files in directory."""
    actors = json.loads((directory / "actors.json").read_text(encoding="utf-8"))
    systems = json.loads((directory / "systems.json").read_text(encoding="utf-8"))
    counts = {"actors": 0, "systems": 0, "disputes": 0, "milestones": 0}
    by_slug: dict[str, Actor] = {}
    for row in actors:
        actor, _ = Actor.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "role": row.get("role") or "",
                "country": row.get("country") or "",
                "gender": row.get("gender") or "",
                "status": Actor.Status.CONFIRMED,
            },
        )
        by_slug[actor.slug] = actor
        _replace_aliases(actor, row.get("aliases", []), row.get("metonyms", []))
        _replace_roles(actor, row.get("roles", []))
        counts["actors"] += 1
    for row in actors:
        affiliation = by_slug.get(row.get("affiliation") or "")
        actor = by_slug[row["slug"]]
        if actor.affiliation_id != (affiliation.pk if affiliation else None):
            actor.affiliation = affiliation
            actor.save(update_fields=["affiliation", "updated_at"])
    for row in systems:
        system, _ = WeaponsSystem.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "category": row.get("category") or "",
                "maker": by_slug.get(row.get("maker") or ""),
                "origin": by_slug.get(row.get("origin") or ""),
            },
        )
        wanted = set(row.get("aliases", [])) - {""}
        system.aliases.exclude(text__in=wanted).delete()
        existing = set(system.aliases.values_list("text", flat=True))
        SystemAlias.objects.bulk_create([SystemAlias(system=system, text=t) for t in sorted(wanted - existing)])
        counts["systems"] += 1
    for path in sorted((directory / "disputes").glob("*.json")):
        counts["milestones"] += _load_dispute(json.loads(path.read_text(encoding="utf-8")), by_slug)
        counts["disputes"] += 1
    return counts


def _replace_aliases(actor: Actor, aliases: Iterable[str], metonyms: Iterable[str]) -> None:
    wanted = {(t, ActorAlias.Kind.NAME) for t in aliases if t} | {(t, ActorAlias.Kind.METONYM) for t in metonyms if t}
    current = {(a.text, a.kind): a for a in actor.aliases.all()}
    stale = [a.pk for key, a in current.items() if key not in wanted]
    if stale:
        ActorAlias.objects.filter(pk__in=stale).delete()
    texts_kept = {text for (text, _kind) in current if (text, _kind) in wanted}
    ActorAlias.objects.bulk_create(
        [
            ActorAlias(actor=actor, text=t, kind=k)
            for (t, k) in sorted(wanted)
            if (t, k) not in current and t not in texts_kept
        ]
    )


def _replace_roles(actor: Actor, roles: list[dict]) -> None:
    wanted = [(r["title"], _date(r.get("from")), _date(r.get("to")), list(r.get("descriptions", []))) for r in roles]
    current = [(r.title, r.start, r.end, r.descriptions) for r in actor.roles.all()]
    if sorted(map(repr, wanted)) == sorted(map(repr, current)):
        return
    actor.roles.all().delete()
    ActorRole.objects.bulk_create(
        [ActorRole(actor=actor, title=t, start=s, end=e, descriptions=d) for (t, s, e, d) in wanted]
    )


def _load_dispute(row: dict, by_slug: dict[str, Actor]) -> int:
    dispute, _ = Dispute.objects.update_or_create(
        slug=row["slug"],
        defaults={
            "name": row["name"],
            "summary": row.get("summary", ""),
            "status": row.get("status", Dispute.Status.ACTIVE),
            "start_date": _date(row.get("start_date")),
            "keywords": row.get("keywords", []),
        },
    )
    for party in row.get("parties", []):
        DisputeParty.objects.update_or_create(
            dispute=dispute, actor=by_slug[party["actor"]], defaults={"side": party["side"]}
        )
    dispute.party_links.exclude(actor__slug__in=[p["actor"] for p in row.get("parties", [])]).delete()
    dispute.systems.set(WeaponsSystem.objects.filter(slug__in=row.get("systems", [])))
    for milestone in row.get("milestones", []):
        Event.objects.update_or_create(
            dispute=dispute,
            date=_date(milestone["date"]),
            title=milestone["title"],
            defaults={
                "kind": milestone.get("kind", Event.Kind.OTHER),
                "description": milestone.get("description", ""),
                "review": Event.Review.CONFIRMED,
            },
        )
    return len(row.get("milestones", []))
