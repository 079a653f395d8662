"""A pack's own example cases: records and the findings they must (and must not) produce.

Each file in ``policies/<id>/cases/`` is YAML with a plain-sentence
``name``, the evaluation window, ``records`` and ``expect`` / ``expect_not``
lists of ``{rule, subject: {type, id}}``. Cases are run by the test suite and
by ``govmedia-rules test``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Location, PackError
from ..records import describe_validation_error
from .yamlsource import read_yaml

if TYPE_CHECKING:
    from .model import Pack


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    subject: dict[str, str]

    def matches(self, finding: Any) -> bool:
        return finding.rule == self.rule and finding.subject.type == self.subject.get("type") and (
            finding.subject.id == self.subject.get("id"))

    def __str__(self) -> str:
        return f"{self.rule} @ {self.subject.get('type')}:{self.subject.get('id')}"


class VerdictExpectation(BaseModel):
    """A 合格/不合格 a case requires of a unit or an account, and which vetoes decide it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: dict[str, str]
    verdict: Literal["合格", "不合格"]
    vetoed_by: list[str] | None = Field(default=None, description="Exactly these vetoes, if set")

    def matches(self, score: Any) -> bool:
        subject = (self.subject.get("type"), self.subject.get("id"))
        return ((score.subject.type, score.subject.id) == subject and score.verdict == self.verdict
                and self.vetoed_by in (None, score.vetoed_by))

    def __str__(self) -> str:
        vetoes = f"（单项否决：{'、'.join(self.vetoed_by)}）" if self.vetoed_by else ""
        return f"{self.subject.get('type')}:{self.subject.get('id')} {self.verdict}{vetoes}"


class NotEvaluatedExpectation(BaseModel):
    """A rule the case's data cannot judge, and (if given) exactly what it lacks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    missing: list[str] | None = Field(default=None, description="Record types or field paths, if checked")

    def matches(self, entry: Any) -> bool:
        return entry.rule == self.rule and self.missing in (None, sorted(entry.missing))

    def __str__(self) -> str:
        lacking = f"（缺少：{'、'.join(self.missing)}）" if self.missing else ""
        return f"{self.rule} 无法判定{lacking}"


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    since: date
    as_of: date
    complete: list[str] = Field(
        default=[], description="Record types and fields the case's records hold completely (docs/evidence.md)")
    records: list[dict[str, Any]] = []
    files: list[str] = Field(default_factory=list, description="Input files beside the case (.xlsx, .csv, .jsonl)")
    expect: list[Expectation] = []
    expect_not: list[Expectation] = []
    expect_verdicts: list[VerdictExpectation] = []
    expect_not_evaluated: list[NotEvaluatedExpectation] = []
    file: str = ""


@dataclass
class CaseResult:
    case: Case
    missing: list[Expectation] = field(default_factory=list)
    unexpected: list[Expectation] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    verdicts: list[VerdictExpectation] = field(default_factory=list)
    judged: list[NotEvaluatedExpectation] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not (self.missing or self.unexpected or self.rejected or self.verdicts or self.judged)

    def problems(self) -> list[str]:
        """What went wrong, one Chinese sentence each."""
        return ([f"输入被拒绝：{line}" for line in self.rejected] + [f"应出现而未出现：{e}" for e in self.missing]
                + [f"不应出现却出现：{e}" for e in self.unexpected]
                + [f"结论与预期不同，预期：{e}" for e in self.verdicts]
                + [f"预期{e}，实际未列入无法判定" for e in self.judged])


def load_cases(pack: Pack) -> list[Case]:
    """Every case file of a pack (sorted by file name); errors name file and line."""
    folder = Path(pack.path) / "cases"
    cases = []
    for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        doc = read_yaml(file)
        try:
            cases.append(Case.model_validate({**(doc.data or {}), "file": str(file)}))
        except ValidationError as exc:
            raise PackError([(doc.locate(tuple(e["loc"])), describe_validation_error(exc)) for e in exc.errors()[:1]]) from None
        except TypeError:
            raise PackError([(Location(str(file), 1, 1), "用例文件的顶层必须是映射")]) from None
    return cases


def run_case(pack: Pack, case: Case, registry: Any = None) -> CaseResult:
    """Evaluate a case's records with the pack and compare with its expectations."""
    from ..engine import Engine
    from ..inputs import items_from_values, read_inputs

    engine = Engine([pack], registry=registry)
    folder = Path(case.file).parent
    items = list(items_from_values(case.records, source=case.file))
    items += list(read_inputs([folder / f for f in case.files], engine.registry.loaders))
    report = engine.evaluate(items, since=case.since, as_of=case.as_of, complete=case.complete)
    result = CaseResult(case)
    result.rejected = [f"{r.source}:{r.line}: {r.reason}" for r in report.input.rejections]
    result.missing = [e for e in case.expect if not any(e.matches(f) for f in report.findings)]
    result.unexpected = [e for e in case.expect_not if any(e.matches(f) for f in report.findings)]
    result.verdicts = [e for e in case.expect_verdicts
                       if not any(e.matches(s) for s in report.scores)]
    result.judged = [e for e in case.expect_not_evaluated if not any(e.matches(n) for n in report.not_evaluated)]
    return result


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


def rule_coverage(pack: Pack, cases: list[Case]) -> RuleCoverage:
    """Coverage of the rules the pack defines itself (inherited rules are their own pack's to test)."""
    own = [r.id for r in pack.rules if r.origin is None or r.origin.pack == pack.id]
    return RuleCoverage(own, {e.rule for c in cases for e in c.expect}, {e.rule for c in cases for e in c.expect_not})
