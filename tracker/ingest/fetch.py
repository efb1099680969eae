"""The one module that talks to the network.

Every request has an honest User-Agent, conditional GET, a connect timeout and a total
wall-clock deadline, a cap on decoded bytes, at most MAX_REDIRECTS redirects, http(s)
only, and the resolved address checked on every hop. The connection is then made to
the address that was checked (the Host header and TLS name stay the hostname), so a
DNS answer that changes between the check and the connect (rebinding) cannot steer
the fetcher to a refused network.

The deadline is enforced by a watchdog thread that shuts the socket down: socket
timeouts bound each read, but a server that trickles one byte every few seconds never
trips them.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError as Urllib3Error

from .types import FetchResult

MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
DEADLINE_SECONDS = 30.0
MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Link-local covers cloud metadata endpoints (169.254.169.254); refused even when private networks are allowed.
ALWAYS_BLOCKED = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"))
CGNAT = ipaddress.ip_network("100.64.0.0/10")
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5"
)


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
    """How a fetch behaves; throttle(host) is called before every request (politeness)."""

    user_agent: str
    allow_private: bool = False
    deadline: float = DEADLINE_SECONDS
    max_bytes: int = MAX_BYTES
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    throttle: Callable[[str], None] | None = None
    allowed_networks: tuple[str, ...] = ()


def check_address(address: str, *, allow_private: bool, allowed_networks: tuple[str, ...] = ()) -> None:
    """Raise PermanentFetchError if address is one a fetcher must not reach."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in net for net in ALWAYS_BLOCKED if net.version == ip.version):
        raise PermanentFetchError(f"refused address {ip}: link-local/metadata addresses are never fetched")
    if allow_private:
        return
    for network in allowed_networks:
        net = ipaddress.ip_network(network, strict=False)
        if net.version == ip.version and ip in net:
            return
    if (
        ip.is_private
        or ip.is_loopback
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_link_local
        or (ip.version == 4 and ip in CGNAT)
    ):
        raise PermanentFetchError(f"refused address {ip}: private, loopback, CGNAT or reserved network")


def resolve_and_check(
    host: str, port: int, *, allow_private: bool, allowed_networks: tuple[str, ...] = ()
) -> list[str]:
    """Resolve host and check every address it resolves to; return them, IPv4 first."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TransientFetchError(f"cannot resolve {host}: {exc}") from exc
    addresses = sorted({info[4][0] for info in infos}, key=lambda a: (":" in a, a))
    for address in addresses:
        check_address(address, allow_private=allow_private, allowed_networks=allowed_networks)
    return addresses


class _Deadline:
    """Shut the current socket down when the wall-clock deadline passes."""

    def __init__(self, seconds: float):
        self.expires = time.monotonic() + seconds
        self.fired = False
        self._fd: int | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.expires - time.monotonic()

    def extend(self, seconds: float) -> None:
        """Push the deadline back by seconds (time spent waiting on ourselves, not on the server)."""
        with self._lock:
            if self.fired or seconds <= 0:
                return
            self._timer.cancel()
            self.expires += seconds
            self._timer = threading.Timer(max(0.0, self.remaining()), self._fire)
            self._timer.daemon = True
            self._timer.start()

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._fd = sock.fileno()
            if self.fired:
                self._shutdown()

    def release(self) -> None:
        with self._lock:
            self._fd = None

    def cancel(self) -> None:
        with self._lock:
            self._fd = None
            self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        # The fd is only attached while its connection is open (release() runs before
        # close), so this never touches a reused descriptor.
        if self._fd is None:
            return
        sock = socket.socket(fileno=self._fd)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            sock.detach()


def _watched(base: type[HTTPConnection], deadline: _Deadline) -> type[HTTPConnection]:
    def _new_conn(self):
        sock = base._new_conn(self)
        deadline.attach(sock)
        return sock

    return type(f"Watched{base.__name__}", (base,), {"_new_conn": _new_conn})


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def _classify(status: int, url: str, headers) -> None:
    if status == 429 or status >= 500 or status in (408, 425):
        raise TransientFetchError(
            f"HTTP {status} from {url[:200]}", status=status, retry_after=_retry_after(headers.get("Retry-After"))
        )
    if status >= 400 or status < 200:
        raise PermanentFetchError(f"HTTP {status} from {url[:200]}", status=status)


def _read_body(response, policy: FetchPolicy, deadline: _Deadline) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise PermanentFetchError(f"too large: Content-Length {declared} exceeds {policy.max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    # stream(decode_content=True) yields decoded bytes, at most CHUNK at a time, so a gzip bomb hits the cap.
    for chunk in response.stream(CHUNK, decode_content=True):
        size += len(chunk)
        if size > policy.max_bytes:
            raise PermanentFetchError(f"too large: more than {policy.max_bytes} bytes after decoding")
        chunks.append(chunk)
    return b"".join(chunks)


def _host_header(scheme: str, host: str, port: int) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port == DEFAULT_PORTS[scheme] else f"{name}:{port}"


def _pool(scheme: str, address: str, hostname: str, port: int, deadline: _Deadline, policy: FetchPolicy):
    timeout = urllib3.Timeout(
        connect=min(policy.connect_timeout, max(0.1, deadline.remaining())),
        read=min(policy.read_timeout, max(0.1, deadline.remaining())),
    )
    options = {"timeout": timeout, "retries": False, "maxsize": 1, "block": False}
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=hostname,
            assert_hostname=hostname,
            **options,
        )
        pool.ConnectionCls = _watched(HTTPSConnection, deadline)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
        pool.ConnectionCls = _watched(HTTPConnection, deadline)
    return pool


def _request(current: str, headers: dict[str, str], policy: FetchPolicy, deadline: _Deadline):
    """Make one request to a checked address of current's host; return (pool, response)."""
    parts = urlsplit(current)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise PermanentFetchError(f"refused URL: only http(s) is fetched, not {current[:200]!r}")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as exc:
        raise PermanentFetchError(f"invalid port in {current[:200]!r}") from exc
    hostname = parts.hostname
    addresses = resolve_and_check(
        hostname, port, allow_private=policy.allow_private, allowed_networks=policy.allowed_networks
    )
    if policy.throttle is not None:
        # Politeness waits are our own doing: they do not count against the server's deadline.
        waited = time.monotonic()
        policy.throttle(hostname)
        deadline.extend(time.monotonic() - waited)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {**headers, "Host": _host_header(scheme, hostname, port)}
    last_error: Exception | None = None
    for address in addresses:
        if deadline.remaining() <= 0:
            break
        pool = _pool(scheme, address, hostname, port, deadline, policy)
        try:
            response = pool.urlopen(
                "GET",
                target,
                headers=request_headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=True,
                assert_same_host=False,
            )
        except urllib3.exceptions.NewConnectionError as exc:
            pool.close()
            last_error = exc
            continue
        except (Urllib3Error, OSError) as exc:
            pool.close()
            if deadline.fired:
                break
            raise TransientFetchError(f"{type(exc).__name__} fetching {current[:200]}: {exc}") from exc
        return pool, response
    if deadline.fired or deadline.remaining() <= 0:
        raise TransientFetchError(f"deadline of {policy.deadline:.0f}s exceeded fetching {current[:200]}")
    raise TransientFetchError(f"cannot connect to {hostname}: {last_error}")


def fetch(url: str, *, policy: FetchPolicy, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET url under policy; return the body, or status 304 with an empty body."""
    headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate", "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = _Deadline(policy.deadline)
    current = url
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            pool, response = _request(current, headers, policy, deadline)
            try:
                status = response.status
                if status in REDIRECT_STATUSES:
                    location = response.headers.get("Location", "").strip()
                    if not location:
                        raise PermanentFetchError(f"HTTP {status} without a Location from {current[:200]}")
                    current = urljoin(current, location)
                    continue
                if status == 304:
                    return FetchResult(current, 304, b"", "", response.headers.get("ETag", etag), last_modified)
                _classify(status, current, response.headers)
                body = _read_body(response, policy, deadline)
                if deadline.fired:
                    raise TransientFetchError(f"deadline of {policy.deadline:.0f}s exceeded reading {current[:200]}")
                return FetchResult(
                    url=current,
                    status=status,
                    body=body,
                    content_type=response.headers.get("Content-Type", ""),
                    etag=response.headers.get("ETag", ""),
                    last_modified=response.headers.get("Last-Modified", ""),
                )
            except (Urllib3Error, OSError) as exc:
                if deadline.fired:
                    raise TransientFetchError(
                        f"deadline of {policy.deadline:.0f}s exceeded reading {current[:200]}"
                    ) from exc
                raise TransientFetchError(f"{type(exc).__name__} reading {current[:200]}: {exc}") from exc
            finally:
                deadline.release()
                response.close()
                pool.close()
    finally:
        deadline.cancel()
    raise PermanentFetchError(f"too many redirects (more than {MAX_REDIRECTS}) from {url[:200]}")
