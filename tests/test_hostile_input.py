"""Hostile input: the engine never crashes, never loses a record, never runs code from data."""

import json
import string
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govmedia_rules import Engine, PackError, load_pack
from govmedia_rules.exporters import to_csv
from govmedia_rules.inputs import read_jsonl
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, unit

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
        assert all(str(loc).startswith(str(folder / "pack.yaml")) and msg for loc, msg in exc.problems)


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
    from govmedia_rules.inputs import item_from_value
    from govmedia_rules.sheets import row_to_record

    item = item_from_value(row_to_record(row), "registry.xlsx", 2)
    assert (item.record is None) != (item.error is None)


def test_same_records_in_any_order_give_a_byte_identical_report():
    import random as rng

    from govmedia_rules.exporters import to_json
    from govmedia_rules.inputs import read_jsonl
    from pathlib import Path

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

