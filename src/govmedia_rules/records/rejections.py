"""Why a record is refused: :class:`RecordInvalid`, the stable rejection codes programs read,
and pydantic's validation errors told in Chinese, field by field."""

from __future__ import annotations

import re

from pydantic import ValidationError


class RecordInvalid(ValueError):
    """One record does not satisfy the contract; the message is for people, ``field`` and
    ``code`` for programs.

    ``field`` is the dotted path of the first offending field (None when the
    record as a whole is wrong); ``code`` is one of :data:`REJECTION_CODES`.
    """

    def __init__(self, reason: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(reason)
        self.field = field
        self.code = code


#: Stable machine-readable rejection codes, with what each means.
REJECTION_CODES = {
    "missing": "a required field is absent",
    "type": "a value of the wrong type, or a record that is not an object",
    "enum": "a value outside the allowed set (a misspelt type, platform, role ...)",
    "unknown_field": "a field the contract does not define",
    "format": "a date, time or number that cannot be read",
    "range": "a value outside its allowed range, or an empty text",
    "invalid": "a value that breaks a rule across fields (closed before opened ...)",
    "duplicate_id": "a second record of the same type with the same id",
    "unknown_reference": "a unit_id or account_id naming no accepted record",
    "ambiguous_reference": "a sponsor unit name that names several units",
    "syntax": "a line that is not valid JSON (or CSV)",
    "encoding": "bytes that are not valid text in the file's encoding",
    "too_large": "a line or cell over the size limit",
}

_CODES = {
    "missing": "missing",
    "extra_forbidden": "unknown_field",
    "literal_error": "enum",
    "string_type": "type",
    "list_type": "type",
    "dict_type": "type",
    "model_type": "type",
    "model_attributes_type": "type",
    "bool_type": "type",
    "int_type": "type",
    "date_type": "type",
    "datetime_type": "type",
    "union_tag_invalid": "enum",
    "int_from_float": "type",
    "greater_than_equal": "range",
    "string_too_short": "range",
    "too_short": "range",
}


def first_error(exc: ValidationError, *, skip_first: bool = False) -> tuple[str | None, str]:
    """Dotted path and code of a validation error's first problem."""
    err = exc.errors()[0]
    loc = list(err["loc"])[1 if skip_first else 0 :]
    kind = err["type"]
    code = _CODES.get(kind) or (
        "format" if kind.endswith("_parsing") or "from" in kind else "invalid"
    )
    return (".".join(str(p) for p in loc) or None), code


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（自定义数据请放入 extra）",
    "literal_error": "取值不在允许范围内",
    "date_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效日期（应为 YYYY-MM-DD）",
    "date_from_datetime_inexact": "日期不应带时间",
    "date_type": "不是有效日期（应为 YYYY-MM-DD）",
    "datetime_parsing": "不是有效时间（应为 ISO 8601）",
    "datetime_from_date_parsing": "不是有效时间（应为 ISO 8601）",
    "datetime_type": "不是有效时间（应为 ISO 8601）",
    "timezone_offset": "时区偏移无效",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "greater_than_equal": "不能小于下限",
    "string_too_short": "不能为空",
    "value_error": "取值无效",
}


def describe_validation_error(exc: ValidationError, *, skip_first: bool = False) -> str:
    """Turn a pydantic error into '字段 a.b: 原因' sentences, Chinese first."""
    parts = []
    for err in exc.errors():
        loc = list(err["loc"])[1 if skip_first else 0 :]
        field = ".".join(str(p) for p in loc)
        reason = _PYDANTIC_MESSAGES.get(err["type"], err["msg"])
        if err["type"] == "literal_error":
            allowed = re.findall(r"'([^']*)'", str(err["ctx"].get("expected", "")))
            reason += f"（允许：{'、'.join(repr(value) for value in allowed)}）"
        elif err["type"] == "value_error":
            reason = str(err.get("ctx", {}).get("error", err["msg"]))
        elif err["type"] in ("greater_than_equal",):
            reason += f" {err['ctx'].get('ge')}"
        if (
            err["type"] not in ("missing",)
            and "input" in err
            and not isinstance(err["input"], (dict, list))
        ):
            reason += "，实际：空值" if err["input"] is None else f"，实际：{err['input']!r}"
        parts.append(f"{field}: {reason}" if field else reason)
    return "；".join(parts)
