"""Structure rules: how many accounts a unit runs, who may sponsor one, and names."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from ..dataset.registry import AccountHistory, UnitView
from ..labels import LEVEL, PLATFORM, SUBTYPE, UNIT_KIND, label
from ..records import Account, Level, UnitKind
from .base import (
    AccountRuleKind,
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


def open_accounts(view: UnitView, scope: Scope) -> list[AccountHistory]:
    """The unit's selected accounts that are open on as_of."""
    return [h for h in scope.unit_accounts(view) if h.account.is_open_on(scope.as_of)]


def _names(accounts: list[AccountHistory]) -> str:
    return "、".join(describe_account(h) for h in accounts)


#: ``opened_since`` of a rule that governs openings (新开设): the document's date, or ``period``
OpenedSince = date | Literal["period"]
OPENED_SINCE = (
    "Only accounts opened on or after this day, the document's (不得新开设): a rule on opening "
    "does not judge an account opened before it; period: only accounts opened in the evaluated "
    "period, which starts no earlier than the rule is in force (a document without a date)"
)


def opened_before(account: Account, opened_since: OpenedSince | None, scope: Scope) -> bool | None:
    """Whether a rule on openings leaves ``account`` alone, as opened before the rule; None when
    that turns on a blank opening date."""
    since = scope.since if opened_since == "period" else opened_since
    if since is None:
        return False
    return None if account.opened_on is None else account.opened_on < since


class OneAccountPerPlatformParams(Params):
    max_accounts: int = Field(
        default=1, ge=1, description="Accounts allowed per unit on one platform"
    )
    by_subtype: bool = Field(
        default=False, description="Count WeChat subscription and service accounts apart"
    )


class OneAccountPerPlatform(UnitRuleKind):
    """一个单位在同一平台只开设一个账号: open accounts per unit and platform, as of the \
evaluation date.

    Mini programs (小程序) are applications on a platform, not accounts, and are not counted.
    """

    name = "one_account_per_platform"
    reads = frozenset()
    title = "同一平台只开设一个账号"
    Params = OneAccountPerPlatformParams
    example = """
params:
  max_accounts: 1
"""
    params: OneAccountPerPlatformParams

    def check_unit(self, view: UnitView, scope: Scope) -> Iterator[Violation | Unknown]:
        groups: dict[tuple[str, str | None], list[AccountHistory]] = defaultdict(list)
        for history in open_accounts(view, scope):
            if history.account.subtype == "miniprogram":  # an application, not an account
                continue
            sub: str | None = history.account.subtype if self.params.by_subtype else None
            groups[(history.account.platform, sub)].append(history)
        for (platform, sub), accounts in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
        ):
            if len(accounts) > self.params.max_accounts:
                where = label(PLATFORM, platform) + (label(SUBTYPE, sub) if sub else "")
                yield Violation(
                    unit_subject(view),
                    f"单位「{view.unit.name}」在{where}平台开设了{len(accounts)}个账号"
                    f"（上限{self.params.max_accounts}个）：{_names(accounts)}",
                    {
                        "platform": platform,
                        "subtype": sub,
                        "accounts": [h.account.id for h in accounts],
                    },
                )


class OneMediaKindPerUnitParams(Params):
    max_kinds: int = Field(
        default=1, ge=1, description="Distinct platforms a unit may run accounts on"
    )


class OneMediaKindPerUnit(UnitRuleKind):
    """一个单位只保留一种新媒体: distinct platforms among a unit's open accounts."""

    name = "one_media_kind_per_unit"
    reads = frozenset()
    title = "一个单位只建设一类新媒体"
    Params = OneMediaKindPerUnitParams
    example = """
params:
  max_kinds: 1
"""
    params: OneMediaKindPerUnitParams

    def check_unit(self, view: UnitView, scope: Scope) -> Iterator[Violation | Unknown]:
        accounts = open_accounts(view, scope)
        platforms = sorted({h.account.platform for h in accounts})
        if len(platforms) > self.params.max_kinds:
            yield Violation(
                unit_subject(view),
                f"单位「{view.unit.name}」保留了{len(platforms)}类新媒体（"
                f"{'、'.join(label(PLATFORM, p) for p in platforms)}），"
                f"上限{self.params.max_kinds}类：{_names(accounts)}",
                {"platforms": platforms, "accounts": [h.account.id for h in accounts]},
            )


class ForbiddenSponsorUnitsParams(Params):
    unit_kinds: list[UnitKind] = Field(
        default=[], description="Unit kinds that may not open accounts"
    )
    unit_levels: list[Level] = Field(
        default=[], description="Unit levels that may not open accounts"
    )
    opened_since: OpenedSince | None = Field(default=None, description=OPENED_SINCE)


class ForbiddenSponsorUnits(AccountRuleKind):
    """不得以内设机构名义新开设: accounts sponsored by a forbidden kind or level of unit."""

    name = "forbidden_sponsor_units"
    reads = frozenset()
    title = "禁止开设账号的单位"
    Params = ForbiddenSponsorUnitsParams
    example = """
params:
  unit_kinds: [internal_body]
  opened_since: 2019-07-16
"""
    params: ForbiddenSponsorUnitsParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        p = self.params
        unit, account = history.unit, history.account
        if not account.is_open_on(scope.as_of):
            return
        before = opened_before(account, p.opened_since, scope)
        if before is None and (unit.kind in p.unit_kinds or unit.level in p.unit_levels):
            yield unknown(account_subject(history), "account.opened_on")
            return
        if before is not False:
            return
        if unit.kind in p.unit_kinds:
            why = label(UNIT_KIND, unit.kind)
        elif unit.level in p.unit_levels:
            why = label(LEVEL, unit.level) + "单位"
        else:
            return
        opened = f"于{account.opened_on}" if account.opened_on else ""
        yield Violation(
            account_subject(history),
            f"账号{describe_account(history)}{opened}以{why}「{unit.name}」名义开设，不符合规定",
            {
                "unit": unit.id,
                "unit_kind": unit.kind,
                "unit_level": unit.level,
                "opened_on": account.opened_on,
            },
        )


class RequiredUnitAccountParams(Params):
    exempt_classified: bool = Field(
        default=True, description="Classified units (涉密) need no account"
    )
    exempt_non_public: bool = Field(
        default=True, description="Units with no public management function need none"
    )


class RequiredUnitAccount(UnitRuleKind):
    """应当开设政务新媒体: each selected unit has at least one open account (on the selected \
platforms)."""

    name = "required_unit_account"
    reads = frozenset()
    title = "应开设政务新媒体"
    Params = RequiredUnitAccountParams
    example = """
applies_to:
  unit_kinds: [government]
  unit_levels: [county]
params: {}
"""
    params: RequiredUnitAccountParams

    def check_unit(self, view: UnitView, scope: Scope) -> Iterator[Violation | Unknown]:
        unit = view.unit
        if (self.params.exempt_classified and unit.classified) or (
            self.params.exempt_non_public and not unit.public_facing
        ):
            return
        if not open_accounts(view, scope):
            yield Violation(
                unit_subject(view),
                f"单位「{unit.name}」（{label(LEVEL, unit.level)}{label(UNIT_KIND, unit.kind)}）"
                f"截至{scope.as_of}未开设规定的政务新媒体",
                {"unit": unit.id},
            )


def _normalise(name: str) -> str:
    return re.sub(r"\s+", "", name)


class NameConsistency(UnitRuleKind):
    """名称一致: a unit's open accounts carry one name across platforms (whitespace ignored)."""

    name = "name_consistency"
    reads = frozenset()
    title = "各平台名称一致"
    example = """
params: {}
"""

    def check_unit(self, view: UnitView, scope: Scope) -> Iterator[Violation | Unknown]:
        accounts = open_accounts(view, scope)
        names = sorted({_normalise(h.account.name) for h in accounts})
        if len(names) > 1:
            yield Violation(
                unit_subject(view),
                f"单位「{view.unit.name}」各平台账号名称不一致：{_names(accounts)}",
                {"names": names, "accounts": [h.account.id for h in accounts]},
            )


class NameApprovalParams(Params):
    patterns: list[str] = Field(
        min_length=1, description="Regular expressions for place or agency names"
    )
    opened_since: OpenedSince | None = Field(default=None, description=OPENED_SINCE)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"正则表达式 {pattern!r} 无效：{exc}") from None
        return patterns


class NameApproval(AccountRuleKind):
    """名称含行政区划或机关名称须经同意: such names carry an approval dated no later than opening.

    With ``opened_since`` (the document's date, or ``period`` for a document
    without one), an account opened before it is not judged: an account opened
    in 2016 whose name was approved in 2020 was not "approved after opening"
    under a 2020 rule that governs openings.
    """

    name = "name_approval"
    reads = frozenset()
    title = "名称核准"
    Params = NameApprovalParams
    example = """
params:
  patterns: ["安康", "(市|县|区)人民政府"]
"""
    params: NameApprovalParams

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        account = history.account
        if not account.is_open_on(scope.as_of):
            return
        hit = next(
            (m.group(0) for p in self.params.patterns if (m := re.search(p, account.name))), None
        )
        if hit is None:
            return
        before = opened_before(account, self.params.opened_since, scope)
        if before is None:
            yield unknown(account_subject(history), "account.opened_on")
            return
        if before:
            return
        approved = account.name_approved_on
        if not scope.knows("account.name_approved_on", approved):
            yield unknown(account_subject(history), "account.name_approved_on")
            return
        if approved is None:
            reason = "未见同级人民政府同意的记录"
        elif account.opened_on and approved > account.opened_on:
            reason = f"名称核准日期{approved}晚于开设日期{account.opened_on}"
        else:
            return
        yield Violation(
            account_subject(history),
            f"账号{describe_account(history)}名称含“{hit}”，{reason}",
            {"matched": hit, "name_approved_on": approved, "opened_on": account.opened_on},
        )
