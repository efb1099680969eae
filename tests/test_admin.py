import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActorFactory, ArticleFactory, DisputeFactory, SourceFactory
from tracker.models import Actor, ActorAlias, Event, Source

pytestmark = pytest.mark.django_db

MODELS = ["actor", "weaponssystem", "dispute", "source", "article", "statement", "event"]


@pytest.mark.parametrize("model", MODELS)
def test_every_admin_list_and_add_page_opens(admin_client_logged, model):
    assert admin_client_logged.get(reverse(f"admin:tracker_{model}_changelist")).status_code == 200
    assert admin_client_logged.get(reverse(f"admin:tracker_{model}_add")).status_code == 200


def test_the_source_list_shows_health(admin_client_logged):
    SourceFactory(
        name="Flaky Wire",
        last_fetched_at=timezone.now(),
        last_status=Source.Status.PERMANENT,
        last_http_status=410,
        last_error="PermanentFetchError: HTTP 410 from https://flaky.example/feed",
        consecutive_failures=3,
    )
    page = admin_client_logged.get(reverse("admin:tracker_source_changelist")).content.decode()
    assert "Flaky Wire" in page
    assert "HTTP 410" in page
    assert "permanent error" in page


def test_an_admin_adds_a_source_and_it_is_due_for_fetching(admin_client_logged):
    response = admin_client_logged.post(
        reverse("admin:tracker_source_add"),
        {
            "name": "New Wire",
            "url": "https://newwire.example/feed.xml",
            "kind": "feed",
            "active": "on",
            "fetch_interval": "00:30:00",
            "fetch_full_text": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get(url="https://newwire.example/feed.xml")
    assert source in Source.objects.due()


def test_actor_admin_searches_aliases(admin_client_logged):
    actor = ActorFactory(name="Recep Tayyip Erdoğan")
    ActorAlias.objects.create(actor=actor, text="Erdogan")
    page = admin_client_logged.get(reverse("admin:tracker_actor_changelist"), {"q": "Erdogan"}).content.decode()
    assert "Recep Tayyip Erdoğan" in page


def test_candidate_actors_can_be_confirmed_in_bulk(admin_client_logged):
    candidate = ActorFactory(name="Selin Arkan", status=Actor.Status.CANDIDATE)
    admin_client_logged.post(
        reverse("admin:tracker_actor_changelist"),
        {"action": "confirm_candidates", "_selected_action": [candidate.pk]},
    )
    candidate.refresh_from_db()
    assert candidate.status == Actor.Status.CONFIRMED


def test_the_event_admin_lists_proposed_milestones(admin_client_logged):
    article = ArticleFactory()
    event = Event.objects.create(
        dispute=DisputeFactory(), date=timezone.now().date(), title="Deliveries begin", review=Event.Review.PROPOSED
    )
    event.articles.add(article)
    page = admin_client_logged.get(reverse("admin:tracker_event_changelist"), {"review__exact": "proposed"})
    assert "Deliveries begin" in page.content.decode()
