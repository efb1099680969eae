"""Restart PostgreSQL during ingestion: tasks retry, and no partial article or tag set remains.

The cluster is our own (initdb on a free port), never the shared server.
"""

import re

import pytest

from .harness import PostgresCluster, manage, probe, project_env, psql, start_beat, start_worker, wait_until
from .test_worker_kill import RECOVERY_ENV, assert_every_item_stored_once_in_full_and_tagged, batch_finished, summary

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

FEEDS, ITEMS = 10, 20


@pytest.fixture
def cluster(pg_server_url):
    cluster = PostgresCluster()
    yield cluster
    cluster.destroy()


def test_a_postgres_restart_mid_ingestion_is_retried_and_leaves_no_partial_article_or_tag_set(
    tmp_path, cluster, redis_server, news_site_factory, processes
):
    psql(cluster.url(), "CREATE DATABASE tracker")
    site = news_site_factory(items=ITEMS, delay=0.3)
    # Beat fans out every few seconds, as in production (every minute): a source whose
    # fetch ran out of retries while the database was down is simply due again.
    env = project_env(
        tmp_path,
        database_url=cluster.url("tracker"),
        broker_url=redis_server.url(),
        **{**RECOVERY_ENV, "FAN_OUT_SECONDS": "5"},
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_reference")
    ids = probe(env, "sources_create", site.base_url, list(range(FEEDS)))
    worker = start_worker(env, tmp_path, concurrency=2, name="worker")
    processes.append(worker)
    processes.append(start_beat(env, tmp_path, name="beat"))
    probe(env, "fetch_enqueue", ids)

    wait_until(
        lambda: ITEMS <= probe(env, "ingest_state")["articles"] < FEEDS * ITEMS,
        timeout=90,
        every=0.3,
        what="ingestion to be under way",
    )
    cluster.restart(down_seconds=3)

    wait_until(
        lambda: batch_finished(env, FEEDS, ITEMS),
        timeout=180,
        every=2,
        what="ingestion to finish after the restart",
        explain=lambda: summary(env),
    )
    assert_every_item_stored_once_in_full_and_tagged(env, FEEDS, ITEMS)
    # The restart was felt: tasks failed on the database and were retried, not dropped.
    assert re.search(r"will retry for args=.*(OperationalError|InterfaceError|connection)", worker.log()), (
        "no task met the restart; the test did not test anything"
    )
