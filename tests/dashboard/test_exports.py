"""Exports of filtered views (CSV, JSON) and the Atom feeds of new statements."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import pytest
from django.urls import reverse

from tracker.models import Statement

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_statements_export_is_a_csv_of_the_filtered_view(world, analyst_client):
    response = analyst_client.get(reverse("statements-export", args=["csv"]), {"stance": "escalating"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_body(response).lstrip("\ufeff"))))
    assert {row["text"] for row in rows} == {"Penalties would follow", world.hostile_statement.text}
    assert all(row["stance"] == "escalating" for row in rows)
    assert rows[0]["dashboard_url"].startswith("http://testserver/articles/")
    assert "#statement-" in rows[0]["dashboard_url"]


def test_the_statements_export_as_json_keeps_the_search(world, analyst_client):
    response = analyst_client.get(reverse("statements-export", args=["json"]), {"q": "compromise"})
    rows = json.loads(_body(response))
    assert [row["text"] for row in rows] == ["they were ready for a compromise on the SX-9"]
    assert rows[0]["speaker"] == "Federation of Borel"
    assert rows[0]["said_on"] == "2021-03-10"


def test_exported_cells_cannot_run_as_spreadsheet_formulas(world, analyst_client):
    Statement.objects.filter(pk=world.statements[0].pk).update(text='=HYPERLINK("http://evil.example")')
    response = analyst_client.get(reverse("statements-export", args=["csv"]), {"actor": "ilsa-marden"})
    rows = list(csv.DictReader(io.StringIO(_body(response).lstrip("\ufeff"))))
    texts = {row["text"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example")' in texts


def test_the_timeline_export_follows_the_timeline_filters(world, analyst_client):
    url = reverse("timeline-export", args=[world.dispute.slug, "json"])
    rows = json.loads(_body(analyst_client.get(url, {"since": "2021-03-01", "until": "2021-03-07"})))
    assert [(row["type"], row["date"]) for row in rows] == [
        ("article", "2021-03-03"),
        ("statement", "2021-03-03"),
        ("milestone", "2021-03-01"),
    ]
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                _body(analyst_client.get(reverse("timeline-export", args=[world.dispute.slug, "csv"]))).lstrip("\ufeff")
            )
        )
    )
    assert len(csv_rows) == 1 + 4 + 4  # one milestone, four statements, four articles


def test_an_unknown_export_format_is_a_404(world, analyst_client):
    assert analyst_client.get(reverse("statements-export", args=["xlsx"])).status_code == 404


def test_exports_need_a_login(world, client):
    response = client.get(reverse("statements-export", args=["csv"]))
    assert response.status_code == 302


def test_the_dispute_feed_is_atom_that_feedparser_reads(world, analyst_client):
    response = analyst_client.get(reverse("dispute-feed", args=[world.dispute.slug]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "New statements: Synthetic SAM deal"
    assert len(feed.entries) == 4
    newest = feed.entries[0]
    assert newest.id == f"urn:arms-dispute-tracker:statement:{world.hostile_statement.pk}"
    assert newest.link.endswith(f"/articles/{world.hostile_article.pk}/#statement-{world.hostile_statement.pk}")


def test_hostile_statements_stay_text_in_the_feed(world, analyst_client):
    content = analyst_client.get(reverse("dispute-feed", args=[world.dispute.slug])).content
    assert b"<script>" not in content and b"<img" not in content
    entry = feedparser.parse(content).entries[0]
    # A reader shows the markup as text: the HTML summary carries it escaped.
    assert "&lt;script&gt;" in entry.summary
    assert "<script" not in entry.summary


def test_the_actor_feed_lists_only_that_actors_statements(world, analyst_client):
    feed = feedparser.parse(analyst_client.get(reverse("actor-feed", args=[world.minister.slug])).content)
    assert feed.feed.title == "New statements by Ilsa Marden"
    assert {e.author for e in feed.entries} == {"Ilsa Marden"}
    assert len(feed.entries) == 3
