"""What every dashboard view shares: the login rule and the response headers."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string

from .. import refresh
from ..cache import request_scope

# Feeds are read by browsers we do not control: a strict policy keeps anything that
# slips through escaping from running. Scripts and styles come only from our own files;
# chart data travels in json_script blocks, which are data, not scripts.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def with_csp(view):
    """Send the dashboard's Content-Security-Policy with the view's responses."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return wrapper


def analyst_required(view):
    """Require a login unless the operator made the dashboard public."""
    protected = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.DASHBOARD_PUBLIC:
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    return with_csp(request_scope(wrapper))


def page_body(template: str, context: dict, *, title: str = "", scripts: tuple[str, ...] = ()) -> dict:
    """Render a page's main content on its own, with no request: the same for every analyst, so it can be cached.

    Returns {"title", "body", "scripts"} for `render_page`.
    """
    return {"title": title, "body": render_to_string(template, context), "scripts": list(scripts)}


def render_page(request, page: dict, *, nav: str):
    """Put a page body (fresh or cached) into the site layout, with this analyst's header."""
    response = render(request, "dashboard/page.html", {**page, "nav": nav})
    refresh.note_read(request, response)  # so a worker renders it again after new data
    return response


def query_without(request, *names: str) -> str:
    """Return the current query string without `names` (for links that change one parameter)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
