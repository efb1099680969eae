"""Pages are written on a second thread; an error in the middle of a run loses what was handed over and leaks nothing."""

import threading

import pytest

from tracker.ingest.feeds import parse_feed
from tracker.ingest.pages import extract_article
from tracker.models import Article, Source
from tracker.services import ingest as ingest_service

from .servers import article_page, long_text, rss

# Outside a test transaction, so the writer thread is used as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("ingest-writer")]


def test_an_unexpected_error_mid_run_keeps_the_written_batches_and_closes_the_writer():
    batch = ingest_service.PAGE_BATCH
    urls = [f"https://pages.example/a/{i}" for i in range(batch + 5)]
    entries = parse_feed(
        rss([{"title": f"Page {i}", "link": url, "guid": f"w{i}", "summary": "teaser"} for i, url in enumerate(urls)]),
        base_url="https://pages.example/feed.xml",
    )
    pages = {url: article_page(f"Page {i}", long_text(f"w{i}")) for i, url in enumerate(urls)}

    def fetch(url):
        if url == urls[batch + 2]:
            raise RuntimeError("the worker's time limit, say")
        return extract_article(pages[url], url, "text/html; charset=utf-8")

    source = Source.objects.create(name="Pages", url="https://pages.example/feed.xml")
    summary = ingest_service.IngestSummary()
    with pytest.raises(RuntimeError):
        ingest_service._store_with_pages(source, entries, fetch, summary, False)

    # The first full batch had been handed to the writer: it is stored, in full.
    stored = Article.objects.filter(source=source)
    assert sorted(stored.values_list("guid", flat=True)) == sorted(f"w{i}" for i in range(batch))
    assert all("paragraph 5" in text for text in stored.values_list("text", flat=True))
    assert writer_threads() == []
