"""Build the tagger's Vocabulary from the database, once per change of reference data."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, Sum
from django.db.models.functions import Length

from ..models import Actor, ActorAlias, ActorRole, Dispute, DisputeParty, SystemAlias, WeaponsSystem
from ..tagging.types import ActorEntry, DisputeEntry, RoleEntry, SystemEntry
from ..tagging.vocabulary import Vocabulary, vocabulary_settle

_vocabulary_cache: dict[str, Vocabulary] = {}


def _reference_version() -> str:
    stamp = [
        Actor.objects.exclude(status=Actor.Status.REJECTED).aggregate(n=Count("id"), t=Max("updated_at")),
        # Lengths catch an alias edited in place (same count, same ids).
        ActorAlias.objects.aggregate(n=Count("id"), m=Max("id"), t=Sum(Length("text")), k=Max("kind")),
        SystemAlias.objects.aggregate(n=Count("id"), m=Max("id"), t=Sum(Length("text"))),
        ActorRole.objects.aggregate(n=Count("id"), m=Max("id"), t=Sum(Length("title")), e=Max("end")),
        DisputeParty.objects.aggregate(n=Count("id"), m=Max("id")),
        WeaponsSystem.objects.aggregate(n=Count("id"), m=Max("id"), t=Sum(Length("name"))),
        Dispute.objects.aggregate(n=Count("id"), m=Max("id"), t=Sum(Length("name"))),
    ]
    return hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]


def vocabulary_load(*, force: bool = False) -> Vocabulary:
    """Return the tagging vocabulary, rebuilt only when reference data has changed."""
    version = _reference_version()
    cached = _vocabulary_cache.get("current")
    if cached is not None and cached.version == version and not force:
        return cached
    aliases: dict[int, list[ActorAlias]] = {}
    for alias in ActorAlias.objects.all():
        aliases.setdefault(alias.actor_id, []).append(alias)
    roles: dict[int, list[RoleEntry]] = {}
    for role in ActorRole.objects.all():
        roles.setdefault(role.actor_id, []).append(
            RoleEntry(role.title, role.start, role.end, tuple(role.descriptions or ()))
        )
    actors = {
        a.pk: ActorEntry(
            id=a.pk,
            name=a.name,
            kind=a.kind,
            gender=a.gender,
            aliases=tuple(x.text for x in aliases.get(a.pk, []) if x.kind == ActorAlias.Kind.NAME),
            metonyms=tuple(x.text for x in aliases.get(a.pk, []) if x.kind == ActorAlias.Kind.METONYM),
            roles=tuple(roles.get(a.pk, [])),
            candidate=a.status == Actor.Status.CANDIDATE,
        )
        for a in Actor.objects.exclude(status=Actor.Status.REJECTED)
    }
    system_aliases: dict[int, list[str]] = {}
    for alias in SystemAlias.objects.all():
        system_aliases.setdefault(alias.system_id, []).append(alias.text)
    systems = {
        s.pk: SystemEntry(s.pk, s.name, tuple(system_aliases.get(s.pk, []))) for s in WeaponsSystem.objects.all()
    }
    disputes = {}
    for d in Dispute.objects.prefetch_related("party_links", "systems"):
        disputes[d.pk] = DisputeEntry(
            id=d.pk,
            slug=d.slug,
            name=d.name,
            party_ids=frozenset(p.actor_id for p in d.party_links.all()),
            system_ids=frozenset(s.pk for s in d.systems.all()),
            keywords=tuple(d.keywords or ()),
        )
    vocabulary = Vocabulary(actors=actors, systems=systems, disputes=disputes, version=version)
    _vocabulary_cache["current"] = vocabulary_settle(vocabulary)
    return vocabulary
