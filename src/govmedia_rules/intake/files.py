"""Reading input files into records, one item per record, valid or not.

Every line (row, array element) becomes an :class:`InputItem`: either a
validated record or the reason it was rejected, with file and line. Nothing
is dropped, so the report can account for every record read. Readers are
contributed through the ``govmedia_rules_add_record_loaders`` hook; the
built-in ones read JSON Lines, JSON and CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
import reprlib
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from ..errors import Location, RecordError
from ..records import RECORD_TYPES, RecordInvalid, parse_record, validate_record_json

MAX_LINE_BYTES = 4 * 1024 * 1024
#: an input path of "-" is JSON Lines on standard input, named so in rejections
STDIN, STDIN_SOURCE = "-", "标准输入"


@dataclass(frozen=True)
class InputItem:
    """One record as read: ``record`` when valid, else ``error`` says why not."""

    source: str
    line: int
    record: Any = None
    error: str | None = None
    type: str | None = None
    id: str | None = None
    #: for a rejected item: the dotted path of the offending field, and the rejection code
    field: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class RecordLoader:
    """Reads one kind of file; ``read`` yields an item for every record in it."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], Iterator[InputItem]]


def item_from_value(value: Any, source: str, line: int) -> InputItem:
    """Validate one decoded value into an accepted or rejected item."""
    kind = value.get("type") if isinstance(value, dict) else None
    rid = value.get("id") if isinstance(value, dict) else None
    rid = _shown(rid) if rid is not None else None
    try:
        return InputItem(source, line, parse_record(value), type=kind, id=rid)
    except RecordInvalid as exc:
        return InputItem(
            source,
            line,
            error=str(exc),
            type=_shown(kind) if isinstance(kind, str) else None,
            id=rid,
            field=exc.field,
            code=exc.code,
        )


def _shown(value: Any) -> str:
    """A rejected record's type or id as the report names it: text with lone surrogates escaped
    (so the report stays UTF-8), a container abbreviated however deep it is nested."""
    text = reprlib.repr(value) if isinstance(value, (dict, list)) else str(value)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _reject_json_constant(name: str) -> Any:
    """json.loads hook: NaN and Infinity are not JSON numbers a record may hold."""
    raise ValueError(f"不允许 {name}")


class _TooDeep(ValueError):
    """JSON nested deeper than the decoder's recursion allows."""


def _decode_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_json_constant)
    except RecursionError:
        raise _TooDeep(TOO_DEEP) from None


TOO_DEEP = "嵌套层数过深"


def items_from_values(values: Iterable[Any], source: str = "<python>") -> Iterator[InputItem]:
    """Items from in-memory values: dicts are validated, record models and items pass as they
    are."""
    for index, value in enumerate(values, start=1):
        if isinstance(value, InputItem):
            yield value
        elif isinstance(value, BaseModel) and hasattr(value, "type"):
            kind, rid = value.type, value.id  # type: ignore[attr-defined]
            yield InputItem(source, index, value, type=kind, id=rid)
        else:
            yield item_from_value(value, source, index)


def read_jsonl(path: Path) -> Iterator[InputItem]:
    """JSON Lines: one object per line; blank lines are not records."""
    with path.open("rb") as handle:
        yield from jsonl_items(handle, str(path))


def jsonl_items(handle: BinaryIO, source: str) -> Iterator[InputItem]:
    """The items of JSON Lines read from a binary stream: a file, or standard input."""
    for number, raw in enumerate(handle, start=1):
        item = jsonl_item(raw, source, number)
        if item is not None:
            yield item


def jsonl_item(raw: bytes, source: str, number: int) -> InputItem | None:
    """The item of one JSON Lines line (None for a blank line), accepted or rejected with the
    reason."""
    if not raw.strip():
        return None
    if len(raw) > MAX_LINE_BYTES:
        return InputItem(
            source,
            number,
            error=f"行过长（{len(raw)} 字节，上限 {MAX_LINE_BYTES}）",
            code="too_large",
        )
    try:
        text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return InputItem(
            source,
            number,
            error=f"不是有效的 UTF-8 编码（第 {exc.start + 1} 字节）",
            code="encoding",
        )
    record = validate_record_json(text)
    if record is not None:
        return InputItem(source, number, record, type=record.type, id=record.id)
    try:
        value = _decode_json(text)
    except ValueError as exc:
        return InputItem(source, number, error=f"不是有效的 JSON：{exc}", code="syntax")
    return item_from_value(value, source, number)


def read_json(path: Path) -> Iterator[InputItem]:
    """JSON: an array of records, or an object with a "records" array; line = position (1-based)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        value = _decode_json(text)
    except _TooDeep:
        yield from _elements_one_by_one(text, str(path))
        return
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordError(Location(str(path)), f"不是有效的 JSON 文件：{exc}") from None
    if isinstance(value, dict) and isinstance(value.get("records"), list):
        value = value["records"]
    if not isinstance(value, list):
        raise RecordError(Location(str(path)), "JSON 文件应为记录数组，或含 records 数组的对象")
    yield from (item_from_value(v, str(path), i) for i, v in enumerate(value, start=1))


_DECODER = json.JSONDecoder(parse_constant=_reject_json_constant)
_SPACE = re.compile(r"\s*")
_RECORDS_KEY = re.compile(r'\{\s*"records"\s*:\s*')
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _elements_one_by_one(text: str, source: str) -> Iterator[InputItem]:
    """The records of a JSON file holding an element nested too deep, decoded one element at a
    time so that only that element is rejected."""
    at = _SPACE.match(text).end()  # type: ignore[union-attr]
    head = _RECORDS_KEY.match(text, at)
    at = head.end() if head else at
    if not text.startswith("[", at):
        raise RecordError(Location(source), f"不是有效的 JSON 文件：{TOO_DEEP}")
    at, number = at + 1, 0
    while not text.startswith("]", at := _SPACE.match(text, at).end()):  # type: ignore[union-attr]
        number += 1
        try:
            value, at = _DECODER.raw_decode(text, at)
            yield item_from_value(value, source, number)
        except RecursionError:
            at = _value_end(text, at)
            yield InputItem(source, number, error=TOO_DEEP, code="too_large")
        except ValueError as exc:
            raise RecordError(Location(source), f"不是有效的 JSON 文件：{exc}") from None
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]
        at += text.startswith(",", at)


def _value_end(text: str, at: int) -> int:
    """Where the array or object starting at ``at`` ends, found without recursion."""
    depth = 0
    for token in _TOKEN.finditer(text, at):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(token[0], 0)
        if depth == 0:
            return token.end()
    raise RecordError(Location(""), f"不是有效的 JSON 文件：{TOO_DEEP}")


_LIST_FIELDS = {"functions", "flags"}
_BOOL_WORDS = {"是": True, "否": False}


def _csv_value(key: str, text: str) -> Any:
    if key in _LIST_FIELDS:
        return [part.strip() for part in text.split(";") if part.strip()]
    if text in _BOOL_WORDS:
        return _BOOL_WORDS[text]
    if text[:1] in "[{":
        try:
            return _decode_json(text)
        except ValueError:
            return text
    return text


def csv_row_to_value(row: dict[str, str], default_type: str | None) -> dict[str, Any]:
    """A CSV row with dotted headers (principal.name) as a nested record object."""
    value: dict[str, Any] = {"type": default_type} if default_type else {}
    for key, text in row.items():
        if key is None or text is None or text.strip() == "":
            continue
        target = value
        *parents, leaf = key.strip().split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = _csv_value(leaf, text.strip())
    return value


def record_type_of(path: Path) -> str | None:
    """The record type a table is named after, singular or plural (``accounts.csv``,
    ``post.parquet``), or None: CSV files and Parquet folders name their type alike."""
    stem = path.stem.lower()
    return next((t for t in RECORD_TYPES if stem in (t, t + "s")), None)


def read_csv(path: Path) -> Iterator[InputItem]:
    """CSV with a header row; a file named after a type (accounts.csv) may omit the type column.

    A CSV whose header carries 名称 is an account or unit registry (see :mod:`.sheets`).
    The file may be UTF-8 (with or without a BOM) or GBK/GB18030, as Excel on
    Chinese Windows saves it; rejections then say it was read as GB18030.
    """
    from .sheets import registry_items, registry_kind

    default_type = record_type_of(path)
    text, note = _decode_csv(path)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return
    registry = registry_kind(header, str(path))
    for line, cells, error in _csv_rows(reader):
        if error is not None:
            yield note(InputItem(str(path), line, error=error, code="too_large"))
        elif registry:
            yield from map(
                note, registry_items([header, cells], str(path), first_line=line - 1, kind=registry)
            )
        elif cells:
            value = csv_row_to_value(dict(zip(header, cells, strict=False)), default_type)
            yield note(item_from_value(value, str(path), line))


def _decode_csv(path: Path) -> tuple[str, Callable[[InputItem], InputItem]]:
    """The text of a CSV file, and what to do to its items: say the encoding where it was not UTF-8.

    UTF-8 is tried strictly first: GBK text is almost never valid UTF-8, so
    the fallback to GB18030 (a superset of GBK) is taken only for such files.
    """
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig"), lambda item: item
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        reason = f"既不是 UTF-8 编码，也不是 GBK/GB18030 编码（第 {exc.start + 1} 字节）"
        raise RecordError(Location(str(path)), reason) from None

    def note(item: InputItem) -> InputItem:
        if item.error is None:
            return item
        return replace(item, error=f"{item.error}（此文件不是 UTF-8 编码，已按 GB18030 读取）")

    return text, note


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str], str | None]]:
    """(last line, cells, None) of each row, or (line, [], reason) for a row the csv module cannot
    read (a cell over its size limit); reading goes on with the next line."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield reader.line_num, [], f"单元格过长（上限 {csv.field_size_limit()} 个字符）"
            continue
        yield reader.line_num, cells, None


def _read_xlsx(path: Path) -> Iterator[InputItem]:
    from .sheets import read_xlsx

    return read_xlsx(path)


def _read_parquet_folder(path: Path) -> Iterator[InputItem]:
    from .parquet import read_parquet_folder

    return read_parquet_folder(path)


BUILTIN_LOADERS = (
    RecordLoader("jsonl", (".jsonl", ".ndjson"), read_jsonl),
    RecordLoader("json", (".json",), read_json),
    RecordLoader("csv", (".csv",), read_csv),
    RecordLoader("xlsx", (".xlsx",), _read_xlsx),
    RecordLoader("parquet", ("/",), _read_parquet_folder),  # "/" is a folder of Parquet tables
)


def read_inputs(
    paths: Iterable[str | Path], loaders: dict[str, RecordLoader]
) -> Iterator[InputItem]:
    """Items from every file, in order; a missing file or unknown suffix is a RecordError.

    A path of ``-`` reads JSON Lines from standard input.
    """
    for raw in paths:
        if str(raw) == STDIN:
            yield from jsonl_items(sys.stdin.buffer, STDIN_SOURCE)
            continue
        path = Path(raw)
        if not path.exists():
            raise RecordError(Location(str(path)), "文件不存在")
        loader = loaders.get(path.suffix.lower()) or (loaders.get("/") if path.is_dir() else None)
        if loader is None:
            known = "、".join(sorted(loaders))
            raise RecordError(
                Location(str(path)),
                f"不支持的输入格式 {path.suffix or '（无后缀）'}（支持：{known}）",
            )
        yield from loader.read(path)
