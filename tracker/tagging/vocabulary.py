"""The vocabulary the tagger matches against: aliases → actors and systems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick

from .normalise import fold
from .types import ActorEntry, DisputeEntry, SystemEntry

_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])[- ]?(?=\d)")


def alias_variants(alias: str) -> set[str]:
    """Return the spellings wire copy uses for an alias: S-400, S400, S 400."""
    variants = {alias}
    if _LETTER_DIGIT.search(alias):
        for joiner in ("-", "", " "):
            variants.add(_LETTER_DIGIT.sub(joiner, alias))
    return {v for v in variants if v.strip()}


@dataclass(frozen=True)
class Entry:
    """What one folded alias stands for."""

    kind: str  # "actor" or "system"
    id: int
    via: str  # "alias" or "metonym"
    exact_case: str | None  # the alias as written when it must match case exactly (acronyms)


@dataclass
class Vocabulary:
    actors: dict[int, ActorEntry]
    systems: dict[int, SystemEntry]
    disputes: dict[int, DisputeEntry]
    version: str = ""
    _automaton: ahocorasick.Automaton | None = field(default=None, repr=False)

    @property
    def automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            self._automaton = self._build()
        return self._automaton

    def _build(self) -> ahocorasick.Automaton:
        table: dict[str, list[Entry]] = {}

        def add(text: str, entry_kind: str, entry_id: int, via: str) -> None:
            for variant in alias_variants(text):
                letters = [c for c in variant if c.isalpha()]
                acronym = len(letters) <= 4 and all(c.isupper() for c in letters) and bool(letters)
                entry = Entry(entry_kind, entry_id, via, variant if acronym else None)
                bucket = table.setdefault(fold(variant), [])
                if entry not in bucket:
                    bucket.append(entry)

        for actor in self.actors.values():
            for alias in {actor.name, *actor.aliases}:
                add(alias, "actor", actor.id, "alias")
            for metonym in actor.metonyms:
                add(metonym, "actor", actor.id, "metonym")
        for system in self.systems.values():
            for alias in {system.name, *system.aliases}:
                add(alias, "system", system.id, "alias")
        automaton = ahocorasick.Automaton()
        for key, entries in table.items():
            automaton.add_word(key, (key, tuple(entries)))
        automaton.make_automaton()
        return automaton

    def actor_by_name(self, name: str) -> ActorEntry | None:
        folded = fold(name)
        for actor in self.actors.values():
            if fold(actor.name) == folded:
                return actor
        return None
