"""Find statements: direct quotes with their speakers, and reported speech.

Direct quotes (see quotes.py) take their speaker from the attribution after them
("…," Olsen said / said Olsen), before them (The minister said: "…"), the other half of a
split quote, or, for a quote standing alone, the speaker of the quote just before it.
Reported speech is a sentence whose subject is a speaker and whose main verb is a speech
verb ("X said [on Monday] [that] …", "X told reporters …", "according to X, …",
"…, X said.", "X was quoted by state media as saying …"). A short quote inside a sentence
("called any delay "simply unacceptable"") is part of that sentence's reported speech.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .dates import find_moment
from .lexicon import SPEECH_VERB_PATTERN, SPEECH_VERBS
from .normalise import fold
from .quotes import Quote
from .segments import Segments
from .speakers import Speaker, SpeakerResolver
from .stance import classify_stance
from .types import Mention, StatementSpan, frozen
from .vocabulary import Vocabulary
from .wordsets import WordSet

_QUOTED_AS = r"(?:was|were|has\s+been|had\s+been)\s+(?:quoted|cited)\s+(?:by\s+[^,.\"“”]{1,60}?\s+)?as\s+(?:saying|telling\s+[^,.\"“”]{1,40}?)"
_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")
_QUOTED_AS_RE = re.compile(_QUOTED_AS)
_SPEECH_VERB_SET = WordSet(SPEECH_VERBS, dash_is_word=True)


def _word_or_dash(ch: str) -> bool:
    """Return whether ch is in the regex class [\\w-]."""
    return ch.isalnum() or ch in "_-"


class Verb(NamedTuple):
    """A speech verb (or "was quoted … as saying") and where it stands."""

    start: int
    end: int
    word: str


class _SpeechVerbs:
    """The speech verbs of one text, found once; windows of the text then take theirs by bisection.

    A verb is a run of lower-case letters in SPEECH_VERBS with no word character or dash on either
    side (what _WORD finds).
    """

    def __init__(self, text: str):
        self.text = text
        self.verbs = list(map(Verb._make, _SPEECH_VERB_SET.find(text)))
        self.starts = [v.start for v in self.verbs]

    def between(self, start: int, end: int) -> list[Verb]:
        """Return the speech verbs in text[start:end], as _WORD.finditer(text, start, end) would find them."""
        if end < len(self.text) and _word_or_dash(self.text[end]):
            # The window ends inside a word or at a dash: a word cut there is a word of the window only.
            return [
                Verb(m.start(), m.end(), m.group(0))
                for m in _WORD.finditer(self.text, start, end)
                if m.group(0) in SPEECH_VERBS
            ]
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end, low)
        return [v for v in self.verbs[low:high] if v.end <= end]


def _verbs(text: str, start: int, end: int, index: _SpeechVerbs) -> list[Verb]:
    """Return the speech verbs in text[start:end], plus "was quoted/cited … as saying"."""
    found = index.between(start, end)
    if text.find("quoted", start, end) != -1 or text.find("cited", start, end) != -1:
        quoted = [Verb(q.start(), q.end(), q.group(0)) for q in _QUOTED_AS_RE.finditer(text, start, end)]
        found = sorted(
            [*quoted, *(v for v in found if not any(q.start <= v.start < q.end for q in quoted))],
            key=lambda v: v.start,
        )
    return found


_AFTER_INVERTED = re.compile(rf"^\s*[,—–-]*\s*(?P<verb>{SPEECH_VERB_PATTERN})\s+(?P<phrase>[^\"“”]+?)\s*[.,;:!?]?\s*$")
_AFTER_SUBJECT = re.compile(
    rf"^\s*[,—–-]*\s*(?P<phrase>[^\"“”]+?)\s+(?P<verb>{_QUOTED_AS}|{SPEECH_VERB_PATTERN})\b(?P<tail>[^\"“”]*)$"
)
# "The minister said: ", "Akar told reporters in Ankara on Monday, ", "Erdogan said that ": nothing but
# setting words between the verb and the quote (a clause there makes the quote partial).
_BEFORE = re.compile(
    rf"(?P<verb>{_QUOTED_AS}|(?<![\w-])(?:{SPEECH_VERB_PATTERN}))\b(?P<tail>(?:\s+(?!that\b)[^\s\"“”]+){{0,10}}?)\s*[:,]?\s*(?:that\s*)?$"
)
_ADDING = re.compile(r"(?:^|[,;]\s*|\s)(?:adding|saying|and\s+added|before\s+adding)(?:\s+that)?\s*[:,]?\s*$", re.I)
_ADDING_THAT = re.compile(r",\s*(?:and\s+)?adding\s+that\s+")
_ACCORDING_LEAD = re.compile(
    r"^\s*(?:But\s+|And\s+)?[Aa]ccording\s+to\s+(?P<phrase>[^,]{2,120}),\s*(?P<content>.+)$", re.S
)
_ACCORDING_TAIL = re.compile(
    r"^(?P<content>.+?),?\s+according\s+to\s+(?P<phrase>[^,.]{2,120}?)\s*(?:,[^,]*)?[.!?]?\s*$", re.S
)
# What may stand between a speech verb and what was said.
_EXTRAS = re.compile(
    r"^(?:\s*,?\s*(?:"
    r"on\s+\w+day|on\s+[A-Z][a-z]+\s+\d{1,2}(?:,\s*\d{4})?|late\s+on\s+\w+|(?:early|late)\s+\w+day|last\s+\w+|this\s+\w+|"
    r"earlier(?:\s+(?:this|on)\s+\w+)?|later|again|also|repeatedly|recently|previously|separately|yesterday|today|"
    r"publicly|privately|bluntly|firmly|flatly|openly|"
    r"in\s+(?:a|an|the|his|her|its|their)\s+(?:[\w-]+\s+){0,3}?(?:statement|letter|speech|interview|address|"
    r"conference|briefing|post|tweet|message|call|meeting|report|op-ed|article|remarks|session|hearing|broadcast|"
    r"comments|note|memo|filing|summit)(?:\s+(?:to|with|on|at|before|in|for|from)\s+[^,\"“”]{1,50}?(?=\s+(?:that|on|in|at)\b|,|$))?|"
    r"(?:at|during|after|before|in)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?(?:conference|briefing|meeting|summit|ceremony|"
    r"visit|event|rally|session|hearing|forum|dinner|talks|trip|debate)(?:\s+(?:in|with|of|to|at|on)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)?|"
    r"(?:in|at|from)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*|in\s+parliament|on\s+(?:Twitter|X|television|TV|social\s+media|state\s+television)|"
    r"(?:via|through)\s+a\s+spokes\w+|in\s+writing|to\s+(?:reporters|journalists|lawmakers|[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)"
    r"))+",
)
# How each alternative of _EXTRAS begins (it is case-sensitive, and opens after spaces and a comma).
_EXTRA_OPENINGS = tuple(
    """on late early last this earlier later again also repeatedly recently previously separately yesterday today
    publicly privately bluntly firmly flatly openly in at during after before from via through to""".split()
)


def _may_extend(text: str, position: int) -> bool:
    """Return whether _EXTRAS may match at position: past spaces, a comma and spaces, one of its openings."""
    length = len(text)
    while position < length and text[position].isspace():
        position += 1
    if position < length and text[position] == ",":
        position += 1
        while position < length and text[position].isspace():
            position += 1
    return text.startswith(_EXTRA_OPENINGS, position)


_TOLD_OBJECT = re.compile(
    r"\s*(?:reporters|journalists|lawmakers|legislators|parliament|senators|members|delegates|students|supporters|"
    r"an?\s+(?:[\w-]+\s+){0,3}?(?:conference|audience|crowd|forum|briefing|meeting|group|gathering|panel|committee|newspaper|"
    r"broadcaster|channel|agency|outlet)|the\s+(?:[\w-]+\s+){0,3}?(?:conference|audience|crowd|forum|briefing|meeting|"
    r"committee|newspaper|broadcaster|channel|agency|parliament|assembly|senate|house|press|media|daily|council|summit)|"
    r"(?:state|local|Turkish|Russian|U\.S\.|US|American|Indian)\s+(?:media|television|TV|broadcaster\s+\w+|news\s+agency\s+\w+)|"
    r"(?:[A-Z][\w.'’-]*)(?:\s+[A-Z][\w.'’-]*){0,3}|him|her|them|us|me)"
    # "of his party", "from Idaho"; never across a "that", which opens the content ("in a letter that Turkish …")
    r"(?:\s+(?:from|of|in|at)\s+(?:his|her|its|their|the)?\s*(?:(?!that\b)[\w-]+\s+){0,3}?(?:party|committee|parliament|council|AK\s+Party|[A-Z]\w+))?",
)
_THAT = re.compile(r"\bthat\b")
_THAT_AT_END = re.compile(r"\bthat\s*$")
_THAT_NEXT = re.compile(r"\s*,?\s*that\b")
_THAT_AHEAD = re.compile(r"[^,.\"“”]{0,60}?\bthat\b")
_SAY_VERBS = {"said", "says", "say", "told", "tells"}
_OBJECT_VERBS = {
    "told",
    "tells",
    "asked",
    "asks",
    "urged",
    "urges",
    "warned",
    "warns",
    "assured",
    "reminded",
    "informed",
}
_LEAD_ADVERBIAL = re.compile(
    r"^(?:on|in|at|during|after|before|speaking|asked|asking|responding|writing|meanwhile|however|but|and|also|earlier|"
    r"later|separately|last|this|late|early|while|when|since|addressing|in\s+a|at\s+a|\w+day)\b",
    re.I,
)
_TRAILING_ATTRIBUTION = re.compile(
    rf",\s*(?P<phrase>[^,;\"“”]{{2,90}}?)\s+(?:has\s+|had\s+)?(?P<verb>{SPEECH_VERB_PATTERN})\b(?P<tail>[^,;\"“”]{{0,80}})[.!?]?\s*$"
)
# A speech verb followed by an infinitive ("vowed to block it"), not by an audience ("said to reporters").
_INFINITIVE_TAIL = re.compile(
    r"\s*to\s+(?!(?:the|a|an|his|her|their|its|our|reporters|journalists|lawmakers|parliament|congress)\b)[a-z]+\b"
)
# ", saying [that|:]" after a main clause: what its subject said follows.
_SAYING = re.compile(r",\s+saying\b(?:\s+that\b)?\s*:?\s*")
_SAYING_BEFORE_QUOTE = re.compile(r",\s+saying\s*[:,]?\s*$")
_TRAILING_STOP = re.compile('[,;"“”]')  # what _TRAILING_ATTRIBUTION never reads past its comma
_LATER_VERB = re.compile(rf",\s*(?:{SPEECH_VERB_PATTERN})\b")
_COORDINATED = re.compile(r"\s(?:and|but)\s+(?:(?:has|have|had|also|later|then|repeatedly|since)\s+)*$")
_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:\w+ly\s+|also\s+|long\s+|since\s+)*$", re.I)
_CLAUSE_WORD = re.compile(
    r"\b(?:is|are|was|were|will|would|can|could|should|must|may|might|has|have|had|did|does|do|not|won't|cannot|can't)\b"
)
_COMMENTARY = re.compile(
    r"^(?:the|a|an|which|who|adding|saying|according|in|on|at|as|after|before|while|when|but|and|amid|despite|citing|referring|marking)\b",
    re.I,
)


class _Attributions:
    """The attributions after direct quotes, added in reading order: does one of them cover a position?

    Bisection over the starts with a running furthest end, instead of a scan of every attribution.
    """

    def __init__(self):
        self.spans: list[tuple[int, int]] = []
        self.starts: list[int] = []
        self.reach: list[int] = []  # the furthest end among the spans up to each one

    def add(self, start: int, end: int) -> None:
        if self.starts and start < self.starts[-1]:  # out of reading order: keep the lists sorted
            self.spans = sorted([*self.spans, (start, end)])
            self.starts = [s for s, _e in self.spans]
            self.reach = list(itertools.accumulate((e for _s, e in self.spans), max))
            return
        self.spans.append((start, end))
        self.starts.append(start)
        self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def covers(self, position: int) -> bool:
        """Return whether some span has start <= position < end."""
        index = bisect.bisect_right(self.starts, position) - 1
        return index >= 0 and self.reach[index] > position


@dataclass
class _Found:
    speakers: list[Speaker]
    start: int
    end: int
    text: str
    kind: str
    time_regions: list[tuple[int, int]]
    sentence: tuple[int, int]
    paragraph: int
    perfect: bool = False  # "X has said …": said at some unknown time


class _Finder:
    def __init__(self, text, segments: Segments, quotes, mentions, vocabulary, published):
        self.text = text
        self.segments = segments
        self.quotes = sorted(quotes, key=lambda q: q.open_at)
        self.quote_opens = [q.open_at for q in self.quotes]
        # The longest quote from mark to mark: a quote that opens further back than that before a place has closed.
        self.longest_quote = max((q.close_at - q.open_at for q in self.quotes if q.close_at is not None), default=0)
        self.vocabulary = vocabulary
        self.published = published
        self.resolver = SpeakerResolver(text, mentions, vocabulary)
        self.speech_verbs = _SpeechVerbs(text)
        # Where "according to", "quoted" and "cited" stand: with these and the speech verbs, a sentence
        # that can hold no reported speech is passed over without a look at its text.
        self.cue_starts = _occurrences(text, ("ccording to", "quoted", "cited", ", saying"))
        self.found: list[_Found] = []
        self.sentence_starts = [s for s, _e in segments.sentences]
        self.used_quotes: set[int] = set()
        # Only a role description needs the statement's date to pick its holder.
        self.description_starts = sorted(m.start for m in mentions if m.via == "description")
        self.attributions = _Attributions()

    def sentence_of(self, position: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        return self.segments.sentences[max(0, index)]

    def _sentences_by_paragraph(self) -> list[list[tuple[int, int]]]:
        """Return the sentences inside each paragraph, in text order."""
        paragraphs = self.segments.paragraphs
        paragraph_starts = [p_start for p_start, _e in paragraphs]
        grouped: list[list[tuple[int, int]]] = [[] for _ in paragraphs]
        for s_start, s_end in self.segments.sentences:
            index = bisect.bisect_right(paragraph_starts, s_start) - 1
            if index >= 0 and s_end <= paragraphs[index][1]:
                grouped[index].append((s_start, s_end))
        return grouped

    def run(self) -> list[_Found]:
        by_paragraph = self._sentences_by_paragraph()
        for p_index, (p_start, p_end) in enumerate(self.segments.paragraphs):
            if self.segments.in_furniture(p_start, p_end):
                continue
            for s_start, s_end in by_paragraph[p_index]:
                low = bisect.bisect_left(self.quote_opens, s_start)
                in_sentence = self.quotes[low : bisect.bisect_left(self.quote_opens, s_end, low)]
                full = [q for q in in_sentence if self._is_full(q, s_start)]
                first_full = full[0].open_at if full else s_end  # quotes are in order
                if self._may_report(s_start, first_full):
                    self._reported(s_start, s_end, first_full, full, p_index)
                for quote in full:
                    if id(quote) not in self.used_quotes:
                        self._direct(quote, s_start, s_end, p_index)
                self.resolver.remember_subject(s_start, s_end)
        return self.found

    def _may_report(self, start: int, end: int) -> bool:
        """Return whether text[start:end] may hold reported speech: a speech verb, "according to",
        "quoted" or "cited" starts there (or the window ends inside a word, where verbs are looked for
        in the window itself)."""
        if end < len(self.text) and _word_or_dash(self.text[end]):
            return True
        verb_starts = self.speech_verbs.starts
        index = bisect.bisect_left(verb_starts, start)
        if index < len(verb_starts) and verb_starts[index] < end:
            return True
        index = bisect.bisect_left(self.cue_starts, start)
        return index < len(self.cue_starts) and self.cue_starts[index] < end

    # -- direct quotes -----------------------------------------------------------------

    def _is_full(self, quote: Quote, s_start: int) -> bool:
        body = quote.text(self.text)
        if len(body.split()) < 2:
            return False
        window_start = max(s_start, quote.open_at - 200)
        before = self.text[window_start : quote.open_at]
        if not before.strip(" (—–-") or before.rstrip().endswith((":", ",")):
            return True
        attribution = self._before_match(window_start, quote.open_at)
        if attribution and not _CLAUSE_WORD.search(attribution.group("tail")):
            return True
        after = self.text[quote.close_at + 1 : quote.close_at + 3] if quote.close_at is not None else ""
        return body.rstrip()[-1:] in ",?!" or after.lstrip().startswith(",")

    def _direct(self, quote: Quote, s_start: int, s_end: int, p_index: int) -> None:
        text = self.text
        speakers: list[Speaker] = []
        time_regions: list[tuple[int, int]] = []
        after = bisect.bisect_right(self.quote_opens, quote.close_at or quote.end)  # quotes are sorted by open_at
        following = self.quotes[after] if after < len(self.quotes) else None
        partner = None
        adding = None
        adding_content = (0, 0)
        if quote.close_at is not None:
            sentence = self.sentence_of(quote.close_at)
            limit = sentence[1]
            if following is not None and following.open_at < limit + 3:
                limit = min(limit, following.open_at)
            window_start = quote.close_at + 1
            window = text[window_start:limit]
            adding = _ADDING_THAT.search(window) if "adding" in window else None
            if adding:  # '"…," he said, adding that C': the attribution ends before "adding"
                adding_content = (window_start + adding.end(), sentence[1])
                limit = window_start + adding.start()
                window = text[window_start:limit]
            day = self._day_hint(window_start, limit)
            inverted = _AFTER_INVERTED.match(window)
            subject = _AFTER_SUBJECT.match(window) if not inverted else None
            if inverted and window.lstrip()[:1] in ",—–-" or (inverted and not window[:1].isalnum()):
                speakers = self.resolver.resolve_object(
                    window_start + inverted.start("phrase"), window_start + inverted.end("phrase"), day
                )
                time_regions.append((window_start + inverted.start("verb"), limit))
            if not speakers and subject and (window.lstrip()[:1] in ",—–-" or quote.text(text).rstrip()[-1:] in ",?!"):
                speakers, _ = self.resolver.resolve_subject(
                    window_start + subject.start("phrase"), window_start + subject.end("phrase"), day
                )
                time_regions.append((window_start + subject.start("verb"), limit))
            if speakers:
                self.attributions.add(window_start, limit)
                if following is not None and following.open_at == limit and window.rstrip().endswith(","):
                    partner = following
        if not speakers:
            speakers, regions = self._before(quote, s_start)
            time_regions.extend(regions)
        if not speakers:
            last = self.found[-1] if self.found else None
            if last is not None and last.kind == "direct" and last.paragraph == p_index and not time_regions:
                # '"A," Erdogan said. "B."': B goes on with the same statement.
                self.used_quotes.add(id(quote))
                last.text = _attach(last.text, text[last.end : quote.start], _trim_quote(quote.text(text)))
                last.end = quote.end
                return
            speakers = self._continuation(quote, p_index)
        speakers = [s for s in speakers if s.actor_id is not None or s.anonymous or s.candidate or s.text]
        if not speakers:
            return
        self.used_quotes.add(id(quote))
        chunks = list(quote.chunks)
        if partner is not None:
            self.used_quotes.add(id(partner))
            chunks.extend(partner.chunks)
        body = ""
        for index, (start, end) in enumerate(chunks):
            gap = text[chunks[index - 1][1] : start] if index else ""
            body = _attach(body, gap, _trim_quote(text[start:end]))
        end = partner.end if partner is not None else quote.end
        self._add(speakers, quote.start, end, body, "direct", time_regions, (s_start, s_end), p_index)
        if adding is not None and partner is None and self._content_ok(*adding_content):
            # "adding that C" is a statement of its own, by the same speakers, said at the same time
            low = bisect.bisect_left(self.quote_opens, adding_content[0])
            for q in self.quotes[low : bisect.bisect_left(self.quote_opens, adding_content[1], low)]:
                self.used_quotes.add(id(q))
            self._add_reported(speakers, *adding_content, time_regions, (s_start, s_end), p_index)

    def _before(self, quote: Quote, s_start: int) -> tuple[list[Speaker], list[tuple[int, int]]]:
        # The window opens after the last quote (in order of opening) that closes between s_start and this one.
        start = s_start
        for index in range(bisect.bisect_left(self.quote_opens, quote.open_at) - 1, -1, -1):
            q = self.quotes[index]
            if q.open_at + self.longest_quote < s_start:
                break  # this one and every earlier one closed before s_start
            if q.close_at is not None and s_start <= q.close_at < quote.open_at:
                start = q.close_at + 1
                break
        window = self.text[start : quote.open_at]
        adding = _ADDING.search(window)
        if adding:
            last = next((f for f in reversed(self.found) if f.sentence[0] == s_start), None)
            if last is not None:
                return list(last.speakers), []
        match = self._before_match(start, quote.open_at)
        if not match and start == s_start:
            saying = _SAYING_BEFORE_QUOTE.search(window)
            if saying:  # 'Akar rejected the deadline, saying: "…"': the sentence's subject
                speakers = self.resolver.resolve_sentence_subject(s_start, s_start + saying.start(), self.published)
                return speakers, [(s_start, quote.open_at)]
        if not match or _CLAUSE_WORD.search(match.group("tail")):
            return [], []  # 'said the United States would "not look …"': a partial quote
        verb_start = match.start("verb")
        day = self._day_hint(verb_start, quote.open_at)
        speakers, _ = self.resolver.resolve_subject(start, verb_start, day)
        return speakers, [(verb_start, quote.open_at)]

    def _before_match(self, start: int, end: int) -> re.Match | None:
        """Match "<verb> [setting] [:|,|that]" ending right before a quote, from the last speech verb."""
        verbs = _verbs(self.text, start, end, self.speech_verbs)
        for verb in reversed(verbs[-2:]):
            match = _BEFORE.match(self.text, verb.start, end)
            if match:
                return match
        return None

    def _continuation(self, quote: Quote, p_index: int) -> list[Speaker]:
        """A quote with no attribution continues the speaker of the quote just before it."""
        if not self.found:
            return []
        last = self.found[-1]
        if p_index - last.paragraph > 1:
            return []
        paragraph_start = self.segments.paragraphs[p_index][0]
        opens_paragraph = quote.open_at <= paragraph_start + 1
        if last.paragraph == p_index or (opens_paragraph and last.kind == "direct") or opens_paragraph:
            return list(last.speakers)
        return []

    # -- reported speech ---------------------------------------------------------------

    def _reported(self, s_start: int, s_end: int, limit: int, full: Sequence[Quote], p_index: int) -> None:
        text = self.text
        segment_end = limit
        verbs = _verbs(text, s_start, segment_end, self.speech_verbs)
        has_according = text.find("ccording to", s_start, segment_end) != -1
        saying = (
            _SAYING.search(text, s_start, segment_end) if text.find(", saying", s_start, segment_end) != -1 else None
        )
        if not verbs and not has_according and not saying:
            return  # most sentences: no speech verb, nothing to do
        if saying and not (verbs and verbs[0].start < saying.start()):
            # "Erdogan rejected the deadline on Tuesday, saying Turkey would not step back": the
            # sentence's subject said what follows "saying".
            speakers = self.resolver.resolve_sentence_subject(s_start, saying.start(), self.published)
            content = _strip_span(text, saying.end(), segment_end)
            if speakers and content[1] > content[0] and self._content_ok(*content):
                self._add_reported(speakers, content[0], content[1], [(s_start, s_end)], (s_start, s_end), p_index)
                return
        masked = [(q.open_at, (q.close_at or q.end) + 1) for q in full]
        according = None
        if has_according:
            according = _ACCORDING_LEAD.match(text[s_start:segment_end]) or _ACCORDING_TAIL.match(
                text[s_start:segment_end]
            )
        if according:
            phrase_start, phrase_end = s_start + according.start("phrase"), s_start + according.end("phrase")
            speakers = self.resolver.resolve_object(phrase_start, phrase_end, self.published)
            content = (s_start + according.start("content"), s_start + according.end("content"))
            if speakers and self._content_ok(*content):
                self._add_reported(speakers, content[0], content[1], [(s_start, s_end)], (s_start, s_end), p_index)
                return
        trailing = None
        if verbs:
            comma = text.rfind(",", s_start, verbs[-1].start)
            # Nothing after that comma may be a comma, a semicolon or a double quote: one search rules out most.
            if comma > s_start and not _TRAILING_STOP.search(text, comma + 1, segment_end):
                trailing = _TRAILING_ATTRIBUTION.match(text, comma, segment_end)
        if trailing and trailing.start() > s_start:
            verb_start = trailing.start("verb")
            speakers, _ = self.resolver.resolve_subject(
                trailing.start("phrase"), verb_start, self._day_hint(verb_start, segment_end)
            )
            named = [x for x in speakers if x.actor_id is not None or x.anonymous or x.candidate]
            content = _strip_span(text, s_start, trailing.start())
            tail = trailing.group("tail")
            extras = _EXTRAS.match(tail)
            only_setting = not tail.strip(" .") or (extras is not None and not tail[extras.end() :].strip(" .!?"))
            only_setting = only_setting or not (_CLAUSE_WORD.search(tail) or _THAT.search(tail))
            # "C, as X vowed to block it." — the verb has its own object: C is not what X said.
            only_setting = only_setting and not _INFINITIVE_TAIL.match(tail)
            lead = text[content[0] : content[1]]
            if named and only_setting and not _LEAD_ADVERBIAL.match(lead) and self._content_ok(*content):
                # "C, X said on Tuesday." / "C, an Emirati official said." → C
                self._add(
                    named,
                    content[0],
                    content[1],
                    text[content[0] : content[1]],
                    "reported",
                    [(verb_start, segment_end)],
                    (s_start, s_end),
                    p_index,
                )
                return
        for verb in verbs:
            if any(a <= verb.start < b for a, b in masked):
                continue
            if self.attributions.covers(verb.start):
                return
            if text[s_start : verb.start].rstrip().endswith(",") and _LATER_VERB.search(text, verb.end, s_end):
                continue  # "NATO's secretary general, asked about the dispute, said …": a participle
            day = self._day_hint(verb.start, min(segment_end, verb.end + 60))
            speakers, subject_start = self.resolver.resolve_subject(s_start, verb.start, day)
            if not speakers and _COORDINATED.search(text, s_start, verb.start):
                speakers = self.resolver.resolve_sentence_subject(s_start, verb.start, day)
                subject_start = s_start
            if not speakers:
                continue
            after_start = self._skip_extras(verb)
            pre = text[s_start:subject_start].strip(" ,;—–-")
            pre_is_content = bool(pre) and not _LEAD_ADVERBIAL.match(pre) and len(pre.split()) >= 4
            pieces: list[tuple[int, int]] = []
            if pre_is_content:
                pieces.append((s_start, s_start + len(text[s_start:subject_start].rstrip(" ,;—–-"))))
                rest = text[after_start:segment_end].strip(" ,")
                if rest and not _COMMENTARY.match(rest) and rest[:1].islower():
                    pieces.append(
                        (
                            after_start
                            + (len(text[after_start:segment_end]) - len(text[after_start:segment_end].lstrip(" ,"))),
                            segment_end,
                        )
                    )
            else:
                pieces.append((after_start, segment_end))
            pieces = [_strip_span(text, a, b) for a, b in pieces]
            pieces = [(a, b) for a, b in pieces if b > a]
            if not pieces or not self._content_ok(pieces[0][0], pieces[-1][1]):
                if pieces and self._question(pieces[0][0]):
                    self.resolver.remember(speakers)  # "X declined to say whether …": still the one in focus
                return
            between = text[verb.end : after_start]
            said_that = _THAT_AT_END.search(between) if "that" in between else None
            if (
                not pre_is_content
                and verb.word not in _SAY_VERBS
                and not said_that
                and not _CLAUSE_WORD.search(text[pieces[0][0] : pieces[-1][1]])
            ):
                continue  # "The Treasury added the four officials to its list": not speech
            lead_region = (s_start, subject_start) if not pre_is_content else (subject_start, subject_start)
            regions = [(verb.start, after_start), lead_region]
            if pre_is_content:
                regions.append((verb.start, segment_end))
            body = " ".join(text[a:b] for a, b in pieces)
            self._add(speakers, pieces[0][0], pieces[-1][1], body, "reported", regions, (s_start, s_end), p_index)
            self.found[-1].perfect = bool(_PERFECT.search(text, max(s_start, verb.start - 40), verb.start))
            return

    def _skip_extras(self, verb: Verb) -> int:
        position = verb.end
        for _ in range(3):
            if verb.word in _OBJECT_VERBS or verb.word.startswith(("was", "were", "has", "had")):
                told = _TOLD_OBJECT.match(self.text, position)
                if told and told.end() > position:
                    position = told.end()
            extras = _EXTRAS.match(self.text[position : position + 200]) if _may_extend(self.text, position) else None
            if extras and extras.end() > 0:
                position += extras.end()
            else:
                break
        that = _THAT_NEXT.match(self.text[position : position + 12])
        if that:
            position += that.end()
        else:
            # "said on Monday that …" after extras; or "that" a few words further ("told Reuters in an interview that")
            ahead = (
                _THAT_AHEAD.match(self.text[position : position + 70])
                if self.text.find("that", position, position + 70) != -1
                else None
            )
            if ahead and not _CLAUSE_WORD.search(ahead.group(0)) and len(ahead.group(0).split()) <= 6:
                position += ahead.end()
        while position < len(self.text) and self.text[position] in " ,:":
            position += 1
        return position

    def _content_ok(self, start: int, end: int) -> bool:
        # split stops after the third word: the rest of a long clause need not be cut into words
        return len(self.text[start:end].split(maxsplit=2)) >= 3 and not self._question(start)

    def _question(self, start: int) -> bool:
        """Return whether reported content at start is a question, not a claim.

        "declined to say whether …", "asked whether …", "The Pentagon did not say what would happen to …".
        """
        if self.text[start : start + 1] not in _QUESTION_INITIALS:
            return False  # most content: one look at its first letter
        space = self.text.find(" ", start, start + 10)
        first = self.text[start : space if space != -1 else start + 10].lower()
        if first == "whether":
            return True
        return first in _QUESTION_WORDS and bool(_NOT_ANSWERED.search(self.text, max(0, start - 30), start))

    def _add_reported(self, speakers, start, end, regions, sentence, p_index):
        start, end = _strip_span(self.text, start, end)
        self._add(speakers, start, end, self.text[start:end], "reported", regions, sentence, p_index)

    # -- shared ----------------------------------------------------------------------------

    def _day_hint(self, start: int, end: int) -> date | None:
        if not self.description_starts:
            return self.published
        moment = find_moment(self.text, start, end, self.published)
        return moment.day if moment else self.published

    def _add(self, speakers, start, end, body, kind, regions, sentence, p_index) -> None:
        self.resolver.remember(speakers)
        self.found.append(_Found(list(speakers), start, end, body, kind, regions, sentence, p_index))


_QUESTION_WORDS = frozenset("what how why when where who which if".split())
_QUESTION_INITIALS = frozenset("wWhHiI")
_NOT_ANSWERED = re.compile(
    r"(?:\bnot|n't|\bdeclined\s+to|\brefused\s+to|\bwould\s+not)\s+(?:say|said|specify|disclose|explain)\s+$|"
    r"\b(?:asked|asks|wondered)\s+$"
)


def _occurrences(text: str, words: Sequence[str]) -> list[int]:
    """Return where each of words occurs in text (anywhere, even inside a longer word), sorted."""
    found = []
    for word in words:
        position = text.find(word)
        while position != -1:
            found.append(position)
            position = text.find(word, position + 1)
    return sorted(found)


def _attach(body: str, gap: str, piece: str) -> str:
    """Join the next piece of a quotation to what came before, across the text between them.

    Wire style ends a quoted sentence with a comma before its attribution ('"A," he said.
    "B."'): when the attribution closes the sentence and the next piece opens a new one,
    the full stop the comma stood for is put back ("A. B"). A quotation split in the middle
    of its sentence ('"A," he said, "b."') is joined with a space.
    """
    if not piece:
        return body
    if not body:
        return piece
    closes = gap.rstrip(" \n\"“”'‘’").endswith((".", "!", "?"))
    if closes and body[-1] not in ".!?…" and piece[:1].isupper():
        body += "."
    return f"{body} {piece}"


def _trim_quote(chunk: str) -> str:
    return chunk.strip().rstrip(",;:").strip()


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;:—–-":
        start += 1
    while end > start and text[end - 1] in " .,;:—–-":
        end -= 1
    return start, end


def _described(speakers: Sequence[Speaker]) -> bool:
    """Return whether a statement's speaker is a description the tagger could not place."""
    return all(s.actor_id is None and not s.anonymous and not s.candidate for s in speakers)


def _date_statements(
    text: str, segments: Segments, found: Sequence[_Found], published: date | None
) -> list[date | None]:
    """Date each statement (see docs/tagging.md):

    an exact time phrase next to its verb ("said on Monday", "told reporters on June 4") dates it;
    a vague one ("last week", "in April", "in 2017") or the perfect ("has said repeatedly")
    leaves it undated; otherwise it takes its speaker's earlier date in the article, is left
    undated in a background paragraph (one that has already gone back more than a week), or
    takes the publication date.
    """
    days: list[date | None] = []
    by_speaker: dict[str, date | None] = {}
    # A lede by description ("The top U.S. commander in Europe told lawmakers on Tuesday …") names its
    # speaker in a later paragraph: the first new speaker after it is that person, speaking that day.
    lede_day: date | None = None
    for index, item in enumerate(found):
        keys = [s.key for s in item.speakers]
        moment = None
        for start, end in item.time_regions:
            if end > start:
                moment = find_moment(text, start, end, published)
                if moment is not None:
                    break
        if moment is not None:
            day = moment.day if moment.exact else None
            for key in keys:
                by_speaker[key] = day  # passed on to this speaker's later statements, even when vague
            if index == 0 and item.paragraph == 0 and day is not None and _described(item.speakers):
                lede_day = day
        elif item.perfect or published is None:
            day = None
        elif any(k in by_speaker for k in keys):
            day = next(by_speaker[k] for k in keys if k in by_speaker)
        elif lede_day is not None and item.speakers and not _described(item.speakers):
            day, lede_day = lede_day, None
            for key in keys:
                by_speaker[key] = day
        else:
            day = published
        days.append(day)
    return days


def find_statements(
    text: str,
    segments: Segments,
    quotes: Sequence[Quote],
    mentions: Sequence[Mention],
    vocabulary: Vocabulary,
    published: date | None,
    *,
    in_dispute: bool = True,
) -> list[StatementSpan]:
    """Return the statements in text with their speakers, dates, stances and systems.

    A statement's systems are those named inside it, else every system the article names. In an
    article that belongs to no dispute (in_dispute false) every stance is neutral.
    """
    finder = _Finder(text, segments, quotes, mentions, vocabulary, published)
    found = finder.run()
    days = _date_statements(text, segments, found, published)
    systems = _SystemsNear(mentions)
    statements: list[StatementSpan] = []
    for item, said_on in zip(found, days, strict=True):
        evidence = text[item.sentence[0] : item.sentence[1]]
        stance = classify_stance(item.text, in_dispute=in_dispute)
        system_ids = systems.between(item.start, item.end) or systems.all
        for speaker in item.speakers:
            statements.append(
                frozen(
                    StatementSpan,
                    text=item.text,
                    start=item.start,
                    end=item.end,
                    kind=item.kind,
                    speaker_id=speaker.actor_id,
                    speaker_text=speaker.text,
                    anonymous=speaker.anonymous,
                    candidate=speaker.candidate and speaker.actor_id is None,
                    said_on=said_on,
                    stance=stance,
                    confidence=(0.85 if item.kind == "direct" else 0.7) * (1.0 if speaker.actor_id else 0.8),
                    system_ids=system_ids,
                    evidence=evidence,
                    in_title=False,
                )
            )
    return statements


class _SystemsNear:
    """The systems an article names, all of them or those in a span."""

    def __init__(self, mentions: Sequence[Mention]):
        self.mentions = sorted((m for m in mentions if m.kind == "system"), key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.all = tuple(sorted({m.id for m in self.mentions}))

    def between(self, start: int, end: int) -> tuple[int, ...]:
        """Return the ids of the systems named from start to end, sorted."""
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end, low)
        if high == low:
            return ()
        return tuple(sorted({m.id for m in self.mentions[low:high]}))


_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{1,40}$")
_HEADLINE_TRAILING = re.compile(
    rf"^(?P<content>.{{8,}}?),\s+(?P<phrase>[^,]{{2,60}}?)\s+(?P<verb>{SPEECH_VERB_PATTERN})\s*$"
)
_HEADLINE_LEADING = re.compile(
    rf"^(?P<phrase>[^,:]{{2,60}}?)(?:,[^,]{{2,60}},)?\s+(?P<verb>{SPEECH_VERB_PATTERN})\s+(?:that\s+)?(?P<content>.{{8,}})$"
)
_HEADLINE_COLON = re.compile(r"^(?P<phrase>[^:]{2,40}):\s+(?P<content>.{8,})$")
# "…, says Lavrov"; "…, U.S. envoy tells Turkey" (the recipient closes the headline).
_HEADLINE_INVERTED = re.compile(r"^(?P<content>.{8,}?),\s+(?:says|said)\s+(?P<phrase>[^,]{2,60}?)\s*$")
_HEADLINE_TELLS = re.compile(
    r"^(?P<content>.{8,}?),\s+(?P<phrase>[^,]{2,60}?)\s+(?:tells|told|warns|assures)\s+[A-Z][^,]{1,40}$"
)
_POSSESSOR = re.compile(r"^[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?['’]s\s+(?=[A-Z])")


_HEADLINE_ROLES = frozenset(
    """envoy ambassador commander chief head minister secretary spokesman spokeswoman spokesperson general
    adviser advisor president senator diplomat director official""".split()
)
_DIRECTING = frozenset("tells told urges urged asks asked warns warned".split())
_DIRECTIVE = re.compile(r"(?:[\w.'’-]+\s+){1,3}(?:to|of|against|over)\s")


def _headline_role(phrase: str, body: Sequence[StatementSpan], vocabulary: Vocabulary) -> list[Speaker]:
    """Return the person a headline names by office alone ("U.S. envoy tells Turkey …"): the body's first named speaker.

    A headline sums up the lede, so an office the reference data cannot place is the first
    person the article quotes by name.
    """
    words = phrase.split()
    if not words or fold(words[-1]) not in _HEADLINE_ROLES:
        return []
    for s in body:
        if s.candidate or s.speaker_id is not None and vocabulary.actors[s.speaker_id].kind == "person":
            return [Speaker(s.speaker_id, s.speaker_text, False, s.candidate)]
    return []


def _headline_surname(phrase: str, body: Sequence[StatementSpan], vocabulary: Vocabulary) -> list[Speaker]:
    """Return the body's speaker a headline names by surname alone ("Nuland says", "Turkey's Kalin says").

    Headlines shorten names the body gives in full; a possessive before the surname is where the
    person comes from, not who speaks.
    """
    word = _POSSESSOR.sub("", phrase.strip())
    if not word[:1].isupper() or " " in word or len(word) < 3:
        return []
    surname = fold(word)
    for s in body:
        name = (
            vocabulary.actors[s.speaker_id].name if s.speaker_id is not None else s.speaker_text if s.candidate else ""
        )
        if name and " " in name and fold(name.split()[-1]) == surname:
            return [Speaker(s.speaker_id, s.speaker_text, False, s.candidate)]
    return []


def find_headline_statements(
    title: str,
    mentions: Sequence[Mention],
    vocabulary: Vocabulary,
    body: Sequence[StatementSpan],
    published: date | None,
    system_ids: tuple[int, ...] = (),
    *,
    in_dispute: bool = True,
) -> list[StatementSpan]:
    """Return the claim a headline makes for a speaker ("Erdogan says …", "…, Erdogan says", "Pence: …").

    The claim carries system_ids: the systems the whole article names.

    A headline is dated like the article's first statement by the same speaker (the lede it sums up).
    """
    title = _SITE_SUFFIX.sub("", title.strip())
    match = (
        _HEADLINE_TRAILING.match(title)
        or _HEADLINE_INVERTED.match(title)
        or _HEADLINE_TELLS.match(title)
        or _HEADLINE_LEADING.match(title)
        or _HEADLINE_COLON.match(title)
    )
    if match is None:
        return []
    resolver = SpeakerResolver(title, mentions, vocabulary)
    phrase_start, phrase_end = match.span("phrase")
    if match.re is _HEADLINE_LEADING and "," in title[:phrase_end]:
        phrase_end = title.index(",")  # "Trump hosts Erdogan, says …": the subject opens the headline
        speakers = resolver.resolve_sentence_subject(0, phrase_end, published)
    elif match.re is _HEADLINE_INVERTED:
        speakers = resolver.resolve_object(phrase_start, phrase_end, published)
    else:
        speakers, _ = resolver.resolve_subject(phrase_start, phrase_end, published)
    if not any(s.actor_id for s in speakers):
        speakers = _headline_surname(title[phrase_start:phrase_end], body, vocabulary) or speakers
    if not any(s.actor_id or s.anonymous or s.candidate for s in speakers):
        speakers = _headline_role(title[phrase_start:phrase_end], body, vocabulary) or speakers
    elif speakers and all(s.anonymous for s in speakers) and not any(s.anonymous for s in body):
        # "…, U.S. diplomat tells Congress" over a body that quotes no anonymous source: someone named.
        speakers = _headline_role(title[phrase_start:phrase_end], body, vocabulary) or speakers
    if match.re is _HEADLINE_LEADING and match["verb"].lower() in _DIRECTING and _DIRECTIVE.match(match["content"]):
        return []  # "Pence tells Turkey to choose …", "Pompeo warns Egypt of sanctions risk": no claim
        if match.re is _HEADLINE_COLON and any(s.candidate or not (s.actor_id or s.anonymous) for s in speakers):
            return []
    statements = []
    c_start, c_end = _strip_span(title, *match.span("content"))
    content = title[c_start:c_end]
    if len(content.split()) < 3:
        return []
    for speaker in speakers:
        if speaker.actor_id is None and not speaker.anonymous and not speaker.candidate:
            continue
        same = [
            s
            for s in body
            if s.speaker_id == speaker.actor_id
            and s.speaker_text == speaker.text
            or (speaker.actor_id is not None and s.speaker_id == speaker.actor_id)
        ]
        said_on = same[0].said_on if same else published
        statements.append(
            StatementSpan(
                text=content,
                start=c_start,
                end=c_end,
                kind="reported",
                speaker_id=speaker.actor_id,
                speaker_text=speaker.text,
                anonymous=speaker.anonymous,
                candidate=speaker.candidate and speaker.actor_id is None,
                said_on=said_on,
                stance=classify_stance(content, in_dispute=in_dispute),
                confidence=0.6,
                system_ids=system_ids,
                evidence=title,
                in_title=True,
            )
        )
    return statements
