"""Field rule kinds: ``condition``, its presets ``app_ipv6``/``news_license``, ``required_fields``.

For rules the documents state in one sentence about an account's or unit's fields: where
``when`` holds, ``require`` must hold too; these fields are filled in.

The clauses they are written in live in ``clauses.py``; reading fields and running a rule on
each account or unit, in ``field_rules.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import Field, model_validator

from ..labels import FIELD
from ..records import Subject
from .base import RuleKind, Unknown, Violation, unknown
from .clauses import Clause, show_value
from .field_rules import UNKNOWN, FieldRuleKind, SubjectParams, check_field_path, unknown_fields


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
                f"{FIELD.get(k, k)}：{'未填写' if v is None or v is UNKNOWN else show_value(v, k)}"
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
