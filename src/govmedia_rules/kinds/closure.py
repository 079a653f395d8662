"""Closing an account and telling the public: consent, notice period, announcements of filings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

from pydantic import Field

from ..dataset.registry import AccountHistory
from ..labels import ACTION, label
from ..periods import Span
from ..records import Filing
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
from .lifecycle import Action, filing_subject, in_scope


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
        if not in_scope(closed, scope):
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
            if filing.action not in p.actions or not in_scope(filing.action_on, scope):
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
                filing_subject(filing),
                f"账号{describe_account(history)}{filing.action_on}"
                f"{label(ACTION, filing.action)}，未向社会公告{limit}",
                {"action_on": filing.action_on, "announcements": [a.id for a in matching]},
                due=due,
            )
