"""Built-in rule kinds, one module per family."""

from __future__ import annotations

from .base import AccountRuleKind, Params, RuleKind, Scope, UnitRuleKind, Violation
from .closure import AnnouncementRequired, ClosureProcedure
from .condition import AppIpv6, Condition, NewsLicense, RequiredFields
from .content import ApprovalChain, ForbiddenPostFlags, RepostSource
from .dormancy import DormantAccount
from .lifecycle import ApprovalBeforeOpening, FilingDeadline
from .obligations import Attestation, PeriodicReport
from .posting import ColumnFreshness, UpdateFrequency
from .replies import MessageReply
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
