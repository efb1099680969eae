"""Hostile sources: each one's error is recorded on it, and a good source alongside still ingests.

Every case runs through `manage.py ingest --all` (the code the Celery task runs), with a
well-behaved source next to the hostile one.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tracker.models import Article, Source

from .servers import gzip_bomb, long_text, redirect, respond, rss, trickle

pytestmark = pytest.mark.django_db


def _good_feed(server):
    items = [
        {
            "title": f"Good story {i}",
            "link": server.url(f"/good/{i}"),
            "guid": f"good-{i}",
            "content": long_text(f"good {i}"),
        }
        for i in range(2)
    ]
    return server.add("/good.xml", respond(rss(items, title="Good synthetic feed")))


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b'<rss version="2.0"><channel><title>&d;</title><item><title>&d;</title><link>https://x.example/1</link></item></channel></rss>'
)


def _external_entity(secret_path):
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{secret_path}">]>'
        '<rss version="2.0"><channel><title>x</title><item><title>&secret;</title>'
        "<link>https://x.example/leak</link><description>&secret;</description></item></channel></rss>"
    ).encode()


LOGIN_PAGE = b"""<!doctype html><html><head><title>Sign in</title></head>
<body><form method=post action=/login><input name=user><input type=password name=pass>
<button>Sign in</button></form></body></html>"""


CASES = {
    "entity-expansion-bomb": (lambda s, tmp: respond(BILLION_LAUGHS), "permanent", "declares XML entities", 200),
    "gzip-bomb": (
        lambda s, tmp: respond(gzip_bomb(32 * 1024 * 1024), headers={"Content-Encoding": "gzip"}),
        "permanent",
        "after decoding",
        None,
    ),
    "oversized-with-length": (lambda s, tmp: respond(b" " * (3 * 1024 * 1024)), "permanent", "Content-Length", None),
    "oversized-without-length": (
        lambda s, tmp: respond(b" " * (3 * 1024 * 1024), length=False),
        "permanent",
        "after decoding",
        None,
    ),
    "slow-trickle": (lambda s, tmp: trickle(b"<rss>" * 100, every=0.3, stop=s.stop), "transient", "deadline", None),
    "redirect-loop": (lambda s, tmp: redirect("/hostile.xml"), "permanent", "too many redirects", None),
    "redirect-to-private": (
        lambda s, tmp: redirect("http://10.20.30.40/feed"),
        "permanent",
        "refused address 10.",
        None,
    ),
    "html-login-page": (lambda s, tmp: respond(LOGIN_PAGE, content_type="text/html"), "permanent", "not a feed", 200),
    "server-error-500": (
        lambda s, tmp: respond(b"oops", status=500, content_type="text/plain"),
        "transient",
        "HTTP 500",
        500,
    ),
    "gone-410": (lambda s, tmp: respond(b"gone", status=410, content_type="text/plain"), "permanent", "HTTP 410", 410),
}


def _run_all():
    out = StringIO()
    call_command("ingest", "--all", "--no-tag", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_source_gets_a_recorded_error_and_the_good_source_still_ingests(
    case, server, ingest_settings, tmp_path
):
    make, status, message, http_status = CASES[case]
    hostile_url = server.add("/hostile.xml", make(server, tmp_path))
    hostile = Source.objects.create(name="Hostile", url=hostile_url)
    good = Source.objects.create(name="Good", url=_good_feed(server))
    before = timezone.now()

    output = _run_all()

    hostile.refresh_from_db()
    good.refresh_from_db()
    assert hostile.last_status == status
    assert message in hostile.last_error
    assert hostile.consecutive_failures == 1
    assert hostile.next_fetch_at > before + timedelta(minutes=25)
    assert hostile.fetching_since is None
    if http_status:
        assert hostile.last_http_status == http_status
    assert not hostile.articles.exists()
    assert good.last_status == Source.Status.OK and good.last_error == ""
    assert sorted(good.articles.values_list("title", flat=True)) == ["Good story 0", "Good story 1"]
    assert "Done: 2 source(s), 2 new, 0 duplicate, 1 failed." in output


def test_a_redirect_to_a_metadata_address_is_refused_even_with_private_networks_allowed(server, ingest_settings):
    ingest_settings.INGEST_ALLOW_PRIVATE_NETWORKS = True
    hostile = Source.objects.create(name="Hostile", url=server.add("/h.xml", redirect("http://169.254.169.254/x")))
    good = Source.objects.create(name="Good", url=_good_feed(server))
    _run_all()
    hostile.refresh_from_db()
    assert hostile.last_status == Source.Status.PERMANENT
    assert "169.254.169.254" in hostile.last_error and "metadata" in hostile.last_error
    assert good.articles.count() == 2


def test_an_external_entity_cannot_read_a_local_file(server, ingest_settings, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SYNTHETIC-SECRET-TOKEN")
    hostile = Source.objects.create(name="Hostile", url=server.add("/h.xml", respond(_external_entity(secret))))
    good = Source.objects.create(name="Good", url=_good_feed(server))
    _run_all()
    hostile.refresh_from_db()
    assert hostile.last_status == Source.Status.PERMANENT
    assert "declares XML entities" in hostile.last_error
    assert not Article.objects.filter(text__contains="SYNTHETIC-SECRET-TOKEN").exists()
    assert not Article.objects.filter(title__contains="SYNTHETIC-SECRET-TOKEN").exists()
    assert good.articles.count() == 2


def test_a_429_is_retried_no_sooner_than_its_retry_after(server, ingest_settings):
    busy = respond(b"slow down", status=429, content_type="text/plain", headers={"Retry-After": "7200"})
    hostile = Source.objects.create(name="Busy", url=server.add("/h.xml", busy), fetch_interval=timedelta(minutes=5))
    good = Source.objects.create(name="Good", url=_good_feed(server))
    before = timezone.now()
    _run_all()
    hostile.refresh_from_db()
    assert hostile.last_status == Source.Status.TRANSIENT and hostile.last_http_status == 429
    assert hostile.next_fetch_at >= before + timedelta(seconds=7200)
    assert good.articles.count() == 2


def test_malformed_xml_is_read_leniently_and_says_so(server, ingest_settings):
    body = rss(
        [{"title": "Readable story", "link": server.url("/ok/1"), "guid": "m-1", "content": long_text("readable")}]
    ).replace(b"</channel></rss>", b"<item><title>Broken & <b>unclosed</title><link>https://m.example/2</item>")
    source = Source.objects.create(name="Sloppy", url=server.add("/m.xml", respond(body)))
    _run_all()
    source.refresh_from_db()
    assert source.last_status == Source.Status.OK
    assert "malformed XML" in source.last_error
    assert source.articles.filter(title="Readable story").exists()


def test_repeated_failures_back_off_exponentially_up_to_a_cap(server, ingest_settings):
    source = Source.objects.create(
        name="Down", url=server.add("/d.xml", respond(b"", status=503)), fetch_interval=timedelta(minutes=30)
    )
    delays = []
    for _ in range(8):
        before = timezone.now()
        _run_all()
        source.refresh_from_db()
        delays.append((source.next_fetch_at - before).total_seconds() / 3600)
    assert source.consecutive_failures == 8
    assert 0.5 <= delays[0] < 0.6 and 1.0 <= delays[1] < 1.15 and 2.0 <= delays[2] < 2.25
    assert delays[-1] >= 24 and delays[-1] < 26.5
    server.add("/d.xml", respond(rss([])))
    _run_all()
    source.refresh_from_db()
    assert source.last_status == Source.Status.OK and source.consecutive_failures == 0
