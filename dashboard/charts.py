"""Shape roll-up rows into the series the page scripts hand to Chart.js (pure functions).

Charts use a category axis of dense week (or month) labels, "YYYY-MM-DD" strings, so
the pages need no date adapter; every value here is a plain number or string, handed
to the browser through json_script and drawn on a canvas.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

OTHER_SIDE = "unaligned"
STANCE_WEIGHT = {"escalating": 1, "conciliatory": -1, "neutral": 0}


def week_start(day: date | datetime) -> date:
    """Return the Monday of day's week."""
    if isinstance(day, datetime):
        day = day.date()
    return day - timedelta(days=day.weekday())


def month_start(day: date | datetime) -> date:
    """Return the first day of day's month."""
    if isinstance(day, datetime):
        day = day.date()
    return day.replace(day=1)


def weekly_series(rows: Iterable[tuple[date | datetime, int]]) -> list[dict]:
    """Return [{"x": "YYYY-MM-DD", "y": n}] per week, weeks summed, sorted by date."""
    totals: dict[date, int] = {}
    for day, count in rows:
        if day is None:
            continue
        week = week_start(day)
        totals[week] = totals.get(week, 0) + count
    return [{"x": week.isoformat(), "y": totals[week]} for week in sorted(totals)]


def week_range(first: date, last: date) -> list[date]:
    """Return every Monday from first's week to last's week, inclusive."""
    week, end = week_start(first), week_start(last)
    weeks = []
    while week <= end:
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def month_range(first: date, last: date) -> list[date]:
    """Return the first day of every month from first's month to last's, inclusive."""
    month, end = month_start(first), month_start(last)
    months = []
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def dense(totals: dict[date, int], periods: Sequence[date]) -> list[int]:
    """Return the totals in period order, zero where a period has none."""
    return [totals.get(period, 0) for period in periods]


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def dispute_timeline(
    *,
    article_rows: Iterable[tuple[date, int]],
    side_rows: Iterable[tuple[date, str, int, int]],
    speaker_rows: Iterable[tuple[int, str, date, int]],
    sides: Sequence[str],
) -> dict:
    """Build the dispute page's chart data from weekly roll-up rows (milestones are added by the view).

    article_rows: (week, n); side_rows: (week, side, n, net), net being the statements
    weighted by stance (STANCE_WEIGHT: escalating +1, conciliatory −1), summed in SQL;
    speaker_rows: (actor id, actor name, week, n) for the top speakers.
    """
    articles: dict[date, int] = defaultdict(int)
    for week, n in article_rows:
        articles[_as_date(week)] += n
    statements: dict[date, int] = defaultdict(int)
    by_side: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    tone: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for week, side, n, net in side_rows:
        week = _as_date(week)
        side = side or OTHER_SIDE
        statements[week] += n
        by_side[side][week] += n
        month = month_start(week)
        tone[side][month][0] += net
        tone[side][month][1] += n
    speakers: dict[int, dict] = {}
    for actor_id, name, week, n in speaker_rows:
        entry = speakers.setdefault(actor_id, {"label": name, "total": 0, "weeks": defaultdict(int)})
        entry["weeks"][_as_date(week)] += n
        entry["total"] += n
    known = [*articles, *statements]
    if not known:
        return {
            "weeks": [],
            "articles": [],
            "statements": [],
            "sides": [],
            "speakers": [],
            "months": [],
            "tone": [],
        }
    weeks = week_range(min(known), max(known))
    months = month_range(weeks[0], weeks[-1])
    side_order = [s for s in sides if s in by_side] + sorted(s for s in by_side if s not in sides)
    ranked = sorted(speakers.values(), key=lambda e: (-e["total"], e["label"]))
    return {
        "weeks": [w.isoformat() for w in weeks],
        "articles": dense(articles, weeks),
        "statements": dense(statements, weeks),
        "sides": [{"label": side, "data": dense(by_side[side], weeks)} for side in side_order],
        "speakers": [{"label": e["label"], "data": dense(e["weeks"], weeks)} for e in ranked],
        "months": [m.isoformat() for m in months],
        "tone": [{"label": side, "data": [_net_tone(tone[side].get(m)) for m in months]} for side in side_order],
    }


def _net_tone(cell: list[int] | None) -> float | None:
    """Return (escalating − conciliatory) / statements, from −1 to 1; None for an empty month."""
    if not cell or not cell[1]:
        return None
    return round(cell[0] / cell[1], 3)


def milestone_markers(events: Iterable) -> list[dict]:
    """Return the milestones as {"x": week label, "date", "label", "kind"} for the annotation markers."""
    return [
        {"x": week_start(e.date).isoformat(), "date": e.date.isoformat(), "label": e.title, "kind": e.kind}
        for e in events
    ]


def monthly_by_key(rows: Iterable[tuple[date, str, int]], keys: Sequence[str]) -> dict:
    """Return {"months": [...], "series": [{"label": key, "data": [...]}]} from (month, key, n) rows."""
    totals: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for month, key, n in rows:
        totals[key][month_start(_as_date(month))] += n
    seen = [m for per_key in totals.values() for m in per_key]
    if not seen:
        return {"months": [], "series": []}
    months = month_range(min(seen), max(seen))
    return {
        "months": [m.isoformat() for m in months],
        "series": [{"label": key, "data": dense(totals[key], months)} for key in keys if key in totals],
    }


def sparkline(values: Sequence[int], *, width: int = 240, height: int = 40, gap: float = 1) -> dict:
    """Return a small bar chart as one SVG path ("d" attribute), drawn from numbers only."""
    count = len(values)
    peak = max(values, default=0)
    path = []
    if count and peak:
        step = width / count
        bar = max(step - gap, 0.5)
        for index, value in enumerate(values):
            if value:
                top = height - max(1.0, value / peak * (height - 2))
                path.append(f"M{index * step:.1f} {height}V{top:.1f}h{bar:.1f}V{height}Z")
    return {"width": width, "height": height, "path": "".join(path), "peak": peak, "total": sum(values)}
