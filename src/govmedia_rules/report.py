"""The finding and report contract: what an evaluation returns.

``--format json`` writes exactly :class:`Report`. Findings are sorted
deterministically; every input record is either accepted or listed as
rejected with its file, line and reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .packs.model import Citation, Severity
from .records import Subject


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

    rule: str
    kind: str
    pack: str
    severity: Severity
    title: str
    subject: Subject
    unit: str | None = Field(default=None, description="Id of the unit responsible for the subject")
    account: str | None = Field(default=None, description="Id of the account the subject belongs to, if any")
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
    reason: str


class InputAccounting(_Model):
    """read == accepted + rejected, always."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    rejections: list[Rejection] = []


class RuleInfo(_Model):
    """Where an effective rule came from after layering."""

    id: str
    kind: str
    origin: str = Field(description="pack version file:line")
    overrides: str | None = Field(default=None, description="The parent rule it replaces, same form")
    veto: bool = Field(default=False, description="A finding of this rule vetoes (单项否决)")


class PackInfo(_Model):
    id: str
    title: str
    version: str
    digest: str
    lineage: list[str]
    rules: list[RuleInfo] = []


class Score(_Model):
    """A unit's or an account's result under one pack for the evaluated period.

    A veto finding makes its account and unit 不合格 and zeroes a score
    (单项否决). ``score``, ``base`` and ``deducted`` are absent when the pack
    defines no point values: such a pack judges verdicts only.
    """

    pack: str
    subject: Subject
    score: float | None = None
    base: float | None = None
    deducted: float | None = None
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
    scores: list[Score] = []
    warnings: list[str] = []
    extensions: dict[str, Any] = Field(default={}, description="Data attached by plugins")

    @property
    def open_findings(self) -> list[Finding]:
        """Findings not covered by a valid waiver."""
        return [f for f in self.findings if not f.waived]
