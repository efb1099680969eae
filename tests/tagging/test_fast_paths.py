"""The tagger's shortcuts find exactly what the plain regular expressions they replace find.

Word lists gate some patterns (a sentence without a trigger word skips the event patterns, a
word that opens no stance cue is not tried), and time expressions are tried only where a word
starts. These tests run the plain pattern beside the shortcut over the gold articles and over
synthetic phrases that exercise every alternative, so a cue or trigger added without its word
fails here instead of silently going unseen.
"""

import re
from datetime import date
from pathlib import Path

import pytest

from tracker.ingest.files import read_article_file
from tracker.tagging import dates, events, gazetteer, segments, speakers, stance, statements
from tracker.tagging.lexicon import SPEECH_VERBS
from tracker.tagging.normalise import fold

GOLD = Path(__file__).resolve().parent.parent / "gold" / "articles"

# One phrase per alternative of the stance cues and event triggers (synthetic).
PHRASES = """
they imposed new sanctions; sanctioned firms; sanctions took effect; a threat; threatened; warned; warns;
retaliation; refused; rejects; defiant; defying; an ultimatum; the deadline; halted; suspension; paused;
freeze; freezing; blocked; removal; removed turkey from the programme; expelled; excluded; out of the programme;
the wind-down; leave the alliance; we will not back down; would not bow; could not step; can not walk;
do not accept; does not give; did not tear; we don't take orders; doesn't change; didn't cancel; won't retreat;
wouldn't keep; couldn't be; cannot; can't; no place; incompatible; unjust; unacceptable; dangerous; troubling;
poisoned; consequences; punishment; a price to pay; on the table; concerns; risks; at stake; doubt; pressure;
objections; must; have to; has to; demands; insists; permission; sovereignty; nobody; no one; our business;
ours own business; closed; final; delivery; arrived; the batch; shipments; activation; tests; flew;
operational; more S-400 systems; more s 400; second batch; second contract; ready to supply; ready to sell;
not changed; will not change; done; threatening; choose between; both ways; talks; dialogue; negotiations;
discussed; a solution; resolved; compromise; a working group; find a way; a way through; hope; hopes; hoped;
hoping; open to; willingness; ready to consider; ready to talk; ready to discuss; ready to work; assurances;
reassured; no problem; a waiver; not directed against; still time; the door; unfairly; not treated fairly;
not been treated fairly; not a fair deal; a difficult position; handled badly; an offer; an alternative;
partners; persuaded; approval; welcomed; cooperation; keep turkey; keep them; keep it; keep talking;
change course; listening; work on; sit down; kicked out of the program; ejected from the partnership;
formally ended the consortium; expulsion from the programme; removal of turkey from the programme;
delivered; delivers; arrive; arrives; landed; unloaded; took delivery; takes delivery; handed over; received;
receives; first batch; final shipment; last parts; second battery; set a date; offered; offers;
approved a possible sale; approved the sale; notified congress; formally notified; proposed selling;
proposed to sell; signed a deal; signs the contract; sealed an agreement; finalised the accord;
finalized a deal; clinched a contract; concluded the agreement; deal was signed; deal has been signed;
test-fired; tested; activated; switched on; a live-fire test; fired a missile; held talks; met with;
meeting with; meeting between; talks in; talks with; talks on; slapped sanctions; levied sanctions
"""
TIME_PHRASES = """
on Monday; late on Tuesday; early Wednesday; since Thursday; last Friday; this Saturday; Sunday;
on June 4; June 4, 2019; 4 June 2019; Nov. 13, 2019; Sept 3; sept. 3; 12th March; yesterday; today;
this morning; this afternoon; this evening; tonight; last week; earlier this week; this week;
earlier this month; this month; last month; last year; in July; in July 2017; since March; during May;
by April; of December; in 2017; since 2015; during 2016; back in 2014; as early as 2013; in late 2012;
in mid-2011; grammar 2; Omar 5 talks; MAY 4; may 4; may 2019; the S-400 on 4 July; ſince 2019; İn 2018
"""


def corpus() -> list[str]:
    texts = [read_article_file(path).text for path in sorted(GOLD.iterdir())]
    phrases = [p.strip() for p in (PHRASES + TIME_PHRASES).replace("\n", " ").split(";") if p.strip()]
    texts += [f"Officials said {phrase} on the matter." for phrase in phrases]
    texts += [f"{phrase.upper()}, THEY SAID." for phrase in phrases]
    return texts


def sentences(text: str) -> list[tuple[int, int]]:
    return list(segments.segment(text).sentences) + [(0, len(text))]


def windows(text: str) -> list[tuple[int, int]]:
    """Every sentence, and each half of it (cut anywhere, even inside a word)."""
    spans = []
    for start, end in sentences(text):
        spans += [(start, end), (start, (start + end) // 2), ((start + end) // 2, end)]
    return spans


def plain_moment(text, start, end, published):
    """find_moment as a plain search: the leftmost match of every pattern at once, resolved or skipped."""
    position = start
    while position < end:
        found = dates._COMBINED.search(text, position, end)
        if found is None:
            return None
        kind = found.lastgroup[2:]
        match = dates._BY_KIND[kind].match(text, found.start(), end)
        resolved = None
        if match is not None and not (
            kind == "date_md"
            and match.group("month").lower() == "may"
            and not match.group("year")
            and re.match(r"\s+\d", text[match.end("month") : match.end("month") + 2]) is None
        ):
            resolved = dates._resolve(kind, match, published)
        if resolved is not None:
            return dates.Moment(resolved[0], resolved[1], found.start())
        position = found.start() + 1
    return None


def test_every_phrase_is_seen_by_the_plain_patterns():
    phrases = [p.strip() for p in PHRASES.replace("\n", " ").split(";") if p.strip()]
    unseen = [p for p in phrases if not stance._ALL.search(p.lower()) and not events._ANY_TRIGGER.search(p.lower())]
    assert unseen == []


def test_stance_cues_are_found_as_the_plain_alternation_finds_them():
    for text in corpus():
        lowered = text.lower()
        for start, end in windows(text):
            window = lowered[start:end]
            fast = [(m.span(), m.lastgroup) for m in stance.cue_matches(window)]
            plain = [(m.span(), m.lastgroup) for m in stance._ALL.finditer(window)]
            assert fast == plain, window


def test_event_triggers_are_found_as_the_plain_alternation_finds_them():
    for text in corpus():
        lowered = text.lower()
        article_starts = [start for start, _end, _word in events._TRIGGER_WORD_SET.find(lowered)]
        for start, end in windows(text):
            plain = {m.lastgroup for m in events._ANY_TRIGGER.finditer(lowered, start, end)}
            word_starts = events.trigger_word_starts(lowered, start, end, article_starts)
            assert events._trigger_kinds(lowered, start, end, word_starts) == plain, lowered[start:end]


@pytest.mark.parametrize("published", [None, date(2019, 7, 12)])
def test_time_expressions_are_found_as_a_plain_search_finds_them(published):
    for text in corpus():
        for start, end in windows(text):
            assert dates.find_moment(text, start, end, published) == plain_moment(text, start, end, published)


def test_speech_verbs_are_found_as_the_plain_word_scan_finds_them():
    for text in corpus() + ["said it", "unsaid, said-so said_ said"]:
        plain = [
            (m.start(), m.end(), m.group(0)) for m in statements._WORD.finditer(text) if m.group(0) in SPEECH_VERBS
        ]
        assert list(statements._SpeechVerbs(text).verbs) == plain
        for start, end in windows(text):
            index = statements._SpeechVerbs(text)
            window = [(m.start(), m.end(), m.group(0)) for m in statements._WORD.finditer(text, start, end)]
            assert list(index.between(start, end)) == [w for w in window if w[2] in SPEECH_VERBS]


def test_a_neutral_cue_the_plain_pattern_sees_makes_the_statement_neutral():
    texts = corpus() + ["There is NO DECISION yet.", "It was not yet decided.", "Case by case.", "We have no decİsion."]
    neutral = [text for text in texts if stance._NEUTRAL.search(text)]
    assert len(neutral) >= 4
    assert all(stance.classify_stance(text) == "neutral" for text in neutral)


def test_a_trailing_part_the_plain_pattern_finds_is_never_skipped():
    texts = corpus() + ["Erdogan, speaking in Ankara on Monday", "the minister has ALSO", "he said LAST week too"]
    found = 0
    for text in texts:
        for start, end in windows(text):
            if speakers._TRAILING.search(text, start, end):
                found += 1
                assert speakers._may_trail(text, start, end), text[start:end]
    assert found > 10


def test_a_furniture_line_the_plain_pattern_sees_is_never_skipped():
    lines = """By Jane Roe | Reporting by A; Editing by B | PHOTO: AFP | Photographs by X | — Related stories |
    Read more | See also | Share this article | Sign up for our newsletter | We use cookies | © 2019 Wire |
    Copyright 2019 | 12 comments | ... Advertisement | Tags: defence | Follow us on X | Getty Images | AP Photo |
    (c) none | Subscribers only | Cookies policy | ALL RIGHTS RESERVED | “Trending now""".split("|")
    texts = [line.strip() for line in lines] + [p for text in corpus() for p in text.split("\n") if p.strip()]
    seen = 0
    for paragraph in texts:
        if segments._FURNITURE_START.match(paragraph):
            seen += 1
            assert segments._may_open(paragraph, fold(paragraph), 0, len(paragraph), segments._FURNITURE_OPENINGS)
        if segments._RELATED_HEADER.match(paragraph):
            seen += 1
            assert segments._may_open(paragraph, fold(paragraph), 0, len(paragraph), segments._RELATED_OPENINGS)
    assert seen >= 15


def test_setting_words_the_plain_pattern_sees_after_a_verb_are_never_skipped():
    texts = corpus() + [
        "Akar said , on Monday that",
        "he told reporters in a statement to NATO that",
        "said\n  yesterday",
    ]
    seen = 0
    for text in texts:
        for position in range(len(text)):
            found = statements._EXTRAS.match(text[position : position + 200])
            if found and found.end() > 0:
                seen += 1
                assert statements._may_extend(text, position), text[position : position + 40]
    assert seen > 50


def test_an_anonymous_noun_the_plain_pattern_finds_is_never_skipped():
    texts = corpus() + ["a spo\u212aesman", "\u017fources close to him", "\u0130nsiders", "two JOURNALISTS", "Police"]
    found = 0
    for text in texts:
        for start, end in windows(text):
            phrase = text[start:end]
            if speakers._ANONYMOUS.search(phrase):
                found += 1
                assert speakers._may_be_anonymous(phrase), phrase
    assert found > 10


def test_a_preposition_before_a_name_is_found_as_the_plain_search_finds_it():
    texts = corpus() + [
        "a letter to the  \n ",
        "spokesman for THE ",
        "head of\t",
        "proof ",
        "alongside   the",
        "bathe ",
    ]
    seen = 0
    for text in texts:
        for start, end in windows(text):
            for cut in range(start, end, 7):
                lead = text[start:cut] + " "
                expected = speakers._PREPOSITION_BEFORE.search(lead) is not None
                seen += expected
                assert speakers._ends_with_preposition(lead) == expected, lead
    assert seen > 50


def test_the_word_before_a_name_is_found_as_the_plain_search_finds_it():
    texts = corpus() + ["Defense Secretary\t \n", "U.S.-born  ", "a b\n \n", "x Erdogan \n", "(Reuters) -  "]
    seen = 0
    for text in texts:
        for start, end in windows(text):
            for cut in range(start, end, 5):
                low = max(start, cut - 40)
                expected = gazetteer._PREVIOUS_WORD.search(text, low, cut)
                found = gazetteer._previous_word(text, low, cut)
                seen += expected is not None
                assert (found and found.span(1)) == (expected and expected.span(1)), text[low:cut]
    assert seen > 50


def test_the_word_before_a_full_stop_is_read_as_the_plain_scan_reads_it():
    def plain(text: str, start: int, dot: int) -> str:
        word_start = dot
        while word_start > start and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
            word_start -= 1
        return text[word_start:dot]

    texts = corpus() + ['He said "U.S. officials.', "(Gen. Akar.", " e.g.", "x_y.", "Mr. a-b.", "..."]
    seen = 0
    for text in texts:
        for start, _end in sentences(text):
            for dot in range(start, len(text)):
                if text[dot] == ".":
                    seen += 1
                    assert segments._word_before(text, start, dot) == plain(text, start, dot), text[start : dot + 1]
    assert seen > 100
