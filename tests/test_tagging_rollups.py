"""Tagging keeps the dashboard's daily roll-ups true, also when a re-tag drops a statement."""

from datetime import UTC, date, datetime

import pytest
from django.db.models import Sum

from tracker import services
from tracker.models import Article, DailyCount

pytestmark = pytest.mark.django_db

QUOTED = (
    "ANKARA (Test Wire) - Turkey will keep the S-400 systems it bought from Russia, Defence Minister "
    'Hulusi Akar said on Wednesday.\n\n"The S-400 purchase is a done deal and the F-35 question must be settled '
    'between allies," Akar told reporters in Ankara.\n\nThis is a synthetic article written for a test.'
)


def _speaker_statements(day):
    rows = DailyCount.objects.filter(grain=DailyCount.Grain.SPEAKER_STATEMENTS, day=day, actor__slug="hulusi-akar")
    return rows.aggregate(n=Sum("count"))["n"] or 0


def test_a_retag_that_drops_a_statement_removes_it_from_the_charts():
    services.reference_load()
    article, _ = services.article_upsert(
        source=None,
        url="https://wire.example/akar-s400",
        title="Akar says the S-400 deal is done",
        text=QUOTED,
        published=datetime(2019, 6, 7, 12, tzinfo=UTC),
    )
    services.article_tag(article_id=article.pk)
    assert _speaker_statements(date(2019, 6, 5)) >= 1

    Article.objects.filter(pk=article.pk).update(
        title="Withdrawn", text="The story was withdrawn. This is a synthetic test text."
    )
    services.article_tag(article_id=article.pk)
    assert _speaker_statements(date(2019, 6, 5)) == 0
