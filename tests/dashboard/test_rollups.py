"""The daily roll-ups the charts read: refreshed per article, rebuilt from scratch, the same either way."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Sum

from tracker.models import DailyCount, Statement
from tracker.services.rollups import rollups_rebuild, rollups_refresh_days, rollups_refresh_for_article

pytestmark = pytest.mark.django_db
Grain = DailyCount.Grain


def _snapshot():
    return sorted(
        DailyCount.objects.values_list(
            "grain", "day", "dispute_id", "source_id", "actor_id", "system_id", "side", "stance", "count"
        )
    )


def test_it_counts_statements_by_side_through_the_speakers_affiliation(world):
    rows = dict(
        DailyCount.objects.filter(grain=Grain.DISPUTE_SIDE_STATEMENTS).values_list("side").annotate(n=Sum("count"))
    )
    # The minister speaks for the buyer through her affiliation; Borel is a party itself.
    assert rows == {"buyer": 3, "supplier": 1}


def test_refreshing_an_article_changes_only_what_it_touches(world):
    before = _snapshot()
    rollups_refresh_for_article(article_id=world.articles[0].pk)
    assert _snapshot() == before


def test_a_refresh_picks_up_a_new_statement(world):
    Statement.objects.filter(pk=world.statements[1].pk).update(stance="escalating")
    rollups_refresh_for_article(article_id=world.articles[1].pk)
    escalating = DailyCount.objects.filter(
        grain=Grain.DISPUTE_SIDE_STATEMENTS, side="supplier", stance="escalating", day=date(2021, 3, 10)
    )
    assert escalating.get().count == 1


def test_rejected_statements_are_not_counted(world):
    Statement.objects.filter(pk=world.statements[2].pk).update(review=Statement.Review.REJECTED)
    rollups_refresh_days(days=[date(2021, 4, 2)])
    assert not DailyCount.objects.filter(grain=Grain.SPEAKER_STATEMENTS, day=date(2021, 4, 2)).exists()


def test_a_rebuild_gives_the_same_rows_as_refreshing_every_day(world):
    rebuilt = _snapshot()
    DailyCount.objects.all().delete()
    rollups_refresh_days(days=[date(2021, 3, 3), date(2021, 3, 10), date(2021, 4, 2), date(2021, 4, 5)])
    assert _snapshot() == rebuilt
    assert rollups_rebuild() == len(rebuilt)


def test_weekly_rows_hold_the_sum_of_their_days_after_a_refresh(world):
    Statement.objects.filter(pk=world.statements[1].pk).update(stance="escalating")
    rollups_refresh_for_article(article_id=world.articles[1].pk)
    for weekly, daily in (
        (Grain.WEEK_DISPUTE_ARTICLES, Grain.DISPUTE_ARTICLES),
        (Grain.WEEK_DISPUTE_SIDE_STATEMENTS, Grain.DISPUTE_SIDE_STATEMENTS),
        (Grain.WEEK_DISPUTE_SPEAKER_STATEMENTS, Grain.DISPUTE_SPEAKER_STATEMENTS),
    ):
        days = DailyCount.objects.filter(grain=daily)
        assert days.exists()
        expected: dict = {}
        for row in days.values("day", "dispute_id", "actor_id", "side", "stance", "count"):
            monday = date.fromordinal(row["day"].toordinal() - row["day"].weekday())
            dims = (monday, row["dispute_id"])
            if weekly == Grain.WEEK_DISPUTE_SIDE_STATEMENTS:
                dims += (row["side"], row["stance"])
            if weekly == Grain.WEEK_DISPUTE_SPEAKER_STATEMENTS:
                dims += (row["actor_id"],)
            expected[dims] = expected.get(dims, 0) + row["count"]
        got: dict = {}
        for row in DailyCount.objects.filter(grain=weekly).values(
            "day", "dispute_id", "actor_id", "side", "stance", "count"
        ):
            dims = (row["day"], row["dispute_id"])
            if weekly == Grain.WEEK_DISPUTE_SIDE_STATEMENTS:
                dims += (row["side"], row["stance"])
            if weekly == Grain.WEEK_DISPUTE_SPEAKER_STATEMENTS:
                dims += (row["actor_id"],)
            got[dims] = row["count"]
        assert got == expected, weekly
