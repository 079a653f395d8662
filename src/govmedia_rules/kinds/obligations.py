"""Obligations of units: reports due after each period or by a date, and attested systems."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

from pydantic import Field, model_validator

from ..dataset import UnitView
from ..labels import ATTESTATION, REPORT_KIND, label
from ..periods import PeriodUnit, Span, add_months, period_label, periods
from ..records import Report
from ..records import Attestation as AttestationRecord, ReportKind, Subject
from .base import (
    Params, Scope, UnitRuleKind, Unknown, Violation, account_subject, describe_account, unit_subject, unknown,
)


class Due(Params):
    """When a report is due: one of the three forms."""

    after_end: Span | None = Field(default=None, description="This long after the period ends (5个工作日内)")
    month_of_period: int | None = Field(default=None, ge=1, le=12, description="Month of the period, 1 = first")
    day: int | None = Field(default=None, ge=1, le=31, description="With month_of_period: day of that month")
    on: date | None = Field(default=None, description="A fixed date, for a one-off report")

    @model_validator(mode="after")
    def _one_form(self) -> Due:
        forms = [self.after_end is not None, self.month_of_period is not None, self.on is not None]
        if sum(forms) != 1 or ((self.month_of_period is None) != (self.day is None)):
            raise ValueError("due 须为 after_end、month_of_period+day、on 三种形式之一")
        return self


class PeriodicReportParams(Params):
    report_kind: ReportKind
    period: PeriodUnit | None = Field(default=None, description="Natural period reported on; omit for a one-off report")
    due: Due
    signed_by_principal: bool = Field(default=False, description="Signed by the unit's principal leader")
    stamped: bool = Field(default=False, description="Carries the unit's stamp (加盖公章)")
    only_units_with_accounts: bool = Field(default=True, description="Only units that run at least one account")

    @model_validator(mode="after")
    def _due_fits_period(self) -> PeriodicReportParams:
        if (self.period is None) != (self.due.on is not None):
            raise ValueError("一次性报告（不填 period）须用 due.on；周期报告不能用 due.on")
        return self


class PeriodicReport(UnitRuleKind):
    """按期报送: a report of the given kind for every period (or once), in time and in form.

    An obligation is judged when its due date falls within [since, as_of]. A
    periodic report matches its period by label (2019Q3, 2019-08, 2019H2,
    2019, 2019W32). Missing reports are reported only once the due date has
    passed, with that date as due.
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

    def obligations(self, scope: Scope) -> Iterator[tuple[str | None, date]]:
        """(period label, due date) of every obligation due within the scope."""
        p = self.params
        if p.period is None:
            assert p.due.on is not None
            if scope.since <= p.due.on <= scope.as_of:
                yield None, p.due.on
            return
        lookback = add_months(scope.since, -13)
        for start, end in periods(lookback, scope.as_of, p.period):
            due = self._due(start, end, scope)
            if scope.since <= due <= scope.as_of:
                yield period_label(start, p.period), due

    def _due(self, start: date, end: date, scope: Scope) -> date:
        due = self.params.due
        if due.after_end is not None:
            return due.after_end.last_day(end, scope.calendar)
        first_of_month = add_months(start, (due.month_of_period or 1) - 1)
        last_day = add_months(first_of_month, 1) - timedelta(1)
        return min(first_of_month.replace(day=1) + timedelta((due.day or 1) - 1), last_day)

    def check_unit(self, view: UnitView, scope: Scope) -> Iterator[Violation | Unknown]:
        p = self.params
        if p.only_units_with_accounts and not scope.unit_accounts(view):
            return
        mine = [r for r in view.reports if r.kind == p.report_kind]
        what = label(REPORT_KIND, p.report_kind)
        for period, due in self.obligations(scope):
            name = f"{period}{what}" if period else what
            found = [r for r in mine if period is None or r.period == period]
            if not found:
                if scope.as_of > due:
                    yield Violation(unit_subject(view), f"单位「{view.unit.name}」未报送{name}（应于{due}前报送）",
                                    {"period": period, "deadline": due}, due=due)
                continue
            report = min(found, key=lambda r: r.submitted_on)
            yield from self._check_report(view, report, name, due, scope)

    def _check_report(self, view: UnitView, report: Report, name: str, due: date, scope: Scope
                      ) -> Iterator[Violation | Unknown]:
        problems, blank = [], []
        if report.submitted_on > due:
            problems.append(f"于{report.submitted_on}报送，晚于{due}")
        for wanted, path, value, problem in (
            (self.params.signed_by_principal, "report.signed_by_principal", report.signed_by_principal,
             "未经主要领导签字"),
            (self.params.stamped, "report.stamped", report.stamped, "未加盖单位公章"),
        ):
            if wanted and not scope.knows(path, value):
                blank.append(path)
            elif wanted and not value:
                problems.append(problem)
        if problems:
            yield Violation(unit_subject(view), f"单位「{view.unit.name}」的{name}（{report.id}）{'，'.join(problems)}",
                            {"report": report.id, "deadline": due, "problems": problems})
        elif blank:
            yield unknown(unit_subject(view), *blank)


class AttestationParams(Params):
    items: list[str] = Field(min_length=1, description="Attestation items required (security_management, ...)")
    subject: Literal["unit", "account"] = "unit"
    valid_for: Span | None = Field(default=None, description="An attestation older than this before as_of is stale")
    only_units_with_accounts: bool = True




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
            yield from self._check(unit_subject(view), f"单位「{view.unit.name}」", view.attestations, scope)
        else:
            for history in accounts:
                if history.account.is_open_on(scope.as_of):
                    yield from self._check(account_subject(history), f"账号{describe_account(history)}",
                                           history.attestations, scope)

    def _check(self, subject: Subject, who: str, attestations: list[AttestationRecord], scope: Scope) -> Iterator[Violation | Unknown]:
        oldest = self.params.valid_for.window_start(scope.as_of) if self.params.valid_for else date.min
        have = {a.item for a in attestations if oldest <= a.on <= scope.as_of}
        missing = [i for i in self.params.items if i not in have]
        if missing:
            names = "、".join(label(ATTESTATION, i) for i in missing)
            fresh = f"（近{self.params.valid_for.describe()}内）" if self.params.valid_for else ""
            yield Violation(subject, f"{who}未见{names}的建立记录{fresh}", {"missing": missing})
