from datetime import date

import pytest
from pydantic import ValidationError

from govmedia_rules import Engine
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, run, unit


def filing(fid, action, action_on, filed_on=None, forwarded_on=None, **kw):
    return {"type": "filing", "id": fid, "account_id": "a1", "action": action, "action_on": action_on,
            "filed_on": filed_on, "forwarded_on": forwarded_on, **kw}


FILE2 = {"file_within": {"working_days": 2}}
FORWARD1 = {"forward_within": {"working_days": 1}}


def test_filing_on_the_last_working_day_passes_and_the_next_day_fails():
    # opened Friday 2019-09-27: 09-29 (Sunday make-up workday) and 09-30 count; due 09-30
    base = [unit(), account(opened_on="2019-09-27")]
    assert run("filing_deadline", FILE2, base + [filing("f", "open", "2019-09-27", "2019-09-30")],
               since="2019-09-01", as_of="2019-12-31") == []
    [finding] = run("filing_deadline", FILE2, base + [filing("f", "open", "2019-09-27", "2019-10-08")],
                    since="2019-09-01", as_of="2019-12-31")
    assert finding.subject.id == "f" and "2019-09-30" in finding.message and "逾期1个工作日" in finding.message


def test_forwarding_within_one_working_day_is_due_on_the_make_up_sunday():
    base = [unit(), account(opened_on="2019-09-26")]
    assert run("filing_deadline", FORWARD1, base + [filing("f", "open", "2019-09-26", "2019-09-27", "2019-09-29")],
               since="2019-09-01", as_of="2019-12-31") == []
    [finding] = run("filing_deadline", FORWARD1, base + [filing("f", "open", "2019-09-26", "2019-09-27", "2019-09-30")],
                    since="2019-09-01", as_of="2019-12-31")
    assert "2019-09-29" in finding.message


def test_missing_open_filing_is_reported_only_after_the_deadline():
    base = [unit(), account(opened_on="2019-09-30")]
    assert run("filing_deadline", FILE2, base, since="2019-09-01", as_of="2019-10-09") == []
    [finding] = run("filing_deadline", FILE2, base, since="2019-09-01", as_of="2019-10-10")
    assert finding.subject.type == "account" and finding.due.isoformat() == "2019-10-09"


def test_closure_without_filing_is_reported():
    records = [unit(), account(opened_on="2018-01-01", status="closed", closed_on="2019-11-01")]
    [finding] = run("filing_deadline", FILE2, records, since="2019-09-01", as_of="2019-12-31")
    assert "关停" in finding.message
    records.append(filing("f", "cancel", "2019-11-01", "2019-11-04"))
    assert run("filing_deadline", FILE2, records, since="2019-09-01", as_of="2019-12-31") == []


def test_unfiled_filing_record_and_unforwarded_filing():
    records = [unit(), account(opened_on="2018-01-01"), filing("f1", "change", "2019-11-01"),
               filing("f2", "change", "2019-11-11", "2019-11-11")]
    findings = run("filing_deadline", {**FILE2, **FORWARD1}, records, since="2019-09-01", as_of="2019-12-31")
    assert sorted(f.subject.id for f in findings) == ["f1", "f2"]


def test_filed_with_the_wrong_office():
    records = [unit(), account(opened_on="2018-01-01"),
               filing("f", "change", "2019-11-01", "2019-11-01", filed_with="市委网信办")]
    [finding] = run("filing_deadline", {**FILE2, "filed_with": ["某市人民政府办公室"]}, records, since="2019-09-01", as_of="2019-12-31")
    assert "政府办公室" in finding.message


#: a city and one of its counties, each with its government office and approval bureau: a body is found
#: by what the unit is and where it sits, never by its name (津市市行政审批服务局 contains 市行政审批)
BODIES = [unit("city", name="常德市人民政府", kind="government"),
          unit("city-bureau", name="常德市行政审批服务局", parent_id="city", body="approval_bureau"),
          unit("city-office", name="常德市人民政府办公室", parent_id="city", body="government_office"),
          unit("js", name="津市市人民政府", level="county", kind="government", parent_id="city"),
          unit("js-bureau", name="津市市行政审批服务局", level="county", parent_id="js", body="approval_bureau"),
          unit("js-office", name="津市市人民政府办公室", level="county", parent_id="js", body="government_office")]


def test_approval_before_opening():
    base = [*BODIES, unit(parent_id="city"), account(opened_on="2019-08-10")]
    approved = filing("f", "open", "2019-08-10", approved_on="2019-08-09", approver="常德市行政审批服务局")
    params = {"approver": {"body": "approval_bureau"}}
    assert run("approval_before_opening", params, base + [approved], since="2019-08-01", as_of="2019-12-31") == []
    late = {**approved, "approved_on": "2019-08-11"}
    [finding] = run("approval_before_opening", params, base + [late], since="2019-08-01", as_of="2019-12-31")
    assert "晚于" in finding.message
    county = {**approved, "approver": "津市市行政审批服务局"}  # a county bureau is not the city's
    [finding] = run("approval_before_opening", params, base + [county], since="2019-08-01", as_of="2019-12-31")
    assert "应为常德市行政审批服务局" in finding.message
    assert len(run("approval_before_opening", params, base, since="2019-08-01", as_of="2019-12-31")) == 1
    # accounts opened before the window are not judged
    assert run("approval_before_opening", params, base, since="2019-09-01", as_of="2019-12-31") == []


def test_approval_by_the_body_of_the_sponsors_level_or_the_level_named():
    records = [*BODIES, unit(level="county", parent_id="js"), account(opened_on="2019-08-10"),
               filing("f", "open", "2019-08-10", approved_on="2019-08-09", approver="津市市行政审批服务局")]
    own = {"approver": {"body": "approval_bureau"}}
    assert run("approval_before_opening", own, records, since="2019-08-01", as_of="2019-12-31") == []
    city = {"approver": {"body": "approval_bureau", "level": "city"}}  # 报市…批准: the city's
    [finding] = run("approval_before_opening", city, records, since="2019-08-01", as_of="2019-12-31")
    assert "审批机关为津市市行政审批服务局，应为常德市行政审批服务局" in finding.message


def test_approval_by_a_body_the_input_does_not_identify_is_not_evaluable():
    records = [unit(), account(opened_on="2019-08-10"),
               filing("f", "open", "2019-08-10", approved_on="2019-08-09", approver="常德市行政审批服务局")]
    params = {"approver": {"body": "approval_bureau"}}
    report = Engine([one_rule_pack("approval_before_opening", params)], registry=REGISTRY).evaluate(
        records, since=date(2019, 8, 1), as_of=date(2019, 12, 31), complete=["all"])
    assert report.findings == []
    [entry] = report.not_evaluated
    assert entry.missing == ["unit.parent_id"] and entry.examples == ["a1"]
    # a filing with no approval at all is a finding whoever should have approved it
    del records[-1]["approved_on"]
    assert len(run("approval_before_opening", params, records, since="2019-08-01", as_of="2019-12-31")) == 1


OWED = {**FORWARD1, "owed_by": {"body": "government_office"}}


def test_forwarding_is_the_duty_of_the_office_of_the_sponsors_level():
    records = [*BODIES, unit(level="county", parent_id="js"), account(opened_on="2019-09-26"),
               filing("f", "open", "2019-09-26", "2019-09-27", "2019-09-30")]
    [finding] = run("filing_deadline", OWED, records, since="2019-09-01", as_of="2019-12-31")
    assert (finding.subject.type, finding.subject.id, finding.unit, finding.account) == ("unit", "js-office",
                                                                                      "js-office", None)
    assert finding.evidence["filing"] == "f" and finding.message.startswith("津市市人民政府办公室（本级政府办公室）")
    records[-1]["forwarded_on"] = "2019-09-29"  # in time: nobody is reported
    assert run("filing_deadline", OWED, records, since="2019-09-01", as_of="2019-12-31") == []


def test_forwarding_late_without_the_office_in_the_input_is_not_evaluable():
    records = [unit("js", kind="government", level="county"), unit(level="county", parent_id="js"),
               account(opened_on="2019-09-26"), filing("f", "open", "2019-09-26", "2019-09-27", "2019-09-30")]
    report = Engine([one_rule_pack("filing_deadline", OWED)], registry=REGISTRY).evaluate(
        records, since=date(2019, 9, 1), as_of=date(2019, 12, 31), complete=["all"])
    assert report.findings == []
    [entry] = report.not_evaluated
    assert (entry.subject_type, entry.missing, entry.examples) == ("filing", ["unit.body"], ["f"])


def test_filing_itself_is_never_owed_by_another_body():
    with pytest.raises(ValidationError, match="备案本身是主办单位的义务"):
        REGISTRY.kinds["filing_deadline"].from_params({**FILE2, "owed_by": {"body": "government_office"}})


def notice(published_on, ends_on=None):
    return {"type": "announcement", "id": f"n-{published_on}", "account_id": "a1", "reason": "closure",
            "published_on": published_on, "ends_on": ends_on}


CLOSURE = {"consent": ["collective", "principal_leader"], "announcement": {"min_duration": {"working_days": 15}}}


def test_closure_with_consent_and_fifteen_working_day_notice_passes():
    # notice from Monday 2019-11-04: the 15th working day counting that day is Friday 11-22
    records = [unit(), account(opened_on="2018-01-01", status="closed", closed_on="2019-11-23"),
               filing("f", "close", "2019-11-23", "2019-11-25", approver="collective"), notice("2019-11-04")]
    assert run("closure_procedure", CLOSURE, records, since="2019-09-01", as_of="2019-12-31") == []


def test_closure_notice_one_working_day_short_fails():
    records = [unit(), account(opened_on="2018-01-01", status="closed", closed_on="2019-11-22"),
               filing("f", "close", "2019-11-22", "2019-11-25", approver="principal_leader"), notice("2019-11-04")]
    [finding] = run("closure_procedure", CLOSURE, records, since="2019-09-01", as_of="2019-12-31")
    assert "15个工作日" in finding.message


def test_closure_notice_over_national_day_counts_only_working_days():
    # 2019-09-23 .. 10-11 is 19 calendar days but spans the holiday week
    records = [unit(), account(opened_on="2018-01-01", status="closed", closed_on="2019-10-12"),
               filing("f", "close", "2019-10-12", "2019-10-14", approver="collective"), notice("2019-09-23", "2019-10-11")]
    assert len(run("closure_procedure", CLOSURE, records, since="2019-09-01", as_of="2019-12-31")) == 1


def test_closure_without_consent_or_notice():
    records = [unit(), account(opened_on="2018-01-01", status="closed", closed_on="2019-11-22"),
               filing("f", "close", "2019-11-22", "2019-11-25", approver="office")]
    findings = run("closure_procedure", CLOSURE, records, since="2019-09-01", as_of="2019-12-31")
    assert len(findings) == 2
    assert any("未见关停公告" in f.message for f in findings)


def test_one_month_notice_before_closure():
    params = {"announcement": {"min_duration": {"months": 1}, "before_closure": True}}
    records = [unit(), account(platform="website", opened_on="2018-01-01", status="closed", closed_on="2019-11-15"),
               notice("2019-10-15", "2019-12-31")]
    assert run("closure_procedure", params, records, since="2019-09-01", as_of="2019-12-31") == []
    records[-1] = notice("2019-10-16", "2019-12-31")
    assert len(run("closure_procedure", params, records, since="2019-09-01", as_of="2019-12-31")) == 1


def test_announcement_required_for_sponsor_change_only():
    params = {"actions": ["change", "cancel"], "reasons": ["sponsor_change"], "sponsor_change_only": True}
    records = [unit(), account(opened_on="2018-01-01"), filing("f1", "change", "2019-10-10", "2019-10-10"),
               filing("f2", "change", "2019-11-10", "2019-11-11", sponsor_changed=True)]
    [finding] = run("announcement_required", params, records, since="2019-09-01", as_of="2019-12-31")
    assert finding.subject.id == "f2"
    records.append({"type": "announcement", "id": "n", "account_id": "a1", "reason": "sponsor_change",
                    "published_on": "2019-11-12"})
    assert run("announcement_required", params, records, since="2019-09-01", as_of="2019-12-31") == []


def test_announcement_within_a_deadline():
    params = {"actions": ["open"], "reasons": ["open"], "within": {"working_days": 3}}
    records = [unit(), account(opened_on="2019-10-08"), filing("f", "open", "2019-10-08", "2019-10-08"),
               {"type": "announcement", "id": "n", "account_id": "a1", "reason": "open", "published_on": "2019-10-14"}]
    [finding] = run("announcement_required", params, records, since="2019-09-01", as_of="2019-12-31")
    assert finding.due.isoformat() == "2019-10-11"
    records[-1]["published_on"] = "2019-10-11"
    assert run("announcement_required", params, records, since="2019-09-01", as_of="2019-12-31") == []


def test_zero_working_days_means_the_same_day():
    base = [unit(), account(opened_on="2019-10-08")]
    same = {"forward_within": {"working_days": 0}}
    assert run("filing_deadline", same, base + [filing("f", "open", "2019-10-08", "2019-10-08", "2019-10-08")],
               since="2019-09-01", as_of="2019-12-31") == []
    assert len(run("filing_deadline", same, base + [filing("f", "open", "2019-10-08", "2019-10-08", "2019-10-09")],
                   since="2019-09-01", as_of="2019-12-31")) == 1


def test_filing_required_without_a_deadline_and_with_the_right_body():
    params = {"actions": ["open"], "require_filing": True, "filed_with": ["常德市行政审批服务局"]}
    base = [unit(), account(opened_on="2019-10-08")]
    [missing] = run("filing_deadline", params, base, since="2019-09-01", as_of="2019-10-08")
    assert missing.subject.type == "account" and "常德市行政审批服务局" in missing.message
    unfiled = base + [filing("f", "open", "2019-10-08")]
    assert [f.subject.id for f in run("filing_deadline", params, unfiled, since="2019-09-01", as_of="2019-12-31")] == ["f"]
    wrong = base + [filing("f", "open", "2019-10-08", "2019-10-09", filed_with="某县政府办")]
    assert len(run("filing_deadline", params, wrong, since="2019-09-01", as_of="2019-12-31")) == 1
    right = base + [filing("f", "open", "2019-10-08", "2019-10-09", filed_with="常德市行政审批服务局")]
    assert run("filing_deadline", params, right, since="2019-09-01", as_of="2019-12-31") == []


def test_announcement_must_fit_the_action():
    params = {"actions": ["open", "close"], "reasons": ["open", "closure"]}
    records = [unit(), account(opened_on="2019-10-08", status="closed", closed_on="2019-11-20"),
               filing("f1", "open", "2019-10-08", "2019-10-08"), filing("f2", "close", "2019-11-20", "2019-11-20"),
               {"type": "announcement", "id": "n", "account_id": "a1", "reason": "open", "published_on": "2019-10-09"}]
    assert [f.subject.id for f in run("announcement_required", params, records, since="2019-09-01", as_of="2019-12-31")] == ["f2"]


def test_open_account_never_filed_is_reported_whenever_it_opened():
    params = {"actions": ["open"], "require_filing": True, "unfiled_open_accounts": True}
    records = [unit(), account("old", opened_on="2016-01-01"), account("filed", platform="douyin", opened_on="2016-01-01"),
               {**filing("f", "open", "2016-01-01", "2016-01-02"), "account_id": "filed"},
               account("gone", platform="toutiao", opened_on="2016-01-01", status="closed", closed_on="2018-01-01")]
    findings = run("filing_deadline", params, records, since="2019-06-01", as_of="2019-06-30")
    assert [f.subject.id for f in findings] == ["old"] and "瞒报漏报" in findings[0].message
