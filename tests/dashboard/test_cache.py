"""Cached page bodies: a repeat visit is served from the cache, and new data shows up at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.dashboard.conftest import _statement
from tests.factories import ArticleFactory, DisputeFactory
from tracker.models import (
    ActorMention,
    ArticleDispute,
    DisputeParty,
    Event,
    Statement,
    StatementReport,
    SystemMention,
    WeaponsSystem,
)
from tracker.services.rollups import rollups_rebuild, rollups_refresh_for_article

pytestmark = pytest.mark.django_db

NEW_QUOTE = "Synthetic new quote: the batteries arrive next spring"


def _pages(world) -> list[str]:
    slug = world.dispute.slug
    return [
        reverse("home"),
        reverse("dispute", args=[slug]),
        reverse("timeline", args=[slug]),
        reverse("timeline", args=[slug]) + "?kind=statement&partial=1",
        reverse("actor", args=[world.minister.slug]),
        reverse("system", args=[world.system.slug]),
        reverse("statements"),
        reverse("statements") + "?stance=neutral",
        reverse("dispute-feed", args=[slug]),
        reverse("actor-feed", args=[world.minister.slug]),
    ]


def _add_statement(world) -> Statement:
    """Record a statement the way tagging does: a new article carrying it, linked to the dispute and system."""
    text = f"Synthetic late report. “{NEW_QUOTE},” Ilsa Marden said."
    article = ArticleFactory(source=world.source, title="Synthetic late report", text=text)
    start = text.index(NEW_QUOTE)
    statement = Statement.objects.create(
        speaker=world.minister,
        speaker_text=world.minister.name,
        text=NEW_QUOTE,
        kind=Statement.Kind.DIRECT,
        article=article,
        start=start,
        end=start + len(NEW_QUOTE),
        said_on=date(2021, 5, 1),
        stance=Statement.Stance.NEUTRAL,
        fingerprint="fp-new-quote",
    )
    StatementReport.objects.create(statement=statement, article=article, start=start, end=statement.end)
    statement.disputes.add(world.dispute)
    statement.systems.add(world.system)
    return statement


def test_a_repeat_visit_is_served_from_the_cache_with_few_queries(world, analyst_client, django_assert_max_num_queries):
    url = reverse("dispute", args=[world.dispute.slug])
    first = analyst_client.get(url)
    # Session, user, and the data version: nothing else is read for a cached body.
    with django_assert_max_num_queries(3):
        second = analyst_client.get(url)
    assert second.content.split(b"<main")[1] == first.content.split(b"<main")[1]


def test_a_new_statement_shows_up_on_the_next_request_to_every_page(world, analyst_client):
    pages = _pages(world)
    for url in pages:
        response = analyst_client.get(url)
        assert response.status_code == 200
        assert NEW_QUOTE not in response.content.decode()
    _add_statement(world)
    for url in pages:
        assert NEW_QUOTE in analyst_client.get(url).content.decode(), url


def test_an_editor_rejecting_a_statement_hides_it_on_the_next_request(world, analyst_client):
    quote = "they were ready for a compromise on the SX-9"
    url = reverse("dispute", args=[world.dispute.slug])
    assert quote in analyst_client.get(url).content.decode()
    statement = Statement.objects.get(text=quote)
    statement.review = Statement.Review.REJECTED
    statement.save()  # as the admin does: the audit trail records it, and the version moves
    assert quote not in analyst_client.get(url).content.decode()


def test_a_new_milestone_shows_up_on_the_next_request(world, analyst_client):
    url = reverse("timeline", args=[world.dispute.slug])
    assert "Synthetic talks resume" not in analyst_client.get(url).content.decode()
    Event.objects.create(dispute=world.dispute, date=date(2021, 6, 1), kind="talks", title="Synthetic talks resume")
    assert "Synthetic talks resume" in analyst_client.get(url).content.decode()


def test_a_cached_page_still_shows_each_analyst_their_own_name(world, analyst_client):
    url = reverse("home")
    analyst_client.get(url)
    other = get_user_model().objects.create_user("second-analyst", password="synthetic-password-2")
    client = Client()
    client.force_login(other)
    header = client.get(url).content.decode().split("<main")[0]
    assert "second-analyst" in header


def test_a_missing_dispute_is_still_a_404_after_the_page_was_cached(world, analyst_client):
    analyst_client.get(reverse("dispute", args=[world.dispute.slug]))
    assert analyst_client.get(reverse("dispute", args=["no-such-dispute"])).status_code == 404
    assert analyst_client.get(reverse("dispute", args=["no-such-dispute"])).status_code == 404


@pytest.fixture
def other_dispute(world):
    """A second dispute, with one article and one statement of its own."""
    dispute = DisputeFactory(slug="synthetic-frigate-deal", name="Synthetic frigate deal")
    DisputeParty.objects.create(dispute=dispute, actor=world.supplier, side="supplier")
    text = "Synthetic frigate report. “The hulls are late,” Federation of Borel said."
    article = ArticleFactory(source=world.source, title="Synthetic frigate story", text=text)
    ArticleDispute.objects.create(article=article, dispute=dispute, score=0.8)
    _statement(
        article, world.supplier, "The hulls are late", stance="neutral", said_on=date(2021, 5, 3), dispute=dispute
    )
    rollups_rebuild()
    return dispute


def _body(response) -> bytes:
    """The page without its per-request header (CSRF token): what the cache holds."""
    return response.content.split(b"<main", 1)[-1]


def _other_pages(dispute) -> list[str]:
    return [
        reverse("dispute", args=[dispute.slug]),
        reverse("timeline", args=[dispute.slug]),
        reverse("dispute-feed", args=[dispute.slug]),
    ]


def test_a_new_statement_in_one_dispute_leaves_the_other_disputes_pages_cached(
    world, other_dispute, analyst_client, django_assert_max_num_queries
):
    before = {url: _body(analyst_client.get(url)) for url in _other_pages(other_dispute)}
    _add_statement(world)
    for url, body in before.items():
        with django_assert_max_num_queries(3):  # session, user, the dispute's version: a cached body
            again = analyst_client.get(url)
        assert _body(again) == body, url
    # ... while the dispute that got it, and the cross-dispute pages, show it at once.
    for url in (reverse("dispute", args=[world.dispute.slug]), reverse("statements"), reverse("home")):
        assert NEW_QUOTE in analyst_client.get(url).content.decode(), url


def test_an_editor_renaming_an_actor_shows_on_every_disputes_page(world, other_dispute, analyst_client):
    url = reverse("dispute", args=[other_dispute.slug])
    assert "Federation of Borel" in analyst_client.get(url).content.decode()
    world.supplier.name = "Synthetic Borel Union"
    world.supplier.save()  # as the admin does: the audit trail records it
    assert "Synthetic Borel Union" in analyst_client.get(url).content.decode()


def test_an_article_dropped_from_a_dispute_leaves_its_timeline_on_the_next_request(world, analyst_client):
    # What re-tagging does when an article no longer concerns the dispute: its link goes,
    # and its days' roll-ups are rewritten in the same transaction.
    url = reverse("timeline", args=[world.dispute.slug]) + "?kind=article"
    dropped = world.articles[1]
    assert dropped.title in analyst_client.get(url).content.decode()
    ArticleDispute.objects.filter(article=dropped, dispute=world.dispute).delete()
    rollups_refresh_for_article(article_id=dropped.pk)
    assert dropped.title not in analyst_client.get(url).content.decode()


def test_a_new_statement_by_one_speaker_leaves_another_speakers_page_cached(
    world, analyst_client, django_assert_max_num_queries
):
    pages = [reverse("actor", args=[world.supplier.slug]), reverse("actor-feed", args=[world.supplier.slug])]
    before = {url: _body(analyst_client.get(url)) for url in pages}
    _add_statement(world)  # spoken by the minister
    for url, body in before.items():
        with django_assert_max_num_queries(3):  # session, user, the actor's version: a cached body
            again = analyst_client.get(url)
        assert _body(again) == body, url
    assert NEW_QUOTE in analyst_client.get(reverse("actor", args=[world.minister.slug])).content.decode()


def test_an_actor_no_longer_mentioned_in_an_article_leaves_its_appears_with_list(world, analyst_client):
    # What re-tagging does when an article no longer names the actor: its mention goes.
    ActorMention.objects.create(article=world.articles[0], actor=world.supplier, count=1, offsets=[])
    url = reverse("actor", args=[world.minister.slug])
    supplier_link = reverse("actor", args=[world.supplier.slug])
    assert supplier_link in analyst_client.get(url).content.decode()
    ActorMention.objects.filter(article=world.articles[0], actor=world.minister).delete()
    assert supplier_link not in analyst_client.get(url).content.decode()


def test_a_new_statement_about_one_system_leaves_another_systems_page_cached(
    world, analyst_client, django_assert_max_num_queries
):
    other = WeaponsSystem.objects.create(slug="synthetic-sx-11", name="Synthetic SX-11")
    world.dispute.systems.add(other)
    url = reverse("system", args=[other.slug])
    before = _body(analyst_client.get(url))
    _add_statement(world)  # about the SX-9
    with django_assert_max_num_queries(3):  # session, user, the system's version: a cached body
        again = analyst_client.get(url)
    assert _body(again) == before
    assert NEW_QUOTE in analyst_client.get(reverse("system", args=[world.system.slug])).content.decode()


def test_a_system_no_longer_mentioned_in_an_article_leaves_its_actors_list(world, analyst_client):
    url = reverse("system", args=[world.system.slug])

    def actors_section() -> str:
        page = analyst_client.get(url).content.decode()
        return page.split('id="actors-heading"', 1)[1].split("</section>", 1)[0]

    # The system's newest mention is in an article that names no actor.
    SystemMention.objects.create(article=world.hostile_article, system=world.system, count=1, offsets=[])
    minister_link = reverse("actor", args=[world.minister.slug])
    assert minister_link in actors_section()
    # Re-tagging finds the system in none of the minister's articles any more.
    SystemMention.objects.filter(article__actor_mentions__actor=world.minister).delete()
    assert minister_link not in actors_section()


class _BrokenCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("synthetic cache outage")

    set = get


def test_a_new_statement_in_another_article_leaves_an_articles_page_cached(
    world, analyst_client, django_assert_max_num_queries
):
    url = reverse("article", args=[world.articles[0].pk])
    before = _body(analyst_client.get(url))
    _add_statement(world)  # carried by a new article
    with django_assert_max_num_queries(3):  # session, user, the article's version: a cached body
        again = analyst_client.get(url)
    assert _body(again) == before


def test_retagging_an_article_shows_on_its_page_at_once(world, analyst_client):
    article = world.articles[1]
    url = reverse("article", args=[article.pk])
    assert "Ilsa Marden" not in analyst_client.get(url).content.decode()
    # What tagging does: new statements and reports for the article, and a new tagged_at.
    _statement(
        article,
        world.minister,
        "Officials from Borel said",
        stance="neutral",
        said_on=date(2021, 3, 10),
        kind=Statement.Kind.REPORTED,
        dispute=world.dispute,
    )
    article.tagged_at = timezone.now()
    article.save(update_fields=["tagged_at"])
    assert "Ilsa Marden" in analyst_client.get(url).content.decode()


def test_an_editor_renaming_an_actor_or_rejecting_a_statement_shows_on_an_articles_page(world, analyst_client):
    url = reverse("article", args=[world.articles[0].pk])
    assert "Ilsa Marden" in analyst_client.get(url).content.decode()
    world.minister.name = "Synthetic Ilsa Marden-Voss"
    world.minister.save()  # as the admin does: the audit trail records it
    assert "Synthetic Ilsa Marden-Voss" in analyst_client.get(url).content.decode()
    statement = world.statements[0]
    statement.review = Statement.Review.REJECTED
    statement.save()
    assert "No statements found in this article." in analyst_client.get(url).content.decode()


def test_pages_still_work_when_the_cache_fails(world, analyst_client, monkeypatch):
    monkeypatch.setattr("dashboard.cache.cache", _BrokenCache())
    response = analyst_client.get(reverse("dispute", args=[world.dispute.slug]))
    assert response.status_code == 200
    assert world.dispute.name in response.content.decode()


# The statements and articles lists keep an address cached when new data do not belong on it.


def _list_addresses(dispute) -> list[str]:
    return [
        reverse("statements") + f"?dispute={dispute.slug}",
        reverse("statements") + "?q=hulls",
        reverse("articles") + f"?dispute={dispute.slug}",
        reverse("articles") + "?q=frigate",
    ]


def test_a_new_statement_leaves_the_list_addresses_it_does_not_belong_on_cached(
    world, other_dispute, analyst_client, django_assert_max_num_queries
):
    before = {url: _body(analyst_client.get(url)) for url in _list_addresses(other_dispute)}
    assert all(b"hulls are late" in body or b"frigate" in body for body in before.values())
    _add_statement(world)  # in the first dispute; its words are not searched for above
    for url, body in before.items():
        # Session, user, the data version, the dispute's id, and at most two checks on this
        # address (new statements, old ones reported again); a render takes 8-12.
        with django_assert_max_num_queries(6):
            again = analyst_client.get(url)
        assert _body(again) == body, url
    # ... while every address it belongs on shows it at once.
    for url in (
        reverse("statements"),
        reverse("statements") + f"?dispute={world.dispute.slug}",
        reverse("statements") + "?q=batteries",
        reverse("articles"),
        reverse("articles") + "?q=late",
    ):
        page = analyst_client.get(url).content.decode()
        assert NEW_QUOTE in page or "Synthetic late report" in page, url


def test_an_old_statement_or_article_tagged_into_a_dispute_joins_its_lists_at_once(
    world, other_dispute, analyst_client
):
    statements_url = reverse("statements") + f"?dispute={other_dispute.slug}"
    articles_url = reverse("articles") + f"?dispute={other_dispute.slug}"
    old_statement, old_article = world.statements[0], world.articles[1]
    assert old_statement.text not in analyst_client.get(statements_url).content.decode()
    assert old_article.title not in analyst_client.get(articles_url).content.decode()
    # What tagging does: a new article reports the old statement and links it to the
    # other dispute (no new statement id); re-tagging the old article links it too.
    text = f"Synthetic recap. “{old_statement.text},” she said."
    recap = ArticleFactory(source=world.source, title="Synthetic recap", text=text, tagged_at=timezone.now())
    StatementReport.objects.create(statement=old_statement, article=recap, start=18, end=18 + len(old_statement.text))
    old_statement.disputes.add(other_dispute)
    ArticleDispute.objects.create(article=old_article, dispute=other_dispute, score=0.7)
    old_article.tagged_at = timezone.now()
    old_article.save(update_fields=["tagged_at"])
    rollups_refresh_for_article(article_id=old_article.pk)
    assert old_statement.text in analyst_client.get(statements_url).content.decode()
    assert old_article.title in analyst_client.get(articles_url).content.decode()


def test_an_editor_change_shows_on_list_addresses_kept_across_versions(world, other_dispute, analyst_client):
    url = reverse("statements") + "?q=hulls"
    assert "Federation of Borel" in analyst_client.get(url).content.decode()
    _add_statement(world)
    assert "Federation of Borel" in analyst_client.get(url).content.decode()  # kept: the statement is elsewhere
    world.supplier.name = "Synthetic Borel Union"
    world.supplier.save()  # as the admin does: the audit trail records it
    assert "Synthetic Borel Union" in analyst_client.get(url).content.decode()


def test_a_list_address_kept_across_versions_still_expires_on_time(
    world, other_dispute, analyst_client, monkeypatch, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 60
    url = reverse("statements") + "?q=hulls"
    assert "</mark> are late" in analyst_client.get(url).content.decode()  # the searched word is marked
    _add_statement(world)
    analyst_client.get(url)  # kept under the new version, with its first render's expiry
    # A change no version sees (a queryset update: no audit row, no new id) ...
    Statement.objects.filter(text="The hulls are late").update(text="The hulls are very late")
    assert "are very late" not in analyst_client.get(url).content.decode()
    # ... shows once the first render's lifetime is over, however often the entry was kept.
    import time as real_time

    class Later:
        @staticmethod
        def time():
            return real_time.time() + 61

        @staticmethod
        def monotonic():
            return real_time.monotonic() + 61

    monkeypatch.setattr("dashboard.cache.time", Later)
    assert "are very late" in analyst_client.get(url).content.decode()


def test_a_release_that_changes_a_template_gets_keys_of_its_own(tmp_path, settings):
    from dashboard import cache as page_cache

    (tmp_path / "templates").mkdir()
    (tmp_path / "dashboard").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<main>{{ body }}</main>")
    (tmp_path / "dashboard" / "views.py").write_text("VIEWS = 1\n")
    settings.BASE_DIR = tmp_path
    page_cache.code_stamp.cache_clear()
    try:
        before = page_cache.key_for("dispute", ("some-dispute",), "d1")
        page_cache.code_stamp.cache_clear()
        assert page_cache.key_for("dispute", ("some-dispute",), "d1") == before  # same code, same key
        template.write_text("<main class='new'>{{ body }}</main>")
        page_cache.code_stamp.cache_clear()
        assert page_cache.key_for("dispute", ("some-dispute",), "d1") != before
    finally:
        page_cache.code_stamp.cache_clear()


def test_a_list_rendered_again_renders_only_its_new_rows(world, analyst_client, monkeypatch):
    from dashboard.views import lists

    url = reverse("statements")
    before = analyst_client.get(url).content.decode()
    rendered = []
    real_item = lists.statement_item
    monkeypatch.setattr(lists, "statement_item", lambda s: rendered.append(s.pk) or real_item(s))
    statement = _add_statement(world)
    after = analyst_client.get(url).content.decode()
    assert rendered == [statement.pk]  # the rows shown before come from the cache
    rows = after.split('<ul class="statements">', 1)[1].split("</ul>", 1)[0]
    assert rows.index(NEW_QUOTE) < rows.index("We will take delivery")  # newest first, old rows below
    assert rows.count("<li") == before.split('<ul class="statements">', 1)[1].split("</ul>", 1)[0].count("<li") + 1


def test_an_editor_renaming_a_speaker_renders_the_list_rows_again(world, analyst_client):
    url = reverse("statements")
    assert "Ilsa Marden" in analyst_client.get(url).content.decode()
    world.minister.name = "Synthetic Ilsa Marden-Voss"
    world.minister.save()  # as the admin does: the audit trail records it
    assert "Synthetic Ilsa Marden-Voss" in analyst_client.get(url).content.decode()


def test_the_articles_list_rendered_again_renders_only_its_new_rows(world, analyst_client, monkeypatch):
    from dashboard.views import lists

    url = reverse("articles")
    before = analyst_client.get(url).content.decode()
    fetched = []
    real = lists.queries.articles_by_id
    monkeypatch.setattr(lists.queries, "articles_by_id", lambda ids: fetched.extend(ids) or real(ids))
    statement = _add_statement(world)
    after = analyst_client.get(url).content.decode()
    assert fetched == [statement.article_id]  # the rows shown before come from the cache
    assert after.count('class="article-row"') == before.count('class="article-row"') + 1
    assert after.index("Synthetic late report") < after.index("Synthetic story 0 about the SX-9")
