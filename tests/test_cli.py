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
    data = tmp_path / "quiet.jsonl"
    data.write_text('{"type": "unit", "id": "u1", "name": "某局", "level": "city", "kind": "department"}\n',
                    encoding="utf-8")
    code, out, _ = cli(CHECK + [str(data)], capsys)
    assert code == 0 and "未发现问题" in out


def test_empty_input_is_an_input_error_not_a_clean_bill(capsys, tmp_path):
    data = tmp_path / "empty.jsonl"
    data.write_text("", encoding="utf-8")
    code, _, err = cli(CHECK + [str(data)], capsys)
    assert code == 2 and "没有任何记录" in err


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
    assert f"{bad / 'pack.yaml'}:6:8: rules: " in err, "a wrong value is reported at the value"
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
    assert "《连政办发〔2019〕74号》" in out and "] 全面实施政务新媒体分级备案制度" in out


@pytest.mark.parametrize("which", ["pack", "case"])
def test_editor_schemas_are_current_and_named_by_every_pack(capsys, which):
    """The schemas sit in policies/, which the wheel ships as govmedia_rules/policies: the relative
    path a pack names works in a checkout and in an installed package alike."""
    code, out, _ = cli(["schema", which], capsys)
    assert json.loads((ROOT / "policies" / f"{which}.schema.json").read_text(encoding="utf-8")) == json.loads(out), \
        "regenerate: make docs"
    for pack in (ROOT / "policies").glob("*/pack.yaml"):
        assert pack.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../pack.schema.json")


ENGLISH = ("usage", "error:", "argument", "required", "invalid", "choose", "options", "show this", "positional",
           "expected", "unrecognized")


def test_version(capsys):
    code, out, _ = cli(["--version"], capsys)
    assert code == 0 and out.strip().endswith(__import__("govmedia_rules").__version__)


@pytest.mark.parametrize("args", [
    ["--help"], ["check", "--help"], ["diff", "-h"], [], ["check"], ["check", "--format", "xml"], ["frobnicate"],
    ["check", "--pack", "x", "--since", "2019-01-01", "--as-of", "2019-01-02", "a.jsonl", "--wat"],
    ["diff", "a", "b"], ["check", "--pack"],
])
def test_usage_help_and_errors_are_chinese(args, capsys):
    code, out, err = cli(args, capsys)
    text = (out + err).lower()
    assert code == (0 if "-h" in args or "--help" in args else 2)
    assert "用法：" in out + err
    assert not [word for word in ENGLISH if word in text], text


@pytest.mark.parametrize("name, pack", [("连云港", "lianyungang"), ("lianyungnag", "lianyungang"), ("国家", "national")])
def test_a_mistyped_or_chinese_pack_name_gets_a_suggestion(name, pack, capsys):
    code, _, err = cli(["check", "--pack", name, "--since", "2019-08-01", "--as-of", "2019-12-31", str(EXAMPLE)],
                       capsys)
    assert code == 2 and f"是否要找 {pack}" in err


def test_a_dash_reads_json_lines_from_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(EXAMPLE.read_bytes() + b"{oops\n")))
    code, out, _ = cli(CHECK + ["--format", "json", "-"], capsys)
    report = json.loads(out)
    assert code == 1 and report["input"]["read"] == sum(1 for _ in EXAMPLE.open(encoding="utf-8")) + 1
    assert report["input"]["rejections"][-1]["source"] == "标准输入"


def test_severity_shows_findings_of_that_severity_and_above(capsys):
    _, out, _ = cli(CHECK + ["--format", "json", str(EXAMPLE)], capsys)
    every = json.loads(out)["findings"]
    code, out, _ = cli(CHECK + ["--format", "json", "--severity", "critical", str(EXAMPLE)], capsys)
    shown = json.loads(out)["findings"]
    assert shown == [f for f in every if f["severity"] == "critical"] and len(shown) < len(every)
    assert code == (1 if shown else 0)
    code, _, err = cli(CHECK + ["--severity", "huge", str(EXAMPLE)], capsys)
    assert code == 2 and "用法错误" in err


def test_report_exits_1_with_findings(capsys, tmp_path):
    code, _, _ = cli(["report", "--pack", "lianyungang", "--period", "2019Q4", "--format", "json", str(EXAMPLE)], capsys)
    assert code == 1
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    code, _, err = cli(["report", "--pack", "lianyungang", "--period", "2019Q4", str(empty)], capsys)
    assert code == 2 and "没有任何记录" in err  # empty input is never a clean bill of health


def test_an_internal_error_exits_3_with_one_line_and_a_log(capsys, monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr("govmedia_rules.engine.Engine.evaluate_files", broken)
    code, out, err = cli(CHECK + [str(EXAMPLE)], capsys)
    assert code == 3 and out == "" and len(err.splitlines()) == 1 and "Traceback" not in err
    [log] = tmp_path.glob("govmedia-rules-*.log")
    assert str(log) in err and "ZeroDivisionError: bug" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("output, words", [
    ("missing/r.json", "不存在"), (".", "是文件夹"), ("EXAMPLE/r.json", "不是文件夹"), ("link.json", "符号链接"),
])
def test_a_bad_output_path_is_refused_before_evaluating(output, words, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link.json").symlink_to(tmp_path / "elsewhere.json")
    monkeypatch.setattr("govmedia_rules.engine.Engine.evaluate_files", lambda *a, **k: pytest.fail("evaluated"))
    code, _, err = cli(CHECK + ["-o", output.replace("EXAMPLE", str(EXAMPLE)), str(EXAMPLE)], capsys)
    assert code == 2 and words in err and len(err.splitlines()) == 1
    assert not (tmp_path / "elsewhere.json").exists()


def test_output_to_a_device_leaves_the_device(capsys, tmp_path):
    import os
    import stat

    from .test_outputs import null_device

    node = null_device(tmp_path)
    code, _, _ = cli(CHECK + ["-o", str(node), str(EXAMPLE)], capsys)
    assert code == 1 and stat.S_ISCHR(os.lstat(node).st_mode)


def test_csv_output_has_a_bom_unless_asked_not_to(capsys, tmp_path):
    target = tmp_path / "r.csv"
    cli(CHECK + ["--format", "csv", "-o", str(target), str(EXAMPLE)], capsys)
    assert target.read_bytes().startswith("\ufeff严重程度".encode())
    cli(CHECK + ["--format", "csv", "--no-bom", "-o", str(target), str(EXAMPLE)], capsys)
    assert target.read_bytes().startswith("严重程度".encode())


def test_progress_only_on_a_terminal_and_never_with_quiet(capsys, monkeypatch):
    from govmedia_rules import progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    _, _, err = cli(CHECK + [str(EXAMPLE)], capsys)
    assert "已用" in err
    _, _, err = cli(CHECK + ["-q", str(EXAMPLE)], capsys)
    assert err == ""


def test_jsonl_is_one_finding_a_line_and_json_streams_the_same_report(capsys):
    code, out, _ = cli(CHECK + ["--format", "jsonl", str(EXAMPLE)], capsys)
    lines = [json.loads(line) for line in out.splitlines()]
    code_json, whole, _ = cli(CHECK + ["--format", "json", str(EXAMPLE)], capsys)
    report = json.loads(whole)
    assert code == code_json == 1 and lines == report["findings"] and len(lines) > 5
    assert report["input"]["read"] > 0 and "not_evaluated" in report


def test_a_reader_that_stops_early_is_no_internal_error(tmp_path):
    import fcntl
    import subprocess
    import sys

    command = [sys.executable, "-m", "govmedia_rules.cli", *CHECK, "--format", "jsonl", str(EXAMPLE)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    fcntl.fcntl(proc.stdout.fileno(), 1031, 4096)  # F_SETPIPE_SZ: the report cannot fit in the pipe
    assert proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait(timeout=120) in (0, 1) and "内部错误" not in proc.stderr.read().decode("utf-8")
