"""Find statements: direct quotes with their speaker, and reported speech."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .dates import resolve_said_on
from .stance import classify_stance
from .types import Mention, StatementSpan
from .vocabulary import Vocabulary

SPEECH_VERBS = (
    "said|says|told|added|warned|stressed|noted|insisted|argued|denied|announced|confirmed|wrote|"
    "tweeted|declared|explained|cautioned|urged|asserted|maintained|reiterated|claimed|stated|replied"
)
_QUOTE = re.compile(r"[\"“”]([^\"“”\n]{3,}?)[\"“”]")
_AFTER = re.compile(
    rf"\s*,?\s*(?:(?:{SPEECH_VERBS})\s+(?P<subj_a>[^,.;:\"“”]{{1,80}}?)|(?P<subj_b>[^,.;:\"“”]{{1,80}}?)\s+(?:{SPEECH_VERBS}))\b"
)
_BEFORE = re.compile(rf"(?P<subj>[^,.;:\"“”]{{1,80}}?)\s+(?:{SPEECH_VERBS})(?:\s+[^,.;:\"“”]{{0,40}})?[,:]\s*$")
_REPORTED = re.compile(
    rf"^(?P<subj>[^,;:\"“”]{{2,100}}?)\s+(?:has\s+|had\s+|have\s+)?(?P<verb>{SPEECH_VERBS})"
    rf"(?P<extra>(?:\s+(?:reporters|journalists|lawmakers|parliament|the\s+\w+)){{0,2}}(?:\s+on\s+\w+day)?"
    rf"(?:\s+in\s+a\s+(?:statement|letter|speech|interview))?(?:\s+repeatedly)?)\s*,?\s+(?:that\s+)?(?P<content>[^\"“”].{{10,}})$",
)
_ACCORDING = re.compile(r"^[Aa]ccording to (?P<subj>[^,]{2,80}),\s+(?P<content>.{10,})$")
_PRONOUN = re.compile(r"^(?:he|she|they)$", re.IGNORECASE)
_ANONYMOUS = re.compile(
    r"\b(?:sources?|officials?|diplomats?|a\s+(?:senior\s+)?(?:\w+\s+)?(?:official|source|diplomat|person|aide)|"
    r"people\s+familiar|spokes(?:man|woman|person)\s+who)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z])")


@dataclass
class _Speaker:
    actor_id: int | None
    text: str
    anonymous: bool


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of text, paragraph by paragraph."""
    spans = []
    position = 0
    for paragraph in text.split("\n"):
        start = position
        for match in _SENTENCE_END.finditer(paragraph):
            end = position + match.start()
            if paragraph[end - position - 1 : end - position] in '"”’':
                pass
            spans.append((start, end + (1 if text[end : end + 1] in '"”’' else 0)))
            start = position + match.end()
        if start < position + len(paragraph):
            spans.append((start, position + len(paragraph)))
        position += len(paragraph) + 1
    return [(s, e) for s, e in spans if text[s:e].strip()]


class _Resolver:
    """Resolve speaker phrases to actors, remembering the last person for pronouns."""

    def __init__(self, mentions: Sequence[Mention], vocabulary: Vocabulary):
        self.mentions = [m for m in mentions if m.kind == "actor"]
        self.vocabulary = vocabulary
        self.last_person: dict[str, int] = {}

    def resolve(self, phrase: str, start: int, end: int) -> _Speaker | None:
        phrase = phrase.strip()
        inside = [m for m in self.mentions if m.start >= start and m.end <= end]
        if inside:
            people = [m for m in inside if self.vocabulary.actors[m.id].kind == "person"]
            chosen = people[-1] if people else inside[-1]
            self.remember(chosen.id)
            return _Speaker(chosen.id, chosen.text, False)
        if _PRONOUN.match(phrase):
            gender = {"he": "male", "she": "female"}.get(phrase.lower())
            actor_id = self.last_person.get(gender or "any")
            return _Speaker(actor_id, phrase, False) if actor_id else None
        if _ANONYMOUS.search(phrase):
            return _Speaker(None, phrase, True)
        return None

    def remember_subject(self, start: int, end: int) -> None:
        """Remember the first person named in a sentence: the likeliest "he" of the next one."""
        for m in self.mentions:
            if start <= m.start < end and self.vocabulary.actors[m.id].kind == "person":
                self.remember(m.id)
                return

    def remember(self, actor_id: int) -> None:
        actor = self.vocabulary.actors[actor_id]
        if actor.kind == "person":
            self.last_person["any"] = actor_id
            if actor.gender:
                self.last_person[actor.gender] = actor_id


def find_statements(
    text: str, mentions: Sequence[Mention], vocabulary: Vocabulary, published: date | None
) -> list[StatementSpan]:
    """Return the statements in text with their speakers, dates and stances."""
    resolver = _Resolver(mentions, vocabulary)
    statements: list[StatementSpan] = []
    for s_start, s_end in split_sentences(text):
        sentence = text[s_start:s_end]
        found = False
        for quote in _QUOTE.finditer(sentence):
            q_start, q_end = s_start + quote.start(1), s_start + quote.end(1)
            while q_end > q_start and text[q_end - 1] in ",;: ":
                q_end -= 1  # the comma before the closing mark belongs to the attribution
            speaker = None
            after = _AFTER.match(text, s_start + quote.end(), s_end)
            if after:
                group = "subj_a" if after.group("subj_a") else "subj_b"
                speaker = resolver.resolve(after.group(group), after.start(group), after.end(group))
            if speaker is None:
                before = _BEFORE.search(text, s_start, s_start + quote.start())
                if before:
                    speaker = resolver.resolve(before.group("subj"), before.start("subj"), before.end("subj"))
            if speaker is None:
                continue
            found = True
            statements.append(_span(text, q_start, q_end, "direct", speaker, sentence, published))
        if found:
            continue
        resolver.remember_subject(s_start, s_end)
        match = _REPORTED.match(sentence) or _ACCORDING.match(sentence)
        if match and "“" not in match.group("subj") and '"' not in match.group("subj"):
            speaker = resolver.resolve(match.group("subj"), s_start + match.start("subj"), s_start + match.end("subj"))
            if speaker is not None:
                c_start = s_start + match.start("content")
                c_end = s_start + len(sentence.rstrip().rstrip("."))
                statements.append(_span(text, c_start, c_end, "reported", speaker, sentence, published))
    return statements


def _span(text, start, end, kind, speaker: _Speaker, sentence, published) -> StatementSpan:
    body = text[start:end]
    return StatementSpan(
        text=body,
        start=start,
        end=end,
        kind=kind,
        speaker_id=speaker.actor_id,
        speaker_text=speaker.text,
        anonymous=speaker.anonymous,
        said_on=resolve_said_on(sentence, published),
        stance=classify_stance(body),
        confidence=0.8 if kind == "direct" else 0.6,
    )
