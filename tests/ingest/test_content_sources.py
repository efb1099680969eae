"""Feeds whose content is awkward: charsets, GUIDs, links, NUL bytes, dates, duplicates, stories.

Each runs through services.source_fetch against a local server, with a good source
alongside where the case could plausibly disturb others.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tracker import services
from tracker.models import Article, Source

from .servers import SYNTHETIC_PARAGRAPH, article_page, atom, long_text, respond, rss

pytestmark = pytest.mark.django_db


def _source(server, path, handler, **fields):
    return Source.objects.create(name=path.strip("/"), url=server.add(path, handler), **fields)


def _fetch(*sources):
    return [services.source_fetch(source_id=s.pk) for s in sources]


def test_a_lying_charset_declaration_does_not_garble_the_text(server, ingest_settings):
    text = "Synthetic report from Ankara: the minister’s “final” word — déjà vu for Ümit. " * 12
    body = rss([{"title": "Déjà vu in Ankara", "link": server.url("/s/1"), "guid": "c-1", "content": f"<p>{text}</p>"}])
    # The header and the declaration both claim Latin-1; the bytes are UTF-8.
    lying = body.replace(b'encoding="utf-8"', b'encoding="iso-8859-1"')
    source = _source(server, "/c.xml", respond(lying, content_type="application/rss+xml; charset=iso-8859-1"))
    _fetch(source)
    article = source.articles.get()
    assert article.title == "Déjà vu in Ankara"
    assert "the minister’s “final” word — déjà vu for Ümit" in article.text


def test_a_windows_1252_feed_declared_as_utf8_is_read_as_windows_1252(server, ingest_settings):
    text = "Synthetic café talks on the “deal” continued. " * 20
    body = rss([{"title": "Café talks", "link": server.url("/w/1"), "guid": "w-1", "content": f"<p>{text}</p>"}])
    source = _source(server, "/w.xml", respond(body.decode().encode("cp1252")))
    _fetch(source)
    article = source.articles.get()
    assert article.title == "Café talks" and "Synthetic café talks on the “deal” continued." in article.text


def test_duplicate_guids_in_a_feed_are_stored_once(server, ingest_settings):
    items = [
        {"title": "First telling", "link": server.url("/g/1"), "guid": "same-guid", "content": long_text("one")},
        {"title": "Second telling", "link": server.url("/g/2"), "guid": "same-guid", "content": long_text("two")},
        {"title": "Other", "link": server.url("/g/3"), "guid": "other-guid", "content": long_text("three")},
    ]
    source = _source(server, "/g.xml", respond(rss(items)))
    (summary,) = _fetch(source)
    assert sorted(source.articles.values_list("title", flat=True)) == ["First telling", "Other"]
    assert (len(summary.new_ids), summary.duplicates) == (2, 1)
    (again,) = _fetch(source)
    assert (len(again.new_ids), again.duplicates) == (0, 3)
    assert source.articles.count() == 2


def test_javascript_and_data_links_are_never_stored(server, ingest_settings):
    items = [
        {"title": "Script link", "link": "javascript:alert(document.cookie)", "guid": "j-1", "content": long_text("j")},
        {"title": "Data link", "link": "data:text/html,<script>x</script>", "guid": "j-2", "content": long_text("d")},
        {"title": "Real link", "link": server.url("/j/3"), "guid": "j-3", "content": long_text("r")},
    ]
    source = _source(server, "/j.xml", respond(rss(items)))
    _fetch(source)
    source.refresh_from_db()
    assert source.last_status == Source.Status.OK
    assert list(source.articles.values_list("url", flat=True)) == [f"https://127.0.0.1:{server.port}/j/3"]


def test_nul_bytes_are_stripped_before_storage(server, ingest_settings):
    body = rss([{"title": "Nul\x00 title", "link": server.url("/n/1"), "guid": "n-1", "content": long_text("nul\x00")}])
    source = _source(server, "/n.xml", respond(body))
    good = _source(
        server, "/good.xml", respond(rss([{"title": "Fine", "link": server.url("/n/2"), "content": long_text("f")}]))
    )
    _fetch(source, good)
    article = source.articles.get()
    assert "\x00" not in article.title + article.text
    assert article.title == "Nul title"
    assert good.articles.count() == 1


def test_impossible_and_future_dates_become_unknown(server, ingest_settings):
    next_year = (timezone.now() + timedelta(days=400)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    items = [
        {
            "title": "Epoch",
            "link": server.url("/d/1"),
            "date": "Thu, 01 Jan 1970 00:00:00 +0000",
            "content": long_text("1"),
        },
        {"title": "Future", "link": server.url("/d/2"), "date": next_year, "content": long_text("2")},
        {
            "title": "Nonsense",
            "link": server.url("/d/3"),
            "date": "Mon, 45 Foo 20199 99:99:99",
            "content": long_text("3"),
        },
        {
            "title": "Plausible",
            "link": server.url("/d/4"),
            "date": "Wed, 17 Jul 2019 10:00:00 +0000",
            "content": long_text("4"),
        },
    ]
    source = _source(server, "/d.xml", respond(rss(items)))
    _fetch(source)
    dates = dict(source.articles.values_list("title", "published_at"))
    assert dates["Epoch"] is None and dates["Future"] is None and dates["Nonsense"] is None
    assert dates["Plausible"].isoformat() == "2019-07-17T10:00:00+00:00"


def test_one_story_through_rss_atom_and_a_tracking_url_is_stored_once(server, ingest_settings):
    content = long_text("wire story")
    link = server.url("/story/s-400-delivery")
    rss_source = _source(
        server,
        "/one.rss",
        respond(rss([{"title": "Delivery begins", "link": link, "guid": "r-1", "content": content}])),
    )
    atom_source = _source(
        server,
        "/one.atom",
        respond(
            atom([{"title": "Delivery begins", "link": link, "guid": "urn:a:1", "content": content}]),
            content_type="application/atom+xml",
        ),
    )
    tracked = link + "/?utm_source=newsletter&utm_medium=email#top"
    tracking_source = _source(
        server,
        "/tracked.rss",
        respond(rss([{"title": "Delivery begins", "link": tracked, "guid": "t-1", "content": content}])),
    )
    summaries = _fetch(rss_source, atom_source, tracking_source)
    assert [len(s.new_ids) for s in summaries] == [1, 0, 0]
    assert [s.duplicates for s in summaries] == [0, 1, 1]
    assert Article.objects.count() == 1


def test_the_same_wire_story_in_two_outlets_becomes_one_story_with_two_versions(server, ingest_settings):
    wire = " ".join(f"{SYNTHETIC_PARAGRAPH} Sentence {i} of the synthetic wire copy." for i in range(8))
    first = f"<p>ANKARA (Outlet A) - {wire}</p>"
    second = f"<p>By Outlet B staff. {wire} Outlet B adds one closing line of its own.</p>"
    unrelated = long_text("an unrelated synthetic report on shipbuilding budgets", paragraphs=8)
    a = _source(server, "/a.xml", respond(rss([{"title": "Wire A", "link": server.url("/a/1"), "content": first}])))
    b = _source(
        server,
        "/b.xml",
        respond(
            rss(
                [
                    {"title": "Wire B", "link": server.url("/b/1"), "content": second},
                    {
                        "title": "Other",
                        "link": server.url("/b/2"),
                        "content": unrelated.replace("paragraph", "section"),
                    },
                ]
            )
        ),
    )
    _fetch(a, b)
    wire_a, wire_b, other = (Article.objects.get(title=t) for t in ("Wire A", "Wire B", "Other"))
    assert wire_a.story_id is not None and wire_a.story_id == wire_b.story_id
    assert other.story_id is None
    assert sorted(wire_a.story.articles.values_list("source__name", flat=True)) == ["a.xml", "b.xml"]


def test_summary_only_items_get_their_full_text_from_the_linked_page(server, ingest_settings):
    page = article_page("Full story headline", long_text("full page text", paragraphs=5))
    server.add("/p/1", respond(page, content_type="text/html; charset=utf-8"))
    items = [{"title": "Short item", "link": server.url("/p/1"), "guid": "p-1", "summary": "A one-line teaser."}]
    source = _source(server, "/p.xml", respond(rss(items)))
    _fetch(source)
    article = source.articles.get()
    assert "full page text paragraph 4" in article.text
    assert article.author == "Synthetic Reporter"
    assert article.published_at.date().isoformat() == "2019-07-17"


def test_full_text_fetching_can_be_switched_off_per_source(server, ingest_settings):
    server.add("/p/1", respond(article_page("Full", long_text("page")), content_type="text/html"))
    items = [{"title": "Short item", "link": server.url("/p/1"), "guid": "p-1", "summary": "A one-line teaser."}]
    source = _source(server, "/p.xml", respond(rss(items)), fetch_full_text=False)
    _fetch(source)
    assert source.articles.get().text == "A one-line teaser."
    assert server.hits("/p/1") == 0


def test_a_page_that_fails_keeps_the_feed_summary_and_says_why(server, ingest_settings):
    items = [{"title": "Teaser", "link": server.url("/p/404"), "guid": "p-404", "summary": "Only the teaser survives."}]
    source = _source(server, "/p.xml", respond(rss(items)))
    _fetch(source)
    source.refresh_from_db()
    assert source.articles.get().text == "Only the teaser survives."
    assert source.last_status == Source.Status.OK and "HTTP 404" in source.last_error


def test_a_page_that_times_out_is_left_for_the_next_run_not_lost(server, ingest_settings):
    items = [{"title": "Teaser", "link": server.url("/p/slow"), "guid": "p-slow", "summary": "Teaser."}]
    source = _source(server, "/p.xml", respond(rss(items), headers={"ETag": '"e1"'}))
    server.add("/p/slow", respond(b"busy", status=503, content_type="text/plain"))
    (summary,) = _fetch(source)
    source.refresh_from_db()
    assert summary.deferred == 1 and not source.articles.exists()
    assert source.etag == "" and source.next_fetch_at < timezone.now() + timedelta(minutes=3)
    server.add("/p/slow", respond(article_page("Now up", long_text("recovered page")), content_type="text/html"))
    _fetch(source)
    assert "recovered page paragraph 0" in source.articles.get().text


def test_an_unchanged_feed_answers_304_and_nothing_is_parsed(server, ingest_settings):
    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            respond(b"", status=304, content_type="")(request)
        else:
            respond(
                rss([{"title": "Once", "link": server.url("/o/1"), "content": long_text("o")}]),
                headers={"ETag": '"v1"'},
            )(request)

    source = _source(server, "/o.xml", conditional)
    first, second = _fetch(source)[0], _fetch(source)[0]
    source.refresh_from_db()
    assert len(first.new_ids) == 1 and second.not_modified
    assert source.last_status == Source.Status.NOT_MODIFIED and source.etag == '"v1"'


def test_a_json_feed_and_a_news_sitemap_are_read(server, ingest_settings):
    json_feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Synthetic JSON", "items": ['
        f'{{"id": "j1", "url": "{server.url("/jf/1")}", "title": "JSON item", "content_html": "{long_text("json").replace(chr(10), " ")}",'
        ' "date_published": "2019-07-17T08:00:00Z", "authors": [{"name": "Synthetic Desk"}]}]}'
    ).encode()
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        f"<loc>{server.url('/sm/1')}</loc><news:news><news:publication_date>2019-07-12T09:00:00Z</news:publication_date>"
        "<news:title>Sitemap story</news:title></news:news></url></urlset>"
    ).encode()
    server.add("/sm/1", respond(article_page("Sitemap story", long_text("sitemap page")), content_type="text/html"))
    jf = _source(server, "/feed.json", respond(json_feed, content_type="application/feed+json"))
    sm = _source(
        server, "/news-sitemap.xml", respond(sitemap, content_type="application/xml"), kind=Source.Kind.SITEMAP
    )
    _fetch(jf, sm)
    item = jf.articles.get()
    assert (item.title, item.author, item.published_at.isoformat()) == (
        "JSON item",
        "Synthetic Desk",
        "2019-07-17T08:00:00+00:00",
    )
    story = sm.articles.get()
    assert story.title == "Sitemap story" and "sitemap page paragraph 2" in story.text


def test_a_page_source_honours_rel_canonical(server, ingest_settings):
    page = article_page("Canonical page", long_text("canonical"), canonical="/articles/canonical-page?utm_campaign=x")
    source = _source(server, "/view?id=7&ref=home", respond(page, content_type="text/html"), kind=Source.Kind.PAGE)
    _fetch(source)
    assert source.articles.get().url == f"https://127.0.0.1:{server.port}/articles/canonical-page"


def test_a_source_held_by_another_fetch_is_skipped_and_a_stale_claim_is_taken_over(server, ingest_settings):
    source = _source(
        server, "/h.xml", respond(rss([{"title": "Held", "link": server.url("/h/1"), "content": long_text("h")}]))
    )
    Source.objects.filter(pk=source.pk).update(fetching_since=timezone.now(), fetch_token="other-task")
    assert services.source_fetch(source_id=source.pk, token="mine") is None
    assert server.hits("/h.xml") == 0
    assert services.source_fetch(source_id=source.pk, token="other-task") is not None
    Source.objects.filter(pk=source.pk).update(fetching_since=timezone.now() - timedelta(hours=1), fetch_token="dead")
    assert services.source_fetch(source_id=source.pk, token="") is not None


def test_requests_to_one_host_are_spaced_by_the_politeness_interval(server, ingest_settings):
    ingest_settings.INGEST_HOST_INTERVAL = 0.3
    pages = []
    for i in range(3):
        server.add(f"/q/{i}", respond(article_page(f"Q{i}", long_text(f"q{i}")), content_type="text/html"))
        pages.append({"title": f"Q{i}", "link": server.url(f"/q/{i}"), "guid": f"q{i}", "summary": "teaser"})
    source = _source(server, "/q.xml", respond(rss(pages)))
    started = time.monotonic()
    _fetch(source)
    elapsed = time.monotonic() - started
    starts = [s.at for s in server.seen]
    assert len(starts) == 4 and source.articles.count() == 3
    # Lower bounds only (a busy machine can only stretch them): the four requests took at
    # least three intervals in all, and the server never saw two close together. The
    # server's own clock readings can lag under load, hence the looser per-pair bound.
    assert elapsed >= 3 * 0.3
    assert all(b - a >= 0.15 for a, b in zip(starts, starts[1:], strict=False))
