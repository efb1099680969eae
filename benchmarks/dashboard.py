"""Dashboard benchmark: queries per page, server time under load, page weight.

Run against a PostgreSQL database of its own, filled by `generate_dataset`:

    createdb tracker_bench_dash
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench_dash
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_dataset
    CACHE_URL=redis://127.0.0.1:6379/13 .venv/bin/python -m benchmarks.run dashboard \
        [--requests=100] [--concurrency=16] [--workers=N]

It starts gunicorn with the deployment's gunicorn.conf.py (sync workers, persistent
database connections as configured; --workers overrides WEB_CONCURRENCY), logs in one
analyst, and sends requests from `concurrency` connections at once, every page mixed
with a minimal one-query view (/bench/one-query/, on only with BENCHMARK_VIEWS=1).
Each page is requested over a varied set of addresses (the ten disputes, 60 actors,
every system, 60 articles, filter and search combinations, several pages of each
list), so a cache sees many distinct keys, not one hot page.

Three phases, each the same number of requests per page, shuffled:

- **cold**: the page cache starts empty (a fresh key prefix), so the first request for
  each address renders from the database — the worst case after new data arrives;
- **warm**: the same addresses again, now mostly cached — the steady state between
  arrivals of new data;
- **new statement**: one statement is recorded in the first dispute the way tagging does
  (a new article linked to it, roll-ups refreshed), then the same addresses again: that
  dispute's pages and the cross-dispute pages render once more, the other disputes'
  pages stay cached (per-dispute versions, dashboard/cache.py). The statement and its
  article are deleted afterwards.
- **new statement, refreshed**: another statement, then one pass of the page refresher
  (`manage.py refresh_pages`, what the worker's periodic task runs within
  PAGE_REFRESH_SECONDS of new data; its report and time are printed), then the same
  addresses again: what analysts see once the refresher has been by. Skipped when the
  refresher is off (no shared cache).

Server time is gunicorn's own request time (%(D)s), so the client's queueing does not
count; each page's p95 is compared with the one-query view's p95 from the same phase.
The load average is recorded around each phase: the machine is shared.
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
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "dashboard.json"
BASELINE = "/bench/one-query/"
SEARCHES = [
    "penalties",
    "compromise forward",
    "consequences",
    "patience",
    '"working group"',
    "review",
    "decision taken",
    "officials meet",
    "ignore",
    "penalties -consequences",
    "way forward",
    "government",
]


def _option(argv: list[str], name: str, default: int | None) -> int | None:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return int(arg.split("=", 1)[1])
    return default


def _setup_django(cache_prefix: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    os.environ["BENCHMARK_VIEWS"] = "1"
    os.environ["CACHE_KEY_PREFIX"] = cache_prefix
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _url_sets() -> dict[str, list[str]]:
    """Return {page name: [addresses]}: each page over many disputes, actors, filters and pages."""
    from django.db.models import Sum

    from tracker.models import Actor, DailyCount, Dispute, DisputeParty, Source, Statement, WeaponsSystem

    disputes = list(Dispute.objects.order_by("id"))
    if not disputes or not Statement.objects.exists():
        raise SystemExit("The database is empty: run `manage.py generate_dataset` on it first.")
    rng = random.Random(5)
    busiest = list(
        DailyCount.objects.filter(grain=DailyCount.Grain.SPEAKER_STATEMENTS)
        .values("actor_id")
        .order_by()
        .annotate(n=Sum("count"))
        .order_by("-n")
        .values_list("actor_id", flat=True)[:60]
    )
    actors = list(Actor.objects.filter(pk__in=busiest).values_list("slug", flat=True))
    systems = list(WeaponsSystem.objects.filter(disputes__isnull=False).distinct().values_list("slug", flat=True))
    newest = Statement.objects.order_by("-id").values_list("article_id", flat=True)[:5_000]
    articles = rng.sample(sorted(set(newest)), 60)
    sources = list(Source.objects.values_list("pk", flat=True))
    sides = {d.pk: sorted(set(DisputeParty.objects.filter(dispute=d).values_list("side", flat=True))) for d in disputes}
    weeks = [f"{y}-{m:02d}-{d:02d}" for y in (2024, 2025) for m in (1, 3, 5, 7, 9, 11) for d in (4, 18)]

    def q(**params) -> str:
        return "?" + urlencode(params)

    timeline, filtered, one_week, feeds = [], [], [], []
    for dispute in disputes:
        base = f"/disputes/{dispute.slug}/timeline/"
        timeline += [base, base + q(page=2), base + q(page=3)]
        side = (sides[dispute.pk] or [""])[0]
        filtered += [
            base + q(kind="statement", stance="escalating", page=2),
            base + q(kind="article"),
            base + q(kind="direct", stance="conciliatory"),
            base + q(side=side),
        ]
        one_week += [base + q(since=week, until=(_plus_days(week, 6))) for week in rng.sample(weeks, 3)]
        feeds.append(f"/disputes/{dispute.slug}/feed/")
    statements = ["/statements/"] + [
        "/statements/" + q(**params)
        for params in (
            [{"page": n} for n in range(2, 6)]
            + [{"stance": s} for s in ("escalating", "conciliatory", "neutral")]
            + [{"kind": k} for k in ("direct", "reported")]
            + [{"dispute": d.slug} for d in disputes]
            + [{"dispute": d.slug, "stance": "escalating", "page": 2} for d in disputes[:5]]
        )
    ]
    articles_list = ["/articles/"] + [
        "/articles/" + q(**params)
        for params in (
            [{"page": n} for n in range(2, 6)]
            + [{"dispute": d.slug} for d in disputes]
            + [{"source": s} for s in rng.sample(sources, 10)]
        )
    ]
    return {
        "home": ["/"],
        "dispute": [f"/disputes/{d.slug}/" for d in disputes],
        "timeline": timeline,
        "timeline filtered": filtered,
        "timeline one week": one_week,
        "actor": [f"/actors/{slug}/" for slug in actors],
        "system": [f"/systems/{slug}/" for slug in systems],
        "article": [f"/articles/{pk}/" for pk in articles],
        "statements": statements,
        "statements search": ["/statements/" + q(q=text) for text in SEARCHES],
        "articles": articles_list,
        "articles search": [
            "/articles/" + q(q=text, source=rng.choice(sources)) if n % 2 else "/articles/" + q(q=text)
            for n, text in enumerate(SEARCHES)
        ],
        "sources": ["/sources/"],
        "dispute feed": feeds,
        "one-query view": [BASELINE],
    }


def _plus_days(day: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _session_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-analyst")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _count_queries(url_sets: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """Count SQL queries for each page's first address: rendered (cache miss), then cached (hit)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-analyst"))
    counts = {}
    for name, urls in url_sets.items():
        counts[name] = {}
        for state in ("miss", "hit"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(urls[0])
            assert response.status_code == 200, (urls[0], response.status_code)
            counts[name][state] = len(captured.captured_queries)
    return counts


def _add_statement(dispute_slug: str, stamp: str) -> tuple[int, object]:
    """Record one new statement in a dispute as tagging does; return (article id, its day)."""
    from django.db import transaction
    from django.utils import timezone

    from tracker.models import Article, ArticleDispute, Dispute, Source, Statement, StatementReport
    from tracker.services.rollups import rollups_refresh_for_article

    dispute = Dispute.objects.get(slug=dispute_slug)
    now = timezone.now()
    quote = "The benchmark delivery is on schedule"
    text = f"Benchmark report. “{quote},” an official said."
    with transaction.atomic():
        article = Article.objects.create(
            source=Source.objects.order_by("pk").first(),
            url=f"https://bench.example/{stamp}",
            title="Benchmark report",
            text=text,
            published_at=now,
            content_hash=stamp[:64],
            state=Article.State.TAGGED,
            tagged_at=now,
        )
        ArticleDispute.objects.create(article=article, dispute=dispute, score=1.0)
        start = text.index(quote)
        statement = Statement.objects.create(
            anonymous=True,
            speaker_text="an official",
            text=quote,
            kind=Statement.Kind.DIRECT,
            article=article,
            start=start,
            end=start + len(quote),
            said_on=now.date(),
            first_reported_at=now,
            fingerprint=f"bench-{stamp}"[:64],
        )
        StatementReport.objects.create(statement=statement, article=article, start=start, end=statement.end)
        statement.disputes.add(dispute)
        rollups_refresh_for_article(article_id=article.pk)
    return article.pk, now.date()


def _remove_statement(article_id: int, day) -> None:
    from tracker.models import Article
    from tracker.services.rollups import rollups_refresh_days

    Article.objects.filter(pk=article_id).delete()  # its statement, report and link go with it
    rollups_refresh_days(days=[day])


def _refresh_pass(env: dict) -> dict:
    """Run one refresher pass in its own process, against the server's cache; return its report."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "manage.py", "refresh_pages"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    report["process_seconds"] = round(time.perf_counter() - started, 2)
    return report


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


def _phase(port: int, log: Path, url_sets, requests_per_page: int, cookie: str, concurrency: int, seed: int) -> dict:
    """Send requests_per_page requests to every page (cycling over its addresses), all mixed; return figures."""
    owner = {url: name for name, urls in url_sets.items() for url in urls}
    urls = [urls[n % len(urls)] for urls in url_sets.values() for n in range(requests_per_page)]
    random.Random(seed).shuffle(urls)
    log.write_text("")
    load_before = os.getloadavg()
    started = time.perf_counter()
    results = asyncio.run(_load(port, urls, cookie, concurrency))
    wall = time.perf_counter() - started
    load_after = os.getloadavg()
    time.sleep(0.5)
    server: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        _method, target, _status, micros = line.split(" ")
        server.setdefault(owner[target.removesuffix("?")], []).append(int(micros) / 1000)
    client: dict[str, list[float]] = {}
    for url, _, elapsed in results:
        client.setdefault(owner[url], []).append(elapsed * 1000)
    baseline_p95 = _percentile(server["one-query view"], 0.95)
    pages = {}
    for name, times in server.items():
        p95 = _percentile(times, 0.95)
        pages[name] = {
            "addresses": len(url_sets[name]),
            "requests": len(times),
            "server_p50_ms": round(statistics.median(times), 1),
            "server_p95_ms": round(p95, 1),
            "client_p95_ms": round(_percentile(client[name], 0.95), 1),
            "ratio_to_one_query_view": round(p95 / baseline_p95, 2),
        }
    return {
        "requests": len(results),
        "throughput_rps": round(len(results) / wall, 1),
        "failures": [(u, s) for u, s, _ in results if s != 200][:10],
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in load_after],
        "one_query_view_p95_ms": round(baseline_p95, 1),
        "pages": {name: pages[name] for name in url_sets},
    }


def main(argv: list[str]) -> int:
    stamp = f"bench-{os.getpid()}-{int(time.time())}"
    load_at_start = [round(v, 2) for v in os.getloadavg()]  # before this benchmark adds its own
    _setup_django(f"{stamp}-count")
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        print("dashboard benchmark: set DATABASE_URL to a PostgreSQL database filled by generate_dataset")
        return 1
    requests_per_page = _option(argv, "requests", 100)
    concurrency = _option(argv, "concurrency", 16)
    workers = _option(argv, "workers", None)
    url_sets = _url_sets()
    cookie = _session_cookie()
    from tracker.models import Article, Statement

    size = {"articles": Article.objects.count(), "statements": Statement.objects.count()}
    queries = _count_queries(url_sets)
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]

    port = _free_port()
    log = Path(tempfile.mkstemp(prefix="gunicorn-access-", suffix=".log")[1])
    # A fresh key prefix: the gunicorn run starts with an empty page cache.
    env = {**os.environ, "BENCHMARK_VIEWS": "1", "DEBUG": "0", "LOG_LEVEL": "WARNING", "CACHE_KEY_PREFIX": stamp}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    command = [str(ROOT / ".venv" / "bin" / "gunicorn")]
    if (ROOT / "gunicorn.conf.py").exists():
        command += ["-c", str(ROOT / "gunicorn.conf.py")]
    command += [
        "dashboard.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--access-logfile={log}",
        "--access-logformat=%(m)s %(U)s?%(q)s %(s)s %(D)s",
        "--log-level=warning",
    ]
    if workers:
        command.append(f"--workers={workers}")
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Page weight, and a warm-up of every worker's connection, imports and templates
        # (the one-query view, and each page's first address).
        weights = {
            name: _page_weight(port, urls[0], cookie) for name, urls in url_sets.items() if name != "one-query view"
        }
        warm = {name: urls[:1] for name, urls in url_sets.items()}
        asyncio.run(_load(port, [u for urls in warm.values() for u in urls for _ in range(20)], cookie, concurrency))
        time.sleep(0.5)
        worker_count = len(_children(server.pid))
        phases = {
            "cold": _phase(port, log, url_sets, requests_per_page, cookie, concurrency, seed=5),
            "warm": _phase(port, log, url_sets, requests_per_page, cookie, concurrency, seed=6),
        }
        dispute_slug = url_sets["dispute"][0].split("/")[2]
        added = _add_statement(dispute_slug, stamp)
        try:
            phases["new statement"] = _phase(port, log, url_sets, requests_per_page, cookie, concurrency, seed=7)
        finally:
            _remove_statement(*added)
        # Another statement, then one pass of the refresher (what the worker's periodic task
        # does within PAGE_REFRESH_SECONDS), then the same addresses once more.
        added = _add_statement(dispute_slug, stamp + "-r")
        try:
            refresher = _refresh_pass(env)
            if "skipped" not in refresher:
                phase = _phase(port, log, url_sets, requests_per_page, cookie, concurrency, seed=8)
                phases["new statement, refreshed"] = {**phase, "refresher": refresher}
        finally:
            _remove_statement(*added)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.unlink()

    for phase in phases.values():
        for name, row in phase["pages"].items():
            row["queries_miss"] = queries[name]["miss"]
            row["queries_hit"] = queries[name]["hit"]
            row["js_css_bytes"] = weights.get(name)
    summary = {
        "dataset": size,
        "concurrency": concurrency,
        "gunicorn_workers": worker_count,
        "cache": cache_backend,
        "page_cache_seconds": settings.DASHBOARD_CACHE_SECONDS,
        "load_average_at_start": load_at_start,
        "phases": phases,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2))
    print(
        f"dataset: {size['articles']:,} articles, {size['statements']:,} statements; "
        f"{concurrency} concurrent, {worker_count} gunicorn workers, cache {cache_backend} "
        f"(page cache {settings.DASHBOARD_CACHE_SECONDS} s); load average at start {load_at_start}"
    )
    for label, phase in phases.items():
        print(
            f"\n{label}: {phase['requests']} requests, {phase['throughput_rps']} req/s, "
            f"{len(phase['failures'])} failures, load average {phase['load_average_before'][0]} → "
            f"{phase['load_average_after'][0]} (this run's own load included)"
        )
        if "refresher" in phase:
            print(f"refresher pass before it: {phase['refresher']}")
        print(
            f"{'page':<18} {'URLs':>4} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'× 1-query':>9} "
            f"{'client p95':>10} {'JS+CSS KB':>9}"
        )
        for name, row in phase["pages"].items():
            weight = f"{row['js_css_bytes'] / 1024:.0f}" if row["js_css_bytes"] is not None else "-"
            print(
                f"{name:<18} {row['addresses']:>4} {row['queries_miss']:>3}/{row['queries_hit']:<3} "
                f"{row['server_p50_ms']:>7} {row['server_p95_ms']:>7} {row['ratio_to_one_query_view']:>9} "
                f"{row['client_p95_ms']:>10} {weight:>9}"
            )
    print(f"\nqueries: rendered/cached. Results written to {RESULTS.relative_to(ROOT)}")
    return 0 if not any(phase["failures"] for phase in phases.values()) else 1


def _children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    except OSError:
        return []
    return [int(line) for line in out.split()]
