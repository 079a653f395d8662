"""Turning findings into scores and verdicts, as each pack's scoring section says.

Waived findings deduct nothing and veto nothing. A veto rule (单项否决)
makes its subject 不合格 and gives the score the scheme sets for a veto
(0, 59, or none: 不再对其他指标进行评分); it counts for the account it was
found on and for that account's unit, and a unit-level veto for the unit.
Point values are the pack's: a pack that defines none gets a verdict and no
number, because a "100" nobody defined would read as an assessment result.

With points, the scheme is judged at its ``level``: each account (its own
findings), each unit (all findings of the unit and its accounts) or each
region (a 县区 government and every unit under it). Deductions are summed per
indicator and capped at the indicator's points; a score below the pass mark
is 不合格; a score above the bonus threshold adds the bonus indicators, each
capped, the whole capped by the bonus total. Other levels get verdicts: a unit
is 不合格 when a veto counts for it or one of its accounts scores 不合格.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property

from ..dataset.registry import Dataset
from ..labels import SUBJECT, label
from ..packs.consistency import VETO_TITLE
from ..packs.model import Pack, Scoring
from ..records import Subject
from .report import Finding, IndicatorScore, Report, Score


def score(
    pack: Pack, dataset: Dataset, findings: list[Finding], since: date, as_of: date
) -> list[Score]:
    """Results per unit, per account when the scheme judges accounts, per region when it scores
    regions.
    """
    scoring = pack.scoring
    if not scoring.has_points and not scoring.veto_rules:
        return []
    by_owner: dict[tuple[str, str | None], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.pack == pack.id and not finding.waived:
            by_owner[("unit", finding.unit)].append(finding)
            by_owner[("account", finding.account)].append(finding)
            by_owner[("region", region_of(dataset, finding.unit))].append(finding)
    judge = _Judge(scoring, pack.id, dataset, since, as_of)
    accounts: list[Score] = []
    if (
        scoring.pass_fail or scoring.level == "account"
    ):  # accounts outside the document's scope: no verdict
        covered = pack.applies_to.accepts_account
        accounts = [
            judge(
                "account", account_id, history.unit.level, by_owner.get(("account", account_id), [])
            )
            for account_id, history in dataset.accounts.items()
            if ("account", account_id) in by_owner or covered(history.account, history.unit)
        ]
    failing = {s.subject.id for s in accounts if s.verdict == "不合格"}
    units = [
        judge(
            "unit",
            unit_id,
            view.unit.level,
            by_owner.get(("unit", unit_id), []),
            failed=any(h.account.id in failing for h in view.accounts),
        )
        for unit_id, view in dataset.units.items()
        if view.accounts or ("unit", unit_id) in by_owner
    ]
    regions = []
    if scoring.level == "region":
        ids = sorted(r for r in {region_of(dataset, u) for u in dataset.units} if r is not None)
        regions = [
            judge("region", r, dataset.units[r].unit.level, by_owner.get(("region", r), []))
            for r in ids
        ]
    return units + accounts + regions


def region_of(dataset: Dataset, unit_id: str | None) -> str | None:
    """The 县区 (or city) a unit belongs to: its nearest county-level or higher government,
    itself included.

    A township government rolls up to its county. A unit with no government
    above it in the input is its own region, so nothing is left out of a roll-up.
    """
    seen = set()
    current = unit_id
    while current is not None and current in dataset.units and current not in seen:
        seen.add(current)
        unit = dataset.units[current].unit
        if unit.kind == "government" and unit.level != "township":
            return current
        current = unit.parent_id
    return unit_id


class _Judge:
    """One subject's result under one scheme: vetoes first, then deductions, pass mark and bonus."""

    def __init__(
        self, scoring: Scoring, pack: str, dataset: Dataset, since: date, as_of: date
    ) -> None:
        self.scoring, self.pack, self.dataset = scoring, pack, dataset
        self.since, self.as_of = since, as_of
        self.indicator_of = {rule: i for i in scoring.indicators for rule in i.rules}

    def __call__(
        self, type_: str, id_: str, level: str, findings: list[Finding], *, failed: bool = False
    ) -> Score:
        scoring = self.scoring
        vetoes = [f for f in findings if f.rule in scoring.veto_rules]
        vetoed = sorted({f.rule for f in vetoes})
        result = Score(
            pack=self.pack,
            subject=Subject(type=type_, id=id_),
            vetoed_by=vetoed,
            vetoes=len(vetoes),
        )
        if not (scoring.has_points and type_ == scoring.level):
            return result.model_copy(update={"verdict": "不合格" if vetoed or failed else "合格"})
        if vetoed:  # 不再对其他指标进行评分
            return result.model_copy(
                update={
                    "verdict": "不合格",
                    "base": scoring.base,
                    "score": scoring.score_after_veto(level),
                }
            )
        indicators = self._deductions(findings)
        cut = sum(i.deducted for i in indicators) + sum(
            scoring.deductions.get(f.severity, 0)
            for f in findings
            if f.rule not in self.indicator_of
        )
        value = max(0.0, scoring.base - cut)
        bonus = None
        if scoring.bonus and value > scoring.bonus.entry_above:
            earned = self._bonus(type_, id_)
            indicators += earned
            bonus = min(scoring.bonus.cap, sum(i.added for i in earned))
            value += bonus
        below = scoring.pass_mark is not None and value < scoring.pass_mark
        return result.model_copy(
            update={
                "base": scoring.base,
                "deducted": cut,
                "score": value,
                "bonus": bonus,
                "indicators": indicators,
                "verdict": "不合格" if below or failed else "合格",
            }
        )

    @cached_property
    def _members(self) -> dict[str | None, list[str]]:
        """The units of each region, itself included, found once for the whole scheme rather
        than by walking every unit's parents again for each region's bonus."""
        members: dict[str | None, list[str]] = defaultdict(list)
        for unit_id in self.dataset.units:
            members[region_of(self.dataset, unit_id)].append(unit_id)
        return members

    def _deductions(self, findings: list[Finding]) -> list[IndicatorScore]:
        counts: dict[str, int] = defaultdict(int)
        for finding in findings:
            if finding.rule in self.indicator_of:
                counts[self.indicator_of[finding.rule].id] += 1
        return [
            IndicatorScore(
                id=i.id,
                title=i.title,
                points=i.points,
                items=counts[i.id],
                deducted=min(i.points, i.per_item * counts[i.id]),
            )
            for i in self.scoring.indicators
            if counts[i.id]
        ]

    def _bonus(self, type_: str, id_: str) -> list[IndicatorScore]:
        """Bonus indicators earned by attestations of the subject dated in the period."""
        if type_ == "account":
            held = self.dataset.accounts[id_].attestations
        else:
            units = self._members[id_] if type_ == "region" else [id_]
            held = [a for u in units for a in self.dataset.units[u].attestations]
        items = [a.item for a in held if self.since <= a.on <= self.as_of]
        out = []
        for indicator in self.scoring.bonus.indicators if self.scoring.bonus else []:
            count = sum(item in indicator.items for item in items)
            if count:
                out.append(
                    IndicatorScore(
                        id=indicator.id,
                        title=indicator.title,
                        points=indicator.points,
                        items=count,
                        added=min(indicator.points, indicator.per_item * count),
                    )
                )
        return out


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
        extra = f"，加 {result.bonus:g} 分" if result.bonus else ""
        parts.append(f"得分 {result.score:g}（扣 {result.deducted or 0:g} 分{extra}）")
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
