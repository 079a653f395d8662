"""China's working-day calendar, 调休 included.

Working days come from ``holidays.China``: weekends and statutory holidays
are off, make-up workdays (``weekend_workdays``, e.g. Sunday 2019-09-29) are
on. A pack may add holidays and workdays of its own (a city applying a
year's 放假安排 before ``holidays`` ships it); pack entries win.

Deadlines follow 民法典 第二百零一条: the day of the event is not counted,
counting starts the next day. Lookups are O(log n) over a cumulative count of
working days, extended a year at a time, so national-scale evaluation does
not walk the calendar day by day.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Iterable
from datetime import date, timedelta

import holidays
from holidays.countries.china import ChinaStaticHolidays

#: Years for which ``holidays.China`` carries the State Council's 放假安排 (调休 tables).
OFFICIAL_YEARS: frozenset[int] = frozenset(ChinaStaticHolidays.special_public_holidays)


class _Index:
    """Cumulative working-day counts, extended a year at a time; shared by a calendar's sessions."""

    def __init__(self) -> None:
        self.china = holidays.China()
        self.origin: date | None = None  # first day covered by cum
        self.cum: list[int] = [0]  # cum[i] = working days in [origin, origin + i)


class WorkCalendar:
    """Working days in mainland China, with optional pack overrides.

    ``known_years`` are the years whose official schedule is known: those in
    ``holidays.China`` plus any a pack supplies. Answers for other years fall
    back to plain weekends and fixed-date holidays and are recorded in
    :attr:`unknown_years_used`, so a report can say so.
    """

    def __init__(
        self,
        *,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        known_years: Iterable[int] = (),
    ) -> None:
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)
        clash = self._extra_holidays & self._extra_workdays
        if clash:
            raise ValueError(f"同一天既是假日又是调休工作日：{sorted(clash)}")
        self.known_years = OFFICIAL_YEARS | frozenset(known_years)
        self.unknown_years_used: set[int] = set()
        self._index = _Index()

    def session(self) -> WorkCalendar:
        """A calendar sharing this one's (already computed) working-day index, with its own record of unknown years.

        An engine keeps one calendar per pack and takes a session per
        evaluation, so repeated evaluations do not recompute holiday tables.
        """
        other = copy.copy(self)
        other.unknown_years_used = set()
        return other

    # -- single days ---------------------------------------------------
    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (调休 and pack overrides applied)."""
        self._note_years(day, day)
        return self._is_workday(day)

    def _is_workday(self, day: date) -> bool:
        if day in self._extra_workdays:
            return True
        if day in self._extra_holidays:
            return False
        china = self._index.china
        if day in china:  # also loads the year, weekend_workdays included
            return False
        if day in china.weekend_workdays:
            return True
        return day.weekday() < 5

    def _note_years(self, first: date, last: date) -> None:
        for year in range(first.year, last.year + 1):
            if year not in self.known_years:
                self.unknown_years_used.add(year)

    # -- cumulative index ---------------------------------------------
    def _ensure(self, first: date, last: date) -> None:
        if self._index.origin is None:
            self._index.origin = date(first.year, 1, 1)
            self._extend_to(date(last.year, 12, 31))
            return
        if first < self._index.origin:
            new_origin = date(first.year, 1, 1)
            days = (self._index.origin - new_origin).days
            head = [0]
            for i in range(days):
                head.append(head[-1] + self._is_workday(new_origin + timedelta(i)))
            shift = head[-1]
            self._index.cum = head[:-1] + [c + shift for c in self._index.cum]
            self._index.origin = new_origin
        end = self._index.origin + timedelta(len(self._index.cum) - 1)
        if last >= end:
            self._extend_to(date(last.year, 12, 31))

    def _extend_to(self, last: date) -> None:
        assert self._index.origin is not None
        day = self._index.origin + timedelta(len(self._index.cum) - 1)
        cum = self._index.cum
        while day <= last:
            cum.append(cum[-1] + self._is_workday(day))
            day += timedelta(1)

    def _count_before(self, day: date) -> int:
        """Working days in [origin, day)."""
        assert self._index.origin is not None
        return self._index.cum[(day - self._index.origin).days]

    # -- public arithmetic --------------------------------------------
    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open span (start, end]: start not counted.

        This is the number of working days that have elapsed after an event on
        ``start`` by the end of ``end``; 0 when ``end <= start``.
        """
        if end <= start:
            return 0
        self._ensure(start, end + timedelta(1))
        self._note_years(start + timedelta(1), end)
        return self._count_before(end + timedelta(1)) - self._count_before(start + timedelta(1))

    def add_working_days(self, start: date, n: int) -> date:
        """The last day of "n 个工作日内" counted from an event on ``start``.

        The start day is not counted (民法典 第二百零一条). With ``n == 0`` the
        answer is ``start`` itself.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return start
        horizon = start + timedelta(n * 3 + 60)
        self._ensure(start, horizon)
        target = self._count_before(start + timedelta(1)) + n
        # smallest index i with _cum[i] >= target; the day is origin + i - 1
        i = bisect.bisect_left(self._index.cum, target)
        while i >= len(self._index.cum):  # a very long holiday run: extend and retry
            self._extend_to(self._index.origin + timedelta(len(self._index.cum) + 365))  # type: ignore[operator]
            i = bisect.bisect_left(self._index.cum, target)
        due = self._index.origin + timedelta(i - 1)  # type: ignore[operator]
        self._note_years(start + timedelta(1), due)
        return due

    def unknown_year_warnings(self) -> list[str]:
        """Chinese warnings for every year answered without an official schedule."""
        return [
            f"{year}年的法定节假日安排（含调休）未知，该年按周末及固定节日计算工作日，结果可能不准确"
            for year in sorted(self.unknown_years_used)
        ]
