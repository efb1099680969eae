"""The dashboard's periodic task: render again the pages analysts read after new data."""

from __future__ import annotations

import logging

from celery import shared_task

from .refresh import pages_refresh

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def pages_refresh_task() -> dict:
    """One refresher pass (dashboard/refresh.py); does nothing when the data did not change."""
    result = pages_refresh()
    if "skipped" not in result:
        log.info("pages refreshed: %s", result)
    return result
