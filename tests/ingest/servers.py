"""A local HTTP server for ingestion tests (127.0.0.1 only; no internet).

Routes map a path to a handler; helpers build the hostile answers the tests need:
trickles, gzip bombs, redirects, odd statuses. Every request is recorded.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


def respond(
    body: bytes = b"", *, status: int = 200, content_type: str = "application/rss+xml", headers=None, length=True
) -> Handler:
    """Answer with body; length=False omits Content-Length (the body ends when the connection closes)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        if content_type:
            request.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        if length:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handler


def redirect(location: str, status: int = 302) -> Handler:
    return respond(b"", status=status, content_type="", headers={"Location": location})


def trickle(body: bytes, *, every: float = 0.5, stop: threading.Event | None = None) -> Handler:
    """Send one byte every `every` seconds: each read succeeds, the whole never ends in time."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        for byte in body:
            if stop is not None and stop.is_set():
                return
            try:
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
            except OSError:
                return
            time.sleep(every)

    return handler


def gzip_bomb(decoded_size: int) -> bytes:
    """Return gzip bytes of decoded_size zero bytes (about a thousandth of the size on the wire)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(decoded_size // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body)


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with per-path handlers."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.seen: list[Seen] = []
        self.stop = threading.Event()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.seen.append(Seen(self.path, dict(self.headers)))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    respond(b"not here", status=404, content_type="text/plain")(self)
                    return
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for s in self.seen if s.path == path)

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


# --- synthetic documents (written for these tests; not real news) ------------------

SYNTHETIC_PARAGRAPH = (
    "This is a synthetic test paragraph about a fictional air-defence purchase. "
    "Officials in the test scenario said the delivery schedule would not change, "
    "while a spokesperson for the other side warned of consequences for the programme. "
)


def long_text(label: str, paragraphs: int = 6) -> str:
    """Return a synthetic article body, unique to label, long enough to count as full text."""
    return "\n".join(f"<p>{label} paragraph {i}. {SYNTHETIC_PARAGRAPH}</p>" for i in range(paragraphs))


def rss(items: list[dict], title: str = "Synthetic test feed", encoding: str = "utf-8", prolog: str = "") -> bytes:
    """Build an RSS 2.0 document; each item: title, link, guid, date, content or summary."""
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>{prolog}',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
        f"<title>{title}</title><link>https://feeds.example/</link><description>synthetic</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{item.get('title', 'Untitled')}</title>")
        if "link" in item:
            parts.append(f"<link>{item['link']}</link>")
        if "guid" in item:
            parts.append(f'<guid isPermaLink="false">{item["guid"]}</guid>')
        if "date" in item:
            parts.append(f"<pubDate>{item['date']}</pubDate>")
        if "content" in item:
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        if "summary" in item:
            parts.append(f"<description><![CDATA[{item['summary']}]]></description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode(encoding, errors="xmlcharrefreplace")


def atom(entries: list[dict], title: str = "Synthetic Atom test feed") -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">']
    parts.append(f"<title>{title}</title><id>urn:synthetic:atom</id><updated>2019-07-17T10:00:00Z</updated>")
    for entry in entries:
        parts.append(
            f'<entry><title>{entry["title"]}</title><link rel="alternate" href="{entry["link"]}"/>'
            f"<id>{entry['guid']}</id><updated>{entry.get('date', '2019-07-17T10:00:00Z')}</updated>"
            f'<content type="html"><![CDATA[{entry["content"]}]]></content></entry>'
        )
    parts.append("</feed>")
    return "".join(parts).encode()


def article_page(title: str, body_html: str, *, canonical: str = "", date: str = "2019-07-17") -> bytes:
    """Build a synthetic article page with a title, author, date and optional rel=canonical."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{link}"
        f"<meta name='author' content='Synthetic Reporter'>"
        f"<meta property='article:published_time' content='{date}'></head>"
        f"<body><nav>Home | World | Defence</nav><article><h1>{title}</h1>{body_html}</article>"
        f"<footer>Synthetic test site footer</footer></body></html>"
    ).encode()
