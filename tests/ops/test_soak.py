"""A small soak in CI: many sources through two workers, every item stored once and tagged.

The full size (200 sources × 50 items) with its memory figures is `benchmarks/soak.py`.
"""

import pytest

from .harness import project_env, soak
from .test_worker_kill import RECOVERY_ENV, assert_every_item_stored_once_in_full_and_tagged

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

FEEDS, ITEMS = 40, 10


def test_forty_sources_through_two_workers_store_every_item_once_and_tag_it(tmp_path, scratch_database, redis_server):
    env = project_env(
        tmp_path,
        database_url=scratch_database,
        broker_url=redis_server.url(),
        **{**RECOVERY_ENV, "FAN_OUT_SECONDS": "2"},
    )
    figures = soak(env, tmp_path, feeds=FEEDS, items=ITEMS, workers=2, concurrency=1, timeout=200)
    assert figures["items"] == FEEDS * ITEMS
    # One fan-out leases every source once: each feed is requested once in its interval.
    assert figures["feed_requests"] == FEEDS
    assert_every_item_stored_once_in_full_and_tagged(env, FEEDS, ITEMS)
