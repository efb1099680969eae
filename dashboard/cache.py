"""Versioned caching of what the dashboard renders.

Every cached value is stored under the current *data version*: one row of newest ids
read in a single query (roll-up rows, statements, statement reports, articles, and the
audit-trail rows that every curated save or delete writes). Tagging an article rewrites
its roll-up days (new ids), a new statement or article has a new id, and an editor's
change through the admin adds a history row: any of these moves the version, so the next
request misses the cache and renders from the database. Changes made with queryset
`.update()` outside these paths are picked up when the entry expires (`DASHBOARD_CACHE_SECONDS`).

The version is read once per request (views call `request_scope`). A cache that fails
(Redis away) costs a render, never a page: errors are logged and the value is computed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import weakref
from collections import OrderedDict
from contextvars import ContextVar
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection

log = logging.getLogger(__name__)

# Inside a request: {"version": ...} once read; outside one (commands, shells): None.
_scope: ContextVar[dict | None] = ContextVar("dashboard_cache_scope", default=None)
_version_sql: str | None = None
# PostgreSQL connections (persistent, CONN_MAX_AGE) that hold the version query prepared:
# planning its fourteen sub-selects costs more than running them.
_prepared: weakref.WeakSet = weakref.WeakSet()
PREPARED_NAME = "dashboard_data_version"
# A key names one version of the data, so what it holds never changes: each process
# also keeps the most recently used entries itself, which saves the shared cache's
# round trip and unpickling on the pages analysts are reading right now.
LOCAL_ENTRIES = 200
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


def _tables() -> list[tuple[str, str]]:
    """Return (table, id column) for every table whose newest id says "the data changed"."""
    tracker = apps.get_app_config("tracker")
    names = ("DailyCount", "Statement", "StatementReport", "Article")
    tables = [(tracker.get_model(name)._meta.db_table, "id") for name in names]
    for model in tracker.get_models():
        if model.__name__.startswith("Historical"):  # django-simple-history's audit rows
            tables.append((model._meta.db_table, model._meta.pk.column))
    return tables


def _sql() -> str:
    global _version_sql
    if _version_sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for table, column in _tables())
        _version_sql = f"SELECT {columns}"
    return _version_sql


def data_version() -> str:
    """Return the current data version (read once per request inside `request_scope`)."""
    scope = _scope.get()
    if scope is not None and "version" in scope:
        return scope["version"]
    row = _read_version()
    version = ".".join(str(value or 0) for value in row)
    if scope is not None:
        scope["version"] = version
    return version


def _read_version() -> tuple:
    # Behind a transaction-pooling proxy (DISABLE_SERVER_SIDE_CURSORS set for it), a
    # session's prepared statements may vanish: plan the query every time there.
    prepare = connection.vendor == "postgresql" and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.cursor() as cursor:
        if not prepare:
            cursor.execute(_sql())
            return cursor.fetchone()
        raw = connection.connection
        if raw not in _prepared:
            # Once per connection, like the session setup Django does on connecting.
            with raw.cursor() as setup:
                setup.execute(f"PREPARE {PREPARED_NAME} AS {_sql()}")
            _prepared.add(raw)
        cursor.execute(f"EXECUTE {PREPARED_NAME}")
        return cursor.fetchone()


def request_scope(view):
    """Read the data version at most once while `view` runs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _scope.set({})
        try:
            return view(request, *args, **kwargs)
        finally:
            _scope.reset(token)

    return wrapper


def key_for(name: str, parts: tuple, version: str) -> str:
    """Return the cache key of `name` for these parts (any length: they are hashed) under `version`."""
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"dash:{name}:{version}:{digest}"


def cached(name: str, parts: tuple, compute, *, timeout: int | None = None, version: object = None):
    """Return compute() for `name` and `parts`, cached until the data version moves or `timeout` passes.

    `version` replaces the data version for values that depend on less (roll-ups only).
    `compute` may raise (Http404, say): nothing is cached then.
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS if timeout is None else timeout
    if seconds <= 0:
        return compute()
    key = key_for(name, parts, data_version() if version is None else str(version))
    value = _local_get(key)
    if value is not None:
        return value
    try:
        value = cache.get(key)
    except Exception:  # a cache outage must not take the pages down with it
        log.warning("dashboard cache read failed for %s", name, exc_info=True)
        value = None
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except Exception:
            log.warning("dashboard cache write failed for %s", name, exc_info=True)
    _local_set(key, value, seconds)
    return value


def _local_get(key: str):
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del _local[key]
            return None
        _local.move_to_end(key)
        return entry[1]


def _local_set(key: str, value, seconds: int) -> None:
    with _local_lock:
        _local[key] = (time.monotonic() + seconds, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def clear_local() -> None:
    """Forget this process's copies (tests, where ids and so versions repeat between tests)."""
    with _local_lock:
        _local.clear()


def query_parts(request) -> tuple:
    """Return the request's query string as a sorted tuple (the same filters in any order share an entry)."""
    return tuple(sorted((key, tuple(values)) for key, values in request.GET.lists()))
