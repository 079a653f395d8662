"""Turning findings into scores and verdicts, as each pack's scoring section says.

Waived findings deduct nothing and veto nothing. A veto rule (单项否决)
makes its subject 不合格 and zeroes a unit's score; it counts for the account
it was found on and for that account's unit, and a unit-level veto for the
unit. Point values are the pack's: a pack that defines none gets a verdict
and no number, because a "100" nobody defined would read as an assessment
result. Other findings, whatever their severity, never make anything
不合格: only the pack's veto list does.
"""

from __future__ import annotations

from collections import defaultdict

from .dataset import Dataset
from .labels import SUBJECT, label
from .packs.model import VETO_TITLE, Pack, Scoring
from .records import Subject
from .report import Finding, Report, Score


def score(pack: Pack, dataset: Dataset, findings: list[Finding]) -> list[Score]:
    """Unit results, and account results when the pack judges pass/fail; [] if it scores nothing."""
    scoring = pack.scoring
    if not scoring.has_points and not scoring.veto_rules:
        return []
    by_unit: dict[str | None, list[Finding]] = defaultdict(list)
    by_account: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.pack == pack.id and not finding.waived:
            by_unit[finding.unit].append(finding)
            by_account[finding.account].append(finding)
    verdicts = scoring.pass_fail or not scoring.has_points
    scores = [_score(scoring, pack.id, Subject(type="unit", id=unit_id), by_unit.get(unit_id, []),
                     verdicts)
              for unit_id, view in dataset.units.items() if view.accounts or unit_id in by_unit]
    if scoring.pass_fail:  # accounts the pack's document does not call 政务新媒体 get no verdict
        covered = pack.applies_to.accepts_account
        scores += [_score(scoring, pack.id, Subject(type="account", id=account_id),
                          by_account.get(account_id, []), True)
                   for account_id, history in dataset.accounts.items()
                   if account_id in by_account or covered(history.account, history.unit)]
    return scores


def _score(scoring: Scoring, pack: str, subject: Subject, findings: list[Finding],
           verdict: bool) -> Score:
    vetoes = [f for f in findings if f.rule in scoring.veto_rules]
    vetoed = sorted({f.rule for f in vetoes})
    result = Score(pack=pack, subject=subject, vetoed_by=vetoed, vetoes=len(vetoes),
                   verdict=("不合格" if vetoed else "合格") if verdict else None)
    if not scoring.has_points:
        return result
    cut = sum(scoring.deductions.get(f.severity, 0) for f in findings)
    return result.model_copy(update={"base": scoring.base, "deducted": cut,
                                     "score": 0.0 if vetoed else max(0.0, scoring.base - cut)})


def veto_rules(report: Report) -> set[tuple[str, str]]:
    """(pack, rule) of every rule that vetoes in the report's packs."""
    return {(p.id, r.id) for p in report.packs for r in p.rules if r.veto}


def is_veto(finding: Finding, vetoes: set[tuple[str, str]]) -> bool:
    """An open finding of a veto rule: it decides a verdict."""
    return not finding.waived and (finding.pack, finding.rule) in vetoes


def describe(result: Score, titles: dict[tuple[str, str], str]) -> str:
    """One result as an office reads it: a score only where the pack defines points, the verdict.

    ``titles`` names each veto rule by its title, since rule ids mean nothing to an office.
    """
    parts = []
    if result.score is not None:
        parts.append(f"得分 {result.score:g}（扣 {result.deducted or 0:g} 分）")
    if result.verdict:
        parts.append(result.verdict)
    if result.vetoed_by:
        names = "、".join(short_title(titles.get((result.pack, r), r)) for r in result.vetoed_by)
        parts.append(f"{VETO_TITLE} {result.vetoes} 项：{names}")
    return f"{label(SUBJECT, result.subject.type)} {result.subject.id}：{'，'.join(parts)}"


def short_title(title: str) -> str:
    """A veto rule's title without its 单项否决 prefix, for lines that already say 单项否决."""
    return title.removeprefix(VETO_TITLE + "：")


def describe_all(report: Report) -> list[str]:
    """Every result of the report, one line each, prefixed by its pack."""
    titles = {(f.pack, f.rule): f.title for f in report.findings}
    return [f"{s.pack} {describe(s, titles)}" for s in report.scores]
