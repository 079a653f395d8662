"""The bulletin (通报) as data: what :func:`.bulletin.build_bulletin` returns.

Every format renders this model and ``--format json`` writes it as it is,
so it is the bulletin's contract, kept apart from how it is computed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..findings.rectification import Tracked
from ..findings.report import Finding, NotEvaluated


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    label: str
    count: int
    previous: int


class Veto(BaseModel):
    """A unit or an account vetoed (单项否决) in the period, with the rules that vetoed it."""

    model_config = ConfigDict(extra="forbid")

    type: str
    id: str
    name: str
    rules: list[str]
    titles: list[str]
    findings: int
    unit: str = Field(default="", description="The name of the account's unit (empty for a unit)")


class EarlyWarning(BaseModel):
    """预警: an account no veto covers at the period's end that one would within ``days`` days."""

    model_config = ConfigDict(extra="forbid")

    account: str
    name: str
    unit: str
    rule: str
    title: str
    message: str


class AccountScore(BaseModel):
    """One account's result under a scheme that gives points, named for the office."""

    model_config = ConfigDict(extra="forbid")

    account: str
    name: str
    unit: str
    score: float | None = Field(description="None: a veto the scheme does not score")
    deducted: float | None = None
    bonus: float | None = None
    verdict: str | None = None


class UnitRank(BaseModel):
    """One unit in the ranking: its accounts, vetoes, problems and, with points, its accounts' mean
    score.
    """

    model_config = ConfigDict(extra="forbid")

    rank: int
    id: str
    name: str
    region: str
    accounts: int
    failed: int
    vetoed: int
    problems: int
    score: float | None = Field(
        default=None, description="Mean score of the unit's scored accounts"
    )


class Region(BaseModel):
    """A 县区 (or the city's own units) summed from its units: the roll-up from 县区 to 部门."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    units: int
    accounts: int
    failed: int
    vetoed: int
    problems: int


class Bulletin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str
    since: date
    as_of: date
    issued_on: date = Field(
        description="The day the bulletin is issued: rectification states are judged on it"
    )
    packs: list[str]
    pack_titles: list[str] = []
    accounts_checked: int
    accounts_passed: int
    pass_rate: float
    vetoed: list[Veto]
    veto_rules: list[str] = Field(description="pack:rule of every rule that vetoes")
    by_unit: list[Row]
    by_rule: list[Row]
    due: list[Tracked] = Field(
        description="Every open finding: its rectification state and 整改期限"
    )
    rectification_period: str | None = Field(
        default=None, description="整改期限 from the issue date, if set"
    )
    overdue: list[Tracked] = Field(
        default=[], description="Rectifications past their deadline, not closed"
    )
    repeated: list[dict[str, Any]]
    recurred: list[Tracked] = Field(
        default=[], description="Problems back after a closed rectification"
    )
    early_warnings: list[EarlyWarning] = Field(
        default=[], description="Accounts within warn_days of a veto"
    )
    warn_days: int = 0
    ranking: list[UnitRank] = []
    regions: list[Region] = []
    scores: list[AccountScore] = Field(
        default=[], description="Account results where the first pack gives points"
    )
    trend: list[dict[str, Any]]
    findings: list[Finding]
    read: int = 0
    accepted: int = 0
    rejected: int
    not_evaluated: list[NotEvaluated] = Field(
        default=[], description="What the period's data could not judge"
    )
    input_problem: str | None = Field(
        default=None, description="Why the input judges nobody, if it does not"
    )
    warnings: list[str]

    def not_evaluated_counts(self) -> tuple[int, int]:
        """Rules that could not judge some subject, and the subjects counted (a subject may
        count under several rules)."""
        return len({(n.pack, n.rule) for n in self.not_evaluated}), sum(
            n.subjects for n in self.not_evaluated
        )

    def vetoed_count(self, type_: str) -> int:
        return sum(v.type == type_ for v in self.vetoed)

    def vetoes(self, finding: Finding) -> bool:
        """An open finding of a veto rule, for marking it in every format."""
        return not finding.waived and f"{finding.pack}:{finding.rule}" in self.veto_rules

    @property
    def problems(self) -> int:
        """Open findings of the period: the 发现问题 count every format prints."""
        return sum(r.count for r in self.by_rule)


__all__ = [
    "AccountScore",
    "Bulletin",
    "Region",
    "UnitRank",
    "EarlyWarning",
    "Veto",
]
