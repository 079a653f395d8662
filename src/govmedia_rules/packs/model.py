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
    """The clause a rule enforces: quote copied verbatim from the document.

    ``document`` may be left out when it is the pack's own (``document_number``,
    or its only source): the loader writes it in, so a finding always names it.
    """

    document: str | None = Field(
        default=None,
        min_length=1,
        description="Document number or title, e.g. 连政办发〔2019〕74号; "
        "the pack's document_number when left out",
    )
    article: str = Field(min_length=1, description="Clause: 第十六条, 三（二）, 附件1 四")
    quote: str = Field(
        min_length=1, description="The requirement sentence, copied verbatim from the source"
    )
    secondary: bool = Field(
        default=False,
        description="True when the wording comes from a secondary source, not the original",
    )
    simplified: str | None = Field(
        default=None,
        description="Simplified-character rendering of a quote in traditional characters",
    )


class Selector(_Model):
    """Which accounts (and their units) a rule applies to; empty means all.

    ``exclude_platforms`` lets a pack say what its document does not call
    政务新媒体 (government websites, for most of them) in one statement.
    """

    platforms: list[Literal[PLATFORMS]] = []  # type: ignore[valid-type]
    subtypes: list[Literal[SUBTYPES]] = []  # type: ignore[valid-type]
    unit_kinds: list[Literal[UNIT_KINDS]] = []  # type: ignore[valid-type]
    unit_levels: list[Literal[LEVELS]] = []  # type: ignore[valid-type]
    exclude_subtypes: list[Literal[SUBTYPES]] = []  # type: ignore[valid-type]
    exclude_platforms: list[Literal[PLATFORMS]] = []  # type: ignore[valid-type]

    def narrowed_by(self, pack: Selector) -> Selector | None:
        """This rule selector within a pack's selector; None when they can match nothing together.

        Lists are intersected and exclusions joined, except that the pack's
        ``exclude_platforms`` spares the platforms this rule names itself: a
        document that governs websites only in its website rules excludes
        them at pack level, and those rules still check them.
        """
        merged = {}
        for name in ("platforms", "subtypes", "unit_kinds", "unit_levels"):
            mine, theirs = getattr(self, name), getattr(pack, name)
            both = [x for x in mine if x in theirs] if mine and theirs else (mine or theirs)
            if mine and theirs and not both:
                return None
            merged[name] = both
        merged["exclude_subtypes"] = sorted(set(self.exclude_subtypes) | set(pack.exclude_subtypes))
        spared = set(self.platforms)
        merged["exclude_platforms"] = sorted(
            set(self.exclude_platforms) | (set(pack.exclude_platforms) - spared)
        )
        if merged["platforms"] and not set(merged["platforms"]) - set(merged["exclude_platforms"]):
            return None
        return Selector(**merged)

    def accepts_unit(self, unit: Unit) -> bool:
        return (not self.unit_kinds or unit.kind in self.unit_kinds) and (
            not self.unit_levels or unit.level in self.unit_levels
        )

    def accepts_account(self, account: Account, unit: Unit) -> bool:
        return (
            (not self.platforms or account.platform in self.platforms)
            and account.platform not in self.exclude_platforms
            and (not self.subtypes or account.subtype in self.subtypes)
            and account.subtype not in self.exclude_subtypes
            and self.accepts_unit(unit)
        )


class Effective(_Model):
    """Dates a rule or pack is in force: from inclusive, until inclusive."""

    from_: date | None = Field(default=None, alias="from")
    until: date | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def within(self, pack: Effective) -> Effective:
        """A rule's dates inside its own pack's: a rule keeps them when layered into another pack,
        so an inherited national rule is in force from the national document's date."""
        froms = [d for d in (self.from_, pack.from_) if d]
        untils = [d for d in (self.until, pack.until) if d]
        return Effective(from_=max(froms, default=None), until=min(untils, default=None))

    def hull(self, other: Effective) -> Effective:
        """The dates a layered pack holds rules in force: from the earliest to the latest."""
        return Effective(
            from_=min(self.from_, other.from_) if self.from_ and other.from_ else None,
            until=max(self.until, other.until) if self.until and other.until else None,
        )


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
    id: str = Field(
        description="Stable id; findings, waivers, overrides and diffs refer to it",
        pattern=r"^[a-z0-9][a-z0-9-]*$",
    )
    kind: str = Field(description="The rule kind that checks it (see docs/kinds.md)")
    title: str = Field(min_length=1, description="Short Chinese name shown in reports")
    severity: Severity = Field(
        default="error", description="info 提示, warning 警告, error 违规, critical 严重"
    )
    params: dict[str, Any] = Field(default={}, description="The kind's parameters")
    applies_to: Selector = Field(
        default=Selector(), description="Platforms, subtypes, unit kinds and levels the rule covers"
    )
    effective: Effective = Field(default=Effective(), description="Dates the rule is in force")
    citation: Citation = Field(description="The clause the rule enforces, quoted verbatim")
    reading: str | None = Field(
        default=None,
        description="How the rule reads its sentence, in Chinese (the pack README's table)",
    )
    message: str | None = Field(
        default=None, description="Optional Chinese sentence leading every finding"
    )
    narrows: str | None = Field(
        default=None,
        min_length=1,
        description="Why this rule, overriding an inherited one of the same id, asks less of "
        "it (fewer actions, platforms or items, a longer deadline): the document says so",
    )
    origin: Origin | None = None
    overrides: Origin | None = Field(
        default=None, description="Set by layering: the parent rule this one replaces"
    )


class DroppedRule(_Model):
    """An inherited rule a pack removes, and why (e.g. its own rules split the clause \
differently)."""

    rule: str
    reason: str = Field(min_length=1)


class Recital(Citation):
    """An inherited rule this pack's document states again: the rule as inherited (kind, params,
    scope), citing this pack's sentence. One entry instead of a copy of the rule."""

    rule: str = Field(description="Id of the inherited rule")
    title: str | None = Field(
        default=None, min_length=1, description="This document's name for the obligation"
    )
    reading: str | None = Field(
        default=None, description="How this document's sentence is read by the inherited rule"
    )


class CoverageItem(_Model):
    """A requirement sentence no rule of the pack cites: the rules that also check it, or why no
    record can show compliance. A sentence a rule cites is covered by that citation."""

    document: str | None = Field(
        default=None, description="Source document, when not the pack's document_number"
    )
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


class Indicator(_Model):
    """One indicator of an assessment scheme (考评指标) and its points.

    A deduction indicator (扣分指标) takes ``per_item`` points for each open
    finding of its ``rules``, never more than its ``points`` (单项指标扣分之和
    不超过本项指标总分值). A bonus indicator (加分指标) gives ``per_item``
    points for each ``attestation`` of its ``items`` dated in the period, up
    to its ``points``.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable id of the indicator")
    title: str = Field(min_length=1, description="The indicator as the scheme names it")
    points: float = Field(gt=0, description="分值: the most it deducts or adds")
    per_item: float = Field(
        gt=0, description="Points per finding (扣分) or per attested item (加分)"
    )
    rules: list[str] = Field(default=[], description="Rules whose findings deduct (扣分指标)")
    items: list[str] = Field(
        default=[], description="Attestation items that earn points (加分指标)"
    )
    source: str | None = Field(
        default=None,
        description="Where the points come from (the document, or local configuration)",
    )


class Bonus(_Model):
    """加分指标: added only to a score above ``entry_above``, at most ``cap`` in all."""

    cap: float = Field(gt=0, description="加分指标总分")
    entry_above: float = Field(
        description="A deduction score must be above this to enter bonus scoring"
    )
    indicators: list[Indicator] = Field(default=[], description="The bonus indicators")


class RectificationPeriod(_Model):
    """整改期限: how long a unit has to rectify a finding, counted from the day it is issued."""

    days: int = Field(gt=0, le=366, description="Length of the period")
    working_days: bool = Field(
        default=True, description="Count working days (工作日) rather than calendar days"
    )

    def describe(self) -> str:
        return f"{self.days}个{'工作日' if self.working_days else '自然日'}"


#: the score a veto gives: a number, none (no score), or one per unit level
VetoScore = float | None | dict[Literal[LEVELS], float | None]  # type: ignore[valid-type]


class Scoring(_Model):
    """How findings become scores and verdicts; veto rules decide them (单项否决).

    ``deductions`` are local configuration unless the document gives points;
    without any, a pack judges 合格/不合格 only and prints no number, because
    a score nobody defined would read as an assessment result. ``pass_fail``
    adds a verdict per account (any veto fails it).
    """

    base: float = Field(default=100, description="Points a unit starts from, if the pack deducts")
    deductions: dict[Severity, float] = Field(
        default={}, description="Points deducted per finding by severity; none means verdicts only"
    )
    veto_rules: list[str] = Field(
        default=[], description="Rules whose findings veto (单项否决), added to the inherited ones"
    )
    drop_veto_rules: list[DroppedRule] = Field(
        default=[], description="Inherited veto rules this pack stops treating as vetoes, and why"
    )
    pass_fail: bool = Field(
        default=False, description="Judge each account 合格/不合格: any veto finding fails it"
    )
    deductions_source: str | None = Field(
        default=None,
        description="Where the point values come from (the document, or local configuration)",
    )
    level: Literal["account", "unit", "region"] = Field(
        default="unit",
        description="What points judge: each account, each unit, or each region "
        "(县区 and the units under it)",
    )
    indicators: list[Indicator] = Field(
        default=[], description="扣分指标, each capped at its points"
    )
    bonus: Bonus | None = Field(default=None, description="加分指标 and the score that enters them")
    pass_mark: float | None = Field(default=None, description="A score below it is 不合格")
    veto_score: VetoScore = Field(
        default=0.0,
        description="The score a veto gives: a number, none (no score), or one per unit level",
    )
    rectification: RectificationPeriod | None = Field(
        default=None, description="整改期限 from the day a finding is issued"
    )

    @property
    def has_points(self) -> bool:
        return bool(self.deductions or self.indicators)

    def score_after_veto(self, level: str) -> float | None:
        """The score a vetoed subject of a unit at ``level`` receives (None: it is not scored)."""
        if isinstance(self.veto_score, dict):
            return self.veto_score.get(level)
        return self.veto_score

    def layered_on(self, parent: Scoring) -> Scoring:
        """This section over the inherited one: vetoes added to the parent's, keys given here win.

        A city pack that restates its own vetoes must not silently lose the
        national single-veto items; it removes one only with ``drop_veto_rules``.
        """
        given = self.model_fields_set
        dropped = {d.rule for d in self.drop_veto_rules}
        vetoes = [r for r in parent.veto_rules if r not in dropped]
        update: dict[str, Any] = {
            "veto_rules": vetoes + [r for r in self.veto_rules if r not in vetoes],
            "deductions": {**parent.deductions, **self.deductions},
            "drop_veto_rules": [*parent.drop_veto_rules, *self.drop_veto_rules],
            "indicators": _by_id(parent.indicators, self.indicators),
        }
        for name in (
            "base",
            "pass_fail",
            "deductions_source",
            "level",
            "bonus",
            "pass_mark",
            "veto_score",
            "rectification",
        ):
            update[name] = getattr(self if name in given else parent, name)
        return self.model_copy(update=update)


def _by_id(parent: list[Indicator], own: list[Indicator]) -> list[Indicator]:
    """Inherited indicators with those of the same id replaced, then the pack's new ones."""
    mine = {i.id: i for i in own}
    return [mine.pop(i.id, i) for i in parent] + list(mine.values())


class Source(_Model):
    """A source document shipped with the pack, against which quotes are checked."""

    document: str
    file: str
    strip_pinyin: bool = False
    #: Filled by the loader: the file's absolute path, so a layered pack can read its parents'.
    path: str = ""


class Pack(_Model):
    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$", description="Pack id, used by --pack and extends"
    )
    title: str = Field(min_length=1, description="Title of the document the pack encodes")
    issuer: str = Field(min_length=1, description="Body that issued the document")
    document_number: str | None = Field(
        default=None,
        description="文号, or the title when there is none; a citation naming no document cites it",
    )
    issued_on: date | None = Field(default=None, description="Date the document was issued")
    effective: Effective = Field(
        default=Effective(), description="Dates the whole pack is in force"
    )
    jurisdiction: str = Field(min_length=1, description="Where the document applies")
    version: str = Field(min_length=1, description="Version of the pack (not of the document)")
    extends: str | None = Field(
        default=None, description="Pack id or folder (relative to this pack) this pack layers on"
    )
    drop_rules: list[DroppedRule] = Field(
        default_factory=list,
        description="Inherited rules this pack replaces with rules of other ids",
    )
    applies_to: Selector = Field(
        default=Selector(),
        description="Narrows every rule of the pack (e.g. the platforms the document covers)",
    )
    sources: list[Source] = Field(
        default=[],
        description="Source documents shipped beside pack.yaml; quotes are checked against them",
    )
    rules: list[Rule] = Field(default=[], description="The checks")
    recite: list[Recital] = Field(
        default=[],
        description="Inherited rules this document states again, each citing its own sentence",
    )
    coverage: list[CoverageItem] = Field(
        default=[],
        description="Every requirement sentence: the rules that check it, or why none can",
    )
    calendar: CalendarOverrides = Field(
        default=CalendarOverrides(), description="Extra holidays and make-up workdays by year"
    )
    scoring: Scoring = Field(
        default=Scoring(), description="How findings become scores and verdicts"
    )
    #: Filled by the loader: folder, content digest, chain of packs layered.
    path: str = ""
    digest: str = ""
    lineage: list[str] = []
    dropped: list[Origin] = Field(
        default_factory=list, description="Set by layering: where each dropped rule came from"
    )

    def own_rules(self) -> list[Rule]:
        """The rules this pack writes or recites itself: its cases pin them, its README lists
        them; an inherited rule is its own pack's to test and describe. A rule built in Python has
        no origin and counts as the pack's own."""
        return [r for r in self.rules if r.origin is None or r.origin.pack == self.id]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
