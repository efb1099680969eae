from datetime import date

from tracker.tagging.pipeline import tag_article


def statements(text, vocabulary, published=date(2019, 6, 7)):
    result = tag_article(title="", text=text, published=published, vocabulary=vocabulary)
    return [(vocabulary.actors[s.speaker_id].name if s.speaker_id else None, s.kind, s.text) for s in result.statements]


def test_it_attributes_a_direct_quote_to_the_speaker_after_it(vocabulary):
    text = '"We will not back down," Erdogan said.'
    assert statements(text, vocabulary) == [("Recep Tayyip Erdoğan", "direct", "We will not back down")]


def test_it_attributes_a_quote_introduced_with_a_colon(vocabulary):
    text = "Akar told reporters: “The deal is done.”"
    assert statements(text, vocabulary) == [("Hulusi Akar", "direct", "The deal is done.")]


def test_it_resolves_he_to_the_subject_not_the_person_talked_about(vocabulary):
    text = 'Shanahan wrote to Akar. "Turkey will not receive the F-35," he said.'
    assert statements(text, vocabulary) == [("Patrick Shanahan", "direct", "Turkey will not receive the F-35")]


def test_it_finds_reported_speech(vocabulary):
    text = "Shanahan said on Thursday that Turkish pilots would leave by July 31."
    assert statements(text, vocabulary) == [("Patrick Shanahan", "reported", "Turkish pilots would leave by July 31")]


def test_it_dates_on_weekday_against_publication(vocabulary):
    result = tag_article(
        title="",
        text="Shanahan said on Thursday that pilots would leave.",
        published=date(2019, 6, 7),
        vocabulary=vocabulary,
    )
    assert result.statements[0].said_on == date(2019, 6, 6)


def test_it_keeps_anonymous_sources_anonymous(vocabulary):
    text = "A senior official said the talks had stalled over the radar."
    result = tag_article(title="", text=text, published=None, vocabulary=vocabulary)
    assert [(s.speaker_id, s.anonymous) for s in result.statements] == [(None, True)]


def test_an_unclosed_quote_does_not_swallow_the_text(vocabulary):
    text = 'Erdogan said: "We bought it and we will\n\nAkar said the deal was final.'
    result = tag_article(title="", text=text, published=None, vocabulary=vocabulary)
    assert all(len(s.text) < 60 for s in result.statements)
    assert any(vocabulary.actors[s.speaker_id].name == "Hulusi Akar" for s in result.statements if s.speaker_id)
