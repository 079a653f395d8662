"""The period a bulletin covers, named as offices name it: 2019Q3, 2019-07, 2019H2, 2019.

A bulletin is asked for by its period's name and compared with the periods
before it; the builder and every format that prints the period read it here.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..periods import MONTHS_PER, PeriodUnit, add_months, next_period_start


def parse_period(text: str) -> tuple[date, date, PeriodUnit]:
    """'2019Q3', '2019-07', '2019H2' or '2019' → (first day, last day, unit)."""
    if m := re.fullmatch(r"(\d{4})Q([1-4])", text):
        start, unit = date(int(m[1]), 3 * int(m[2]) - 2, 1), "quarter"
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"月份无效：{text}")
        start, unit = date(int(m[1]), int(m[2]), 1), "month"
    elif m := re.fullmatch(r"(\d{4})H([12])", text):
        start, unit = date(int(m[1]), 6 * int(m[2]) - 5, 1), "half_year"
    elif re.fullmatch(r"\d{4}", text):
        start, unit = date(int(text), 1, 1), "year"
    else:
        raise ValueError(f"无法识别的期间 {text!r}（应为 2019Q3、2019-07、2019H2 或 2019）")
    period: PeriodUnit = unit  # type: ignore[assignment]  # one of the five, by the match above
    return start, next_period_start(start, period) - timedelta(1), period


def previous_periods(start: date, unit: PeriodUnit, count: int) -> list[tuple[date, date]]:
    """The ``count`` periods before the one starting on ``start``, oldest first."""
    months = MONTHS_PER[unit]
    out = []
    for back in range(count, 0, -1):
        first = add_months(start, -months * back)
        out.append((first, add_months(first, months) - timedelta(1)))
    return out
