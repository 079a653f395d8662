"""Counting events in windows for every account at once, over sorted ``account << 32 | day`` keys.

What the kinds over columns share: the rows and accounts a rule judges, natural and rolling
windows, and event counts found by two binary searches a window. :mod:`.posting`,
:mod:`.dormancy`, :mod:`.replies` and :mod:`.content` are built from these.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from ..periods import Span
from .base import Scope
from .windows import Window, natural_windows, sparse_rolling_windows

if TYPE_CHECKING:
    from ..dataset.columns import ColumnarEvents, EventTable

DAY_BITS = 32
DAY_MASK = (1 << DAY_BITS) - 1


def count(keys: np.ndarray, account: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Events of each account in [start, end] (ordinals), from sorted ``account << 32 | day``
    keys."""
    base = account.astype(np.int64) << DAY_BITS
    return np.searchsorted(keys, base | end, "right") - np.searchsorted(keys, base | start, "left")


def _repeat(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of ``counts`` items: each item's group and its place within the group."""
    group = np.repeat(np.arange(len(counts)), counts)
    place = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return group, place


def _fixed_length(span: Span) -> int | None:
    """The span in days when it is a fixed number of days (days or weeks), else None (months)."""
    if span.weeks is not None:
        return 7 * span.weeks
    return span.days


def judged(events: ColumnarEvents, scope: Scope) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Selected accounts with any active day in the scope's window: their indices, first and last
    days."""
    first, last, any_day = events.active_ranges(scope.since, scope.as_of)
    accounts = np.flatnonzero(any_day & events.selected(scope.selector))
    return accounts, first[accounts], last[accounts]


def in_window(events: ColumnarEvents, table: EventTable, scope: Scope) -> np.ndarray:
    """Rows of ``table`` the rule judges: dated (local day) in its window, on an account it
    applies to. One mask for every kind that judges posts or messages one by one."""
    day = table.day
    selected: np.ndarray = events.selected(scope.selector)[table.account]
    return selected & (day >= scope.since.toordinal()) & (day <= scope.as_of.toordinal())


def natural(
    accounts: np.ndarray, first: np.ndarray, last: np.ndarray, span: Span
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every natural window of ``span`` lying in each account's [first, last]: account, start,
    end."""
    length = _fixed_length(span)
    if length is None:
        rows = [
            (a, s.toordinal(), e.toordinal())
            for a, f, last_day in zip(
                accounts.tolist(), first.tolist(), last.tolist(), strict=False
            )
            for s, e in natural_windows(date.fromordinal(f), date.fromordinal(last_day), span)
        ]
        out = np.array(rows, np.int64).reshape(-1, 3)
        return out[:, 0], out[:, 1], out[:, 2]
    start = first + (
        (7 - (first + 6) % 7) % 7 if span.weeks is not None else 0
    )  # Monday on or after first
    n = np.maximum(0, (last - start + 1) // length)
    group, place = _repeat(n)
    starts = start[group] + place * length
    return accounts[group], starts, starts + length - 1


def rolling(
    keys: np.ndarray,
    accounts: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    span: Span,
    minimum: int,
) -> dict[int, list[Window]]:
    """``sparse_rolling_windows`` of every account at once, over the events' sorted ``keys``
    (:meth:`EventTable.keys`, taken once by the caller and shared with :func:`longest`): account
    → sparse windows in order."""
    length = _fixed_length(span)
    if length is None:
        out = {}
        for a, f, last_day in zip(accounts.tolist(), first.tolist(), last.tolist(), strict=False):
            lo, hi = np.searchsorted(keys, [a << DAY_BITS, (a + 1) << DAY_BITS])
            days = [date.fromordinal(d) for d in (keys[lo:hi] & DAY_MASK).tolist()]
            found = sparse_rolling_windows(
                days, date.fromordinal(f), date.fromordinal(last_day), span, minimum
            )
            if found:
                out[a] = found
        return out
    if len(accounts) == 0:
        return {}
    row_account = keys >> DAY_BITS
    size = max(int(accounts.max()), int(row_account[-1]) if len(keys) else 0) + 1
    where = np.full(size, -1, np.int64)
    where[accounts] = np.arange(len(accounts))
    slot = where[row_account]
    day = keys & DAY_MASK
    f, last_day = first[slot], last[slot]
    inside = (slot >= 0) & (day >= f) & (day <= last_day) & (day + 1 > f)
    candidates = np.concatenate(
        [
            (row_account[inside] << DAY_BITS) | (day[inside] + 1),
            (accounts.astype(np.int64) << DAY_BITS) | first,
        ]
    )
    candidates = np.sort(candidates)
    candidates = candidates[np.r_[True, candidates[1:] != candidates[:-1]]]
    account, start = candidates >> DAY_BITS, candidates & DAY_MASK
    end = start + length - 1
    fits = end <= last[where[account]]
    account, start, end = account[fits], start[fits], end[fits]
    return sparse(account, start, end, count(keys, account, start, end), minimum)


def sparse(
    account: np.ndarray, start: np.ndarray, end: np.ndarray, count: np.ndarray, minimum: int
) -> dict[int, list[Window]]:
    """Windows holding fewer than ``minimum`` events, grouped by account (input sorted by account,
    start)."""
    out: dict[int, list[Window]] = {}
    for a, s, e, c in zip(
        *(x[count < minimum].tolist() for x in (account, start, end, count)), strict=False
    ):
        out.setdefault(a, []).append((date.fromordinal(s), date.fromordinal(e), c))
    return out


def longest(
    keys: np.ndarray,
    found: dict[int, list[Window]],
    last: dict[int, int],
    minimum: int,
) -> dict[int, list[Window]]:
    """Each sparse window of ``found`` stretched as far as it stays sparse: from its start to the
    day before the ``minimum``-th event on or after it (or the account's ``last`` judged day). A
    silent month under a two-week rule is then one month long, not two weeks."""
    out: dict[int, list[Window]] = {}
    for a, windows in found.items():
        lo, hi = np.searchsorted(keys, [a << DAY_BITS, (a + 1) << DAY_BITS])
        days = keys[lo:hi] & DAY_MASK
        stretched = []
        for start, _, events in windows:
            i = int(np.searchsorted(days, start.toordinal(), "left")) + minimum - 1
            end = min(int(days[i]) - 1 if i < len(days) else last[a], last[a])
            stretched.append((start, date.fromordinal(end), events))
        out[a] = stretched
    return out
