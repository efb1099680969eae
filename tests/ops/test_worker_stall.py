"""A worker whose broker consumer stops taking messages notices and restarts itself.

The Redis transport can leave a worker connected but deaf after a reconnect (see
dashboard/watchdog.py). Here the stall is produced on purpose: the worker is told to stop
consuming the tagging queue, so tagging tasks pile up while it sits idle; its watchdog
must restart it, and the restarted worker must tag every article.
"""

import subprocess

import pytest

from dashboard.watchdog import Watchdog

from .harness import BIN, REPO, probe, project_env, start_worker, wait_until
from .test_worker_kill import RECOVERY_ENV, assert_every_item_stored_once_in_full_and_tagged, batch_finished, summary

FEEDS, ITEMS = 4, 10


def test_the_watchdog_calls_it_a_stall_only_when_work_waits_and_nothing_runs_or_arrives():
    now = [1000.0]
    watchdog = Watchdog(60, clock=lambda: now[0])
    assert watchdog.stalled(waiting=5, active=0, last_received=900.0)
    assert not watchdog.stalled(waiting=5, active=0, last_received=950.0), "received a message 50 s ago"
    assert not watchdog.stalled(waiting=5, active=1, last_received=0.0), "busy with a long task"
    assert not watchdog.stalled(waiting=0, active=0, last_received=0.0), "nothing to do"
    assert not watchdog.stalled(waiting=None, active=0, last_received=0.0), "broker unreachable"


@pytest.mark.integration
@pytest.mark.timeout(300)
def test_a_worker_that_stops_consuming_restarts_itself_and_finishes_the_batch(
    tmp_path, scratch_database, redis_server, news_site_factory, processes
):
    site = news_site_factory(items=ITEMS, delay=0.2)
    env = project_env(
        tmp_path, database_url=scratch_database, broker_url=redis_server.url(), WORKER_STALL_SECONDS="6", **RECOVERY_ENV
    )
    ids = probe(env, "sources_create", site.base_url, list(range(FEEDS)))
    worker = start_worker(env, tmp_path, concurrency=2, name="deaf")
    processes.append(worker)
    subprocess.run(
        [str(BIN / "celery"), "-A", "dashboard", "control", "cancel_consumer", "tagging", "--timeout", "5"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    probe(env, "fetch_enqueue", ids)

    wait_until(
        lambda: batch_finished(env, FEEDS, ITEMS),
        timeout=180,
        every=2,
        what="the restarted worker to tag the batch",
        explain=lambda: summary(env) + "\n" + worker.log()[-3000:],
    )
    log = worker.log()
    assert "the broker consumer has stalled; restarting this worker" in log
    assert log.count("ready.") >= 2, "the worker did not come back after restarting"
    assert_every_item_stored_once_in_full_and_tagged(env, FEEDS, ITEMS)
