"""The Celery application; tasks live in tracker/tasks.py."""

import logging
import os

from celery import Celery, signals
from django.conf import settings
from django.db import close_old_connections
from kombu.exceptions import ChannelError

from dashboard import watchdog

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

app = Celery("dashboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

log = logging.getLogger("tracker.tasks")


def queue_length(name: str) -> int | None:
    """Return how many messages wait in a queue, or None when the broker cannot say."""
    try:
        with app.connection_for_read() as conn:
            return conn.default_channel.queue_declare(queue=name, passive=True).message_count
    except ChannelError:  # Redis keeps no empty list: "no queue" means nothing is waiting
        return 0
    except Exception:  # broker unreachable, or a transport without counts
        return None


signals.task_received.connect(watchdog.task_received)


@signals.worker_ready.connect
def _start_watchdog(sender=None, **_):
    """Restart this worker if its broker consumer stalls (see dashboard/watchdog.py)."""
    watchdog.start(sender, settings.WORKER_STALL_SECONDS)


@signals.task_prerun.connect
def _drop_broken_connections(sender=None, **_):
    """Close database connections that broke or aged out before a task uses them.

    CELERY_DB_REUSE_MAX keeps connections across tasks, so Celery's own close does not
    run; without this, a restarted PostgreSQL would leave every worker process holding a
    dead connection ("connection already closed") until it recycled. Django's check
    closes connections with errors or older than CONN_MAX_AGE, and re-arms
    CONN_HEALTH_CHECKS so the next query pings first.
    """
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()


@signals.task_failure.connect
def _log_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **_):
    """Name the task, its arguments (the source or article id) and the reason in one line."""
    log.error(
        "task %s[%s] failed for args=%r kwargs=%r: %s: %s",
        getattr(sender, "name", sender),
        task_id,
        args,
        kwargs,
        type(exception).__name__,
        exception,
    )


@signals.task_retry.connect
def _log_task_retry(sender=None, request=None, reason=None, **_):
    log.warning(
        "task %s[%s] will retry for args=%r: %s",
        getattr(sender, "name", sender),
        getattr(request, "id", None),
        getattr(request, "args", None),
        reason,
    )
