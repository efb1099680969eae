"""Canonical URLs, so that one story reached through several links is stored once."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid", "ito", "ncid"}
)
TRACKING_PREFIXES = ("utm_", "__hs", "_hs", "mkt_", "pk_", "sr_")
DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidURL(ValueError):
    """The URL is not an absolute http(s) URL."""


def canonical_url(url: str) -> str:
    """Return url without tracking parameters or fragment, with a normalised scheme, host and path."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidURL(f"not an http(s) URL: {url[:200]!r}")
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if port in (None, DEFAULT_PORTS[scheme]) else f"[{host}]:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    # Scheme is normalised to https so that http and https links to one story meet.
    return urlunsplit(("https", netloc, path, urlencode(sorted(query)), ""))


def is_http_url(url: str) -> bool:
    """Tell whether url is an absolute http(s) URL (not javascript:, data:, file: …)."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in DEFAULT_PORTS and bool(parts.hostname)
