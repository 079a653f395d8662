import json
from pathlib import Path

import pytest

from govmedia_rules.cli import main
from govmedia_rules.records import RECORD_TYPES

from .conftest import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "lianyungang.jsonl"
CHECK = ["check", "--pack", "lianyungang", "--since", "2019-08-01", "--as-of", "2019-12-31"]


def cli(args, capsys):
    try:
        code = main(args, registry=REGISTRY)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_check_json_follows_the_report_contract(capsys):
    code, out, err = cli(CHECK + ["--format", "json", str(EXAMPLE)], capsys)
    assert code == 1 and err == ""
    report = json.loads(out)
    assert set(report) >= {"engine", "version", "packs", "since", "as_of", "input", "findings", "scores", "warnings"}
    assert report["packs"][0]["id"] == "lianyungang" and len(report["packs"][0]["digest"]) == 64
    acct = report["input"]
    assert acct["read"] == acct["accepted"] + acct["rejected"] == sum(1 for _ in EXAMPLE.open(encoding="utf-8"))
    assert acct["rejections"][0]["line"] == acct["read"]
    finding = report["findings"][0]
    assert set(finding) >= {"rule", "kind", "pack", "severity", "subject", "message", "citation", "evidence", "due"}
    assert set(finding["citation"]) >= {"document", "article", "quote"}
    keys = [(f["pack"], f["rule"], f["subject"]["type"], f["subject"]["id"], f["message"]) for f in report["findings"]]
    assert keys == sorted(keys)


def test_check_text_and_markdown(capsys, tmp_path):
    code, out, _ = cli(CHECK + [str(EXAMPLE)], capsys)
    assert code == 1 and "发现问题" in out and "连政办发〔2019〕74号" in out and "被拒绝的输入记录" in out
    target = tmp_path / "r.md"
    code, out, _ = cli(CHECK + ["--format", "markdown", "-o", str(target), str(EXAMPLE)], capsys)
    assert code == 1 and out == "" and target.read_text(encoding="utf-8").startswith("# 政务新媒体检查报告")


def test_markdown_escapes_record_values(capsys, tmp_path):
    data = tmp_path / "x.jsonl"
    data.write_text('{"type":"unit","id":"u1","name":"单位","level":"county","kind":"government"}\n'
                    '{"type":"account","id":"a1","unit_id":"u1","name":"<script>|x","platform":"weibo","in_matrix":false}\n',
                    encoding="utf-8")
    _, out, _ = cli(CHECK + ["--format", "markdown", str(data)], capsys)
    assert "<script>" not in out and "&lt;script&gt;\\|x" in out


def test_no_findings_exits_zero(capsys, tmp_path):
    data = tmp_path / "empty.jsonl"
    data.write_text("", encoding="utf-8")
    code, out, _ = cli(CHECK + [str(data)], capsys)
    assert code == 0 and "未发现问题" in out


@pytest.mark.parametrize("args, words", [
    (CHECK + ["missing.jsonl"], ["missing.jsonl", "文件不存在"]),
    (CHECK + ["data.xml"], ["不支持的输入格式"]),
    (["check", "--pack", "atlantis", "--since", "2019-08-01", "--as-of", "2019-12-31", "x.jsonl"], ["atlantis"]),
    (["check", "--pack", "lianyungang", "--since", "2019-13-01", "--as-of", "2019-12-31", "x.jsonl"], ["日期无效"]),
    (["check", "--pack", "lianyungang", "--since", "2019-12-31", "--as-of", "2019-01-01", str(EXAMPLE)], ["晚于"]),
    (["frobnicate"], ["用法错误"]),
])
def test_user_mistakes_exit_2_with_one_clear_line(args, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.xml").write_text("<x/>")
    code, _, err = cli(args, capsys)
    assert code == 2
    for word in words:
        assert word in err
    assert "Traceback" not in err


def test_validate_reports_file_line_and_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pack.yaml").write_text("id: bad\ntitle: t\nissuer: i\njurisdiction: j\nversion: '1'\nrules: 3\n", encoding="utf-8")
    code, out, err = cli(["validate", str(bad), "policies/lianyungang"], capsys)
    assert code == 2
    assert f"{bad / 'pack.yaml'}:6:1: rules: " in err
    code, out, _ = cli(["validate", str(ROOT / "policies" / "lianyungang")], capsys)
    assert code == 0 and "有效" in out


def test_packs_lists_builtin_packs(capsys):
    code, out, _ = cli(["packs"], capsys)
    listed = {line.split("\t")[0] for line in out.splitlines()}
    assert code == 0 and listed == {d.name for d in (ROOT / "policies").iterdir() if (d / "pack.yaml").is_file()}


def test_schema_commands(capsys):
    code, out, _ = cli(["schema", "records"], capsys)
    assert code == 0 and all(t in out for t in RECORD_TYPES)
    code, out, _ = cli(["schema", "pack"], capsys)
    schema = json.loads(out)
    assert code == 0 and "update_frequency" in schema["$defs"]["Rule"]["properties"]["kind"]["enum"]


def test_pack_cases_command(capsys):
    code, out, _ = cli(["test", "lianyungang"], capsys)
    assert code == 0 and "0 failed" in out


def test_kinds_reference_page_is_current(capsys):
    code, out, _ = cli(["kinds"], capsys)
    assert code == 0
    assert (ROOT / "docs" / "kinds.md").read_text(encoding="utf-8") == out, "regenerate: govmedia-rules kinds > docs/kinds.md"


def test_explain_shows_origins_overrides_and_dropped_rules(capsys):
    code, out, _ = cli(["explain", "ankang"], capsys)
    assert code == 0 and "national → ankang" in out
    assert "覆盖：national 1.0.0 national/pack.yaml:" in out
    assert "已移除的继承规则" in out and "no-opinions-or-ads" in out
    code, out, _ = cli(["explain", "baicheng", "--format", "json"], capsys)
    info = json.loads(out)
    assert info["lineage"] == ["national", "baicheng"]
    filing = next(r for r in info["rules"] if r["id"] == "filing")
    assert filing["origin"].startswith("baicheng 1.0.0 baicheng/pack.yaml:") and filing["overrides"].startswith("national")
    assert any(d.startswith("review-before-publishing") for d in info["dropped"])


def test_pack_tests_formats_and_coverage_gate(capsys, tmp_path):
    code, out, _ = cli(["test", "lianyungang", "--format", "json", "--min-coverage", "100"], capsys)
    result = json.loads(out)
    assert code == 0 and result["coverage"]["lianyungang"]["percent"] == 100 and all(c["passed"] for c in result["cases"])
    code, out, _ = cli(["test", "changde", "--format", "junit"], capsys)
    assert code == 0 and out.startswith("<?xml") and 'failures="0"' in out
    # a pack with a rule no case shows firing fails the gate
    import shutil

    folder = tmp_path / "lianyungang"
    shutil.copytree(ROOT / "policies" / "lianyungang", folder)
    (folder / "cases" / "spot-check.yaml").unlink()
    code, out, err = cli(["test", str(folder), "--min-coverage", "100"], capsys)
    assert code == 1 and "notified-in-national-or-provincial-check" in out and "低于" in err


def test_clause_coverage_lists_every_sentence(capsys):
    code, out, _ = cli(["coverage", "lianyungang"], capsys)
    assert code == 0 and "不可检查：" in out and "由规则检查" in out
    assert "[三（二）] 全面实施政务新媒体分级备案制度" in out


def test_editor_schema_is_current_and_named_by_every_pack(capsys):
    code, out, _ = cli(["schema", "pack"], capsys)
    assert json.loads((ROOT / "docs" / "pack.schema.json").read_text(encoding="utf-8")) == json.loads(out), \
        "regenerate: govmedia-rules schema pack > docs/pack.schema.json"
    for pack in (ROOT / "policies").glob("*/pack.yaml"):
        assert pack.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../docs/pack.schema.json")
