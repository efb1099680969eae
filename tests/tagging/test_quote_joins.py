"""The pieces of one quotation split by its attribution are joined as the speaker said them (synthetic sentences)."""

from datetime import date

from tracker.tagging.pipeline import tag_article

FRIDAY = date(2019, 6, 7)


def direct_quotes(text, vocabulary):
    result = tag_article(title="", text=text, published=FRIDAY, vocabulary=vocabulary)
    return [s.text for s in result.statements if s.kind == "direct"]


def test_an_attribution_that_closes_the_sentence_gives_back_its_full_stop(vocabulary):
    text = '"We have paid for the system," Ismail Demir said. "The batteries will come this year."'
    assert direct_quotes(text, vocabulary) == ["We have paid for the system. The batteries will come this year."]


def test_a_sentence_split_in_the_middle_is_joined_with_a_space(vocabulary):
    text = '"We have paid for the system," Ismail Demir said, "and the batteries will come this year."'
    assert direct_quotes(text, vocabulary) == ["We have paid for the system and the batteries will come this year."]
