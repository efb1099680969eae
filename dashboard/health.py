"""/healthz: can this deployment serve pages and run ingestion right now?

Three checks, each bounded in time: the database answers, the broker accepts a
connection, and some source was ingested successfully recently enough. JSON, no login;
200 when every check passes, 503 otherwise, so a load balancer or an uptime monitor can
read the status code and an operator can read the body.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Max, Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tracker.models import Source


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def _check_broker() -> dict:
    from dashboard.celery import app

    timeout = float(getattr(settings, "HEALTH_BROKER_TIMEOUT", 2.0))
    with app.connection_for_write() as conn:
        # One attempt, no retries: a health check must answer quickly, not wait for the broker.
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
        transport = conn.transport_cls
    return {"ok": True, "transport": str(transport)}


def _check_ingest() -> dict:
    """Age of the newest successful fetch; a fresh install (no old sources) is not stale."""
    max_age = timedelta(seconds=int(getattr(settings, "HEALTH_INGEST_MAX_AGE", 6 * 3600)))
    now = timezone.now()
    active = Source.objects.filter(active=True).aggregate(last=Max("last_success_at"), oldest=Min("created_at"))
    last, oldest = active["last"], active["oldest"]
    body: dict = {
        "last_success_at": last.isoformat() if last else None,
        "max_age_seconds": int(max_age.total_seconds()),
    }
    if last is not None:
        age = now - last
        body["age_seconds"] = int(age.total_seconds())
        body["ok"] = age <= max_age
    elif oldest is None:
        body.update(ok=True, note="no active sources")
    else:
        # Sources exist but none has ever been fetched: stale once the oldest is older than max_age.
        body["ok"] = now - oldest <= max_age
        body["note"] = "no source has been fetched successfully yet"
    return body


CHECKS = {"database": _check_database, "broker": _check_broker, "ingest": _check_ingest}


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Run every check; report each one's result, error and duration."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            result = check()
        except Exception as exc:  # a failing dependency is the answer, not a server error
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    healthy = all(r["ok"] for r in results.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503)
