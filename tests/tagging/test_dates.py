"""said_on: relative days, full dates, vague periods, inheritance (synthetic sentences)."""

from datetime import date

import pytest

from tracker.tagging.pipeline import tag_article

WEDNESDAY = date(2019, 6, 5)


def said_on(text, vocabulary, published=WEDNESDAY):
    return [s.said_on for s in tag_article(title="", text=text, published=published, vocabulary=vocabulary).statements]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Akar said on Tuesday that the radar would arrive.", date(2019, 6, 4)),
        ("Akar said on Wednesday that the radar would arrive.", WEDNESDAY),
        ("Akar said late on Monday that the radar would arrive.", date(2019, 6, 3)),
        ("Akar said on Thursday that the radar would arrive.", date(2019, 5, 30)),
        ("Akar wrote in a letter dated May 28 that the radar would arrive.", date(2019, 5, 28)),
        ("Akar said yesterday that the radar would arrive.", date(2019, 6, 4)),
        ("Akar said that the radar would arrive.", WEDNESDAY),
        ("Akar said last week that the radar would arrive.", None),
        ("Akar said earlier this month that the radar would arrive.", None),
        ("In 2017, Akar said that the radar would arrive.", None),
        ("Akar has said that the radar would arrive.", None),
    ],
)
def test_it_dates_a_statement_from_its_attribution(vocabulary, text, expected):
    assert said_on(text, vocabulary) == [expected]


def test_a_time_in_the_content_does_not_date_the_statement(vocabulary):
    assert said_on("Akar said the radar would arrive on Friday.", vocabulary) == [WEDNESDAY]


def test_later_quotes_inherit_their_speakers_date(vocabulary):
    text = (
        'Akar said on Monday that the radar would arrive.\n\n"We are ready," Akar said.\n\n"We agree," Shanahan said.'
    )
    assert said_on(text, vocabulary) == [date(2019, 6, 3), date(2019, 6, 3), WEDNESDAY]


def test_a_relative_day_without_a_publication_date_is_unknown(vocabulary):
    assert said_on("Akar said on Monday that the radar would arrive.", vocabulary, published=None) == [None]
