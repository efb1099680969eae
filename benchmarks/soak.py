"""Soak: 200 sources × 50 items through 2 real workers; every item once, worker memory over the run.

Needs PostgreSQL (DATABASE_URL names the server; a scratch database is created and
dropped) and redis-server (a private one is started on a free port). Run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m benchmarks.run soak
    ... soak --feeds=50 --items=20   (a shorter run)
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _option(argv: list[str], name: str, default: int) -> int:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return int(arg.split("=", 1)[1])
    return default


def main(argv: list[str]) -> int:
    from tests.ops.harness import RedisServer, manage, probe, project_env, psql, soak, with_database

    feeds, items = _option(argv, "feeds", 200), _option(argv, "items", 50)
    workers, concurrency = _option(argv, "workers", 2), _option(argv, "concurrency", 1)
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        print("soak: set DATABASE_URL to a PostgreSQL server (a scratch database is created on it)")
        return 1
    server = with_database(server, "postgres")
    name = f"soak_{uuid.uuid4().hex[:8]}"
    psql(server, f"CREATE DATABASE {name}")
    try:
        with tempfile.TemporaryDirectory(prefix="soak-") as folder:
            tmp = Path(folder)
            redis = RedisServer(tmp)
            try:
                env = project_env(
                    tmp,
                    database_url=with_database(server, name),
                    broker_url=redis.url(),
                    FAN_OUT_SECONDS="5",
                    REQUEUE_SECONDS="60",
                    LOG_LEVEL="WARNING",
                )
                manage(env, "migrate", "--noinput", "-v0")
                manage(env, "load_reference")
                figures = soak(
                    env, tmp, feeds=feeds, items=items, workers=workers, concurrency=concurrency, timeout=7200
                )
                state = probe(env, "ingest_state")
            finally:
                redis.stop()
    finally:
        psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    expected = sorted(f"ops-{f}-{i}" for f in range(feeds) for i in range(items))
    figures["stored_exactly_once"] = state["guids"] == expected and not state["duplicate_guids"]
    figures["states"] = state["states"]
    samples = figures.pop("samples")
    print(
        f"soak: {figures['items']} items ({feeds} sources × {items}) through {workers} worker(s) × {concurrency} "
        f"in {figures['seconds']} s ({figures['items_per_second']} items/s); stored exactly once: "
        f"{figures['stored_exactly_once']}; states {figures['states']}; feed requests {figures['feed_requests']}"
    )
    print(
        f"worker RSS (MB, pool included): warm {figures['rss_mb_warm']} → end {figures['rss_mb_end']}, "
        f"peak {figures['rss_mb_peak']}"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps({**figures, "samples": samples}, indent=1))
    return 0 if figures["stored_exactly_once"] else 1
