"""Wire-copy attribution constructions beyond "X said" (synthetic sentences written for these tests)."""

from dataclasses import replace
from datetime import date

from tracker.tagging.types import RoleEntry

from .helpers import statements


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


def test_title_and_portfolio_words_before_a_new_name_are_not_part_of_it(vocabulary):
    text = "Under Secretary of State for Arms Control Lena Marwick said the offer remained open."
    assert statements(text, vocabulary) == [("candidate:Lena Marwick", "reported", "the offer remained open")]


def test_a_foreign_secretary_title_is_dropped_from_a_three_word_name(vocabulary):
    text = "Foreign Secretary Ravi Anand Kulkarni said the contract was being carried out."
    assert statements(text, vocabulary) == [
        ("candidate:Ravi Anand Kulkarni", "reported", "the contract was being carried out")
    ]


def test_an_initial_before_a_new_name_stays_part_of_it(vocabulary):
    text = '"The purchase has consequences," J. Tobin Marsh, an assistant secretary, told lawmakers.'
    assert statements(text, vocabulary) == [("candidate:J. Tobin Marsh", "direct", "The purchase has consequences")]


def test_a_state_and_party_description_refers_back_to_the_senator_and_is_never_a_candidate(vocabulary):
    senate_seat = RoleEntry("US Senator from New Jersey", date(2006, 1, 18), date(2024, 8, 20))
    vocabulary.actors[15] = replace(vocabulary.actors[15], roles=(senate_seat,))
    text = (
        "Senator Bob Menendez said the administration had not answered his questions. "
        '"I remain worried about where these jets end up," the New Jersey Democrat said.'
    )
    speakers = [who for who, _, _ in statements(text, vocabulary)]
    assert speakers == ["Bob Menendez", "Bob Menendez"]


def test_a_party_description_nobody_fits_stays_unresolved_not_a_candidate(vocabulary):
    text = '"The sale should wait," the Ohio Republican said.'
    assert statements(text, vocabulary) == [(None, "direct", "The sale should wait")]
