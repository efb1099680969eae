"""Two beat schedulers started by mistake: still no source is fetched twice in one interval."""

import re
import time

import pytest

from .harness import probe, project_env, start_beat, start_worker, wait_until
from .test_worker_kill import RECOVERY_ENV

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

FEEDS, ITEMS = 30, 3


def test_two_beats_fanning_out_every_second_fetch_each_source_once_per_interval(
    tmp_path, scratch_database, redis_server, news_site_factory, processes
):
    site = news_site_factory(items=ITEMS, delay=0.2)
    env = project_env(
        tmp_path,
        database_url=scratch_database,
        broker_url=redis_server.url(),
        **{**RECOVERY_ENV, "FAN_OUT_SECONDS": "1"},
    )
    probe(env, "sources_create", site.base_url, list(range(FEEDS)), 60)
    # Two workers, so the two beats' fan-outs also run at the same moment.
    processes.append(start_worker(env, tmp_path, concurrency=2, name="worker-a"))
    processes.append(start_worker(env, tmp_path, concurrency=2, name="worker-b"))
    beats = [start_beat(env, tmp_path, name=f"beat-{n}") for n in (1, 2)]
    processes.extend(beats)

    wait_until(
        lambda: all(s["success"] for s in probe(env, "ingest_state")["sources"].values()),
        timeout=120,
        what="every source to be fetched once",
    )
    time.sleep(8)  # both beats keep fanning out, every second, well into the sources' interval

    for beat in beats:
        assert len(re.findall(r"Sending due task fan-out-due-sources", beat.log())) >= 8
    hits = site.feed_hits()
    assert len(hits) == FEEDS
    assert set(hits.values()) == {1}, {path: n for path, n in hits.items() if n != 1}
