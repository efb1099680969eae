"""A trailing speech verb with its own infinitive is not an attribution of what precedes it (synthetic sentences)."""

from .helpers import statements


def test_the_clause_before_as_x_vowed_to_act_is_not_what_x_said(vocabulary):
    text = "Ankara pressed Washington on Wednesday to approve the jet sale, as Senator Bob Menendez vowed to block it."
    assert all("approve the jet sale" not in said for _, _, said in statements(text, vocabulary))


def test_a_trailing_attribution_with_only_its_setting_still_counts(vocabulary):
    text = "The sale would strengthen the alliance, Senator Bob Menendez said to reporters on Tuesday."
    assert statements(text, vocabulary) == [("Bob Menendez", "reported", "The sale would strengthen the alliance")]
