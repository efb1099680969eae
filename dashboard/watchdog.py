"""A stalled-consumer watchdog for Celery workers.

Celery's Redis transport has a long-standing class of bugs (celery#8030, #8091, #9054,
#10205): after the broker connection drops and comes back, the worker logs that it
reconnected, then never receives another message until it is restarted. Our Redis-outage
fault test met it about once in three CI runs. We cannot fix the transport here, so each
worker watches for the symptom and restarts itself, as an operator would:

    tasks are waiting in a queue this worker consumes, the worker is executing nothing,
    and it has received nothing for WORKER_STALL_SECONDS.

A healthy worker never shows that for long: with a free pool slot it takes a waiting
message within a second. The watchdog runs in a thread of the worker's main process and
asks the broker over its own short-lived connection, so it works whatever state the
consumer's connection is in. On a stall it logs why and re-executes the worker with its
own command line after a warm shutdown (the way Celery's SIGHUP handler restarts a
worker); if the warm shutdown does not finish within the grace period, it re-executes at
once. Tasks are late-acknowledged and idempotent, so nothing is lost either way.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger("tracker.tasks")

_last_received = time.monotonic()
_started = False


def task_received(**_) -> None:
    """Signal handler: the consumer handed us a message (any message proves it is alive)."""
    global _last_received
    _last_received = time.monotonic()


class Watchdog:
    """Decides, from what it is told, whether the consumer has stalled."""

    def __init__(self, stall_seconds: float, *, clock: Callable[[], float] = time.monotonic):
        self.stall_seconds = stall_seconds
        self.clock = clock

    def stalled(self, *, waiting: int | None, active: int, last_received: float) -> bool:
        """True when messages wait, nothing runs, and nothing arrived for too long.

        ``waiting`` is None when the broker could not be asked: that is the consumer's own
        reconnect loop to handle, not a stall.
        """
        if not waiting or active:
            return False
        return self.clock() - last_received >= self.stall_seconds


def _waiting(queues: list[str]) -> int | None:
    from dashboard.celery import queue_length

    counts = [queue_length(name) for name in queues]
    if any(count is None for count in counts):
        return None
    return sum(counts)


def _reexec() -> None:
    os.execv(sys.executable, [sys.executable, *sys.argv])


def _restart(grace: float) -> None:
    """Warm shutdown then re-exec; re-exec at once if the shutdown does not come."""
    from celery.worker import state

    atexit.register(_reexec)
    state.should_stop = 0  # EX_OK: the main loop raises WorkerShutdown on its next turn
    time.sleep(grace)
    log.critical("worker watchdog: warm shutdown did not finish in %.0f s; re-executing now", grace)
    _reexec()


def _watch(queues: list[str], stall_seconds: float, every: float, grace: float) -> None:
    from celery.worker import state

    watchdog = Watchdog(stall_seconds)
    while True:
        time.sleep(every)
        try:
            waiting = _waiting(queues)
        except Exception:  # never let the watchdog itself take the worker down
            log.exception("worker watchdog: could not read the queue lengths")
            continue
        if watchdog.stalled(waiting=waiting, active=len(state.active_requests), last_received=_last_received):
            log.error(
                "worker watchdog: %d task(s) waiting in %s, none running, nothing received for %.0f s: "
                "the broker consumer has stalled; restarting this worker (%s)",
                waiting,
                ",".join(queues),
                time.monotonic() - _last_received,
                " ".join(sys.argv),
            )
            _restart(grace)
            return


def start(consumer, stall_seconds: float) -> None:
    """Start watching (once per process), on the queues this worker was told to consume."""
    global _started, _last_received
    if _started or stall_seconds <= 0:
        return
    transport = consumer.app.conf.broker_url.split("://", 1)[0]
    if transport not in ("redis", "rediss"):
        return  # the stall is a Redis-transport bug; other transports cannot count the same way
    queues = sorted(consumer.app.amqp.queues.consume_from)
    _started = True
    _last_received = time.monotonic()
    every = max(1.0, stall_seconds / 4)
    thread = threading.Thread(
        target=_watch,
        args=(queues, stall_seconds, every, max(30.0, stall_seconds)),
        name="worker-watchdog",
        daemon=True,
    )
    thread.start()
    log.info("worker watchdog: watching %s (stall after %.0f s)", ",".join(queues), stall_seconds)
