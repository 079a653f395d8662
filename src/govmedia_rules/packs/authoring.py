"""What a policy author runs: pack cases with rule coverage, and clause coverage of the document."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from pydantic import ValidationError

from ..findings.report import Finding
from ..plugins import default_registry
from .cases import Case, CaseResult, load_cases, rule_coverage, run_case
from .loader import PACK_FILE, load_pack
from .model import Pack, Scoring
from .yamlsource import read_yaml

if TYPE_CHECKING:
    from ..kinds.base import RuleKind


def run_pack_tests(
    refs: list[str],
    registry: Any,
    *,
    fmt: str = "text",
    min_coverage: float = 0.0,
    mutate: bool = False,
) -> int:
    """Run every case of the packs; print results and rule coverage; 1 on a failure or low coverage.

    With ``mutate``, each threshold of each of the pack's own rules, and each
    number of its own scoring, is moved and the cases are run again: a change
    no case notices is a number the cases do not pin down, reported with the
    coverage.
    """
    results: list[tuple[Pack, CaseResult]] = []
    coverage = {}
    survivors: dict[str, list[Change]] = {}
    for ref in refs:
        pack = load_pack(ref, registry)
        cases = load_cases(pack)
        own = [run_case(pack, case, registry) for case in cases]
        results += [(pack, result) for result in own]
        coverage[pack.id] = rule_coverage(pack, own)
        if mutate and all(r.passed for r in own):
            survivors[pack.id] = surviving_mutations(pack, cases, registry)
    failed = sum(not r.passed for _, r in results)
    low = [p for p, c in coverage.items() if c.percent < min_coverage]
    out = {"text": _text, "json": _json, "junit": _junit}[fmt](results, coverage, survivors)
    sys.stdout.write(out)
    for pack_id in low:
        print(
            f"规则包 {pack_id} 的规则覆盖率 {coverage[pack_id].percent:.0f}% "
            f"低于要求的 {min_coverage:.0f}%",
            file=sys.stderr,
        )
    return 1 if failed or low or any(survivors.values()) else 0


@dataclass(frozen=True)
class Mutation:
    """One threshold of one rule moved by one: a change some case must notice."""

    rule: str
    param: str
    old: int
    new: int
    pack: Pack

    def __str__(self) -> str:
        return f"{self.rule} 的 params.{self.param} 由 {self.old} 改为 {self.new}"


_THRESHOLDS = (
    "min_posts",
    "days",
    "weeks",
    "months",
    "working_days",
    "max_accounts",
    "max_kinds",
    "min_problems",
)


def threshold_mutations(
    pack: Pack, registry: Any = None, *, own_only: bool = True
) -> list[Mutation]:
    """Every copy of ``pack`` with one numeric threshold moved up or down by one, where the rule's
    kind accepts the moved value (a floor such as 至少2次 is never crossed)."""
    kinds = (registry or default_registry()).kinds
    own = {r.id for r in pack.own_rules()}
    out = []
    for index, rule in enumerate(pack.rules):
        if own_only and rule.id not in own:
            continue
        for path in _numeric_paths(rule.params):
            old = _at(rule.params, path)
            if path[-1] not in _THRESHOLDS or not isinstance(old, int):
                continue
            for new in sorted(
                {max(0 if path[-1] == "working_days" else 1, old + d) for d in (-1, 1)} - {old}
            ):
                params = _with_value(rule.params, path, new)
                try:
                    kinds[rule.kind].from_params(params)
                except ValidationError:
                    continue
                rules = list(pack.rules)
                rules[index] = rule.model_copy(update={"params": params})
                out.append(
                    Mutation(
                        rule.id, ".".join(path), old, new, pack.model_copy(update={"rules": rules})
                    )
                )
    return out


@dataclass(frozen=True)
class ScoringMutation:
    """One number of the pack's own scoring moved by one step: a change some case must notice."""

    path: str
    old: float
    new: float
    pack: Pack

    def __str__(self) -> str:
        return f"{self.path} 由 {self.old:g} 改为 {self.new:g}"


Change = Mutation | ScoringMutation


def scoring_mutations(pack: Pack, registry: Any = None) -> list[ScoringMutation]:
    """Every copy of ``pack`` with one number its own ``scoring`` writes moved up or down by one
    step, where the scheme still validates and some input could tell the two apart.

    Only a scheme with points is mutated: without indicators or deductions the
    engine gives verdicts alone and base, pass mark and veto score are never
    read. The step is half a point when the scheme uses halves (a 59.5 is then
    a score it gives), else one. Numbers the pack inherits are its parent's to
    pin; ``rectification`` is read by bulletins only, never by a case; and a
    cap moved where what it caps can never reach either value (:func:`_most`)
    changes no score.
    """
    if not pack.scoring.has_points:
        return []
    kinds = (registry or default_registry()).kinds
    layered = pack.scoring.model_dump(exclude={"rectification"})
    written = read_yaml(Path(pack.path) / PACK_FILE).data.get("scoring") or {}
    own = Scoring.model_validate(written).model_dump(exclude_unset=True, exclude={"rectification"})
    step = 1.0 if all(_at(layered, p) % 1 == 0 for p in _numeric_paths(layered)) else 0.5
    out = []
    for path in _numeric_paths(own):
        old = float(_at(layered, path))
        most = _most(pack, path, kinds)
        for new in (old - step, old + step):
            if min(old, most) == min(new, most):
                continue
            try:
                scoring = Scoring.model_validate(
                    {**_with_value(layered, path, new), "rectification": pack.scoring.rectification}
                )
            except ValidationError:
                continue
            out.append(
                ScoringMutation(
                    _scoring_label(layered, path),
                    old,
                    new,
                    pack.model_copy(update={"scoring": scoring}),
                )
            )
    return out


def _most(pack: Pack, path: tuple[str, ...], kinds: Mapping[str, type[RuleKind]]) -> float:
    """The most that what the number at ``path`` caps can reach for one scored subject: a cap
    moved where both values are at or above it changes no score (infinite for a number that caps
    nothing, or a sum with no bound).

    The bonus total caps its indicators, each capped at its points. A
    deduction indicator whose rules all judge the scored level with a bound on
    their findings (``most_findings``: 专职人员, 分管负责人 once for an account)
    deducts at most that many times.
    """
    scoring = pack.scoring
    if path == ("bonus", "cap") and scoring.bonus:
        return sum(i.points for i in scoring.bonus.indicators)
    if path[0] == "indicators" and path[-1] == "points":
        [indicator] = [i for i in scoring.indicators if i.id == path[1]]
        checks = [kinds[r.kind].from_params(r.params) for r in map(pack.rule, indicator.rules)]
        bounds = [c.most_findings for c in checks if c.subject_type == scoring.level]
        if len(bounds) == len(checks) and None not in bounds:
            return indicator.per_item * sum(b for b in bounds if b is not None)
    return math.inf


def surviving_mutations(pack: Pack, cases: list[Case], registry: Any) -> list[Change]:
    """The threshold and scoring mutations under which every case still passes."""
    changes: list[Change] = [
        *threshold_mutations(pack, registry),
        *scoring_mutations(pack, registry),
    ]
    return [m for m in changes if all(run_case(m.pack, c, registry).passed for c in cases)]


def _numeric_paths(tree: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every number in ``tree`` by its keys; an item of a list by its ``id``, as a scheme names
    its indicators (an index would move when the pack over it adds one)."""
    if isinstance(tree, dict):
        return [p for key, value in tree.items() for p in _numeric_paths(value, (*path, key))]
    if isinstance(tree, list):
        return [
            p
            for item in tree
            if isinstance(item, dict) and "id" in item
            for p in _numeric_paths(item, (*path, item["id"]))
        ]
    if isinstance(tree, int | float) and not isinstance(tree, bool):
        return [path]
    return []


def _at(tree: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        tree = next(i for i in tree if i["id"] == key) if isinstance(tree, list) else tree[key]
    return tree


def _with_value(tree: Any, path: tuple[str, ...], new: float) -> Any:
    if not path:
        return new
    head, *rest = path
    if isinstance(tree, list):
        return [_with_value(i, tuple(rest), new) if i["id"] == head else i for i in tree]
    return {**tree, head: _with_value(tree[head], tuple(rest), new)}


def _scoring_label(scoring: dict[str, Any], path: tuple[str, ...]) -> str:
    """The path as an author finds it in pack.yaml, an indicator by its title:
    ``scoring.indicators[信息内容安全].points``."""
    parts, tree = ["scoring"], scoring
    for key in path:
        if isinstance(tree, list):
            tree = _at(tree, (key,))
            parts[-1] += f"[{tree['title']}]"
        else:
            tree = tree[key]
            parts.append(key)
    return ".".join(parts)


def _text(
    results: list[tuple[Pack, CaseResult]],
    coverage: dict[str, Any],
    survivors: dict[str, list[Change]],
) -> str:
    lines = []
    for pack, result in results:
        lines.append(f"{'通过' if result.passed else '失败'}  {pack.id}: {result.case.name}")
        if not result.passed:
            lines.append(f"      用例文件：{result.case.file}")
            lines += [f"      {p}" for p in result.explain()]
    for pack_id, cov in coverage.items():
        lines.append(f"规则覆盖率 {pack_id}: {cov.percent:.0f}%（{len(cov.rules)} 条本包规则）")
        if cov.never_fired:
            lines.append(f"      没有用例显示查出：{'、'.join(cov.never_fired)}")
        if cov.never_quiet:
            lines.append(f"      没有用例显示可判定而未查出：{'、'.join(cov.never_quiet)}")
        if pack_id in survivors:
            found = survivors[pack_id]
            lines.append(
                f"      阈值和分值改动 {len(found)} 处未被任何用例发现"
                if found
                else "      每处阈值和分值改动都有用例发现"
            )
            lines += [f"        {m}" for m in found]
    failed = sum(not r.passed for _, r in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def _json(
    results: list[tuple[Pack, CaseResult]],
    coverage: dict[str, Any],
    survivors: dict[str, list[Change]],
) -> str:
    return (
        json.dumps(
            {
                "cases": [
                    {
                        "pack": p.id,
                        "name": r.case.name,
                        "file": r.case.file,
                        "passed": r.passed,
                        "problems": r.explain(),
                    }
                    for p, r in results
                ],
                "coverage": {
                    k: {
                        "percent": v.percent,
                        "never_fired": v.never_fired,
                        "never_quiet": v.never_quiet,
                        **(
                            {"surviving_mutations": [str(m) for m in survivors[k]]}
                            if k in survivors
                            else {}
                        ),
                    }
                    for k, v in coverage.items()
                },
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def _junit(
    results: list[tuple[Pack, CaseResult]],
    coverage: dict[str, Any],
    survivors: dict[str, list[Change]],
) -> str:
    failed = sum(not r.passed for _, r in results)
    cases = []
    for pack, result in results:
        body = (
            "" if result.passed else f"<failure message={quoteattr('; '.join(result.explain()))}/>"
        )
        cases.append(
            f"  <testcase classname={quoteattr(pack.id)} name={quoteattr(result.case.name)}>"
            f"{body}</testcase>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuite name="govmedia-rules" tests="{len(results)}" '
        f'failures="{failed}">\n' + "\n".join(cases) + "\n</testsuite>\n"
    )


def example_findings(registry: Any) -> dict[str, Finding]:
    """One real finding per rule kind: the first a shipped case of an installed pack produces
    for a rule of that kind, so the kinds reference shows what an office will read."""
    examples: dict[str, Finding] = {}
    for pack_id in sorted(registry.packs):
        pack = load_pack(pack_id, registry)
        kinds = {rule.id: rule.kind for rule in pack.rules}
        for case in load_cases(pack):
            for finding in run_case(pack, case, registry).findings:
                examples.setdefault(kinds.get(finding.rule, ""), finding)
    examples.pop("", None)
    return examples
