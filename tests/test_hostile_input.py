"""Hostile input: the engine never crashes, never loses a record, never runs code from data."""

import functools
import json
import re
import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govmedia_rules import Engine, PackError, load_pack
from govmedia_rules.exporters.formats import to_csv, to_json
from govmedia_rules.intake.files import read_jsonl
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, post, unit

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)
record_like = st.fixed_dictionaries(
    {"type": st.sampled_from(["unit", "account", "post", "filing", "message", "bogus"]), "id": st.text(max_size=6)},
    optional={"account_id": st.sampled_from(["a1", "zz", ""]), "unit_id": st.sampled_from(["u1", "nope"]),
              "published_at": st.sampled_from(["2019-09-29T17:00:00Z", "2019-02-30T00:00:00", "bad", "2019-09-01"]),
              "name": st.text(max_size=5), "platform": st.sampled_from(["weibo", "weixin", 3]),
              "level": st.sampled_from(["city", "galaxy"]), "kind": st.sampled_from(["department", None])})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(record_like, json_values), max_size=25))
def test_any_json_values_are_accounted_for(values, ):
    pack = one_rule_pack("update_frequency", {"window": {"weeks": 1}})
    report = Engine([pack], registry=REGISTRY).evaluate([unit(), account()] + values,
                                                        since=date(2019, 9, 1), as_of=date(2019, 9, 30))
    assert report.input.read == len(values) + 2 == report.input.accepted + report.input.rejected
    assert all(r.reason for r in report.input.rejections)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=60), max_size=20))
def test_arbitrary_bytes_in_json_lines(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("in") / "x.jsonl"
    path.write_bytes(b"\n".join(lines))
    items = list(read_jsonl(path))
    assert len(items) == sum(1 for line in b"\n".join(lines).split(b"\n") if line.strip())
    assert all((i.record is None) != (i.error is None) for i in items)


def test_a_ten_megabyte_line_is_rejected_not_fatal(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"type": "unit", "id": "u", "name": "x" * 10_000_000}) + "\n"
                    + json.dumps(unit()) + "\n", encoding="utf-8")
    big, ok = read_jsonl(path)
    assert "行过长" in big.error and ok.record is not None


def test_events_outside_the_account_life_and_in_the_future_are_accepted_and_ignored(tmp_path):
    pack = one_rule_pack("update_frequency", {"window": {"weeks": 1}})
    records = [unit(), account(opened_on="2019-09-09", status="closed", closed_on="2019-09-23"),
               {"type": "post", "id": "before", "account_id": "a1", "published_at": "2019-09-02T10:00:00"},
               {"type": "post", "id": "inside", "account_id": "a1", "published_at": "2019-09-10T10:00:00"},
               {"type": "post", "id": "future", "account_id": "a1", "published_at": "2030-01-01T10:00:00"}]
    report = Engine([pack], registry=REGISTRY).evaluate(records, since=date(2019, 9, 1), as_of=date(2019, 9, 30))
    assert report.input.rejected == 0
    [finding] = report.findings  # only the week 09-16..22 is judged inside 09-09..09-22, and it is empty
    assert [w["from"].isoformat() for w in finding.evidence["windows"]] == ["2019-09-16"]


PACK = (REGISTRY.packs["lianyungang"].path / "pack.yaml").read_text(encoding="utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(PACK) - 1), st.integers(1, 40), st.text(alphabet=string.printable + "：，。（）", max_size=6),
       st.randoms())
def test_a_mangled_pack_fails_only_with_pack_errors(tmp_path_factory, position, length, insert, rnd):
    folder = tmp_path_factory.mktemp("pack") / "mangled"
    folder.mkdir()
    (folder / "source.txt").write_text((REGISTRY.packs["lianyungang"].path / "source.txt").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    text = PACK[:position] + insert + PACK[position + rnd.randint(0, length):]
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    try:
        load_pack(folder, REGISTRY)
    except PackError as exc:
        # each problem is placed in the pack's own files: pack.yaml, or source.txt for a sentence a
        # mangled quote no longer covers
        places = (str(folder / "pack.yaml"), str(folder / "source.txt"))
        assert all(str(loc).startswith(places) and msg for loc, msg in exc.problems)


def test_csv_export_neutralises_formulas():
    records = [unit(), account("a1", name="=HYPERLINK(\"http://evil\",\"x\")", in_matrix=False)]
    pack = one_rule_pack("condition", {"require": {"field": "in_matrix", "equals": True}})
    report = Engine([pack], registry=REGISTRY).evaluate(records, since=date(2019, 9, 1), as_of=date(2019, 9, 30))
    text = to_csv(report)
    assert "'=HYPERLINK" not in text.split("\n")[0]
    for field in text.splitlines()[1].split(","):
        assert not field.startswith(("=", "+", "@")), field



cells = st.one_of(st.none(), st.text(max_size=12), st.integers(-5, 10**9), st.floats(allow_nan=True, allow_infinity=True),
                  st.dates(), st.sampled_from(["自营", "购买服务", "正常运营", "有专人 3", "1.2万", "2019年13月1日", "腾讯"]))


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(["名称", "认证主体", "主办单位", "运营模式", "经费保障(元/年)", "粉丝量", "开通时间",
                                        "运营人数", "运营状态", "基本功能", "平台类型", "负责人及联系电话", "其他"]),
                       cells, min_size=1))
def test_registry_rows_give_a_record_or_a_reason(row):
    from govmedia_rules.intake.files import item_from_value
    from govmedia_rules.intake.sheets import row_to_record

    item = item_from_value(row_to_record(row), "registry.xlsx", 2)
    assert (item.record is None) != (item.error is None)


def test_same_records_in_any_order_give_a_byte_identical_report():
    import random as rng
    from pathlib import Path

    from govmedia_rules.exporters.formats import to_json
    from govmedia_rules.intake.files import read_jsonl

    example = Path(__file__).resolve().parents[1] / "examples" / "lianyungang.jsonl"
    # every record valid and referenced (a rejection names its position in the input, which shuffling changes)
    records = [i.record for i in read_jsonl(example) if i.record is not None and i.record.id != "m-ghost"]
    engine = Engine(["lianyungang"], registry=REGISTRY)
    first = to_json(engine.evaluate(records, since=date(2019, 8, 1), as_of=date(2019, 12, 31)))
    shuffled = records[:]
    rng.Random(7).shuffle(shuffled)
    assert to_json(engine.evaluate(shuffled, since=date(2019, 8, 1), as_of=date(2019, 12, 31))) == first


def test_two_plugins_contributing_one_pack_id_is_an_error(tmp_path):
    import pytest

    from govmedia_rules import PackSource, PluginError, Registry, hookimpl

    class Copy:
        @hookimpl
        def govmedia_rules_add_packs(self):
            return [PackSource("lianyungang", tmp_path)]

    with pytest.raises(PluginError) as info:
        Registry(plugins=[Copy()], autoload=False).packs
    assert "lianyungang" in str(info.value) and "govmedia_rules.builtin" in str(info.value)


# -- one hostile record never ends the run, and both paths agree on it ---------------------------------------

ROOT = Path(__file__).resolve().parents[1]
PACK_IDS = ["national", "lianyungang", "ankang", "changde", "baicheng", "junshan"]


@functools.cache
def all_packs() -> Engine:
    return Engine(PACK_IDS, registry=REGISTRY)
WINDOW = {"since": date(2019, 1, 1), "as_of": date(2019, 12, 31)}
DEEP = "[" * 5000 + "]" * 5000

#: (line, whether it is accepted) for each hostile class, written as JSON Lines
HOSTILE_LINES = [
    ('{"type": "post", "id": "h1", "account_id": "a0", "published_at": "9999-12-31T23:00:00-01:00"}', False),
    ('{"type": "message", "id": "h2", "account_id": "a0", "received_at": "0001-01-01T00:00:00+14:00"}', False),
    ('{"type": "post", "id": "h3", "account_id": "a0", "published_at": "2019-05-06T08:00:00", "extra": {"x": '
     + DEEP + "}}", False),
    (DEEP, False),
    ('{"type": "filing", "id": "h4", "account_id": "a0", "action": "open", "action_on": "2019-05-06", '
     '"filed_on": "9999-12-31", "forwarded_on": "9999-12-31"}', True),
    ('{"type": "filing", "id": "h5", "account_id": "a0", "action": "open", "action_on": "2019-05-06", '
     '"filed_on": "2919-05-06"}', True),
    ('{"type": "announcement", "id": "h6", "account_id": "a0", "reason": "open", "published_on": "2019-12-31", '
     '"ends_on": "9999-12-31"}', True),
    ('{"type": "message", "id": "h7", "account_id": "a0", "received_at": "2019-05-06T08:00:00", '
     '"replied_at": "9999-12-31T23:59:59"}', True),
    ('{"type": "post", "id": "h8", "account_id": "a0", "published_at": "9999-12-31T23:59:59"}', True),
    ('{"type": "post", "id": "\\ud800", "account_id": "a0", "published_at": "2019-05-06T08:00:00"}', False),
    ('{"type": "post", "id": "h9", "account_id": "a0", "published_at": "2019-05-06T08:00:00", '
     '"flags": ["\\udfff"]}', False),
    ('{"type": "post", "id": "h10", "account_id": "a0", "published_at": "2019-05-06T08:00:00", '
     '"repost_source": "x\\u0007y"}', True),
    ('{"type": "post", "id": "h11", "account_id": "a0", "published_at": "2019-05-06T08:00:00", "tier": null}', False),
    ('{"type": "post", "id": "h12", "account_id": "a0", "published_at": "2019-05-06T08:00:00", '
     '"received_at": null}', False),
    ('{"type": "message", "id": "h13", "account_id": "a0", "received_at": "2019-05-06T08:00:00", '
     '"original": null}', False),
    ('{"type": "post", "id": "h14", "account_id": "a0", "published_at": "2019-05-06T08:00:00", '
     '"ti\\u0065r": null}', False),
    ('{"type": "post", "id": "h15", "account_id": "a0", "published_at": "2019-05-06T08:00:00", "signoffs": null, '
     '"flags": null}', None),  # null means unknown for these, or is refused: both paths alike
]


def _plain_posts(count: int) -> list[str]:
    """Valid posts enough for a block of lines the batch path parses as columns."""
    return [json.dumps({"type": "post", "id": f"q{i}", "account_id": "a0", "published_at": "2019-05-06T09:00:00"})
            for i in range(count)]


def _hostile_file(folder: Path, line: str) -> Path:
    path = folder / "records.jsonl"
    head = [json.dumps(unit("u0")), json.dumps(account("a0", "u0", opened_on="2019-01-02"))]
    posts = _plain_posts(300)
    path.write_text("\n".join(head + posts[:150] + [line] + posts[150:]) + "\n", encoding="utf-8")
    return path


def _both_paths_on_jsonl(path: Path) -> tuple[str, str]:
    from govmedia_rules.engine import prepare
    from govmedia_rules.intake.jsonl import prepare_jsonl

    batch = all_packs().evaluate_prepared(prepare_jsonl([path]), **WINDOW).model_dump_json()
    per_record = all_packs().evaluate_prepared(prepare(read_jsonl(path)), **WINDOW).model_dump_json()
    return batch, per_record


@pytest.mark.parametrize("line, accepted", HOSTILE_LINES, ids=[f"h{i}" for i in range(len(HOSTILE_LINES))])
def test_a_hostile_line_is_accepted_or_rejected_alike_on_both_paths(tmp_path, line, accepted):
    path = _hostile_file(tmp_path, line)
    batch, per_record = _both_paths_on_jsonl(path)
    assert batch == per_record
    report = json.loads(per_record)["input"]
    assert report["read"] == 303 == report["accepted"] + report["rejected"]
    rejected = [r for r in report["rejections"] if r["line"] == 153]
    if accepted is not None:
        assert bool(rejected) != accepted, rejected
    for rejection in rejected:
        assert rejection["reason"] and not _english(rejection["reason"]), rejection


def _english(reason: str) -> list[str]:
    """English words of a reason, leaving out its field path, the values it quotes, field and format names."""
    from govmedia_rules.records import RECORD_TYPES

    names = {name for model in RECORD_TYPES.values() for name in model.model_fields} | {"JSON"}
    text = re.sub(r"^[\w.]+: |'[^']*'|，实际：.*$", "", reason)
    return [word for word in re.findall(r"[A-Za-z_]{3,}", text) if word not in names]


def test_an_aware_time_beyond_year_9999_in_shanghai_is_an_invalid_time():
    from govmedia_rules.intake.files import item_from_value

    for at in ("9999-12-31T23:00:00-01:00", "0001-01-01T00:00:00+14:00"):
        item = item_from_value(post("p1", at, "a1"), "x", 1)
        assert item.record is None and "published_at" in item.error and "9999" in item.error, item.error


def test_deep_json_is_rejected_per_record_in_json_and_csv(tmp_path):
    from govmedia_rules.intake.files import read_csv, read_json

    records = [unit(), {"type": "unit", "id": "u2", "name": "x", "level": "city", "kind": "department",
                        "extra": "DEEP"}, unit("u3")]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records).replace('"DEEP"', DEEP), encoding="utf-8")
    items = list(read_json(path))
    assert [i.record is not None for i in items] == [True, False, True] and "嵌套" in items[1].error
    table = tmp_path / "units.csv"
    table.write_text('id,name,level,kind,extra\nu1,x,city,department,\nu2,x,city,department,"' + DEEP
                     + '"\nu3,x,city,department,\n', encoding="utf-8")
    items = list(read_csv(table))
    assert [i.record is not None for i in items] == [True, False, True]


def test_deep_values_from_python_are_rejected_not_fatal():
    deep: object = []
    for _ in range(5000):
        deep = [deep]
    report = Engine([one_rule_pack("update_frequency", {"window": {"weeks": 1}})], registry=REGISTRY).evaluate(
        [unit(), {**unit("u2"), "extra": {"x": deep}}, {**unit("u3"), "id": deep}], **WINDOW)
    assert report.input.read == 3 == report.input.accepted + report.input.rejected
    assert report.input.rejections[-1].id.startswith("[[")
    to_json(report)


def test_a_csv_cell_over_the_field_limit_rejects_its_row_only(tmp_path):
    from govmedia_rules.intake.files import read_csv

    table = tmp_path / "units.csv"
    table.write_text("id,name,level,kind\nu1,x,city,department\nu2," + "x" * 200_000
                     + ",city,department\nu3,x,city,department\n", encoding="utf-8")
    items = list(read_csv(table))
    assert [(i.line, i.record is not None) for i in items] == [(2, True), (3, False), (4, True)]
    assert "过长" in items[1].error


def test_a_lone_surrogate_is_rejected_and_the_report_stays_serialisable():
    records = [unit(), account(), post("\ud800", "2019-05-06T08:00:00"), post("p2", "2019-05-06T08:00:00",
                                                                             extra={"k": "\udc00"})]
    report = all_packs().evaluate(records, **WINDOW)
    assert report.input.rejected == 2
    report.model_dump_json()
    assert "\\ud800" in to_json(report) or "ud800" in to_json(report).lower()


def test_control_characters_in_values_do_not_break_the_xlsx_bulletin():
    from govmedia_rules.exporters.bulletin import build_bulletin
    from govmedia_rules.exporters.bulletin_xlsx import to_xlsx
    from govmedia_rules.intake.files import items_from_values

    records = [unit(name="单位\x07"), account(name="账号\x01\x1b", in_matrix=False, opened_on="2019-01-02")]
    engine = Engine(["lianyungang"], registry=REGISTRY)
    data = to_xlsx(build_bulletin(engine, list(items_from_values(records)), "2019Q3"))
    assert data[:2] == b"PK"


def _timestamps(values: list[int], unit_: str, tz: str | None = None):
    import pyarrow as pa

    return pa.array(values, pa.timestamp(unit_, tz))


def test_hostile_parquet_values_give_one_verdict_on_both_paths(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from govmedia_rules.engine import prepare
    from govmedia_rules.intake import prepare_folder
    from govmedia_rules.intake.parquet import read_parquet_folder

    folder = tmp_path / "tables"
    folder.mkdir()
    pq.write_table(pa.table({"id": ["u0"], "name": ["局"], "level": ["city"], "kind": ["department"]}),
                   folder / "units.parquet")
    pq.write_table(pa.table({"id": ["a0", "a1"], "unit_id": ["u0", "u0"], "name": ["号\x07", "号"],
                             "platform": ["weibo", "weibo"],
                             "opened_on": pa.array([17_000, 3_000_000], pa.date32())}), folder / "accounts.parquet")
    base = 1_557_100_800  # 2019-05-06T00:00:00 as seconds
    ns = [base * 10**9 + 1, base * 10**9 + 999, base * 10**9, base * 10**9 + 1_500]
    pq.write_table(pa.table({"id": ["p1", "p2", "p3", "p4"], "account_id": ["a0"] * 4,
                             "published_at": _timestamps(ns, "ns"), "tier": [None, "major", None, "routine"]}),
                   folder / "posts.parquet")
    pq.write_table(pa.table({"id": ["p5", "p6", "p7"], "account_id": ["a0"] * 3,
                             "published_at": _timestamps([253_402_297_200_000_000, 2**62, 1], "us", "UTC")}),
                   folder / "post.parquet")  # 9999-12-31T23:00Z, past year 9999, and 1970
    pq.write_table(pa.table({
        "id": ["m1", "m2"], "account_id": ["a0", "a0"],
        "received_at": _timestamps([base * 10**9 + 7, 2**62], "ns", "UTC"),
        "replied_at": _timestamps([2**62, base * 1000], "ms"),
    }), folder / "messages.parquet")
    batch = all_packs().evaluate_prepared(prepare_folder(folder), **WINDOW)
    per_record = all_packs().evaluate_prepared(prepare(read_parquet_folder(folder)), **WINDOW)
    assert batch.model_dump_json() == per_record.model_dump_json()
    rejected = {(Path(r.source).name, r.line) for r in per_record.input.rejections}
    assert ("accounts.parquet", 2) in rejected  # year beyond 9999
    assert {("post.parquet", 1), ("post.parquet", 2)} <= rejected and ("post.parquet", 3) not in rejected
    assert not {("posts.parquet", n) for n in (1, 2, 3, 4)} & rejected  # nanoseconds are truncated
    assert ("messages.parquet", 1) in rejected and ("messages.parquet", 2) not in rejected


def test_the_check_command_gives_one_report_for_all_hostile_lines_with_and_without_batch(tmp_path, capsys):
    from govmedia_rules.cli import main

    path = _hostile_file(tmp_path, "\n".join(line for line, _ in HOSTILE_LINES))
    args = ["check", *(f"--pack={p}" for p in PACK_IDS), "--since", "2019-01-01", "--as-of", "2019-12-31",
            "--format", "json", str(path)]
    assert main(args, registry=REGISTRY) in (0, 1)
    per_record = capsys.readouterr()
    assert main(args + ["--batch"], registry=REGISTRY) in (0, 1)
    batch = capsys.readouterr()
    assert batch.out == per_record.out and batch.err == per_record.err == ""
    report = json.loads(batch.out)["input"]
    assert report["read"] == 302 + len(HOSTILE_LINES) == report["accepted"] + report["rejected"]
