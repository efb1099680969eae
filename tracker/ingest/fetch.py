"""The one module that talks to the network.

Every request: an honest User-Agent, conditional GET, a connect timeout and a total
wall-clock deadline, a cap on decoded bytes, at most MAX_REDIRECTS redirects, http(s)
only, and the resolved address checked on every hop.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from .types import FetchResult

MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
DEADLINE_SECONDS = 30.0
MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
# Link-local covers cloud metadata endpoints (169.254.169.254, fd00:ec2::254 is ULA).
ALWAYS_BLOCKED = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))
CGNAT = ipaddress.ip_network("100.64.0.0/10")


class FetchError(Exception):
    """A fetch failed; status is the HTTP status when there was one."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class TransientFetchError(FetchError):
    """Worth retrying later: timeouts, connection errors, 5xx, 429."""


class PermanentFetchError(FetchError):
    """Not worth retrying soon: 4xx, refused addresses, too large, not a feed."""


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str
    allow_private: bool = False
    deadline: float = DEADLINE_SECONDS
    max_bytes: int = MAX_BYTES
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT


def check_address(address: str, *, allow_private: bool) -> None:
    """Raise PermanentFetchError if address is one a fetcher must not reach."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in net for net in ALWAYS_BLOCKED if net.version == ip.version):
        raise PermanentFetchError(f"refused address {ip}: link-local/metadata addresses are never fetched")
    if allow_private:
        return
    if (
        ip.is_private
        or ip.is_loopback
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or (ip.version == 4 and ip in CGNAT)
    ):
        raise PermanentFetchError(f"refused address {ip}: private, loopback or reserved network")


def resolve_and_check(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Resolve host and check every address it resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise TransientFetchError(f"cannot resolve {host}: {exc}") from exc
    addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        check_address(address, allow_private=allow_private)
    return addresses


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _classify(response: requests.Response) -> None:
    status = response.status_code
    if status == 429 or status >= 500 or status in (408, 425):
        raise TransientFetchError(
            f"HTTP {status} from {response.url}",
            status=status,
            retry_after=_retry_after(response.headers.get("Retry-After")),
        )
    if status >= 400:
        raise PermanentFetchError(f"HTTP {status} from {response.url}", status=status)


def _read_body(response: requests.Response, policy: FetchPolicy, started: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise PermanentFetchError(f"too large: Content-Length {declared} exceeds {policy.max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    # raw.stream(decode_content=True) yields decoded bytes, so a gzip bomb hits the cap.
    for chunk in response.raw.stream(CHUNK, decode_content=True):
        size += len(chunk)
        if size > policy.max_bytes:
            raise PermanentFetchError(f"too large: more than {policy.max_bytes} bytes after decoding")
        if time.monotonic() - started > policy.deadline:
            raise TransientFetchError(f"deadline of {policy.deadline:.0f}s exceeded while reading")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, *, policy: FetchPolicy, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET url under policy; return the body, or status 304 with an empty body."""
    started = time.monotonic()
    headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    with requests.Session() as session:
        session.trust_env = False
        for _hop in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise PermanentFetchError(f"refused URL scheme: {current[:200]!r}")
            resolve_and_check(
                parts.hostname,
                parts.port or (443 if parts.scheme == "https" else 80),
                allow_private=policy.allow_private,
            )
            remaining = policy.deadline - (time.monotonic() - started)
            if remaining <= 0:
                raise TransientFetchError(f"deadline of {policy.deadline:.0f}s exceeded")
            try:
                response = session.get(
                    current,
                    headers=headers,
                    allow_redirects=False,
                    stream=True,
                    timeout=(policy.connect_timeout, min(policy.read_timeout, remaining)),
                )
            except (requests.Timeout, requests.ConnectionError, urllib3.exceptions.HTTPError) as exc:
                raise TransientFetchError(f"{type(exc).__name__} fetching {current[:200]}: {exc}") from exc
            except requests.RequestException as exc:
                raise PermanentFetchError(f"cannot fetch {current[:200]}: {exc}") from exc
            with response:
                if response.is_redirect:
                    location = response.headers.get("Location", "")
                    current = urljoin(current, location)
                    continue
                if response.status_code == 304:
                    return FetchResult(current, 304, b"", "", etag, last_modified)
                _classify(response)
                try:
                    body = _read_body(response, policy, started)
                except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                    raise TransientFetchError(f"{type(exc).__name__} reading {current[:200]}: {exc}") from exc
                return FetchResult(
                    url=current,
                    status=response.status_code,
                    body=body,
                    content_type=response.headers.get("Content-Type", ""),
                    etag=response.headers.get("ETag", ""),
                    last_modified=response.headers.get("Last-Modified", ""),
                )
    raise PermanentFetchError(f"too many redirects (more than {MAX_REDIRECTS}) from {url[:200]}")
