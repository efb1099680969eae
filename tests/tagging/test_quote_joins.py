"""The pieces of one quotation split by its attribution are joined as the speaker said them (synthetic sentences)."""

from .helpers import statements


def test_an_attribution_that_closes_the_sentence_gives_back_its_full_stop(vocabulary):
    text = '"We have paid for the system," Ismail Demir said. "The batteries will come this year."'
    assert statements(text, vocabulary) == [
        ("Ismail Demir", "direct", "We have paid for the system. The batteries will come this year.")
    ]


def test_a_sentence_split_in_the_middle_is_joined_with_a_space(vocabulary):
    text = '"We have paid for the system," Ismail Demir said, "and the batteries will come this year."'
    assert statements(text, vocabulary) == [
        ("Ismail Demir", "direct", "We have paid for the system and the batteries will come this year.")
    ]
