"""Lifecycle rules: filing deadlines, approval before opening, closure procedure, announcements."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

from pydantic import Field

from ..dataset import AccountHistory
from ..labels import ACTION, label
from ..periods import Span
from ..records import Filing, Subject
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

Action = Literal["open", "change", "close", "cancel"]
ALL_ACTIONS: list[Action] = ["open", "change", "close", "cancel"]


def _filing_subject(filing: Filing) -> Subject:
    return Subject(type="filing", id=filing.id)


def _in_scope(day: date | None, scope: Scope) -> bool:
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


class FilingDeadline(AccountRuleKind):
    """N个工作日内备案 / 报送: each opening, change, closure is filed, and forwarded, in time.

    ``file_within`` runs from the action (action_on; for an opening with no
    filing at all, the account's opened_on; for a closure, closed_on) to
    filed_on; ``forward_within`` from filed_on to forwarded_on. Day of the
    event not counted; working days follow the calendar (调休 included).
    A filing still missing when its deadline has passed is reported with
    that deadline as due date.
    """

    reports = ("filing", "account")
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
                and _in_scope(account.opened_on, scope)
            ):
                opening: date = account.opened_on  # type: ignore[assignment]  # in scope: set
                yield from self._missing(history, "open", opening, scope)
            if (
                {"close", "cancel"} & set(p.actions)
                and not {"close", "cancel"} & filed_actions
                and _in_scope(account.closed_on, scope)
            ):
                closing: date = account.closed_on  # type: ignore[assignment]  # in scope: set
                yield from self._missing(history, "close", closing, scope)
        if (
            p.unfiled_open_accounts
            and "open" not in filed_actions
            and account.is_open_on(scope.as_of)
            and not _in_scope(account.opened_on, scope)
        ):
            opened = f"（开设于{account.opened_on}）" if account.opened_on else ""
            yield Violation(
                account_subject(history),
                f"账号{describe_account(history)}{opened}截至{scope.as_of}没有开设备案记录，属瞒报漏报",
                {"opened_on": account.opened_on},
            )
        for filing in history.filings:
            if filing.action in p.actions and _in_scope(filing.action_on, scope):
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
    ) -> Iterator[Violation]:
        p = self.params
        if p.require_filing and not p.file_within and filing.filed_on is None:
            yield from self._missing(
                history, filing.action, filing.action_on, scope, _filing_subject(filing)
            )
        what = (
            f"账号{describe_account(history)}{filing.action_on}{label(ACTION, filing.action)}的备案"
        )
        if p.file_within:
            due = p.file_within.last_day(filing.action_on, scope.calendar)
            if filing.filed_on is None and scope.as_of > due:
                yield Violation(
                    _filing_subject(filing),
                    f"{what}逾期未办理（应于{due}前备案）",
                    {"action_on": filing.action_on, "deadline": due},
                    due=due,
                )
            elif filing.filed_on is not None and filing.filed_on > due:
                late = scope.calendar.working_days_between(due, filing.filed_on)
                yield Violation(
                    _filing_subject(filing),
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
                _filing_subject(filing),
                f"{what}未向{p.filed_with[0]}备案（备案机关：{filing.filed_with}）",
                {"filed_with": filing.filed_with, "expected": p.filed_with},
            )
        if p.forward_within and filing.filed_on is not None:
            due = p.forward_within.last_day(filing.filed_on, scope.calendar)
            if filing.forwarded_on is None and scope.as_of > due:
                yield Violation(
                    _filing_subject(filing),
                    f"{what}于{filing.filed_on}受理后逾期未报送（应于{due}前报送）",
                    {"filed_on": filing.filed_on, "deadline": due},
                    due=due,
                )
            elif filing.forwarded_on is not None and filing.forwarded_on > due:
                yield Violation(
                    _filing_subject(filing),
                    f"{what}于{filing.filed_on}受理，{filing.forwarded_on}才报送，超过"
                    f"{p.forward_within.describe()}时限（应于{due}前报送）",
                    {
                        "filed_on": filing.filed_on,
                        "forwarded_on": filing.forwarded_on,
                        "deadline": due,
                    },
                )


class ApprovalBeforeOpeningParams(Params):
    approver_contains: str | None = Field(
        default=None, description="Text the approving body's name must contain"
    )


class ApprovalBeforeOpening(AccountRuleKind):
    """先审批后开设: an account opened in the period has an approved opening filing dated no \
later than opening."""

    name = "approval_before_opening"
    reads = frozenset({"filing"})
    title = "开设前审批"
    Params = ApprovalBeforeOpeningParams
    example = """
params:
  approver_contains: 行政审批服务局
"""
    params: ApprovalBeforeOpeningParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        opened = history.account.opened_on
        if not _in_scope(opened, scope):
            return
        want = self.params.approver_contains
        openings = [f for f in history.filings if f.action == "open"]
        approvals = [f for f in openings if f.approved_on is not None]
        fitting = [f for f in approvals if want is None or want in (f.approver or "")]
        in_time = [f for f in fitting if f.approved_on <= opened]  # type: ignore[operator]
        if in_time:
            return
        blank = sorted(
            {
                path
                for f in openings
                for path, value in (
                    ("filing.approved_on", f.approved_on),
                    ("filing.approver", f.approver if want else ""),
                )
                if not scope.knows(path, value)
            }
        )
        if blank:
            yield unknown(account_subject(history), *blank)
            return
        if fitting:
            first = min(f.approved_on for f in fitting)  # type: ignore[type-var]
            reason = f"审批日期{first}晚于开设日期{opened}"
        else:
            reason = "未见开设审批记录" + (f"（审批机关应为{want}）" if want else "")
        yield Violation(
            account_subject(history),
            f"账号{describe_account(history)}于{opened}开设，{reason}",
            {"opened_on": opened, "approvals": [f.id for f in approvals]},
        )


class ClosureAnnouncement(Params):
    min_duration: Span = Field(description="Shortest time the notice stays up")
    before_closure: bool = Field(
        default=True, description="The notice period must end before the account closes"
    )


def _approvals(filing: Filing) -> list[tuple[set[str], date | None]]:
    """Each approval a filing carries: the names it gives (role, body) and its date."""
    given = [({filing.approver}, filing.approved_on)] if filing.approver else []
    return given + [
        ({x for x in (a.role, a.body) if x}, a.approved_on) for a in filing.approvals or []
    ]


class ClosureProcedureParams(Params):
    consent: list[str] | None = Field(
        default=None,
        description="Accepted approver values on the close/cancel filing "
        "(collective, principal_leader)",
    )
    approved_before_closing: bool = Field(
        default=False,
        description="The consent must be dated no later than the closing (不得提前关闭)",
    )
    announcement: ClosureAnnouncement | None = None


class ClosureProcedure(AccountRuleKind):
    """关停注销程序: consent recorded on the closure filing, and a public notice long enough.

    Applies to accounts closed within [since, as_of]. The notice runs from
    published_on to ends_on (or to the day before closure when no end is
    given); with ``before_closure`` only the part before closed_on counts.
    """

    name = "closure_procedure"
    reads = frozenset({"announcement", "filing"})
    title = "关停注销程序"
    Params = ClosureProcedureParams
    example = """
params:
  consent: [collective, principal_leader]
  announcement:
    min_duration: {working_days: 15}
"""
    params: ClosureProcedureParams

    def needs(self) -> frozenset[str]:
        p = self.params
        return frozenset(
            {
                *({"filing"} if p.consent is not None else ()),
                *({"announcement"} if p.announcement is not None else ()),
            }
        )

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        closed = history.account.closed_on
        if not _in_scope(closed, scope):
            return
        assert closed is not None
        who = f"账号{describe_account(history)}于{closed}关停注销"
        p = self.params
        if p.consent is not None:
            yield from self._check_consent(history, closed, who, scope)
        if p.announcement is not None:
            yield from self._check_notice(history, closed, who, p.announcement, scope)

    def _check_consent(
        self, history: AccountHistory, closed: date, who: str, scope: Scope
    ) -> Iterator[Violation | Unknown]:
        """A consent of an accepted kind on a close or cancel filing, before closing where required:
        an approval dated after the account went dark did not authorise closing it."""
        p = self.params
        filings = [f for f in history.filings if f.action in ("close", "cancel")]
        consents = [
            (names, on)
            for f in filings
            for names, on in _approvals(f)
            if names & set(p.consent or [])
        ]
        in_time = [
            on
            for _, on in consents
            if not p.approved_before_closing or (on is not None and on <= closed)
        ]
        if in_time:
            return
        blank = [f for f in filings if f.approver is None and not f.approvals]
        if blank and not scope.knows("filing.approver", None):
            yield unknown(account_subject(history), "filing.approver")
        elif (
            consents
            and any(on is None for _, on in consents)
            and not scope.knows("filing.approved_on", None)
        ):
            yield unknown(account_subject(history), "filing.approved_on")
        elif consents:
            late = min((on for _, on in consents if on is not None), default=None)
            when = f"审批日期{late}晚于关停日期" if late else "审批未写明日期，无法说明先于关停"
            yield Violation(
                account_subject(history),
                f"{who}，{when}，属提前关闭",
                {"closed_on": closed, "approved_on": late},
            )
        else:
            got = "、".join(
                sorted({n for f in filings for names, _ in _approvals(f) for n in names})
            ) or ("无关停备案" if not filings else "未填写")
            yield Violation(
                account_subject(history),
                f"{who}，未见集体研究或主要领导同意等规定的审批（现有：{got}）",
                {"closed_on": closed, "consent": p.consent, "found": got},
            )

    def _check_notice(
        self,
        history: AccountHistory,
        closed: date,
        who: str,
        rule: ClosureAnnouncement,
        scope: Scope,
    ) -> Iterator[Violation]:
        notices = [a for a in history.announcements if a.reason in ("closure", "cancel")]
        day_before = closed - timedelta(1)
        best: tuple[date, date] | None = None
        for notice in notices:
            end = notice.ends_on or day_before
            if rule.before_closure:
                end = min(end, day_before)
            if end >= rule.min_duration.end_from(notice.published_on, scope.calendar):
                return
            best = best or (notice.published_on, end)
        shown = f"公告期{best[0]}至{best[1]}" if best else "未见关停公告"
        yield Violation(
            account_subject(history),
            f"{who}，{shown}，不足{rule.min_duration.describe()}" if best else f"{who}，{shown}",
            {
                "closed_on": closed,
                "min_duration": rule.min_duration.describe(),
                "announcements": [a.id for a in notices],
            },
        )


class AnnouncementRequiredParams(Params):
    actions: list[Action] = Field(min_length=1, description="Filing actions that must be announced")
    reasons: list[Literal["open", "change", "closure", "cancel", "sponsor_change"]] = Field(
        min_length=1, description="Announcement reasons that satisfy the rule"
    )
    within: Span | None = Field(
        default=None, description="Announcement no later than this after the action"
    )
    sponsor_change_only: bool = Field(
        default=False, description="Only filings made because the sponsor unit changed"
    )


_REASONS_FOR = {
    "open": {"open"},
    "change": {"change", "sponsor_change"},
    "close": {"closure", "cancel"},
    "cancel": {"cancel", "closure"},
}


class AnnouncementRequired(AccountRuleKind):
    """向社会公告: each listed filing action has a public announcement of a fitting reason \
(in time).

    An opening is announced by an ``open`` announcement, a change by
    ``change`` or ``sponsor_change``, a closure or cancellation by ``closure``
    or ``cancel``; ``reasons`` narrows what counts.
    """

    reports = ("filing",)
    name = "announcement_required"
    reads = frozenset({"announcement", "filing"})
    title = "向社会公告"
    Params = AnnouncementRequiredParams
    example = """
params:
  actions: [open, change, close, cancel]
  reasons: [open, change, closure, cancel, sponsor_change]
"""
    params: AnnouncementRequiredParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        p = self.params
        for filing in history.filings:
            if filing.action not in p.actions or not _in_scope(filing.action_on, scope):
                continue
            if p.sponsor_change_only and not filing.sponsor_changed:
                continue
            due = p.within.last_day(filing.action_on, scope.calendar) if p.within else None
            matching = [
                a
                for a in history.announcements
                if a.reason in p.reasons and a.reason in _REASONS_FOR[filing.action]
            ]
            if any(due is None or a.published_on <= due for a in matching):
                continue
            if due is not None and scope.as_of <= due:
                continue
            limit = f"（应于{due}前公告）" if due else ""
            yield Violation(
                _filing_subject(filing),
                f"账号{describe_account(history)}{filing.action_on}"
                f"{label(ACTION, filing.action)}，未向社会公告{limit}",
                {"action_on": filing.action_on, "announcements": [a.id for a in matching]},
                due=due,
            )
