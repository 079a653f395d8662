"""Turning findings into scores and verdicts, as each pack's scoring section says.

Waived findings deduct nothing. A veto rule zeroes a unit's score (单项否决)
and, with ``pass_fail``, makes an account 不合格. Point values are the
pack's: when a document gives none, the pack names them local configuration
(``deductions_source``) and the engine never invents them.
"""

from __future__ import annotations

from collections import defaultdict

from .dataset import Dataset
from .packs.model import Pack
from .records import Subject
from .report import Finding, Score


def score(pack: Pack, dataset: Dataset, findings: list[Finding]) -> list[Score]:
    """Unit scores, and account verdicts when the pack judges pass/fail; [] without scoring."""
    if "scoring" not in pack.model_fields_set and not pack.scoring.deductions and not pack.scoring.veto_rules:
        return []
    scoring = pack.scoring
    by_unit: dict[str | None, list[Finding]] = defaultdict(list)
    by_account: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.pack == pack.id and not finding.waived:
            by_unit[finding.unit].append(finding)
            by_account[finding.account].append(finding)
    scores = [_score(scoring.base, scoring.deductions, scoring.veto_rules, pack.id, Subject(type="unit", id=unit_id),
                     by_unit.get(unit_id, []))
              for unit_id, view in dataset.units.items() if view.accounts]
    if scoring.pass_fail:
        for account_id in dataset.accounts:
            result = _score(scoring.base, scoring.deductions, scoring.veto_rules, pack.id,
                            Subject(type="account", id=account_id), by_account.get(account_id, []))
            scores.append(result.model_copy(update={"verdict": "不合格" if result.vetoed_by else "合格"}))
    return scores


def _score(base: float, deductions: dict[str, float], vetoes: list[str], pack: str, subject: Subject,
           findings: list[Finding]) -> Score:
    cut = sum(deductions.get(f.severity, 0) for f in findings)
    vetoed = sorted({f.rule for f in findings if f.rule in vetoes})
    return Score(pack=pack, subject=subject, base=base, deducted=cut, vetoed_by=vetoed,
                 score=0.0 if vetoed else max(0.0, base - cut))
