"""Versioned caching of what the dashboard renders.

Every cached value is stored under a *data version*: one row of newest ids read in a
single query. The global version (cross-dispute pages: home, the statement and article
lists and searches, sources) reads the newest roll-up row, statement, statement report and
article, the newest tagging (`tagged_at`), and the audit-trail rows that every curated
save or delete writes (of statements, only changes and deletions: a new one has a new
id). Tagging an article rewrites its roll-up days (new ids), a new statement or article
has a new id, and an editor's change through the admin adds a history row: any of these
moves the version, so the next request misses the cache and renders from the database —
except on list addresses the new rows do not belong on (`cached_list`).

A dispute's own pages (its page, timeline and feed) are stored under that dispute's
version instead (`dispute_version`): the newest article link and statement link of that
dispute, its total of articles (weekly roll-ups), and the audit-trail ids — of
statements only the changes and deletions (each new statement writes a creation row,
and is counted through its dispute link), of milestones only this dispute's. A new
article or statement in one dispute moves only its own version (and the global one), so
the other disputes' pages stay cached. Links only ever get new ids (tagging replaces an
article's links); an article unlinked lowers the total that the roll-up refresh writes
in the same transaction; statements are never unlinked by tagging, only deleted or
re-pointed (audit rows), or rejected by an editor (an audit row too).

An actor's page and feed likewise use that actor's version (`actor_version`): the newest
id and the number of its mentions, its newest statement as speaker, and the same
audit-trail ids (milestones left out: the page shows none); a weapons system's page uses
its own (`system_version`): its mentions' newest id and number, its newest statement link;
an article's page its own (`article_version`): the article's tagging stamp, state, content
hash and size, its newest statement report and dispute link, and the audit-trail ids.

Changes made with queryset `.update()` outside these paths are picked up when the entry
expires (`DASHBOARD_CACHE_SECONDS`).

Versions are read once per request (views call `request_scope`). A cache that fails
(Redis away) costs a render, never a page: errors are logged and the value is computed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
import weakref
from collections import OrderedDict
from contextvars import ContextVar
from functools import wraps
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection

log = logging.getLogger(__name__)

# Inside a request: {"version": ...} once read; outside one (commands, shells): None.
_scope: ContextVar[dict | None] = ContextVar("dashboard_cache_scope", default=None)
# PostgreSQL connections (persistent, CONN_MAX_AGE) that hold the version queries
# prepared: planning their sub-selects costs more than running them.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
PREPARED_NAME = "dashboard_data_version"
PREPARED_DISPUTE = "dashboard_dispute_version"
PREPARED_ACTOR = "dashboard_actor_version"
PREPARED_SYSTEM = "dashboard_system_version"
PREPARED_ARTICLE = "dashboard_article_version"
# A key names one version of the data, so what it holds never changes: each process
# also keeps the most recently used entries itself, which saves the shared cache's
# round trip and unpickling on the pages analysts are reading right now.
LOCAL_ENTRIES = 200
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


# The global version's columns, in order; the first is the roll-ups' (queries.rollup_version).
# Lists may outlive a version whose only changes are these (see `cached_list`).
ARRIVALS = ("rollups", "statements", "reports", "articles", "tagged")
# Milestones appear on no list: tagging proposing one leaves the lists as they were.
NOT_LISTED = ("audit:HistoricalEvent",)


@functools.cache
def _global_columns() -> tuple[tuple[str, str], ...]:
    """Return (name, SQL) for each column of the global version: newest ids, newest tagging, audit trail."""
    quote = connection.ops.quote_name
    tracker = apps.get_app_config("tracker")
    newest = [
        (name, f"(SELECT MAX(id) FROM {quote(tracker.get_model(model)._meta.db_table)})")
        for name, model in (
            ("rollups", "DailyCount"),
            ("statements", "Statement"),
            ("reports", "StatementReport"),
            ("articles", "Article"),
        )
    ]
    # Re-tagging an old article stamps it: its rows may join lists it was not on (index: 0013).
    tagged = ("tagged", f"(SELECT MAX(tagged_at) FROM {quote(tracker.get_model('Article')._meta.db_table)})")
    return (*newest, tagged, *_curated_columns(events="1 = 1"))


def _audit_models() -> list:
    return [model for model in apps.get_app_config("tracker").get_models() if model.__name__.startswith("Historical")]


@functools.cache
def _sql() -> str:
    return "SELECT " + ", ".join(sql for _, sql in _global_columns())


@functools.cache
def _dispute_version_sql() -> str:
    """The version query of one dispute, its slug as the one parameter (written `%s`)."""
    quote = connection.ops.quote_name
    tracker = apps.get_app_config("tracker")
    dispute_table = quote(tracker.get_model("Dispute")._meta.db_table)
    dispute = "(SELECT id FROM chosen)"
    links = tracker.get_model("ArticleDispute")._meta.db_table
    statement_links = tracker.get_model("Statement").disputes.through._meta.db_table
    rollups = tracker.get_model("DailyCount")
    columns = [
        # Both served by an index on (dispute, id): migration 0009.
        f"(SELECT MAX(id) FROM {quote(links)} WHERE dispute_id = {dispute})",
        f"(SELECT MAX(id) FROM {quote(statement_links)} WHERE dispute_id = {dispute})",
        # Its articles: a link removed lowers it. A few hundred weekly rows, read from an index.
        f"(SELECT SUM({quote('count')}) FROM {quote(rollups._meta.db_table)} "
        f"WHERE grain = '{rollups.Grain.WEEK_DISPUTE_ARTICLES.value}' AND dispute_id = {dispute})",
    ]
    columns += [sql for _, sql in _curated_columns(events=f"dispute_id = {dispute}")]
    return f"WITH chosen AS (SELECT id FROM {dispute_table} WHERE slug = %s) SELECT {', '.join(columns)}"


def _mentioned_version_sql(entity: str, mention: str, mention_field: str, statements, statement_field: str) -> str:
    """The version query of one actor's or weapons system's pages, its slug as the one parameter.

    Served by indexes on (actor or system, id) and on the statements' (speaker or system,
    id): migrations 0011 and 0012. Tagging replaces an article's mentions (new ids), a
    mention removed lowers the count, and a new statement (or statement link) has a new id.
    """
    quote = connection.ops.quote_name
    tracker = apps.get_app_config("tracker")
    entity_table = quote(tracker.get_model(entity)._meta.db_table)
    mentions = tracker.get_model(mention)._meta
    table, column = quote(mentions.db_table), quote(mentions.get_field(mention_field).column)
    chosen = "(SELECT id FROM chosen)"
    said = quote(statements._meta.get_field(statement_field).column)
    columns = [
        f"(SELECT MAX(id) FROM {table} WHERE {column} = {chosen})",
        f"(SELECT COUNT(*) FROM {table} WHERE {column} = {chosen})",
        f"(SELECT MAX(id) FROM {quote(statements._meta.db_table)} WHERE {said} = {chosen})",
        *(sql for _, sql in _curated_columns(events=None)),
    ]
    return f"WITH chosen AS (SELECT id FROM {entity_table} WHERE slug = %s) SELECT {', '.join(columns)}"


@functools.cache
def _actor_version_sql() -> str:
    statements = apps.get_app_config("tracker").get_model("Statement")
    return _mentioned_version_sql("Actor", "ActorMention", "actor", statements, "speaker")


@functools.cache
def _system_version_sql() -> str:
    through = apps.get_app_config("tracker").get_model("Statement").systems.through
    return _mentioned_version_sql("WeaponsSystem", "SystemMention", "system", through, "weaponssystem")


@functools.cache
def _article_version_sql() -> str:
    """The version query of one article's page, its id (as text) the one parameter.

    Tagging rewrites the article's statements, mentions and dispute links together and
    stamps `tagged_at`; text edits change its hash or its length; curated edits (a
    statement rejected, an actor renamed) move the audit-trail columns. Other articles'
    news leaves the page cached.
    """
    quote = connection.ops.quote_name
    tracker = apps.get_app_config("tracker")
    article = tracker.get_model("Article")._meta
    reports = quote(tracker.get_model("StatementReport")._meta.db_table)
    links = quote(tracker.get_model("ArticleDispute")._meta.db_table)
    columns = [
        "(SELECT tagged_at FROM chosen)",
        "(SELECT state FROM chosen)",
        "(SELECT content_hash FROM chosen)",
        "(SELECT size FROM chosen)",
        f"(SELECT MAX(id) FROM {reports} WHERE article_id = (SELECT id FROM chosen))",
        f"(SELECT MAX(id) FROM {links} WHERE article_id = (SELECT id FROM chosen))",
        *(sql for _, sql in _curated_columns(events=None)),
    ]
    return (
        "WITH chosen AS (SELECT id, tagged_at, state, content_hash, LENGTH(title) + LENGTH(text) AS size "
        f"FROM {quote(article.db_table)} WHERE id = CAST(%s AS INTEGER)) SELECT {', '.join(columns)}"
    )


def _curated_columns(*, events: str | None) -> list[tuple[str, str]]:
    """The audit-trail part of a version, as (name, SQL): `events` limits the milestones' rows (None: left out)."""
    quote = connection.ops.quote_name
    columns = []
    for model in _audit_models():
        table, column = quote(model._meta.db_table), quote(model._meta.pk.column)
        name = f"audit:{model.__name__}"
        if model.__name__ == "HistoricalStatement":
            # Tagging writes a "+" row for every new statement (counted by its id, its links
            # or its speaker); changes and deletions move every version.
            # Partial index: migration 0009.
            columns.append((name, f"(SELECT MAX({column}) FROM {table} WHERE history_type <> '+')"))
        elif model.__name__ == "HistoricalEvent":
            # Tagging proposes milestones: only the scope's own, if any.
            if events is not None:
                columns.append((name, f"(SELECT MAX({column}) FROM {table} WHERE {events})"))
        else:
            columns.append((name, f"(SELECT MAX({column}) FROM {table})"))
    return columns


def data_version() -> str:
    """Return the current data version (read once per request inside `request_scope`)."""
    return _scoped("version", lambda: ".".join(_key_part(value) for value in data_version_row().values()))


def data_version_row() -> dict:
    """Return the global version's columns by name (read once per request inside `request_scope`)."""
    return _scoped(
        "version row",
        lambda: dict(zip((name for name, _ in _global_columns()), _read_row(PREPARED_NAME, _sql(), ()), strict=True)),
    )


def curated_version() -> str:
    """Return the audit-trail part of the global version: it moves only when an editor (or the admin) saves."""
    row = data_version_row()
    return "c" + ".".join(_key_part(value) for name, value in row.items() if name not in ARRIVALS)


def _key_part(value) -> str:
    """One version column as a key part: no spaces (a timestamp becomes its microseconds)."""
    if hasattr(value, "timestamp"):
        return str(int(value.timestamp() * 1_000_000))
    return str(value or 0).replace(" ", "T")


def dispute_version(slug: str) -> str:
    """Return the version of one dispute's pages (read once per request inside `request_scope`).

    An unknown slug has a version too (its pages are a 404, which is never cached).
    """
    return _scoped(f"dispute:{slug}", lambda: "d" + _read(PREPARED_DISPUTE, _dispute_version_sql(), (slug,)))


def actor_version(slug: str) -> str:
    """Return the version of one actor's page and feed (read once per request inside `request_scope`)."""
    return _scoped(f"actor:{slug}", lambda: "a" + _read(PREPARED_ACTOR, _actor_version_sql(), (slug,)))


def article_version(pk: int) -> str:
    """Return the version of one article's page (read once per request inside `request_scope`)."""
    # Its columns include a timestamp and a content hash: digest them into a short, space-free key part.
    return _scoped(
        f"article:{pk}",
        lambda: (
            "r" + hashlib.sha256(_read(PREPARED_ARTICLE, _article_version_sql(), (str(pk),)).encode()).hexdigest()[:24]
        ),
    )


def system_version(slug: str) -> str:
    """Return the version of one weapons system's page (read once per request inside `request_scope`)."""
    return _scoped(f"system:{slug}", lambda: "s" + _read(PREPARED_SYSTEM, _system_version_sql(), (slug,)))


def _scoped(name: str, read) -> str:
    scope = _scope.get()
    if scope is not None and name in scope:
        return scope[name]
    version = read()
    if scope is not None:
        scope[name] = version
    return version


def _read(name: str, sql: str, params: tuple) -> str:
    return ".".join(str(value or 0) for value in _read_row(name, sql, params))


def _read_row(name: str, sql: str, params: tuple) -> tuple:
    # Behind a transaction-pooling proxy (DISABLE_SERVER_SIDE_CURSORS set for it), a
    # session's prepared statements may vanish: plan the query every time there.
    prepare = connection.vendor == "postgresql" and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.cursor() as cursor:
        if not prepare:
            cursor.execute(sql, params or None)
        else:
            raw = connection.connection
            names = _prepared.setdefault(raw, set())
            if name not in names:
                # Once per connection, like the session setup Django does on connecting.
                arguments = "(text)" if params else ""
                with raw.cursor() as setup:
                    setup.execute(f"PREPARE {name}{arguments} AS {sql.replace('%s', '$1')}")
                names.add(name)
            cursor.execute(f"EXECUTE {name}" + ("(%s)" if params else ""), params or None)
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
    return f"dash:{code_stamp()}:{name}:{version}:{digest}"


@functools.cache
def code_stamp() -> str:
    """A digest of the templates and the dashboard's code, read once per process.

    A release that changes how pages are made starts with keys of its own, instead of
    serving bodies the previous code rendered until the data move.
    """
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted([*(base / "templates").rglob("*.html"), *(base / "dashboard").rglob("*.py")]):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


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
    value = _shared_get(key, name)
    if value is None:
        value = compute()
        _store(key, value, seconds, name)
    else:
        _local_set(key, value, seconds)
    return value


def cached_list(name: str, parts: tuple, compute, *, unchanged_since):
    """Return compute() for one address of a cross-dispute list, kept while new data leave it as it was.

    The lists hang on the global version, which every tagged article moves; yet most of
    their addresses (a search, a filter on another dispute or source) show the same rows
    afterwards. So an entry is stored per address with the version it was made under, and
    one made under an older version is served again when, since then, rows were only
    added or re-tagged (the audit trail unmoved: no curated change; no newest row deleted)
    and `unchanged_since(old columns)` finds none of those rows on this address. It keeps
    its first render's expiry, so what no version sees (a queryset `.update()`) still
    shows within DASHBOARD_CACHE_SECONDS, as for every other page.
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    version, row = data_version(), data_version_row()
    key = key_for(name, parts, "address")
    entry = _local_get(key)
    if entry is None or entry[0] != version:
        entry = _shared_get(key, name) or entry
    if entry is not None and entry[2] > time.time():
        old_version, old_row, expires, value = entry
        remaining = int(expires - time.time())
        if old_version == version:
            _local_set(key, entry, max(1, remaining))
            return value
        if remaining > 0 and only_arrivals(old_row, row) and unchanged_since(old_row):
            _store(key, (version, row, expires, value), remaining, name)
            return value
    value = compute()
    _store(key, (version, row, time.time() + seconds, value), seconds, name)
    return value


def cached_rows(name: str, ids: list, render) -> list:
    """Return each id's rendered row, in order: cached per row, `render(missing ids)` for the rest.

    A list page that must be rendered again (new rows pushed its rows down a place) then
    costs its id query and one round trip for rows it has shown before. A row shows one
    statement (its speaker, article title and source) or one article (title, source,
    date, author). Edits of statements, speakers and sources write audit rows, so rows
    are kept under the audit-trail part of the version (`curated_version`), and for
    DASHBOARD_CACHE_SECONDS at most: an article's title edited in the admin (no audit
    trail) shows in list rows when they expire, as it did on whole list pages before.
    `render` returns {id: html} and may leave out ids (a row deleted meanwhile): they are
    left out of the list too.
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0 or not ids:
        return [row for row in (render(ids).get(pk) for pk in ids) if row is not None]
    version = curated_version()
    keys = {pk: key_for(name, (pk,), version) for pk in ids}
    try:
        found = cache.get_many(list(keys.values()))
    except Exception:  # a cache outage costs the rows' render, never the page
        log.warning("dashboard cache read failed for %s rows", name, exc_info=True)
        found = {}
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        fresh = {keys[pk]: html for pk, html in render(missing).items()}
        try:
            cache.set_many(fresh, seconds)
        except Exception:
            log.warning("dashboard cache write failed for %s rows", name, exc_info=True)
        found.update(fresh)
    return [found[keys[pk]] for pk in ids if keys[pk] in found]


def only_arrivals(old: dict, new: dict) -> bool:
    """True when, for the lists, `new` differs from `old` only by rows added or re-tagged.

    No audit row (an editor's save, a statement changed or deleted), no newest row gone.
    """
    if old.keys() != new.keys():
        return False
    for name, before in old.items():
        after = new[name]
        if name in NOT_LISTED:
            continue
        if name not in ARRIVALS:
            if after != before:
                return False
        elif before is not None and (after is None or after < before):
            return False
    return True


def _shared_get(key: str, name: str):
    try:
        return cache.get(key)
    except Exception:  # a cache outage must not take the pages down with it
        log.warning("dashboard cache read failed for %s", name, exc_info=True)
        return None


def _store(key: str, value, seconds: int, name: str) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        log.warning("dashboard cache write failed for %s", name, exc_info=True)
    _local_set(key, value, seconds)


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
