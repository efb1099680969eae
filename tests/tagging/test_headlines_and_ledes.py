"""Headline speakers, descriptions with a place, and ledes by description (synthetic sentences for these tests)."""

from datetime import date

from tracker.tagging.pipeline import tag_article

FRIDAY = date(2019, 6, 7)
TUESDAY = date(2019, 6, 4)
BODY = "Maria Olsen, who runs the procurement office, said on Monday the radar would arrive in May."


def headline(title, text, vocabulary):
    result = tag_article(title=title, text=text, published=FRIDAY, vocabulary=vocabulary)
    out = []
    for s in result.statements:
        if s.in_title:
            who = vocabulary.actors[s.speaker_id].name if s.speaker_id else s.speaker_text
            out.append((who, s.text))
    return out


def speakers_and_days(text, vocabulary):
    result = tag_article(title="", text=text, published=FRIDAY, vocabulary=vocabulary)
    out = []
    for s in result.statements:
        who = vocabulary.actors[s.speaker_id].name if s.speaker_id else s.speaker_text
        out.append((who, s.said_on))
    return out


def test_a_headline_surname_is_the_person_the_body_names_in_full(vocabulary):
    title = "Norway's Olsen says radar will arrive in May"
    assert headline(title, BODY, vocabulary) == [("Maria Olsen", "radar will arrive in May")]


def test_a_headline_surname_the_body_never_names_is_no_speaker(vocabulary):
    title = "Olsen says radar will arrive in May"
    assert headline(title, "The radar would arrive in May, officials said.", vocabulary) == []


def test_a_headline_with_says_before_the_speaker_is_a_claim(vocabulary):
    title = "Radar deliveries to Norway on track, says Olsen"
    assert headline(title, BODY, vocabulary) == [("Maria Olsen", "Radar deliveries to Norway on track")]


def test_a_headline_office_tells_someone_is_the_first_person_the_body_quotes(vocabulary):
    title = "Radar deal could still collapse, U.S. envoy tells Norway"
    assert headline(title, BODY, vocabulary) == [("Maria Olsen", "Radar deal could still collapse")]


def test_a_headline_office_over_a_body_without_named_speakers_stays_unnamed(vocabulary):
    title = "Radar deal could still collapse, U.S. envoy tells Norway"
    claims = headline(title, "The radar would arrive in May, officials said.", vocabulary)
    assert all(who != "Maria Olsen" for who, _ in claims)


def test_a_headline_telling_someone_to_act_is_no_claim(vocabulary):
    body = "Erdogan said on Monday Turkey would keep the S-400."
    assert headline("Erdogan tells Akar to stop the missile tests", body, vocabulary) == []
    assert headline("Erdogan warns Greece of consequences over the islands", body, vocabulary) == []
    assert headline("Erdogan says Turkey will keep the S-400", body, vocabulary) == [
        ("Recep Tayyip Erdoğan", "Turkey will keep the S-400")
    ]


def test_a_definite_office_with_a_place_points_back_to_the_person_who_holds_it(vocabulary):
    text = "Shanahan said on Tuesday the deadline stood. The U.S. secretary said talks would continue."
    assert [who for who, _ in speakers_and_days(text, vocabulary)] == ["Patrick Shanahan", "Patrick Shanahan"]


def test_a_definite_office_with_another_place_is_not_that_person(vocabulary):
    text = "Shanahan said on Tuesday the deadline stood. The Russian secretary said talks would continue."
    assert [who for who, _ in speakers_and_days(text, vocabulary)] == ["Patrick Shanahan", "The Russian secretary"]


def test_the_person_a_lede_describes_speaks_on_the_day_of_the_lede(vocabulary):
    text = (
        "The top Norwegian procurement chief told lawmakers on Tuesday that the radar would be late.\n\n"
        '"We are behind schedule," Maria Olsen, who runs the procurement office, told the committee.'
    )
    assert speakers_and_days(text, vocabulary)[-1] == ("Maria Olsen", TUESDAY)


def test_a_lede_by_a_named_speaker_does_not_date_the_next_speaker(vocabulary):
    text = (
        "Akar told lawmakers on Tuesday that the radar would be late.\n\n"
        '"We are behind schedule," Maria Olsen, who runs the procurement office, told the committee.'
    )
    assert speakers_and_days(text, vocabulary)[-1] == ("Maria Olsen", FRIDAY)


def test_a_surname_after_a_sentence_that_ends_in_a_name_is_still_the_person(vocabulary):
    text = "Erdogan met Tayyip Erdogan's guests at the White House. Shanahan told reporters on Tuesday that talks would go on."
    assert [who for who, _ in speakers_and_days(text, vocabulary)] == ["Patrick Shanahan"]


def test_a_surname_after_an_unknown_capitalised_word_in_the_same_sentence_is_not_the_person(vocabulary):
    text = "Coach Bill Shanahan told reporters on Tuesday that the team would go on."
    assert [who for who, _ in speakers_and_days(text, vocabulary)] != ["Patrick Shanahan"]


def test_a_party_in_brackets_after_a_name_is_an_aside(vocabulary):
    text = "Deniz Arslan (CHP) said that the government had isolated Turkey."
    assert [who for who, _ in speakers_and_days(text, vocabulary)] == ["Deniz Arslan"]
    text = "Senator Jim Risch (R-Idaho) said that the sale should wait."
    assert [who for who, _ in speakers_and_days(text, vocabulary)] == ["Jim Risch"]


def test_wire_idioms_of_escalation_are_escalating():
    from tracker.tagging.stance import classify_stance

    assert classify_stance("We will not stand idly by while the radar is switched on") == "escalating"
    assert classify_stance("There is no question of putting the batteries aside") == "escalating"
    assert classify_stance("Time is running out for a deal on the radar") == "escalating"
    assert classify_stance("Their lobbying did everything it could to derail the contract") == "escalating"
    assert classify_stance("He would advise against selling the jets") == "escalating"
    assert classify_stance("The jets and the radar could not coexist") == "escalating"
    assert classify_stance("The radar could compromise the security of the jets") != "conciliatory"


def test_an_offer_to_compromise_stays_conciliatory():
    from tracker.tagging.stance import classify_stance

    assert classify_stance("Both sides are ready to compromise on the radar") == "conciliatory"
    assert classify_stance("The question of timing is still open") == "neutral"


def test_declining_to_say_whether_is_no_statement_but_keeps_the_speaker_in_focus(vocabulary):
    text = (
        "Akar, speaking late on Tuesday, declined to say whether the radar had been switched on. "
        '"The tests are routine," he said.'
    )
    assert [who for who, _ in speakers_and_days(text, vocabulary)] == ["Hulusi Akar"]


def test_not_saying_what_will_happen_is_no_statement(vocabulary):
    assert speakers_and_days("The White House did not say what would happen to the four jets.", vocabulary) == []
    # A claim that merely contains a question word stays a statement.
    text = "The White House said what happened to the four jets was a matter for Congress."
    assert [who for who, _ in speakers_and_days(text, vocabulary)] == ["White House"]


def speakers_of_last(text, vocabulary):
    result = tag_article(title="", text=text, published=FRIDAY, vocabulary=vocabulary)
    last = result.statements[-1]
    return sorted(
        vocabulary.actors[s.speaker_id].name if s.speaker_id else s.speaker_text
        for s in result.statements
        if s.start == last.start
    )


def test_the_two_leaders_are_the_last_two_people_in_focus(vocabulary):
    text = (
        "Erdogan said on Tuesday the talks had been useful. Shanahan said the deadline still stood. "
        "The two leaders said they would meet again in July."
    )
    assert speakers_of_last(text, vocabulary) == ["Patrick Shanahan", "Recep Tayyip Erdoğan"]


def test_the_two_leaders_with_one_person_in_focus_are_nobody_in_particular(vocabulary):
    text = "Erdogan said on Tuesday the talks had been useful. The two leaders said they would meet again in July."
    assert speakers_of_last(text, vocabulary) == ["The two leaders"]


def test_a_surname_misspelt_by_one_letter_is_the_person_in_focus(vocabulary):
    text = "Shanahan said on Tuesday the deadline stood. Shanahna said talks would continue in July."
    assert speakers_of_last(text, vocabulary) == ["Patrick Shanahan"]


def test_a_different_surname_is_not_taken_for_a_misspelling(vocabulary):
    text = "Shanahan said on Tuesday the deadline stood. Shannon said talks would continue in July."
    assert speakers_of_last(text, vocabulary) != ["Patrick Shanahan"]
