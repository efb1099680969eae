"""The fetch module against a local server: limits, redirects, addresses, conditional GET."""

import socket
import threading
import time

import pytest

from tracker.ingest.fetch import (
    FetchPolicy,
    PermanentFetchError,
    TransientFetchError,
    check_address,
    fetch,
)

from .servers import gzip_bomb, redirect, respond, trickle

LOCAL = FetchPolicy(user_agent="TestFetcher/1.0 (+synthetic)", allowed_networks=("127.0.0.1/32",), deadline=2.0)


def test_it_sends_an_honest_user_agent_and_conditional_headers(server):
    url = server.add("/feed", respond(b"<rss/>", headers={"ETag": '"v1"'}))
    result = fetch(url, policy=LOCAL, etag='"v0"', last_modified="Wed, 17 Jul 2019 10:00:00 GMT")
    assert result.body == b"<rss/>" and result.etag == '"v1"'
    headers = server.seen[0].headers
    assert headers["User-Agent"] == "TestFetcher/1.0 (+synthetic)"
    assert headers["If-None-Match"] == '"v0"'
    assert headers["If-Modified-Since"] == "Wed, 17 Jul 2019 10:00:00 GMT"


def test_it_reports_not_modified_with_an_empty_body(server):
    url = server.add("/feed", respond(b"", status=304, content_type=""))
    result = fetch(url, policy=LOCAL, etag='"v1"')
    assert result.not_modified and result.body == b"" and result.etag == '"v1"'


def test_a_trickling_server_cannot_hold_the_fetch_past_its_deadline(server):
    url = server.add("/slow", trickle(b"x" * 1000, every=0.2, stop=server.stop))
    with pytest.raises(TransientFetchError, match="deadline"):
        fetch(url, policy=FetchPolicy(user_agent="t", allowed_networks=("127.0.0.1/32",), deadline=1.0))


def test_a_gzip_bomb_is_stopped_at_the_decoded_byte_cap(server):
    bomb = gzip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    url = server.add("/bomb", respond(bomb, headers={"Content-Encoding": "gzip"}))
    policy = FetchPolicy(user_agent="t", allowed_networks=("127.0.0.1/32",), max_bytes=1024 * 1024)
    with pytest.raises(PermanentFetchError, match="after decoding"):
        fetch(url, policy=policy)


@pytest.mark.parametrize("length", [True, False], ids=["with-content-length", "without-content-length"])
def test_an_oversized_body_is_refused(server, length):
    url = server.add("/big", respond(b"a" * 300_000, length=length))
    policy = FetchPolicy(user_agent="t", allowed_networks=("127.0.0.1/32",), max_bytes=100_000)
    with pytest.raises(PermanentFetchError, match="too large"):
        fetch(url, policy=policy)


def test_it_follows_five_redirects_but_not_six(server):
    for i in range(6):
        server.add(f"/r{i}", redirect(f"/r{i + 1}"))
    server.add("/r6", respond(b"<rss/>"))
    assert fetch(server.url("/r1"), policy=LOCAL).body == b"<rss/>"
    with pytest.raises(PermanentFetchError, match="too many redirects"):
        fetch(server.url("/r0"), policy=LOCAL)


def test_a_redirect_loop_ends_as_a_permanent_error(server):
    server.add("/a", redirect("/b"))
    server.add("/b", redirect("/a"))
    with pytest.raises(PermanentFetchError, match="too many redirects"):
        fetch(server.url("/a"), policy=LOCAL)


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.5/feed", "http://192.168.1.1/feed", "http://100.64.0.1/", "http://[::1]/", "file:///etc/passwd"],
)
def test_a_redirect_to_a_private_address_or_another_scheme_is_refused(server, target):
    url = server.add("/go", redirect(target))
    with pytest.raises(PermanentFetchError, match="refused"):
        fetch(url, policy=LOCAL)
    assert server.hits("/go") == 1


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/"])
def test_metadata_addresses_are_refused_even_when_private_networks_are_allowed(server, target):
    url = server.add("/go", redirect(target))
    with pytest.raises(PermanentFetchError, match="link-local/metadata"):
        fetch(url, policy=FetchPolicy(user_agent="t", allow_private=True))


def test_loopback_is_refused_by_default(server):
    with pytest.raises(PermanentFetchError, match="refused address 127.0.0.1"):
        fetch(server.url("/feed"), policy=FetchPolicy(user_agent="t"))
    assert server.seen == []


@pytest.mark.parametrize(
    "address, allowed",
    [
        ("8.8.8.8", True),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("100.100.0.1", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_it_checks_addresses(address, allowed):
    if allowed:
        check_address(address, allow_private=False)
    else:
        with pytest.raises(PermanentFetchError):
            check_address(address, allow_private=False)


def test_it_connects_to_the_address_it_checked_so_dns_rebinding_cannot_redirect_it(server, monkeypatch):
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["10.66.0.1"] * 10)
    lookups = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.add("/feed", respond(b"<rss/>"))
    result = fetch(f"http://rebind.test:{server.port}/feed", policy=LOCAL)
    assert result.body == b"<rss/>"
    assert lookups == ["rebind.test"]
    assert server.seen[0].headers["Host"] == f"rebind.test:{server.port}"


@pytest.mark.parametrize(
    "status, error, retry_after",
    [(500, TransientFetchError, None), (429, TransientFetchError, 120.0), (410, PermanentFetchError, None)],
)
def test_it_classifies_http_errors(server, status, error, retry_after):
    headers = {"Retry-After": "120"} if retry_after else {}
    url = server.add("/x", respond(b"no", status=status, content_type="text/plain", headers=headers))
    with pytest.raises(error) as caught:
        fetch(url, policy=LOCAL)
    assert caught.value.status == status
    assert caught.value.retry_after == retry_after


def test_it_calls_the_throttle_before_every_hop(server):
    hosts = []
    server.add("/a", redirect("/b"))
    server.add("/b", respond(b"ok"))
    policy = FetchPolicy(user_agent="t", allowed_networks=("127.0.0.1/32",), throttle=hosts.append)
    fetch(server.url("/a"), policy=policy)
    assert hosts == ["127.0.0.1", "127.0.0.1"]


def test_the_deadline_watchdog_thread_does_not_outlive_the_fetch(server):
    server.add("/ok", respond(b"ok"))
    for _ in range(5):
        fetch(server.url("/ok"), policy=LOCAL)
    timers = [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
    for timer in timers:
        timer.join(2)
    assert not [t for t in timers if t.is_alive()]


def test_time_spent_waiting_for_politeness_does_not_count_against_the_deadline(server):
    server.add("/a", redirect("/b"))
    server.add("/b", respond(b"ok"))
    policy = FetchPolicy(
        user_agent="t", allowed_networks=("127.0.0.1/32",), deadline=0.5, throttle=lambda host: time.sleep(0.4)
    )
    assert fetch(server.url("/a"), policy=policy).body == b"ok"
