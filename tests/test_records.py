import json
from datetime import date, datetime

import pytest

from govmedia_rules.intake.files import read_csv, read_jsonl
from govmedia_rules.records import RECORD_TYPES, RecordInvalid, parse_record, records_json_schema

from .conftest import account, post, unit

MINIMAL = {
    "unit": unit(),
    "account": account(),
    "filing": {"type": "filing", "id": "f", "account_id": "a1", "action": "open", "action_on": "2019-08-01"},
    "announcement": {"type": "announcement", "id": "n", "account_id": "a1", "reason": "closure", "published_on": "2019-08-01"},
    "post": post("p", "2019-08-01T10:00:00"),
    "message": {"type": "message", "id": "m", "account_id": "a1", "received_at": "2019-08-01T10:00:00"},
    "login": {"type": "login", "id": "l", "account_id": "a1", "at": "2019-08-01T10:00:00", "device": "dedicated"},
    "report": {"type": "report", "id": "r", "unit_id": "u1", "kind": "survey", "submitted_on": "2019-08-01"},
    "incident": {"type": "incident", "id": "i", "account_id": "a1", "kind": "fake_followers", "on": "2019-08-01"},
    "spot_check": {"type": "spot_check", "id": "s", "account_id": "a1", "level": "city", "on": "2019-08-01", "result": "pass"},
    "attestation": {"type": "attestation", "id": "t", "unit_id": "u1", "item": "emergency_plan", "on": "2019-08-01"},
    "waiver": {"type": "waiver", "id": "w", "rule": "r", "subject": {"type": "account", "id": "a1"},
               "justification": "个别确需保留", "approver": "市政府办公室", "approved_on": "2019-08-01"},
    "rectification": {"type": "rectification", "id": "z", "finding_id": "f-1", "issued_on": "2019-08-01"},
}


def test_every_record_type_has_a_minimal_example():
    assert set(MINIMAL) == set(RECORD_TYPES)


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_minimal_records_parse(kind):
    assert parse_record(MINIMAL[kind]).type == kind


def test_naive_datetime_means_shanghai_and_utc_is_converted():
    naive = parse_record(post("p", "2019-09-29T17:00:00"))
    assert naive.published_at.date() == date(2019, 9, 29)
    utc = parse_record(post("p", "2019-09-29T17:00:00Z"))
    assert utc.published_at.date() == date(2019, 9, 30)
    assert utc.published_at.utcoffset().total_seconds() == 8 * 3600


@pytest.mark.parametrize("record, words", [
    ({"type": "podcast", "id": "x"}, ["未知的记录类型", "podcast"]),
    ({"id": "x"}, ["缺少 type"]),
    ({"type": "post", "id": "p", "account_id": "a1"}, ["published_at", "缺少必填字段"]),
    (post("p", "2019-02-30T10:00:00"), ["published_at", "不是有效时间"]),
    ({**account(), "platform": "weixin"}, ["platform", "取值不在允许范围内"]),
    ({**account(), "opend_on": "2019-01-01"}, ["opend_on", "未知字段"]),
    (post("p", "2019-08-01T10:00:00+25:00"), ["published_at"]),
    ({**account(), "opened_on": "2019-05-01", "closed_on": "2019-04-01"}, ["closed_on", "早于"]),
    ({"type": "attestation", "id": "t", "item": "x", "on": "2019-01-01"}, ["unit_id 与 account_id"]),
    ([1, 2], ["JSON 对象"]),
])
def test_invalid_records_say_which_field_and_why(record, words):
    with pytest.raises(RecordInvalid) as info:
        parse_record(record)
    for word in words:
        assert word in str(info.value)


def test_jsonl_reader_reports_every_bad_line_and_keeps_going(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps(unit(), ensure_ascii=False), "{not json", "", json.dumps({"type": "unit", "id": "u2"}),
             '{"type": "post", "x": NaN}', json.dumps(account(), ensure_ascii=False)]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"type": "unit", "id": "\xff"}\n')
    items = list(read_jsonl(path))
    assert [i.line for i in items] == [1, 2, 4, 5, 6, 7]
    assert [i.record is not None for i in items] == [True, False, False, False, True, False]
    assert "不是有效的 JSON" in items[1].error
    assert "name" in items[2].error and items[2].type == "unit" and items[2].id == "u2"
    assert "NaN" in items[3].error
    assert "UTF-8" in items[5].error


def test_csv_reader_maps_dotted_headers_and_type_from_file_name(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("id,unit_id,name,platform,principal.name,functions,in_matrix\n"
                    "a1,u1,海州发布,weibo,张三,publish;interact,是\n"
                    "a2,u1,,weibo,,,\n", encoding="utf-8")
    good, bad = list(read_csv(path))
    assert good.record.principal.name == "张三"
    assert good.record.functions == ["publish", "interact"]
    assert good.record.in_matrix is True
    assert bad.record is None and "name" in bad.error and bad.line == 3


def test_records_schema_lists_every_type():
    schema = records_json_schema()
    text = json.dumps(schema)
    for kind in RECORD_TYPES:
        assert f'"const": "{kind}"' in text or f'"{kind}"' in text
    assert schema["discriminator"]["propertyName"] == "type"


def test_account_is_open_on():
    acc = parse_record({**account(), "opened_on": "2019-05-01", "closed_on": "2019-06-01"})
    assert not acc.is_open_on(date(2019, 4, 30))
    assert acc.is_open_on(date(2019, 5, 1))
    assert acc.is_open_on(date(2019, 5, 31))
    assert not acc.is_open_on(date(2019, 6, 1))
    assert isinstance(parse_record(post("p", "2019-01-01T00:00:00")).published_at, datetime)
