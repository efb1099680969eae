"""Production settings pass Django's deployment checks, and refuse to start unsafely."""

import os
import secrets
import subprocess
import sys

from .harness import REPO

PRODUCTION_ENV = {
    "PRODUCTION": "1",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "postgres://tracker@db.example.org:5432/tracker",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
}


def check_deploy(**overrides) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is a test-only switch (the browser tests set it); production never has it.
    unset = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update({"SECRET_KEY": secrets.token_urlsafe(60), **PRODUCTION_ENV, **overrides})
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_at_warning_level():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    result = check_deploy(SECRET_KEY=None)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = check_deploy(DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_turning_hsts_off_in_production_fails_the_deploy_check():
    result = check_deploy(SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_every_response_forbids_framing(client):
    assert client.get("/login/")["X-Frame-Options"] == "DENY"
