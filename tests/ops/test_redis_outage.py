"""Stop Redis during ingestion: pages keep serving, enqueueing fails fast, and nothing is lost."""

import time

import pytest

from .harness import (
    csrf_token,
    probe,
    project_env,
    start_beat,
    start_web,
    start_worker,
    wait_until,
    web_login,
)
from .test_worker_kill import RECOVERY_ENV, assert_every_item_stored_once_in_full_and_tagged, batch_finished, summary

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

FEEDS, ITEMS = 10, 20
# The bound a user would notice: a web request that enqueues must answer well within this.
FAIL_FAST_SECONDS = 10


def test_while_redis_is_down_pages_serve_enqueueing_fails_fast_and_missed_sources_are_fetched_after(
    tmp_path, scratch_database, redis_server, news_site_factory, processes
):
    site = news_site_factory(items=ITEMS, delay=0.5)
    env = project_env(
        tmp_path,
        database_url=scratch_database,
        broker_url=redis_server.url(),
        # A worker left deaf by the reconnect (dashboard/watchdog.py) restarts within 20 s.
        **{**RECOVERY_ENV, "FAN_OUT_SECONDS": "2", "WORKER_STALL_SECONDS": "20"},
    )
    probe(env, "user_create", "ops-admin", "ops-admin-pass-123", True)
    probe(env, "user_create", "ops-analyst", "ops-analyst-pass-123", False)
    probe(env, "sources_create", site.base_url, list(range(FEEDS // 2)))
    processes.append(start_worker(env, tmp_path, concurrency=2, name="worker"))
    processes.append(start_beat(env, tmp_path, name="beat"))
    web, base = start_web(env, tmp_path)
    processes.append(web)

    wait_until(lambda: probe(env, "ingest_state")["articles"] >= ITEMS, timeout=90, what="ingestion to be under way")
    redis_server.stop()

    # Sources an admin adds during the outage: nothing can be queued for them yet.
    probe(env, "sources_create", site.base_url, list(range(FEEDS // 2, FEEDS)))

    analyst = web_login(base, "ops-analyst", "ops-analyst-pass-123")
    assert analyst.get(base + "/", timeout=15).status_code == 200
    assert analyst.get(base + "/disputes/turkey-s400-f35/", timeout=15).status_code == 200

    health = analyst.get(base + "/healthz", timeout=15)
    assert health.status_code == 503
    assert health.json()["checks"]["database"]["ok"] is True
    assert health.json()["checks"]["broker"]["ok"] is False

    admin = web_login(base, "ops-admin", "ops-admin-pass-123", path="/admin/login/?next=/admin/")
    changelist = base + "/admin/tracker/source/"
    token = csrf_token(admin, changelist)
    ids = [int(i) for i in probe(env, "ingest_state")["sources"]]
    started = time.monotonic()
    response = admin.post(
        changelist,
        data={"action": "fetch_now", "_selected_action": ids, "index": 0, "csrfmiddlewaretoken": token},
        headers={"Referer": changelist},
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "Could not queue the fetch" in response.text
    assert elapsed < FAIL_FAST_SECONDS, f"enqueueing with Redis down took {elapsed:.1f}s"

    redis_server.start()
    wait_until(
        lambda: batch_finished(env, FEEDS, ITEMS),
        timeout=180,
        every=2,
        what="every source to be fetched and tagged after Redis returned",
        explain=lambda: summary(env),
    )
    assert_every_item_stored_once_in_full_and_tagged(env, FEEDS, ITEMS)
    assert analyst.get(base + "/healthz", timeout=15).json()["checks"]["broker"]["ok"] is True
