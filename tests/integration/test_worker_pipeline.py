"""A real Celery worker on the configured broker and database ingests a local feed end to end."""

import time

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.db import connection

from dashboard.celery import app
from tracker import services
from tracker.models import Source, Statement
from tracker.tasks import source_fetch_task

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Integration Wire (synthetic)</title><link>{base}/</link><description>synthetic test feed</description>
<item><title>Akar says Turkey will keep the S-400</title><link>{base}/story/1</link><guid>iw-1</guid>
<pubDate>Fri, 07 Jun 2019 14:05:00 +0000</pubDate>
<content:encoded><![CDATA[<p>ANKARA (Integration Wire) - Turkey will not give up the S-400, Defence Minister Hulusi Akar said on Friday.</p>
<p>"The purchase of the S-400 is a done deal and the F-35 question must be settled between allies," Akar told reporters in Ankara.</p>
<p>This is a synthetic article written for the integration test.</p>]]></content:encoded></item>
</channel></rss>"""


def _purge(queues=("fetch", "tagging")):
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in queues:
            try:
                channel.queue_purge(queue)
            except Exception:  # the queue does not exist yet
                pass


@pytest.fixture
def worker_thread_closes_its_connection():
    """The in-process worker runs tasks on a thread of its own, whose database connection
    (reused across tasks, CELERY_DB_REUSE_MAX) would outlive the test and stop the test
    database from being dropped: close it after each task, on that thread."""

    def close(**_):
        connection.close()

    signals.task_postrun.connect(close, weak=False)
    yield
    signals.task_postrun.disconnect(close)


def test_a_worker_ingests_a_feed_and_the_dispute_page_shows_the_new_statement(
    http_server, settings, analyst_client, worker_thread_closes_its_connection
):
    settings.INGEST_ALLOW_PRIVATE_NETWORKS = True
    services.reference_load()
    http_server.routes["/feed.xml"] = (200, "application/rss+xml", FEED.format(base=http_server.base_url).encode())
    source = Source.objects.create(name="Integration Wire", url=f"{http_server.base_url}/feed.xml")
    _purge()
    with start_worker(app, pool="solo", perform_ping_check=False, queues=["fetch", "tagging"], shutdown_timeout=30):
        source_fetch_task.delay(source.pk)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Statement.objects.filter(speaker__name="Hulusi Akar").exists():
            time.sleep(0.25)
    statement = Statement.objects.get(speaker__name="Hulusi Akar", kind=Statement.Kind.DIRECT)
    assert statement.text.startswith("The purchase of the S-400 is a done deal")
    source.refresh_from_db()
    assert source.last_status == Source.Status.OK and source.last_error == ""
    page = analyst_client.get("/disputes/turkey-s400-f35/")
    assert page.status_code == 200
    assert "The purchase of the S-400 is a done deal" in page.content.decode()
