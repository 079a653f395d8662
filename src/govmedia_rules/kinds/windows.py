"""Counting events in windows of time: the shared core of frequency rules.

Both functions take the sorted local dates of events and the span
[first, last] over which the rule is judged, and return the windows that
hold fewer than ``minimum`` events. Only windows lying wholly inside the span
are judged, so an account opened mid-week is not blamed for that week.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, timedelta

from ..calendar import shifted
from ..periods import Span, add_months

Window = tuple[date, date, int]  # start, end, events counted


def natural_windows(first: date, last: date, span: Span) -> list[tuple[date, date]]:
    """Consecutive windows of ``span``: weeks from the Monday on or after ``first``,
    months from the first of a month on or after ``first``; days from ``first``."""
    if span.months is not None:
        start = first if first.day == 1 else add_months(first.replace(day=1), 1)
    elif span.weeks is not None:
        start = shifted(first, (7 - first.weekday()) % 7)
    else:
        start = first
    out: list[tuple[date, date]] = []
    while True:
        end = span.window_end(start)
        if end > last or end == date.max:  # a window reaching 9999-12-31 may be cut: not judged
            return out
        out.append((start, end))
        start = end + timedelta(1)


def sparse_rolling_windows(
    days: Sequence[date], first: date, last: date, span: Span, minimum: int
) -> list[Window]:
    """Rolling windows of ``span`` in [first, last] holding fewer than ``minimum`` events.

    The count of a window only drops just after an event leaves it, so the
    candidate starts are ``first`` and each event day + 1; a window starting
    on any other day holds at least as many events as the candidate before it.
    Returns one window per sparse candidate start, in order.
    """
    lo = bisect.bisect_left(days, first)
    hi = bisect.bisect_right(days, last)
    inside = days[lo:hi]
    starts = [first] + sorted({shifted(d, 1) for d in inside if shifted(d, 1) > first})
    out = []
    for start in starts:
        end = span.window_end(start)
        if end > last or end == date.max:
            break
        count = bisect.bisect_right(inside, end) - bisect.bisect_left(inside, start)
        if count < minimum:
            out.append((start, end, count))
    return out


def stretches(windows: list[Window]) -> list[tuple[date, date]]:
    """Windows (in order of start) that overlap or touch, merged: the stretches of time they cover.
    Rolling windows of two weeks over a silent month are many windows but one stretch."""
    out: list[tuple[date, date]] = []
    for start, end, _ in windows:
        if out and start <= shifted(out[-1][1], 1):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def describe_stretches(windows: list[Window], limit: int = 3) -> str:
    """'2019-03-01至2019-04-10（共41天）、…': how long each stretch really lasted."""
    parts = stretches(windows)
    shown = "、".join(f"{s}至{e}（共{(e - s).days + 1}天）" for s, e in parts[:limit])
    return shown + ("等" if len(parts) > limit else "")


def describe_windows(windows: list[Window], limit: int = 3) -> str:
    """'2019-08-05至2019-08-11（0次）、…' for the first few windows."""
    shown = "、".join(f"{s}至{e}（{c}次）" for s, e, c in windows[:limit])
    return shown + ("等" if len(windows) > limit else "")
