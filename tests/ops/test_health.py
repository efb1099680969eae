"""/healthz: JSON for monitors, no login, 503 when the database, broker or ingestion is not right."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.celery import app
from tests.factories import SourceFactory

from .harness import free_port

pytestmark = pytest.mark.django_db


def test_it_reports_healthy_without_a_login_when_everything_answers_and_ingestion_is_recent(client):
    SourceFactory(last_success_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} == {"database", "broker", "ingest"}
    assert 290 <= body["checks"]["ingest"]["age_seconds"] <= 400
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_answers_503_naming_the_broker_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setitem(app.conf, "broker_write_url", f"redis://127.0.0.1:{free_port()}/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    broker = response.json()["checks"]["broker"]
    assert broker["ok"] is False and "Error" in broker["error"]
    assert response.json()["checks"]["database"]["ok"] is True


def test_it_answers_503_when_no_source_has_been_fetched_successfully_for_too_long(client, settings):
    settings.HEALTH_INGEST_MAX_AGE = 3600
    SourceFactory(last_success_at=timezone.now() - timedelta(hours=3))
    response = client.get("/healthz")
    assert response.status_code == 503
    ingest = response.json()["checks"]["ingest"]
    assert ingest["ok"] is False and ingest["age_seconds"] >= 3 * 3600 - 5


def test_a_fresh_install_without_sources_is_healthy(client):
    response = client.get("/healthz")
    assert response.json()["checks"]["ingest"] == {**response.json()["checks"]["ingest"], "ok": True}
    assert response.status_code == 200
