from datetime import date

import pytest

from govmedia_rules import Engine, EvaluationError
from govmedia_rules.kinds.base import AccountRuleKind
from govmedia_rules.packs.model import Scoring
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, post, unit

#: the records of these tests are the whole truth: absence is "none" (tests/test_evidence.py tests otherwise)
D = {"since": date(2019, 8, 1), "as_of": date(2019, 8, 31), "complete": ("all",)}
WEEKLY = one_rule_pack("update_frequency", {"window": {"weeks": 1}}, rule_id="weekly")


def test_every_record_is_accepted_or_rejected_with_a_reason():
    records = [unit(), account(), account("a1"), account("a2", "nowhere"), post("p1", "2019-08-05T10:00:00"),
               post("p2", "2019-08-05T10:00:00", account_id="a2"), post("p3", "2019-08-05T10:00:00", account_id="zz"),
               {"type": "report", "id": "r", "unit_id": "gone", "kind": "survey", "submitted_on": "2019-08-01"},
               {"type": "bogus", "id": "b"}]
    report = Engine([WEEKLY], registry=REGISTRY).evaluate(records, **D)
    acct = report.input
    assert (acct.read, acct.accepted, acct.rejected) == (9, 3, 6)
    reasons = {r.line: r.reason for r in acct.rejections}
    assert "重复" in reasons[3] and "<python>:2" in reasons[3]
    assert "nowhere" in reasons[4]
    assert "a2" in reasons[6] and "zz" in reasons[7] and "gone" in reasons[8] and "bogus" in reasons[9]


def test_findings_carry_rule_citation_unit_and_are_sorted():
    records = [unit(), account("b"), account("a", platform="douyin")]
    report = Engine([WEEKLY], registry=REGISTRY).evaluate(records, **D)
    assert [f.subject.id for f in report.findings] == ["a", "b"]
    finding = report.findings[0]
    assert finding.citation.quote == "测试条文" and finding.unit == "u1" and finding.pack == "test"
    assert finding.rule == "weekly" and finding.kind == "update_frequency"


def test_rule_effective_dates_clip_the_window():
    pack = one_rule_pack("update_frequency", {"window": {"weeks": 1}}, effective={"from": "2019-08-19"})
    records = [unit(), account(), post("p", "2019-08-20T10:00:00"), post("q", "2019-08-27T10:00:00")]
    assert Engine([pack], registry=REGISTRY).evaluate(records, **D).findings == []
    late = one_rule_pack("update_frequency", {"window": {"weeks": 1}}, effective={"from": "2019-09-01"})
    assert Engine([late], registry=REGISTRY).evaluate([unit(), account()], **D).findings == []


def waiver(**kw):
    return {"type": "waiver", "id": "w1", "rule": "weekly", "subject": {"type": "account", "id": "a1"},
            "justification": "个别确需保留的", "approver": "市政府办公室", "approved_on": "2019-08-01", **kw}


def test_valid_waiver_marks_the_finding_without_dropping_it():
    report = Engine([WEEKLY], registry=REGISTRY).evaluate([unit(), account(), waiver()], **D)
    [finding] = report.findings
    assert finding.waived and finding.waiver.id == "w1" and report.open_findings == []


@pytest.mark.parametrize("bad, word", [({"expires_on": "2019-08-30"}, "到期"), ({"approver": None}, "未经批准"),
                                       ({"approved_on": "2019-09-15"}, "晚于")])
def test_unusable_waiver_does_not_apply_and_is_reported(bad, word):
    report = Engine([WEEKLY], registry=REGISTRY).evaluate([unit(), account(), waiver(**bad)], **D)
    assert not report.findings[0].waived
    assert any(word in w and "w1" in w for w in report.warnings)


def test_scoring_deducts_by_severity_and_veto_zeroes():
    pack = WEEKLY.model_copy(update={"scoring": Scoring(base=100, deductions={"error": 10}, veto_rules=[])})
    records = [unit(), account(), account("a2", platform="douyin"), unit("u2"), account("a3", "u2", platform="toutiao"),
               *[post(f"p{i}", f"2019-08-{d:02d}T10:00:00", account_id="a3") for i, d in enumerate((5, 12, 19, 26))]]
    scores = {s.subject.id: s.score for s in Engine([pack], registry=REGISTRY).evaluate(records, **D).scores}
    assert scores == {"u1": 80, "u2": 100}
    points = Scoring(deductions={"error": 10}, veto_rules=["weekly"])
    veto = WEEKLY.model_copy(update={"scoring": points})
    [zero, full] = Engine([veto], registry=REGISTRY).evaluate(records, **D).scores
    assert (zero.subject.id, zero.score, zero.vetoed_by) == ("u1", 0, ["weekly"]) and full.score == 100
    verdicts_only = WEEKLY.model_copy(update={"scoring": Scoring(veto_rules=["weekly"])})
    [failed, passed] = Engine([verdicts_only], registry=REGISTRY).evaluate(records, **D).scores
    assert (failed.score, failed.verdict) == (None, "不合格")
    assert (passed.score, passed.verdict) == (None, "合格")


def test_pass_fail_verdict_per_account_and_waived_vetoes_do_not_fail():
    pack = WEEKLY.model_copy(update={"scoring": Scoring(veto_rules=["weekly"], pass_fail=True)})
    records = [unit(), account("a1"), account("a2", platform="douyin"),
               *[post(f"p{i}", f"2019-08-{d:02d}T10:00:00", account_id="a2") for i, d in enumerate((5, 12, 19, 26))]]
    verdicts = {s.subject.id: s.verdict for s in Engine([pack], registry=REGISTRY).evaluate(records, **D).scores
                if s.subject.type == "account"}
    assert verdicts == {"a1": "不合格", "a2": "合格"}
    waived = Engine([pack], registry=REGISTRY).evaluate(records + [waiver()], **D)
    assert {s.subject.id: s.verdict for s in waived.scores if s.subject.type == "account"} == {"a1": "合格", "a2": "合格"}


def test_findings_name_the_account_of_an_event():
    pack = one_rule_pack("forbidden_post_flags", {"flags": ["commercial_ad"]})
    report = Engine([pack], registry=REGISTRY).evaluate(
        [unit(), account(), post("p1", "2019-08-05T10:00:00", flags=["commercial_ad"])], **D)
    assert (report.findings[0].account, report.findings[0].unit) == ("a1", "u1")


def test_since_after_as_of_is_refused():
    with pytest.raises(ValueError):
        Engine([WEEKLY], registry=REGISTRY).evaluate([], since=date(2019, 9, 1), as_of=date(2019, 8, 1))


def test_a_failing_kind_names_pack_and_rule():
    class Broken(AccountRuleKind):
        """Always fails."""
        name, title, example = "broken", "坏", "params: {}"

        def check_account(self, history, scope):
            raise RuntimeError("boom")

    from govmedia_rules import Registry, hookimpl

    class Plugin:
        @hookimpl
        def govmedia_rules_add_rule_kinds(self):
            return [Broken]

    registry = Registry(plugins=[Plugin()], autoload=False)
    with pytest.raises(EvaluationError) as info:
        Engine([one_rule_pack("broken", rule_id="r9")], registry=registry).evaluate([unit(), account()], **D)
    assert "r9" in str(info.value) and "boom" in str(info.value)


def test_unknown_calendar_year_is_a_report_warning():
    report = Engine([one_rule_pack("filing_deadline", {"file_within": {"working_days": 2}})], registry=REGISTRY).evaluate(
        [unit(), account(opened_on="2099-03-02")], since=date(2099, 3, 1), as_of=date(2099, 3, 31),
        complete=("filing",))
    assert any("2099" in w for w in report.warnings)


def test_pack_level_selector_narrows_every_rule():
    from govmedia_rules.packs.model import Selector

    pack = WEEKLY.model_copy(update={"applies_to": Selector(platforms=["weibo", "douyin"])})
    records = [unit(), account("a1"), account("a2", platform="website")]
    assert [f.subject.id for f in Engine([pack], registry=REGISTRY).evaluate(records, **D).findings] == ["a1"]
    narrow = pack.model_copy(update={"rules": [pack.rules[0].model_copy(update={"applies_to": Selector(platforms=["app"])})]})
    assert Engine([narrow], registry=REGISTRY).evaluate(records, **D).findings == []
