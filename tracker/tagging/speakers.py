"""Resolve the phrase that introduces a statement to who said it.

The phrase is the text next to a speech verb ("U.S. Defense Secretary Patrick Shanahan",
"Maria Olsen, who runs the procurement office,", "he", "a senior official", "Turkey's
foreign ministry"). It resolves, in this order, to: known actors named at its head (several
for a joint statement), a pronoun's referent (the last fitting person in focus, not the last
name mentioned), an anonymous source, a generic title that points back at a person already
named ("the minister"), or an unknown person's name (a candidate actor).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from .lexicon import (
    ANONYMOUS_NOUNS,
    DEMONYMS,
    HONORIFICS,
    MONTHS,
    ORGANISATION_WORDS,
    PRONOUNS,
    ROLE_NOUNS,
    TITLE_WORDS,
    WEEKDAYS,
)
from .normalise import fold
from .types import Mention
from .vocabulary import Vocabulary

_TRAILING = re.compile(
    r"(?:[\s,]+(?:has|have|had|also|repeatedly|again|later|separately|previously|earlier|once|then|recently|"
    r"publicly|privately|reportedly|himself|herself|itself|themselves|would|will|did|does|do|is|was|were|are|"
    r"been|told|on\s+(?:" + "|".join(WEEKDAYS) + r")|last\s+\w+|this\s+\w+|(?:late|early)\s+on\s+\w+|"
    r"in\s+(?:a|an|the|his|her|its|their)\s+[\w-]+(?:\s+[\w-]+)?|on\s+(?:Twitter|X|social\s+media|television|TV)|"
    r"in\s+(?:Ankara|Moscow|Washington|parliament)|too))+\s*$",
    re.IGNORECASE,
)
# The first word of each alternative of _TRAILING: a phrase with none of them, as a word between
# spaces or commas, has no trailing part, and the (slow, case-insensitive) search is skipped.
_TRAILING_WORDS = frozenset(
    """has have had also repeatedly again later separately previously earlier once then recently publicly
    privately reportedly himself herself itself themselves would will did does do is was were are been told
    on last this late early in too""".split()
)
_LEADING = re.compile(r"^(?:and|but|yet|so|while|as|meanwhile|however|instead|still)\b\s*", re.IGNORECASE)
_WEAK_APPOSITIVE = re.compile(r"^(?:a|an|the|one|two|three|some|several)\b", re.IGNORECASE)
_SUBORDINATE = re.compile(
    r"^(?:after|before|when|while|if|as|since|although|though|because|once|until|unless|whereas)\b", re.I
)
_APPOSITIVE = re.compile(
    r"^(?:\w+ing\b|\w+ed\s+by\b|who|which|whose|whom|where|when|that|of|beside|alongside|behind|among|next\s+to|speaking|citing|according|asked|adding|referring|"
    r"responding|writing|noting|in|on|at|during|after|before|from|with|without|for|by|to|after|under|"
    r"like|unlike|despite|also|himself|herself|itself|however|meanwhile|\d)\b",
    re.IGNORECASE,
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|for|at|to|with|from|in|by|about|on|against|near|than|between|toward|towards|within|inside|beside|"
    r"alongside|behind|among|after|before|during|like|unlike|including|under|over|into|onto|upon|via)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SPOKES_FOR = re.compile(r"\bspokes(?:man|woman|person)\s+(?:for|of|at)\s+(?:the\s+)?$", re.IGNORECASE)
_INSTITUTION_VOICE = (
    r"(?:press\s+)?(?:spokes(?:man|woman|person)|press\s+secretary|press\s+office|statement|embassy|mission|government|"
    r"presidency|cabinet|delegation|leadership)"
)
# "a Pentagon spokesman", "the UAE embassy in Washington": the institution speaks.
_SPOKES_AFTER = re.compile(
    rf"(?:'s|’s)?\s+(?:{_INSTITUTION_VOICE})(?:\s+(?:spokes(?:man|woman|person)|official))?"
    r"(?:\s+(?:in|to|at)\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?\s*$",
    re.IGNORECASE,
)
_PERSON_OFFICE = re.compile(r"(?:'s|’s)\s+(?:press\s+|private\s+)?office\s*$", re.IGNORECASE)
_DEMONYM_VOICE = re.compile(
    rf"^(?:[Aa]n?\s+|[Tt]he\s+)?(?:senior\s+)?(?P<demonym>[A-Z][\w.]+)\s+(?:{_INSTITUTION_VOICE})(?:\s+spokes(?:man|woman|person))?$"
)
_ANONYMOUS = re.compile(rf"\b(?:{ANONYMOUS_NOUNS})\b", re.IGNORECASE)
# A piece of every alternative of _ANONYMOUS, as fold() writes it: a phrase without one of them
# has no anonymous noun, and the cheap case-sensitive search spares the slow one.
_ANONYMOUS_PIECES = re.compile(
    "source|official|diplomat|people|person|insider|aide|analyst|expert|observer|authorities|police|witness|"
    "resident|farmer|fan|critic|officer|investigator|ists|executive|lawmaker|legislator|negotiator|staffer|someone|spokes"
)
_GENERIC = re.compile(
    r"^(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:(?P<place>[A-Z][\w.]*[\w.])\s+)?(?:[a-z-]+\s+){0,2}(?P<noun>minister|president|secretary|senator|spokes(?:man|woman|person)|"
    r"general|chief|ambassador|envoy|chairman|chairwoman|ceo|leader|premier|diplomat|lawmaker|official|ministry|"
    r"department|company|firm|alliance|agency|government|administration|embassy|kremlin|country|state|"
    r"manufacturer|maker|contractor|committee|senators?|republican|democrat|commander|admiral)$",
)
# "the two leaders", "both ministers": the last two people (or states) in focus, speaking jointly.
_PAIR = re.compile(
    r"^(?:[Tt]he\s+two|[Bb]oth(?:\s+the)?)\s+(?:[a-z]+\s+)?(?P<noun>leaders|presidents|ministers|men|women|"
    r"countries|governments|sides|allies)$"
)
# "the New Jersey Democrat", "the Texas Republican": a description by state and party, not a name.
_PARTY_DESCRIPTION = re.compile(
    r"^[Tt]he\s+(?P<modifiers>(?:[A-Z][\w.-]*\s+){0,3})(?P<noun>Democrat|Republican|[Ss]enator|[Ll]awmaker)$"
)
_LIST_JOINER = re.compile(r"^(?:,|and|&|as well as)?(?:\s*(?:[A-Z][\w.]*|of|for|the))*$")
_DOCUMENT = re.compile(
    r"^(?:the|their|his|her|its)\s+(?:joint\s+)?(?:letter|statement|note|memo|report|notice|message)$", re.I
)
_NAME_TOKEN = re.compile(
    r"(?:[A-Z][a-zà-ÿçğıöşüâîû'’-]+|[A-Z]\.|al-[A-Z][a-z]+|el-[A-Z][a-z]+|bin|van|von|de|da|der|ibn)"
)
_NOT_NAMES = frozenset(
    {w.capitalize() for w in (*WEEKDAYS, *MONTHS)}
    | {"The", "A", "An", "It", "He", "She", "They", "We", "I", "But", "And", "In", "On", "At", "This", "That"}
)
_PERSONISH_KINDS = {"person"}
_VOICE = re.compile(r"\b(?:spokes(?:man|woman|person)|official|secretary)\b", re.I)
_PLURAL_ANONYMOUS = re.compile(r"\b(?:sources|officials|diplomats|people|insiders|aides|analysts|experts)\b", re.I)


class Speaker(NamedTuple):
    """Who said something: a known actor, a candidate name, an anonymous source, or unresolved.

    A named tuple rather than a dataclass: speakers are compared often (who is in focus), and
    tuples compare in C.
    """

    actor_id: int | None
    text: str
    anonymous: bool = False
    candidate: bool = False

    @property
    def key(self) -> str:
        if self.actor_id is not None:
            return f"actor:{self.actor_id}"
        if self.candidate:
            return f"candidate:{fold(self.text)}"
        return f"other:{fold(self.text)}"


class SpeakerResolver:
    """Resolve speaker phrases in reading order; remembers who is in focus for pronouns."""

    def __init__(self, text: str, mentions: Sequence[Mention], vocabulary: Vocabulary):
        self.text = text
        self.vocabulary = vocabulary
        self.mentions = sorted((m for m in mentions if m.kind == "actor"), key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.focus: list[Speaker] = []  # most recent last: subjects and speakers, for pronouns
        self.candidates: dict[str, str] = {}  # folded surname -> full candidate name
        self.last_speakers: tuple[Speaker, ...] = ()

    # -- memory -------------------------------------------------------------------------

    def remember(self, speakers: Sequence[Speaker]) -> None:
        """Put speakers in focus (most recent last)."""
        self.last_speakers = tuple(speakers)
        for speaker in speakers:
            if speaker in self.focus:
                self.focus.remove(speaker)
            self.focus.append(speaker)
        del self.focus[:-12]

    def remember_subject(self, start: int, end: int) -> None:
        """Put the grammatical subject of a sentence in focus, when a person opens it."""
        m = self._first_mention(start, end)
        if m is None or self._kind(m.id) not in _PERSONISH_KINDS:
            return
        lead = self.text[start : m.start]
        if len(lead.split()) > 6 or _ends_with_preposition(lead):
            return
        self.remember([Speaker(m.id, m.text)])

    def _first_mention(self, start: int, end: int) -> Mention | None:
        """Return the first actor mention that starts within text[start:end]."""
        index = bisect.bisect_left(self.mention_starts, start)
        if index < len(self.mentions) and self.mentions[index].start < end:
            return self.mentions[index]
        return None

    def _mentions_inside(self, start: int, end: int) -> list[Mention]:
        """Return the actor mentions within text[start:end], in text order."""
        low = bisect.bisect_left(self.mention_starts, start)
        high = bisect.bisect_left(self.mention_starts, end, low)
        return [m for m in self.mentions[low:high] if m.end <= end]

    # -- resolution -----------------------------------------------------------------------

    def resolve_subject(self, start: int, end: int, day: date | None) -> tuple[list[Speaker], int]:
        """Resolve a phrase ending right before its verb; return speakers and where the speaker phrase starts.

        The phrase is read from its end, comma part by comma part, skipping appositions
        ("Maria Olsen, who runs the office, said"; "Tom Brady, 41, said"); a list of names split by
        commas ("Senators A, B and C said") is one joint subject.
        """
        parts = _comma_parts(self.text, start, end)
        for index in range(len(parts) - 1, -1, -1):
            p_start, p_end = parts[index]
            chunk = self.text[p_start:p_end].strip()
            if not chunk:
                continue
            if index > 0 and (_APPOSITIVE.match(chunk) or chunk[0].isdigit()):
                continue  # "Erdogan, in a call with Trump, said", "Tom Brady, 41, said"
            if index > 0 and self.text[p_start - 1] == "(" and chunk.endswith(")"):
                continue  # "Deniz Arslan (CHP) said", "Jim Risch (R-Idaho) said": an aside in brackets
            speakers = self._resolve_part(p_start, p_end, day, head_at_end=True)
            named = [s for s in speakers if s.actor_id is not None or s.anonymous or s.candidate]
            known = [s for s in named if s.actor_id is not None]
            if index > 0 and (chunk[0].islower() or _WEAK_APPOSITIVE.match(chunk)) and not known:
                continue  # "Julian Edelman, named the most valuable player, said"; "Pavel Lebedev, an analyst, said"
            if named and all(s.actor_id is not None or s.candidate for s in named):
                while index > 0:
                    before = self._resolve_part(parts[index - 1][0], parts[index - 1][1], day, head_at_end=True)
                    chunk_before = self.text[parts[index - 1][0] : parts[index - 1][1]].strip()
                    if (
                        not before
                        or not all(b.actor_id is not None or b.candidate for b in before)
                        or _APPOSITIVE.match(chunk_before)
                        or not self._only_names(parts[index - 1])
                    ):
                        break
                    known = {b.key for b in before}
                    speakers = before + [s for s in speakers if s.key not in known]
                    index -= 1
                    p_start = parts[index][0]
            return speakers, p_start
        return [], start

    def _only_names(self, span: tuple[int, int]) -> bool:
        """Return whether a comma part is nothing but (titled) person names: one item of a list of speakers."""
        rest = self.text[span[0] : span[1]]
        for m in sorted(self._mentions_inside(span[0], span[1]), key=lambda m: -m.start):
            if self._kind(m.id) not in _PERSONISH_KINDS:
                return False
            rest = rest[: m.start - span[0]] + rest[m.end - span[0] :]
        words = [w for w in rest.replace("and", " ").split() if w]
        return all(w.lower().strip(".") in TITLE_WORDS or w[:1].isupper() for w in words) and len(words) <= 3

    def resolve_sentence_subject(self, start: int, end: int, day: date | None) -> list[Speaker]:
        """Resolve the subject that opens a sentence ("Turkey ordered … and has said …")."""
        m = self._first_mention(start, end)
        if m is None:
            return []
        lead = self.text[start : m.start]
        if len(lead.split()) > 3 or _ends_with_preposition(lead) or self.text[m.end : m.end + 2] in ("'s", "’s"):
            return []
        return [self._speaker_for(m, day)]

    def resolve_object(self, start: int, end: int, day: date | None) -> list[Speaker]:
        """Resolve a phrase that follows its verb ("said Olsen, a spokeswoman for …")."""
        parts = _comma_parts(self.text, start, end)
        if not parts:
            return []
        return self._resolve_part(parts[0][0], parts[0][1], day, head_at_end=False)

    def _resolve_part(self, start: int, end: int, day: date | None, *, head_at_end: bool) -> list[Speaker]:
        raw = self.text[start:end]
        lead = _LEADING.match(raw)
        if lead:
            start += lead.end()
        tail = _TRAILING.search(self.text, start, end) if _may_trail(self.text, start, end) else None
        if tail and tail.start() > start:
            end = tail.start()
        phrase = self.text[start:end].strip()
        if not phrase or len(phrase.split()) > 14 or _SUBORDINATE.match(phrase):
            return []  # "After Ankara signalled …": a subordinate clause has no speaker of the sentence
        inside = self._mentions_inside(start, end)
        heads = [m for m in inside if self._is_head(m, start, end, head_at_end)]
        if len(heads) > 1:  # "head of Turkey's Defence Industries Presidency": the role, not the body inside it
            heads = [m for m in heads if not any(o is not m and o.start <= m.start and m.end <= o.end for o in heads)]
        if heads:
            joint = self._joint(heads, start, end)
            if joint:
                return joint
            if head_at_end:
                chosen = heads[-1]
            else:
                chosen = heads[0]
            return [self._speaker_for(chosen, day)]
        lowered = phrase.lower()
        if lowered in PRONOUNS:
            return self._pronoun(lowered)
        spokes = [
            m
            for m in inside
            if _SPOKES_FOR.search(self.text, max(start, m.start - 40), m.start)
            or (_SPOKES_AFTER.match(self.text, m.end, end) and self._kind(m.id) not in _PERSONISH_KINDS)
        ]
        if spokes:
            # "a Pentagon spokesman", "a spokeswoman for the State Department": the institution speaks.
            return [Speaker(self._speaker_for(spokes[-1], day).actor_id, phrase)]
        office = [
            m for m in inside if _PERSON_OFFICE.match(self.text, m.end, end) and self._kind(m.id) in _PERSONISH_KINDS
        ]
        if office:
            # "Erdogan's office said", "the president's press office said": the person speaks through it.
            return [Speaker(self._speaker_for(office[-1], day).actor_id, phrase)]
        generic = _GENERIC.match(phrase)
        if generic:
            found = self._generic(generic.group("noun").lower(), start, day, generic.group("place"))
            if found is not None:
                return [found]
        demonym = _DEMONYM_VOICE.match(phrase)
        if demonym and demonym.group("demonym").lower() in DEMONYMS:
            state = self.vocabulary.actor_by_name(DEMONYMS[demonym.group("demonym").lower()])
            if state is not None:
                return [Speaker(state.id, phrase)]
        if _may_be_anonymous(phrase) and _ANONYMOUS.search(phrase) and not _has_name(phrase):
            return [Speaker(None, phrase, anonymous=True)]
        if _DOCUMENT.match(phrase) and self.last_speakers:
            return list(self.last_speakers)  # "Pompeo and Esper wrote in a letter …" … "the letter said"
        pair = _PAIR.match(phrase) if phrase[:4] in ("The ", "the ", "Both", "both") else None
        if pair:
            found_pair = self._pair(pair.group("noun"))
            if found_pair:
                return found_pair
        party = _PARTY_DESCRIPTION.match(phrase)
        if party:
            found = self._party_member(party.group("modifiers"), day)
            return [found] if found else [Speaker(None, phrase)]
        generic = _GENERIC.match(phrase)
        if generic:
            found = self._generic(generic.group("noun").lower(), start, day, generic.group("place"))
            return [found] if found else [Speaker(None, phrase)]
        name = _candidate_name(phrase)
        if name:
            return [self._candidate(name)]
        if phrase[:1].islower() or phrase.lower().startswith(("the ", "a ", "an ")):
            return [Speaker(None, phrase)]
        return []

    def _is_head(self, m: Mention, start: int, end: int, head_at_end: bool) -> bool:
        before = self.text[start : m.start]
        if _ends_with_preposition(before):
            return False
        after = self.text[m.end : end]
        if after.startswith(("'s", "’s", "'", "’")):
            return False  # "Turkey's decision": a possessive modifies the head
        if head_at_end:
            rest = after.strip(" ,")
            return not rest or rest.lower().startswith("and ")
        return True

    def _joint(self, heads: list[Mention], start: int, end: int) -> list[Speaker]:
        """Return one speaker per person in "A and B" / "A, B and C"; empty when not a list."""
        people = [m for m in heads if self._kind(m.id) in _PERSONISH_KINDS]
        ordered = sorted(heads, key=lambda m: m.start)
        if len(ordered) < 2:
            return []
        for first, second in zip(ordered, ordered[1:], strict=False):
            between = self.text[first.end : second.start].strip(" ,")
            if not _LIST_JOINER.match(between):
                return []  # "Pompeo and Defense Secretary Mark Esper" is a list; "Erdogan's spokesman Kalin" is not
        speakers, seen = [], set()
        for m in ordered:
            if m.id not in seen:
                seen.add(m.id)
                speakers.append(Speaker(m.id, m.text))
        return speakers if len(speakers) > 1 or not people else speakers

    def _speaker_for(self, m: Mention, day: date | None) -> Speaker:
        if m.via == "description":
            entries = self._entries_for(m)
            holders = self.vocabulary.role_holders(entries, day) if entries else []
            if len(holders) == 1:
                return Speaker(holders[0], m.text)
        return Speaker(m.id, m.text)

    def _entries_for(self, m: Mention):
        found = self.vocabulary.automaton.get(fold(m.text), None)
        return found[1] if found else ()

    def _pronoun(self, pronoun: str) -> list[Speaker]:
        wanted = PRONOUNS[pronoun]
        for speaker in reversed(self.focus):
            if speaker.actor_id is not None:
                actor = self.vocabulary.actors[speaker.actor_id]
                if wanted in ("male", "female") and actor.kind == "person" and actor.gender in (wanted, ""):
                    return [speaker]
                if wanted in ("male", "female") and actor.kind != "person" and _VOICE.search(speaker.text):
                    if _gender_fits(speaker.text, wanted):
                        return [speaker]  # "A Pentagon spokesman said … He added"
                    continue
                if wanted == "it" and actor.kind != "person":
                    return [speaker]
                if wanted == "they" and actor.kind != "person":
                    return [speaker]
            elif (speaker.candidate or speaker.anonymous) and wanted in ("male", "female"):
                if not _PLURAL_ANONYMOUS.search(speaker.text) and _gender_fits(speaker.text, wanted):
                    return [speaker]
            elif speaker.anonymous and wanted == "they" and _PLURAL_ANONYMOUS.search(speaker.text):
                return [speaker]
        return []

    def _generic(self, noun: str, before: int, day: date | None, place: str | None = None) -> Speaker | None:
        """Resolve "the minister" to the last person named before whose role fits the noun.

        A capitalised word before the noun ("the U.S. envoy") must fit too: it is in the person's
        role or written next to their name ("the Russian envoy" is not the U.S. ambassador).
        """
        if place is not None:
            place = fold(place)
        for speaker in reversed(self.focus[-3:]):
            if noun in fold(speaker.text) and (place is None or place in fold(speaker.text)):
                return speaker  # "A Pentagon spokesman said …" … "the spokesman said"
        earlier = self.mentions[: bisect.bisect_left(self.mention_starts, before)]  # they start before it
        for m in reversed([m for m in earlier if m.end <= before]):
            actor = self.vocabulary.actors[m.id]
            if noun in ("ministry", "department", "agency", "embassy", "kremlin", "committee", "administration"):
                if actor.kind == "organisation" and (noun in fold(actor.name) or noun in ("agency", "administration")):
                    return Speaker(actor.id, self.text[m.start : m.end])
                continue
            if noun in ("company", "firm", "manufacturer", "maker", "contractor"):
                if actor.kind == "company":
                    return Speaker(actor.id, m.text)
                continue
            if noun in ("alliance",):
                if actor.kind == "alliance":
                    return Speaker(actor.id, m.text)
                continue
            if noun in ("government", "country", "state"):
                if actor.kind == "state":
                    return Speaker(actor.id, m.text)
                continue
            if actor.kind != "person":
                continue
            titles = " ".join(fold(r.title + " " + " ".join(r.descriptions)) for r in actor.roles if r.held_on(day))
            written = fold(self.text[max(0, m.start - 60) : m.start])
            if place is not None and place not in titles and place not in written:
                continue
            if noun.rstrip("s") in titles or noun in written:
                return Speaker(actor.id, m.text)
        for speaker in reversed(self.focus):
            if place is None and speaker.candidate and noun in fold(self.text[:before])[-400:]:
                return speaker
        return None

    def _pair(self, noun: str) -> list[Speaker]:
        """Return the last two distinct people in focus (states for "countries", "sides" …), oldest first."""
        wanted = "state" if noun in ("countries", "governments", "sides", "allies") else "person"
        pair: list[Speaker] = []
        for speaker in reversed(self.focus):
            if speaker.actor_id is None or self._kind(speaker.actor_id) != wanted:
                continue
            if all(p.actor_id != speaker.actor_id for p in pair):
                pair.append(speaker)
            if len(pair) == 2:
                return pair[::-1]
        return []

    def _party_member(self, modifiers: str, day: date | None) -> Speaker | None:
        """Resolve "the New Jersey Democrat" to the last person in focus whose roles name the state."""
        wanted = fold(modifiers).split()
        for speaker in reversed(self.focus):
            if speaker.actor_id is None or speaker.anonymous:
                continue
            actor = self.vocabulary.actors[speaker.actor_id]
            if actor.kind != "person":
                continue
            titles = " ".join(fold(r.title + " " + " ".join(r.descriptions)) for r in actor.roles if r.held_on(day))
            if all(word in titles.split() for word in wanted):
                return speaker
        return None

    def _candidate(self, name: str) -> Speaker:
        tokens = name.split()
        if len(tokens) == 1:
            full = self.candidates.get(fold(tokens[0]))
            if full:
                return Speaker(None, full, candidate=True)
            return self._misspelt(name) or Speaker(None, name)  # one unknown capitalised word is no name
        else:
            self.candidates.setdefault(fold(tokens[-1]), name)
        return Speaker(None, name, candidate=True)

    def _misspelt(self, word: str) -> Speaker | None:
        """Return the person in focus whose surname word misspells by one letter ("Cavusolgu" for Çavuşoğlu)."""
        if len(word) < 5:
            return None
        folded = fold(word)
        for speaker in reversed(self.focus):
            if speaker.anonymous:
                continue
            if speaker.actor_id is not None:
                actor = self.vocabulary.actors[speaker.actor_id]
                if actor.kind != "person":
                    continue
                surname = actor.name.split()[-1]
            elif speaker.candidate:
                surname = speaker.text.split()[-1]
            else:
                continue
            if _one_edit(folded, fold(surname)):
                return speaker
        return None

    def _kind(self, actor_id: int) -> str:
        return self.vocabulary.actors[actor_id].kind


def _one_edit(a: str, b: str) -> bool:
    """Return whether a and b differ by exactly one letter changed, added, dropped, or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def _may_be_anonymous(phrase: str) -> bool:
    """Return whether phrase may hold an anonymous noun (_ANONYMOUS): one of its pieces is in the folded phrase."""
    return _ANONYMOUS_PIECES.search(fold(phrase)) is not None


def _ends_with_preposition(text: str) -> bool:
    """Return _PREPOSITION_BEFORE.search(text) is not None, searching only near the end of text.

    A match is a preposition (at most nine letters), spaces, maybe "the" and spaces, then the end:
    it starts at most ten characters before the last word, or before the word ahead of a final "the".
    """
    last = len(text.rstrip())
    before_the = len(text[: max(0, last - 3)].rstrip())
    return _PREPOSITION_BEFORE.search(text, max(0, min(last, before_the) - 10)) is not None


def _may_trail(text: str, start: int, end: int) -> bool:
    """Return whether text[start:end] has a word that can open _TRAILING (after fold(), which writes
    every letter that case-insensitive matching takes for an ASCII one as that letter)."""
    return not _TRAILING_WORDS.isdisjoint(fold(text[start:end]).replace(",", " ").split())


def _gender_fits(text: str, wanted: str) -> bool:
    lowered = text.lower()
    if wanted == "male":
        return "woman" not in lowered
    return not _MAN.search(lowered)


_PART_BREAK = re.compile("[,;—–(]")


def _comma_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the spans of text[start:end] between commas, semicolons, dashes and opening brackets."""
    parts, position = [], start
    for found in _PART_BREAK.finditer(text, start, end):
        parts.append((position, found.start()))
        position = found.start() + 1
    parts.append((position, end))
    return [(s, e) for s, e in parts if text[s:e].strip(" )")]


def _role_noun(word: str) -> bool:
    lowered = word.lower()
    return lowered in ROLE_NOUNS or lowered.endswith(("ist", "ian", "back", "eer"))


def _has_name(phrase: str) -> bool:
    tokens = phrase.split()
    capitalised = [t for t in tokens[1:] if t[:1].isupper() and t.lower().strip(".,") not in TITLE_WORDS]
    return len(capitalised) >= 2


_MAN = re.compile(r"\bspokesman\b|\bman\b")
_CAPITALISED = re.compile(r"[A-Z][a-z]")
_OF_PHRASE = re.compile(r"\s+(?:of|from|at|with|for|in)\s+(?:the\s+)?[\w'’.-]+.*$")


_INITIAL = re.compile(r"[A-Z]\.")
# Words naming a portfolio inside a title ("Under Secretary of State for Political Affairs").
PORTFOLIO_WORDS = frozenset(
    """affairs political european eurasian international arms control security policy acquisition sustainment
    economic public diplomacy export exports industry industries procurement relations nonproliferation""".split()
)


# Title words that open "Foreign Secretary Harsh Vardhan Shringla" (not "National Turkey Federation").
_PORTFOLIO_TITLES = frozenset("foreign defence defense interior finance under undersecretary secretary".split())


def _only_titles(text: str) -> bool:
    """Whether every word of text is a title word ("Under Secretary"): the of-phrase after it is the office."""
    words = text.split()
    return bool(words) and all(w.lower().strip(",.") in TITLE_WORDS for w in words)


def _candidate_name(phrase: str) -> str | None:
    """Return the person's name at the end of phrase ("Colonel Maria Olsen" → "Maria Olsen"), if any."""
    head = _OF_PHRASE.sub("", phrase)
    if head != phrase and _CAPITALISED.search(head) and not _only_titles(head):
        phrase = head  # "Dana Whitfield of the county sheriff's office"
    tokens = phrase.replace("’s", "").split()
    name: list[str] = []
    for token in reversed(tokens):
        clean = token.strip(',.;:"“”')
        if name and _INITIAL.fullmatch(token.strip(',;:"“”')):
            name.insert(0, token.strip(',;:"“”'))  # "A. Wess Mitchell": an initial before a name is part of it
        elif _NAME_TOKEN.fullmatch(clean) and clean not in _NOT_NAMES:
            name.insert(0, clean)
        else:
            break
    if name and name[-1].lower() in ORGANISATION_WORDS:
        return " ".join(name) if len(name) >= 2 and len(tokens) - len(name) <= 3 else None
    if any(token.lower().strip(",.") in TITLE_WORDS for token in tokens[: len(tokens) - len(name)]):
        # "Under Secretary of State for Political Affairs Victoria Nuland": portfolio words after a
        # title are not part of the name.
        while len(name) > 2 and name[0].lower() in PORTFOLIO_WORDS:
            name.pop(0)
    while name and (
        name[0].lower().rstrip(".") in HONORIFICS
        or name[0].lower() in HONORIFICS
        or (len(name) > 2 and name[0].lower() in _PORTFOLIO_TITLES)
    ):
        name.pop(0)
    while name and name[0] in {"bin", "van", "von", "de", "da", "der", "ibn"}:
        name.pop(0)
    if len(name) >= 3 and len(name) == len(tokens) and _role_noun(name[0]):
        name.pop(0)  # "Quarterback Tom Brady" at the start of a sentence
    if not name or len(name) > 4:
        return None
    if len(tokens) - len(name) > 5 and sum(1 for t in tokens[: len(tokens) - len(name)] if t[:1].islower()) > 3:
        return None  # a long lowercase clause ending in a capitalised word is not a speaker phrase
    if any(token.isupper() and len(token) > 1 and not _INITIAL.fullmatch(token) for token in name):
        return None  # "NATO", "TASS": organisations the reference data does not know
    return " ".join(name)
