"""The analyst pages: who may see them, what they show, and how many queries they cost."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 12


def _pages(world) -> dict[str, str]:
    slug = world.dispute.slug
    return {
        "home": reverse("home"),
        "dispute": reverse("dispute", args=[slug]),
        "timeline": reverse("timeline", args=[slug]),
        "timeline filtered": reverse("timeline", args=[slug])
        + "?actor=ilsa-marden&side=buyer&stance=escalating&kind=direct&since=2021-01-01&until=2021-12-31",
        "actor": reverse("actor", args=[world.minister.slug]),
        "system": reverse("system", args=[world.system.slug]),
        "article": reverse("article", args=[world.articles[0].pk]),
        "hostile article": reverse("article", args=[world.hostile_article.pk]),
        "statements": reverse("statements"),
        "statements search": reverse("statements") + "?q=penalties&dispute=" + slug,
        "articles": reverse("articles"),
        "articles search": reverse("articles") + "?q=delivery",
        "sources": reverse("sources"),
        "dispute feed": reverse("dispute-feed", args=[slug]),
        "actor feed": reverse("actor-feed", args=[world.minister.slug]),
    }


PAGE_NAMES = [
    "home",
    "dispute",
    "timeline",
    "timeline filtered",
    "actor",
    "system",
    "article",
    "hostile article",
    "statements",
    "statements search",
    "articles",
    "articles search",
    "sources",
    "dispute feed",
    "actor feed",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_page_answers_within_the_query_budget(world, analyst_client, django_assert_max_num_queries, name):
    url = _pages(world)[name]
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = analyst_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_visitors_are_sent_to_the_login_page(world, client, name):
    url = _pages(world)[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_analyst_cannot_reach_the_admin(world, analyst_client):
    response = analyst_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert b"Admin" not in analyst_client.get(reverse("home")).content.split(b"<main")[0]


def test_an_editor_can_curate_actors_but_not_users(world, client, django_user_model):
    editor = django_user_model.objects.create_user(username="ed", password="editor-pass-123", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    assert client.get(reverse("admin:tracker_actor_change", args=[world.minister.pk])).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_the_roles_exist_with_the_right_permissions(db):
    editor = Group.objects.get(name="editor")
    assert editor.permissions.filter(codename="change_actor").exists()
    assert editor.permissions.filter(codename="change_event").exists()
    assert not editor.permissions.filter(codename="delete_article").exists()
    assert not Permission.objects.filter(group__name="analyst").exists()


def test_the_home_page_lists_disputes_with_status_and_an_activity_chart(world, analyst_client):
    html = analyst_client.get(reverse("home")).content.decode()
    assert "Synthetic SAM deal" in html
    assert 'class="status status-active"' in html
    assert '<svg class="spark"' in html
    assert "Penalties would follow" in html


def test_the_dispute_page_shows_parties_by_side_and_hands_chart_data_through_json_script(world, analyst_client):
    response = analyst_client.get(reverse("dispute", args=[world.dispute.slug]))
    html = response.content.decode()
    assert "<dt>buyer</dt>" in html and "Republic of Aster" in html
    data = json.loads(re.search(r'<script id="timeline-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert sum(data["articles"]) == 4
    assert sum(data["statements"]) == 4
    assert {s["label"] for s in data["sides"]} == {"buyer", "supplier"}
    assert data["speakers"][0]["label"] == "Ilsa Marden"
    assert data["milestones"][0]["label"] == "Synthetic contract signed"
    assert data["timeline_url"] == reverse("timeline", args=[world.dispute.slug])
    # No inline script anywhere: data travels as JSON, code comes from static files.
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_article_page_anchors_each_statement_to_its_sentence(world, analyst_client):
    html = analyst_client.get(reverse("article", args=[world.articles[0].pk])).content.decode()
    statement = world.statements[0]
    mark = re.search(rf'<mark id="statement-{statement.pk}"[^>]*>(.*?)</mark>', html, re.S)
    assert mark, "the statement is highlighted and anchored"
    assert "We will take delivery of the" in re.sub(r"<[^>]+>", "", mark[1])
    # The mention of the system inside the statement links to its page.
    assert f'href="{reverse("system", args=["sx-9"])}"' in mark[1]


def test_hostile_text_is_escaped_on_every_page(world, analyst_client):
    for name, url in _pages(world).items():
        if "feed" in name:
            continue
        html = analyst_client.get(url).content.decode()
        assert "<script>window.__pwned" not in html, name
        assert "<img src=x" not in html, name
        assert "<b onmouseover" not in html, name
        assert 'href="javascript:' not in html, name


def test_the_actor_page_shows_aliases_as_text(world, analyst_client):
    html = analyst_client.get(reverse("actor", args=[world.minister.slug])).content.decode()
    assert "&lt;b onmouseover=&quot;window.__pwned=3&quot;&gt;Marden&lt;/b&gt;" in html
    assert "defence minister" in html


def test_the_timeline_filters_by_actor_stance_and_dates_and_keeps_them_in_page_links(world, analyst_client):
    url = reverse("timeline", args=[world.dispute.slug])
    html = analyst_client.get(url, {"actor": "ilsa-marden", "stance": "escalating"}).content.decode()
    assert "Penalties would follow" in html
    assert "We will take delivery" not in html
    assert "Synthetic contract signed" not in html  # milestones give way to speaker filters
    week = analyst_client.get(url, {"since": "2021-03-01", "until": "2021-03-07"}).content.decode()
    assert "Synthetic contract signed" in week and "We will take delivery" in week
    assert "compromise" not in week
    assert 'value="2021-03-01"' in week


def test_the_timeline_pages_keep_the_filters(world, analyst_client, monkeypatch):
    monkeypatch.setattr("dashboard.queries.PAGE_SIZE", 2)
    url = reverse("timeline", args=[world.dispute.slug])
    html = analyst_client.get(url, {"kind": "statement"}).content.decode()
    assert "kind=statement&amp;page=2" in html


def test_the_timeline_partial_returns_only_the_results(world, analyst_client):
    html = analyst_client.get(reverse("timeline", args=[world.dispute.slug]), {"partial": "1"}).content.decode()
    assert "<html" not in html and 'class="stream"' in html


def test_searching_statements_highlights_the_words(world, analyst_client):
    html = analyst_client.get(reverse("statements"), {"q": "penalties"}).content.decode()
    assert re.search(r"<mark>Penalties</mark>", html)
    assert "We will take delivery" not in html


def test_searching_articles_finds_words_in_the_text(world, analyst_client):
    html = analyst_client.get(reverse("articles"), {"q": "delivery"}).content.decode()
    assert "Synthetic story 0 about the SX-9" in html
    assert "Synthetic story 1 about the SX-9" not in html
    # The snippet is the passage of the text that matched, the word marked (both databases).
    assert re.search(r"take <mark>delivery</mark> of the SX-9", html)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "' OR 1=1--"},
        {"q": "\x00"},
        {"q": "penalties\x00"},
        {"q": "x" * 100_000},
        {"q": '"unbalanced -(quotes & | !'},
        {"page": "999999"},
        {"page": "abc"},
        {"page": "-3"},
        {"since": "2021-13-45", "until": "yesterday"},
        {"source": "not-a-number"},
        {"stance": "<script>"},
    ],
)
@pytest.mark.parametrize("page", ["statements", "articles", "timeline"])
def test_hostile_search_and_paging_never_fail(world, analyst_client, page, params):
    url = reverse(page, args=[world.dispute.slug]) if page == "timeline" else reverse(page)
    response = analyst_client.get(url, params)
    assert response.status_code == 200
    assert b"<script>" not in response.content


def test_a_search_too_long_is_refused_with_a_message(world, analyst_client):
    html = analyst_client.get(reverse("statements"), {"q": "x" * 100_000}).content.decode()
    assert 'role="alert"' in html and "at most 200 characters" in html


def test_an_empty_page_says_so(world, analyst_client):
    html = analyst_client.get(reverse("statements"), {"page": "999999"}).content.decode()
    assert "There is nothing on page 999999" in html


def test_the_sources_page_shows_health_without_linking_unsafe_addresses(world, analyst_client):
    html = analyst_client.get(reverse("sources")).content.decode()
    assert "Synthetic Wire" in html
    assert "javascript:" not in html.split("<main")[1].split("href=")[0] or 'href="javascript:' not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html  # the error text, shown as text


def test_an_unknown_address_gets_the_friendly_404(world, analyst_client):
    response = analyst_client.get("/disputes/no-such-dispute/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_the_empty_dashboard_explains_itself(db, analyst_client):
    html = analyst_client.get(reverse("home")).content.decode()
    assert "No disputes yet" in html and "No statements yet" in html
    assert "No sources yet" in analyst_client.get(reverse("sources")).content.decode()
    assert "No statements yet" in analyst_client.get(reverse("statements")).content.decode()


@pytest.mark.parametrize(
    ("name", "rare", "common"), [("statements", "penalties", "SX-9"), ("articles", "delivery", "synthetic")]
)
def test_a_search_reads_as_many_queries_for_many_results_as_for_one(
    world, analyst_client, name, rare, common, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.DASHBOARD_CACHE_SECONDS = 0  # every request renders

    def queries_for(text: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            html = analyst_client.get(reverse(name), {"q": text}).content.decode()
        return len(captured), html.count("<mark>")

    one, one_marks = queries_for(rare)
    many, many_marks = queries_for(common)
    assert many_marks > one_marks >= 1
    assert many == one
