"""The batch path gives the per-record path's report, byte for byte, on generated histories.

The per-record path is itself checked day by day against oracles
(test_properties.py); these properties make the columnar implementations
answer to it: every pack shipped, every vectorised kind under random
parameters, and inputs salted with the mistakes real tables carry.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govmedia_rules import Engine
from govmedia_rules.engine import prepare
from govmedia_rules.intake import prepare_folder, prepare_tables
from govmedia_rules.intake.parquet import read_parquet_folder
from govmedia_rules.records import COLUMNS, SHANGHAI
from govmedia_rules.testing import histories, one_rule_pack

from .conftest import REGISTRY
from .test_hostile_input import HOSTILE_LINES

ROOT = Path(__file__).resolve().parents[1]
TIMES = ("published_at", "received_at", "replied_at")
ALL_PACKS = Engine(["national", "lianyungang", "ankang", "changde", "baicheng", "junshan", ROOT / "benchmarks" / "five-rules"],
                   registry=REGISTRY)


def _moment(text: str, zoned: bool) -> datetime:
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=SHANGHAI).astimezone(timezone.utc) if zoned else value


def write_folder(folder: Path, records: list[dict], *, zoned: bool = False) -> Path:
    """Records as one Parquet table per type, times as timestamp columns (UTC instants when ``zoned``)."""
    folder.mkdir(exist_ok=True)
    by_type: dict[str, list[dict]] = {}
    for record in records:
        row = {k: v for k, v in record.items() if k != "type"}
        for name in TIMES:
            if isinstance(row.get(name), str):
                row[name] = _moment(row[name], zoned)
        if row.get("signoffs"):
            row["signoffs"] = [{**s, "at": _moment(s["at"], zoned)} for s in row["signoffs"]]
        by_type.setdefault(record["type"], []).append(row)
    for kind, rows in by_type.items():
        columns = sorted({k for row in rows for k in row})
        pq.write_table(pa.table({c: [row.get(c) for row in rows] for c in columns}), folder / f"{kind}s.parquet")
    return folder


def both_paths(engine: Engine, folder: Path, since: date, as_of: date) -> tuple[str, str]:
    batch = engine.evaluate_prepared(prepare_folder(folder), since=since, as_of=as_of)
    per_record = engine.evaluate_prepared(prepare(read_parquet_folder(folder)), since=since, as_of=as_of)
    return batch.model_dump_json(), per_record.model_dump_json()


@st.composite
def salted(draw, records: list[dict]) -> list[dict]:
    """The records with a few of the mistakes real tables carry, in posts and messages."""
    records = copy.deepcopy(records)
    events = [r for r in records if r["type"] in ("post", "message")]
    for _ in range(draw(st.integers(0, 4))):
        if not events:
            break
        target = draw(st.sampled_from(events))
        mistake = draw(st.sampled_from(["repeat", "padded id", "unknown account", "bad tier", "typo field", "no time",
                                        "empty id", "padded account", "year 9999", "typo'd year",
                                        "control character"]))
        if mistake == "repeat":
            records.append(copy.deepcopy(target))
        elif mistake == "padded id":
            records.append({**copy.deepcopy(target), "id": f" {target['id']}"})
        elif mistake == "unknown account":
            target["account_id"] = "nobody"
        elif mistake == "bad tier" and target["type"] == "post":
            target["tier"] = "urgent"
        elif mistake == "typo field":
            target["publised_at"] = "2019-05-01T08:00:00"
        elif mistake == "no time":
            target.pop("published_at" if target["type"] == "post" else "received_at", None)
        elif mistake == "empty id":
            target["id"] = ""
        elif mistake == "padded account":
            target["account_id"] = target["account_id"] + "\u3000"
        elif mistake in ("year 9999", "typo'd year"):
            time = "published_at" if target["type"] == "post" else "received_at"
            if time in target:  # a time given (not taken away by an earlier mistake)
                target[time] = ("9999" if mistake == "year 9999" else "2919") + target[time][4:]
        elif mistake == "control character":
            target["id"] = target["id"] + "\x07"
    return records


@given(data=st.data(), records=histories(max_accounts=3, max_events=30, details=True), zoned=st.booleans(),
       as_of=st.dates(date(2019, 2, 1), date(2020, 2, 28)))
def test_every_shipped_pack_gives_the_same_report_on_both_paths(tmp_path_factory, data, records, zoned, as_of):
    records = data.draw(salted(records))
    folder = write_folder(tmp_path_factory.mktemp("tables"), records, zoned=zoned)
    batch, per_record = both_paths(ALL_PACKS, folder, date(2019, 1, 1), as_of)
    assert batch == per_record


COMPLETE = st.lists(st.sampled_from(["post", "message", "filing", "post.signoffs", "post.flags", "post.original",
                                      "post.source_approved", "account.columns", "all"]), max_size=2)


@given(records=histories(max_accounts=3, max_events=30, details=True, sparse=True), complete=COMPLETE,
       as_of=st.dates(date(2019, 2, 1), date(2020, 2, 28)))
def test_sparse_input_gives_the_same_report_on_both_paths(tmp_path_factory, records, complete, as_of):
    """Fields and whole record types missing at random (and declared complete at random): both paths
    find the same, and list the same as not evaluable."""
    folder = write_folder(tmp_path_factory.mktemp("tables"), records)
    engine = Engine(list(ALL_PACKS.packs), registry=REGISTRY, complete=complete)
    batch, per_record = both_paths(engine, folder, date(2019, 1, 1), as_of)
    assert batch == per_record


SPANS = st.one_of(st.builds(lambda n: {"days": n}, st.integers(1, 20)), st.builds(lambda n: {"weeks": n}, st.integers(1, 3)),
                  st.builds(lambda n: {"months": n}, st.integers(1, 3)))
COLUMN_RULES = st.one_of(
    st.tuples(st.just("update_frequency"), st.fixed_dictionaries({
        "window": SPANS, "anchor": st.sampled_from(["natural", "rolling"]), "min_posts": st.integers(1, 3),
        "mode": st.sampled_from(["per_window", "average"]), "original_only": st.booleans()})),
    st.tuples(st.just("column_freshness"), st.fixed_dictionaries({
        "columns": st.dictionaries(st.sampled_from(COLUMNS), SPANS, min_size=1, max_size=3)})),
    st.tuples(st.just("dormant_account"), st.fixed_dictionaries({
        "inactive_for": SPANS, "count_replies": st.booleans()}, optional={"until": SPANS})),
    st.tuples(st.just("message_reply"), st.fixed_dictionaries({
        "within": st.one_of(SPANS, st.builds(lambda n: {"working_days": n}, st.integers(0, 5)))})),
)


@given(rule=COLUMN_RULES, records=histories(max_accounts=3, max_events=40, details=True),
       applies_to=st.sampled_from([None, {"platforms": ["wechat", "weibo"]}, {"exclude_subtypes": ["service"]}]),
       since=st.dates(date(2018, 10, 1), date(2019, 6, 30)), as_of=st.dates(date(2019, 7, 1), date(2020, 1, 31)))
def test_column_kinds_give_one_report_from_tables_and_from_records(tmp_path_factory, rule, records, applies_to, since, as_of):
    kind, params = rule
    engine = Engine([one_rule_pack(kind, params, applies_to=applies_to)], registry=REGISTRY)
    folder = write_folder(tmp_path_factory.mktemp("tables"), records)
    batch, per_record = both_paths(engine, folder, since, as_of)
    assert batch == per_record


def test_batch_report_names_rejected_rows_like_the_per_record_path(tmp_path):
    records = [
        {"type": "unit", "id": "u1", "name": "某局", "level": "city", "kind": "department"},
        {"type": "account", "id": "a1", "unit_id": "u1", "name": "号", "platform": "weibo"},
        {"type": "post", "id": "p1", "account_id": "a1", "published_at": "2019-05-06T09:00:00"},
        {"type": "post", "id": "p1", "account_id": "a1", "published_at": "2019-05-07T09:00:00"},
        {"type": "post", "id": "p2", "account_id": "ghost", "published_at": "2019-05-07T09:00:00"},
        {"type": "post", "id": "p3", "account_id": "a1", "published_at": "2019-05-07T09:00:00", "tier": "urgent"},
    ]
    folder = write_folder(tmp_path / "tables", records)
    report = ALL_PACKS.evaluate_prepared(prepare_folder(folder), since=date(2019, 5, 1), as_of=date(2019, 5, 31))
    assert (report.input.read, report.input.accepted, report.input.rejected) == (6, 3, 3)
    lines = [(Path(r.source).name, r.line, r.id) for r in report.input.rejections]
    assert lines == [("posts.parquet", 2, "p1"), ("posts.parquet", 3, "p2"), ("posts.parquet", 4, "p3")]
    reasons = [r.reason for r in report.input.rejections]
    assert "posts.parquet:1" in reasons[0] and "ghost" in reasons[1] and "tier" in reasons[2]


def test_tables_from_memory_are_named_as_given():
    units = pa.table({"id": ["u1"], "name": ["某局"], "level": ["city"], "kind": ["department"]})
    accounts = pa.table({"id": ["a1"], "unit_id": ["u1"], "name": ["号"], "platform": ["weibo"]})
    posts = pa.table({"id": ["p1", "p2"], "account_id": ["a1", "a9"],
                      "published_at": pa.array([datetime(2019, 5, 6, 9), datetime(2019, 5, 7, 9)], pa.timestamp("s"))})
    prepared = prepare_tables([("单位表", "unit", units), ("账号表", "account", accounts), ("发布表", "post", posts)])
    assert prepared.accounting.read == 4
    [rejection] = prepared.accounting.rejections
    assert (rejection.source, rejection.line, rejection.id) == ("发布表", 2, "p2")


@pytest.mark.parametrize("pack", ["lianyungang", "junshan"])
def test_shipped_example_gives_the_same_report_on_both_paths(tmp_path, pack):
    import json

    example = ROOT / "examples" / f"{pack}.jsonl"
    records = [json.loads(line) for line in example.read_text(encoding="utf-8").splitlines()]
    folder = write_folder(tmp_path / "tables", records)
    engine = Engine([pack], registry=REGISTRY)
    batch, per_record = both_paths(engine, folder, date(2019, 1, 1), date(2019, 12, 31))
    assert batch == per_record


def write_jsonl(path: Path, records: list[dict], extra_lines: list[str]) -> Path:
    """Records as JSON Lines, with some hand-written lines (blank, broken, odd times) among them."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for i, line in enumerate(extra_lines):
        lines.insert((i * 7) % (len(lines) + 1), line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ODD_LINES = st.lists(st.sampled_from([
    "", "   ", "{not json", '{"type": "post", "id": "x1", "account_id": "a0", "published_at": "2019-03-01T08:00:00+08:00"}',
    '{"type": "post", "id": "x2", "account_id": "a0", "published_at": "2019-03-01T00:30:00Z", "original": true}',
    '{"type": "post", "id": "x3", "account_id": "a0", "published_at": "2019-03-01"}',
    '{"type": "message", "id": "x4", "account_id": "a1", "received_at": "2019-03-01T08:00:00.5"}',
    '{"type": "post", "id": "x5", "account_id": "a0", "published_at": "2019-02-30T08:00:00"}',
    '{"type": "post", "id": "x6", "account_id": "a0", "published_at": "2019-03-01T08:00:00", "extra": {"k": 1}}',
    '{"type": "post", "id": 7, "account_id": "a0", "published_at": "2019-03-01T08:00:00"}',
    '{"type": "unit", "id": "u9"}',
    *(line for line, _ in HOSTILE_LINES),  # one of each class of hostile input
]), max_size=5)


@given(data=st.data(), records=histories(max_accounts=3, max_events=30, details=True), odd=ODD_LINES,
       block=st.sampled_from([300, 4096, 1 << 20]))
def test_json_lines_give_the_same_report_on_both_paths(tmp_path_factory, data, records, odd, block):
    from govmedia_rules.intake import jsonl
    from govmedia_rules.intake.files import read_jsonl

    records = data.draw(salted(records))
    path = write_jsonl(tmp_path_factory.mktemp("jsonl") / "records.jsonl", records, odd)
    window = {"since": date(2019, 1, 1), "as_of": date(2019, 12, 31)}
    default, jsonl.BLOCK_BYTES = jsonl.BLOCK_BYTES, block  # small blocks: lines split across reads
    try:
        batch = ALL_PACKS.evaluate_prepared(jsonl.prepare_jsonl([path]), **window)
    finally:
        jsonl.BLOCK_BYTES = default
    per_record = ALL_PACKS.evaluate_prepared(prepare(read_jsonl(path)), **window)
    assert batch.model_dump_json() == per_record.model_dump_json()


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"), max_size=6))))
def test_padding_check_is_exactly_what_strip_changes(values):
    from govmedia_rules.intake.strings import maybe_padded

    expected = [v is None or v == "" or v != v.strip() for v in values]
    assert maybe_padded(pa.array(values, pa.string())).tolist() == expected


@given(st.lists(st.text(max_size=8), min_size=1))
def test_equal_strings_hash_equal(values):
    from govmedia_rules.intake.strings import hashes

    hashed = hashes(pa.array(values + values, pa.string())).tolist()
    assert hashed[:len(values)] == hashed[len(values):]
    assert len(set(hashed[:len(values)])) == len(set(values))  # 64-bit: a clash here would be a bug


NEAR_TIMES = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S")),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}\Z"),
    st.text(alphabet="0123456789-T: Z+.", max_size=22),
)


@given(st.lists(NEAR_TIMES, max_size=20))
def test_plain_times_are_exactly_what_the_format_means(values):
    from govmedia_rules.intake.strings import plain_times

    micros, exact = plain_times(pa.array(values, pa.string()))
    for value, us, ok in zip(values, micros.tolist(), exact.tolist()):
        try:
            parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
            expected = parsed.isoformat() == value
        except ValueError:
            expected = False
        assert ok == expected, value
        if ok:
            assert us == (parsed - datetime(1970, 1, 1)) // timedelta(microseconds=1)


def test_check_command_gives_the_same_json_with_batch(capsys):
    from govmedia_rules.cli import main

    args = ["check", "--pack", "lianyungang", "--since", "2019-01-01", "--as-of", "2019-12-31", "--format", "json",
            str(ROOT / "examples" / "lianyungang.jsonl")]
    assert main(args, registry=REGISTRY) == 1
    per_record = capsys.readouterr().out
    assert main(args + ["--batch"], registry=REGISTRY) == 1
    assert capsys.readouterr().out == per_record and '"findings"' in per_record


def test_tables_read_in_many_batches_and_row_groups_give_the_same_report(tmp_path, monkeypatch):
    from govmedia_rules.intake import tables as intake

    records = [json.loads(line) for line in (ROOT / "examples" / "lianyungang.jsonl").read_text(encoding="utf-8")
               .splitlines()]
    folder = write_folder(tmp_path / "tables", records)
    for table in folder.glob("*.parquet"):  # small row groups: rows are read back group by group
        pq.write_table(pq.read_table(table), table, row_group_size=7)
    monkeypatch.setattr(intake, "BATCH_ROWS", 1)  # batches of 16 rows: positions must carry across batches
    engine = Engine(["lianyungang"], registry=REGISTRY)
    batch, per_record = both_paths(engine, folder, date(2019, 1, 1), date(2019, 12, 31))
    assert batch == per_record
    assert pq.ParquetFile(folder / "posts.parquet").num_row_groups > 2
