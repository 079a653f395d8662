"""The finding and report contract: what an evaluation returns.

``--format json`` writes exactly :class:`Report`. Findings are sorted
deterministically; every input record is either accepted or listed as
rejected with its file, line and reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..packs.model import Citation, Severity
from ..records import Subject


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WaiverRef(_Model):
    """The approved exception that covers a finding."""

    id: str
    approver: str
    approved_on: date
    expires_on: date | None = None
    justification: str


class Finding(_Model):
    """One breach of one rule by one subject, with the clause it breaks."""

    id: str = Field(
        default="",
        description="Stable fingerprint of pack, rule, owner, subject and fact "
        "(govmedia_rules.findings.identity): equal across runs, input order and windows",
    )
    rule: str
    kind: str
    pack: str
    severity: Severity
    title: str
    subject: Subject
    unit: str | None = Field(default=None, description="Id of the unit responsible for the subject")
    account: str | None = Field(
        default=None, description="Id of the account the subject belongs to, if any"
    )
    message: str
    citation: Citation
    evidence: dict[str, Any] = {}
    due: date | None = Field(default=None, description="整改期限 / the deadline that was missed")
    waiver: WaiverRef | None = None

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    def sort_key(self) -> tuple[str, ...]:
        return (self.pack, self.rule, self.subject.type, self.subject.id, self.message)


class Rejection(_Model):
    """An input record that was not accepted, and why."""

    source: str
    line: int
    type: str | None = None
    id: str | None = None
    field: str | None = Field(
        default=None, description="Dotted path of the offending field, if one"
    )
    code: str = Field(
        default="invalid", description="Stable identifier of the problem (records.REJECTION_CODES)"
    )
    reason: str


class InputAccounting(_Model):
    """read == accepted + rejected, always."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    rejections: list[Rejection] = []


class NotEvaluated(_Model):
    """Subjects one rule could not judge for want of data: counted once per rule and missing set."""

    pack: str
    rule: str
    subject_type: str = Field(description="unit, account, post, filing …")
    subjects: int = Field(description="How many subjects could not be judged")
    missing: list[str] = Field(
        description="Record types or field paths (post.signoffs) that were absent"
    )
    examples: list[str] = Field(default=[], description="Up to five subject ids, the smallest")


class RuleInfo(_Model):
    """Where an effective rule came from after layering."""

    id: str
    kind: str
    origin: str = Field(description="pack version file:line")
    overrides: str | None = Field(
        default=None, description="The parent rule it replaces, same form"
    )
    veto: bool = Field(default=False, description="A finding of this rule vetoes (单项否决)")


class PackInfo(_Model):
    id: str
    title: str
    version: str
    digest: str
    lineage: list[str]
    rules: list[RuleInfo] = []


class IndicatorScore(_Model):
    """What one indicator of an assessment scheme deducted from, or added to, one result."""

    id: str
    title: str
    points: float = Field(description="The indicator's 分值, the cap of what it deducts or adds")
    items: int = Field(description="Findings (扣分指标) or attested items (加分指标) counted")
    deducted: float = 0
    added: float = 0


class Score(_Model):
    """A unit's, an account's or a region's result under one pack for the evaluated period.

    A veto finding makes its account and unit 不合格 and gives the score the
    scheme sets for a veto (单项否决). ``score``, ``base`` and ``deducted`` are
    absent when the pack defines no point values: such a pack judges verdicts only.
    """

    pack: str
    subject: Subject
    score: float | None = None
    base: float | None = None
    deducted: float | None = None
    bonus: float | None = Field(
        default=None, description="加分 added (only above the scheme's threshold)"
    )
    indicators: list[IndicatorScore] = Field(
        default=[], description="Deductions and bonus by indicator"
    )
    vetoed_by: list[str] = Field(default=[], description="Veto rules that found against it")
    vetoes: int = Field(default=0, description="Open findings of veto rules counted for it")
    verdict: Literal["合格", "不合格"] | None = None


class Report(_Model):
    engine: str = "govmedia-rules"
    version: str
    packs: list[PackInfo]
    since: date
    as_of: date
    input: InputAccounting
    findings: list[Finding] = []
    not_evaluated: list[NotEvaluated] = Field(
        default=[], description="What could not be judged for want of data (docs/evidence.md)"
    )
    rules_judged: int = Field(default=0, description="Rules that judged at least one subject")
    complete: list[str] = Field(default=[], description="Record types and fields declared complete")
    scores: list[Score] = []
    warnings: list[str] = []
    extensions: dict[str, Any] = Field(default={}, description="Data attached by plugins")

    def input_problem(self, *, strict: bool = False) -> str | None:
        """Why this report is no clean bill of health whatever its findings say, or None.

        Input of which nothing was accepted, or from which no rule could judge
        anybody, must never read as 未发现问题.
        """
        accounting = self.input
        if accounting.read == 0:
            return "输入中没有任何记录，未作判定"
        if accounting.accepted == 0:
            first = accounting.rejections[0]
            return (
                f"输入的{accounting.read}条记录全部被拒绝，未作判定"
                f"（首条：{first.source}:{first.line}，{first.reason}）"
            )
        if self.rules_judged == 0:
            return (
                f"输入的资料不足以判定任何规则（{len(self.not_evaluated)}项无法判定，"
                "缺少的资料见报告）"
            )
        if strict and accounting.rejected:
            first = accounting.rejections[0]
            return (
                f"严格模式：有{accounting.rejected}条记录被拒绝"
                f"（首条：{first.source}:{first.line}，{first.reason}）"
            )
        return None

    @property
    def open_findings(self) -> list[Finding]:
        """Findings not covered by a valid waiver."""
        return [f for f in self.findings if not f.waived]
