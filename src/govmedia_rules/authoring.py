"""What a policy author runs: pack cases with rule coverage, and clause coverage of the document."""

from __future__ import annotations

import json
import sys
from typing import Any
from xml.sax.saxutils import quoteattr

from .packs.cases import CaseResult, load_cases, rule_coverage, run_case
from .packs.loader import load_pack
from .packs.model import Pack


def run_pack_tests(refs: list[str], registry: Any, *, fmt: str = "text", min_coverage: float = 0.0) -> int:
    """Run every case of the packs; print results and rule coverage; 1 on a failure or low coverage."""
    results: list[tuple[Pack, CaseResult]] = []
    coverage = {}
    for ref in refs:
        pack = load_pack(ref, registry)
        cases = load_cases(pack)
        results += [(pack, run_case(pack, case, registry)) for case in cases]
        coverage[pack.id] = rule_coverage(pack, cases)
    failed = sum(not r.passed for _, r in results)
    low = [p for p, c in coverage.items() if c.percent < min_coverage]
    out = {"text": _text, "json": _json, "junit": _junit}[fmt](results, coverage)
    sys.stdout.write(out)
    for pack_id in low:
        print(f"规则包 {pack_id} 的规则覆盖率 {coverage[pack_id].percent:.0f}% 低于要求的 {min_coverage:.0f}%", file=sys.stderr)
    return 1 if failed or low else 0


def _text(results: list[tuple[Pack, CaseResult]], coverage: dict[str, Any]) -> str:
    lines = []
    for pack, result in results:
        lines.append(f"{'通过' if result.passed else '失败'}  {pack.id}: {result.case.name}")
        if not result.passed:
            lines.append(f"      用例文件：{result.case.file}")
            lines += [f"      {p}" for p in result.problems()]
    for pack_id, cov in coverage.items():
        lines.append(f"规则覆盖率 {pack_id}: {cov.percent:.0f}%（{len(cov.rules)} 条本包规则）")
        if cov.never_fired:
            lines.append(f"      没有用例显示查出：{'、'.join(cov.never_fired)}")
        if cov.never_quiet:
            lines.append(f"      没有用例显示不查出：{'、'.join(cov.never_quiet)}")
    failed = sum(not r.passed for _, r in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def _json(results: list[tuple[Pack, CaseResult]], coverage: dict[str, Any]) -> str:
    return json.dumps({
        "cases": [{"pack": p.id, "name": r.case.name, "file": r.case.file, "passed": r.passed, "problems": r.problems()}
                  for p, r in results],
        "coverage": {k: {"percent": v.percent, "never_fired": v.never_fired, "never_quiet": v.never_quiet}
                     for k, v in coverage.items()},
    }, ensure_ascii=False, indent=2) + "\n"


def _junit(results: list[tuple[Pack, CaseResult]], coverage: dict[str, Any]) -> str:
    failed = sum(not r.passed for _, r in results)
    cases = []
    for pack, result in results:
        body = "" if result.passed else f"<failure message={quoteattr('; '.join(result.problems()))}/>"
        cases.append(f"  <testcase classname={quoteattr(pack.id)} name={quoteattr(result.case.name)}>{body}</testcase>")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<testsuite name="govmedia-rules" tests="{len(results)}" '
            f'failures="{failed}">\n' + "\n".join(cases) + "\n</testsuite>\n")


def clause_coverage(pack: Pack) -> str:
    """Every requirement sentence with the rules that check it or why it cannot be checked, and a summary."""
    lines = [f"规则包 {pack.id}：{pack.title}", ""]
    for item in pack.coverage:
        status = "、".join(item.rules) if item.rules else f"不可检查：{item.not_checkable}"
        lines += [f"[{item.article}] {item.quote}", f"    → {status}"]
    checked = sum(bool(i.rules) for i in pack.coverage)
    total = len(pack.coverage)
    lines += ["", f"共 {total} 条要求，其中 {checked} 条由规则检查（{100 * checked / total if total else 100:.0f}%），"
                  f"{total - checked} 条标明不可检查的原因。"]
    return "\n".join(lines) + "\n"
