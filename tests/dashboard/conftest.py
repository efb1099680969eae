"""A small synthetic world for the dashboard tests: one dispute, two sides, a few articles
and statements, one of them hostile. All text is invented for the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache

from dashboard.cache import clear_local
from dashboard.refresh import forget_noted
from tests.factories import ActorFactory, ArticleFactory, DisputeFactory, SourceFactory
from tracker.models import (
    ActorAlias,
    ActorMention,
    ArticleDispute,
    DisputeParty,
    Event,
    Statement,
    StatementReport,
    SystemMention,
    WeaponsSystem,
)
from tracker.services.rollups import rollups_rebuild

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@dataclass
class World:
    dispute: object
    buyer: object
    supplier: object
    minister: object
    system: object
    source: object
    articles: list
    statements: list
    hostile_article: object
    hostile_statement: object


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # Page bodies and roll-up data are cached by data version, and ids can repeat between
    # tests: each test starts with an empty local-memory cache (never a shared Redis
    # database, which clearing would flush for everyone).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    settings.PAGE_REFRESH = False  # on only in the refresher's own tests
    cache.clear()
    clear_local()
    forget_noted()
    yield
    cache.clear()
    clear_local()
    forget_noted()


def _statement(article, speaker, text, *, stance, said_on, kind=Statement.Kind.DIRECT, dispute, system=None):
    start = article.text.index(text)
    statement = Statement.objects.create(
        speaker=speaker,
        speaker_text=speaker.name if speaker else "an official",
        text=text,
        kind=kind,
        article=article,
        start=start,
        end=start + len(text),
        said_on=said_on,
        first_reported_at=article.published_at,
        stance=stance,
        fingerprint=f"fp-{article.pk}-{start}",
    )
    StatementReport.objects.create(statement=statement, article=article, start=start, end=statement.end)
    statement.disputes.add(dispute)
    if system:
        statement.systems.add(system)
    return statement


@pytest.fixture
def world(db) -> World:
    """Build the test world and its roll-ups (synthetic text written for these tests)."""
    dispute = DisputeFactory(slug="synthetic-sam-deal", name="Synthetic SAM deal", summary="An invented dispute.")
    buyer = ActorFactory(slug="republic-of-aster", name="Republic of Aster", kind="state")
    supplier = ActorFactory(slug="federation-of-borel", name="Federation of Borel", kind="state")
    minister = ActorFactory(slug="ilsa-marden", name="Ilsa Marden", role="defence minister", affiliation=buyer)
    ActorAlias.objects.create(actor=minister, text='<b onmouseover="window.__pwned=3">Marden</b>')
    DisputeParty.objects.create(dispute=dispute, actor=buyer, side="buyer")
    DisputeParty.objects.create(dispute=dispute, actor=supplier, side="supplier")
    system = WeaponsSystem.objects.create(slug="sx-9", name="SX-9")
    dispute.systems.add(system)
    Event.objects.create(dispute=dispute, date=date(2021, 3, 1), kind="deal", title="Synthetic contract signed")
    source = SourceFactory(name="Synthetic Wire")
    texts = [
        "Synthetic report. “We will take delivery of the SX-9 on time,” Ilsa Marden said. The talks went on.",
        "Synthetic report. Officials from Borel said that they were ready for a compromise on the SX-9.",
        "Synthetic report. “Penalties would follow,” Ilsa Marden warned reporters.\n\nA second paragraph follows.",
    ]
    days = [date(2021, 3, 3), date(2021, 3, 10), date(2021, 4, 2)]
    articles = []
    for n, (text, day) in enumerate(zip(texts, days, strict=True)):
        article = ArticleFactory(
            source=source,
            title=f"Synthetic story {n} about the SX-9",
            text=text,
            published_at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
        )
        ArticleDispute.objects.create(article=article, dispute=dispute, score=0.9)
        SystemMention.objects.create(
            article=article,
            system=system,
            count=1,
            offsets=[[text.index("SX-9"), text.index("SX-9") + 4]] if "SX-9" in text else [],
        )
        if "Ilsa Marden" in text:
            start = text.index("Ilsa Marden")
            ActorMention.objects.create(article=article, actor=minister, count=1, offsets=[[start, start + 11]])
        articles.append(article)
    statements = [
        _statement(
            articles[0],
            minister,
            "We will take delivery of the SX-9 on time",
            stance="neutral",
            said_on=days[0],
            dispute=dispute,
            system=system,
        ),
        _statement(
            articles[1],
            supplier,
            "they were ready for a compromise on the SX-9",
            stance="conciliatory",
            said_on=days[1],
            kind=Statement.Kind.REPORTED,
            dispute=dispute,
        ),
        _statement(
            articles[2], minister, "Penalties would follow", stance="escalating", said_on=days[2], dispute=dispute
        ),
    ]
    hostile_text = f"Synthetic hostile item. “{HOSTILE} is what they sent,” Ilsa Marden said."
    hostile_source = SourceFactory(name=f"Feed {HOSTILE}", url="javascript:window.__pwned=5", last_error=HOSTILE)
    hostile_article = ArticleFactory(
        source=hostile_source,
        title=f"Hostile {HOSTILE} headline",
        url="javascript:window.__pwned=4",
        text=hostile_text,
        published_at=datetime(2021, 4, 5, 9, tzinfo=UTC),
    )
    ArticleDispute.objects.create(article=hostile_article, dispute=dispute, score=0.5)
    hostile_statement = _statement(
        hostile_article,
        minister,
        f"{HOSTILE} is what they sent",
        stance="escalating",
        said_on=date(2021, 4, 5),
        dispute=dispute,
    )
    rollups_rebuild()
    return World(
        dispute, buyer, supplier, minister, system, source, articles, statements, hostile_article, hostile_statement
    )
