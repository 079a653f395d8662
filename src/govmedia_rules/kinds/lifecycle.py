"""Lifecycle rules: filing deadlines and approval before opening (closure and announcements: \
:mod:`.closure`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from ..dataset.registry import AccountHistory
from ..labels import ACTION, label
from ..periods import Span
from ..records import Filing, Subject, Unit
from .base import (
    AccountRuleKind,
    Params,
    Scope,
    Unknown,
    Violation,
    account_subject,
    describe_account,
    unknown,
)
from .bodies import BodyRef, find_body

Action = Literal["open", "change", "close", "cancel"]
ALL_ACTIONS: list[Action] = ["open", "change", "close", "cancel"]


def filing_subject(filing: Filing) -> Subject:
    return Subject(type="filing", id=filing.id)


def in_scope(day: date | None, scope: Scope) -> bool:
    return day is not None and scope.since <= day <= scope.as_of


def _same_body(name: str, names: list[str]) -> bool:
    """Whether ``name`` is one of ``names``, whitespace aside: a body is named, not searched for."""
    return "".join(name.split()) in {"".join(n.split()) for n in names}


class FilingDeadlineParams(Params):
    actions: list[Action] = Field(
        default=ALL_ACTIONS, min_length=1, description="Filing actions checked"
    )
    file_within: Span | None = Field(
        default=None, description="From the action to the filing (filed_on)"
    )
    forward_within: Span | None = Field(
        default=None, description="From the filing to forwarding it upward"
    )
    filed_with: list[str] | None = Field(
        default=None,
        min_length=1,
        description="Full names the body filed with may carry (spaces ignored): identity, "
        "not a substring, so 津市市行政审批服务局 is not 市行政审批服务局",
    )
    require_filing: bool = Field(
        default=False,
        description="Without a deadline: an opening or closure in the period must have a filing "
        "by as_of",
    )
    unfiled_open_accounts: bool = Field(
        default=False,
        description="Also report every open account with no opening filing at all, whenever it "
        "opened (瞒报漏报)",
    )
    owed_by: BodyRef | None = Field(
        default=None,
        description="The body whose duty the rule checks, when not the sponsor's (各级政府办公室"
        "…报送): its findings are about that body's unit",
    )

    @model_validator(mode="before")
    @classmethod
    def _deadline_needs_filing(cls, data: Any) -> Any:
        """A deadline for filing requires a filing: ``file_within`` implies ``require_filing``."""
        if isinstance(data, dict) and data.get("file_within") is not None:
            return {**data, "require_filing": True}
        return data

    @model_validator(mode="after")
    def _filing_is_the_sponsors(self) -> FilingDeadlineParams:
        if self.owed_by is not None and (self.require_filing or self.unfiled_open_accounts):
            raise ValueError(
                "备案本身是主办单位的义务：owed_by 只能用于受理备案之后的环节（报送、备案机关）"
            )
        return self


class FilingDeadline(AccountRuleKind):
    """N个工作日内备案 / 报送: each opening, change, closure is filed, and forwarded, in time.

    ``file_within`` runs from the action (action_on; for an opening with no
    filing at all, the account's opened_on; for a closure, closed_on) to
    filed_on; ``forward_within`` from filed_on to forwarded_on. Day of the
    event not counted; working days follow the calendar (调休 included).
    A filing still missing when its deadline has passed is reported with
    that deadline as due date. With ``owed_by`` the step checked is another
    body's (the government office forwarding what it received), so each
    finding is about that body's unit, and a filing whose body the input does
    not identify is not evaluable rather than put on the sponsor.
    """

    reports = ("filing", "account", "unit")
    name = "filing_deadline"
    reads = frozenset({"filing"})
    title = "备案时限"
    Params = FilingDeadlineParams
    example = """
params:
  actions: [open, change, cancel]
  file_within: {working_days: 2}
  forward_within: {working_days: 1}
"""
    params: FilingDeadlineParams

    def needs(self) -> frozenset[str]:
        p = self.params
        dates = {"filing.filed_on"} if p.file_within or p.require_filing else set()
        return frozenset({"filing", *dates, *({"filing.forwarded_on"} if p.forward_within else ())})

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        p = self.params
        account = history.account
        filed_actions = {f.action for f in history.filings}
        if p.file_within or p.require_filing:
            if (
                "open" in p.actions
                and "open" not in filed_actions
                and in_scope(account.opened_on, scope)
            ):
                opening: date = account.opened_on  # type: ignore[assignment]  # in scope: set
                yield from self._missing(history, "open", opening, scope)
            if (
                {"close", "cancel"} & set(p.actions)
                and not {"close", "cancel"} & filed_actions
                and in_scope(account.closed_on, scope)
            ):
                closing: date = account.closed_on  # type: ignore[assignment]  # in scope: set
                yield from self._missing(history, "close", closing, scope)
        if (
            p.unfiled_open_accounts
            and "open" not in filed_actions
            and account.is_open_on(scope.as_of)
            and not in_scope(account.opened_on, scope)
        ):
            opened = f"（开设于{account.opened_on}）" if account.opened_on else ""
            yield Violation(
                account_subject(history),
                f"账号{describe_account(history)}{opened}截至{scope.as_of}没有开设备案记录，属瞒报漏报",
                {"opened_on": account.opened_on},
            )
        for filing in history.filings:
            if filing.action in p.actions and in_scope(filing.action_on, scope):
                yield from self._check_filing(history, filing, scope)

    def _missing(
        self,
        history: AccountHistory,
        action: str,
        on: date,
        scope: Scope,
        subject: Subject | None = None,
    ) -> Iterator[Violation]:
        span = self.params.file_within
        due = span.last_day(on, scope.calendar) if span else None
        if due is not None and scope.as_of <= due:
            return
        where = f"向{self.params.filed_with[0]}" if self.params.filed_with else ""
        limit = f"（应在{span.describe()}内、即{due}前备案）" if span else f"（截至{scope.as_of}）"
        yield Violation(
            subject or account_subject(history),
            f"账号{describe_account(history)}于{on}{label(ACTION, action)}，"
            f"未见{where}备案记录{limit}",
            {"action": action, "action_on": on, "deadline": due},
            due=due,
        )

    def _check_filing(
        self, history: AccountHistory, filing: Filing, scope: Scope
    ) -> Iterator[Violation | Unknown]:
        found = list(self._filing_problems(history, filing, scope))
        owed_by = self.params.owed_by
        if not found or owed_by is None:
            yield from found
            return
        holder = find_body(scope.dataset, history.unit, owed_by)
        if not isinstance(holder, Unit):
            yield unknown(filing_subject(filing), holder)
            return
        for v in found:
            yield replace(
                v,
                subject=Subject(type="unit", id=holder.id),
                message=f"{holder.name}（{owed_by.describe()}）：{v.message}",
                evidence={**v.evidence, "filing": filing.id, "account": history.account.id},
            )

    def _filing_problems(
        self, history: AccountHistory, filing: Filing, scope: Scope
    ) -> Iterator[Violation]:
        p = self.params
        if p.require_filing and not p.file_within and filing.filed_on is None:
            yield from self._missing(
                history, filing.action, filing.action_on, scope, filing_subject(filing)
            )
        what = (
            f"账号{describe_account(history)}{filing.action_on}{label(ACTION, filing.action)}的备案"
        )
        if p.file_within:
            due = p.file_within.last_day(filing.action_on, scope.calendar)
            if filing.filed_on is None and scope.as_of > due:
                yield Violation(
                    filing_subject(filing),
                    f"{what}逾期未办理（应于{due}前备案）",
                    {"action_on": filing.action_on, "deadline": due},
                    due=due,
                )
            elif filing.filed_on is not None and filing.filed_on > due:
                late = scope.calendar.working_days_between(due, filing.filed_on)
                yield Violation(
                    filing_subject(filing),
                    f"{what}于{filing.filed_on}办理，超过{p.file_within.describe()}时限"
                    f"（应于{due}前，逾期{late}个工作日）",
                    {"action_on": filing.action_on, "filed_on": filing.filed_on, "deadline": due},
                )
        if (
            p.filed_with
            and filing.filed_on
            and filing.filed_with
            and not _same_body(filing.filed_with, p.filed_with)
        ):
            yield Violation(
                filing_subject(filing),
                f"{what}未向{p.filed_with[0]}备案（备案机关：{filing.filed_with}）",
                {"filed_with": filing.filed_with, "expected": p.filed_with},
            )
        if p.forward_within and filing.filed_on is not None:
            due = p.forward_within.last_day(filing.filed_on, scope.calendar)
            if filing.forwarded_on is None and scope.as_of > due:
                yield Violation(
                    filing_subject(filing),
                    f"{what}于{filing.filed_on}受理后逾期未报送（应于{due}前报送）",
                    {"filed_on": filing.filed_on, "deadline": due},
                    due=due,
                )
            elif filing.forwarded_on is not None and filing.forwarded_on > due:
                yield Violation(
                    filing_subject(filing),
                    f"{what}于{filing.filed_on}受理，{filing.forwarded_on}才报送，超过"
                    f"{p.forward_within.describe()}时限（应于{due}前报送）",
                    {
                        "filed_on": filing.filed_on,
                        "forwarded_on": filing.forwarded_on,
                        "deadline": due,
                    },
                )


class ApprovalBeforeOpeningParams(Params):
    approver: BodyRef | None = Field(
        default=None,
        description="The body that must approve (本级行政审批服务局), found among the units: the "
        "filing's approver is its name",
    )


class ApprovalBeforeOpening(AccountRuleKind):
    """先审批后开设: an account opened in the period has an approved opening filing dated no \
later than opening.

    With ``approver`` the approval must be that body's: the unit that is that
    body for the sponsor (:mod:`.bodies`), named on the filing by its full name.
    """

    name = "approval_before_opening"
    reads = frozenset({"filing"})
    title = "开设前审批"
    Params = ApprovalBeforeOpeningParams
    example = """
params:
  approver: {body: approval_bureau}
"""
    params: ApprovalBeforeOpeningParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        opened = history.account.opened_on
        if not in_scope(opened, scope):
            return
        want = self.params.approver
        body = find_body(scope.dataset, history.unit, want) if want else None
        openings = [f for f in history.filings if f.action == "open"]
        approvals = [f for f in openings if f.approved_on is not None]
        names = [body.name] if isinstance(body, Unit) else []
        fitting = [f for f in approvals if want is None or _same_body(f.approver or "", names)]
        in_time = [f for f in fitting if f.approved_on <= opened]  # type: ignore[operator]
        if in_time:
            return
        blank = {
            path
            for f in openings
            for path, value in (
                ("filing.approved_on", f.approved_on),
                ("filing.approver", f.approver if want else ""),
            )
            if not scope.knows(path, value)
        }
        if isinstance(body, str) and approvals:  # approved, by whom the data cannot tell
            blank.add(body)
        if blank:
            yield unknown(account_subject(history), *blank)
            return
        if fitting:
            first = min(f.approved_on for f in fitting)  # type: ignore[type-var]
            reason = f"审批日期{first}晚于开设日期{opened}"
        elif names and approvals:
            by = "、".join(sorted({f.approver or "" for f in approvals}))
            reason = f"审批机关为{by}，应为{names[0]}"
        else:
            reason = "未见开设审批记录" + (f"（审批机关应为{names[0]}）" if names else "")
        yield Violation(
            account_subject(history),
            f"账号{describe_account(history)}于{opened}开设，{reason}",
            {"opened_on": opened, "approvals": [f.id for f in approvals]},
        )
