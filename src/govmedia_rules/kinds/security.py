"""Security and integrity rules: login practice, prohibited incidents, inspection vetoes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from ..dataset.registry import AccountHistory
from ..labels import CHECK_LEVEL, DEVICE, INCIDENT, label
from ..periods import Span
from ..records import Subject
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


class LoginSecurityParams(Params):
    devices: list[Literal["dedicated", "personal", "public"]] = Field(
        default=["dedicated"], min_length=1, description="Devices an account may be logged in from"
    )
    forbid_auto_login: bool = True
    require_logout: bool = Field(
        default=True, description="Every login ends with an explicit logout"
    )


class LoginSecurity(AccountRuleKind):
    """登录安全: logins only from allowed devices, no auto-login, logged out after use."""

    reports = ("login",)
    name = "login_security"
    reads = frozenset({"login"})
    title = "登录安全"
    Params = LoginSecurityParams
    example = """
params:
  devices: [dedicated]
  forbid_auto_login: true
  require_logout: true
"""
    params: LoginSecurityParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        p = self.params
        # a missing logout is a fact only where the input records logouts at all
        logouts = scope.evidence.has("login.logged_out_at")
        for login in history.logins:
            if not scope.since <= login.at.date() <= scope.as_of:
                continue
            problems = []
            if login.device not in p.devices:
                problems.append(f"使用{DEVICE[login.device]}登录")
            if p.forbid_auto_login and login.auto_login:
                problems.append("开启了自动登录")
            if p.require_logout and login.logged_out_at is None and logouts:
                problems.append("使用后未退出登录")
            if problems:
                yield Violation(
                    Subject(type="login", id=login.id),
                    f"账号{describe_account(history)}{login.at:%Y-%m-%d %H:%M}"
                    f"的登录{'，'.join(problems)}",
                    {"account": history.account.id, "device": login.device, "problems": problems},
                )
            elif p.require_logout and not logouts:
                yield unknown(Subject(type="login", id=login.id), "login.logged_out_at")


class IncidentsParams(Params):
    kinds: list[
        Literal[
            "fake_followers",
            "forced_engagement",
            "commercial_activity",
            "account_compromised",
            "impersonation",
        ]
    ] = Field(min_length=1)


class Incidents(AccountRuleKind):
    """严禁的行为: each recorded incident of a prohibited kind is a finding."""

    name = "incidents"
    reads = frozenset({"incident"})
    title = "禁止行为"
    Params = IncidentsParams
    example = """
params:
  kinds: [fake_followers, forced_engagement]
"""
    params: IncidentsParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation]:
        for incident in history.incidents:
            if incident.kind in self.params.kinds and scope.since <= incident.on <= scope.as_of:
                yield Violation(
                    account_subject(history),
                    f"账号{describe_account(history)}于{incident.on}"
                    f"发生{label(INCIDENT, incident.kind)}（{incident.id}）",
                    {"incident": incident.id, "kind": incident.kind, "on": incident.on},
                )


class SpotCheckVetoParams(Params):
    levels: list[Literal["national", "provincial", "city", "county"]] = Field(min_length=1)
    results: list[Literal["deducted", "vetoed"]] = Field(default=["vetoed"], min_length=1)
    notified_only: bool = Field(
        default=True, description="Only checks whose result was publicly notified (通报)"
    )


class SpotCheckVeto(AccountRuleKind):
    """抽查通报: an account with a failing, notified spot check at the listed levels."""

    name = "spot_check_veto"
    reads = frozenset({"spot_check"})
    title = "抽查被通报"
    Params = SpotCheckVetoParams
    example = """
params:
  levels: [national, provincial]
  results: [deducted, vetoed]
"""
    params: SpotCheckVetoParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation]:
        p = self.params
        for check in history.spot_checks:
            if (
                check.level in p.levels
                and check.result in p.results
                and (check.notified or not p.notified_only)
                and scope.since <= check.on <= scope.as_of
            ):
                outcome = "被单项否决" if check.result == "vetoed" else "被扣分"
                yield Violation(
                    account_subject(history),
                    f"账号{describe_account(history)}在{check.on}{CHECK_LEVEL[check.level]}"
                    f"抽查中{outcome}{'并被通报' if check.notified else ''}（{check.id}）",
                    {
                        "spot_check": check.id,
                        "level": check.level,
                        "result": check.result,
                        "on": check.on,
                    },
                )


class RepeatedProblemsParams(Params):
    min_problems: int = Field(
        default=2, ge=2, description="Failing spot checks that make an account a repeat offender"
    )
    within: Span = Field(description="Look-back span ending on as_of")
    levels: list[Literal["national", "provincial", "city", "county"]] = Field(
        default=["national", "provincial", "city", "county"], min_length=1
    )


class RepeatedProblems(AccountRuleKind):
    """多次出现问题且长时间整改不到位: an account failing spot checks repeatedly within the \
look-back span.

    Counts spot checks with a deducted or vetoed result in the span ending on
    as_of (and within the evaluation window); ``min_problems`` or more is a
    finding for the quarterly bulletin (季度通报).
    """

    name = "repeated_problems"
    reads = frozenset({"spot_check"})
    title = "多次出现问题"
    Params = RepeatedProblemsParams
    example = """
params:
  min_problems: 2
  within: {months: 3}
"""
    params: RepeatedProblemsParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation]:
        p = self.params
        first = max(scope.since, p.within.window_start(scope.as_of))
        failed = [
            c
            for c in history.spot_checks
            if c.result != "pass" and c.level in p.levels and first <= c.on <= scope.as_of
        ]
        if len(failed) >= p.min_problems:
            days = "、".join(str(c.on) for c in failed)
            yield Violation(
                account_subject(history),
                f"账号{describe_account(history)}在{first}至{scope.as_of}的抽查中{len(failed)}次出现问题"
                f"（{days}），属多次出现问题、整改不到位",
                {"spot_checks": [c.id for c in failed], "from": first},
            )
