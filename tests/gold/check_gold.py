"""Check the tagger gold set for internal consistency.

Run from the repository root: ``python tests/gold/check_gold.py``. Plain Python,
no Django, no third-party packages. Exits non-zero and lists every problem found.

What is checked (see tests/gold/README.md for the annotation guidelines):
- gold.json is valid JSON and has exactly one entry per article file;
- each article has the expected shape (headline, date line, blank line, body;
  or, for HTML, <title>, article:published_time, <article> with <h1> and <p>),
  ends with the synthetic-article sentence and has a body of 120-400 words;
- ``published`` agrees with line 2 of a text file or the HTML meta tag;
- actors are canonical names from the actor list or appear literally in the
  article text (page furniture excluded); speakers are among the actors;
- systems and disputes are canonical;
- every statement is well formed; its text is an exact substring of the article
  (direct quotes: one or more parts joined by single spaces, each part sitting
  between quote marks, or left open at the end of a paragraph when the quote goes
  on in the next paragraph or is cut off);
- ``said_on`` is a valid date no later than ``published``; when the attribution
  around a statement names a weekday, ``said_on`` is that weekday resolved
  against the publication date (the most recent such day on or before it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
GOLD = HERE / "gold.json"
SYNTHETIC_NOTE = "This is a synthetic article written for the tagger gold set."

# Canonical names, copied from the reference actor list the gold set was written against.
CANONICAL_ACTORS = {
    "Recep Tayyip Erdoğan",
    "Mevlüt Çavuşoğlu",
    "Hulusi Akar",
    "Nurettin Canikli",
    "Fikri Işık",
    "Ismail Demir",
    "İbrahim Kalın",
    "Haluk Görgün",
    "Hakan Fidan",
    "Yaşar Güler",
    "Ömer Çelik",
    "Donald Trump",
    "Joe Biden",
    "Mike Pence",
    "Rex Tillerson",
    "Mike Pompeo",
    "Antony Blinken",
    "James Mattis",
    "Patrick Shanahan",
    "Mark Esper",
    "Lloyd Austin",
    "Ellen Lord",
    "Kathryn Wheelbarger",
    "Heather Nauert",
    "Morgan Ortagus",
    "Ned Price",
    "Christopher Ford",
    "David Satterfield",
    "Jeff Flake",
    "Jim Risch",
    "Bob Menendez",
    "Lindsey Graham",
    "Jeanne Shaheen",
    "James Lankford",
    "Thom Tillis",
    "Chris Van Hollen",
    "Jens Stoltenberg",
    "Vladimir Putin",
    "Sergei Lavrov",
    "Dmitry Peskov",
    "Sergei Chemezov",
    "Alexander Mikheyev",
    "Dmitry Shugaev",
    "Marillyn Hewson",
    "Jim Taiclet",
    "Greg Hayes",
    "Narendra Modi",
    "Rajnath Singh",
    "Abdel Fattah al-Sisi",
    "Presidency of Defence Industries",
    "Turkish Ministry of National Defence",
    "Turkish Foreign Ministry",
    "US Department of Defense",
    "US State Department",
    "White House",
    "US Congress",
    "Senate Foreign Relations Committee",
    "US Treasury Department",
    "Kremlin",
    "Russian Foreign Ministry",
    "Federal Service for Military-Technical Cooperation",
    "Turkey",
    "United States",
    "Russia",
    "Greece",
    "India",
    "Egypt",
    "United Arab Emirates",
    "Israel",
    "Lockheed Martin",
    "Raytheon",
    "Almaz-Antey",
    "Rosoboronexport",
    "Rostec",
    "Aselsan",
    "NATO",
}
CANONICAL_SYSTEMS = {
    "S-400",
    "F-35",
    "Patriot",
    "Su-35",
    "Su-57",
    "F-16",
    "S-300",
    "SAMP/T",
    "Eurofighter Typhoon",
    "Hisar",
}
DISPUTES = {"turkey-s400-f35", "india-s400-caatsa", "egypt-su35", "uae-f35"}
KINDS = {"direct", "reported"}
STANCES = {"escalating", "conciliatory", "neutral"}
STATEMENT_KEYS = {"speaker", "anonymous", "text", "kind", "said_on", "stance"}
ARTICLE_KEYS = {"published", "actors", "systems", "statements", "disputes"}

OPEN_QUOTES = '"“'
CLOSE_QUOTES = '"”'
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
# Abbreviations that end in a full stop without ending a sentence.
ABBREVIATIONS = ("U.S.", "Nov.", "Wash.", "Mr.", "Ms.", "Dr.", "St.", "Gen.", "Sen.")

FURNITURE_TAGS = {"figure", "figcaption", "aside", "footer", "nav", "form", "button", "script", "style"}
FURNITURE_CLASS = re.compile(r"byline|credit|caption|share|social|related|cookie|meta|author", re.I)


class ArticleHTML(HTMLParser):
    """Collect the title, publication meta, headline and body paragraphs of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.published: str | None = None
        self.h1: list[str] = []
        self.paragraphs: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, is furniture)
        self._in_article = 0
        self._buffer: list[str] | None = None
        self._in_title = False

    def _furniture(self) -> bool:
        return any(is_furn for _, is_furn in self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("property") == "article:published_time":
            self.published = attrs.get("content")
        if tag in {"meta", "img", "input", "br", "link"}:
            return
        is_furn = tag in FURNITURE_TAGS or bool(FURNITURE_CLASS.search(attrs.get("class", "") or ""))
        self._stack.append((tag, is_furn))
        if tag == "title":
            self._in_title = True
        if tag == "article":
            self._in_article += 1
        if tag in {"h1", "p"} and self._in_article and not self._furniture():
            self._buffer = []

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break
        if tag == "title":
            self._in_title = False
        if tag == "article":
            self._in_article -= 1
        if tag in {"h1", "p"} and self._buffer is not None:
            text = " ".join("".join(self._buffer).split())
            (self.h1 if tag == "h1" else self.paragraphs).append(text)
            self._buffer = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._buffer is not None:
            self._buffer.append(data)


def load_article(path: Path, problems: list[str]) -> tuple[str | None, str, list[str]]:
    """Return (published date or None, headline, body paragraphs) for one article file."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        lines = raw.split("\n")
        if len(lines) < 4 or lines[2] != "":
            problems.append(f"{path.name}: expected headline, date line, blank line, body")
            return None, "", []
        headline, date_line = lines[0], lines[1]
        published = None
        if date_line.strip():
            try:
                published = dt.datetime.fromisoformat(date_line.strip()).date().isoformat()
            except ValueError:
                problems.append(f"{path.name}: line 2 is neither an ISO date-time nor blank: {date_line!r}")
        body = "\n".join(lines[3:]).strip("\n")
        paragraphs = [p for p in body.split("\n\n")]
        if any(not p.strip() or "\n" in p for p in paragraphs):
            problems.append(f"{path.name}: body paragraphs must be single lines separated by one blank line")
        return published, headline, [p.strip() for p in paragraphs]
    if path.suffix == ".html":
        parser = ArticleHTML()
        parser.feed(raw)
        if not parser.title.strip():
            problems.append(f"{path.name}: no <title>")
        if len(parser.h1) != 1:
            problems.append(f"{path.name}: expected exactly one <h1> in <article>, found {len(parser.h1)}")
        if not parser.published:
            problems.append(f"{path.name}: no article:published_time meta")
            published = None
        else:
            published = dt.datetime.fromisoformat(parser.published).date().isoformat()
        headline = parser.h1[0] if parser.h1 else ""
        if headline and headline not in parser.title:
            problems.append(f"{path.name}: <title> does not contain the <h1> headline")
        return published, headline, parser.paragraphs
    problems.append(f"{path.name}: unexpected file type")
    return None, "", []


def parse_date(value, where: str, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        problems.append(f"{where}: not a YYYY-MM-DD date or null: {value!r}")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: invalid date {value!r}")
        return None


def quoted_spans(blocks: list[str], part: str) -> list[tuple[int, int, int, bool]]:
    """Find (block index, start, end, closed) where ``part`` sits right after an opening quote.

    ``closed`` says whether a closing quote mark follows; a part that is not closed must
    run to the end of its paragraph (a quote continued in the next paragraph, or cut off).
    """
    found = []
    for index, block in enumerate(blocks):
        start = block.find(part)
        while start != -1:
            end = start + len(part)
            opened = start > 0 and block[start - 1] in OPEN_QUOTES
            closed = end < len(block) and block[end] in CLOSE_QUOTES
            if opened and (closed or end == len(block)):
                found.append((index, start, end, closed))
            start = block.find(part, start + 1)
    return found


def split_candidates(text: str, max_parts: int = 3):
    """Yield ways of cutting ``text`` at single spaces into 1..max_parts parts."""
    yield [text]
    spaces = [m.start() for m in re.finditer(" ", text)]
    for i in spaces:
        yield [text[:i], text[i + 1 :]]
    if max_parts >= 3:
        for a in range(len(spaces)):
            for b in range(a + 1, len(spaces)):
                i, j = spaces[a], spaces[b]
                yield [text[:i], text[i + 1 : j], text[j + 1 :]]


def locate_direct(blocks: list[str], text: str):
    """Return the spans of a direct quote's parts, or None when the quote is not found.

    Parts follow one another in one paragraph (a quote split by its attribution), or a
    part left open at the end of a paragraph continues at the start of the next one
    (a quote running across paragraphs). Only the last part may be left open at the end
    of the text it belongs to (a quote cut off).
    """
    for parts in split_candidates(text):
        hits = [quoted_spans(blocks, part) for part in parts]
        if not all(hits):
            continue
        for spans in itertools.product(*hits):
            ok = True
            for (b1, _, e1, closed1), (b2, s2, _, _) in zip(spans, spans[1:], strict=False):
                if closed1:
                    ok = ok and ((b2 == b1 and s2 > e1) or b2 == b1 + 1)
                else:
                    ok = ok and b2 == b1 + 1 and s2 == 1
            if ok:
                return [(b, s, e) for b, s, e, _ in spans]
    return None


def sentence_around(block: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of the sentence of ``block`` that contains [start, end)."""

    def is_boundary(i: int) -> bool:
        # A full stop, question or exclamation mark (optionally followed by a closing
        # quote) then a space, not belonging to a known abbreviation.
        if block[i] not in ".!?":
            return False
        for abbr in ABBREVIATIONS:
            if block[max(0, i - len(abbr) + 1) : i + 1] == abbr:
                return False
        j = i + 1
        if j < len(block) and block[j] in CLOSE_QUOTES + "'’":
            j += 1
        return j < len(block) and block[j] == " "

    left = 0
    for i in range(start - 1, -1, -1):
        if is_boundary(i):
            left = i + 1
            break
    right = len(block)
    for i in range(end, len(block)):
        if is_boundary(i):
            right = i + 1
            break
    return left, right


def resolve_weekday(name: str, published: dt.date) -> dt.date:
    delta = (published.weekday() - WEEKDAYS.index(name)) % 7
    return published - dt.timedelta(days=delta)


def check_weekday(where, blocks, spans, kind, published, said_on, problems):
    """Compare ``said_on`` with a weekday named in the attribution around a statement."""
    regions = []
    if kind == "direct":
        by_block: dict[int, list[tuple[int, int]]] = {}
        for b, s, e in spans:
            by_block.setdefault(b, []).append((s, e))
        for b, cuts in by_block.items():
            text, last = [], 0
            for s, e in sorted(cuts):
                text.append(blocks[b][last:s])
                last = e
            text.append(blocks[b][last:])
            regions.append(" ".join(text))
    else:
        b, s, e = spans[0]
        left, right = sentence_around(blocks[b], s, e)
        regions.append(blocks[b][left:s] + " " + blocks[b][e:right])
    days = set(WEEKDAY_RE.findall(" ".join(regions)))
    if not days:
        return
    if len(days) > 1:
        problems.append(f"{where}: attribution names several weekdays {sorted(days)}; cannot check said_on")
        return
    (day,) = days
    if published is None:
        if said_on is not None:
            problems.append(f"{where}: '{day}' without a publication date should give said_on null")
        return
    expected = resolve_weekday(day, published)
    if said_on != expected:
        problems.append(f"{where}: attribution says '{day}', so said_on should be {expected}, not {said_on}")


def check_article(name: str, entry: dict, problems: list[str]) -> None:
    path = ARTICLES / name
    published_file, headline, paragraphs = load_article(path, problems)
    where = name
    if set(entry) != ARTICLE_KEYS:
        problems.append(f"{where}: keys should be {sorted(ARTICLE_KEYS)}, got {sorted(entry)}")
        return

    published = parse_date(entry["published"], f"{where} published", problems)
    if entry["published"] != published_file:
        problems.append(f"{where}: published is {entry['published']!r} but the file says {published_file!r}")

    if not paragraphs or paragraphs[-1] != SYNTHETIC_NOTE:
        problems.append(f"{where}: the body must end with the synthetic-article sentence")
    words = sum(len(p.split()) for p in paragraphs)
    if not 120 <= words <= 400:
        problems.append(f"{where}: body has {words} words, expected 120-400")

    blocks = [headline] + paragraphs
    full_text = "\n\n".join(blocks)

    actors = entry["actors"]
    if not isinstance(actors, list) or len(set(actors)) != len(actors):
        problems.append(f"{where}: actors must be a list without duplicates")
        actors = list(actors or [])
    for actor in actors:
        if actor not in CANONICAL_ACTORS and actor not in full_text:
            problems.append(f"{where}: actor {actor!r} is neither canonical nor in the article text")
    for system in entry["systems"]:
        if system not in CANONICAL_SYSTEMS:
            problems.append(f"{where}: unknown system {system!r}")
    if len(set(entry["systems"])) != len(entry["systems"]):
        problems.append(f"{where}: duplicate systems")
    for dispute in entry["disputes"]:
        if dispute not in DISPUTES:
            problems.append(f"{where}: unknown dispute {dispute!r}")

    for n, st in enumerate(entry["statements"], 1):
        sw = f"{where} statement {n}"
        if not isinstance(st, dict) or not set(st) <= STATEMENT_KEYS:
            problems.append(f"{sw}: unexpected keys {sorted(st) if isinstance(st, dict) else st!r}")
            continue
        missing = {"speaker", "text", "kind", "said_on", "stance"} - set(st)
        if missing:
            problems.append(f"{sw}: missing {sorted(missing)}")
            continue
        if st["speaker"] is None:
            if st.get("anonymous") is not True:
                problems.append(f'{sw}: a null speaker needs "anonymous": true')
        else:
            if "anonymous" in st and st["anonymous"] is not False:
                problems.append(f"{sw}: a named speaker cannot be anonymous")
            if st["speaker"] not in actors:
                problems.append(f"{sw}: speaker {st['speaker']!r} is not among the actors")
        if st["kind"] not in KINDS:
            problems.append(f"{sw}: kind must be one of {sorted(KINDS)}")
        if st["stance"] not in STANCES:
            problems.append(f"{sw}: stance must be one of {sorted(STANCES)}")
        if not entry["disputes"] and st["stance"] != "neutral":
            problems.append(f"{sw}: statements in an off-topic article are neutral")
        said_on = parse_date(st["said_on"], f"{sw} said_on", problems)
        if said_on and published and said_on > published:
            problems.append(f"{sw}: said_on {said_on} is after publication {published}")

        text = st["text"]
        if not isinstance(text, str) or not text or text != text.strip():
            problems.append(f"{sw}: text must be a non-empty string without outer spaces")
            continue
        if st["kind"] == "direct":
            spans = locate_direct(blocks, text)
            if spans is None:
                problems.append(f"{sw}: direct quote not found between quote marks: {text!r}")
                continue
        else:
            spans = None
            for b, block in enumerate(blocks):
                s = block.find(text)
                if s != -1:
                    spans = [(b, s, s + len(text))]
                    break
            if spans is None:
                problems.append(f"{sw}: reported text is not in the article: {text!r}")
                continue
            if text.endswith("."):
                problems.append(f"{sw}: reported text should not keep the final full stop")
        check_weekday(sw, blocks, spans, st["kind"], published, said_on, problems)


def use_reference_names(reference: Path) -> None:
    """Read canonical actor, system and dispute names from the tagger's reference data
    (for the sets written after it grew) instead of the copy embedded above."""
    global CANONICAL_ACTORS, CANONICAL_SYSTEMS, DISPUTES
    actors = json.loads((reference / "actors.json").read_text(encoding="utf-8"))
    systems = json.loads((reference / "systems.json").read_text(encoding="utf-8"))
    CANONICAL_ACTORS = {a["name"] for a in actors}
    CANONICAL_SYSTEMS = {s["name"] for s in systems}
    DISPUTES = {json.loads(p.read_text(encoding="utf-8"))["slug"] for p in (reference / "disputes").glob("*.json")}


def check_order(name: str, entry: dict, problems: list[str]) -> None:
    """Statements are listed in the order they appear (headline first).

    Each statement must have an occurrence that starts no earlier than the previous
    statement's (joint statements share a position).
    """
    scratch: list[str] = []
    _, headline, paragraphs = load_article(ARTICLES / name, scratch)
    blocks = [headline] + paragraphs
    previous = (0, 0)
    for n, st in enumerate(entry.get("statements", []), 1):
        text = st.get("text") or ""
        if st.get("kind") == "direct":
            spans = locate_direct(blocks, text)
            if not spans:
                continue  # reported by check_article
            b, s, e = spans[0]
            key = blocks[b][s:e][:25]
        else:
            key = text[:25]
        occurrences = [(b, m.start()) for b, block in enumerate(blocks) for m in re.finditer(re.escape(key), block)]
        later = [pos for pos in occurrences if pos >= previous]
        if not later:
            problems.append(f"{name} statement {n}: out of article order")
            continue
        previous = min(later)


def run(*, prefix: str, label: str, ordered: bool) -> int:
    """Check the set in ARTICLES against GOLD: file names start with `prefix`; `ordered` adds
    the article-order check. Prints a summary and every problem; returns the exit status."""
    problems: list[str] = []
    try:
        gold = json.loads(GOLD.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"gold.json cannot be read: {exc}")
        return 1
    if not isinstance(gold, dict):
        print("gold.json must be an object keyed by article file name")
        return 1

    files = {p.name for p in ARTICLES.iterdir() if p.suffix in {".txt", ".html"}}
    for name in sorted(files - set(gold)):
        problems.append(f"{name}: article has no gold entry")
    for name in sorted(set(gold) - files):
        problems.append(f"{name}: gold entry has no article file")
    for name in sorted(files):
        if not re.fullmatch(prefix + r"\d{2}-[a-z0-9-]+\.(txt|html)", name):
            problems.append(f"{name}: file names are {prefix}NN-short-slug.txt or .html")
    for name in sorted(set(gold) & files):
        check_article(name, gold[name], problems)
        if ordered:
            check_order(name, gold[name], problems)

    statements = [st for entry in gold.values() for st in entry.get("statements", [])]
    direct = sum(st.get("kind") == "direct" for st in statements)
    anonymous = sum(bool(st.get("anonymous")) for st in statements)
    print(
        f"{len(gold)} articles, {len(statements)} statements "
        f"({direct} direct, {len(statements) - direct} reported, {anonymous} anonymous)"
    )
    for problem in problems:
        print("PROBLEM:", problem)
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    print(f"{label} is consistent")
    return 0


def main() -> int:
    return run(prefix="g", label="gold set", ordered=False)


if __name__ == "__main__":
    sys.exit(main())
