"""China's working-day calendar, 调休 included.

Working days come from ``holidays.China``: weekends and statutory holidays
are off, make-up workdays (``weekend_workdays``, e.g. Sunday 2019-09-29) are
on. A pack may add holidays and workdays of its own (a city applying a
year's 放假安排 before ``holidays`` ships it); pack entries win.

Deadlines follow 民法典 第二百零一条: the day of the event is not counted,
counting starts the next day. Lookups are O(log n) over a cumulative count of
working days, extended a year at a time, so national-scale evaluation does
not walk the calendar day by day. The count covers only the years where a
holiday can fall (those ``holidays.China`` knows and those a pack names);
before and after them every Monday to Friday is a working day, counted in
O(1), so a date typed as 2919 or 9999 costs no more than one in 2019, and a
deadline past 9999-12-31 is 9999-12-31.
"""

from __future__ import annotations

import bisect
import copy
import threading
from collections.abc import Iterable
from datetime import date

from holidays.countries.china import China, ChinaStaticHolidays

#: Years for which ``holidays.China`` carries the State Council's 放假安排 (调休 tables).
OFFICIAL_YEARS: frozenset[int] = frozenset(ChinaStaticHolidays.special_public_holidays)


#: ordinals of the first and last day ``date`` can hold
_FIRST, _LAST = date.min.toordinal(), date.max.toordinal()


def _weekdays_before(ordinal: int) -> int:
    """Mondays to Fridays before the day ``ordinal`` (day 1, 0001-01-01, is a Monday)."""
    weeks, days = divmod(ordinal - 1, 7)
    return 5 * weeks + min(days, 5)


def _weekday_number(count: int) -> int:
    """The ordinal of the ``count``-th Monday-to-Friday day since 0001-01-01 (1-based)."""
    weeks, days = divmod(count - 1, 5)
    return 7 * weeks + days + 1


def clamped(ordinal: int) -> date:
    """The day of an ordinal, held within 0001-01-01 and 9999-12-31."""
    return date.fromordinal(min(max(ordinal, _FIRST), _LAST))


def shifted(day: date, days: int) -> date:
    """``day`` moved by ``days``, held within 0001-01-01 and 9999-12-31 (never an OverflowError)."""
    return clamped(day.toordinal() + days)


class _Index:
    """Cumulative working-day counts over the years where holidays can fall, extended a year at
    a time; shared by a calendar's sessions.

    An engine is shared across threads, and its calendars with it: the index
    (and the holiday table it fills, year by year) is read and extended only
    under ``lock``, so a cold start in two threads cannot see half a year.
    """

    def __init__(self, first_year: int, last_year: int) -> None:
        self.lock = threading.RLock()
        self.china = China()  # type: ignore[no-untyped-call]
        self.low = date(first_year, 1, 1).toordinal()  # the years indexed: [low, high)
        self.high = date(last_year, 12, 31).toordinal() + 1
        self.origin: int | None = None  # ordinal of the first day covered by cum
        self.cum: list[int] = [0]  # cum[i] = working days in [origin, origin + i)

    @property
    def end(self) -> int:
        """The ordinal after the last day covered."""
        assert self.origin is not None
        return self.origin + len(self.cum) - 1


class WorkCalendar:
    """Working days in mainland China, with optional pack overrides.

    ``known_years`` are the years whose official schedule is known: those in
    ``holidays.China`` plus any a pack supplies. Answers for other years fall
    back to plain weekends and fixed-date holidays, and the spans of years so
    answered are recorded, so a report can say so once per run of years.
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
        self._spans: set[tuple[int, int]] = set()
        years = [d.year for d in self._extra_holidays | self._extra_workdays]
        self._index = _Index(
            min([China.start_year, *years]), max([China.end_year, *years])
        )

    def session(self) -> WorkCalendar:
        """A calendar sharing this one's (already computed) working-day index, with its own record
        of unknown years.

        An engine keeps one calendar per pack and takes a session per
        evaluation, so repeated evaluations do not recompute holiday tables.
        """
        other = copy.copy(self)
        other._spans = set()
        return other

    # -- single days ---------------------------------------------------
    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (调休 and pack overrides applied)."""
        self._note_years(day.year, day.year)
        return self._is_workday(day)

    def _is_workday(self, day: date) -> bool:
        if day in self._extra_workdays:
            return True
        if day in self._extra_holidays:
            return False
        china = self._index.china
        with self._index.lock:
            if day in china:  # also loads the year, weekend_workdays included
                return False
            if day in china.weekend_workdays:
                return True
        return day.weekday() < 5

    def _note_years(self, first: int, last: int) -> None:
        if first <= last:
            self._spans.add((first, last))

    # -- cumulative index ---------------------------------------------
    def _ensure(self, first: int, last: int) -> None:
        """Index the days ``first`` to ``last`` (ordinals in the indexed years), a year at a
        time."""
        index = self._index
        if index.origin is None:
            index.origin = date.fromordinal(first).replace(month=1, day=1).toordinal()
        if first < index.origin:
            new_origin = date.fromordinal(first).replace(month=1, day=1).toordinal()
            head = [0]
            for ordinal in range(new_origin, index.origin):
                head.append(head[-1] + self._is_workday(date.fromordinal(ordinal)))
            shift = head[-1]
            index.cum = head[:-1] + [c + shift for c in index.cum]
            index.origin = new_origin
        if last >= index.end:
            year_end = date(date.fromordinal(last).year, 12, 31).toordinal()
            cum = index.cum
            for ordinal in range(index.end, year_end + 1):
                cum.append(cum[-1] + self._is_workday(date.fromordinal(ordinal)))

    def _count(self, first: int, stop: int) -> int:
        """Working days among the ordinals [first, stop): Mondays to Fridays outside the index."""
        if stop <= first:
            return 0
        index = self._index
        low, high = index.low, index.high
        outside = (
            _weekdays_before(min(stop, low))
            - _weekdays_before(min(first, low))
            + _weekdays_before(max(stop, high))
            - _weekdays_before(max(first, high))
        )
        inner_first, inner_stop = max(first, index.low), min(stop, index.high)
        if inner_first >= inner_stop:
            return outside
        with index.lock:
            self._ensure(inner_first, inner_stop - 1)
            assert index.origin is not None
            cum, origin = index.cum, index.origin
            return outside + cum[inner_stop - origin] - cum[inner_first - origin]

    # -- public arithmetic --------------------------------------------
    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open span (start, end]: start not counted.

        This is the number of working days that have elapsed after an event on
        ``start`` by the end of ``end``; 0 when ``end <= start``.
        """
        if end <= start:
            return 0
        self._note_years(shifted(start, 1).year, end.year)
        return self._count(start.toordinal() + 1, end.toordinal() + 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The last day of "n 个工作日内" counted from an event on ``start``.

        The start day is not counted (民法典 第二百零一条). With ``n == 0`` the
        answer is ``start`` itself; a deadline past 9999-12-31 is 9999-12-31.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return start
        due = clamped(self._nth_working_day(start.toordinal() + 1, n))
        self._note_years(shifted(start, 1).year, due.year)
        return due

    def _nth_working_day(self, first: int, n: int) -> int:
        """The ordinal of the ``n``-th working day from ``first`` on (maybe past 9999-12-31)."""
        index = self._index
        before = self._count(first, index.low)
        if first < index.low and n <= before:
            return _weekday_number(_weekdays_before(first) + n)
        first, n = max(first, index.low), n - before
        horizon = first + n * 3 + 60
        while first < index.high:  # in the indexed years: bisection, extending as needed
            with index.lock:
                self._ensure(first, min(horizon, index.high - 1))
                assert index.origin is not None
                target = index.cum[first - index.origin] + n
                i = bisect.bisect_left(index.cum, target)
                if i < len(index.cum):
                    return index.origin + i - 1
                if index.end >= index.high:  # past the indexed years: only Mondays to Fridays
                    first, n = index.high, target - index.cum[-1]
                horizon = index.end + 365
        return _weekday_number(_weekdays_before(first) + n)

    def unknown_year_warnings(self) -> list[str]:
        """Chinese warnings, one for every run of years answered without an official schedule."""
        return [
            (f"{first}年" if first == last else f"{first}年至{last}年")
            + "的法定节假日安排（含调休）未知，按周末及固定节日计算工作日，结果可能不准确"
            for first, last in self._unknown_runs()
        ]

    def _unknown_runs(self) -> list[tuple[int, int]]:
        """The years noted and not known, as maximal runs (first, last), in order."""
        runs: list[tuple[int, int]] = []
        for first, last in sorted(self._spans):
            if runs and first <= runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], max(runs[-1][1], last))
            else:
                runs.append((first, last))
        unknown: list[tuple[int, int]] = []
        for first, last in runs:
            for year in sorted(y for y in self.known_years if first <= y <= last) + [last + 1]:
                if first < year:
                    unknown.append((first, year - 1))
                first = year + 1
        return unknown
