"""Built-in rule kinds, one module per family."""

from __future__ import annotations

from .activity import ColumnFreshness, DormantAccount, MessageReply, UpdateFrequency
from .base import AccountRuleKind, Params, RuleKind, Scope, UnitRuleKind, Violation
from .closure import AnnouncementRequired, ClosureProcedure
from .condition import AppIpv6, Condition, NewsLicense, RequiredFields
from .content import ApprovalChain, ForbiddenPostFlags, RepostSource
from .lifecycle import ApprovalBeforeOpening, FilingDeadline
from .obligations import Attestation, PeriodicReport
from .security import Incidents, LoginSecurity, RepeatedProblems, SpotCheckVeto
from .structure import (
    ForbiddenSponsorUnits,
    NameApproval,
    NameConsistency,
    OneAccountPerPlatform,
    OneMediaKindPerUnit,
    RequiredUnitAccount,
)

BUILTIN_KINDS: tuple[type[RuleKind], ...] = (
    UpdateFrequency,
    ColumnFreshness,
    DormantAccount,
    MessageReply,
    FilingDeadline,
    ApprovalBeforeOpening,
    ClosureProcedure,
    AnnouncementRequired,
    OneAccountPerPlatform,
    OneMediaKindPerUnit,
    ForbiddenSponsorUnits,
    RequiredUnitAccount,
    NameConsistency,
    NameApproval,
    ApprovalChain,
    ForbiddenPostFlags,
    RepostSource,
    LoginSecurity,
    Incidents,
    SpotCheckVeto,
    RepeatedProblems,
    PeriodicReport,
    Attestation,
    Condition,
    RequiredFields,
    AppIpv6,
    NewsLicense,
)

__all__ = [
    "AccountRuleKind",
    "BUILTIN_KINDS",
    "Params",
    "RuleKind",
    "Scope",
    "UnitRuleKind",
    "Violation",
]
