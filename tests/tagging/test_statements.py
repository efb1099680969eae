"""Statements: quote styles, attribution, speakers, joint and anonymous sources (synthetic sentences)."""

from datetime import date

import pytest

from tracker.tagging.pipeline import tag_article

from .helpers import FRIDAY, statements


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"We will not back down," Erdogan said.', ("Recep Tayyip Erdoğan", "direct", "We will not back down")),
        ("Akar told reporters: “The deal is done.”", ("Hulusi Akar", "direct", "The deal is done.")),
        ('"The schedule holds," said Ortagus.', ("Morgan Ortagus", "direct", "The schedule holds")),
        ("‘The schedule holds,’ Ortagus said.", ("Morgan Ortagus", "direct", "The schedule holds")),
        ('"Why should we wait?" Akar asked.', ("Hulusi Akar", "direct", "Why should we wait?")),
    ],
)
def test_it_attributes_direct_quotes_in_any_quote_style(vocabulary, text, expected):
    assert statements(text, vocabulary) == [expected]


def test_a_quote_split_by_its_attribution_is_one_statement(vocabulary):
    text = '"If the worry is radar data," Ortagus said, "our engineers can meet theirs."'
    assert statements(text, vocabulary) == [
        ("Morgan Ortagus", "direct", "If the worry is radar data our engineers can meet theirs.")
    ]


def test_a_quote_running_across_paragraphs_is_one_statement(vocabulary):
    text = '"We paid for these systems," Akar said. "They will come in July.\n\n"Nobody can change that."'
    (only,) = statements(text, vocabulary)
    assert only[0] == "Hulusi Akar"
    assert only[2].endswith("Nobody can change that.")


def test_an_unclosed_quote_does_not_swallow_the_text(vocabulary):
    text = 'Erdogan said: "We bought it and we will\n\nAkar said the deal was final and paid for.'
    result = statements(text, vocabulary, published=None)
    assert ("Recep Tayyip Erdoğan", "direct", "We bought it and we will") in result
    assert ("Hulusi Akar", "reported", "the deal was final and paid for") in result


def test_apostrophes_are_not_quote_marks(vocabulary):
    text = "Turkey's investors' worries grew, Akar said."
    assert statements(text, vocabulary) == [("Hulusi Akar", "reported", "Turkey's investors' worries grew")]


@pytest.mark.parametrize(
    "text, content",
    [
        (
            "Shanahan said on Thursday that Turkish pilots would leave by July 31.",
            "Turkish pilots would leave by July 31",
        ),
        ("Erdogan said on Monday Turkey was ready to take delivery.", "Turkey was ready to take delivery"),
        ("Akar told reporters in Ankara the batteries would arrive soon.", "the batteries would arrive soon"),
        ("Shanahan warned that Turkey would lose the jet.", "Turkey would lose the jet"),
        ("Erdogan has said repeatedly that the purchase is a done deal.", "the purchase is a done deal"),
        ("According to Akar, the radar will be switched on in April.", "the radar will be switched on in April"),
        ("The radar will be switched on in April, according to Akar.", "The radar will be switched on in April"),
        ("The radar will be switched on in April, Akar said on Tuesday.", "The radar will be switched on in April"),
        ("Erdogan was quoted by state media as saying that the order was final.", "the order was final"),
        ("Akar denied that any delay had been agreed.", "any delay had been agreed"),
    ],
)
def test_it_finds_reported_speech(vocabulary, text, content):
    (only,) = statements(text, vocabulary)
    assert only[1:] == ("reported", content)


def test_a_partial_quote_stays_inside_reported_speech(vocabulary):
    text = 'Shanahan said the United States would "not look away" when allies bought Russian arms.'
    assert statements(text, vocabulary) == [
        ("Patrick Shanahan", "reported", 'the United States would "not look away" when allies bought Russian arms')
    ]


def test_a_title_before_the_name_resolves_to_the_person(vocabulary):
    text = "Acting U.S. Defense Secretary Patrick Shanahan said the offer still stood."
    assert statements(text, vocabulary)[0][0] == "Patrick Shanahan"


def test_a_description_resolves_to_whoever_held_the_role_that_day(vocabulary):
    text = "The Pentagon chief said the decision was final."
    assert statements(text, vocabulary, published=date(2019, 3, 1))[0][0] == "Patrick Shanahan"
    assert statements(text, vocabulary, published=date(2019, 11, 1))[0][0] == "Mark Esper"


def test_he_is_the_person_speaking_not_the_last_name_mentioned(vocabulary):
    text = 'Shanahan wrote to Akar on Thursday. "Turkey will not receive the F-35," he said.'
    assert statements(text, vocabulary) == [("Patrick Shanahan", "direct", "Turkey will not receive the F-35")]


def test_she_skips_the_men_named_in_between(vocabulary):
    text = 'Ortagus said she had discussed the jets with Akar and Shanahan. "The door is open," she said.'
    assert [s[0] for s in statements(text, vocabulary)] == ["Morgan Ortagus", "Morgan Ortagus"]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("The White House said the programme would go on without Turkey.", "White House"),
        ("Washington says the two systems cannot work together.", "United States"),
        ("Ankara has said it will not give the batteries back.", "Turkey"),
        ("A Pentagon spokesman said the training had stopped for now.", "US Department of Defense"),
        ("A Greek government spokesman said the comparison was false.", "Greece"),
    ],
)
def test_institutions_and_metonyms_speak(vocabulary, text, speaker):
    assert statements(text, vocabulary)[0][0] == speaker


def test_a_joint_statement_gives_one_statement_per_speaker(vocabulary):
    text = "Senators Jim Risch and Bob Menendez said in a joint statement that sanctions should follow."
    assert [s[0] for s in statements(text, vocabulary)] == ["Jim Risch", "Bob Menendez"]


@pytest.mark.parametrize(
    "text",
    [
        "A senior official said the talks had stalled over the radar.",
        "Sources told Reuters the shipment had been held back.",
        "Diplomats said the meeting ended without a deal.",
        "Two people familiar with the matter said the deadline would slip.",
        "A senior Pentagon official said the position had not changed.",
    ],
)
def test_anonymous_sources_stay_anonymous(vocabulary, text):
    assert [s[0] for s in statements(text, vocabulary)] == ["anonymous"]


def test_an_unknown_named_speaker_becomes_a_candidate_with_evidence(vocabulary):
    text = (
        "Maria Olsen, who runs the procurement office, said the schedule had not changed.\n\n"
        '"We are on time," Olsen said.'
    )
    result = tag_article(title="", text=text, published=FRIDAY, vocabulary=vocabulary)
    assert [(s.speaker_text, s.candidate) for s in result.statements] == [("Maria Olsen", True), ("Maria Olsen", True)]
    assert result.candidates[0][0] == "Maria Olsen"
    assert "procurement office" in result.candidates[0][1]


def test_a_headline_claim_is_a_statement(vocabulary):
    result = statements(
        "Erdogan said on Thursday the order stood.", vocabulary, title="Turkey will keep the S-400, Erdogan says"
    )
    assert result[0] == ("Recep Tayyip Erdoğan", "reported", "Turkey will keep the S-400")


def test_furniture_holds_no_statements(vocabulary):
    text = "Erdogan said the order stood.\n\nReporting by Jane Roe; Editing by John Doe said nothing"
    assert len(statements(text, vocabulary)) == 1
