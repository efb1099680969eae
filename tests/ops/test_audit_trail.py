"""Who changed which actor, alias, statement or milestone, when, and what it was before."""

from datetime import date

import pytest
from django.utils import timezone

from tests.factories import ActorFactory, ArticleFactory, DisputeFactory
from tracker.models import Actor, ActorAlias, Event, Statement

from .adminforms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(username="editor-ann", password="x-pass-123", email="a@x.test")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editing_a_milestone_records_the_editor_and_the_old_title(editor_client, editor):
    event = Event.objects.create(dispute=DisputeFactory(), date=date(2019, 7, 12), title="First S-400 parts arrive")
    response = submit(editor_client, f"/admin/tracker/event/{event.pk}/change/", title="First S-400 batteries arrive")
    assert response.status_code == 302, response.content.decode()[:2000]

    latest, previous = event.history.all()[:2]
    assert latest.history_user == editor and latest.history_type == "~"
    assert latest.title == "First S-400 batteries arrive"
    assert previous.title == "First S-400 parts arrive"
    assert [c.field for c in latest.diff_against(previous).changes] == ["title"]
    history_page = editor_client.get(f"/admin/tracker/event/{event.pk}/history/")
    assert "editor-ann" in history_page.content.decode()


def test_renaming_an_alias_in_the_actor_form_records_the_old_alias(editor_client, editor):
    actor = ActorFactory(name="Hulusi Akar")
    alias = ActorAlias.objects.create(actor=actor, text="the defence ministr")
    response = submit(
        editor_client, f"/admin/tracker/actor/{actor.pk}/change/", **{"aliases-0-text": "the defence minister"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    latest, previous = alias.history.all()[:2]
    assert latest.history_user == editor
    assert (previous.text, latest.text) == ("the defence ministr", "the defence minister")


def test_confirming_a_statement_records_who_confirmed_it_and_that_it_was_proposed(editor_client, editor):
    article = ArticleFactory()
    statement = Statement.objects.create(
        text="The deal is done.",
        kind=Statement.Kind.DIRECT,
        article=article,
        start=0,
        end=17,
        fingerprint="audit-1",
        first_reported_at=timezone.now(),
    )
    response = submit(editor_client, f"/admin/tracker/statement/{statement.pk}/change/", review="confirmed")
    assert response.status_code == 302, response.content.decode()[:2000]

    latest, previous = statement.history.all()[:2]
    assert latest.history_user == editor
    assert (previous.review, latest.review) == ("proposed", "confirmed")


def test_the_confirm_candidates_action_leaves_a_history_row_per_actor(editor_client, editor):
    candidate = ActorFactory(name="Unnamed official", status=Actor.Status.CANDIDATE)
    response = editor_client.post(
        "/admin/tracker/actor/", {"action": "confirm_candidates", "_selected_action": [candidate.pk]}
    )
    assert response.status_code == 302
    latest, previous = candidate.history.all()[:2]
    assert latest.history_user == editor
    assert (previous.status, latest.status) == ("candidate", "confirmed")
