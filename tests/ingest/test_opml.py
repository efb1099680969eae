import pytest

from tracker.ingest.opml import InvalidOPML, Subscription, parse_opml, write_opml


def test_opml_round_trips():
    subs = [Subscription("Wire & Co", "https://wire.example/feed.xml"), Subscription("Brief", "https://b.example/rss")]
    assert parse_opml(write_opml(subs).encode()) == subs


def test_it_refuses_entity_expansion():
    bomb = b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><opml><body/></opml>'
    with pytest.raises(InvalidOPML):
        parse_opml(bomb)


def test_it_refuses_non_http_feed_urls():
    with pytest.raises(InvalidOPML):
        parse_opml(b'<opml><body><outline xmlUrl="file:///etc/passwd"/></body></opml>')
