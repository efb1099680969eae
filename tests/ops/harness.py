"""Real processes for the fault tests: our own Redis and PostgreSQL, workers, beat, gunicorn.

Nothing here touches the machine's shared services beyond creating and dropping scratch
databases on the PostgreSQL server that DATABASE_URL names. Redis servers and the
throwaway PostgreSQL cluster run on free ports in temporary folders, so a test may stop,
kill and restart them without disturbing anyone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def real_services_or_skip() -> str:
    """Return the PostgreSQL server URL to create scratch databases on, or skip (fail in CI)."""
    database_url = os.environ.get("DATABASE_URL", "")
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    missing = []
    if not database_url.startswith(("postgres://", "postgresql://")):
        missing.append("DATABASE_URL does not point at PostgreSQL")
    if not broker_url.startswith("redis://"):
        missing.append("CELERY_BROKER_URL does not point at Redis")
    if not shutil.which("redis-server"):
        missing.append("redis-server is not installed")
    if missing:
        reason = "fault tests need PostgreSQL and Redis: " + "; ".join(missing)
        if os.environ.get("REQUIRE_REAL_SERVICES"):
            pytest.fail(reason)
        pytest.skip(reason)
    return database_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    condition: Callable[[], object],
    *,
    timeout: float,
    every: float = 0.5,
    what: str = "condition",
    explain: Callable[[], str] | None = None,
):
    """Poll condition until it returns something truthy; fail the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f"\n{explain()}" if explain else ""
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}{detail}")
        time.sleep(every)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def psql(url: str, sql: str) -> str:
    """Run one SQL statement with psql (autocommit) and return its unaligned output."""
    result = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-tAc", sql], capture_output=True, text=True, timeout=60
    )
    if result.returncode:
        raise RuntimeError(f"psql failed: {result.stderr.strip()}")
    return result.stdout.strip()


# --- the project, run as separate processes --------------------------------------------


def project_env(tmp: Path, *, database_url: str, broker_url: str, **extra: str) -> dict[str, str]:
    """Environment for manage.py, workers, beat and gunicorn pointed at our services."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "CELERY_TASK_ALWAYS"))}
    env.update(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        INGEST_ALLOW_PRIVATE_NETWORKS="1",
        INGEST_HOST_INTERVAL="0",
        # A killed worker's unacknowledged tasks come back after this many seconds.
        CELERY_VISIBILITY_TIMEOUT="10",
        VAR_DIR=str(tmp / "var"),
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(REPO),
        LOG_LEVEL="INFO",
    )
    env.update({k: str(v) for k, v in extra.items()})
    (tmp / "var").mkdir(parents=True, exist_ok=True)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def probe(env: dict[str, str], command: str, *args, timeout: float = 300):
    """Run tests.ops.probe COMMAND in a fresh interpreter on env's database; return its JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.ops.probe", command, json.dumps(list(args))],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"probe {command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Proc:
    """A child process in its own session (so a kill reaches its children), logging to a file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop/kill)
        self.popen = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern: str, *, timeout: float = 60) -> None:
        def seen():
            if self.popen.poll() is not None:
                pytest.fail(f"{self.name} exited with {self.popen.returncode}:\n{self.log()[-3000:]}")
            return re.search(pattern, self.log())

        wait_until(seen, timeout=timeout, what=f"{self.name} to log {pattern!r}")

    def rss(self) -> int:
        """Resident memory of the process and all its children, in bytes."""
        try:
            parent = psutil.Process(self.pid)
            procs = [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def kill(self) -> None:
        """SIGKILL the whole process group: the machine pulled the plug on this process."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(timeout=30)
        self._log.close()

    def stop(self, timeout: float = 30) -> None:
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=30)
            except ProcessLookupError:
                pass
        self._log.close()


def start_worker(env, log_dir: Path, *, concurrency: int = 2, queues: str = "fetch,tagging", name: str = "") -> Proc:
    name = name or f"worker-{uuid.uuid4().hex[:6]}"
    worker = Proc(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "dashboard",
            "worker",
            "-Q",
            queues,
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--hostname",
            f"{name}@%h",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
        log_dir,
    )
    worker.wait_for_log(r"ready\.", timeout=90)
    return worker


def start_beat(env, log_dir: Path, *, name: str) -> Proc:
    schedule = log_dir / f"{name}-schedule"
    beat = Proc(
        name, [str(BIN / "celery"), "-A", "dashboard", "beat", "-l", "info", "--schedule", str(schedule)], env, log_dir
    )
    beat.wait_for_log(r"beat: Starting", timeout=60)
    return beat


def start_web(env, log_dir: Path) -> tuple[Proc, str]:
    port = free_port()
    web = Proc(
        "web",
        [str(BIN / "gunicorn"), "-c", str(REPO / "gunicorn.conf.py"), "dashboard.wsgi"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
        log_dir,
    )
    web.wait_for_log(r"Booting worker", timeout=60)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(base), timeout=30, what="gunicorn to answer")
    return web, base


def _answers(base: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=1):
            return True
    except OSError:
        return False


# --- our own Redis and PostgreSQL -------------------------------------------------------


class RedisServer:
    """A private redis-server on a free port; stop() and start() keep the port."""

    def __init__(self, tmp: Path, *, persistent: bool = True):
        self.port = free_port()
        self.dir = tmp / f"redis-{self.port}"
        self.dir.mkdir(parents=True)
        # Persistence as production runs it (append-only file), so a restart keeps the queues.
        self.args = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.dir),
            "--save",
            "",
            "--appendonly",
            "yes" if persistent else "no",
            "--appendfsync",
            "always",
        ]
        self.proc: subprocess.Popen | None = None
        self.start()

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True, timeout=5, check=False
        )
        return result.stdout.strip() == "PONG"

    def start(self) -> None:
        log = open(self.dir / "redis.log", "ab")  # noqa: SIM115 (the server keeps it open)
        self.proc = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(self.ping, timeout=20, every=0.1, what="redis-server to start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)

    def queue_length(self, queue: str) -> int:
        out = subprocess.run(
            ["redis-cli", "-p", str(self.port), "llen", queue], capture_output=True, text=True, timeout=5
        ).stdout
        return int(out.strip() or 0)


def _postgres_bin() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if candidates:
        return candidates[0].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """A throwaway PostgreSQL cluster (initdb + pg_ctl) on a free port, restartable at will."""

    def __init__(self):
        self.bin = _postgres_bin()
        if self.bin is None:
            pytest.fail("initdb/pg_ctl not found (Debian: the postgresql package)")
        self.port = free_port()
        # Directly under the system temp folder: the server user must reach it.
        self.dir = Path(tempfile.mkdtemp(prefix=f"ops-pg-{self.port}-"))
        self.data = self.dir / "data"
        # initdb refuses to run as root: run the server as the postgres user when we are root.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()

    def _run(self, *args: str, timeout: float = 120) -> None:
        result = subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"{args[0]} failed: {result.stdout}\n{result.stderr}")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def restart(self, *, down_seconds: float = 0) -> None:
        """Restart as an operator or a package upgrade does: every connection is cut at once
        (fast shutdown), the server stays down a while, then starts again."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        time.sleep(down_seconds)
        self.start()

    def destroy(self) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


# --- a local news site ---------------------------------------------------------------------

SPEAKERS = ["Hulusi Akar", "Mike Pompeo", "Mevlüt Çavuşoğlu", "Mark Esper", "Jens Stoltenberg", "Ellen Lord"]
TOPICS = ["the S-400 batteries", "the F-35 programme", "the Patriot offer", "sanctions under CAATSA"]


def item_text(feed: int, item: int) -> str:
    """A synthetic wire report (written for these tests), distinct for every feed and item."""
    speaker = SPEAKERS[(feed + item) % len(SPEAKERS)]
    topic = TOPICS[(feed * 7 + item) % len(TOPICS)]
    return (
        f"<p>SYNTHETIC TEST WIRE - Report {feed}-{item}. Officials met in Ankara on day {item} of round {feed} "
        f"to discuss {topic}, and Turkey's purchase of the S-400 from Russia came up again.</p>"
        f'<p>"We will not accept any deadline on {topic} number {feed * 1000 + item}," {speaker} told reporters, '
        f"adding that the talks on the F-35 would continue in week {item % 13} of the season.</p>"
        f"<p>This synthetic article number {feed}/{item} exists only for the fault tests; its ledger code is "
        f"{(feed * 7919 + item * 104729) % 1000003} and its desk note mentions batch {feed % 17} and shelf "
        f"{item % 23}, so that no two reports share their wording.</p>"
        f"<p>Diplomats from both capitals said a joint working group on {topic} would meet again before "
        f"the end of month {item % 12 + 1}, while analysts in Washington and Brussels waited for the next "
        f"statement from NATO headquarters about air defence in report {feed}-{item}.</p>"
    )


def feed_xml(base: str, feed: int, items: int) -> bytes:
    start = datetime(2019, 6, 1, 8, 0, tzinfo=UTC)
    entries = []
    for item in range(items):
        published = format_datetime(start + timedelta(hours=feed % 24, minutes=item))
        entries.append(
            f"<item><title>Synthetic report {feed}-{item} on the S-400 dispute</title>"
            f"<link>{base}/news/{feed}/{item}</link><guid isPermaLink='false'>ops-{feed}-{item}</guid><pubDate>{published}</pubDate>"
            f"<content:encoded><![CDATA[{item_text(feed, item)}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Synthetic fault-test feed {feed}</title><link>{base}/</link>"
        "<description>synthetic feed for the operations tests</description>" + "".join(entries) + "</channel></rss>"
    ).encode()


class NewsSite:
    """Feeds at /feeds/<n>.xml with `items` full-text items each; counts every request.

    `delay` slows each feed response down (to catch a worker in the middle of a batch).
    """

    def __init__(self, *, items: int, delay: float = 0.0):
        self.items = items
        self.delay = delay
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._cache: dict[int, bytes] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                with site._lock:
                    site.hits[self.path] += 1
                match = re.fullmatch(r"/feeds/(\d+)\.xml", self.path)
                if not match:
                    self.send_error(404)
                    return
                if site.delay:
                    time.sleep(site.delay)
                feed = int(match.group(1))
                body = site._cache.get(feed)
                if body is None:
                    body = site._cache[feed] = feed_xml(site.base_url, feed, site.items)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def feed_url(self, feed: int) -> str:
        return f"{self.base_url}/feeds/{feed}.xml"

    def feed_hits(self) -> Counter[str]:
        with self._lock:
            return Counter({p: n for p, n in self.hits.items() if p.startswith("/feeds/")})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- a browser-like client for the gunicorn-served site ---------------------------------------


def web_login(base: str, username: str, password: str, *, path: str = "/login/"):
    """Log in through a login form like a browser would; return the requests session."""
    import requests

    session = requests.Session()
    page = session.get(base + path, timeout=15)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, f"no CSRF token on {path} ({page.status_code})"
    response = session.post(
        base + path,
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": base + path},
        timeout=15,
    )
    assert response.status_code == 200 and "sessionid" in session.cookies, f"login as {username} failed"
    return session


def csrf_token(session, url: str) -> str:
    page = session.get(url, timeout=15)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, f"no CSRF token at {url} ({page.status_code})"
    return match.group(1)


def article_counts(database_url: str) -> dict:
    """Stored and tagged articles, read with one cheap query (no Django start-up)."""
    import psycopg2

    with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE state = 'tagged') FROM tracker_article")
        articles, tagged = cursor.fetchone()
    conn.close()
    return {"articles": articles, "tagged": tagged}


def soak(env, log_dir: Path, *, feeds: int, items: int, workers: int = 2, concurrency: int = 1, timeout: float) -> dict:
    """Ingest feeds × items through real workers and beat; return time and worker memory figures.

    Memory is the resident size of each worker (its pool children included), sampled
    after the first articles are tagged (warm: vocabulary loaded, connections open) and
    at the end.
    """
    site = NewsSite(items=items)
    procs: list[Proc] = []
    try:
        probe(env, "sources_create", site.base_url, list(range(feeds)))
        procs += [start_worker(env, log_dir, concurrency=concurrency, name=f"soak-{n}") for n in range(workers)]
        started = time.monotonic()
        procs.append(start_beat(env, log_dir, name="soak-beat"))
        total = feeds * items
        samples: list[tuple[float, int, list[int]]] = []

        def progress():
            state = article_counts(env["DATABASE_URL"])
            samples.append((time.monotonic() - started, state["tagged"], [w.rss() for w in procs[:workers]]))
            return state["tagged"] >= total and state["articles"] >= total

        wait_until(progress, timeout=timeout, every=3, what=f"{total} items to be ingested and tagged")
        elapsed = time.monotonic() - started
        warm = next((s for s in samples if s[1] >= total * 0.05), samples[0])
        end = samples[-1]
        return {
            "feeds": feeds,
            "items_per_feed": items,
            "items": total,
            "workers": workers,
            "concurrency": concurrency,
            "seconds": round(elapsed, 1),
            "items_per_second": round(total / elapsed, 1),
            "rss_mb_warm": [round(r / 2**20, 1) for r in warm[2]],
            "rss_mb_end": [round(r / 2**20, 1) for r in end[2]],
            "rss_mb_peak": [round(max(s[2][i] for s in samples) / 2**20, 1) for i in range(workers)],
            "samples": [(round(t, 1), n, [round(r / 2**20, 1) for r in rss]) for t, n, rss in samples],
            "feed_requests": sum(site.feed_hits().values()),
        }
    finally:
        for proc in reversed(procs):
            proc.stop(timeout=30)
        site.close()
