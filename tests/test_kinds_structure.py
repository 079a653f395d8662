from datetime import date

from govmedia_rules import Engine
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, run, unit

AS_OF = {"since": "2019-01-01", "as_of": "2019-12-31"}


def test_two_open_accounts_on_one_platform():
    records = [unit(), account("a1", opened_on="2018-01-01"), account("a2", opened_on="2018-01-01"),
               account("a3", platform="douyin")]
    [finding] = run("one_account_per_platform", {}, records, **AS_OF)
    assert finding.subject.id == "u1" and finding.evidence["accounts"] == ["a1", "a2"]


def test_a_closed_duplicate_does_not_count():
    records = [unit(), account("a1"), account("a2", status="closed", closed_on="2019-06-01")]
    assert run("one_account_per_platform", {}, records, **AS_OF) == []


def test_subscription_and_service_accounts_apart_when_asked():
    records = [unit(), account("a1", platform="wechat", subtype="service"),
               account("a2", platform="wechat", subtype="subscription")]
    assert len(run("one_account_per_platform", {}, records, **AS_OF)) == 1
    assert run("one_account_per_platform", {"by_subtype": True}, records, **AS_OF) == []


def test_one_media_kind_per_unit():
    records = [unit(), account("a1"), account("a2", platform="wechat")]
    [finding] = run("one_media_kind_per_unit", {}, records, **AS_OF)
    assert finding.evidence["platforms"] == ["wechat", "weibo"]
    assert run("one_media_kind_per_unit", {}, records[:2], **AS_OF) == []


def test_internal_body_may_not_open_new_accounts():
    records = [unit("u1", kind="internal_body"), account("old", opened_on="2019-01-01"),
               account("new", opened_on="2019-07-16"), unit("u2"), account("fine", "u2", opened_on="2019-08-01")]
    params = {"unit_kinds": ["internal_body"], "opened_since": "2019-07-16"}
    [finding] = run("forbidden_sponsor_units", params, records, **AS_OF)
    assert finding.subject.id == "new"
    assert len(run("forbidden_sponsor_units", {"unit_kinds": ["internal_body"]}, records, **AS_OF)) == 2


def test_township_level_forbidden():
    records = [unit("u1", level="township", kind="government"), account("a1")]
    assert len(run("forbidden_sponsor_units", {"unit_levels": ["township"]}, records, **AS_OF)) == 1


def test_county_government_without_account():
    records = [unit("u1", level="county", kind="government"), unit("u2", level="county", kind="government"),
               account("a1", "u2"), unit("u3", level="county", kind="department")]
    [finding] = run("required_unit_account", {}, records, applies_to={"unit_kinds": ["government"]}, **AS_OF)
    assert finding.subject.id == "u1"


def test_classified_and_non_public_units_are_exempt():
    records = [unit("u1", classified=True), unit("u2", public_facing=False), unit("u3")]
    [finding] = run("required_unit_account", {}, records, **AS_OF)
    assert finding.subject.id == "u3"
    assert len(run("required_unit_account", {"exempt_classified": False}, records, **AS_OF)) == 2


def test_names_must_match_across_platforms():
    records = [unit(), account("a1", name="安康发布"), account("a2", name="安康 发布", platform="douyin")]
    assert run("name_consistency", {}, records, **AS_OF) == []
    records.append(account("a3", name="安康市政府", platform="toutiao"))
    [finding] = run("name_consistency", {}, records, **AS_OF)
    assert finding.evidence["names"] == ["安康发布", "安康市政府"]


def test_place_name_needs_approval_before_opening():
    params = {"patterns": ["安康", "汉滨"]}
    records = [unit(), account("a1", name="安康发布", opened_on="2019-05-01", name_approved_on="2019-04-30"),
               account("a2", name="汉滨教育", opened_on="2019-05-01", name_approved_on="2019-05-02", platform="douyin"),
               account("a3", name="政务服务", platform="toutiao"), account("a4", name="安康税务", platform="kuaishou")]
    findings = run("name_approval", params, records, **AS_OF)
    assert sorted(f.subject.id for f in findings) == ["a2", "a4"]


def test_bad_regex_is_a_param_error():
    import pydantic
    import pytest

    from govmedia_rules.kinds import BUILTIN_KINDS

    kind = next(k for k in BUILTIN_KINDS if k.name == "name_approval")
    with pytest.raises(pydantic.ValidationError):
        kind.from_params({"patterns": ["(unclosed"]})


def test_a_rule_on_openings_judges_accounts_opened_since_the_document_only():
    """An account opened in 2016 whose name was approved in 2020 was not approved after opening under a
    2020 rule; ``period`` (a document without a date) judges the accounts opened in the evaluated period."""
    records = [unit(), account("old", name="安康发布", opened_on="2016-05-01", name_approved_on="2020-03-01"),
               account("new", name="安康教育", opened_on="2020-02-03", name_approved_on="2020-03-02",
                       platform="douyin")]
    window = {"since": "2020-01-01", "as_of": "2020-12-31"}
    assert len(run("name_approval", {"patterns": ["安康"]}, records, **window)) == 2
    for since in ("2020-01-01", "period"):
        [finding] = run("name_approval", {"patterns": ["安康"], "opened_since": since}, records, **window)
        assert finding.subject.id == "new"
    internal = [unit(kind="internal_body"), *records[1:]]
    [finding] = run("forbidden_sponsor_units", {"unit_kinds": ["internal_body"], "opened_since": "period"},
                    internal, **window)
    assert finding.subject.id == "new"
    alone = {"require": {"field": "for_special_event", "equals": False}, "opened_since": "period"}
    events = [unit(), *(dict(a, for_special_event=True) for a in records[1:])]
    [finding] = run("condition", alone, events, **window)  # 不单独开办: the 2016 account is not judged
    assert finding.subject.id == "new"
    blank = [unit(), account("undated", for_special_event=True)]
    report = Engine([one_rule_pack("condition", alone)], registry=REGISTRY).evaluate(
        blank, since=date(2020, 1, 1), as_of=date(2020, 12, 31), complete=["all"])
    assert report.findings == [] and report.not_evaluated[0].missing == ["account.opened_on"]
