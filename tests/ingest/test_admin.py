"""The admin's ingestion controls: Fetch now, submit a URL, upload a file, OPML, feed discovery."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracker import tasks
from tracker.ingest.opml import Subscription, parse_opml, write_opml
from tracker.models import Article, Source

from .servers import respond, rss

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.source_fetch_task, "delay_on_commit", lambda *a: calls.append(("fetch", *a)))
    monkeypatch.setattr(tasks.article_tag_task, "delay_on_commit", lambda *a: calls.append(("tag", *a)))
    return calls


def test_fetch_now_queues_the_selected_sources_and_leases_them(admin_client_logged, queued):
    source = Source.objects.create(name="Wire", url="https://wire.example/feed.xml")
    response = admin_client_logged.post(
        reverse("admin:tracker_source_changelist"),
        {"action": "fetch_now", "_selected_action": [source.pk]},
        follow=True,
    )
    assert "Queued 1 source(s)" in response.content.decode()
    assert queued == [("fetch", source.pk)]
    assert not Source.objects.due().filter(pk=source.pk).exists()


def test_an_admin_can_submit_a_single_article_url(admin_client_logged, queued):
    url = "https://news.example/2019/07/17/synthetic-story"
    response = admin_client_logged.post(reverse("admin:tracker_article_submit_url"), {"url": url}, follow=True)
    source = Source.objects.get(url=url)
    assert (source.kind, source.active) == (Source.Kind.PAGE, False)
    assert queued == [("fetch", source.pk)]
    assert "Queued for fetching" in response.content.decode()


def test_a_javascript_url_cannot_be_submitted(admin_client_logged, queued):
    response = admin_client_logged.post(reverse("admin:tracker_article_submit_url"), {"url": "javascript:alert(1)"})
    assert response.status_code == 200 and "Enter a valid URL" in response.content.decode()
    assert queued == [] and not Source.objects.exists()


def test_an_admin_can_upload_a_text_file_as_an_article_once(admin_client_logged, queued):
    content = b"Synthetic uploaded report\n2019-07-17\nA synthetic body paragraph about the deal.\n"
    url = reverse("admin:tracker_article_upload")
    first = admin_client_logged.post(url, {"file": SimpleUploadedFile("report.txt", content)}, follow=True)
    second = admin_client_logged.post(url, {"file": SimpleUploadedFile("copy.txt", content)}, follow=True)
    article = Article.objects.get()
    assert article.title == "Synthetic uploaded report"
    assert article.published_at.date().isoformat() == "2019-07-17"
    assert "Stored and queued for tagging" in first.content.decode()
    assert "Already stored" in second.content.decode()
    assert queued == [("tag", article.pk)]


def test_opml_can_be_imported_and_exported_in_the_admin(admin_client_logged):
    subs = [
        Subscription("Wire (synthetic)", "https://wire.example/feed.xml"),
        Subscription("B", "https://b.example/rss"),
    ]
    upload = SimpleUploadedFile("subs.opml", write_opml(subs).encode())
    admin_client_logged.post(reverse("admin:tracker_source_import_opml"), {"file": upload}, follow=True)
    again = SimpleUploadedFile("subs.opml", write_opml(subs).encode())
    response = admin_client_logged.post(reverse("admin:tracker_source_import_opml"), {"file": again}, follow=True)
    assert "0 source(s) added, 2 already present." in response.content.decode()
    exported = admin_client_logged.get(reverse("admin:tracker_source_export_opml"))
    assert sorted(parse_opml(exported.content), key=lambda s: s.url) == sorted(subs, key=lambda s: s.url)


def test_an_opml_entity_bomb_is_refused_in_the_admin(admin_client_logged):
    bomb = b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>'
    response = admin_client_logged.post(
        reverse("admin:tracker_source_import_opml"), {"file": SimpleUploadedFile("x.opml", bomb)}
    )
    assert "not valid OPML" in response.content.decode() and not Source.objects.exists()


def test_pasting_a_home_page_finds_its_feed(admin_client_logged, server, ingest_settings):
    home = b'<html><head><link rel="alternate" type="application/rss+xml" href="/news/feed.xml"></head><body>Hi</body></html>'
    server.add("/", respond(home, content_type="text/html"))
    server.add("/news/feed.xml", respond(rss([])))
    form = {
        "name": "Synthetic site",
        "url": server.url("/"),
        "kind": "feed",
        "active": "on",
        "fetch_interval": "00:30:00",
    }
    form |= {"fetch_full_text": "on", "discover_feed": "on"}
    response = admin_client_logged.post(reverse("admin:tracker_source_add"), form, follow=True)
    assert response.status_code == 200
    assert Source.objects.get().url == server.url("/news/feed.xml")


def test_a_page_without_a_feed_is_not_saved_as_a_feed(admin_client_logged, server, ingest_settings):
    server.add("/", respond(b"<html><body>No feeds here</body></html>", content_type="text/html"))
    form = {"name": "Feedless", "url": server.url("/"), "kind": "feed", "active": "on", "fetch_interval": "00:30:00"}
    response = admin_client_logged.post(reverse("admin:tracker_source_add"), form | {"discover_feed": "on"})
    assert "neither a feed nor a page that links to one" in response.content.decode()
    assert not Source.objects.exists()
