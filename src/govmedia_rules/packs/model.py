"""The typed form of a policy pack, after schema validation and layering."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..records import LEVELS, PLATFORMS, SUBTYPES, UNIT_KINDS, Account, Unit

Severity = Literal["info", "warning", "error", "critical"]
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Model):
    """The clause a rule enforces: quote copied verbatim from the document."""

    document: str = Field(min_length=1, description="Document number or title, e.g. 连政办发〔2019〕74号")
    article: str = Field(min_length=1, description="Clause: 第十六条, 三（二）, 附件1 四")
    quote: str = Field(min_length=1, description="The requirement sentence, copied verbatim from the source")
    secondary: bool = Field(default=False, description="True when the wording comes from a secondary source, not the original")
    simplified: str | None = Field(default=None, description="Simplified-character rendering of a quote in traditional characters")


class Selector(_Model):
    """Which accounts (and their units) a rule applies to; empty means all."""

    platforms: list[Literal[PLATFORMS]] = []  # type: ignore[valid-type]
    subtypes: list[Literal[SUBTYPES]] = []  # type: ignore[valid-type]
    unit_kinds: list[Literal[UNIT_KINDS]] = []  # type: ignore[valid-type]
    unit_levels: list[Literal[LEVELS]] = []  # type: ignore[valid-type]
    exclude_subtypes: list[Literal[SUBTYPES]] = []  # type: ignore[valid-type]

    def narrowed_by(self, other: Selector) -> Selector | None:
        """Both selectors at once; None when they can match nothing together."""
        merged = {}
        for name in ("platforms", "subtypes", "unit_kinds", "unit_levels"):
            mine, theirs = getattr(self, name), getattr(other, name)
            both = [x for x in mine if x in theirs] if mine and theirs else (mine or theirs)
            if mine and theirs and not both:
                return None
            merged[name] = both
        merged["exclude_subtypes"] = sorted(set(self.exclude_subtypes) | set(other.exclude_subtypes))
        return Selector(**merged)

    def accepts_unit(self, unit: Unit) -> bool:
        return (not self.unit_kinds or unit.kind in self.unit_kinds) and (
            not self.unit_levels or unit.level in self.unit_levels
        )

    def accepts_account(self, account: Account, unit: Unit) -> bool:
        return (
            (not self.platforms or account.platform in self.platforms)
            and (not self.subtypes or account.subtype in self.subtypes)
            and account.subtype not in self.exclude_subtypes
            and self.accepts_unit(unit)
        )


class Effective(_Model):
    """Dates a rule or pack is in force: from inclusive, until inclusive."""

    from_: date | None = Field(default=None, alias="from")
    until: date | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Origin(_Model):
    """Where a rule was defined: pack, version and file:line (for layering).

    ``file`` is relative to the folder holding the pack folders
    (``ankang/pack.yaml``), so reports do not depend on where packs are installed.
    """

    pack: str
    version: str
    file: str
    line: int
    rule: str | None = None


class Rule(_Model):
    id: str = Field(description="Stable id; findings, waivers, overrides and diffs refer to it", pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: str = Field(description="The rule kind that checks it (see docs/kinds.md)")
    title: str = Field(min_length=1, description="Short Chinese name shown in reports")
    severity: Severity = Field(default="error", description="info 提示, warning 警告, error 违规, critical 严重")
    params: dict[str, Any] = Field(default={}, description="The kind's parameters")
    applies_to: Selector = Field(default=Selector(), description="Platforms, subtypes, unit kinds and levels the rule covers")
    effective: Effective = Field(default=Effective(), description="Dates the rule is in force")
    citation: Citation = Field(description="The clause the rule enforces, quoted verbatim")
    message: str | None = Field(default=None, description="Optional Chinese sentence leading every finding")
    origin: Origin | None = None
    overrides: Origin | None = Field(default=None, description="Set by layering: the parent rule this one replaces")


class DroppedRule(_Model):
    """An inherited rule a pack removes, and why (e.g. its own rules split the clause differently)."""

    rule: str
    reason: str = Field(min_length=1)


class CoverageItem(_Model):
    """One requirement sentence of the document and how the pack treats it."""

    document: str | None = Field(default=None, description="Source document, when not the pack's document_number")
    article: str
    quote: str
    rules: list[str] = []
    not_checkable: str | None = Field(default=None, description="Why no record can show compliance")


class Schedule(_Model):
    """One year's 放假安排 supplied by the pack."""

    year: int = Field(ge=1950, le=2100)
    reference: str
    holidays: list[date] = []
    workdays: list[date] = []


class CalendarOverrides(_Model):
    schedules: list[Schedule] = []


class Scoring(_Model):
    """How findings become a score per unit; veto rules zero it (单项否决).

    ``deductions`` are local configuration unless the document gives points;
    ``pass_fail`` adds a 合格/不合格 verdict per account (any veto fails it).
    """

    base: float = 100
    deductions: dict[Severity, float] = {}  # type: ignore[valid-type]
    veto_rules: list[str] = []
    pass_fail: bool = Field(default=False, description="Judge each account 合格/不合格: any veto finding fails it")
    deductions_source: str | None = Field(default=None, description="Where the point values come from (the document, or local configuration)")


class Source(_Model):
    """A source document shipped with the pack, against which quotes are checked."""

    document: str
    file: str
    strip_pinyin: bool = False


class Pack(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Pack id, used by --pack and extends")
    title: str = Field(min_length=1, description="Title of the document the pack encodes")
    issuer: str = Field(min_length=1, description="Body that issued the document")
    document_number: str | None = Field(default=None, description="文号, or the title when there is none; coverage quotes are checked against it")
    issued_on: date | None = Field(default=None, description="Date the document was issued")
    effective: Effective = Field(default=Effective(), description="Dates the whole pack is in force")
    jurisdiction: str = Field(min_length=1, description="Where the document applies")
    version: str = Field(min_length=1, description="Version of the pack (not of the document)")
    extends: str | None = Field(default=None, description="Pack id or folder (relative to this pack) this pack layers on")
    drop_rules: list[DroppedRule] = Field(default_factory=list, description="Inherited rules this pack replaces with rules of other ids")
    applies_to: Selector = Field(default=Selector(), description="Narrows every rule of the pack (e.g. the platforms the document covers)")
    sources: list[Source] = Field(default=[], description="Source documents shipped beside pack.yaml; quotes are checked against them")
    rules: list[Rule] = Field(default=[], description="The checks")
    coverage: list[CoverageItem] = Field(default=[], description="Every requirement sentence: the rules that check it, or why none can")
    calendar: CalendarOverrides = Field(default=CalendarOverrides(), description="Extra holidays and make-up workdays by year")
    scoring: Scoring = Field(default=Scoring(), description="How findings become scores and verdicts")
    #: Filled by the loader: folder, content digest, chain of packs layered.
    path: str = ""
    digest: str = ""
    lineage: list[str] = []
    dropped: list[Origin] = Field(default_factory=list, description="Set by layering: where each dropped rule came from")

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
