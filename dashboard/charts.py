"""Shape query rows into the series the page scripts hand to Chart.js."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta


def week_start(day: date | datetime) -> date:
    """Return the Monday of day's week."""
    if isinstance(day, datetime):
        day = day.date()
    return day - timedelta(days=day.weekday())


def weekly_series(rows: Iterable[tuple[date | datetime, int]]) -> list[dict]:
    """Return [{"x": "YYYY-MM-DD", "y": n}] per week, weeks summed, sorted by date."""
    totals: dict[date, int] = {}
    for day, count in rows:
        if day is None:
            continue
        week = week_start(day)
        totals[week] = totals.get(week, 0) + count
    return [{"x": week.isoformat(), "y": totals[week]} for week in sorted(totals)]


def milestone_markers(events: Iterable) -> list[dict]:
    """Return the milestones as {"x", "label", "kind"} for the chart's annotation markers."""
    return [{"x": e.date.isoformat(), "label": e.title, "kind": e.kind} for e in events]
