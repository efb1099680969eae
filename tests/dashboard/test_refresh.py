"""Pages kept fresh on write: after new data, the refresher renders the addresses analysts read."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from dashboard import refresh
from tests.dashboard.test_cache import NEW_QUOTE, _add_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def refresher_on(settings, monkeypatch):
    settings.PAGE_REFRESH = True
    # No tagging backlog, whatever the test broker holds (the backlog rule has its own test).
    monkeypatch.setattr("dashboard.celery.queue_length", lambda name: 0)


def _read_pages(world) -> list[str]:
    return [
        reverse("dispute", args=[world.dispute.slug]),
        reverse("statements"),
        reverse("statements") + "?stance=neutral",
        reverse("timeline", args=[world.dispute.slug]) + "?kind=statement",
        reverse("dispute-feed", args=[world.dispute.slug]),
    ]


def test_after_new_data_the_refresher_renders_what_analysts_read(
    world, analyst_client, refresher_on, django_assert_max_num_queries
):
    pages = _read_pages(world)
    for url in pages:
        assert NEW_QUOTE not in analyst_client.get(url).content.decode()
    assert set(refresh.addresses()) == {f"http://testserver{url}" for url in pages}
    _add_statement(world)
    result = refresh.pages_refresh()
    assert result["rendered_or_checked"] == len(pages) and result["failed"] == 0
    for url in pages:
        # Session, user and the version: the refresher already rendered the page with the new statement.
        with django_assert_max_num_queries(3):
            response = analyst_client.get(url)
        assert NEW_QUOTE in response.content.decode(), url


def test_the_refreshers_own_requests_are_not_reads(world, analyst_client, refresher_on, monkeypatch):
    url = reverse("statements")
    analyst_client.get(url)
    before = refresh.cache.get(refresh.REGISTER_KEY)
    refresh.forget_noted()  # as if a minute had passed: a reader's visit would be noted again
    _add_statement(world)
    refresh.pages_refresh()
    assert refresh.cache.get(refresh.REGISTER_KEY) == before
    # An address nobody read within the window is not rendered any more.
    read_at = before[f"http://testserver{url}"]
    monkeypatch.setattr(refresh.time, "time", lambda: read_at + refresh.settings.PAGE_REFRESH_WINDOW_SECONDS + 1)
    assert refresh.addresses() == []


def test_a_pass_without_new_data_does_nothing_unless_forced(world, analyst_client, refresher_on, capsys):
    analyst_client.get(reverse("statements"))
    assert "rendered_or_checked" in refresh.pages_refresh()
    assert refresh.pages_refresh() == {"skipped": "no new data"}
    # After a deploy (the release step): the new code's pages are rendered whatever the data.
    call_command("refresh_pages", "--force")
    assert '"rendered_or_checked": 1' in capsys.readouterr().out


def test_a_broken_address_does_not_stop_the_pass(world, analyst_client, refresher_on):
    analyst_client.get(reverse("statements"))
    register = refresh.cache.get(refresh.REGISTER_KEY)
    stamp = max(register.values())
    register.update({"http://testserver/disputes/no-such-dispute/": stamp, "http://testserver/no/such/page/": stamp})
    refresh.cache.set(refresh.REGISTER_KEY, register)
    _add_statement(world)
    result = refresh.pages_refresh()
    assert result["failed"] == 2 and result["rendered_or_checked"] == 1
    assert NEW_QUOTE in analyst_client.get(reverse("statements")).content.decode()


def test_off_it_neither_notes_nor_renders(world, analyst_client, settings, capsys):
    settings.PAGE_REFRESH = False
    analyst_client.get(reverse("statements"))
    assert refresh.cache.get(refresh.REGISTER_KEY) is None
    call_command("refresh_pages")
    assert "off" in capsys.readouterr().out


def test_a_pass_waits_while_tagging_has_a_backlog(world, analyst_client, refresher_on, monkeypatch, settings):
    analyst_client.get(reverse("statements"))
    _add_statement(world)
    monkeypatch.setattr("dashboard.celery.queue_length", lambda name: settings.PAGE_REFRESH_MAX_BACKLOG + 1)
    assert refresh.pages_refresh() == {"skipped": "tagging backlog"}
    monkeypatch.setattr("dashboard.celery.queue_length", lambda name: 0)
    assert refresh.pages_refresh()["rendered_or_checked"] == 1
