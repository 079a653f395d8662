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


EDGES = st.one_of(st.dates(date(1, 1, 1), date(1, 3, 1)), st.dates(date(1945, 1, 1), date(1955, 12, 31)),
                  st.dates(date(2095, 1, 1), date(2105, 12, 31)), st.dates(date(9999, 10, 1), date(9999, 12, 31)))


@given(EDGES, st.integers(0, 60))
def test_counts_agree_with_the_day_by_day_calendar_across_the_indexed_years(start, span):
    end = min(start.toordinal() + span, date.max.toordinal())
    expected = sum(CAL.is_workday(date.fromordinal(d)) for d in range(start.toordinal() + 1, end + 1))
    assert CAL.working_days_between(start, date.fromordinal(end)) == expected


@given(EDGES, st.integers(0, 40))
def test_deadlines_agree_with_the_day_by_day_calendar_and_stop_at_9999(start, n):
    day, left = start, n
    while left and day < date.max:
        day += timedelta(1)
        left -= CAL.is_workday(day)
    assert CAL.add_working_days(start, n) == day


def test_extreme_dates_cost_no_more_than_ordinary_ones_and_warn_once_per_run_of_years():
    import time

    cal = WorkCalendar()
    began = time.perf_counter()
    assert cal.working_days_between(date(2019, 5, 6), date(9999, 12, 31)) > 2_000_000
    assert cal.working_days_between(date(1, 1, 1), date(2019, 5, 6)) > 500_000
    assert cal.add_working_days(date(9999, 12, 30), 5) == date.max
    assert cal.add_working_days(date(2919, 5, 6), 3) == date(2919, 5, 10)  # a Saturday: Monday to Wednesday
    assert time.perf_counter() - began < 2
    warnings = cal.unknown_year_warnings()
    assert len(warnings) == 2, warnings  # 1-2000 and 2027-9999
    assert warnings[0].startswith("1年至2000年") and warnings[-1].startswith(f"{max(OFFICIAL_YEARS) + 1}年至9999年")


def test_a_pack_schedule_far_ahead_is_counted_exactly():
    cal = WorkCalendar(extra_holidays=[date(2300, 5, 7)], known_years=[2300])  # a Monday
    assert not cal.is_workday(date(2300, 5, 7))
    assert cal.add_working_days(date(2300, 5, 4), 1) == date(2300, 5, 8)  # Friday: the next is Tuesday
    assert cal.working_days_between(date(2300, 5, 4), date(2300, 5, 11)) == 4
    assert cal.unknown_year_warnings() == []
