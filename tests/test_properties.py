"""Day-by-day oracles against the fast window and deadline implementations."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from govmedia_rules import Engine
from govmedia_rules.calendar import WorkCalendar
from govmedia_rules.kinds.windows import natural_windows, sparse_rolling_windows
from govmedia_rules.periods import Span, add_months
from govmedia_rules.testing import histories, one_rule_pack, post_days

from .conftest import REGISTRY

START, END = date(2019, 1, 1), date(2019, 12, 31)
spans = st.one_of(st.builds(Span, days=st.integers(1, 20)), st.builds(Span, weeks=st.integers(1, 3)),
                  st.builds(Span, months=st.integers(1, 3)))


def _range():
    return st.tuples(st.dates(START, END), st.integers(0, 150)).map(lambda t: (t[0], min(END, t[0] + timedelta(t[1]))))


@given(post_days(start=START, end=END), _range(), spans, st.integers(1, 3))
def test_rolling_windows_match_a_day_by_day_oracle(days, bounds, span, minimum):
    first, last = bounds
    fast = sparse_rolling_windows(days, first, last, span, minimum)
    sparse_starts = []
    day = first
    while span.window_end(day) <= last:
        count = sum(day <= d <= span.window_end(day) for d in days)
        if count < minimum:
            sparse_starts.append(day)
        day += timedelta(1)
    assert bool(fast) == bool(sparse_starts)
    assert {s for s, _, _ in fast} <= set(sparse_starts)
    for start, end, count in fast:
        assert end == span.window_end(start) and count == sum(start <= d <= end for d in days)
    # every sparse day is covered by a reported window that starts no later and holds no more
    for day in sparse_starts:
        assert any(s <= day and c <= sum(day <= d <= span.window_end(day) for d in days) for s, _, c in fast)


@given(post_days(start=START, end=END), _range(), spans, st.integers(1, 3))
def test_natural_windows_match_a_day_by_day_oracle(days, bounds, span, minimum):
    first, last = bounds
    windows = natural_windows(first, last, span)
    for (_, e1), (s2, _) in zip(windows, windows[1:]):
        assert s2 == e1 + timedelta(1)
    for start, end in windows:
        assert first <= start and end <= last
        if span.weeks:
            assert start.weekday() == 0
        if span.months:
            assert start.day == 1 and end == add_months(start, span.months) - timedelta(1)
    # the windows run to the end: the one after the last would not fit
    after = windows[-1][1] + timedelta(1) if windows else None
    if after is not None:
        assert span.window_end(after) > last


@given(histories(start=date(2019, 6, 1), end=date(2019, 12, 31)))
def test_filing_deadline_rule_matches_a_day_by_day_oracle(records):
    cal = WorkCalendar()
    pack = one_rule_pack("filing_deadline", {"file_within": {"working_days": 2}, "forward_within": {"working_days": 1}})
    since, as_of = date(2019, 7, 1), date(2019, 11, 30)
    # the generated filings are the whole truth: a missing filed_on means "not filed"
    report = Engine([pack], registry=REGISTRY).evaluate(records, since=since, as_of=as_of, complete=["filing"])
    flagged = {f.subject.id for f in report.findings if f.subject.type == "filing"}

    def nth_working_day_after(day, n):
        while n:
            day += timedelta(1)
            n -= cal.is_workday(day)
        return day

    expected = set()
    for r in records:
        if r["type"] != "filing":
            continue
        action_on = date.fromisoformat(r["action_on"])
        if not since <= action_on <= as_of:
            continue
        due = nth_working_day_after(action_on, 2)
        filed = r["filed_on"] and date.fromisoformat(r["filed_on"])
        late_file = (filed is None and as_of > due) or (filed is not None and filed > due)
        late_forward = False
        if filed:
            due2 = nth_working_day_after(filed, 1)
            fwd = r["forwarded_on"] and date.fromisoformat(r["forwarded_on"])
            late_forward = (fwd is None and as_of > due2) or (fwd is not None and fwd > due2)
        if late_file or late_forward:
            expected.add(r["id"])
    assert flagged == expected


@given(histories(start=date(2019, 3, 1), end=date(2019, 9, 30)))
def test_engine_is_deterministic_and_accounts_for_every_record(records):
    pack = one_rule_pack("update_frequency", {"window": {"weeks": 1}})
    engine = Engine([pack], registry=REGISTRY)
    a = engine.evaluate(records, since=date(2019, 3, 1), as_of=date(2019, 9, 30))
    b = engine.evaluate(list(reversed(records)), since=date(2019, 3, 1), as_of=date(2019, 9, 30))
    assert a.input.read == len(records) == a.input.accepted + a.input.rejected
    assert [f.model_dump() for f in a.findings] == [f.model_dump() for f in b.findings]
