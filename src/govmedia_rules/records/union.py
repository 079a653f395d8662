"""Any record: the union of every record type, told apart by its ``type`` tag, and what is
done with a record of any type — parse and validate it (from a decoded value or straight from
JSON text), order the tables of each type, state its JSON Schema."""

from __future__ import annotations

import reprlib
from typing import Annotated, Any, Union, get_args

from pydantic import Field, TypeAdapter, ValidationError

from .base import _Record
from .events import (
    Announcement,
    Attestation,
    Filing,
    Incident,
    Login,
    Message,
    Post,
    Report,
    SpotCheck,
)
from .followup import Rectification, Waiver
from .registry import Account, Unit
from .rejections import RecordInvalid, describe_validation_error, first_error

Record = Annotated[
    Union[
        Unit,
        Account,
        Filing,
        Announcement,
        Post,
        Message,
        Login,
        Report,
        Incident,
        SpotCheck,
        Attestation,
        Waiver,
        Rectification,
    ],
    Field(discriminator="type"),
]
RECORD_TYPES: dict[str, type[_Record]] = {  # the union above, by its ``type`` tag
    m.model_fields["type"].default: m for m in get_args(get_args(Record)[0])
}
_RECORD_ADAPTER: TypeAdapter[Any] = TypeAdapter(Record)
_READING_ORDER = {kind: i for i, kind in enumerate(RECORD_TYPES)}


def reading_order(kind: str) -> int:
    """Where tables of a record type are read among the others: units, then accounts, then
    events."""
    return _READING_ORDER.get(kind, len(_READING_ORDER))


def parse_record(data: Any) -> Any:
    """Validate one decoded JSON value as a record; raises :class:`RecordInvalid`."""
    if not isinstance(data, dict):
        raise RecordInvalid(f"记录必须是 JSON 对象，实际是 {type(data).__name__}", code="type")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in RECORD_TYPES:
        allowed = "、".join(RECORD_TYPES)
        if kind is None:
            raise RecordInvalid("缺少 type 字段", field="type", code="missing")
        raise RecordInvalid(
            f"type: 未知的记录类型 {reprlib.repr(kind)}（允许：{allowed}）",
            field="type",
            code="enum",
        )
    where = lone_surrogate(data)
    if where is not None:
        raise RecordInvalid(
            f"{where}: 含有无法编码的字符（孤立的代理码位）", field=where, code="encoding"
        )
    try:
        return _RECORD_ADAPTER.validate_python(data)
    except ValidationError as exc:
        field, code = first_error(exc, skip_first=True)
        raise RecordInvalid(
            describe_validation_error(exc, skip_first=True), field=field, code=code
        ) from None


def lone_surrogate(value: Any) -> str | None:
    """The dotted path of the first text (or key) in ``value`` holding a lone surrogate, which no
    UTF-8 output can carry (JSON's ``"\\ud800"`` decodes to one); None when there is none."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:  # not recursive: a value nested thousands deep is walked like a flat one
        path, item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str) and not _encodable(key):
                    return path or "字段名"
                stack.append((f"{path}.{key}" if path else str(key), inner))
        elif isinstance(item, list):
            stack.extend((f"{path}.{i}", inner) for i, inner in enumerate(item))
        elif isinstance(item, str) and not _encodable(item):
            return path
    return None


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_record_json(raw: bytes | str) -> Any:
    """The fast path for JSON Lines: parse and validate one JSON text in a single pass.

    Returns None when the text is not a valid record; the caller then decodes
    it the ordinary way, so that :func:`parse_record` explains why.
    """
    try:
        return _RECORD_ADAPTER.validate_json(raw)
    except ValidationError:
        return None


def records_json_schema() -> dict[str, Any]:
    """JSON Schema of one input record (``govmedia-rules schema records``)."""
    schema = _RECORD_ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govmedia-rules record (v1)"
    return schema
