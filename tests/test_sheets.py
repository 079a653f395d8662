from datetime import date

import openpyxl
import pytest

from govmedia_rules import Engine
from govmedia_rules.errors import RecordError
from govmedia_rules.intake.files import read_csv
from govmedia_rules.intake.sheets import read_xlsx, row_to_record
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, unit

HEADER = ["名称", "认证主体", "主办单位", "运营单位", "运营模式", "经费保障(元/年)", "粉丝量", "阅读量", "推送频率",
          "开通时间", "运营人数", "运营状态", "基本功能", "平台类型", "整改措施", "负责人及联系电话", "联系人及联系电话"]
ROW = ["君山发布", "岳阳市君山区人民政府", "岳阳市君山区人民政府", "君山区融媒体中心", "购买服务", "50000", "1.2万", "300000",
       "每日", "2016年5月3日", "有专人 3", "正常运营", "发布、传播、互动、办事", "腾讯", "保留", "张三 13800000001", "李四 0730-8171121"]


def test_a_registry_row_maps_onto_the_account_contract():
    record = row_to_record(dict(zip(HEADER, ROW)))
    assert record == {
        "type": "account", "id": "君山发布（微信）", "name": "君山发布", "certified_sponsor": "岳阳市君山区人民政府",
        "unit_id": "岳阳市君山区人民政府", "operator": "君山区融媒体中心", "operation_mode": "outsourced",
        "funding_yuan_per_year": 50000.0, "followers": 12000, "reads": 300000, "opened_on": "2016-05-03",
        "staff_count": 3, "dedicated_staff": 3, "status": "active", "functions": ["publish", "spread", "interact", "service"],
        "platform": "wechat", "principal": {"name": "张三", "mobile": "13800000001"},
        "contact": {"name": "李四", "phone": "0730-8171121"}, "extra": {"推送频率": "每日", "整改措施": "保留"},
    }


def test_traditional_headers_are_recognised():
    record = row_to_record({"名稱": "君山發布", "運營模式": "自營", "運營狀態": "停止運營", "平臺類型": "新浪"})
    assert (record["name"], record["operation_mode"], record["status"], record["platform"]) == (
        "君山發布", "self", "suspended", "weibo")


def _workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_registry_with_a_title_row_and_sponsor_named_by_unit_name(tmp_path):
    path = tmp_path / "排查表.xlsx"
    bad = list(ROW)
    bad[0], bad[11] = "君山政务", "偶尔运营"
    _workbook(path, [["君山区政务新媒体排查及清理整合情况表"], HEADER, ROW, [None] * len(HEADER), bad])
    items = list(read_xlsx(path))
    assert [i.line for i in items] == [3, 5]
    assert items[0].record.name == "君山发布" and items[1].record is None and "status" in items[1].error
    pack = one_rule_pack("required_fields", {"fields": ["certified_sponsor", "operator"]})
    report = Engine([pack], registry=REGISTRY).evaluate(
        [unit("jsq", name="岳阳市君山区人民政府", level="county", kind="government"), *items],
        since=date(2019, 6, 1), as_of=date(2019, 6, 30))
    assert report.input.accepted == 2 and report.input.rejected == 1
    assert report.findings == []


def test_csv_registry_is_detected_by_its_header(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(ROW) + "\n", encoding="utf-8")
    [item] = list(read_csv(path))
    assert item.record.operation_mode == "outsourced" and item.line == 2


def test_missing_columns_are_unknown_unless_the_registry_is_declared_complete(tmp_path):
    path = tmp_path / "registry.xlsx"
    _workbook(path, [["名称", "主办单位", "平台类型"], ["君山发布", "岳阳市君山区人民政府", "新浪"]])
    pack = one_rule_pack("required_fields", {"fields": ["certified_sponsor", "operator", "opened_on"]})
    records = [unit("jsq", name="岳阳市君山区人民政府"), *read_xlsx(path)]
    window = {"since": date(2019, 6, 1), "as_of": date(2019, 6, 30)}
    report = Engine([pack], registry=REGISTRY).evaluate(records, **window)
    [entry] = report.not_evaluated
    assert report.findings == [] and entry.missing == [
        "account.certified_sponsor", "account.opened_on", "account.operator"]
    declared = Engine([pack], registry=REGISTRY, complete=["all"]).evaluate(records, **window)
    [finding] = declared.findings
    assert finding.evidence["missing"] == ["certified_sponsor", "operator", "opened_on"]


def test_a_sponsor_name_shared_by_two_units_is_rejected():
    records = [unit("a", name="同名单位"), unit("b", name="同名单位"),
               {"type": "account", "id": "x", "unit_id": "同名单位", "name": "号", "platform": "weibo"}]
    report = Engine([one_rule_pack("name_consistency")], registry=REGISTRY).evaluate(
        records, since=date(2019, 1, 1), as_of=date(2019, 12, 31))
    assert report.input.rejected == 1 and "多个单位" in report.input.rejections[0].reason


def test_one_account_name_on_two_platforms_is_two_accounts(tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text("名称,主办单位,平台类型\n君山发布,君山区政府,新浪微博\n君山发布,君山区政府,微信公众号\n"
                    "君山发布,君山区政府,微信\n", encoding="utf-8")
    records = [i.record for i in read_csv(path)]
    assert [r.id for r in records] == ["君山发布（微博）", "君山发布（微信）", "君山发布（微信）"]
    report = Engine([one_rule_pack("required_fields", {"fields": ["name"]})], registry=REGISTRY).evaluate(
        [unit("君山区政府", name="君山区政府"), *read_csv(path)], since=date(2019, 6, 1), as_of=date(2019, 6, 30))
    assert report.input.accepted == 3 and [r.line for r in report.input.rejections] == [4]


def test_a_units_sheet_with_a_name_column_is_read_as_units(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("单位编号,名称,级别,单位类别,上级单位\nu1,连云港市教育局,市级,政府部门,\n", encoding="utf-8")
    [item] = read_csv(path)
    assert item.error is None and item.record.type == "unit"
    assert (item.record.id, item.record.level, item.record.kind) == ("u1", "city", "department")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("id,名称,level,kind\nu1,连云港市教育局,city,department\n", encoding="utf-8")
    [item] = read_csv(mixed)
    assert item.error is None and item.record.type == "unit"


@pytest.mark.parametrize("header", ["名称,备注", "名称,级别,平台类型"])
def test_a_sheet_that_could_be_either_registry_is_a_clear_error_naming_the_file(tmp_path, header):
    path = tmp_path / "登记表.csv"
    path.write_text(header + "\n" + ",".join(["x"] * len(header.split(","))) + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as info:
        list(read_csv(path))
    assert str(path) in str(info.value) and "单位登记表" in str(info.value) and "账号登记表" in str(info.value)
    workbook = tmp_path / "登记表.xlsx"
    _workbook(workbook, [header.split(","), ["x"] * len(header.split(","))])
    with pytest.raises(RecordError, match="登记表.xlsx"):
        list(read_xlsx(workbook))
