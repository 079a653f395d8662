from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govmedia_rules.calendar import OFFICIAL_YEARS, WorkCalendar

CAL = WorkCalendar()


def test_sunday_2019_09_29_was_a_make_up_workday():
    assert date(2019, 9, 29).weekday() == 6
    assert CAL.is_workday(date(2019, 9, 29))
    assert not CAL.is_workday(date(2019, 9, 28))


def test_national_day_week_2019_is_off():
    for day in range(1, 8):
        assert not CAL.is_workday(date(2019, 10, day)), day
    assert CAL.is_workday(date(2019, 10, 8))
    assert CAL.is_workday(date(2019, 10, 12))  # Saturday make-up workday


def test_friday_filing_forwarded_within_one_working_day_is_due_sunday_2019_09_29():
    assert CAL.add_working_days(date(2019, 9, 27), 1) == date(2019, 9, 29)


def test_deadline_running_into_national_day_jumps_the_holiday():
    assert CAL.add_working_days(date(2019, 9, 30), 1) == date(2019, 10, 8)
    assert CAL.add_working_days(date(2019, 9, 27), 3) == date(2019, 10, 8)


def test_start_day_is_not_counted():
    monday = date(2019, 11, 4)
    assert CAL.add_working_days(monday, 1) == date(2019, 11, 5)
    assert CAL.add_working_days(monday, 0) == monday
    assert CAL.working_days_between(monday, monday) == 0
    assert CAL.working_days_between(monday, date(2019, 11, 5)) == 1


def test_working_days_between_across_national_day():
    # after 09-27: 09-29, 09-30, 10-08
    assert CAL.working_days_between(date(2019, 9, 27), date(2019, 10, 8)) == 3


def test_pack_overrides_win():
    cal = WorkCalendar(extra_holidays=[date(2019, 11, 5)], extra_workdays=[date(2019, 11, 9)])
    assert not cal.is_workday(date(2019, 11, 5))
    assert cal.is_workday(date(2019, 11, 9))
    assert cal.add_working_days(date(2019, 11, 4), 1) == date(2019, 11, 6)


def test_override_clash_is_an_error():
    with pytest.raises(ValueError):
        WorkCalendar(extra_holidays=[date(2019, 1, 1)], extra_workdays=[date(2019, 1, 1)])


def test_unknown_year_is_warned_not_silent():
    cal = WorkCalendar()
    assert max(OFFICIAL_YEARS) < 2100
    year = max(OFFICIAL_YEARS) + 1
    cal.add_working_days(date(year, 3, 2), 2)
    assert [w for w in cal.unknown_year_warnings() if str(year) in w]
    known = WorkCalendar()
    known.add_working_days(date(2019, 3, 4), 2)
    assert known.unknown_year_warnings() == []


def test_a_pack_schedule_makes_a_year_known():
    year = max(OFFICIAL_YEARS) + 1
    cal = WorkCalendar(known_years=[year])
    cal.is_workday(date(year, 5, 6))
    assert cal.unknown_year_warnings() == []


def _naive_add(start: date, n: int) -> date:
    day, left = start, n
    while left:
        day += timedelta(1)
        left -= CAL.is_workday(day)
    return day


@given(st.dates(date(2015, 1, 1), date(2026, 6, 30)), st.integers(0, 40))
def test_add_working_days_matches_day_by_day_count(start, n):
    assert CAL.add_working_days(start, n) == _naive_add(start, n)


@given(st.dates(date(2015, 1, 1), date(2026, 6, 30)), st.integers(0, 120))
def test_working_days_between_matches_day_by_day_count(start, span):
    end = start + timedelta(span)
    expected = sum(CAL.is_workday(start + timedelta(i)) for i in range(1, span + 1))
    assert CAL.working_days_between(start, end) == expected


@given(st.dates(date(2015, 1, 1), date(2026, 6, 30)), st.integers(1, 30))
def test_deadline_is_the_nth_working_day(start, n):
    due = CAL.add_working_days(start, n)
    assert CAL.is_workday(due)
    assert CAL.working_days_between(start, due) == n


def test_index_extends_backwards():
    cal = WorkCalendar()
    assert cal.add_working_days(date(2020, 1, 2), 1) == date(2020, 1, 3)
    assert cal.add_working_days(date(2016, 1, 4), 1) == date(2016, 1, 5)
    assert cal.working_days_between(date(2016, 1, 4), date(2020, 1, 3)) == sum(
        cal.is_workday(date(2016, 1, 4) + timedelta(i)) for i in range(1, (date(2020, 1, 3) - date(2016, 1, 4)).days + 1))
