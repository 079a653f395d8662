"""Spans of time and reporting periods, as packs write them.

A :class:`Span` is how long something may take or last: ``{days: 7}``,
``{weeks: 2}``, ``{months: 6}`` or ``{working_days: 3}``. Natural periods
(week, month, quarter, year) are the calendar units reports are due for.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .calendar import WorkCalendar, shifted


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, held to the month's end (1-31 → 2-28/29) and to years 1-9999."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        return date.max if year > 9999 else date.min
    last = _stdcal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class Span(BaseModel):
    """A length of time: exactly one of days, weeks, months, working_days."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days: int | None = Field(default=None, ge=1)
    weeks: int | None = Field(default=None, ge=1)
    months: int | None = Field(default=None, ge=1)
    working_days: int | None = Field(default=None, ge=0, description="0 means the same day (同步)")

    @model_validator(mode="after")
    def _exactly_one(self) -> Span:
        if sum(v is not None for v in (self.days, self.weeks, self.months, self.working_days)) != 1:
            raise ValueError("days、weeks、months、working_days 必须且只能填写一个")
        return self

    def last_day(self, start: date, calendar: WorkCalendar) -> date:
        """Last day of the span counted from an event on ``start`` (start day excluded)."""
        if self.working_days is not None:
            return calendar.add_working_days(start, self.working_days)
        if self.months is not None:
            return add_months(start, self.months)
        return shifted(start, self.days or 7 * (self.weeks or 0))

    def end_from(self, first: date, calendar: WorkCalendar) -> date:
        """Last day of a span that starts on, and counts, ``first`` itself."""
        if self.working_days is not None:
            return calendar.add_working_days(shifted(first, -1), self.working_days)
        return self.window_end(first)

    def window_end(self, first: date) -> date:
        """Last day of a calendar window of this length that begins on ``first``."""
        if self.months is not None:
            return shifted(add_months(first, self.months), -1)
        if self.working_days is not None:
            raise ValueError("windows are calendar spans, not working days")
        return shifted(first, (self.days or 7 * (self.weeks or 0)) - 1)

    def window_start(self, last: date) -> date:
        """First day of the calendar window of this length that ends on ``last``."""
        if self.months is not None:
            return add_months(shifted(last, 1), -self.months)
        if self.working_days is not None:
            raise ValueError("windows are calendar spans, not working days")
        return shifted(last, 1 - (self.days or 7 * (self.weeks or 0)))

    def describe(self) -> str:
        """The span in Chinese: '2个工作日', '6个月'."""
        if self.working_days is not None:
            return f"{self.working_days}个工作日"
        if self.months is not None:
            return f"{self.months}个月"
        if self.weeks is not None:
            return f"{self.weeks}周"
        return f"{self.days}天"


PeriodUnit = Literal["week", "month", "quarter", "half_year", "year"]
#: months in each period unit but the week (a 7-day unit)
MONTHS_PER = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def period_start(day: date, unit: PeriodUnit) -> date:
    """First day of the natural period containing ``day`` (weeks start Monday)."""
    if unit == "week":
        return day - timedelta(day.weekday())
    months = MONTHS_PER[unit]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def next_period_start(start: date, unit: PeriodUnit) -> date:
    if unit == "week":
        return shifted(start, 7)
    return add_months(start, MONTHS_PER[unit])


def periods(first: date, last: date, unit: PeriodUnit) -> Iterator[tuple[date, date]]:
    """Natural periods (start, end) that overlap [first, last], in order."""
    start = period_start(first, unit)
    while start <= last:
        nxt = next_period_start(start, unit)
        if nxt == date.max:  # no period starts on 9999-12-31 (a Friday): the last is cut there
            yield start, nxt
            return
        yield start, nxt - timedelta(1)
        start = nxt


_QUARTERS = "一二三四"


def period_words(start: date, end: date, unit: PeriodUnit | None) -> str:
    """A period as an office writes it: 2019年第三季度, 2019年第40周（2019-09-30至10-06）."""
    if unit == "week":
        iso = start.isocalendar()
        return f"{iso.year}年第{iso.week}周（{start}至{end:%m-%d}）"
    if unit == "month":
        return f"{start.year}年{start.month}月"
    if unit == "quarter":
        return f"{start.year}年第{_QUARTERS[(start.month - 1) // 3]}季度"
    if unit == "half_year":
        return f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
    return f"{start.year}年度" if unit == "year" else ""


def period_label(start: date, unit: PeriodUnit) -> str:
    """The label reports use for a period: 2019W05, 2019-03, 2019Q3, 2019H2, 2019."""
    if unit == "week":
        iso = start.isocalendar()
        return f"{iso.year}W{iso.week:02d}"
    if unit == "month":
        return f"{start.year}-{start.month:02d}"
    if unit == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if unit == "half_year":
        return f"{start.year}H{(start.month - 1) // 6 + 1}"
    return str(start.year)
