"""Dispute relevance (synthetic articles)."""

from tracker.tagging.pipeline import tag_article


def slugs(title, text, vocabulary):
    return [d.slug for d in tag_article(title=title, text=text, published=None, vocabulary=vocabulary).disputes]


def test_an_article_about_turkeys_s400_belongs_to_that_dispute(vocabulary):
    text = "Turkey took delivery of the S-400 from Russia. Washington said the F-35 programme was closed to Ankara."
    assert slugs("Turkey gets S-400", text, vocabulary)[0] == "turkey-s400-f35"


def test_an_article_about_india_does_not_join_turkeys_dispute(vocabulary):
    text = (
        "India took delivery of the S-400 from Russia. New Delhi hopes for a CAATSA waiver. "
        "India says the S-400 is vital. Like Turkey before it, India faces questions."
    )
    assert slugs("India gets S-400", text, vocabulary) == ["india-s400-caatsa"]


def test_an_off_topic_article_belongs_to_no_dispute(vocabulary):
    assert slugs("Patriots win", "The New England Patriots beat the Jets 24-10 on Sunday.", vocabulary) == []


def test_one_passing_line_about_the_dispute_is_background(vocabulary):
    text = (
        "Washington doubled tariffs on Turkish steel. Ankara said the move was hostile. "
        "The lira fell again. The allies also differ over Turkey's S-400 purchase."
    )
    assert slugs("Tariffs doubled", text, vocabulary) == []


def test_a_threat_in_an_article_outside_every_dispute_is_neutral(vocabulary):
    # Synthetic: the same threatening words are escalating inside the dispute, neutral in a tariff story.
    threat = '"We will impose sanctions," Erdogan said.'
    inside = tag_article(
        title="Turkey gets S-400",
        text="Turkey took delivery of the S-400 from Russia. Ankara said the S-400 was ready. " + threat,
        published=None,
        vocabulary=vocabulary,
    )
    outside = tag_article(
        title="Tariffs doubled",
        text="Washington doubled tariffs on Turkish steel. The lira fell again. " + threat,
        published=None,
        vocabulary=vocabulary,
    )
    assert [s.stance for s in inside.statements if s.speaker_id == 1] == ["escalating"]
    assert outside.disputes == ()
    assert [s.stance for s in outside.statements if s.speaker_id == 1] == ["neutral"]
