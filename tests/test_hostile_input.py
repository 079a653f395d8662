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

