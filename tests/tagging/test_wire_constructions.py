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


def test_was_cited_as_saying_is_reported_speech(vocabulary):
    text = "Akar was cited by local media as saying that the air-defence plans were unchanged."
    assert statements(text, vocabulary) == [("Hulusi Akar", "reported", "the air-defence plans were unchanged")]


def test_a_persons_office_speaks_for_that_person(vocabulary):
    text = "Erdogan's office said in a statement on Thursday that the call had been constructive."
    assert statements(text, vocabulary) == [("Recep Tayyip Erdoğan", "reported", "the call had been constructive")]


def test_an_institution_named_inside_a_role_description_is_not_a_second_speaker(vocabulary):
    text = "Shanahan, the Pentagon chief, said that the training programme would wind down."
    assert statements(text, vocabulary) == [("Patrick Shanahan", "reported", "the training programme would wind down")]
