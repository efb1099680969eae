"""Pure shaping of chart data and search snippets (no database)."""

from __future__ import annotations

from datetime import date

from dashboard import charts
from dashboard.search import START, STOP, mark_snippet, mark_words


def test_weeks_are_dense_and_start_on_mondays():
    weeks = charts.week_range(date(2021, 3, 3), date(2021, 3, 17))
    assert weeks == [date(2021, 3, 1), date(2021, 3, 8), date(2021, 3, 15)]


def test_the_dispute_timeline_fills_empty_weeks_and_splits_by_side():
    series = charts.dispute_timeline(
        article_rows=[(date(2021, 3, 1), 2), (date(2021, 3, 15), 1)],
        # (week, side, statements, statements weighted by stance): two escalating, one conciliatory.
        side_rows=[(date(2021, 3, 1), "buyer", 2, 2), (date(2021, 3, 15), "", 1, -1)],
        speaker_rows=[(7, "Ilsa Marden", date(2021, 3, 1), 2)],
        sides=["buyer", "supplier"],
    )
    assert series["weeks"] == ["2021-03-01", "2021-03-08", "2021-03-15"]
    assert series["articles"] == [2, 0, 1]
    assert series["statements"] == [2, 0, 1]
    assert [s["label"] for s in series["sides"]] == ["buyer", charts.OTHER_SIDE]
    assert series["tone"][0] == {"label": "buyer", "data": [1.0]}
    assert series["speakers"] == [{"label": "Ilsa Marden", "data": [2, 0, 0]}]


def test_an_empty_dispute_has_empty_series():
    series = charts.dispute_timeline(article_rows=[], side_rows=[], speaker_rows=[], sides=[])
    assert series["weeks"] == [] and series["tone"] == []


def test_a_sparkline_is_drawn_from_numbers_only():
    spark = charts.sparkline([0, 2, 4], width=30, height=10)
    assert spark["total"] == 6 and spark["peak"] == 4
    assert spark["path"].count("M") == 2
    assert set(spark["path"]) <= set("0123456789.MVhZ -")


def test_snippets_escape_the_text_and_mark_only_the_markers():
    html = mark_snippet(f"<script>x</script> said {START}penalties{STOP} & more")
    assert html == "&lt;script&gt;x&lt;/script&gt; said <mark>penalties</mark> &amp; more"


def test_unbalanced_markers_from_the_text_cannot_break_out():
    assert mark_snippet(f"{STOP}a{START}b") == "a<mark>b</mark>"


def test_the_fallback_marks_words_case_insensitively():
    assert mark_words("Penalties would follow", "penalties") == f"{START}Penalties{STOP} would follow"
