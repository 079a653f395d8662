"""The activity kinds, written once over columns, against slow day-by-day oracles.

Each oracle walks the calendar one day at a time over plain record dicts —
no arrays, no binary search — and says which accounts or messages the rule
must report; the engine (whatever the input's form) must report exactly those.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia_rules import Engine
from govmedia_rules.calendar import WorkCalendar
from govmedia_rules.periods import Span
from govmedia_rules.testing import histories, one_rule_pack

from .conftest import REGISTRY

SINCE, AS_OF = date(2019, 3, 1), date(2019, 11, 30)
HISTORIES = histories(start=date(2019, 1, 1), end=date(2019, 12, 31), max_accounts=3, max_events=30,
                      details=True)


def _findings(kind: str, params: dict, records: list[dict], since: date = SINCE, as_of: date = AS_OF):
    engine = Engine([one_rule_pack(kind, params)], registry=REGISTRY)
    return engine.evaluate(records, since=since, as_of=as_of, complete=["all"]).findings


def _day(text: str | None) -> date | None:
    return None if text is None else datetime.fromisoformat(text).date()


def _active(account: dict, since: date, as_of: date) -> tuple[date, date] | None:
    """The days in [since, as_of] on which the account existed, walked from its record."""
    opened, closed = _day(account.get("opened_on")), _day(account.get("closed_on"))
    days = [d for d in _days(since, as_of) if (opened is None or d >= opened) and (closed is None or d < closed)]
    if not days or (closed is None and account.get("status") == "closed"):
        return None
    return days[0], days[-1]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(i) for i in range((last - first).days + 1)]


def _posted(records: list[dict], account: str, *, column: str | None = None) -> list[date]:
    return [_day(r["published_at"]) for r in records if r["type"] == "post" and r["account_id"] == account
            and (column is None or r.get("column") == column)]


@settings(max_examples=25)
@given(records=HISTORIES, weeks=st.integers(1, 2), minimum=st.integers(1, 3))
def test_weekly_windows_are_the_calendar_weeks_day_by_day(records, weeks, minimum):
    found = {f.account: f.evidence["windows"] for f in _findings(
        "update_frequency", {"window": {"weeks": weeks}, "min_posts": minimum}, records)}
    expected = {}
    for account in (r for r in records if r["type"] == "account"):
        active = _active(account, SINCE, AS_OF)
        if active is None:
            continue
        posted = _posted(records, account["id"])
        mondays = [d for d in _days(*active) if d.weekday() == 0]
        windows = []
        for start in mondays[::1]:
            end = start + timedelta(7 * weeks - 1)
            # natural windows of n weeks run back to back from the first Monday
            if (start - mondays[0]).days % (7 * weeks) or end > active[1]:
                continue
            count = sum(start <= d <= end for d in posted)
            if count < minimum:
                windows.append({"from": start, "to": end, "posts": count})
        if windows:
            expected[account["id"]] = windows
    assert found == expected


@settings(max_examples=25)
@given(records=HISTORIES, length=st.integers(3, 20), minimum=st.integers(1, 2))
def test_rolling_windows_report_a_gap_exactly_where_some_day_starts_one(records, length, minimum):
    found = {f.account: f.evidence["windows"] for f in _findings(
        "update_frequency", {"window": {"days": length}, "anchor": "rolling", "min_posts": minimum}, records)}
    for account in (r for r in records if r["type"] == "account"):
        active = _active(account, SINCE, AS_OF)
        posted = _posted(records, account["id"])
        sparse = {} if active is None else {
            start: sum(start <= d <= start + timedelta(length - 1) for d in posted)
            for start in _days(*active) if start + timedelta(length - 1) <= active[1]}
        sparse = {s: c for s, c in sparse.items() if c < minimum}
        reported = found.get(account["id"], [])
        assert bool(reported) == bool(sparse)
        for window in reported:  # each reported window is one the walk finds sparse, with its count
            assert sparse.get(window["from"]) == window["posts"]
            assert window["to"] == window["from"] + timedelta(length - 1)


@settings(max_examples=25)
@given(records=HISTORIES, months=st.integers(1, 3), replies=st.booleans())
def test_a_dormant_account_is_one_silent_through_the_whole_span_before_as_of(records, months, replies):
    span = Span(months=months)
    flagged = {f.account for f in _findings(
        "dormant_account", {"inactive_for": {"months": months}, "count_replies": replies}, records)}
    expected = set()
    for account in (r for r in records if r["type"] == "account"):
        active = _active(account, date(1, 1, 1), AS_OF)
        if active is None or active[1] != AS_OF:
            continue
        start = span.window_start(AS_OF)
        if start < active[0]:
            continue  # not yet open for the whole span
        activity = set(_posted(records, account["id"]))
        if replies:
            activity |= {_day(r["replied_at"]) for r in records if r["type"] == "message"
                         and r["account_id"] == account["id"] and r.get("replied_at")}
        if not any(start <= d <= AS_OF for d in activity):
            expected.add(account["id"])
    assert flagged == expected


@settings(max_examples=25)
@given(records=HISTORIES, working=st.booleans(), within=st.integers(1, 7))
def test_a_message_is_late_when_its_reply_comes_after_the_counted_deadline(records, working, within):
    calendar = WorkCalendar()
    flagged = {f.subject.id for f in _findings(
        "message_reply", {"within": {"working_days" if working else "days": within}}, records)}
    expected = set()
    for message in (r for r in records if r["type"] == "message"):
        received, replied = _day(message["received_at"]), _day(message.get("replied_at"))
        if not SINCE <= received <= AS_OF:
            continue
        due, left = received, within  # walk forward a day at a time, counting the days that count
        while left:
            due += timedelta(1)
            left -= calendar.is_workday(due) if working else 1
        if (replied is None and AS_OF > due) or (replied is not None and replied > due):
            expected.add(message["id"])
    assert flagged == expected


@settings(max_examples=25)
@given(records=HISTORIES, length=st.integers(5, 40),
       column=st.sampled_from(["dynamic", "notice", "policy"]))
def test_a_column_is_judged_only_where_the_account_has_it(records, length, column):
    found = {f.account for f in _findings(
        "column_freshness", {"columns": {column: {"days": length}}}, records)}
    expected = set()
    for account in (r for r in records if r["type"] == "account"):
        active = _active(account, SINCE, AS_OF)
        posts = [r for r in records if r["type"] == "post" and r["account_id"] == account["id"]]
        has = account["columns"] if account.get("columns") is not None else {p.get("column") for p in posts}
        if active is None or column not in has:
            continue
        posted = _posted(records, account["id"], column=column)
        if any(not any(start <= d <= start + timedelta(length - 1) for d in posted)
               for start in _days(*active) if start + timedelta(length - 1) <= active[1]):
            expected.add(account["id"])
    assert found == expected
