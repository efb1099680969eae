"""Split article text into paragraphs and sentences, and find page furniture.

Furniture is text around the story that is not part of it: datelines, bylines and
editing credits, photo captions and credits, "Related" lists, share and cookie prompts.
Mentions and statements inside furniture are ignored.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .lexicon import SPEECH_VERB_PATTERN
from .normalise import fold

_FURNITURE_START = re.compile(
    r"""^\W{0,3}(?:
        (?:additional\s+|compiled\s+|writing\s+|editing\s+|reporting\s+|reported\s+|written\s+)by\b
      | by\s+[A-Z][\w.'-]+(?:\s+(?:[A-Z][\w.'-]+|and|in|de|van|von|al-\w+))*\s*(?:[,|–—-].{0,60})?$
      | (?:photo|photograph|picture|image|file\s+photo|caption|credit|video|graphic)s?\s*(?:by\b|:|/)
      | (?:related|related\s+(?:posts?|stories|articles|coverage|content|reading|news)|read\s+(?:more|also|next)|see\s+also
         |more\s+(?:from|on|stories)|recommended|most\s+(?:read|popular|viewed)|trending|also\s+read|you\s+may\s+also\s+like)\b
      | (?:share|tweet|email|print|whatsapp|facebook|twitter|linkedin|reddit)(?:\s+(?:this|on|via|article|story)\b.*)?$
      | (?:sign\s+up|subscribe|newsletter|we\s+use\s+cookies|this\s+(?:site|website)\s+uses\s+cookies|accept\s+(?:all\s+)?cookies|cookie)
      | (?:leave\s+a\s+(?:comment|reply)|post\s+a\s+comment|comments?\b|log\s+in\s+to|join\s+the\s+conversation|\d+\s+comments?)
      | (?:advertisement|sponsored|tags?\s*:|topics?\s*:|filed\s+under|copyright|\u00a9|all\s+rights\s+reserved|our\s+standards)
      | (?:follow\s+us|click\s+here|listen\s+to\s+this|getty\s+images|ap\s+photo)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# How each alternative of _FURNITURE_START begins (lower case, as fold() writes it); a paragraph
# whose first word begins with none of them (nor with a digit or ©) is not tried against it.
_FURNITURE_OPENINGS = tuple(
    """additional compiled writing editing reporting reported written by photo picture image file caption credit
    video graphic related read see more recommended most trending also you share tweet email print whatsapp
    facebook twitter linkedin reddit sign subscribe newsletter we this accept cookie leave post comment log join
    advertisement sponsored tag topic filed copyright all our follow click listen getty ap""".split()
)
_RELATED_OPENINGS = ("related", "read", "see", "more", "you", "recommended", "most")  # as _RELATED_HEADER opens
# A caption ends with a credit: "… at an air show. Photo: AFP", "(AP Photo/Jane Doe)", "REUTERS/Jane Doe".
_CAPTION_END = re.compile(
    r"(?:(?:photo|photograph|picture|image|credit)s?\s*(?::|by)\s*[^.]{1,60}\.?|\((?:[A-Z]+\s+)?photo\b[^)]{0,60}\)"
    r"|\b(?:REUTERS|AFP|AP|EPA|Getty(?:\s+Images)?|Anadolu(?:\s+Agency)?)\s*/\s*[^.]{1,60}\.?"
    r"|/\s*(?:AFP|Reuters|AP|EPA|Getty\s+Images)\.?)\s*$",
    re.IGNORECASE,
)
_CREDIT_HINT = re.compile(r"photo|picture|image|credit|getty|/", re.IGNORECASE)
# The same words as fold() writes them: looking for them in folded text is a much cheaper first test.
_FOLDED_CREDIT_HINTS = ("photo", "picture", "image", "credit", "getty", "/")
_FOLDED_CREDIT_HINT = re.compile("|".join(map(re.escape, _FOLDED_CREDIT_HINTS)))  # one search, not one find each
_RELATED_HEADER = re.compile(
    r"^\W{0,3}(?:related|related\s+\w+|read\s+(?:more|also|next)|see\s+also|more\s+(?:from|on)\b.*|you\s+may\s+also\s+like|"
    r"recommended(?:\s+\w+)?|most\s+(?:read|popular))\s*:?\s*$",
    re.IGNORECASE,
)
# "ANKARA (Reuters) - ", "WASHINGTON, June 4 (AFP) — ", "MOSCOW — ".
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3}(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?)"
    r"(?:,\s*(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2}))?"
    r"\s*(?:\((?P<agency>[^)]{1,40})\)\s*)?[-–—]+\s*"
)

ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj capt cmdr adm sgt sen rep gov st mt jr sr prof rev gen pres fig no vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc corp co ltd dept est approx".split()
)
# After an abbreviation such as "U.S." a new sentence starts only with one of these words.
SENTENCE_STARTERS = frozenset(
    "the he she it they we i but and in on at a an this that these those there his her its their "
    "however meanwhile asked speaking earlier later separately last after before since while when".split()
)
_NEXT_WORD = re.compile(r"\s+[\"“‘'(\[]?(\w+)")
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
# '"Why?" Akar asked.': a question or exclamation closing a quote, then its attribution.
_ATTRIBUTION_AFTER = re.compile(
    rf"\s+(?:[A-Z][\w'’.-]*\s+){{1,4}}(?:{SPEECH_VERB_PATTERN})\b|\s+(?:{SPEECH_VERB_PATTERN})\s+[A-Z]"
)


@dataclass(frozen=True)
class Segments:
    """Paragraphs, sentences and furniture spans of one text (all offsets into it)."""

    paragraphs: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]
    furniture: tuple[tuple[int, int], ...]

    def in_furniture(self, start: int, end: int) -> bool:
        for f_start, f_end in self.furniture:
            if f_start <= start and end <= f_end:
                return True
        return False


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each non-blank line, stripped of surrounding spaces."""
    spans = []
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = position + (len(line) - len(line.lstrip()))
            spans.append((start, start + len(stripped)))
        position += len(line) + 1
    return spans


def _is_headline_like(paragraph: str) -> bool:
    words = paragraph.split()
    return len(words) <= 20 and not paragraph.rstrip().endswith((".", '."', ".”", ":", ";"))


def _may_open(text: str, folded: str, start: int, end: int, openings: tuple[str, ...]) -> bool:
    """Return whether text[start:end] may match _FURNITURE_START or _RELATED_HEADER (given their
    openings): past at most three characters that are not word characters, it opens with a digit or
    one of openings (in folded text); or © comes first."""
    if "©" in text[start : start + 4]:
        return True
    position = start
    while position < min(end, start + 3) and not (text[position].isalnum() or text[position] == "_"):
        position += 1
    return position < end and (text[position].isdigit() or folded.startswith(openings, position, end))


def _has_hint(hints: list[int], start: int, end: int) -> bool:
    """Return whether a credit word found at one of hints (sorted offsets) starts in [start, end)."""
    index = bisect.bisect_left(hints, start)
    return index < len(hints) and hints[index] < end


def find_furniture(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return spans of text that are page furniture, not story."""
    furniture: list[tuple[int, int]] = []
    in_related = False
    folded = fold(text)
    # Where a credit word may stand, found in one pass over the folded text (a word never spans paragraphs).
    hints = [found.start() for found in _FOLDED_CREDIT_HINT.finditer(folded)]
    for index, (start, end) in enumerate(spans):
        paragraph = text[start:end]
        if in_related and _is_headline_like(paragraph):
            furniture.append((start, end))
            continue
        in_related = False
        if _may_open(text, folded, start, end, _RELATED_OPENINGS) and _RELATED_HEADER.match(paragraph):
            in_related = True
            furniture.append((start, end))
        elif (
            _may_open(text, folded, start, end, _FURNITURE_OPENINGS)
            and _FURNITURE_START.match(paragraph)
            and (len(paragraph.split()) <= 40 or paragraph.lower().startswith(("©", "copyright")))
        ):
            furniture.append((start, end))
        elif (
            _has_hint(hints, start, end)
            and len(paragraph.split()) <= 45
            and _CREDIT_HINT.search(paragraph)
            and _CAPTION_END.search(paragraph)
        ):
            furniture.append((start, end))
        elif index < 3 and (dateline := DATELINE.match(paragraph)) and dateline.end() < len(paragraph):
            furniture.append((start, start + dateline.end()))
    return furniture


def _word_before(text: str, start: int, dot: int) -> str:
    """Return the word (letters, digits and dots) that ends at dot, not reaching back before start."""
    # Most often a space opens the word: when all after it is letters, digits and dots, that is the word.
    space = text.rfind(" ", start, dot)
    if space != -1:
        word = text[space + 1 : dot]
        rest = word.replace(".", "")
        if not rest or rest.isalnum():
            return word
    word_start = dot
    while word_start > start and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    return text[word_start:dot]


def _following_word(text: str, stop: int, end: int) -> str:
    """Return the next word after stop in lower case (past spaces and an opening quote or bracket)."""
    next_word = _NEXT_WORD.match(text, stop, end)
    return next_word.group(1).lower() if next_word else ""


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in text[start:end]."""
    spans = []
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        dot = match.start()
        if text[dot] in "?!" and text[stop - 1] in "\"”’'" and _ATTRIBUTION_AFTER.match(text, stop, end):
            continue
        if text[dot] == ".":
            word = _word_before(text, start, dot)
            if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                continue
            if "." in word and _following_word(text, stop, end) not in SENTENCE_STARTERS:
                continue  # "U.S. officials", "Donald J. Trump"
        if stop - sentence_start > 1:
            spans.append((sentence_start, stop))
        sentence_start = stop
        while sentence_start < end and text[sentence_start].isspace():
            sentence_start += 1
    if sentence_start < end and text[sentence_start:end].strip():
        spans.append((sentence_start, end))
    return spans


def segment(text: str) -> Segments:
    """Return the paragraphs, sentences and furniture of text."""
    paragraph_spans = paragraphs(text)
    furniture = find_furniture(text, paragraph_spans)
    sentences = []
    for start, end in paragraph_spans:
        for s_start, s_end in split_sentences(text, start, end):
            # A sentence that begins inside furniture (a dateline) begins where the furniture ends.
            for f_start, f_end in furniture:
                if f_start <= s_start < f_end:
                    s_start = f_end
            if s_end > s_start and text[s_start:s_end].strip():
                sentences.append((s_start, s_end))
    return Segments(tuple(paragraph_spans), tuple(sentences), tuple(furniture))
