"""article_tag: statements merged across outlets, candidate actors, proposed events, idempotence,
and re-tagging when reference data changes (database tests, synthetic articles)."""

from datetime import UTC, datetime

import pytest

from tests.factories import ArticleFactory
from tracker import services, tasks
from tracker.models import Actor, ActorAlias, Article, Event, Statement, StatementReport

pytestmark = pytest.mark.django_db

LEDE = "ANKARA (Reuters) - Turkey will keep its S-400 order, Erdogan said on Tuesday."
QUOTE = '"We signed, we paid, and the systems will come," Erdogan told reporters.'


@pytest.fixture
def reference(db):
    services.reference_load()


def article(text, day=5, title="Turkey keeps the S-400 order", month=6):
    return ArticleFactory(title=title, text=text, published_at=datetime(2019, month, day, 10, tzinfo=UTC))


def test_the_same_quote_from_two_outlets_is_one_statement_with_two_reports(reference):
    first = article(f"{LEDE}\n\n{QUOTE}", day=5)
    second = article(f"{LEDE}\n\n{QUOTE.replace('told reporters', 'said')}", day=6)
    services.article_tag(article_id=second.pk)
    services.article_tag(article_id=first.pk)
    statement = Statement.objects.get(text__startswith="We signed")
    assert statement.reports.count() == 2
    assert statement.article_id == first.pk  # the first outlet to report it


def test_a_trimmed_quote_in_another_outlet_still_merges(reference):
    article(f"{LEDE}\n\n{QUOTE}", day=5)
    article(f'{LEDE}\n\n"We signed, we paid and the systems will come soon," Erdogan said.', day=5)
    for a in Article.objects.order_by("pk"):
        services.article_tag(article_id=a.pk)
    assert Statement.objects.filter(text__icontains="we paid").count() == 1


def test_tagging_twice_changes_nothing(reference):
    a = article(f"{LEDE}\n\n{QUOTE}")
    services.article_tag(article_id=a.pk)
    before = sorted(Statement.objects.values_list("fingerprint", "said_on"))
    services.article_tag(article_id=a.pk)
    assert sorted(Statement.objects.values_list("fingerprint", "said_on")) == before
    assert StatementReport.objects.count() == len(before)


def test_an_unknown_speaker_becomes_a_candidate_actor_with_evidence(reference):
    a = article("Maria Olsen, who runs a procurement office, said the S-400 batteries were due in July.")
    services.article_tag(article_id=a.pk)
    olsen = Actor.objects.get(name="Maria Olsen")
    assert olsen.status == Actor.Status.CANDIDATE
    assert "procurement office" in olsen.evidence
    assert Statement.objects.get().speaker == olsen


def test_a_delivery_sentence_proposes_one_event_and_later_reports_join_it(reference):
    text = "The first S-400 parts arrived at an air base in Turkey on Friday, the Turkish defence ministry said."
    one = article(text, day=12, month=7, title="S-400 parts reach Turkey")
    two = article(text.replace("first", "initial"), day=13, month=7, title="S-400 parts reach Turkey")
    services.article_tag(article_id=one.pk)
    services.article_tag(article_id=two.pk)
    proposed = Event.objects.filter(review=Event.Review.PROPOSED, kind="delivery")
    # The reference data already holds the confirmed delivery of that day: no duplicate is proposed.
    assert proposed.count() == 0
    delivery = Event.objects.get(kind="delivery", date="2019-07-12")
    assert set(delivery.articles.values_list("pk", flat=True)) == {one.pk, two.pk}


def test_a_new_proposal_is_deduplicated_against_events_of_the_same_kind_nearby(reference):
    text = "The S-400 radar was activated in Turkey on Friday, the Turkish defence ministry said."
    for day in (15, 16):
        services.article_tag(article_id=article(text, day=day, month=11, title="Turkey tests the S-400").pk)
    tests_near = Event.objects.filter(kind="test", date__range=("2019-11-12", "2019-11-19"))
    assert tests_near.count() == 1


def test_editing_an_alias_retags_the_affected_articles(reference, monkeypatch, django_capture_on_commit_callbacks):
    a = article("Turkey's top brass met on Friday. Mr Kahramanli said the S-400 radar was ready.")
    services.article_tag(article_id=a.pk)
    queued = []
    monkeypatch.setattr(tasks.reference_retag_task, "delay", lambda *args: queued.append(args))
    akar = Actor.objects.get(slug="hulusi-akar")
    with django_capture_on_commit_callbacks(execute=True):
        ActorAlias.objects.create(actor=akar, text="Kahramanli")  # an alias an admin adds
    assert queued, "the edit queued a re-tagging"
    texts, actor_ids, system_ids = queued[0]
    assert services.articles_affected_by_reference(texts=texts, actor_ids=actor_ids, system_ids=system_ids) == [a.pk]
    services.article_tag(article_id=a.pk)
    assert Statement.objects.get().speaker == akar
