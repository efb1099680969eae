"""Real Celery worker processes on the configured broker and database.

A worker SIGKILLed in the middle of a source loses nothing and duplicates nothing when
the task is redelivered; two workers racing on one source fetch it once. These need a
broker with acknowledgements (Redis) and a database other processes can see
(PostgreSQL); they are skipped otherwise, except in CI (REQUIRE_REAL_SERVICES=1).
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from dashboard.celery import app
from tests.ingest.servers import LocalServer, article_page, long_text, respond, rss
from tracker.models import Article, Source
from tracker.services.ingest import PAGE_BATCH
from tracker.tasks import source_fetch_task

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _require_real_services():
    missing = []
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        missing.append("CELERY_BROKER_URL is not Redis (acks_late redelivery needs a real broker)")
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL is not PostgreSQL (worker processes must share the test database)")
    if missing:
        if os.environ.get("REQUIRE_REAL_SERVICES"):
            pytest.fail("; ".join(missing))
        pytest.skip("; ".join(missing))


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `celery worker` subprocess consuming the fetch queue."""

    def __init__(self, name: str, pool: str = "prefork"):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "INGEST_ALLOWED_NETWORKS": "127.0.0.1/32",
            "INGEST_HOST_INTERVAL": "0",
            "CONN_MAX_AGE": "0",
        }
        command = [sys.executable, "-m", "celery", "-A", "dashboard", "worker", "-Q", "fetch", "-n", f"{name}@%h"]
        command += [f"--pool={pool}", "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        self.log = open(f"/tmp/ingest-test-{name}.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _purge():
    with app.connection_for_write() as conn:
        for queue in ("fetch", "tagging"):
            try:
                conn.default_channel.queue_purge(queue)
            except Exception:  # the queue does not exist yet
                pass


def _wait(condition, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def local():
    server = LocalServer()
    yield server
    server.close()


@pytest.fixture
def workers():
    _require_real_services()
    _purge()
    started: list[Worker] = []
    yield lambda name, **kw: started.append(Worker(name, **kw)) or started[-1]
    for worker in started:
        worker.stop()
    _purge()


def test_a_worker_killed_mid_source_loses_nothing_and_duplicates_nothing_on_retry(local, workers):
    reached, release = threading.Event(), threading.Event()
    items = []
    # One full batch of pages, one page of the next batch, the held page, one more.
    for i in range(PAGE_BATCH + 3):
        page = respond(article_page(f"Synthetic page {i}", long_text(f"page {i}")), content_type="text/html")
        if i == PAGE_BATCH + 1:
            first_time = page

            def page(request, _serve=first_time):
                if not reached.is_set():
                    reached.set()
                    release.wait(60)  # hold the worker here until it is killed
                _serve(request)

        local.add(f"/p/{i}", page)
        items.append({"title": f"Teaser {i}", "link": local.url(f"/p/{i}"), "guid": f"k-{i}", "summary": "teaser"})
    local.add("/feed.xml", respond(rss(items)))
    source = Source.objects.create(name="Killed mid-source", url=local.url("/feed.xml"))

    worker = workers("killed")
    source_fetch_task.delay(source.pk)
    assert reached.wait(90), "the worker never reached the held page"
    # Pages are stored PAGE_BATCH at a time, by a writer thread: the first batch is committed.
    assert _wait(lambda: Article.objects.filter(source=source).count() == PAGE_BATCH, timeout=15)
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)
    release.set()

    assert _wait(lambda: Source.objects.get(pk=source.pk).last_status == Source.Status.OK)
    titles = sorted(Article.objects.filter(source=source).values_list("title", flat=True))
    assert titles == sorted(f"Teaser {i}" for i in range(PAGE_BATCH + 3))
    assert Article.objects.filter(source=source).values("url").distinct().count() == PAGE_BATCH + 3
    assert local.hits("/feed.xml") == 2, "the task was redelivered and ran again"
    stored_first = [*range(PAGE_BATCH), PAGE_BATCH + 2]
    assert all(local.hits(f"/p/{i}") == 1 for i in stored_first), "stored pages are not fetched again"
    source.refresh_from_db()
    assert source.fetching_since is None and source.last_error == ""


def test_two_workers_racing_on_one_source_fetch_it_once(local, workers):
    def slow_feed(request):
        time.sleep(1.5)
        items = [
            {"title": f"Race {i}", "link": local.url(f"/r/{i}"), "guid": f"r-{i}", "content": long_text(f"race {i}")}
            for i in range(5)
        ]
        respond(rss(items))(request)

    local.add("/race.xml", slow_feed)
    source = Source.objects.create(name="Raced", url=local.url("/race.xml"))
    workers("racer-a", pool="solo")
    workers("racer-b", pool="solo")
    time.sleep(3)  # both workers up and waiting
    source_fetch_task.delay(source.pk)
    source_fetch_task.delay(source.pk)

    assert _wait(lambda: Source.objects.get(pk=source.pk).last_status == Source.Status.OK)
    time.sleep(2)  # give the second task time to finish too
    assert local.hits("/race.xml") == 1
    assert Article.objects.filter(source=source).count() == 5


def test_two_workers_storing_the_same_items_from_two_sources_store_each_once(local, workers):
    items = [
        {"title": f"Shared {i}", "link": local.url(f"/s/{i}"), "guid": f"s-{i}", "content": long_text(f"shared {i}")}
        for i in range(20)
    ]
    local.add("/one.xml", respond(rss(items)))
    local.add("/two.xml", respond(rss(items)))
    one = Source.objects.create(name="One", url=local.url("/one.xml"))
    two = Source.objects.create(name="Two", url=local.url("/two.xml"))
    workers("store-a", pool="solo")
    workers("store-b", pool="solo")
    time.sleep(3)
    source_fetch_task.delay(one.pk)
    source_fetch_task.delay(two.pk)

    ok = (Source.Status.OK,)
    assert _wait(lambda: all(s.last_status in ok for s in Source.objects.filter(pk__in=[one.pk, two.pk])))
    assert Article.objects.count() == 20
    assert Article.objects.values("url").distinct().count() == 20
