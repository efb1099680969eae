import pytest

from tracker.ingest.urls import InvalidURL, canonical_url


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.News.example/a/b/?utm_source=x&id=3#top", "https://news.example/a/b?id=3"),
        ("http://news.example:80/a", "https://news.example/a"),
        ("https://news.example/a?fbclid=1&b=2&a=1", "https://news.example/a?a=1&b=2"),
        ("https://news.example", "https://news.example/"),
    ],
)
def test_it_canonicalises_urls(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "/relative"])
def test_it_refuses_non_http_urls(url):
    with pytest.raises(InvalidURL):
        canonical_url(url)
