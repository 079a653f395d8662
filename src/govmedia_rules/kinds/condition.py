"""Field rules: a small condition language over an account's or unit's fields.

A clause is either a combinator (``all``, ``any``, ``not``) or a field test
(``{field: operation_mode, equals: outsourced}``). Field paths are checked
against the record contract when the pack is loaded, so a typo in a pack is
a validation error, not a rule that silently never fires. On an account,
``unit.<field>`` reads the sponsoring unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, model_validator

from ..labels import FIELD, VALUES
from ..records import Account, Person, Subject, Unit
from .base import (
    Params,
    RuleKind,
    Scope,
    Unknown,
    Violation,
    account_subject,
    describe_account,
    unit_subject,
    unknown,
)
from .structure import OPENED_SINCE, OpenedSince, opened_before

#: What a reader returns for a field whose value is not known (blank, and not declared complete).
UNKNOWN = object()

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
                return f"{name}{word}{_show(getattr(self, op), self.field)}"
        if "matches" in fs:
            return f"{name}符合格式“{self.matches}”"
        if "present" in fs or "not_empty" in fs:
            filled = self.present if "present" in fs else self.not_empty
            return f"{name}{'已填写' if filled else '为空'}"
        return f"{name}与{FIELD.get(self.same_as or '', self.same_as)}一致"


def _show(value: Any, field: str | None = None) -> str:
    """A value as a message shows it: 是/否, an enumerated value by its Chinese name."""
    if isinstance(value, bool):
        return "“是”" if value else "“否”"
    if isinstance(value, list):
        return "、".join(_show(v, field) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"“{VALUES.get(field or '', {}).get(value, value) if isinstance(value, str) else value}”"


def _model_has(model: type[BaseModel], path: list[str]) -> bool:
    if not path:
        return True
    info = model.model_fields.get(path[0])
    if info is None:
        return False
    if len(path) == 1:
        return True
    return path[0] in ("principal", "deputy", "contact") and _model_has(Person, path[1:])


def check_field_path(subject: str, path: str) -> None:
    """Raise ValueError when ``path`` names no field of the subject's record."""
    parts = path.split(".")
    if subject == "account" and parts[0] == "unit":
        ok = _model_has(Unit, parts[1:]) and len(parts) > 1
    else:
        ok = _model_has(Account if subject == "account" else Unit, parts)
    if not ok:
        raise ValueError(f"{subject} 记录没有字段 {path!r}")


def reader(record: BaseModel, unit: Unit | None, scope: Scope) -> Any:
    """A function reading dotted field paths from a record (and its unit).

    A blank field reads as :data:`UNKNOWN` unless the user declared it
    complete (``account.review_policy``); then it reads as None, a known blank.
    """
    subject = record.type  # type: ignore[attr-defined]

    def read(path: str) -> Any:
        parts = path.split(".")
        obj: Any = record
        kind = subject
        if unit is not None and parts[0] == "unit":
            obj, parts, kind = unit, parts[1:], "unit"
        for part in parts:
            owner, obj = obj, getattr(obj, part, None)
            if obj is None or obj == "" or obj == []:
                full = f"{kind}.{'.'.join(parts)}"
                known = scope.knows(full, None) or scope.knows(f"{kind}.{parts[0]}", None)
                return blank_value(type(owner), part, obj) if known else UNKNOWN
        return obj

    return read


def blank_value(model: type[BaseModel], name: str, value: Any) -> Any:
    """What a blank field means once declared complete: 否 for a yes/no field, else the blank
    itself."""
    annotation = model.model_fields[name].annotation if name in model.model_fields else None
    return False if value is None and annotation == (bool | None) else value


def unknown_fields(paths: Iterable[str], read: Any, subject: str) -> list[str]:
    """The record field paths among ``paths`` that read as not known."""
    return sorted(
        {
            path if path.startswith("unit.") else f"{subject}.{path}"
            for path in paths
            if read(path) is UNKNOWN
        }
    )


class SubjectParams(Params):
    subject: Literal["account", "unit"] = Field(
        default="account", description="Record the rule looks at"
    )
    opened_since: OpenedSince | None = Field(default=None, description=OPENED_SINCE)

    @model_validator(mode="after")
    def _openings_are_accounts(self) -> SubjectParams:
        if self.opened_since is not None and self.subject != "account":
            raise ValueError("opened_since 只适用于账号（subject: account）")
        return self


class FieldRuleKind(RuleKind):
    """Shared driver: evaluate ``violation_for`` on each selected account or unit."""

    params: SubjectParams

    @property
    def subject_type(self) -> str:  # type: ignore[override]
        return self.params.subject

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        if self.params.subject == "unit":
            for view in scope.units():
                if scope.unit_accounts(view):
                    yield from self.violation_for(
                        unit_subject(view),
                        f"单位「{view.unit.name}」",
                        reader(view.unit, None, scope),
                    )
            return
        for history in scope.accounts():
            if not history.account.is_open_on(scope.as_of):
                continue
            before = opened_before(history.account, self.params.opened_since, scope)
            if before is None:
                yield unknown(account_subject(history), "account.opened_on")
            elif not before:
                yield from self.violation_for(
                    account_subject(history),
                    f"账号{describe_account(history)}",
                    reader(history.account, history.unit, scope),
                )

    def violation_for(self, subject: Subject, who: str, read: Any) -> Iterator[Violation | Unknown]:
        raise NotImplementedError


class ConditionParams(SubjectParams):
    when: Clause | None = Field(
        default=None, description="Only records where this holds are checked"
    )
    require: Clause = Field(description="What must hold")

    @model_validator(mode="after")
    def _paths_exist(self) -> ConditionParams:
        for clause in (self.when, self.require):
            for path in clause.fields() if clause else ():
                check_field_path(self.subject, path)
        return self


class Condition(FieldRuleKind):
    """A field condition: where ``when`` holds, ``require`` must hold too.

    For simple account rules the documents state in one sentence: 外包运营须
    签订安全保密协议, 认证信息标明主办单位, 纳入矩阵.
    """

    name = "condition"
    reads = frozenset()
    title = "字段条件"
    Params = ConditionParams
    example = """
params:
  when: {field: operation_mode, equals: outsourced}
  require: {field: security_agreement, equals: true}
"""
    params: ConditionParams

    def violation_for(self, subject: Subject, who: str, read: Any) -> Iterator[Violation | Unknown]:
        p = self.params
        when = True if p.when is None else p.when.holds(read)
        if when is False:
            return
        holds = p.require.holds(read)
        if holds is False and when is True:
            facts = {path: read(path) for path in p.require.fields()}
            shown = "，".join(
                f"{FIELD.get(k, k)}：{'未填写' if v is None or v is UNKNOWN else _show(v, k)}"
                for k, v in facts.items()
            )
            yield Violation(
                subject,
                f"{who}不符合要求：{p.require.describe()}（{shown}）",
                {"fields": {k: (None if v is UNKNOWN else v) for k, v in facts.items()}},
            )
        elif holds is not True:
            clauses = [c for c in (p.when, p.require) if c is not None]
            yield unknown(
                subject,
                *unknown_fields((f for c in clauses for f in c.fields()), read, subject.type),
            )


class PresetCondition(Condition):
    """A condition fixed by the kind itself; its params only pick the subject."""

    preset: ClassVar[dict[str, Any]]

    @classmethod
    def from_params(cls, raw: dict[str, Any]) -> RuleKind:
        SubjectParams.model_validate(raw)
        return cls(ConditionParams.model_validate({**raw, **cls.preset}))


class AppIpv6(PresetCondition):
    """移动客户端支持IPv6: apply it to platform ``app`` in ``applies_to``."""

    name = "app_ipv6"
    reads = frozenset()
    title = "移动客户端支持IPv6"
    Params = SubjectParams  # type: ignore[assignment]  # the preset fills in the rest
    preset = {"require": {"field": "ipv6", "equals": True}}
    example = """
applies_to: {platforms: [app]}
params: {}
"""


class NewsLicense(PresetCondition):
    """提供互联网新闻信息服务须取得许可: an account that provides news service holds a licence."""

    name = "news_license"
    reads = frozenset()
    title = "新闻信息服务许可"
    Params = SubjectParams  # type: ignore[assignment]  # the preset fills in the rest
    preset = {
        "when": {"field": "provides_news_service", "equals": True},
        "require": {"field": "news_license", "present": True},
    }
    example = """
params: {}
"""


class RequiredFieldsParams(SubjectParams):
    fields: list[str] = Field(min_length=1, description="Field paths that must be filled in")

    @model_validator(mode="after")
    def _paths_exist(self) -> RequiredFieldsParams:
        for path in self.fields:
            check_field_path(self.subject, path)
        return self


class RequiredFields(FieldRuleKind):
    """必填信息: registry fields (认证主体, 负责人, 联系方式 ...) are filled in."""

    name = "required_fields"
    reads = frozenset()
    title = "必填信息"
    Params = RequiredFieldsParams
    example = """
params:
  fields: [certified_sponsor, principal.name, contact.mobile]
"""
    params: RequiredFieldsParams

    def violation_for(self, subject: Subject, who: str, read: Any) -> Iterator[Violation | Unknown]:
        values = {f: read(f) for f in self.params.fields}
        missing = [f for f, v in values.items() if v is not UNKNOWN and v in (None, "", [])]
        if missing:
            yield Violation(
                subject,
                f"{who}缺少{'、'.join(FIELD.get(f, f) for f in missing)}",
                {"missing": missing},
            )
        elif any(v is UNKNOWN for v in values.values()):
            yield unknown(subject, *unknown_fields(self.params.fields, read, subject.type))
