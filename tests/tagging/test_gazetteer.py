import pytest

from tracker.tagging.gazetteer import find_mentions


def names(text, vocabulary):
    return [(m.kind, m.id, m.text) for m in find_mentions(text, vocabulary)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Turkey's S-400s arrived.", [("actor", 4, "Turkey"), ("system", 1, "S-400s")]),
        ("The S400 and the S 400 are one system.", [("system", 1, "S400"), ("system", 1, "S 400")]),
        ("Erdoğan met Erdogan's aides.", [("actor", 1, "Erdoğan"), ("actor", 1, "Erdogan")]),
        ("The S-400 Triumf was shown.", [("system", 1, "S-400 Triumf")]),
        ("Ankara said no.", [("actor", 4, "Ankara")]),
    ],
)
def test_it_finds_aliases_in_their_wire_forms(vocabulary, text, expected):
    assert names(text, vocabulary) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A patriotic crowd carved the turkey.",
        "The PAC-3000 is not a missile.",
        "She spoke to us about it.",
    ],
)
def test_it_ignores_look_alike_words(vocabulary, text):
    assert names(text, vocabulary) == []


def test_it_reports_offsets_into_the_original_text(vocabulary):
    text = "President Tayyip Erdogan spoke."
    (mention,) = find_mentions(text, vocabulary)
    assert text[mention.start : mention.end] == "Tayyip Erdogan"
