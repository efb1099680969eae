import pytest

from tracker.ingest.feeds import NotAFeed, parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Synthetic test wire</title><link>https://wire.example/</link><description>synthetic</description>
<item><title>Ankara says S-400 deal is final</title><link>https://wire.example/1</link><guid>wire-1</guid>
<pubDate>Fri, 07 Jun 2019 14:05:00 +0000</pubDate>
<content:encoded><![CDATA[<p>ANKARA (Test Wire) - Turkey's defence minister said the deal was done.</p><p>Second paragraph.</p>]]></content:encoded></item>
<item><title>Bad link</title><link>javascript:alert(1)</link><guid>wire-2</guid></item>
</channel></rss>"""


def test_it_reads_rss_items_with_their_content():
    (entry,) = parse_feed(RSS)
    assert entry.title == "Ankara says S-400 deal is final"
    assert entry.guid == "wire-1"
    assert entry.published.isoformat() == "2019-06-07T14:05:00+00:00"
    assert entry.text.split("\n\n") == [
        "ANKARA (Test Wire) - Turkey's defence minister said the deal was done.",
        "Second paragraph.",
    ]


def test_it_skips_items_whose_link_is_not_http():
    assert [e.url for e in parse_feed(RSS)] == ["https://wire.example/1"]


def test_it_says_an_html_page_is_not_a_feed():
    with pytest.raises(NotAFeed):
        parse_feed(b"<html><body><form>Please log in</form></body></html>")


@pytest.mark.parametrize(
    "content, full",
    [
        ("<p>A complete synthetic brief of two sentences. Nothing more to say.</p>", True),
        ("<p>The synthetic minister said the talks would go on…</p>", False),
        ("<p>The synthetic minister said the talks would go on. Read more</p>", False),
    ],
)
def test_short_inline_content_is_full_text_unless_it_reads_like_an_excerpt(content, full):
    feed = RSS.replace(
        b"<p>ANKARA (Test Wire) - Turkey's defence minister said the deal was done.</p><p>Second paragraph.</p>",
        content.encode(),
    )
    assert parse_feed(feed)[0].has_full_text is full
