"""The same engine inside Spark: record tables as DataFrames in, findings as a DataFrame out.

    from govmedia_rules.spark import evaluate

    findings = evaluate(
        {"unit": units_df, "account": accounts_df, "post": posts_df, "message": messages_df},
        ["lianyungang"],
        since=date(2019, 1, 1),
        as_of=date(2019, 12, 31),
    )
    findings.groupBy("rule").count().show()

Rules look at one unit and its accounts at a time, so the input is
partitioned by unit: every record is keyed by its unit (events through their
account), the tables are stacked, and each unit's rows are evaluated by the
batch path (:mod:`govmedia_rules.intake`) in a worker with ``applyInArrow``.
Waivers are small and go to every unit. The findings are the local engine's,
row for row. Needs the ``spark`` extra (pyspark, pandas, pyarrow, numpy); set
``PYSPARK_PYTHON`` to the interpreter that has govmedia-rules installed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import reduce
from pathlib import Path
from typing import Any

import pyarrow as pa

#: the columns of the findings DataFrame: the Finding contract, flattened, as workers write them
_ARROW_SCHEMA = pa.schema(
    [
        *(
            (name, pa.string())
            for name in (
                "pack",
                "rule",
                "kind",
                "severity",
                "title",
                "subject_type",
                "subject_id",
                "unit",
                "account",
                "message",
                "citation_document",
                "citation_article",
                "citation_quote",
                "evidence",
            )
        ),
        ("due", pa.date32()),
        ("waiver", pa.string()),
    ]
)
#: the same columns in Spark's DDL, stated once above
FINDINGS_SCHEMA = ", ".join(
    f"{f.name} {'date' if pa.types.is_date32(f.type) else 'string'}" for f in _ARROW_SCHEMA
)
_UNIT, _TYPE = "__unit", "__type"


def evaluate(
    frames: Mapping[str, Any], packs: Sequence[str | Path], *, since: date, as_of: date
) -> Any:
    """Findings of ``packs`` over DataFrames keyed by record type, partitioned by unit.

    ``frames`` maps a record type (``unit``, ``account``, ``post`` …) to a
    DataFrame with the contract's field names as columns. Packs are given by
    installed id or folder, as to :class:`~govmedia_rules.Engine`.
    """
    from pyspark.sql import functions as F

    frames = dict(frames)
    if "unit" not in frames or "account" not in frames:
        raise ValueError("frames must include 'unit' and 'account'")
    owners = frames["account"].select(
        F.col("id").alias("__account"), F.col("unit_id").alias("__owner")
    )
    keyed = []
    for kind, frame in frames.items():
        if kind == "waiver":
            continue
        if kind == "unit":
            frame = frame.withColumn(_UNIT, F.col("id"))
        elif "account_id" in frame.columns:  # events reach their unit through their account
            unit = (
                F.coalesce(F.col("unit_id"), F.col("__owner"))
                if "unit_id" in frame.columns
                else F.col("__owner")
            )
            frame = (
                frame.join(owners, frame["account_id"] == owners["__account"], "left")
                .withColumn(_UNIT, unit)
                .drop("__account", "__owner")
            )
        else:  # accounts, reports, unit attestations
            frame = frame.withColumn(_UNIT, F.col("unit_id"))
        keyed.append(frame.withColumn(_TYPE, F.lit(kind)))
    if "waiver" in frames:
        units = frames["unit"].select(F.col("id").alias(_UNIT))
        keyed.append(frames["waiver"].crossJoin(units).withColumn(_TYPE, F.lit("waiver")))
    columns = {kind: list(frame.columns) for kind, frame in frames.items()}
    stacked = reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), keyed)
    run = _unit_evaluator(tuple(str(p) for p in packs), columns, since, as_of, _present(frames))
    return stacked.groupBy(_UNIT).applyInArrow(run, FINDINGS_SCHEMA)


def _present(frames: Mapping[str, Any]) -> frozenset[str]:
    """The record types, and process dates, the whole input carries: a unit's partition judges on
    the evidence of the whole input (a unit without attestations is in breach once others have
    some)."""
    from pyspark.sql import functions as F

    from .dataset.evidence import PROCESS_DATES

    present = set()
    for kind, frame in frames.items():
        if frame.limit(1).count():
            present.add(kind)
            for name in PROCESS_DATES.get(kind, ()):
                if name in frame.columns and frame.filter(F.col(name).isNotNull()).limit(1).count():
                    present.add(f"{kind}.{name}")
    return frozenset(present)


def _unit_evaluator(
    packs: tuple[str, ...],
    columns: dict[str, list[str]],
    since: date,
    as_of: date,
    present: frozenset[str],
) -> Callable[[pa.Table], pa.Table]:
    """What each worker runs on one unit's rows: split by type, evaluate on the batch path,
    flatten findings."""

    def run(rows: pa.Table) -> pa.Table:
        import pyarrow.compute as pc

        from .intake import prepare_tables
        from .records import reading_order

        kinds = rows.column(_TYPE)
        tables = []
        for kind, names in columns.items():
            part = rows.filter(pc.equal(kinds, kind))
            if part.num_rows:
                tables.append((f"{kind}s", kind, part.select(names)))
        tables.sort(key=lambda t: reading_order(t[1]))
        report = _engine(packs).evaluate_prepared(
            prepare_tables(tables), since=since, as_of=as_of, present=present
        )
        return pa.Table.from_pylist([_flat(f) for f in report.findings], schema=_ARROW_SCHEMA)

    return run


_ENGINES: dict[tuple[str, ...], Any] = {}


def _engine(packs: tuple[str, ...]) -> Any:
    """One engine per worker process and pack list: packs are loaded once, not per unit."""
    from . import Engine

    if packs not in _ENGINES:
        _ENGINES[packs] = Engine(list(packs))
    return _ENGINES[packs]


def _flat(finding: Any) -> dict[str, Any]:
    data = finding.model_dump(mode="json")
    return {
        "pack": finding.pack,
        "rule": finding.rule,
        "kind": finding.kind,
        "severity": finding.severity,
        "title": finding.title,
        "subject_type": finding.subject.type,
        "subject_id": finding.subject.id,
        "unit": finding.unit,
        "account": finding.account,
        "message": finding.message,
        "citation_document": finding.citation.document,
        "citation_article": finding.citation.article,
        "citation_quote": finding.citation.quote,
        "evidence": json.dumps(data["evidence"], ensure_ascii=False),
        "due": finding.due,
        "waiver": json.dumps(data["waiver"], ensure_ascii=False) if finding.waiver else None,
    }
