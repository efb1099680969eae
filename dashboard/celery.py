"""The Celery application; tasks live in tracker/tasks.py."""

import logging
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

app = Celery("dashboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

log = logging.getLogger("tracker.tasks")


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
