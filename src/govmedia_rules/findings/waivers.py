"""Applying approved exceptions (原则上 / 个别确需保留的) to findings.

A waiver covers findings of one rule for one subject. It applies only when
approved (approver and approval date given, not after as_of) and not
expired on as_of; a waived finding stays in the report, marked. A waiver
that matches a finding but cannot apply is reported as a warning.
"""

from __future__ import annotations

from datetime import date

from ..records import Waiver
from .report import Finding, WaiverRef


def waiver_problem(waiver: Waiver, as_of: date) -> str | None:
    """Why a waiver cannot apply on ``as_of``, or None when it can."""
    if not waiver.approver or waiver.approved_on is None:
        return "未经批准（缺少批准人或批准日期）"
    if waiver.approved_on > as_of:
        return f"批准日期{waiver.approved_on}晚于评估日期"
    if waiver.expires_on is not None and waiver.expires_on < as_of:
        return f"已于{waiver.expires_on}到期"
    return None


def apply_waivers(
    findings: list[Finding], waivers: list[Waiver], as_of: date
) -> tuple[list[Finding], list[str]]:
    """Findings with matching valid waivers attached, and warnings about unusable ones."""
    by_key: dict[tuple[str, str, str], list[Waiver]] = {}
    for waiver in waivers:
        by_key.setdefault((waiver.rule, waiver.subject.type, waiver.subject.id), []).append(waiver)
    out, warnings, warned = [], [], set()
    for finding in findings:
        candidates = by_key.get(
            (finding.rule, finding.subject.type, finding.subject.id), []
        ) + by_key.get(
            (f"{finding.pack}:{finding.rule}", finding.subject.type, finding.subject.id), []
        )
        usable = None
        for waiver in sorted(candidates, key=lambda w: w.id):
            problem = waiver_problem(waiver, as_of)
            if problem is None:
                usable = usable or waiver
            elif waiver.id not in warned:
                warned.add(waiver.id)
                warnings.append(
                    f"豁免 {waiver.id}（规则 {waiver.rule}，"
                    f"{waiver.subject.type} {waiver.subject.id}）{problem}，未予适用"
                )
        if usable is not None:
            ref = WaiverRef(
                id=usable.id,
                approver=usable.approver or "",
                approved_on=usable.approved_on,
                expires_on=usable.expires_on,
                justification=usable.justification,
            )
            finding = finding.model_copy(update={"waiver": ref})
        out.append(finding)
    return out, warnings
