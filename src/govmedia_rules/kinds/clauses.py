"""The clause language of field rules: parsing a clause, evaluating it, saying it in Chinese.

A clause is either a combinator (``all``, ``any``, ``not``) or a field test
(``{field: operation_mode, equals: outsourced}``). It is evaluated three-valued over a
reader (``field_rules.reader``): True, False, or None when a field it needs is not known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import Field, model_validator

from ..labels import FIELD, VALUES
from .base import Params
from .field_rules import UNKNOWN

_OPS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "contains",
    "matches",
    "present",
    "not_empty",
    "gte",
    "lte",
    "same_as",
)


class Clause(Params):
    all: list[Clause] | None = None
    any: list[Clause] | None = None
    not_: Clause | None = Field(default=None, alias="not")
    field: str | None = None
    equals: Any = None
    not_equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    contains: Any = Field(
        default=None, description="A list field holds this value; a text field holds this text"
    )
    matches: str | None = Field(
        default=None, description="A text field matches this regular expression (anywhere)"
    )
    present: bool | None = None
    not_empty: bool | None = Field(
        default=None,
        description="true: the field is filled in (a text not blank, a list "
        "not empty); false: it is blank",
    )
    gte: float | None = None
    lte: float | None = None
    same_as: str | None = Field(
        default=None, description="Another field path whose value must be equal"
    )

    model_config = Params.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _one_form(self) -> Clause:
        combinators = [x for x in ("all", "any", "not_") if getattr(self, x) is not None]
        ops = [
            op
            for op in _OPS
            if op in self.model_fields_set or (op == "in" and "in_" in self.model_fields_set)
        ]
        if self.field is None and len(combinators) != 1:
            raise ValueError("条件须为 all、any、not 之一，或 field 加一个比较")
        if self.field is not None and (combinators or len(ops) != 1):
            raise ValueError(f"field 须且只须配一个比较（{'、'.join(_OPS)}）")
        if self.matches is not None:  # a pattern that does not compile is the pack's error, at load
            try:
                re.compile(self.matches)
            except re.error as exc:
                raise ValueError(f"matches 的正则表达式无效：{exc}") from None
        return self

    def fields(self) -> Iterator[str]:
        if self.field is not None:
            yield self.field
            if self.same_as:
                yield self.same_as
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            yield from child.fields()

    def holds(self, read: Any) -> bool | None:
        """Whether the clause holds: True, False, or None when a field it needs is not known.

        Three-valued as in SQL: ``all`` is False if any part is False, ``any``
        is True if any part is True; otherwise an unknown part makes the
        whole unknown. ``read`` returns :data:`UNKNOWN` for a field not known.
        """
        if self.all is not None:
            parts = [c.holds(read) for c in self.all]
            return False if False in parts else (None if None in parts else True)
        if self.any is not None:
            parts = [c.holds(read) for c in self.any]
            return True if True in parts else (None if None in parts else False)
        if self.not_ is not None:
            inner = self.not_.holds(read)
            return None if inner is None else not inner
        value = read(self.field)
        if value is UNKNOWN or (
            "same_as" in self.model_fields_set and read(self.same_as) is UNKNOWN
        ):
            return None
        fs = self.model_fields_set
        if "equals" in fs:
            return bool(value == self.equals)
        if "not_equals" in fs:
            return bool(value != self.not_equals)
        if "in_" in fs:
            return value in (self.in_ or [])
        if "not_in" in fs:
            return value not in (self.not_in or [])
        if (
            "contains" in fs
        ):  # a list holds the value, a text the text (a name holds its place name)
            return (isinstance(value, list) and self.contains in value) or (
                isinstance(value, str) and isinstance(self.contains, str) and self.contains in value
            )
        if "matches" in fs:
            return isinstance(value, str) and re.search(self.matches or "", value) is not None
        if "present" in fs or "not_empty" in fs:
            return (value not in (None, "", [])) == (
                self.present if "present" in fs else self.not_empty
            )
        if "same_as" in fs:
            return value is not None and value == read(self.same_as)
        if value is None:
            return False
        return bool(value >= self.gte) if "gte" in fs else bool(value <= self.lte)

    def describe(self) -> str:
        if self.all is not None:
            return "且".join(f"（{c.describe()}）" for c in self.all)
        if self.any is not None:
            return "或".join(f"（{c.describe()}）" for c in self.any)
        if self.not_ is not None:
            return f"并非（{self.not_.describe()}）"
        name = FIELD.get(self.field or "", self.field)
        fs = self.model_fields_set
        for op, word in (
            ("equals", "等于"),
            ("not_equals", "不等于"),
            ("in_", "属于"),
            ("not_in", "不属于"),
            ("contains", "包含"),
            ("gte", "不小于"),
            ("lte", "不大于"),
        ):
            if op in fs:
                return f"{name}{word}{show_value(getattr(self, op), self.field)}"
        if "matches" in fs:
            return f"{name}符合格式“{self.matches}”"
        if "present" in fs or "not_empty" in fs:
            filled = self.present if "present" in fs else self.not_empty
            return f"{name}{'已填写' if filled else '为空'}"
        return f"{name}与{FIELD.get(self.same_as or '', self.same_as)}一致"


def show_value(value: Any, field: str | None = None) -> str:
    """A value as a message shows it: 是/否, an enumerated value by its Chinese name."""
    if isinstance(value, bool):
        return "“是”" if value else "“否”"
    if isinstance(value, list):
        return "、".join(show_value(v, field) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"“{VALUES.get(field or '', {}).get(value, value) if isinstance(value, str) else value}”"
