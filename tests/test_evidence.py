"""The evidence model: absent data leaves a subject not evaluable, never in violation (docs/evidence.md)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govmedia_rules import Engine
from govmedia_rules.cli import main
from govmedia_rules.testing import histories

from .conftest import REGISTRY, account, post, unit

SINCE, AS_OF = date(2019, 8, 1), date(2019, 12, 31)
PACKS = ["national", "lianyungang", "ankang", "changde", "baicheng", "junshan", "zhaoqing"]
#: kinds that read what a monitoring office does not have: sign-offs, source approval, internal paperwork
#: and registry cells it left blank
BLIND_KINDS = {"approval_chain", "repost_source", "attestation", "periodic_report", "login_security",
               "condition", "required_fields", "app_ipv6", "news_license", "name_approval"}


def monitoring_records(accounts: int = 6) -> list[dict]:
    """A monitoring office's data: a registry with blank cells, crawled posts (time, original or not,
    column), messages and filings; no sign-offs, source approvals, attestations, reports or logins."""
    records: list[dict] = [unit("u1", name="连云港市教育局"), unit("u2", name="连云港市人民政府", kind="government")]
    for i in range(accounts):
        aid = f"a{i}"
        records.append(account(aid, unit_id=f"u{1 + i % 2}", platform=["weibo", "wechat", "douyin"][i % 3],
                               opened_on="2019-01-01"))
        for day in range(1, 150 if i else 110, 3 + i):  # account i posts every 3 + i days; a0 falls silent
            at = date.fromordinal(date(2019, 8, 1).toordinal() + day)
            records.append(post(f"{aid}-p{day}", f"{at}T09:00:00", aid, original=day % 2 == 0,
                                **({} if day % 2 == 0 else {"repost_source": "某网站"})))
        records.append({"type": "message", "id": f"{aid}-m", "account_id": aid, "received_at": "2019-09-02T10:00:00",
                        "replied_at": "2019-09-03T10:00:00" if i % 2 else None})
        records.append({"type": "filing", "id": f"{aid}-f", "account_id": aid, "action": "change",
                        "action_on": "2019-09-02", "filed_on": "2019-09-09"})
    return records


@pytest.mark.parametrize("pack", PACKS)
def test_monitoring_data_gives_no_finding_from_absent_data(pack):
    engine = Engine([pack], registry=REGISTRY)
    report = engine.evaluate(monitoring_records(), since=SINCE, as_of=AS_OF)
    assert not [f.rule for f in report.findings if f.kind in BLIND_KINDS]
    listed = {n.rule for n in report.not_evaluated}
    blind = {rule.id for rule in engine.packs[0].rules
             if rule.kind in {"repost_source", "attestation", "periodic_report", "login_security"}
             or (rule.kind == "approval_chain" and "routine" in rule.params["tiers"])}  # crawled posts: routine
    assert blind and blind <= listed, blind - listed
    # what the data does show still fires: silent weeks, unanswered messages
    assert {f.kind for f in report.findings} & {"update_frequency", "message_reply", "dormant_account"}


def test_not_evaluated_is_one_entry_per_rule_and_missing_set_with_five_smallest_examples():
    report = Engine(["lianyungang"], registry=REGISTRY).evaluate(monitoring_records(8), since=SINCE, as_of=AS_OF)
    keys = [(n.pack, n.rule, n.subject_type, tuple(n.missing)) for n in report.not_evaluated]
    assert len(keys) == len(set(keys))
    [review] = [n for n in report.not_evaluated if n.rule == "review-before-publishing"]
    posts = [r for r in monitoring_records(8) if r["type"] == "post"]
    in_window = sorted(p["id"] for p in posts if p["published_at"][:10] >= str(SINCE))
    assert (review.subjects, review.missing, review.examples) == (len(in_window), ["post.signoffs"], in_window[:5])


def test_known_empty_signoffs_violate_and_absent_ones_cannot_be_judged():
    records = [unit(), account(), post("known", "2019-09-02T10:00:00", signoffs=[]),
               post("absent", "2019-09-03T10:00:00")]
    report = Engine(["national"], registry=REGISTRY).evaluate(records, since=SINCE, as_of=AS_OF)
    review = [f.subject.id for f in report.findings if f.rule == "review-before-publishing"]
    [entry] = [n for n in report.not_evaluated if n.rule == "review-before-publishing"]
    assert review == ["known"] and entry.examples == ["absent"] and entry.missing == ["post.signoffs"]
    declared = Engine(["national"], registry=REGISTRY, complete=["post.signoffs"]).evaluate(
        records, since=SINCE, as_of=AS_OF)
    assert sorted(f.subject.id for f in declared.findings if f.rule == "review-before-publishing") == [
        "absent", "known"]


def test_a_record_type_counts_once_the_input_carries_it():
    records = [unit(), account(opened_on="2019-01-01"), post("p", "2019-09-02T10:00:00")]
    engine = Engine(["lianyungang"], registry=REGISTRY)
    without = engine.evaluate(records, since=SINCE, as_of=AS_OF)
    assert "security-systems" in {n.rule for n in without.not_evaluated}
    assert "security-systems" not in {f.rule for f in without.findings}
    other = {"type": "attestation", "id": "t1", "unit_id": "u1", "item": "budget", "on": "2019-01-05"}
    carried = engine.evaluate(records + [other], since=SINCE, as_of=AS_OF)
    assert "security-systems" in {f.rule for f in carried.findings}
    declared = engine.evaluate(records, since=SINCE, as_of=AS_OF, complete=["attestation"])
    assert "security-systems" in {f.rule for f in declared.findings}


def test_a_blank_registry_cell_is_unknown_not_no():
    records = [unit(), account(opened_on="2019-01-01"), account("a2", platform="wechat", in_matrix=False,
                                                                opened_on="2019-01-01")]
    report = Engine(["lianyungang"], registry=REGISTRY).evaluate(records, since=SINCE, as_of=AS_OF)
    assert [f.subject.id for f in report.findings if f.rule == "in-matrix"] == ["a2"]
    [entry] = [n for n in report.not_evaluated if n.rule == "in-matrix"]
    assert entry.examples == ["a1"] and entry.missing == ["account.in_matrix"]


@settings(max_examples=25)
@given(records=histories(max_accounts=3, max_events=20, details=True, sparse=True),
       pack=st.sampled_from(PACKS), as_of=st.dates(date(2019, 3, 1), date(2020, 1, 31)))
def test_a_rule_that_judged_everyone_judges_as_if_the_input_were_complete(records, pack, as_of):
    """Absence only ever withholds a verdict: every rule not listed as not evaluable gives exactly the
    findings it gives when the input is declared the whole truth."""
    engine = Engine([pack], registry=REGISTRY)
    report = engine.evaluate(records, since=date(2019, 1, 1), as_of=as_of)
    whole = engine.evaluate(records, since=date(2019, 1, 1), as_of=as_of, complete=["all"])
    listed = {n.rule for n in report.not_evaluated}
    def judged(findings):
        return sorted((f.rule, f.subject.type, f.subject.id) for f in findings if f.rule not in listed)
    # the same subjects are found in breach (a message names only what is known to be missing)
    assert judged(report.findings) == judged(whole.findings)


def test_integer_ids_from_a_database_are_their_decimal_text():
    records = [{"type": "unit", "id": 7, "name": "某局", "level": "city", "kind": "department"},
               {"type": "account", "id": 70, "unit_id": 7, "name": "某号", "platform": "weibo"}]
    report = Engine(["national"], registry=REGISTRY).evaluate(records, since=SINCE, as_of=AS_OF)
    assert report.input.rejected == 0


def test_rejections_carry_a_field_and_a_code():
    records = [{"type": "acount", "id": "a"}, {"type": "unit", "id": "u", "name": "x", "level": "city",
                                                 "kind": "department", "colour": 1},
               {"type": "unit", "id": "u", "name": "x", "level": "city", "kind": "department"},
               {"type": "unit", "id": "u", "name": "x", "level": "city", "kind": "department"},
               {"type": "post", "id": "p", "account_id": "nobody", "published_at": "2019-09-01T10:00:00"},
               {"type": "unit", "id": "v", "name": "x", "level": "city"}]
    report = Engine(["national"], registry=REGISTRY).evaluate(records, since=SINCE, as_of=AS_OF)
    got = [(r.line, r.field, r.code) for r in report.input.rejections]
    assert got == [(1, "type", "enum"), (2, "colour", "unknown_field"), (4, "id", "duplicate_id"),
                   (5, "account_id", "unknown_reference"), (6, "kind", "missing")]


def test_input_of_which_nothing_was_accepted_is_an_input_error(tmp_path, capsys):
    data = tmp_path / "bad.jsonl"
    data.write_text(json.dumps({"type": "acount", "id": "a"}) + "\n", encoding="utf-8")
    code = main(["check", "--pack", "national", "--since", "2019-08-01", "--as-of", "2019-12-31", str(data)],
                registry=REGISTRY)
    assert code == 2 and "全部被拒绝" in capsys.readouterr().err


def test_strict_makes_any_rejection_an_input_error(tmp_path, capsys):
    data = tmp_path / "some.jsonl"
    lines = [unit(), account(opened_on="2019-01-01"), post("p", "2019-09-02T10:00:00"), {"type": "acount"}]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", encoding="utf-8")
    args = ["check", "--pack", "national", "--since", "2019-08-01", "--as-of", "2019-12-31", str(data)]
    assert main(args, registry=REGISTRY) in (0, 1)
    assert main(args + ["--strict"], registry=REGISTRY) == 2
    assert "严格模式" in capsys.readouterr().err


def test_a_misspelt_complete_entry_is_a_usage_error(capsys):
    code = main(["check", "--pack", "national", "--since", "2019-08-01", "--as-of", "2019-12-31",
                 "--complete", "attestations", "examples/lianyungang.jsonl"], registry=REGISTRY)
    assert code == 2 and "attestations" in capsys.readouterr().err


def test_a_missing_logout_counts_only_where_the_input_records_logouts():
    login = {"type": "login", "id": "l1", "account_id": "a1", "at": "2019-09-02T10:00:00", "device": "dedicated"}
    records = [unit(), account(opened_on="2019-01-01"), login]
    pack = "ankang"
    silent = Engine([pack], registry=REGISTRY).evaluate(records, since=SINCE, as_of=AS_OF)
    rules = {r.id for r in Engine([pack], registry=REGISTRY).packs[0].rules if r.kind == "login_security"}
    assert rules and not [f for f in silent.findings if f.rule in rules]
    assert {n.rule for n in silent.not_evaluated if n.missing == ["login.logged_out_at"]} >= rules
    logged = {**login, "id": "l2", "logged_out_at": "2019-09-02T11:00:00"}
    tracked = Engine([pack], registry=REGISTRY).evaluate(records + [logged], since=SINCE, as_of=AS_OF)
    assert {f.subject.id for f in tracked.findings if f.rule in rules} == {"l1"}
