"""Ordinary clauses a pack author needs (issue 19): text tests in conditions, closing only after
approval, several approvals on one filing."""

from datetime import date

import pytest
from pydantic import ValidationError

from govmedia_rules import Engine
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY

UNIT = {"type": "unit", "id": "u1", "name": "连云港市教育局", "level": "city", "kind": "department"}
ACCOUNTS = [
    {"type": "account", "id": "a1", "unit_id": "u1", "name": "海州发布", "platform": "weibo"},
    {"type": "account", "id": "a2", "unit_id": "u1", "name": "连云港教育", "platform": "wechat"},
]


def findings(pack, records, **kwargs):
    report = Engine([pack], registry=REGISTRY).evaluate(
        records, since=date(2019, 1, 1), as_of=date(2019, 12, 31), **kwargs
    )
    return {f.subject.id: f.message for f in report.findings}, report.not_evaluated


@pytest.mark.parametrize(
    "require, message",
    [
        ({"field": "name", "contains": "连云港"}, "名称包含“连云港”（名称：“海州发布”）"),
        ({"field": "name", "matches": "^连云港"}, "名称符合格式“^连云港”（名称：“海州发布”）"),
    ],
)
def test_a_name_must_contain_the_place_name(require, message):
    found, _ = findings(one_rule_pack("condition", {"require": require}), [UNIT, *ACCOUNTS])
    assert list(found) == ["a1"] and found["a1"].endswith(message)


def test_not_empty_judges_a_blank_only_once_declared_complete():
    pack = one_rule_pack(
        "condition", {"require": {"field": "certified_sponsor", "not_empty": True}}
    )
    found, blank = findings(pack, [UNIT, *ACCOUNTS])
    assert not found and blank[0].subjects == 2
    found, _ = findings(pack, [UNIT, *ACCOUNTS], complete=["account.certified_sponsor"])
    assert set(found) == {"a1", "a2"}


def test_a_pattern_that_does_not_compile_is_a_pack_error():
    with pytest.raises(ValidationError, match="正则表达式无效"):
        REGISTRY.kinds["condition"].from_params(
            {"require": {"field": "name", "matches": "(连云港"}}
        )


CLOSED = {
    "type": "account",
    "id": "a1",
    "unit_id": "u1",
    "name": "海州发布",
    "platform": "weibo",
    "opened_on": "2018-01-01",
    "status": "closed",
    "closed_on": "2019-06-10",
}


@pytest.mark.parametrize(
    "approvals, fired",
    [
        (
            [
                {"role": "principal_leader", "approved_on": "2019-06-03"},
                {"body": "区人民政府办公室"},
            ],
            False,
        ),
        ([{"role": "principal_leader", "approved_on": "2019-06-20"}], True),
        ([{"body": "区人民政府办公室", "approved_on": "2019-06-03"}], True),
    ],
)
def test_closing_needs_a_consent_dated_before_it(approvals, fired):
    pack = one_rule_pack(
        "closure_procedure",
        {"consent": ["collective", "principal_leader"], "approved_before_closing": True},
    )
    filing = {
        "type": "filing",
        "id": "f1",
        "account_id": "a1",
        "action": "close",
        "action_on": "2019-06-10",
        "approvals": approvals,
    }
    found, _ = findings(pack, [UNIT, CLOSED, filing])
    assert ("a1" in found) == fired
    if fired and approvals[0].get("role"):
        assert "审批日期2019-06-20晚于关停日期，属提前关闭" in found["a1"]
