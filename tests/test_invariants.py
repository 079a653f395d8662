"""The shipped strategies and invariants, applied to every built-in pack."""

from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govmedia_rules import load_pack
from govmedia_rules.packs.model import Pack
from govmedia_rules.testing import histories, mutated_packs, one_rule_pack, packs, posts, units
from govmedia_rules.testing.invariants import (
    assert_adding_records_adds_no_findings_of,
    assert_adding_records_keeps_findings_of,
    assert_deterministic,
    assert_extension_without_overrides_is_identity,
    assert_tightening_keeps_findings,
)

from .conftest import REGISTRY

SINCE, AS_OF = date(2019, 7, 1), date(2019, 12, 31)
PACKS = {pack_id: load_pack(pack_id, REGISTRY) for pack_id in sorted(REGISTRY.packs)}
few = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("pack_id", sorted(PACKS))
@few
@given(records=histories(start=SINCE, end=AS_OF, max_accounts=2, max_events=25))
def test_every_pack_is_order_independent_and_extends_to_itself(pack_id, records):
    assert_deterministic(PACKS[pack_id], records, since=SINCE, as_of=AS_OF, registry=REGISTRY)
    assert_extension_without_overrides_is_identity(PACKS[pack_id], records, since=SINCE, as_of=AS_OF, registry=REGISTRY)


WEEKLY = one_rule_pack("update_frequency", {"window": {"weeks": 1}, "min_posts": 1}, rule_id="u")


@settings(max_examples=40, deadline=None)
@given(records=histories(start=SINCE, end=AS_OF, max_accounts=1), day=st.dates(SINCE, AS_OF))
def test_a_timely_post_never_adds_an_update_frequency_finding(records, day):
    extra = [{"type": "post", "id": "extra", "account_id": "a0", "published_at": datetime.combine(day, time(12)).isoformat()}]
    assert_adding_records_adds_no_findings_of(WEEKLY, records, extra, rules={"u"}, since=SINCE, as_of=AS_OF, registry=REGISTRY)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_tightening_a_threshold_never_removes_a_finding(data):
    pack = one_rule_pack("update_frequency", {"window": {"weeks": 2}, "anchor": "rolling", "min_posts": 2}, rule_id="u")
    mutated = data.draw(mutated_packs(pack))
    records = data.draw(histories(start=SINCE, end=AS_OF, max_accounts=1))
    old, new = pack.rules[0].params, mutated.rules[0].params
    # more posts in the same window, or the same posts in a shorter window, is stricter
    stricter = new["min_posts"] > old["min_posts"] or new["window"]["weeks"] < old["window"]["weeks"]
    looser, tighter = (pack, mutated) if stricter else (mutated, pack)
    assert_tightening_keeps_findings(looser, tighter, records, since=SINCE, as_of=AS_OF, registry=REGISTRY)


CHAIN = one_rule_pack("approval_chain", {"tiers": {"routine": [{"roles": ["proofreader"], "count": 2}, {"roles": ["final_reviewer"]}],
                                                   "major": [{"roles": ["principal_leader"]}]}}, rule_id="c")


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_removing_a_signoff_never_removes_an_approval_chain_finding(data):
    unit_record = data.draw(units(ids=st.just("u0")))
    account = {"type": "account", "id": "a0", "unit_id": "u0", "name": "号", "platform": "weibo"}
    full = data.draw(posts(account_id="a0", start=SINCE, end=AS_OF, max_size=5))
    stripped = [{**p, "signoffs": p["signoffs"][1:]} for p in full]
    # the stripped history plus nothing must keep every finding the full one had
    assert_adding_records_keeps_findings_of(CHAIN, [unit_record, account] + stripped, [], rules={"c"},
                                            since=SINCE, as_of=AS_OF, registry=REGISTRY)
    from govmedia_rules import Engine

    def found(history):
        report = Engine([CHAIN], registry=REGISTRY).evaluate([unit_record, account] + history, since=SINCE, as_of=AS_OF)
        return {f.subject.id for f in report.findings}

    assert found(full) <= found(stripped)


def test_mutated_packs_needs_a_threshold():
    with pytest.raises(ValueError):
        mutated_packs(one_rule_pack("name_consistency"))


def test_strategies_check_their_arguments():
    with pytest.raises(ValueError):
        histories(start=AS_OF, end=SINCE)
    with pytest.raises(ValueError):
        posts(max_size=-1)
    assert isinstance(PACKS["national"], Pack)


@settings(max_examples=30, deadline=None)
@given(pack=packs(), records=histories(start=SINCE, end=AS_OF, max_accounts=2, max_events=15))
def test_every_builtin_kind_is_order_independent(pack, records):
    assert_deterministic(pack, records, since=SINCE, as_of=AS_OF, registry=REGISTRY)
