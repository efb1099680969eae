"""Ingestion benchmark: `.venv/bin/python -m benchmarks.run ingest`.

Runs on PostgreSQL (BENCH_INGEST_DATABASE_URL, default tracker_bench_ingest, created
if missing) with Redis for the worker part (BENCH_INGEST_BROKER_URL, default Redis db 6).
All documents are synthetic and served by a local server; nothing touches the internet.

1. feed → parse → de-duplicate → store, items with inline content, per process,
   beside a raw bulk_create of the very same rows (same run): articles/s and ratio.
2. HTML pages: extraction + store vs. the extractor alone on the same pages: ratio.
3. 1,000 sources that all answer 304: one fan-out cycle through a real Celery worker
   with 2 processes, wall-clock seconds.
4. Peak memory (VmHWM) of each worker process after it has also fetched every hostile
   case (gzip bomb, oversized bodies, entity bomb, trickle, redirect loop, …).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tracker_bench_ingest"
DEFAULT_BROKER = "redis://127.0.0.1:6379/6"
WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe", "ro", "sa", "ti", "vu", "ze") for b in range(60)]


def _ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def _setup() -> tuple[str, str]:
    db = os.environ.get("BENCH_INGEST_DATABASE_URL", DEFAULT_DB)
    broker = os.environ.get("BENCH_INGEST_BROKER_URL", DEFAULT_BROKER)
    _ensure_database(db)
    os.environ["DATABASE_URL"] = db
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return db, broker


def _synthetic_text(rng: random.Random, paragraphs: int = 5, words: int = 70) -> str:
    return "\n".join(
        "<p>Synthetic benchmark text. " + " ".join(rng.choice(WORDS) for _ in range(words)) + ".</p>"
        for _ in range(paragraphs)
    )


class _Server:
    """One threaded server for every part; bound to all addresses so 127.x.y.z act as distinct hosts."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):  # noqa: N802
                if not self.client_address[0].startswith("127."):
                    self.close_connection = True
                    return
                path = self.path
                if path.startswith("/s/"):  # every 304 source shares one route
                    path = "/s/"
                if path == "/trickle":
                    return self._trickle()
                status, headers, body = routes.get(path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304 and "Content-Length" not in headers and not headers.get("_no_length"):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def _trickle(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                try:
                    for _ in range(120):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.5)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("0.0.0.0", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 256
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Wed, 17 Jul 2019 10:00:00 +0000</pubDate><content:encoded><![CDATA[{c}]]></content:encoded></item>"
        for t, link, c in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Synthetic bench</title>'
        f"<link>https://bench.example/</link><description>synthetic</description>{body}</channel></rss>"
    ).encode()


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE tracker_sketchband, tracker_article, tracker_story, tracker_source, tracker_hostthrottle"
            " RESTART IDENTITY CASCADE"
        )


def _truncate_articles() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE tracker_sketchband, tracker_article RESTART IDENTITY CASCADE")


def bench_feeds(server: _Server, feeds: int = 30, per_feed: int = 100, rounds: int = 3) -> dict:
    """Best of `rounds`: each round stores every feed from scratch, reads them again (all duplicates),
    then inserts the very rows it stored with a plain bulk_create (one transaction per feed)."""
    from django.conf import settings
    from django.db import transaction

    from tracker import services
    from tracker.models import Article, Source

    settings.INGEST_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.INGEST_HOST_INTERVAL = 0  # throughput of parse/dedupe/store; politeness is a separate concern
    rng = random.Random(1)
    for f in range(feeds):
        items = [
            (f"Synthetic story {f}-{i}", f"https://bench{f}.example/story/{i}?utm_source=feed", _synthetic_text(rng))
            for i in range(per_feed)
        ]
        server.routes[f"/feed/{f}"] = (200, {"Content-Type": "application/rss+xml"}, _rss(items))
    fields = [f.attname for f in Article._meta.concrete_fields if f.attname not in ("id", "search_vector")]
    timings: dict[str, list[float]] = {"pipeline": [], "again": [], "raw": []}
    stored = 0
    for _ in range(rounds):
        _reset()
        sources = [Source.objects.create(name=f"Bench {f}", url=server.url(f"/feed/{f}")) for f in range(feeds)]
        started = time.perf_counter()
        stored = 0
        for source in sources:
            stored += len(services.source_fetch(source_id=source.pk).new_ids)
        timings["pipeline"].append(time.perf_counter() - started)
        # The same sources again: every item is a duplicate (the steady state of a feed fetcher).
        Source.objects.update(etag="", last_modified="")
        started = time.perf_counter()
        for source in sources:
            services.source_fetch(source_id=source.pk)
        timings["again"].append(time.perf_counter() - started)

        rows = list(Article.objects.order_by("pk").values(*fields))
        assert len(rows) == stored == feeds * per_feed, (len(rows), stored)
        _truncate_articles()
        started = time.perf_counter()
        for index in range(0, len(rows), per_feed):
            with transaction.atomic():
                Article.objects.bulk_create([Article(**row) for row in rows[index : index + per_feed]])
        timings["raw"].append(time.perf_counter() - started)
    pipeline, raw = min(timings["pipeline"]), min(timings["raw"])
    return {
        "articles": stored,
        "rounds": rounds,
        "pipeline_articles_per_s": round(stored / pipeline, 1),
        "raw_bulk_create_rows_per_s": round(stored / raw, 1),
        "pipeline_to_raw_ratio": round(raw / pipeline, 3),
        "per_round_pipeline_articles_per_s": [round(stored / t, 1) for t in timings["pipeline"]],
        "per_round_raw_rows_per_s": [round(stored / t, 1) for t in timings["raw"]],
        "per_round_ratios": [round(r / p, 3) for p, r in zip(timings["pipeline"], timings["raw"], strict=True)],
        "all_duplicates_items_per_s": round(stored / min(timings["again"]), 1),
    }


def _page(rng: random.Random, i: int) -> bytes:
    """A synthetic article page with the furniture real news pages carry (menus, scripts, related links)."""
    links = "".join(f"<li><a href='/section/{j}'>Section {rng.choice(WORDS)} {j}</a></li>" for j in range(120))
    related = "".join(
        f"<li><a href='/story/{rng.randrange(10**6)}'>{' '.join(rng.choice(WORDS) for _ in range(9))}</a></li>"
        for _ in range(40)
    )
    script = "<script>window.dataLayer=[];" + "var x{0}={0};".format(rng.randrange(1000)) * 300 + "</script>"
    style = "<style>" + ".c{0}{{margin:{0}px}}".format(rng.randrange(100)) * 300 + "</style>"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Synthetic page {i} | Synthetic Times</title>"
        f"<link rel='canonical' href='https://pages.example/a/{i}'>{style}{script}"
        "<meta name='author' content='Synthetic Desk'><meta property='article:published_time' content='2019-07-17'>"
        f"</head><body><header><nav><ul>{links}</ul></nav></header><main><article><h1>Synthetic page {i}</h1>"
        f"<p class='byline'>By Synthetic Desk</p>{_synthetic_text(rng, paragraphs=14, words=80)}</article>"
        f"<aside><h2>Related</h2><ul>{related}</ul></aside><section class='comments'>"
        f"{_synthetic_text(rng, 4, 30)}</section></main><footer><ul>{links}</ul>Synthetic footer</footer>"
        f"{script}</body></html>"
    ).encode()


def _typical_page(rng: random.Random, i: int) -> bytes:
    """A page as heavy as a typical news site's (~150 KB, thousands of elements), so the extractor
    runs near the issue's ~60 pages/s: nested layout boxes with class and data attributes, a mega
    menu, JSON-LD, trackers and inline scripts, teaser grids with images, a cookie banner, a
    newsletter form and a comment thread, around the same kind of article body."""

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def box(inner: str, depth: int = 3) -> str:
        for level in range(depth):
            inner = f"<div class='l{level} grid__cell u-{rng.randrange(99)}' data-track='c{rng.randrange(10**4)}'>{inner}</div>"
        return inner

    menu = "".join(
        box(f"<a class='menu__link' href='/s/{j}/{k}' data-ga='m{j}{k}'>{words(2)}</a>", 2)
        for j in range(12)
        for k in range(12)
    )
    teasers = "".join(
        box(
            f"<a href='/story/{rng.randrange(10**6)}'><img src='/i/{j}.jpg' alt='{words(5)}' width='320' height='180'>"
            f"<h3 class='teaser__title'>{words(9)}</h3></a><p class='teaser__dek'>{words(18)}</p>"
            f"<span class='teaser__time'>{rng.randrange(1, 59)} min ago</span>"
        )
        for j in range(40)
    )
    comments = "".join(
        box(f"<p class='comment__author'>{words(2)}</p><p class='comment__body'>{words(35)}</p>", 2) for _ in range(25)
    )
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": f"Synthetic page {i}"})
    scripts = "".join(
        f"<script>(function(){{var q{j}=[];" + f"q{j}.push({rng.randrange(999)});" * 150 + "}})();</script>"
        for j in range(6)
    )
    style = "<style>" + "".join(f".c{j}{{margin:{j % 40}px;padding:{j % 7}px}}" for j in range(800)) + "</style>"
    body = _synthetic_text(rng, paragraphs=14, words=80)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Synthetic page {i} | Synthetic Times</title>"
        f"<link rel='canonical' href='https://pages.example/a/{i}'>{style}"
        f"<script type='application/ld+json'>{ld}</script>{scripts}"
        "<meta name='author' content='Synthetic Desk'><meta property='article:published_time' content='2019-07-17'>"
        f"</head><body><div class='cookie-banner'><p>{words(40)}</p><button>Accept</button></div>"
        f"<header><nav class='mega-menu'>{menu}</nav></header><main><div class='layout'><div class='layout__main'>"
        f"<article><h1>Synthetic page {i}</h1><p class='byline'>By Synthetic Desk</p>{body}</article>"
        f"<form class='newsletter'><label>{words(8)}<input type='email' name='e'></label><button>Sign up</button></form>"
        f"<section class='comments'>{comments}</section></div>"
        f"<aside class='layout__rail'><h2>Most read</h2>{teasers}</aside></div></main>"
        f"<footer>{menu}<p>Synthetic footer</p></footer>{scripts}</body></html>"
    ).encode()


def bench_pages(pages: int = 150, rounds: int = 5, make_page=_page) -> dict:
    import trafilatura

    from tracker.ingest.pages import _CONFIG, extract_article
    from tracker.models import Source

    rng = random.Random(2)
    documents = {f"https://pages.example/a/{i}?ref=home": make_page(rng, i) for i in range(pages)}
    feed = _rss([(f"Synthetic page {i}", url, "teaser") for i, url in enumerate(documents)])

    def extractor_alone():
        for url, html in documents.items():
            trafilatura.bare_extraction(
                html.decode(), url=url, with_metadata=True, include_comments=False, include_tables=False, config=_CONFIG
            )

    from tracker.ingest.feeds import parse_feed
    from tracker.services import ingest as ingest_service

    entries = parse_feed(feed, base_url="https://pages.example/feed.xml")

    def extract_and_store(source):
        # The production path for summary-only feed items (page fetch → extract → de-duplicate →
        # store in small batches), with the pages served from memory instead of the network.
        summary = ingest_service.IngestSummary()
        ingest_service._store_with_pages(
            source,
            entries,
            lambda url: extract_article(documents[url], url, "text/html; charset=utf-8"),
            summary,
            False,
        )
        assert len(summary.new_ids) == pages, summary

    ingest_service.MAX_PAGES_PER_RUN = pages  # one run takes every page here
    ingest_service.PAGE_BUDGET_SECONDS = 3600.0
    extractor_alone()  # warm up caches (trafilatura, lxml) before either timing
    timings = {"extractor": [], "pipeline": []}
    # CPU seconds of this process (both threads), which other sessions on the machine disturb
    # far less than wall-clock time; PostgreSQL's own CPU is not in it.
    cpu = {"extractor": [], "pipeline": []}
    for _ in range(rounds):  # interleaved rounds: the machine is shared, so compare best with best
        started, cpu_started = time.perf_counter(), time.process_time()
        extractor_alone()
        timings["extractor"].append(time.perf_counter() - started)
        cpu["extractor"].append(time.process_time() - cpu_started)
        _reset()
        source = Source.objects.create(name="Pages", url="https://pages.example/feed.xml")
        started, cpu_started = time.perf_counter(), time.process_time()
        extract_and_store(source)
        timings["pipeline"].append(time.perf_counter() - started)
        cpu["pipeline"].append(time.process_time() - cpu_started)
    extractor, pipeline = min(timings["extractor"]), min(timings["pipeline"])
    return {
        "pages": pages,
        "page_kb": round(sum(map(len, documents.values())) / pages / 1024, 1),
        "extractor_pages_per_s": round(pages / extractor, 1),
        "extract_and_store_pages_per_s": round(pages / pipeline, 1),
        "pipeline_to_extractor_time_ratio": round(pipeline / extractor, 3),
        "per_round_ratios": [round(p / e, 3) for p, e in zip(timings["pipeline"], timings["extractor"], strict=True)],
        "process_cpu_ratio": round(min(cpu["pipeline"]) / min(cpu["extractor"]), 3),
    }


HOSTILE = {
    "/h/gzip-bomb": (200, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}, None),
    "/h/big-with-length": (200, {"Content-Type": "application/rss+xml"}, b" " * (12 * 1024 * 1024)),
    "/h/big-without-length": (
        200,
        {"Content-Type": "application/rss+xml", "_no_length": "1"},
        b" " * (12 * 1024 * 1024),
    ),
    "/h/entity-bomb": (
        200,
        {"Content-Type": "application/rss+xml"},
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title></channel></rss>',
    ),
    "/h/loop": (302, {"Location": "/h/loop"}, b""),
    "/h/private": (302, {"Location": "http://10.1.2.3/feed"}, b""),
    "/h/metadata": (302, {"Location": "http://169.254.169.254/latest/"}, b""),
    "/h/login": (200, {"Content-Type": "text/html"}, b"<html><body><form>Sign in</form></body></html>"),
    "/h/500": (500, {}, b"error"),
    "/h/429": (429, {"Retry-After": "600"}, b"slow down"),
    "/h/410": (410, {}, b"gone"),
    "/h/malformed": (200, {"Content-Type": "application/rss+xml"}, b"<rss><channel><item><title>x &"),
}


def _gzip_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(block) for _ in range(size // len(block))) + compressor.flush()


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def bench_fan_out(server: _Server, db: str, broker: str, sources: int = 1000) -> dict:
    from django.utils import timezone

    from dashboard.celery import app
    from tracker.models import Source
    from tracker.tasks import sources_fan_out_task

    _reset()
    server.routes["/s/"] = (304, {"ETag": '"same"'}, b"")
    hosts = [f"127.{1 + i // 250}.{i % 250}.1" for i in range(sources)]
    Source.objects.bulk_create(
        Source(name=f"Quiet {i}", url=server.url(f"/s/{i}", host), etag='"same"', next_fetch_at=None)
        for i, host in enumerate(hosts)
    )
    with app.connection_for_write() as conn:
        for queue in ("fetch", "tagging"):
            try:
                conn.default_channel.queue_purge(queue)
            except Exception:  # the queue does not exist yet
                pass
    env = {
        **os.environ,
        "DATABASE_URL": db,
        "CELERY_BROKER_URL": broker,
        "INGEST_ALLOWED_NETWORKS": "127.0.0.0/8",
        "INGEST_DEADLINE_SECONDS": "5",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "dashboard", "worker", "-Q", "fetch", "--concurrency=2"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle", "-n", "bench-ingest@%h"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(6)  # the worker and its two processes are up
        children = [int(p) for p in Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()]
        started_at = timezone.now()
        started = time.perf_counter()
        sources_fan_out_task.delay()
        while Source.objects.filter(last_fetched_at__gte=started_at).count() < sources:
            if time.perf_counter() - started > 300:
                break
            time.sleep(0.2)
        cycle = time.perf_counter() - started
        done = Source.objects.filter(last_fetched_at__gte=started_at, last_status=Source.Status.NOT_MODIFIED).count()

        # Hostile cases through the same worker processes, then their peak memory.
        server.routes.update(
            {p: (s, h, b if b is not None else _gzip_bomb(256 * 1024 * 1024)) for p, (s, h, b) in HOSTILE.items()}
        )
        server.routes["/trickle"] = (200, {}, b"")
        hostile = [Source(name=f"Hostile {p}", url=server.url(p, f"127.9.{i}.1")) for i, p in enumerate(HOSTILE)]
        hostile.append(Source(name="Hostile trickle", url=server.url("/trickle", "127.9.200.1")))
        Source.objects.bulk_create(hostile)
        hostile_started = timezone.now()
        sources_fan_out_task.delay()
        deadline = time.perf_counter() + 120
        while Source.objects.filter(name__startswith="Hostile", last_fetched_at__gte=hostile_started).count() < len(
            hostile
        ):
            if time.perf_counter() > deadline:
                break
            time.sleep(0.5)
        recorded = dict(Source.objects.filter(name__startswith="Hostile").values_list("name", "last_status"))
        memory = {str(pid): _vm_hwm_mb(pid) for pid in children if Path(f"/proc/{pid}").exists()}
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return {
        "sources": sources,
        "worker_processes": 2,
        "fan_out_cycle_seconds": round(cycle, 2),
        "sources_not_modified": done,
        "hostile_cases": len(hostile),
        "hostile_statuses": recorded,
        "worker_peak_rss_mb": memory,
    }


def main(argv: list[str]) -> int:
    db, broker = _setup()
    server = _Server()
    results: dict = {
        "database": "postgresql",
        "machine_cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"load average at start: {results['load_average_at_start']}", flush=True)
    # `benchmarks.run ingest --parts=feeds,pages` runs only those parts.
    chosen = [a.split("=", 1)[1] for a in argv if a.startswith("--parts=")]
    parts = set(",".join(chosen).split(",")) if chosen else {"feeds", "pages", "fan_out"}
    try:
        if "feeds" in parts:
            print("feeds: parse → de-duplicate → store, beside bulk_create of the same rows ...", flush=True)
            results["feeds"] = bench_feeds(server)
            print(json.dumps(results["feeds"], indent=2), flush=True)
        if "pages" in parts:
            print("pages: extraction + store vs. extractor alone ...", flush=True)
            results["pages"] = bench_pages()
            print(json.dumps(results["pages"], indent=2), flush=True)
            print("pages of a typical news site's weight: extraction + store vs. extractor alone ...", flush=True)
            results["typical_pages"] = bench_pages(pages=100, make_page=_typical_page)
            print(json.dumps(results["typical_pages"], indent=2), flush=True)
        if "fan_out" in parts:
            print("fan-out: 1,000 sources answering 304, 2 worker processes; then hostile cases ...", flush=True)
            results["fan_out"] = bench_fan_out(server, db, broker)
            print(json.dumps(results["fan_out"], indent=2), flush=True)
        results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        server.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {RESULTS / 'ingest.json'}")
    return 0
