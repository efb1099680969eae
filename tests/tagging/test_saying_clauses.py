""" ", saying …" after a main clause, and what follows "told X in a letter that" (synthetic sentences)."""

from datetime import date

from tracker.tagging.pipeline import tag_article

from .helpers import FRIDAY, statements


def test_the_subject_of_the_main_clause_said_what_follows_saying(vocabulary):
    text = "Defence Minister Hulusi Akar rejected the deadline on Tuesday, saying Turkey would not bow to pressure."
    assert statements(text, vocabulary) == [("Hulusi Akar", "reported", "Turkey would not bow to pressure")]
    said_on = [s.said_on for s in tag_article(title="", text=text, published=FRIDAY, vocabulary=vocabulary).statements]
    assert said_on == [date(2019, 6, 4)]


def test_an_institution_can_be_the_subject(vocabulary):
    text = "The Pentagon halted deliveries of F-35 parts to Turkey, saying the S-400 put the jet at risk."
    assert statements(text, vocabulary) == [("US Department of Defense", "reported", "the S-400 put the jet at risk")]


def test_a_quote_after_saying_is_the_subjects(vocabulary):
    text = 'Hulusi Akar rejected the deadline, saying: "We will not step back."'
    assert statements(text, vocabulary) == [("Hulusi Akar", "direct", "We will not step back.")]


def test_saying_without_a_named_subject_or_a_clause_before_it_is_no_statement(vocabulary):
    assert statements("Officials spent the week saying very little about the S-400.", vocabulary) == []
    assert statements("After the vote, saying nothing was the safest course for the F-35 partners.", vocabulary) == []


def test_told_someone_in_a_letter_that_keeps_the_first_word_of_what_was_said(vocabulary):
    text = "Patrick Shanahan told Akar in a letter that Turkish pilots would have to leave by July 31."
    assert statements(text, vocabulary) == [
        ("Patrick Shanahan", "reported", "Turkish pilots would have to leave by July 31")
    ]
