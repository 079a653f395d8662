"""A folder of Parquet tables gives the same report as the same records in JSON Lines."""

import json
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from govmedia_rules import Engine
from govmedia_rules.cli import main

from .conftest import REGISTRY
from .test_cli import EXAMPLE


def _write_tables(folder, records):
    by_type = {}
    for r in records:
        by_type.setdefault(r["type"], []).append({k: v for k, v in r.items() if k != "type"})
    for kind, rows in by_type.items():
        columns = sorted({k for row in rows for k in row})
        table = pa.table({c: [row.get(c) for row in rows] for c in columns})  # nested fields become structs and lists
        pq.write_table(table, folder / f"{kind}s.parquet")


def test_parquet_folder_matches_json_lines(tmp_path):
    records = [json.loads(line) for line in EXAMPLE.read_text(encoding="utf-8").splitlines()]
    folder = tmp_path / "tables"
    folder.mkdir()
    _write_tables(folder, records)
    engine = Engine(["lianyungang"], registry=REGISTRY)
    window = {"since": date(2019, 8, 1), "as_of": date(2019, 12, 31)}
    from_parquet = engine.evaluate_files([folder], **window)
    from_jsonl = engine.evaluate_files([EXAMPLE], **window)
    assert from_parquet.input.read == from_jsonl.input.read and from_parquet.input.rejected == 1
    key = [(f.rule, f.subject.id, f.message) for f in from_jsonl.findings]
    assert [(f.rule, f.subject.id, f.message) for f in from_parquet.findings] == key


def test_parquet_rows_are_validated_and_named_by_table_and_row(tmp_path, capsys):
    folder = tmp_path / "tables"
    folder.mkdir()
    pq.write_table(pa.table({"id": ["u1"], "name": ["某局"], "level": ["city"], "kind": ["department"]}), folder / "units.parquet")
    pq.write_table(pa.table({"id": ["a1", "a2"], "unit_id": ["u1", "u1"], "name": ["号", "号2"],
                             "platform": ["weibo", "weixin"]}), folder / "accounts.parquet")
    code = main(["check", "--pack", "lianyungang", "--since", "2019-08-01", "--as-of", "2019-12-31", "--format", "json",
                 str(folder)], registry=REGISTRY)
    report = json.loads(capsys.readouterr().out)
    # a registry of names alone shows no breach; what it cannot show is listed, not reported
    assert code == 0 and report["input"]["read"] == 3 and report["not_evaluated"]
    [rejection] = report["input"]["rejections"]
    assert rejection["source"].endswith("accounts.parquet") and rejection["line"] == 2 and "platform" in rejection["reason"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", "--pack", "lianyungang", "--since", "2019-08-01", "--as-of", "2019-12-31", str(empty)],
                registry=REGISTRY) == 2
