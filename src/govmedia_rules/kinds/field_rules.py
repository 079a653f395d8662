"""Rules over a record's own fields: reading field paths, and the driver that runs such a rule.

A field path is checked against the record contract when the pack is loaded, so a typo in a
pack is a validation error, not a rule that silently never fires. Reading a path tells a blank
the user declared complete (a known blank) from one not known (:data:`UNKNOWN`). On an
account, ``unit.<field>`` reads the sponsoring unit. ``condition``, its presets and
``required_fields`` are :class:`FieldRuleKind`s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

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

    most_findings = 1  # one judgement of the subject's fields
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
