"""What a policy author runs: pack cases with rule coverage, and clause coverage of the document."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from pydantic import ValidationError

from ..findings.report import Finding
from ..plugins import default_registry
from .cases import Case, CaseResult, load_cases, rule_coverage, run_case
from .loader import load_pack
from .model import Pack


def run_pack_tests(
    refs: list[str],
    registry: Any,
    *,
    fmt: str = "text",
    min_coverage: float = 0.0,
    mutate: bool = False,
) -> int:
    """Run every case of the packs; print results and rule coverage; 1 on a failure or low coverage.

    With ``mutate``, each threshold of each of the pack's own rules is moved
    by one and the cases are run again: a change no case notices is a rule
    the cases do not pin down, reported with the coverage.
    """
    results: list[tuple[Pack, CaseResult]] = []
    coverage = {}
    survivors: dict[str, list[Mutation]] = {}
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
    out = []
    for index, rule in enumerate(pack.rules):
        if own_only and rule.origin is not None and rule.origin.pack != pack.id:
            continue
        for path in _numeric_paths(rule.params):
            old = _value(rule.params, path)
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


def surviving_mutations(pack: Pack, cases: list[Case], registry: Any) -> list[Mutation]:
    """The threshold mutations under which every case still passes."""
    return [
        m
        for m in threshold_mutations(pack, registry)
        if all(run_case(m.pack, c, registry).passed for c in cases)
    ]


def _numeric_paths(params: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(params, dict):
        return [p for key, value in params.items() for p in _numeric_paths(value, (*path, key))]
    if (
        isinstance(params, int)
        and not isinstance(params, bool)
        and path
        and path[-1] in _THRESHOLDS
    ):
        return [path]
    return []


def _value(params: Any, path: tuple[str, ...]) -> int:
    for key in path:
        params = params[key]
    return int(params)


def _with_value(params: dict[str, Any], path: tuple[str, ...], new: int) -> dict[str, Any]:
    head, *rest = path
    return {**params, head: _with_value(params[head], tuple(rest), new) if rest else new}


def _text(
    results: list[tuple[Pack, CaseResult]],
    coverage: dict[str, Any],
    survivors: dict[str, list[Mutation]],
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
                f"      阈值改动 {len(found)} 处未被任何用例发现"
                if found
                else "      每处阈值改动都有用例发现"
            )
            lines += [f"        {m}" for m in found]
    failed = sum(not r.passed for _, r in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def _json(
    results: list[tuple[Pack, CaseResult]],
    coverage: dict[str, Any],
    survivors: dict[str, list[Mutation]],
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
    survivors: dict[str, list[Mutation]],
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
