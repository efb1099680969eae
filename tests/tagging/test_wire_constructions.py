"""Wire-copy attribution constructions beyond "X said" (synthetic sentences written for these tests)."""

from datetime import date

from tracker.tagging.pipeline import tag_article

FRIDAY = date(2019, 6, 7)


def statements(text, vocabulary, published=FRIDAY):
    result = tag_article(title="", text=text, published=published, vocabulary=vocabulary)
    out = []
    for s in result.statements:
        if s.speaker_id:
            who = vocabulary.actors[s.speaker_id].name
        elif s.anonymous:
            who = "anonymous"
        elif s.candidate:
            who = f"candidate:{s.speaker_text}"
        else:
            who = None
        out.append((who, s.kind, s.text))
    return out


def test_adding_that_after_a_quote_is_a_second_statement_by_the_same_speaker(vocabulary):
    text = '"The order stands," Akar said, adding that the first batteries would arrive within weeks.'
    assert statements(text, vocabulary) == [
        ("Hulusi Akar", "direct", "The order stands"),
        ("Hulusi Akar", "reported", "the first batteries would arrive within weeks"),
    ]


def test_adding_that_after_an_inverted_attribution_keeps_the_speaker(vocabulary):
    text = '"Nothing has changed," said Ortagus, adding that talks with Ankara would go on.'
    assert statements(text, vocabulary) == [
        ("Morgan Ortagus", "direct", "Nothing has changed"),
        ("Morgan Ortagus", "reported", "talks with Ankara would go on"),
    ]
