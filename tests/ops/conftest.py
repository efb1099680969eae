"""Fixtures for the operations tests: scratch databases, private Redis servers, processes."""

from __future__ import annotations

import os
import uuid

import pytest

from .harness import NewsSite, RedisServer, manage, project_env, psql, real_services_or_skip, with_database


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """The PostgreSQL server DATABASE_URL names (scratch databases are created on it)."""
    return with_database(real_services_or_skip(), "postgres")


@pytest.fixture(scope="session")
def template_database(pg_server_url, tmp_path_factory):
    """A migrated database with the reference data, copied for each test that needs one."""
    name = f"ops_template_{os.getpid()}"
    psql(pg_server_url, f"DROP DATABASE IF EXISTS {name}")
    psql(pg_server_url, f"CREATE DATABASE {name}")
    tmp = tmp_path_factory.mktemp("template")
    env = project_env(tmp, database_url=with_database(pg_server_url, name), broker_url="filesystem://")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_reference")
    yield name
    psql(pg_server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def scratch_database(pg_server_url, template_database):
    """A fresh copy of the template database; dropped afterwards."""
    name = f"ops_{uuid.uuid4().hex[:10]}"
    psql(pg_server_url, f"CREATE DATABASE {name} TEMPLATE {template_database}")
    yield with_database(pg_server_url, name)
    psql(pg_server_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def redis_server(tmp_path, pg_server_url):
    """Our own redis-server on a free port (never the shared one), stopped afterwards."""
    server = RedisServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def processes():
    """Collects started processes (workers, beat, web) and stops whatever is left at the end."""
    started = []
    yield started
    for proc in reversed(started):
        proc.stop(timeout=20)


@pytest.fixture
def news_site_factory():
    sites = []

    def make(**kwargs) -> NewsSite:
        site = NewsSite(**kwargs)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.close()
