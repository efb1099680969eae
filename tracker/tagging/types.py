"""The data the tagging pipeline takes and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


def frozen(cls, **values):
    """Return an instance of the frozen dataclass cls with every field given in values.

    Equal to cls(**values), without the generated __init__, which sets each field with its own
    object.__setattr__ call: in the tagger's hot loops that costs about three times as much.
    """
    if values.keys() != cls.__dataclass_fields__.keys():
        raise TypeError(f"{cls.__name__}: give every field, and only fields")
    instance = object.__new__(cls)
    instance.__dict__.update(values)
    return instance


@dataclass(frozen=True)
class RoleEntry:
    title: str
    start: date | None
    end: date | None
    descriptions: tuple[str, ...] = ()

    def held_on(self, day: date | None) -> bool:
        """Return whether the role was held on day (today's holder when day is unknown)."""
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ActorEntry:
    id: int
    name: str
    kind: str
    gender: str = ""
    aliases: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    roles: tuple[RoleEntry, ...] = ()
    candidate: bool = False


@dataclass(frozen=True)
class SystemEntry:
    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DisputeEntry:
    id: int
    slug: str
    name: str
    party_ids: frozenset[int] = frozenset()
    system_ids: frozenset[int] = frozenset()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A span of text naming an actor or a system."""

    kind: str  # "actor" or "system"
    id: int
    start: int
    end: int
    text: str
    via: str = "alias"  # "alias", "metonym" or "description"


@dataclass(frozen=True)
class StatementSpan:
    """A statement found in a text: offsets are into the text passed to the tagger.

    Exactly one of these holds: speaker_id is a known actor; anonymous is true (speaker_text
    says how the article describes the source); candidate is true (speaker_text is the name
    of a person the reference data does not know); or the speaker is an unresolved
    description (all three empty), which is kept but never turned into an actor.
    """

    text: str
    start: int
    end: int
    kind: str  # "direct" or "reported"
    speaker_id: int | None = None
    speaker_text: str = ""
    anonymous: bool = False
    candidate: bool = False
    said_on: date | None = None
    stance: str = "neutral"
    confidence: float = 0.5
    system_ids: tuple[int, ...] = ()
    evidence: str = ""
    in_title: bool = False  # found in the headline: offsets are into the title, not the text


@dataclass(frozen=True)
class DisputeScore:
    id: int
    slug: str
    score: float


@dataclass(frozen=True)
class ProposedEvent:
    """A sentence that announces a milestone in a dispute, for an admin to confirm."""

    dispute_id: int
    slug: str
    kind: str  # deal, delivery, sanction, removal, deadline, offer, talks, test
    date: date | None
    title: str
    evidence: str
    start: int
    end: int


@dataclass(frozen=True)
class TagResult:
    mentions: tuple[Mention, ...] = ()
    title_mentions: tuple[Mention, ...] = ()  # offsets into the title
    statements: tuple[StatementSpan, ...] = ()
    disputes: tuple[DisputeScore, ...] = ()
    candidates: tuple[tuple[str, str], ...] = field(default=())  # (name, evidence sentence)
    events: tuple[ProposedEvent, ...] = ()
