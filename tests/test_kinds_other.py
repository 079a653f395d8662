from datetime import date

from govmedia_rules import Engine
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, run, unit

SINCE = {"since": "2019-08-01", "as_of": "2019-12-31"}


def login(lid, **kw):
    return {"type": "login", "id": lid, "account_id": "a1", "at": "2019-08-01T09:00:00", "device": "dedicated",
            "logged_out_at": "2019-08-01T10:00:00", **kw}


def test_login_security():
    records = [unit(), account(), login("ok"), login("pub", device="public"), login("auto", auto_login=True),
               login("stay", logged_out_at=None)]
    findings = run("login_security", {}, records, **SINCE)
    assert sorted(f.subject.id for f in findings) == ["auto", "pub", "stay"]
    allowed = run("login_security", {"devices": ["dedicated", "public"], "require_logout": False}, records, **SINCE)
    assert [f.subject.id for f in allowed] == ["auto"]


def test_incidents_in_window_only():
    records = [unit(), account(),
               {"type": "incident", "id": "i1", "account_id": "a1", "kind": "fake_followers", "on": "2019-09-01"},
               {"type": "incident", "id": "i2", "account_id": "a1", "kind": "impersonation", "on": "2019-09-01"},
               {"type": "incident", "id": "i3", "account_id": "a1", "kind": "fake_followers", "on": "2019-07-01"}]
    [finding] = run("incidents", {"kinds": ["fake_followers"]}, records, **SINCE)
    assert finding.evidence["incident"] == "i1"


def test_spot_check_veto_needs_notification():
    def check(cid, **kw):
        return {"type": "spot_check", "id": cid, "account_id": "a1", "level": "provincial", "on": "2019-09-01",
                "result": "deducted", "notified": True, **kw}
    records = [unit(), account(), check("s1"), check("s2", notified=False), check("s3", level="city"),
               check("s4", result="pass")]
    params = {"levels": ["national", "provincial"], "results": ["deducted", "vetoed"]}
    assert [f.evidence["spot_check"] for f in run("spot_check_veto", params, records, **SINCE)] == ["s1"]


def report(rid, kind, period, submitted, **kw):
    return {"type": "report", "id": rid, "unit_id": "u1", "kind": kind, "period": period, "submitted_on": submitted, **kw}


QUARTERLY = {"report_kind": "quarterly_self_check", "period": "quarter", "due": {"after_end": {"working_days": 5}}}


def test_quarterly_report_due_five_working_days_after_the_quarter():
    # 2019Q3 ends 09-30; after National Day the 5th working day is Saturday 10-12 (make-up workday)
    base = [unit(), account()]
    assert run("periodic_report", QUARTERLY, base + [report("r", "quarterly_self_check", "2019Q3", "2019-10-12")],
               since="2019-10-01", as_of="2019-12-31") == []
    [finding] = run("periodic_report", QUARTERLY, base + [report("r", "quarterly_self_check", "2019Q3", "2019-10-14")],
                    since="2019-10-01", as_of="2019-12-31")
    assert "晚于2019-10-12" in finding.message


def test_missing_quarterly_report_is_due_dated():
    [finding] = run("periodic_report", QUARTERLY, [unit(), account()], since="2019-10-01", as_of="2019-12-31")
    assert finding.due.isoformat() == "2019-10-12" and "2019年第三季度" in finding.message
    assert run("periodic_report", QUARTERLY, [unit(), account()], since="2019-10-01", as_of="2019-10-12") == []


def test_unit_without_accounts_owes_no_report_unless_asked():
    assert run("periodic_report", QUARTERLY, [unit()], since="2019-10-01", as_of="2019-12-31") == []
    params = {**QUARTERLY, "only_units_with_accounts": False}
    assert len(run("periodic_report", params, [unit()], since="2019-10-01", as_of="2019-12-31")) == 1


def test_one_off_report_signed_and_stamped():
    params = {"report_kind": "survey", "due": {"on": "2019-06-21"}, "signed_by_principal": True, "stamped": True}
    base = [unit(), account()]
    good = report("r", "survey", None, "2019-06-21", signed_by_principal=True, stamped=True)
    assert run("periodic_report", params, base + [good], since="2019-06-01", as_of="2019-12-31") == []
    unsigned = {**good, "signed_by_principal": False, "submitted_on": "2019-06-24"}
    [finding] = run("periodic_report", params, base + [unsigned], since="2019-06-01", as_of="2019-12-31")
    assert "未经主要领导签字" in finding.message and "晚于2019-06-21" in finding.message
    assert run("periodic_report", params, base, since="2019-07-01", as_of="2019-12-31") == []


def test_report_due_in_a_month_of_the_period():
    # due on day 5 of the second month of each quarter
    params = {"report_kind": "ops_report", "period": "quarter", "due": {"month_of_period": 2, "day": 5}}
    [finding] = run("periodic_report", params, [unit(), account()], since="2019-08-01", as_of="2019-08-31")
    assert finding.due.isoformat() == "2019-08-05" and "2019年第三季度" in finding.message


def test_attestations_required_and_fresh():
    params = {"items": ["security_management", "emergency_plan"], "valid_for": {"months": 12}}
    base = [unit(), account()]
    att = [{"type": "attestation", "id": "t1", "unit_id": "u1", "item": "security_management", "on": "2019-03-01"},
           {"type": "attestation", "id": "t2", "unit_id": "u1", "item": "emergency_plan", "on": "2018-12-01"}]
    [finding] = run("attestation", params, base + att, since="2019-01-01", as_of="2019-12-31")
    assert finding.evidence["missing"] == ["emergency_plan"]
    assert run("attestation", params, base + att, since="2019-01-01", as_of="2019-11-30") == []
    per_account = {"items": ["duty_roster"], "subject": "account"}
    acc_att = {"type": "attestation", "id": "t3", "account_id": "a1", "item": "duty_roster", "on": "2019-03-01"}
    assert run("attestation", per_account, base + [acc_att], since="2019-01-01", as_of="2019-12-31") == []
    assert len(run("attestation", per_account, base, since="2019-01-01", as_of="2019-12-31")) == 1


def test_condition_when_and_require():
    params = {"when": {"field": "operation_mode", "equals": "outsourced"},
              "require": {"field": "security_agreement", "equals": True}}
    records = [unit(), account("a1", operation_mode="outsourced"), account("a2", operation_mode="outsourced",
               security_agreement=True, platform="douyin"), account("a3", operation_mode="self", platform="toutiao")]
    [finding] = run("condition", params, records, **SINCE)
    assert finding.subject.id == "a1" and "安全保密协议" in finding.message


def test_condition_compares_with_the_unit():
    params = {"require": {"field": "certified_sponsor", "same_as": "unit.name"}}
    records = [unit(name="安康市人民政府"), account("a1", certified_sponsor="安康市人民政府"),
               account("a2", certified_sponsor="某公司", platform="douyin")]
    assert [f.subject.id for f in run("condition", params, records, **SINCE)] == ["a2"]


def test_condition_combinators():
    params = {"require": {"any": [{"field": "in_matrix", "equals": True},
                                  {"not": {"field": "status", "in": ["active"]}}]}}
    records = [unit(), account("a1", in_matrix=True), account("a2", platform="douyin"),
               account("a3", platform="toutiao", status="suspended")]
    assert [f.subject.id for f in run("condition", params, records, **SINCE)] == ["a2"]


def test_condition_field_typo_is_a_param_error():
    import pydantic
    import pytest

    from govmedia_rules.kinds.condition import Condition

    with pytest.raises(pydantic.ValidationError) as info:
        Condition.from_params({"require": {"field": "certifed_sponsor", "present": True}})
    assert "certifed_sponsor" in str(info.value)
    with pytest.raises(pydantic.ValidationError):
        Condition.from_params({"require": {"field": "ipv6", "equals": True, "present": True}})


def test_app_ipv6_and_news_license():
    records = [unit(), account("app1", platform="app", ipv6=False), account("app2", platform="app", ipv6=True),
               account("w1", provides_news_service=True), account("w2", provides_news_service=True,
                                                                   news_license="32120170001", platform="douyin")]
    assert [f.subject.id for f in run("app_ipv6", {}, records, applies_to={"platforms": ["app"]}, **SINCE)] == ["app1"]
    assert [f.subject.id for f in run("news_license", {}, records, **SINCE)] == ["w1"]


def test_required_fields_names_what_is_missing():
    params = {"fields": ["certified_sponsor", "principal.name", "contact.mobile"]}
    records = [unit(), account("a1", certified_sponsor="x", principal={"name": "张三"}, contact={"mobile": "138"}),
               account("a2", platform="douyin", principal={"title": "主任"})]
    [finding] = run("required_fields", params, records, **SINCE)
    assert finding.subject.id == "a2" and finding.evidence["missing"] == params["fields"]
    assert "负责人姓名" in finding.message


def test_condition_contains():
    params = {"require": {"field": "functions", "contains": "interact"}}
    records = [unit(), account("a1", functions=["publish", "interact"]), account("a2", platform="douyin", functions=["publish"])]
    assert [f.subject.id for f in run("condition", params, records, **SINCE)] == ["a2"]


def test_repeated_problems_within_the_look_back():
    def check(cid, on, result="deducted"):
        return {"type": "spot_check", "id": cid, "account_id": "a1", "level": "city", "on": on, "result": result}
    params = {"min_problems": 2, "within": {"months": 3}}
    records = [unit(), account(), check("c1", "2019-08-15"), check("c2", "2019-10-10"), check("c3", "2019-11-01", "pass")]
    # the three months ending 11-14 start on 08-15; a day later c1 has left the window
    [finding] = run("repeated_problems", params, records, since="2019-01-01", as_of="2019-11-14")
    assert finding.evidence["spot_checks"] == ["c1", "c2"]
    assert run("repeated_problems", params, records, since="2019-01-01", as_of="2019-11-15") == []


OPS = {"report_kind": "ops_report", "period": "quarter", "due": {"month_of_period": 2, "working_day": 5},
       "reporters": [{"unit_levels": ["county"], "body": "approval_bureau", "with_accounts": False}]}


def test_reporters_are_named_by_the_body_a_unit_is_not_by_its_name():
    records = [unit("center", name="汉寿县政务服务中心", level="county", body="approval_bureau"),
               unit("named", name="某县行政审批服务局", level="county", body="government_office"),
               unit("blank", name="桃源县行政审批服务局", level="county")]
    window = {"since": "2019-07-01", "as_of": "2019-12-31"}
    assert {f.subject.id for f in run("periodic_report", OPS, records, **window)} == {"center"}
    report = Engine([one_rule_pack("periodic_report", OPS)], registry=REGISTRY).evaluate(
        records, since=date(2019, 7, 1), as_of=date(2019, 12, 31), complete=["report"])
    [entry] = report.not_evaluated  # a blank body: whether the sentence binds the unit is unknown
    assert (entry.missing, entry.examples) == (["unit.body"], ["blank"])
