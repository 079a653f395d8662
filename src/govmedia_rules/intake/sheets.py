"""Registries kept in spreadsheets, read onto account and unit records.

Cities keep their account registries as forms with Chinese column headers
(Junshan's 排查及清理整合情况表, Ankang's 备案登记表). A sheet whose header
row carries 名称 is such a registry: each row becomes an ``account`` record,
headers and the usual filled-in words (自营, 购买服务, 正常运营, 发布、互动 …)
mapped onto the record contract. Headers are recognised in simplified and
traditional characters. 主办单位 names the sponsor unit; the engine matches
it to a unit record by id or by exact name. Without an 编号/ID column an
account is identified by its name and platform (君山发布（微信）), since one
name is commonly used on several platforms.

A registry of units (单位名称, 级别, 单位类别 …) is read onto ``unit``
records. Which of the two a sheet is, its headers decide: a 名称 column
alone says nothing, so a sheet with no column of either kind, or columns of
both, is an error naming the file rather than a guess that rejects every row.

Cells that cannot be mapped stay in the record as given, so validation
rejects the row with the field and reason instead of guessing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import Location, RecordError
from ..labels import LEVEL, PLATFORM, UNIT_KIND
from ..records import Account, Unit
from .files import InputItem, item_from_value


def _by_header(spellings: dict[str, list[str]]) -> dict[str, str]:
    """Header → field, from each field's spellings of its header (one table per registry kind,
    built alike, with no loop variables left behind in the module)."""
    return {header: field for field, headers in spellings.items() for header in headers}


#: header → record field (or a handler name starting with ':')
HEADERS = _by_header(
    {
        "id": ["ID", "编号", "編號", "账号ID", "ID号"],
        "name": ["名称", "名稱", "账号名称", "賬號名稱", "政务新媒体名称", "政務新媒體名稱"],
        "certified_sponsor": ["认证主体", "認證主體", "开设主体", "開設主體"],
        "unit_id": ["主办单位", "主辦單位", "填报单位", "填報單位"],
        "operator": ["运营单位", "運營單位"],
        ":mode": ["运营模式", "運營模式", "运维模式", "運維模式"],
        ":money": ["经费保障", "經費保障", "经费保障(元/年)", "經費保障(元/年)"],
        ":followers": ["粉丝量", "粉絲量"],
        ":reads": ["阅读量", "閱讀量"],
        ":frequency": ["推送频率", "推送頻率"],
        ":opened": ["开通时间", "開通時間", "开设时间", "開設時間"],
        ":staff": ["运营人数", "運營人數"],
        ":status": ["运营状态", "運營狀態"],
        ":functions": ["基本功能"],
        ":platform": ["平台类型", "平臺類型", "账号类型", "賬號類型"],
        ":measure": ["整改措施"],
        ":principal": ["负责人及联系电话", "負責人及聯繫電話", "負責人及聯系電話"],
        ":contact": ["联系人及联系电话", "聯繫人及聯繫電話", "聯系人及聯系電話"],
    }
)

#: header → unit record field, for registries of units (名称 and 编号 are shared with accounts)
UNIT_HEADERS = _by_header(
    {
        "id": ["单位编号", "單位編號"],
        "name": ["单位名称", "單位名稱"],
        ":level": ["级别", "級別", "行政级别", "行政級別", "层级", "層級"],
        ":kind": ["单位类别", "單位類別", "单位类型", "單位類型", "单位性质", "單位性質"],
        "parent_id": ["上级单位", "上級單位"],
    }
)

_LEVELS = {
    spelt: level for level, word in LEVEL.items() for spelt in (word, word.removesuffix("级"))
}
_UNIT_KINDS = {word: kind for kind, word in UNIT_KIND.items()}
#: contract fields one record type has and the other has not: English headers that tell the kind
_ACCOUNT_ONLY = set(Account.model_fields) - set(Unit.model_fields)
_UNIT_ONLY = set(Unit.model_fields) - set(Account.model_fields)

_MODE = {"自营": "self", "自營": "self", "购买服务": "outsourced", "購買服務": "outsourced"}
_STATUS = {
    "正常运营": "active",
    "正常運營": "active",
    "停止运营": "suspended",
    "停止運營": "suspended",
    "已关停": "closed",
    "已關停": "closed",
    "已注销": "closed",
    "已註銷": "closed",
}
_FUNCTIONS = {
    "发布": "publish",
    "發布": "publish",
    "传播": "spread",
    "傳播": "spread",
    "互动": "interact",
    "互動": "interact",
    "引导": "guide",
    "引導": "guide",
    "办事": "service",
    "辦事": "service",
}
_PLATFORMS = [
    ("微博", "weibo"),
    ("新浪", "weibo"),
    ("微信", "wechat"),
    ("腾讯", "wechat"),
    ("騰訊", "wechat"),
    ("抖音", "douyin"),
    ("头条", "toutiao"),
    ("頭條", "toutiao"),
    ("快手", "kuaishou"),
    ("客户端", "app"),
    ("客戶端", "app"),
    ("APP", "app"),
    ("网站", "website"),
    ("網站", "website"),
]


def _header(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or ""))


def is_registry_header(cells: list[Any]) -> bool:
    """Whether a row of header cells is a registry's (it names 名称 or 单位名称)."""
    return any("name" in (HEADERS.get(_header(c)), UNIT_HEADERS.get(_header(c))) for c in cells)


def registry_kind(cells: list[Any], source: str) -> str | None:
    """``account`` or ``unit`` for a registry's header row, None for a plain table.

    Raises :class:`RecordError` naming ``source`` when the headers fit both
    kinds or neither beyond the name.
    """
    if not is_registry_header(cells):
        return None
    names = [_header(c) for c in cells if _header(c)]
    account = [n for n in names if HEADERS.get(n, "id") not in ("id", "name") or n in _ACCOUNT_ONLY]
    unit = [n for n in names if UNIT_HEADERS.get(n) is not None or n in _UNIT_ONLY]
    if account and unit:
        raise RecordError(
            Location(source),
            f"表头既有账号登记表的列（{'、'.join(account)}），又有单位登记表的列"
            f"（{'、'.join(unit)}），无法判断是哪一种，请分成两个文件",
        )
    if not account and not unit:
        raise RecordError(
            Location(source),
            "表头除名称和编号外没有可识别的列，无法判断是单位登记表还是账号登记表："
            "账号登记表须有平台类型、主办单位等列，单位登记表须有级别、单位类别等列",
        )
    return "account" if account else "unit"


def _number(text: str) -> float | str:
    cleaned = text.replace(",", "").replace("元", "").replace("人", "").strip()
    scale = 10_000 if cleaned.endswith("万") or cleaned.endswith("萬") else 1
    try:
        return float(cleaned.rstrip("万萬")) * scale
    except ValueError:
        return text


def _date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    match = re.fullmatch(
        r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?", str(value).strip()
    )
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}" if match else value


def _person(text: str) -> dict[str, str]:
    phone = re.search(r"1\d{10}|\d{3,4}-?\d{7,8}|\d{7,8}", text)
    name = re.sub(r"[\d\-\s,，:：/（）()]+", " ", text).strip().split(" ")[0]
    person = {"name": name} if name else {}
    if phone:
        person["mobile" if re.fullmatch(r"1\d{10}", phone[0]) else "phone"] = phone[0]
    return person


def row_to_record(row: dict[str, Any]) -> dict[str, Any]:
    """One registry row (header → cell) as an account record dict."""
    record: dict[str, Any] = {"type": "account"}
    extra: dict[str, Any] = {}
    for header, value in row.items():
        field = HEADERS.get(_header(header))
        text = str(value).strip() if value is not None else ""
        if field is None or text == "":
            continue
        if not field.startswith(":"):
            record[field] = text
        elif field == ":mode":
            record["operation_mode"] = _MODE.get(text, text)
        elif field == ":money":
            record["funding_yuan_per_year"] = _number(text)
        elif field in (":followers", ":reads"):
            number = _number(text)
            record[field[1:]] = (
                int(number) if isinstance(number, float) and math.isfinite(number) else text
            )
        elif field == ":opened":
            record["opened_on"] = _date(value)
        elif field == ":staff":
            digits = re.findall(r"\d+", text)
            if digits:
                record["staff_count"] = int(digits[-1])
            if "无专人" in text or "無專人" in text:
                record["dedicated_staff"] = 0
            elif "专人" in text or "專人" in text:
                record["dedicated_staff"] = int(digits[-1]) if digits else 1
        elif field == ":status":
            record["status"] = _STATUS.get(text, text)
        elif field == ":functions":
            record["functions"] = [
                _FUNCTIONS.get(part, part) for part in re.split(r"[、,，;；/\s]+", text) if part
            ]
        elif field == ":platform":
            record["platform"] = next((p for word, p in _PLATFORMS if word in text), "other")
        elif field in (":principal", ":contact"):
            record[field[1:]] = _person(text)
        else:
            extra[_header(header)] = text
    if "id" not in record and "name" in record:
        platform = PLATFORM.get(str(record.get("platform")))
        record["id"] = f"{record['name']}（{platform}）" if platform else record["name"]
    if extra:
        record["extra"] = extra
    return record


def row_to_unit(row: dict[str, Any]) -> dict[str, Any]:
    """One row of a registry of units as a unit record dict; contract field names pass as given."""
    record: dict[str, Any] = {"type": "unit"}
    extra: dict[str, Any] = {}
    for header, value in row.items():
        name = _header(header)
        text = str(value).strip() if value is not None else ""
        if text == "":
            continue
        field = UNIT_HEADERS.get(name) or HEADERS.get(name)
        field = field or (name if name in Unit.model_fields else None)
        if field == ":level":
            record["level"] = _LEVELS.get(text, text)
        elif field == ":kind":
            record["kind"] = _UNIT_KINDS.get(text, text)
        elif field in ("id", "name") or (field and not field.startswith(":")):
            record[field] = text
        else:
            extra[name] = text
    if "id" not in record and "name" in record:
        record["id"] = record["name"]
    if extra:
        record["extra"] = extra
    return record


def registry_items(
    rows: list[list[Any]], source: str, first_line: int = 1, kind: str = "account"
) -> Iterator[InputItem]:
    """Items from a table whose first row is a registry header of ``kind``; blank rows skipped."""
    header = [str(c or "") for c in rows[0]]
    convert = row_to_unit if kind == "unit" else row_to_record
    for offset, cells in enumerate(rows[1:], start=1):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        yield item_from_value(convert(row), source, first_line + offset)


def read_xlsx(path: Path) -> Iterator[InputItem]:
    """The first sheet of a workbook: a registry (名称 header) or a plain table with English
    headers."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise RecordError(Location(str(path)), f"无法读取 Excel 文件：{exc}") from None
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    start = next((i for i, r in enumerate(rows) if is_registry_header(r)), None)
    if start is None:
        raise RecordError(Location(str(path)), "未找到含名称列的表头行，无法识别为登记表")
    kind = registry_kind(rows[start], str(path))
    yield from registry_items(rows[start:], str(path), first_line=start + 1, kind=kind or "account")
