"""Pages kept fresh on write: after new data, a worker renders the addresses analysts read.

New data move the cache versions (dashboard/cache.py), so the next analyst to open a
page would wait for its render. Instead, every page served from the page cache notes
its address (path and query string) in a small register kept in the shared cache, at
most once a minute per address and process; and a periodic task (`pages_refresh_task`,
every PAGE_REFRESH_SECONDS) requests, when the data version moved since its last pass,
the addresses read in the last PAGE_REFRESH_WINDOW_SECONDS, most recently read first, at
most PAGE_REFRESH_MAX of them within PAGE_REFRESH_BUDGET_SECONDS, and not while more than
PAGE_REFRESH_MAX_BACKLOG tagging tasks wait (tagging first). It goes through the
real views, so what it stores is exactly what a reader would have rendered; addresses
that the new data do not concern are cache hits and cost a query or two.

Readers arriving between the data and the refresher's pass still render the page
themselves, as before. The refresher's own requests do not count as reads, so an address
nobody opens any more leaves the register after the window. It needs a cache that the
web processes share (Redis): with a per-process cache it is off (settings.PAGE_REFRESH).
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import Resolver404, resolve

from . import cache as page_cache

log = logging.getLogger(__name__)

REGISTER_KEY = "dash:read-addresses"
LAST_PASS_KEY = "dash:refresh-version"
LOCK_KEY = "dash:refresh-running"
NOTE_EVERY_SECONDS = 60
REGISTER_SIZE = 1_000
MAX_ADDRESS = 500  # longer addresses (a very long search) are rendered on demand only: the register stays small

_noted: dict[str, float] = {}
_noted_lock = threading.Lock()


def enabled() -> bool:
    """Whether the refresher runs (settings.PAGE_REFRESH: on by default with a shared cache)."""
    return bool(settings.PAGE_REFRESH)


def forget_noted() -> None:
    """Forget which addresses this process noted lately (tests)."""
    with _noted_lock:
        _noted.clear()


def note_read(request, response) -> None:
    """Remember that an analyst read this address (a cached page, served whole)."""
    if (
        not enabled()
        or request.method != "GET"
        or getattr(request, "page_refresh", False)
        or response.status_code != 200
        or response.streaming
    ):
        return
    address = request.build_absolute_uri()  # feeds are cached per host: the refresher asks the same one
    if len(address) > MAX_ADDRESS:
        return
    now = time.time()
    with _noted_lock:
        if now - _noted.get(address, 0) < NOTE_EVERY_SECONDS:
            return
        _noted[address] = now
        if len(_noted) > REGISTER_SIZE:
            _noted.clear()
    try:
        register = cache.get(REGISTER_KEY) or {}
        register[address] = now
        if len(register) > REGISTER_SIZE:
            register = dict(sorted(register.items(), key=lambda item: -item[1])[:REGISTER_SIZE])
        cache.set(REGISTER_KEY, register, settings.PAGE_REFRESH_WINDOW_SECONDS)
    except Exception:  # the register is a hint: a cache outage must not cost the page
        log.warning("could not note a read address", exc_info=True)


def addresses(now: float | None = None) -> list[str]:
    """Return the addresses read within the window, most recently read first (at most PAGE_REFRESH_MAX)."""
    register = cache.get(REGISTER_KEY) or {}
    cutoff = (now or time.time()) - settings.PAGE_REFRESH_WINDOW_SECONDS
    recent = sorted((t, a) for a, t in register.items() if t >= cutoff)
    return [address for _, address in reversed(recent)][: settings.PAGE_REFRESH_MAX]


def pages_refresh(*, force: bool = False) -> dict:
    """Render the registered addresses if the data changed since the last pass; return what was done."""
    if not enabled():
        return {"skipped": "off (PAGE_REFRESH; by default on only with a shared cache)"}
    version = page_cache.data_version()
    if not force and cache.get(LAST_PASS_KEY) == version:
        return {"skipped": "no new data"}
    if not force and _tagging_backlog() > settings.PAGE_REFRESH_MAX_BACKLOG:
        # Tagging comes first: readers render what they open meanwhile, as without a refresher.
        return {"skipped": "tagging backlog"}
    # One pass at a time across the deployment; a pass that dies leaves the lock to expire.
    if not cache.add(LOCK_KEY, version, settings.PAGE_REFRESH_BUDGET_SECONDS + 60):
        return {"skipped": "another pass is running"}
    try:
        return _pass(version)
    finally:
        cache.delete(LOCK_KEY)


def _tagging_backlog() -> int:
    """How many tagging tasks wait (0 when the broker cannot say)."""
    from .celery import queue_length

    return queue_length(settings.CELERY_TASK_DEFAULT_QUEUE) or 0


def _pass(version: str) -> dict:
    from django.test import RequestFactory  # builds plain requests; nothing of the test runner

    started = time.monotonic()
    user = get_user_model()(username="page-refresher")  # never saved: it only opens the login gate
    factory = RequestFactory()
    done, failed, left = 0, 0, 0
    todo = addresses()
    for index, address in enumerate(todo):
        if time.monotonic() - started > settings.PAGE_REFRESH_BUDGET_SECONDS:
            left = len(todo) - index
            break
        try:
            parts = urlsplit(address)
            secure = parts.scheme == "https"
            headers = {"HTTP_HOST": parts.netloc}
            if secure and settings.SECURE_PROXY_SSL_HEADER:  # behind a TLS proxy, as the reader was
                header, value = settings.SECURE_PROXY_SSL_HEADER
                headers[header] = value
            request = factory.get(parts.path + (f"?{parts.query}" if parts.query else ""), secure=secure, **headers)
            match = resolve(request.path_info)
            request.user = user
            request.page_refresh = True
            response = match.func(request, *match.args, **match.kwargs)
            if response.status_code == 200:
                done += 1
            else:
                failed += 1
        except Resolver404:
            failed += 1
        except Exception:  # one broken page must not stop the others
            failed += 1
            log.warning("page refresh failed for %s", address, exc_info=True)
    if not left:
        cache.set(LAST_PASS_KEY, version, settings.PAGE_REFRESH_WINDOW_SECONDS)
    return {
        "addresses": len(todo),
        "rendered_or_checked": done,
        "failed": failed,
        "left_for_next_pass": left,
        "seconds": round(time.monotonic() - started, 2),
    }
