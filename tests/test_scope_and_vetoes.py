"""What a pack covers (exclude_platforms) and what its vetoes do, in every output.

Issue 16, classes 1 and 7: the pack's own document decides what is a 政务新媒体,
and a veto decides the verdict at every level and in every format.
"""

import csv
import io
import json
from datetime import date

import pytest

from govmedia_rules import Engine, GovMediaError, PackError, load_pack
from govmedia_rules.cli import main
from govmedia_rules.exporters.bulletin import build_bulletin
from govmedia_rules.exporters.bulletin_templates import to_html, to_markdown
from govmedia_rules.exporters.bulletin_xlsx import to_xlsx
from govmedia_rules.exporters.formats import FORMATS
from govmedia_rules.intake.files import items_from_values
from govmedia_rules.packs.model import Scoring, Selector
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, post, unit
from .packfiles import HEADER, write_pack

D = {"since": date(2019, 8, 1), "as_of": date(2019, 8, 31)}
FLAGS = one_rule_pack("forbidden_post_flags", {"flags": ["state_secret"]}, rule_id="secret")
VETO = FLAGS.model_copy(update={"scoring": Scoring(veto_rules=["secret"], pass_fail=True)})
LEAK = {"flags": ["state_secret"]}


def test_a_pack_exclusion_removes_a_platform_except_from_rules_naming_it():
    pack = Selector(exclude_platforms=["website"])
    assert Selector().narrowed_by(pack).exclude_platforms == ["website"]
    assert Selector(platforms=["website"]).narrowed_by(pack).exclude_platforms == []
    assert Selector(platforms=["app"], exclude_platforms=["app"]).narrowed_by(Selector()) is None
    assert Selector(platforms=["website"]).narrowed_by(Selector(platforms=["weibo"])) is None


def test_a_pack_that_excludes_websites_judges_no_website():
    pack = FLAGS.model_copy(update={"applies_to": Selector(exclude_platforms=["website"])})
    records = [unit(), account("a1"), account("site", platform="website"),
               post("p1", "2019-08-05T10:00:00", **LEAK),
               post("p2", "2019-08-05T10:00:00", account_id="site", **LEAK)]
    assert _flagged(pack, records) == ["p1"]


def test_an_account_outside_the_pack_scope_gets_no_verdict():
    pack = VETO.model_copy(update={"applies_to": Selector(exclude_platforms=["website"])})
    records = [unit(), account("a1"), account("site", platform="website")]
    report = Engine([pack], registry=REGISTRY).evaluate(records, **D)
    assert [s.subject.id for s in report.scores if s.subject.type == "account"] == ["a1"]


def test_a_county_government_with_only_a_website_has_no_government_new_media():
    records = [unit("gov", name="某县人民政府", level="county", kind="government"),
               account("site", "gov", platform="website", opened_on="2010-01-01")]
    findings = Engine(["lianyungang"], registry=REGISTRY).evaluate(records, **D).findings
    assert ("government-must-have-account", "gov") in {(f.rule, f.subject.id) for f in findings}


def test_a_mini_program_is_not_a_second_account_on_its_platform():
    pack = one_rule_pack("one_account_per_platform", {}, rule_id="one")
    records = [unit(), account("a1", platform="wechat"),
               account("mp", platform="wechat", subtype="miniprogram")]
    assert _flagged(pack, records) == []
    assert _flagged(pack, records + [account("a2", platform="wechat", subtype="service")]) == ["u1"]


def _flagged(pack, records):
    return [f.subject.id for f in Engine([pack], registry=REGISTRY).evaluate(records, **D).findings]


RULE = """\
  - id: {id}
    kind: forbidden_post_flags
    title: {title}
    params: {{flags: [state_secret]}}
    citation: {{document: 测试文件, article: 第一条, quote: 不得泄密。}}
"""


def _base(root):
    rules = RULE.format(id="veto", title="单项否决：泄密") + RULE.format(id="other", title="泄密")
    return write_pack(root, HEADER.format(id="base") + "rules:\n" + rules
                      + "scoring: {veto_rules: [veto], pass_fail: true}\n", "base")


def test_a_city_scoring_section_adds_to_the_inherited_vetoes(tmp_path):
    _base(tmp_path)
    child = write_pack(tmp_path, HEADER.format(id="child") + "extends: ../base\n"
                       + "scoring: {veto_rules: [other], deductions_source: 无分值}\n", "child")
    scoring = load_pack(child, REGISTRY).scoring
    assert scoring.veto_rules == ["veto", "other"]
    assert (scoring.pass_fail, scoring.deductions_source) == (True, "无分值")


def test_an_inherited_veto_is_removed_only_explicitly(tmp_path):
    _base(tmp_path)
    retitled = RULE.format(id="veto", title="泄密")
    removed = write_pack(tmp_path, HEADER.format(id="removed") + "extends: ../base\nrules:\n"
                         + retitled + "scoring:\n  drop_veto_rules: [{rule: veto, reason: 本市不作否决}]\n",
                         "removed")
    assert load_pack(removed, REGISTRY).scoring.veto_rules == []
    cases = {
        "wrong": "scoring:\n  drop_veto_rules: [{rule: other, reason: 无}]\n",
        "titled": "scoring:\n  drop_veto_rules: [{rule: veto, reason: 本市不作否决}]\n",
        "dropped": "drop_rules: [{rule: veto, reason: 另有规则}]\n",
    }
    for name, text in cases.items():
        with pytest.raises(PackError) as info:
            load_pack(write_pack(tmp_path, HEADER.format(id=name) + "extends: ../base\n" + text, name),
                      REGISTRY)
        assert "否决" in str(info.value), name


def test_a_rule_titled_veto_must_veto(tmp_path):
    rule = RULE.format(id="x", title="单项否决：泄密")
    folder = write_pack(tmp_path, HEADER.format(id="p") + "rules:\n" + rule)
    with pytest.raises(PackError, match="单项否决"):
        load_pack(folder, REGISTRY)


def test_the_national_single_veto_items_stay_vetoes_in_every_city_pack():
    national = set(load_pack("national", REGISTRY).scoring.veto_rules)
    for city in ("lianyungang", "ankang", "changde", "baicheng", "junshan"):
        pack = load_pack(city, REGISTRY)
        assert national <= set(pack.scoring.veto_rules) and pack.scoring.pass_fail, city
        assert not pack.scoring.deductions, city


RECORDS = [unit(), unit("u2"), account("a1"), account("a2", "u2"),
           post("p1", "2019-08-05T10:00:00", **LEAK), post("p2", "2019-08-06T10:00:00", **LEAK)]


def test_a_pack_without_points_gives_verdicts_and_no_number():
    report = Engine([VETO], registry=REGISTRY).evaluate(RECORDS, **D)
    results = {(s.subject.type, s.subject.id): s for s in report.scores}
    assert all(s.score is None and s.base is None and s.deducted is None for s in report.scores)
    assert (results["unit", "u1"].verdict, results["unit", "u1"].vetoes) == ("不合格", 2)
    assert (results["account", "a1"].verdict, results["unit", "u2"].verdict) == ("不合格", "合格")
    assert all(s["score"] is None for s in json.loads("".join(FORMATS["json"](report)))["scores"])
    for name in ("text", "markdown"):
        out = FORMATS[name](report)
        assert "单位 u1：不合格，单项否决 2 项" in out and "单位 u2：合格" in out and "100" not in out, name
    rows = list(csv.DictReader(io.StringIO(FORMATS["csv"](report))))
    assert [r["单项否决"] for r in rows if r["规则"]] == ["是", "是"]


def test_a_pack_with_points_scores_and_a_veto_zeroes_the_score():
    points = VETO.scoring.model_copy(update={"deductions": {"critical": 10}})
    pack = VETO.model_copy(update={"scoring": points})
    report = Engine([pack], registry=REGISTRY).evaluate(RECORDS, **D)
    scores = {s.subject.id: (s.score, s.verdict) for s in report.scores}
    assert scores["u1"] == (0, "不合格") and scores["u2"] == (100, "合格")
    assert "单位 u2：得分 100（扣 0 分），合格" in FORMATS["text"](report)


def test_warnings_do_not_fail_an_account_where_no_pack_judges_pass_fail():
    rule = FLAGS.rules[0].model_copy(update={"severity": "warning"})
    warning = FLAGS.model_copy(update={"rules": [rule]})
    records = RECORDS + [post("p3", "2019-09-05T10:00:00", account_id="a2", **LEAK)]
    bulletin = _bulletin(warning, records)
    assert (bulletin.accounts_checked, bulletin.accounts_passed) == (2, 2)


def test_the_bulletin_counts_vetoes_for_accounts_and_their_units(tmp_path):
    records = RECORDS + [post("p3", "2019-09-05T10:00:00", **LEAK)]
    bulletin = _bulletin(VETO, records)
    vetoed = [(v.type, v.id, v.findings) for v in bulletin.vetoed]
    assert vetoed == [("account", "a1", 1), ("unit", "u1", 1)]
    assert (bulletin.accounts_checked, bulletin.accounts_passed) == (2, 1)
    assert "单项否决账号1个、单位1个" in to_markdown(bulletin)
    assert "<td>单项否决单位</td><td class=\"n\">1</td>" in to_html(bulletin)
    import openpyxl

    path = tmp_path / "b.xlsx"
    path.write_bytes(to_xlsx(bulletin))
    book = openpyxl.load_workbook(path)
    assert [row[10] for row in book["问题清单"].iter_rows(values_only=True)] == ["单项否决", "是"]
    assert [row[1] for row in book["单项否决"].iter_rows(values_only=True)] == ["对象", "账号", "单位"]


def _bulletin(pack, records):
    engine = Engine([pack], registry=REGISTRY)
    return build_bulletin(engine, list(items_from_values(records)), "2019-09", trend=1)


def test_two_packs_of_one_id_in_one_run_are_an_error(tmp_path, capsys):
    with pytest.raises(GovMediaError, match="出现了多次"):
        Engine(["lianyungang", "lianyungang"], registry=REGISTRY)
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps(unit(), ensure_ascii=False) + "\n", encoding="utf-8")
    code = main(["check", "--pack", "national", "--pack", "national",
                 "--since", "2019-08-01", "--as-of", "2019-08-31", str(data)], registry=REGISTRY)
    assert code == 2 and "规则包 national 在一次检查中出现了多次" in capsys.readouterr().err
