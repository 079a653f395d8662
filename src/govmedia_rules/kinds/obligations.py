"""Obligations of units: reports due after each period or by a date, and attested systems."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import Field, model_validator

from ..dataset.registry import AccountHistory, UnitView
from ..labels import ATTESTATION, REPORT_KIND, label, unlabelled
from ..periods import PeriodUnit, Span, add_months, period_label, period_words, periods
from ..records import Attestation as AttestationRecord
from ..records import Body, Level, Report, ReportKind, Subject, Unit, UnitKind
from .base import (
    Params,
    Scope,
    UnitRuleKind,
    Unknown,
    Violation,
    account_subject,
    describe_account,
    unit_subject,
    unknown,
)


class Due(Params):
    """When a report is due: one of the three forms."""

    after_end: Span | None = Field(
        default=None, description="This long after the period ends (5个工作日内)"
    )
    month_of_period: int | None = Field(
        default=None, ge=1, le=12, description="Month of the period, 1 = first"
    )
    day: int | None = Field(
        default=None, ge=1, le=31, description="With month_of_period: day of that month"
    )
    working_day: int | None = Field(
        default=None,
        ge=1,
        le=23,
        description="With month_of_period: the Nth working day of that month "
        "(月初 read on the calendar)",
    )
    on: date | None = Field(default=None, description="A fixed date, for a one-off report")

    @model_validator(mode="after")
    def _one_form(self) -> Due:
        forms = [self.after_end is not None, self.month_of_period is not None, self.on is not None]
        in_month = (self.day is not None) + (self.working_day is not None)
        if sum(forms) != 1 or in_month != (1 if self.month_of_period is not None else 0):
            raise ValueError(
                "due 须为 after_end、month_of_period+day（或 working_day）、on 三种形式之一"
            )
        return self


class Reporter(Params):
    """A body a reporting sentence names: by level and kind, and where the document names the
    office itself (各区县市行政审批服务局), by the unit's ``body``, never by its name's text."""

    unit_levels: list[Level] = Field(default=[], description="Levels of the bodies named")
    unit_kinds: list[UnitKind] = Field(default=[], description="Kinds of the bodies named")
    body: Body | None = Field(
        default=None,
        description="The body named (approval_bureau 行政审批服务局), at the levels given",
    )
    with_accounts: bool = Field(
        default=True,
        description="Only while it runs an account (有关单位); false for a supervising office",
    )

    def names(self, unit: Unit, scope: Scope) -> bool | None:
        """Whether the sentence names the unit; None when only its blank ``body`` could tell."""
        if (self.unit_levels and unit.level not in self.unit_levels) or (
            self.unit_kinds and unit.kind not in self.unit_kinds
        ):
            return False
        if self.body is None or unit.body is not None:
            return self.body is None or unit.body == self.body
        return None if not scope.knows("unit.body", None) else False


class PeriodicReportParams(Params):
    report_kind: ReportKind
    period: PeriodUnit | None = Field(
        default=None, description="Natural period reported on; omit for a one-off report"
    )
    due: Due
    signed_by_principal: bool = Field(
        default=False, description="Signed by the unit's principal leader"
    )
    stamped: bool = Field(default=False, description="Carries the unit's stamp (加盖公章)")
    only_units_with_accounts: bool = Field(
        default=True, description="Only units that run at least one account"
    )
    reporters: list[Reporter] | None = Field(
        default=None,
        description="The bodies the sentence binds; omitted: every unit running an account",
    )

    @model_validator(mode="after")
    def _due_fits_period(self) -> PeriodicReportParams:
        if (self.period is None) != (self.due.on is not None):
            raise ValueError("一次性报告（不填 period）须用 due.on；周期报告不能用 due.on")
        return self


class PeriodicReport(UnitRuleKind):
    """按期报送: a report of the given kind for every period (or once), in time and in form.

    An obligation is judged when its due date falls within [since, as_of] and
    binds only the bodies its sentence names (``reporters``; internal bodies
    have no seal of their own and never report). A body bound while it runs
    an account owes a periodic report only for periods in which one of its
    accounts existed, and a one-off report only if one existed before the
    due date: a unit that opened its first account after the survey date was
    never asked to survey. A periodic report matches its period by label
    (2019Q3, 2019-08, 2019H2, 2019, 2019W32); messages name the period in
    words. Missing reports are reported once the due date has passed.
    """

    name = "periodic_report"
    reads = frozenset({"report"})
    title = "按期报送报告"
    Params = PeriodicReportParams
    example = """
params:
  report_kind: quarterly_self_check
  period: quarter
  due: {after_end: {working_days: 5}}
"""
    params: PeriodicReportParams

    def obligations(self, scope: Scope) -> Iterator[tuple[date, date, date]]:
        """(period start, period end, due date) of every obligation due within the scope; a
        one-off report's period runs from the start of the scope to its due date."""
        p = self.params
        if p.period is None:
            assert p.due.on is not None
            if scope.since <= p.due.on <= scope.as_of:
                yield scope.since, p.due.on, p.due.on
            return
        lookback = add_months(scope.since, -13)
        for start, end in periods(lookback, scope.as_of, p.period):
            due = self._due(start, end, scope)
            if scope.since <= due <= scope.as_of:
                yield start, end, due

    def _due(self, start: date, end: date, scope: Scope) -> date:
        due = self.params.due
        if due.after_end is not None:
            return due.after_end.last_day(end, scope.calendar)
        first_of_month = add_months(start, (due.month_of_period or 1) - 1).replace(day=1)
        if due.working_day is not None:
            return scope.calendar.add_working_days(first_of_month - timedelta(1), due.working_day)
        last_day = add_months(first_of_month, 1) - timedelta(1)
        return min(first_of_month + timedelta((due.day or 1) - 1), last_day)

    def bound(self, view: UnitView, scope: Scope) -> tuple[bool | None, bool]:
        """Whether the sentence binds the unit (None: its blank ``body`` leaves it unknown), and
        whether only while it runs an account."""
        p = self.params
        if view.unit.kind == "internal_body":
            return False, False
        if p.reporters is None:
            return True, p.only_units_with_accounts
        named = [(r, r.names(view.unit, scope)) for r in p.reporters]
        sure = [r for r, names in named if names]
        if sure:
            return True, all(r.with_accounts for r in sure)
        return (None if any(names is None for _, names in named) else False), False

    def subjects(self, scope: Scope) -> Iterator[str]:
        for view in scope.units():
            if self.bound(view, scope)[0] is not False:
                yield view.unit.id

    def check_unit(self, view: UnitView, scope: Scope) -> Iterator[Violation | Unknown]:
        p = self.params
        binds, with_accounts = self.bound(view, scope)
        accounts = scope.unit_accounts(view)
        if binds is None and any(scope.as_of > due for _, _, due in self.obligations(scope)):
            yield unknown(unit_subject(view), "unit.body")
        if not binds or (with_accounts and not accounts):
            return
        mine = [r for r in view.reports if r.kind == p.report_kind]
        what = label(REPORT_KIND, p.report_kind)
        for start, end, due in self.obligations(scope):
            if with_accounts and not existed_during(accounts, start, end):
                continue
            period = period_label(start, p.period) if p.period else None
            name = f"{period_words(start, end, p.period)}{what}" if p.period else what
            found = [r for r in mine if period is None or r.period == period]
            evidence = {"report_kind": p.report_kind, "period": period, "deadline": due}
            if not found:
                if scope.as_of > due:
                    yield Violation(
                        unit_subject(view),
                        f"单位「{view.unit.name}」未报送{name}（应于{due}前报送）",
                        evidence,
                        due=due,
                    )
                continue
            report = min(found, key=lambda r: r.submitted_on)
            yield from self._check_report(view, report, name, evidence, scope)

    def _check_report(
        self, view: UnitView, report: Report, name: str, evidence: dict[str, Any], scope: Scope
    ) -> Iterator[Violation | Unknown]:
        due = evidence["deadline"]
        problems, blank = [], []
        if report.submitted_on > due:
            problems.append(f"于{report.submitted_on}报送，晚于{due}")
        for wanted, path, value, problem in (
            (
                self.params.signed_by_principal,
                "report.signed_by_principal",
                report.signed_by_principal,
                "未经主要领导签字",
            ),
            (self.params.stamped, "report.stamped", report.stamped, "未加盖单位公章"),
        ):
            if wanted and not scope.knows(path, value):
                blank.append(path)
            elif wanted and not value:
                problems.append(problem)
        if problems:
            yield Violation(
                unit_subject(view),
                f"单位「{view.unit.name}」的{name}（{report.id}）{'，'.join(problems)}",
                {**evidence, "report": report.id, "problems": problems},
            )
        elif blank:
            yield unknown(unit_subject(view), *blank)


def existed_during(accounts: list[AccountHistory], start: date, end: date) -> bool:
    """Whether one of the accounts existed at some time in [start, end]. An account with no
    opening date is in the registry, so it is taken to have existed: the registry is what an
    office holds, and leaving every report unjudged for a blank date would hide the duty."""
    return any(
        (a.account.closed_on is None or a.account.closed_on > start)
        and (a.account.opened_on is None or a.account.opened_on <= end)
        for a in accounts
    )


class AttestationParams(Params):
    items: list[str] = Field(
        min_length=1, description="Attestation items required (security_management, ...)"
    )
    subject: Literal["unit", "account"] = "unit"
    valid_for: Span | None = Field(
        default=None, description="An attestation older than this before as_of is stale"
    )
    only_units_with_accounts: bool = True
    labels: dict[str, str] = Field(
        default_factory=dict,
        description="Chinese names of items the vocabulary lacks (shown in messages)",
    )

    @model_validator(mode="after")
    def _named(self) -> AttestationParams:
        missing = unlabelled(ATTESTATION, self.items, self.labels)
        if missing:
            raise ValueError(
                f"制度事项 {'、'.join(missing)} 不在词表中，须在 labels 中给出中文名称"
            )
        return self


class Attestation(UnitRuleKind):
    """建立健全制度: the unit (or each of its accounts) has a current attestation of each item."""

    name = "attestation"
    reads = frozenset({"attestation"})
    title = "制度建设"
    Params = AttestationParams
    example = """
params:
  items: [security_management, confidentiality_review, emergency_plan]
"""
    params: AttestationParams

    def check_unit(self, view: UnitView, scope: Scope) -> Iterator[Violation | Unknown]:
        p = self.params
        accounts = scope.unit_accounts(view)
        if p.only_units_with_accounts and not accounts:
            return
        if p.subject == "unit":
            yield from self._check(
                unit_subject(view), f"单位「{view.unit.name}」", view.attestations, scope
            )
        else:
            for history in accounts:
                if history.account.is_open_on(scope.as_of):
                    yield from self._check(
                        account_subject(history),
                        f"账号{describe_account(history)}",
                        history.attestations,
                        scope,
                    )

    def _check(
        self, subject: Subject, who: str, attestations: list[AttestationRecord], scope: Scope
    ) -> Iterator[Violation | Unknown]:
        oldest = (
            self.params.valid_for.window_start(scope.as_of) if self.params.valid_for else date.min
        )
        have = {a.item for a in attestations if oldest <= a.on <= scope.as_of}
        missing = [i for i in self.params.items if i not in have]
        if missing:
            names = "、".join(self.params.labels.get(i) or label(ATTESTATION, i) for i in missing)
            fresh = f"（近{self.params.valid_for.describe()}内）" if self.params.valid_for else ""
            yield Violation(subject, f"{who}未见{names}的建立记录{fresh}", {"missing": missing})
