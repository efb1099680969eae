"""Proposed milestones (synthetic sentences)."""

from datetime import date

from tracker.tagging.pipeline import tag_article


def events(text, vocabulary, title="Turkey and the S-400"):
    result = tag_article(title=title, text=text, published=date(2019, 7, 12), vocabulary=vocabulary)
    return [(e.slug, e.kind, e.date) for e in result.events]


def test_a_delivery_becomes_a_proposed_event_dated_from_its_sentence(vocabulary):
    text = "The first S-400 parts arrived in Turkey on Friday. Turkey said the S-400 would be ready next year."
    assert events(text, vocabulary) == [("turkey-s400-f35", "delivery", date(2019, 7, 12))]


def test_a_threat_is_not_an_event(vocabulary):
    text = "Washington would impose sanctions if Turkey took the S-400. Turkey said the S-400 order stood."
    assert [kind for _slug, kind, _day in events(text, vocabulary)] == []


def test_an_article_proposes_each_kind_once(vocabulary):
    text = "The first S-400 batch arrived on Friday. A second S-400 batch arrived later on Friday in Turkey."
    assert len(events(text, vocabulary)) == 1


def test_an_off_topic_article_proposes_nothing(vocabulary):
    assert events("The Patriots arrived in Boston on Friday.", vocabulary, title="Parade") == []


def test_a_deadline_until_a_date_to_act_is_proposed(vocabulary):
    text = "Washington gave Turkey until July 31 to drop the S-400 purchase."
    assert [kind for _slug, kind, _day in events(text, vocabulary)] == ["deadline"]


def test_dotted_capital_i_before_a_milestone_does_not_shift_its_evidence(vocabulary):
    # Synthetic: "İ".lower() is two characters; the evidence must still be the sentence itself.
    text = (
        "Officials met in İstanbul, İzmir and İskenderun last month. The first S-400 parts arrived in Turkey on Friday."
    )
    result = tag_article(title="Turkey and the S-400", text=text, published=date(2019, 7, 12), vocabulary=vocabulary)
    [event] = result.events
    assert event.kind == "delivery"
    assert text[event.start : event.end].strip() == "The first S-400 parts arrived in Turkey on Friday."
    assert event.evidence == "the first s-400 parts arrived in turkey on friday."
