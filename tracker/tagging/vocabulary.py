"""The vocabulary the tagger matches against: aliases, metonyms and role descriptions."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from datetime import date

import ahocorasick

from .normalise import fold
from .types import ActorEntry, DisputeEntry, RoleEntry, SystemEntry

_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])[- ]?(?=\d)")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def alias_variants(alias: str) -> set[str]:
    """Return the spellings wire copy uses for an alias: S-400, S400, S 400."""
    alias = " ".join(alias.split())
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
    via: str  # "alias", "metonym" or "description"
    exact_case: str | None = None  # the alias as written when it must match case exactly (acronyms)
    short: bool = False  # a person's surname alone: needs the sense checks of gazetteer.py
    wordlike: bool = False  # a system alias that is an ordinary word ("Patriot"): same
    role: RoleEntry | None = None  # for descriptions: the role the description names


def _is_acronym(variant: str) -> bool:
    letters = [c for c in variant if c.isalpha()]
    return bool(letters) and len(letters) <= 4 and all(c.isupper() for c in letters)


@dataclass
class Vocabulary:
    actors: dict[int, ActorEntry]
    systems: dict[int, SystemEntry]
    disputes: dict[int, DisputeEntry]
    version: str = ""
    _automaton: ahocorasick.Automaton | None = field(default=None, repr=False)
    _by_name: dict[str, int] | None = field(default=None, repr=False)
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # derived data other modules build once

    @property
    def automaton(self) -> ahocorasick.Automaton:
        """Return the Aho-Corasick automaton of every folded alias (built once)."""
        if self._automaton is None:
            self._automaton = self._build()
        return self._automaton

    def _build(self) -> ahocorasick.Automaton:
        table: dict[str, list[Entry]] = {}

        def add(text: str, entry: Entry) -> None:
            for variant in alias_variants(text):
                exact = variant if entry.via != "description" and _is_acronym(variant) else None
                item = Entry(entry.kind, entry.id, entry.via, exact, entry.short, entry.wordlike, entry.role)
                bucket = table.setdefault(fold(variant), [])
                if item not in bucket:
                    bucket.append(item)

        for actor in self.actors.values():
            full_tokens = len(actor.name.split())
            for alias in {actor.name, *actor.aliases}:
                short = actor.kind == "person" and full_tokens > 1 and len(alias.split()) == 1
                add(alias, Entry("actor", actor.id, "alias", short=short))
            for metonym in actor.metonyms:
                add(_LEADING_ARTICLE.sub("", metonym), Entry("actor", actor.id, "metonym"))
            for role in actor.roles:
                for description in role.descriptions:
                    add(_LEADING_ARTICLE.sub("", description), Entry("actor", actor.id, "description", role=role))
        for system in self.systems.values():
            for alias in {system.name, *system.aliases}:
                wordlike = not any(c.isdigit() for c in alias) and not _is_acronym(alias)
                add(alias, Entry("system", system.id, "alias", wordlike=wordlike))
        automaton = ahocorasick.Automaton()
        for key, entries in table.items():
            # Names beat descriptions when one folded key is both.
            entries.sort(key=lambda e: e.via == "description")
            automaton.add_word(key, (key, tuple(entries)))
        automaton.make_automaton()
        return automaton

    def actor_by_name(self, name: str) -> ActorEntry | None:
        """Return the actor whose canonical name folds to the same text as name."""
        if self._by_name is None:
            self._by_name = {fold(a.name): a.id for a in self.actors.values()}
        actor_id = self._by_name.get(fold(name))
        return self.actors[actor_id] if actor_id is not None else None

    def role_holders(self, entries: tuple[Entry, ...], day: date | None) -> list[int]:
        """Return the actors a description named on day, most specific first."""
        holders = []
        for entry in entries:
            if entry.via == "description" and entry.role is not None and entry.role.held_on(day):
                if entry.id not in holders:
                    holders.append(entry.id)
        return holders


def vocabulary_settle(vocabulary: Vocabulary) -> Vocabulary:
    """Build the automaton and move every object alive now out of the collector's reach.

    A worker keeps its vocabulary (and Django, and the compiled patterns) for its whole
    life, while tagging allocates many short-lived objects: without this, each full
    collection walks all of them again, about 5% of tagging time. Call it after loading a
    vocabulary; a replaced vocabulary is still freed by reference counting.
    """
    _ = vocabulary.automaton
    gc.collect()
    gc.freeze()
    return vocabulary
