"""Spark local mode gives the local engine's findings, row for row (partitioned by unit)."""

from __future__ import annotations

import json
import os
import shutil  # noqa: E402
import sys
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark
pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (17 or later) on PATH", allow_module_level=True)

from govmedia_rules import Engine  # noqa: E402
from govmedia_rules.intake import prepare_folder  # noqa: E402
from govmedia_rules.spark import evaluate  # noqa: E402

from .conftest import REGISTRY  # noqa: E402
from .test_batch import ROOT, write_folder  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("govmedia-rules-test")
               .config("spark.sql.session.timeZone", "Asia/Shanghai").config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    yield session
    session.stop()


def test_spark_findings_are_the_local_engines(spark, tmp_path):
    example = ROOT / "examples" / "lianyungang.jsonl"
    records = [json.loads(line) for line in example.read_text(encoding="utf-8").splitlines()]
    folder = write_folder(tmp_path / "tables", records)
    window = {"since": date(2019, 1, 1), "as_of": date(2019, 12, 31)}
    packs = ["lianyungang", "junshan"]
    local = Engine(packs, registry=REGISTRY).evaluate_prepared(prepare_folder(folder), **window)
    frames = {path.stem[:-1]: spark.read.parquet(str(path)) for path in sorted(Path(folder).glob("*.parquet"))}
    rows = evaluate(frames, packs, **window).collect()
    key = lambda pack, rule, subject_type, subject_id, message: (pack, rule, subject_type, subject_id, message)  # noqa: E731
    expected = sorted(key(f.pack, f.rule, f.subject.type, f.subject.id, f.message) for f in local.findings)
    assert len(expected) > 20  # enough findings of many rules for the comparison to mean something
    assert sorted(key(r.pack, r.rule, r.subject_type, r.subject_id, r.message) for r in rows) == expected
    by_subject = {(f.pack, f.rule, f.subject.id, f.message): f for f in local.findings}
    for row in rows:
        finding = by_subject[(row.pack, row.rule, row.subject_id, row.message)]
        assert (row.unit, row.account, row.due, row.citation_quote) == (finding.unit, finding.account, finding.due,
                                                                        finding.citation.quote)
        assert json.loads(row.evidence) == finding.model_dump(mode="json")["evidence"]
