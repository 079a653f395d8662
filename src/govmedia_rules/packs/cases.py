"""A pack's own example cases: records and the findings they must (and must not) produce.

Each file in ``policies/<id>/cases/`` is YAML with a plain-sentence
``name``, the evaluation window, ``records`` and ``expect`` / ``expect_not``
lists of ``{rule, subject: {type, id}}``. Cases are run by the test suite and
by ``govmedia-rules test``.

A case must be able to fail: an expectation naming a rule the pack does not
have, or a subject the case's records do not hold, is an error at its line
(it would pass whatever the rule does); and ``expect_not`` shows a rule
staying quiet only where the rule could judge the subject (docs/evidence.md):
a subject the rule cannot judge produces no finding whatever the rule says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from ..errors import Location, PackError
from ..labels import missing_label
from .schema import case_errors, locate_errors, located
from .yamlsource import PathKey, YamlDocument, read_yaml

if TYPE_CHECKING:
    from ..findings.report import Finding, Report
    from ..intake.files import InputItem
    from ..plugins import Registry
    from .model import Pack


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class CaseSubject(_Model):
    """A record of the case, by type and id (an integer id is its decimal text, as in records)."""

    type: str = Field(description="unit, account, post, filing, message …")
    id: str

    def __str__(self) -> str:
        return f"{self.type}:{self.id}"


class Expectation(_Model):
    rule: str = Field(description="Id of a rule of the effective pack")
    subject: CaseSubject

    def matches(self, finding: Any) -> bool:
        return finding.rule == self.rule and (finding.subject.type, finding.subject.id) == (
            self.subject.type,
            self.subject.id,
        )

    def __str__(self) -> str:
        return f"{self.rule} @ {self.subject}"


class VerdictExpectation(_Model):
    """A 合格/不合格 a case requires of a unit or an account, and which vetoes decide it."""

    subject: CaseSubject
    verdict: Literal["合格", "不合格"]
    vetoed_by: list[str] | None = Field(default=None, description="Exactly these vetoes, if set")
    score: float | Literal["无"] | None = Field(
        default=None,
        description="Exactly this score, if set; 无 when the scheme gives none (a veto)",
    )

    def matches(self, score: Any) -> bool:
        subject = (self.subject.type, self.subject.id)
        points = None if self.score == "无" else self.score
        return (
            (score.subject.type, score.subject.id) == subject
            and score.verdict == self.verdict
            and self.vetoed_by in (None, score.vetoed_by)
            and (self.score is None or score.score == points)
        )

    def __str__(self) -> str:
        vetoes = f"（单项否决：{'、'.join(self.vetoed_by)}）" if self.vetoed_by else ""
        points = "" if self.score is None else f"，得分 {self.score}"
        return f"{self.subject} {self.verdict}{vetoes}{points}"


class NotEvaluatedExpectation(_Model):
    """A rule the case's data cannot judge, and (if given) exactly what it lacks."""

    rule: str
    missing: list[str] | None = Field(
        default=None, description="Record types or field paths, if checked"
    )

    def matches(self, entry: Any) -> bool:
        return entry.rule == self.rule and self.missing in (None, sorted(entry.missing))

    def __str__(self) -> str:
        lacking = f"（缺少：{'、'.join(self.missing)}）" if self.missing else ""
        return f"{self.rule} 无法判定{lacking}"


class Case(_Model):
    name: str = Field(min_length=1, description="What the case shows, as a plain sentence")
    since: date
    as_of: date
    complete: list[str] = Field(
        default=[],
        description="Record types and fields the case's records hold completely (docs/evidence.md)",
    )
    records: list[dict[str, Any]] = Field(default=[], description="Input records, as in JSON Lines")
    files: list[str] = Field(
        default_factory=list, description="Input files beside the case (.xlsx, .csv, .jsonl)"
    )
    expect: list[Expectation] = Field(default=[], description="Findings the pack must produce")
    expect_not: list[Expectation] = Field(
        default=[], description="Findings the pack must not produce, on subjects the rule can judge"
    )
    expect_verdicts: list[VerdictExpectation] = []
    expect_not_evaluated: list[NotEvaluatedExpectation] = []
    file: str = ""
    _doc: YamlDocument | None = PrivateAttr(default=None)

    def locate(self, path: PathKey, *, value: bool = False) -> Location:
        """Where ``path`` is written in the case file (the file alone for a case built in
        Python)."""
        return self._doc.locate(path, value=value) if self._doc else Location(self.file)


@dataclass
class CaseResult:
    case: Case
    missing: list[Expectation] = field(default_factory=list)
    unexpected: list[Expectation] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    verdicts: list[VerdictExpectation] = field(default_factory=list)
    judged: list[NotEvaluatedExpectation] = field(default_factory=list)
    #: expectations that cannot fail as written, each with its file:line
    invalid: list[str] = field(default_factory=list)
    #: the rules the case shows firing, and staying quiet on a subject they judged
    fired: set[str] = field(default_factory=set)
    quiet: set[str] = field(default_factory=set)
    #: every finding the pack produced, for showing what happened to a subject
    findings: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not (
            self.missing
            or self.unexpected
            or self.rejected
            or self.verdicts
            or self.judged
            or self.invalid
        )

    def problems(self) -> list[str]:
        """What went wrong, one Chinese sentence each."""
        return (
            self.invalid
            + [f"输入被拒绝：{line}" for line in self.rejected]
            + [f"应出现而未出现：{e}" for e in self.missing]
            + [f"不应出现却出现：{e}" for e in self.unexpected]
            + [f"结论与预期不同，预期：{e}" for e in self.verdicts]
            + [f"预期{e}，实际未列入无法判定" for e in self.judged]
        )

    def explain(self) -> list[str]:
        """The problems, then for each subject a finding expectation failed on: the findings the
        pack did produce for it (rule, message, clause) and a one-line diff, so an author sees
        why."""
        lines = self.problems()
        subjects: dict[CaseSubject, None] = dict.fromkeys(
            e.subject for e in [*self.missing, *self.unexpected]
        )
        for subject in subjects:
            produced = [
                f
                for f in self.findings
                if (f.subject.type, f.subject.id) == (subject.type, subject.id)
            ]
            lines.append(f"实际对 {subject} 查出 {len(produced)} 项：")
            lines += [
                f"  {f.rule}：{f.message}（{f.citation.article}：{f.citation.quote}）"
                for f in produced
            ]
            wanted = [f"-{e.rule}" for e in self.missing if e.subject == subject]
            unwanted = [f"+{e.rule}" for e in self.unexpected if e.subject == subject]
            lines.append(
                f"差异 {subject}：{' '.join(wanted + unwanted)}"
                "（- 预期查出而未查出，+ 预期不查出却查出）"
            )
        return lines


def load_cases(pack: Pack) -> list[Case]:
    """Every case file of a pack (sorted by file name); errors name file, line and column."""
    folder = Path(pack.path) / "cases"
    return [load_case(file) for file in sorted(folder.glob("*.yaml"))] if folder.is_dir() else []


def load_case(file: Path) -> Case:
    """One case file: the case JSON Schema first (a misspelt key at the key), then the model."""
    doc = read_yaml(file)
    if not isinstance(doc.data, dict):
        raise PackError([(doc.locate(()), "用例文件的顶层必须是映射（键: 值）")])
    problems = locate_errors(doc, case_errors(doc.data))
    if problems:
        raise PackError(problems)
    try:
        case = Case.model_validate({**doc.data, "file": str(file)})
    except ValidationError as exc:
        raise PackError(located(doc, exc)) from None
    case._doc = doc
    return case


def case_items(case: Case, registry: Registry) -> list[InputItem]:
    """The case's input: its records, each at the line it is written on, and its files."""
    from ..intake.files import item_from_value, read_inputs

    items = []
    for i, value in enumerate(case.records):
        item = item_from_value(value, case.file, case.locate(("records", i)).line or i + 1)
        if item.error and item.field:  # a rejected field is shown at its own line
            where = case.locate(("records", i, *item.field.split(".")), value=True)
            item = item_from_value(value, case.file, where.line or item.line)
        items.append(item)
    folder = Path(case.file).parent
    return items + list(read_inputs([folder / f for f in case.files], registry.loaders))


def run_case(pack: Pack, case: Case, registry: Registry | None = None) -> CaseResult:
    """Evaluate a case's records with the pack and compare with its expectations."""
    from ..engine import Engine

    engine = Engine([pack], registry=registry)
    items = case_items(case, engine.registry)
    engine.unknown_examples = len(
        items
    )  # every unjudged subject listed: each expect_not is told apart
    report = engine.evaluate(items, since=case.since, as_of=case.as_of, complete=case.complete)
    result = CaseResult(case, findings=list(report.findings))
    vacuous = _cannot_fail(pack, case, items)
    result.invalid = list(vacuous.values())
    result.rejected = [f"{r.source}:{r.line}: {r.reason}" for r in report.input.rejections]
    result.missing = [e for e in case.expect if not any(e.matches(f) for f in report.findings)]
    result.unexpected = [e for e in case.expect_not if any(e.matches(f) for f in report.findings)]
    result.verdicts = [
        e for e in case.expect_verdicts if not any(e.matches(s) for s in report.scores)
    ]
    result.judged = [
        e for e in case.expect_not_evaluated if not any(e.matches(n) for n in report.not_evaluated)
    ]
    result.fired = {
        e.rule
        for i, e in enumerate(case.expect)
        if e not in result.missing and ("expect", i) not in vacuous
    }
    for i, e in enumerate(case.expect_not):
        lacking = _not_judged(e, report)
        if ("expect_not", i) in vacuous:
            continue
        if lacking is None and e not in result.unexpected:
            result.quiet.add(e.rule)
        elif lacking is not None:
            where = case.locate(("expect_not", i))
            result.invalid.append(
                f"{where}: 规则 {e.rule} 无法判定 {e.subject}（缺少{lacking}），"
                f"不能说明它不查出；请补充资料、声明 complete，或改写为 expect_not_evaluated"
            )
    return result


def _cannot_fail(pack: Pack, case: Case, items: Iterable[InputItem]) -> dict[tuple[str, int], str]:
    """Expectations that would pass whatever the pack does (a rule it lacks, a subject not in the
    case), by list and index, each with its file:line sentence."""
    rules = {r.id for r in pack.rules}
    subjects = {(i.type, i.id) for i in items if i.record is not None}
    problems: dict[tuple[str, int], str] = {}
    for name in ("expect", "expect_not", "expect_not_evaluated"):
        for i, e in enumerate(getattr(case, name)):
            if e.rule not in rules:
                where = case.locate((name, i, "rule"), value=True)
                problems[(name, i)] = f"{where}: 规则包 {pack.id} 没有规则 {e.rule!r}"
    for name in ("expect", "expect_not", "expect_verdicts"):
        for i, e in enumerate(getattr(case, name)):
            if (e.subject.type, e.subject.id) not in subjects and (name, i) not in problems:
                where = case.locate((name, i, "subject"), value=True)
                problems[(name, i)] = f"{where}: 用例的记录中没有 {e.subject}"
    return problems


def _not_judged(expectation: Expectation, report: Report) -> str | None:
    """What the rule lacked to judge the subject, None when it judged it (run_case lists every
    id)."""
    for entry in report.not_evaluated:
        if (entry.rule, entry.subject_type) == (expectation.rule, expectation.subject.type) and (
            expectation.subject.id in entry.examples
        ):
            return "、".join(missing_label(m) for m in entry.missing)
    return None


@dataclass
class RuleCoverage:
    """Which of a pack's own rules its cases show firing, and staying quiet."""

    rules: list[str]
    fired: set[str]
    quiet: set[str]

    @property
    def never_fired(self) -> list[str]:
        return [r for r in self.rules if r not in self.fired]

    @property
    def never_quiet(self) -> list[str]:
        return [r for r in self.rules if r not in self.quiet]

    @property
    def percent(self) -> float:
        """Share of rules shown both firing and not firing."""
        both = [r for r in self.rules if r in self.fired and r in self.quiet]
        return 100.0 * len(both) / len(self.rules) if self.rules else 100.0


def rule_coverage(pack: Pack, results: list[CaseResult]) -> RuleCoverage:
    """Coverage of the rules the pack defines itself (inherited rules are their own pack's to test).

    Only what the runs showed counts: an expectation that failed shows nothing,
    and an ``expect_not`` on a subject the rule could not judge shows nothing.
    """
    own = [r.id for r in pack.own_rules()]
    return RuleCoverage(
        own, {r for c in results for r in c.fired}, {r for c in results for r in c.quiet}
    )
