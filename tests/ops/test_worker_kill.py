"""SIGKILL a Celery worker in the middle of a batch; a new worker finishes it, losing nothing."""

import re

import pytest

from .harness import probe, project_env, start_beat, start_worker, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

FEEDS, ITEMS = 12, 25
# Production timings, shortened: unacknowledged tasks come back within seconds, and beat
# re-queues articles left untagged for 10 s (the fan-out itself stays out of the way).
RECOVERY_ENV = {
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    "REQUEUE_SECONDS": "3",
    "REQUEUE_STRANDED_AFTER_SECONDS": "10",
    "FAN_OUT_SECONDS": "3600",
}


def expected_guids(feeds=FEEDS, items=ITEMS) -> list[str]:
    return sorted(f"ops-{f}-{i}" for f in range(feeds) for i in range(items))


def assert_every_item_stored_once_in_full_and_tagged(env, feeds=FEEDS, items=ITEMS) -> dict:
    state = probe(env, "ingest_state")
    assert state["duplicate_guids"] == []
    assert state["guids"] == expected_guids(feeds, items), "an item is missing or stored twice"
    assert state["states"] == {"tagged": feeds * items}, state["tag_errors"]
    for guid, text in state["texts"].items():
        feed, item = map(int, re.fullmatch(r"ops-(\d+)-(\d+)", guid).groups())
        ledger = (feed * 7919 + item * 104729) % 1000003
        assert f"ledger code is {ledger} and" in text, f"{guid} is stored partially"
    check = probe(env, "tag_sets_check")
    assert check["checked"] == feeds * items
    assert check["mismatch_count"] == 0, check["mismatches"]
    return state


def batch_finished(env, feeds=FEEDS, items=ITEMS) -> bool:
    state = probe(env, "ingest_state")
    done = state["articles"] == feeds * items and state["states"].get("tagged") == feeds * items
    return done and all(s["status"] == "ok" and not s["claimed"] for s in state["sources"].values())


def summary(env) -> str:
    state = probe(env, "ingest_state")
    sources = {k: v for k, v in state["sources"].items() if v["status"] != "ok" or v["claimed"]}
    return f"articles={state['articles']} states={state['states']} unfinished sources={sources}"


def test_a_worker_killed_mid_batch_leaves_every_article_stored_once_and_tagged_by_its_successor(
    tmp_path, scratch_database, redis_server, news_site_factory, processes
):
    site = news_site_factory(items=ITEMS, delay=0.7)
    env = project_env(tmp_path, database_url=scratch_database, broker_url=redis_server.url(), **RECOVERY_ENV)
    ids = probe(env, "sources_create", site.base_url, list(range(FEEDS)))
    first = start_worker(env, tmp_path, concurrency=2, name="doomed")
    processes.append(first)
    probe(env, "fetch_enqueue", ids)

    def some_but_not_all():
        state = probe(env, "ingest_state")
        return state if ITEMS <= state["articles"] < FEEDS * ITEMS // 2 else None

    at_kill = wait_until(some_but_not_all, timeout=90, every=0.2, what="the batch to be under way")
    first.kill()
    assert 0 < at_kill["articles"] < FEEDS * ITEMS, "the worker was not killed in the middle of the batch"

    second = start_worker(env, tmp_path, concurrency=2, name="successor")
    processes.append(second)
    processes.append(start_beat(env, tmp_path, name="beat"))

    wait_until(
        lambda: batch_finished(env),
        timeout=180,
        every=2,
        what="the successor to finish the batch",
        explain=lambda: summary(env),
    )
    assert_every_item_stored_once_in_full_and_tagged(env)
    # Each feed was fetched at most twice: once by the killed worker, once by its successor.
    assert max(site.feed_hits().values()) <= 2
