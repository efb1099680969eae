"""Mentions: wire spellings, sense checks, longest match, offsets, furniture (synthetic sentences)."""

from datetime import date

import pytest

from tracker.tagging.gazetteer import find_mentions
from tracker.tagging.pipeline import tag_article
from tracker.tagging.report import result_to_json
from tracker.tagging.segments import segment


def names(text, vocabulary, published=date(2019, 6, 7)):
    furniture = segment(text).furniture
    return [
        (m.kind, m.id, m.text)
        for m in find_mentions(text, vocabulary, published=published, furniture=furniture)
        if m.via != "description"
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Turkey's S-400s arrived.", [("actor", 4, "Turkey"), ("system", 1, "S-400s")]),
        ("The S400 and the S 400 are one system.", [("system", 1, "S400"), ("system", 1, "S 400")]),
        ("Erdoğan met Erdogan's aides.", [("actor", 1, "Erdoğan"), ("actor", 1, "Erdogan")]),
        ("The S-400 Triumf was shown.", [("system", 1, "S-400 Triumf")]),
        ("Ankara said no.", [("actor", 4, "Ankara")]),
        (
            "Türkiye bought F-35As and two F-35s.",
            [("actor", 4, "Türkiye"), ("system", 2, "F-35As"), ("system", 2, "F-35s")],
        ),
        ("The S–400 (with an en dash) counts too.", [("system", 1, "S–400")]),
        ("Turkey asked for Patriot missiles.", [("actor", 4, "Turkey"), ("system", 3, "Patriot")]),
        ("Two Patriots batteries were offered.", [("system", 3, "Patriots")]),
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
        "The New England Patriots won again.",
        "Fans of the Patriots cheered in Boston.",
        "A plane crashed in eastern Washington state.",
        "George Washington crossed the river.",
        "She wrote for the Washington Post for years.",
        "Talks were held in Moscow and near Ankara.",
        "He flew to Athens on Friday.",
    ],
)
def test_it_ignores_look_alike_words(vocabulary, text):
    assert [n for n in names(text, vocabulary) if n[0] == "system" or n[1] in (4, 5, 9, 17)] == []


def test_a_metonym_that_acts_is_the_government(vocabulary):
    assert names("Washington warned Ankara, and talks with Moscow stalled.", vocabulary) == [
        ("actor", 5, "Washington"),
        ("actor", 4, "Ankara"),
        ("actor", 9, "Moscow"),
    ]


def test_the_longest_match_wins(vocabulary):
    assert names("The S-400 Triumf and the Joint Strike Fighter.", vocabulary) == [
        ("system", 1, "S-400 Triumf"),
        ("system", 2, "Joint Strike Fighter"),
    ]


def test_it_reports_offsets_into_the_original_text(vocabulary):
    text = "President Tayyip Erdogan spoke."
    (mention,) = find_mentions(text, vocabulary)
    assert text[mention.start : mention.end] == "Tayyip Erdogan"


def test_a_surname_that_belongs_to_another_name_is_not_the_actor(vocabulary):
    assert names("Ahmet Demir, a shopkeeper, said prices rose.", vocabulary) == []


def test_an_organisation_inside_a_title_counts_but_the_description_alone_does_not(vocabulary):
    result = tag_article(
        title="", text="The Pentagon chief visited a factory.", published=date(2019, 6, 7), vocabulary=vocabulary
    )
    row = result_to_json(path="x", title="", published=None, result=result, vocabulary=vocabulary)
    assert [a["name"] for a in row["actors"]] == ["US Department of Defense"]


def test_page_furniture_creates_no_actors(vocabulary):
    text = (
        "ANKARA (Reuters) - The talks went on.\n\n"
        "A launcher on display at an air show near Moscow. Photo: Synthetic Images\n\n"
        "Reporting by Jane Roe; Editing by John Doe\n\n"
        "Related stories\n\n"
        "Erdogan to visit Washington\n\n"
        "Shanahan tours a Patriot factory"
    )
    result = tag_article(title="", text=text, published=None, vocabulary=vocabulary)
    assert result.mentions == ()


def test_counts_include_every_mention_and_the_headline(vocabulary):
    result = tag_article(
        title="Turkey and the S-400", text="Turkey took the S-400. Turkey paid.", published=None, vocabulary=vocabulary
    )
    row = result_to_json(path="x", title="", published=None, result=result, vocabulary=vocabulary)
    assert {a["name"]: a["count"] for a in row["actors"]} == {"Turkey": 3}
    assert row["systems"] == [{"name": "S-400", "count": 2}]
