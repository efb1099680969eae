"""Dashboard benchmark: queries per page, server time under load, page weight.

Run against a PostgreSQL database of its own, filled by `generate_dataset`:

    createdb tracker_bench_dash
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_dash
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_dataset
    .venv/bin/python -m benchmarks.run dashboard [--requests=60] [--concurrency=16] [--workers=5]

It starts gunicorn (sync workers, persistent database connections as configured), logs
in one analyst, and sends the same number of requests to every page and to a minimal
one-query view (/bench/one-query/, on only with BENCHMARK_VIEWS=1) from `concurrency`
keep-alive-less connections at once, all mixed together. Server time is gunicorn's own
request time (%(D)s), so the client's queueing does not count; the ratio compares each
page's p95 with the one-query view's p95 from the same run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "dashboard.json"
BASELINE = "/bench/one-query/"


def _option(argv: list[str], name: str, default: int) -> int:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return int(arg.split("=", 1)[1])
    return default


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    os.environ["BENCHMARK_VIEWS"] = "1"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _pages() -> dict[str, str]:
    """Return {page name: URL} for every dashboard page, on the biggest dispute."""
    from django.db.models import Sum

    from tracker.models import Actor, DailyCount, Dispute, Source, Statement, WeaponsSystem

    dispute = Dispute.objects.order_by("id").first()
    if dispute is None or not Statement.objects.exists():
        raise SystemExit("The database is empty: run `manage.py generate_dataset` on it first.")
    busiest = (
        DailyCount.objects.filter(grain=DailyCount.Grain.SPEAKER_STATEMENTS)
        .values("actor_id")
        .order_by()
        .annotate(n=Sum("count"))
        .order_by("-n")
        .first()
    )
    actor = Actor.objects.get(pk=busiest["actor_id"]) if busiest else Actor.objects.first()
    statement = Statement.objects.order_by("-id").first()
    system = WeaponsSystem.objects.filter(disputes=dispute).first() or WeaponsSystem.objects.first()
    source = Source.objects.first()
    d = dispute.slug
    return {
        "home": "/",
        "dispute": f"/disputes/{d}/",
        "timeline": f"/disputes/{d}/timeline/",
        "timeline filtered": f"/disputes/{d}/timeline/?kind=statement&stance=escalating&page=2",
        "timeline one week": f"/disputes/{d}/timeline/?since=2024-03-04&until=2024-03-10",
        "actor": f"/actors/{actor.slug}/",
        "system": f"/systems/{system.slug}/",
        "article": f"/articles/{statement.article_id}/",
        "statements": "/statements/",
        "statements search": "/statements/?q=compromise+forward",
        "articles": "/articles/",
        "articles search": f"/articles/?q=penalties&source={source.pk}",
        "sources": "/sources/",
        "dispute feed": f"/disputes/{d}/feed/",
        "one-query view": BASELINE,
    }


def _session_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-analyst")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _count_queries(pages: dict[str, str]) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-analyst"))
    counts = {}
    for name, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _get(port: int, url: str, cookie: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data.split(b" ", 2)[1]) if data else 0
    return status, data, time.perf_counter() - started


async def _load(port: int, urls: list[str], cookie: str, concurrency: int) -> list[tuple[str, int, float]]:
    queue: asyncio.Queue = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    results = []

    async def worker():
        while not queue.empty():
            url = queue.get_nowait()
            status, _, elapsed = await _get(port, url, cookie)
            results.append((url, status, elapsed))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


def _page_weight(port: int, url: str, cookie: str) -> int:
    """Return the bytes of JavaScript and CSS a page loads (uncompressed)."""
    status, data, _ = asyncio.run(_get(port, url, cookie))
    html = data.split(b"\r\n\r\n", 1)[1].decode("utf-8", "replace")
    assets = re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+\.css)"', html)
    total = 0
    for asset in assets:
        _, body, _ = asyncio.run(_get(port, urlsplit(asset).path, cookie))
        header, _, content = body.partition(b"\r\n\r\n")
        total += len(content)
    return total


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main(argv: list[str]) -> int:
    _setup_django()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        print("dashboard benchmark: set DATABASE_URL to a PostgreSQL database filled by generate_dataset")
        return 1
    requests_per_page = _option(argv, "requests", 60)
    concurrency = _option(argv, "concurrency", 16)
    workers = _option(argv, "workers", 5)
    pages = _pages()
    cookie = _session_cookie()
    from tracker.models import Article, Statement

    size = {"articles": Article.objects.count(), "statements": Statement.objects.count()}
    queries = _count_queries(pages)

    port = _free_port()
    log = Path(tempfile.mkstemp(prefix="gunicorn-access-", suffix=".log")[1])
    env = {**os.environ, "BENCHMARK_VIEWS": "1", "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "dashboard.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            f"--access-logfile={log}",
            "--access-logformat=%(m)s %(U)s?%(q)s %(s)s %(D)s",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        weights = {name: _page_weight(port, url, cookie) for name, url in pages.items() if url != BASELINE}
        # Warm every worker's connection and caches, then forget the warm-up in the log.
        asyncio.run(_load(port, [u for u in pages.values() for _ in range(workers * 2)], cookie, concurrency))
        time.sleep(0.5)
        log.write_text("")
        urls = [u for u in pages.values() for _ in range(requests_per_page)]
        random.Random(5).shuffle(urls)
        started = time.perf_counter()
        results = asyncio.run(_load(port, urls, cookie, concurrency))
        wall = time.perf_counter() - started
        time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    failures = [(u, s) for u, s, _ in results if s != 200]
    server_times: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        method, target, status, micros = line.split(" ")
        server_times.setdefault(target.removesuffix("?"), []).append(int(micros) / 1000)
    client_times: dict[str, list[float]] = {}
    for url, _, elapsed in results:
        client_times.setdefault(url, []).append(elapsed * 1000)
    log.unlink()

    def server_for(url: str) -> list[float]:
        key = urlsplit(url).path + (("?" + urlsplit(url).query) if urlsplit(url).query else "")
        return server_times.get(key, [])

    baseline_p95 = _percentile(server_for(BASELINE), 0.95)
    rows = {}
    for name, url in pages.items():
        times = server_for(url)
        p95 = _percentile(times, 0.95)
        rows[name] = {
            "url": url,
            "queries": queries[name],
            "requests": len(times),
            "server_p50_ms": round(statistics.median(times), 1),
            "server_p95_ms": round(p95, 1),
            "client_p95_ms": round(_percentile(client_times[url], 0.95), 1),
            "ratio_to_one_query_view": round(p95 / baseline_p95, 2),
            "js_css_bytes": weights.get(name),
        }
    summary = {
        "dataset": size,
        "concurrency": concurrency,
        "gunicorn_workers": workers,
        "requests": len(results),
        "throughput_rps": round(len(results) / wall, 1),
        "failures": failures[:10],
        "one_query_view_p95_ms": round(baseline_p95, 1),
        "pages": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2))
    print(
        f"dataset: {size['articles']:,} articles, {size['statements']:,} statements; "
        f"{len(results)} requests, {concurrency} concurrent, {workers} gunicorn workers, "
        f"{summary['throughput_rps']} req/s, {len(failures)} failures"
    )
    print(f"{'page':<20} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'× 1-query':>9} {'JS+CSS KB':>9}")
    for name, row in rows.items():
        weight = f"{row['js_css_bytes'] / 1024:.0f}" if row["js_css_bytes"] is not None else "-"
        print(
            f"{name:<20} {row['queries']:>7} {row['server_p50_ms']:>7} {row['server_p95_ms']:>7} "
            f"{row['ratio_to_one_query_view']:>9} {weight:>9}"
        )
    print(f"results written to {RESULTS.relative_to(ROOT)}")
    return 0 if not failures else 1
