"""Periodic monitoring bulletins (通报): one period evaluated, compared with the ones before.

A bulletin is what a monitoring office issues each month or quarter:
accounts checked, pass rate, the veto list, findings by unit and by rule,
each open finding's rectification state and 整改期限, overdue
rectifications, problems repeated from the previous period or recurring
after 销号, accounts close to a veto (预警), unit ranking and the roll-up from
县区 to 部门, and the trend over recent periods. It is built by evaluating
the same packs over each period in turn, so every number traces back to
findings in a report.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..dataset.registry import Dataset
from ..engine import Engine, pack_calendar, prepare
from ..findings.rectification import Tracked, Tracker
from ..findings.report import Finding, NotEvaluated, Report
from ..findings.scoring import is_veto, region_of, short_title, veto_rules
from ..intake.files import InputItem
from ..packs.model import RectificationPeriod
from ..periods import PeriodUnit, add_months, next_period_start, period_label


def parse_period(text: str) -> tuple[date, date, PeriodUnit]:
    """'2019Q3', '2019-07', '2019H2' or '2019' → (first day, last day, unit)."""
    if m := re.fullmatch(r"(\d{4})Q([1-4])", text):
        start, unit = date(int(m[1]), 3 * int(m[2]) - 2, 1), "quarter"
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"月份无效：{text}")
        start, unit = date(int(m[1]), int(m[2]), 1), "month"
    elif m := re.fullmatch(r"(\d{4})H([12])", text):
        start, unit = date(int(m[1]), 6 * int(m[2]) - 5, 1), "half_year"
    elif re.fullmatch(r"\d{4}", text):
        start, unit = date(int(text), 1, 1), "year"
    else:
        raise ValueError(f"无法识别的期间 {text!r}（应为 2019Q3、2019-07、2019H2 或 2019）")
    period: PeriodUnit = unit  # type: ignore[assignment]  # one of the five, by the match above
    return start, next_period_start(start, period) - timedelta(1), period


def previous_periods(start: date, unit: PeriodUnit, count: int) -> list[tuple[date, date]]:
    """The ``count`` periods before the one starting on ``start``, oldest first."""
    months = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[unit]
    out = []
    for back in range(count, 0, -1):
        first = add_months(start, -months * back)
        out.append((first, add_months(first, months) - timedelta(1)))
    return out


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    label: str
    count: int
    previous: int


class Veto(BaseModel):
    """A unit or an account vetoed (单项否决) in the period, with the rules that vetoed it."""

    model_config = ConfigDict(extra="forbid")

    type: str
    id: str
    name: str
    rules: list[str]
    titles: list[str]
    findings: int
    unit: str = Field(default="", description="The name of the account's unit (empty for a unit)")


class EarlyWarning(BaseModel):
    """预警: an account no veto covers at the period's end that one would within ``days`` days."""

    model_config = ConfigDict(extra="forbid")

    account: str
    name: str
    unit: str
    rule: str
    title: str
    message: str


class AccountScore(BaseModel):
    """One account's result under a scheme that gives points, named for the office."""

    model_config = ConfigDict(extra="forbid")

    account: str
    name: str
    unit: str
    score: float | None = Field(description="None: a veto the scheme does not score")
    deducted: float | None = None
    bonus: float | None = None
    verdict: str | None = None


class UnitRank(BaseModel):
    """One unit in the ranking: its accounts, vetoes, problems and, with points, its accounts' mean
    score.
    """

    model_config = ConfigDict(extra="forbid")

    rank: int
    id: str
    name: str
    region: str
    accounts: int
    failed: int
    vetoed: int
    problems: int
    score: float | None = Field(
        default=None, description="Mean score of the unit's scored accounts"
    )


class Region(BaseModel):
    """A 县区 (or the city's own units) summed from its units: the roll-up from 县区 to 部门."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    units: int
    accounts: int
    failed: int
    vetoed: int
    problems: int


class Bulletin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str
    since: date
    as_of: date
    issued_on: date = Field(
        description="The day the bulletin is issued: rectification states are judged on it"
    )
    packs: list[str]
    pack_titles: list[str] = []
    accounts_checked: int
    accounts_passed: int
    pass_rate: float
    vetoed: list[Veto]
    veto_rules: list[str] = Field(description="pack:rule of every rule that vetoes")
    by_unit: list[Row]
    by_rule: list[Row]
    due: list[Tracked] = Field(
        description="Every open finding: its rectification state and 整改期限"
    )
    rectification_period: str | None = Field(
        default=None, description="整改期限 from the issue date, if set"
    )
    overdue: list[Tracked] = Field(
        default=[], description="Rectifications past their deadline, not closed"
    )
    repeated: list[dict[str, Any]]
    recurred: list[Tracked] = Field(
        default=[], description="Problems back after a closed rectification"
    )
    early_warnings: list[EarlyWarning] = Field(
        default=[], description="Accounts within warn_days of a veto"
    )
    warn_days: int = 0
    ranking: list[UnitRank] = []
    regions: list[Region] = []
    scores: list[AccountScore] = Field(
        default=[], description="Account results where the first pack gives points"
    )
    trend: list[dict[str, Any]]
    findings: list[Finding]
    read: int = 0
    accepted: int = 0
    rejected: int
    not_evaluated: list[NotEvaluated] = Field(
        default=[], description="What the period's data could not judge"
    )
    input_problem: str | None = Field(
        default=None, description="Why the input judges nobody, if it does not"
    )
    warnings: list[str]

    def not_evaluated_counts(self) -> tuple[int, int]:
        """Rules that could not judge some subject, and the subjects counted (a subject may
        count under several rules)."""
        return len({(n.pack, n.rule) for n in self.not_evaluated}), sum(
            n.subjects for n in self.not_evaluated
        )

    def vetoed_count(self, type_: str) -> int:
        return sum(v.type == type_ for v in self.vetoed)

    def vetoes(self, finding: Finding) -> bool:
        """An open finding of a veto rule, for marking it in every format."""
        return not finding.waived and f"{finding.pack}:{finding.rule}" in self.veto_rules

    @property
    def problems(self) -> int:
        """Open findings of the period: the 发现问题 count every format prints."""
        return sum(r.count for r in self.by_rule)


#: Severities that fail an account where no pack judges 合格/不合格 (warnings and notes do not)
FAILING = ("error", "critical")


def build_bulletin(
    engine: Engine,
    items: list[InputItem],
    period: str,
    *,
    trend: int = 3,
    issued_on: date | None = None,
    rectification: RectificationPeriod | None = None,
    warn_days: int = 7,
) -> Bulletin:
    """Evaluate ``period`` and the ``trend`` periods before it; summarise as a bulletin.

    ``issued_on`` (default today) is the day rectification states are read
    and new deadlines counted from; ``rectification`` overrides the first
    pack's period; ``warn_days`` is how close to a veto an account is warned.
    """
    start, end, unit = parse_period(period)
    issued_on = issued_on or date.today()
    prepared = prepare(items)
    dataset = prepared.dataset
    history = [
        (period_label(s, unit), engine.evaluate_prepared(prepared, since=s, as_of=e))
        for s, e in previous_periods(start, unit, trend)
    ]
    current = engine.evaluate_prepared(prepared, since=start, as_of=end)
    previous = history[-1][1] if history else None
    open_now, open_before = current.open_findings, previous.open_findings if previous else []
    names = _Names(dataset)
    vetoing = veto_rules(current)
    failed_accounts, checked = _verdicts(engine, current, dataset, vetoing)
    before = {(f.rule, f.subject.type, f.subject.id) for f in open_before}
    titles = {f.rule: f.title for f in open_now + open_before}
    first = engine.packs[0]
    period_rule = rectification or first.scoring.rectification
    tracker = Tracker(
        dataset.rectifications, on=issued_on, period=period_rule, calendar=pack_calendar(first)
    )
    due = [tracker.track(f, names.of(f), names.unit(f.unit)) for f in open_now]
    known = {t.finding_id: t for t in due}
    for _, report in history:
        known.update(
            {
                f.id: tracker.track(f, names.of(f), names.unit(f.unit))
                for f in report.open_findings
                if f.id not in known
            }
        )
    units = {f.unit for f in open_now} | {f.unit for f in open_before}
    scored = [
        AccountScore(
            account=s.subject.id,
            name=names.account(s.subject.id),
            unit=names.unit(dataset.unit_of.get(("account", s.subject.id))),
            score=s.score,
            deducted=s.deducted,
            bonus=s.bonus,
            verdict=s.verdict,
        )
        for s in current.scores
        if s.subject.type == "account" and s.pack == first.id and first.scoring.has_points
    ]
    return Bulletin(
        period=period,
        since=start,
        as_of=end,
        issued_on=issued_on,
        packs=[p.id for p in engine.packs],
        pack_titles=[p.title for p in engine.packs],
        accounts_checked=checked,
        accounts_passed=checked - len(failed_accounts),
        pass_rate=round((checked - len(failed_accounts)) / checked, 4) if checked else 1.0,
        veto_rules=sorted(f"{pack}:{rule}" for pack, rule in vetoing),
        vetoed=_vetoed([f for f in open_now if is_veto(f, vetoing)], dataset, names),
        by_unit=_rows(
            Counter(f.unit or "" for f in open_now),
            Counter(f.unit or "" for f in open_before),
            {u: names.unit(u) for u in units if u is not None},
        ),
        by_rule=_rows(
            Counter(f.rule for f in open_now), Counter(f.rule for f in open_before), titles
        ),
        due=due,
        rectification_period=period_rule.describe() if period_rule else None,
        overdue=tracker.overdue(known),
        repeated=[
            {
                "rule": f.rule,
                "subject": f"{f.subject.type}:{f.subject.id}",
                "name": names.of(f),
                "message": f.message,
            }
            for f in open_now
            if (f.rule, f.subject.type, f.subject.id) in before
        ],
        recurred=[known[f.id] for f in tracker.recurred(open_now, start)],
        early_warnings=_early_warnings(engine, items, start, end, warn_days, current, names),
        warn_days=warn_days,
        ranking=_ranking(dataset, open_now, failed_accounts, current, scored, names),
        regions=_regions(dataset, open_now, failed_accounts, current, names),
        scores=scored,
        trend=[{"period": label, "findings": len(r.open_findings)} for label, r in history]
        + [{"period": period, "findings": len(open_now)}],
        findings=current.findings,
        read=current.input.read,
        accepted=current.input.accepted,
        rejected=current.input.rejected,
        not_evaluated=current.not_evaluated,
        input_problem=current.input_problem(),
        warnings=current.warnings,
    )


class _Names:
    """Names an office reads instead of ids: accounts, units, and the region a unit rolls up to."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def unit(self, unit_id: str | None) -> str:
        view = self.dataset.units.get(unit_id or "")
        return view.unit.name if view else (unit_id or "（未知单位）")

    def account(self, account_id: str) -> str:
        history = self.dataset.accounts.get(account_id)
        return history.account.name if history else account_id

    def of(self, finding: Finding) -> str:
        """The account a finding is about, else its unit."""
        return self.account(finding.account) if finding.account else self.unit(finding.unit)

    def region(self, unit_id: str | None) -> str:
        return self.unit(region_of(self.dataset, unit_id))


def _verdicts(
    engine: Engine, current: Report, dataset: Dataset, vetoing: set[tuple[str, str]]
) -> tuple[set[str], int]:
    """Accounts failed, and accounts checked, as the first pack judges them.

    The pass rate is over the accounts the bulletin's own scheme judges, so
    adding a pack to the run cannot raise it by adding accounts that pack
    covers and the scheme does not; an account fails if any pack fails it.
    """
    first = engine.packs[0].id
    verdicts = [s for s in current.scores if s.subject.type == "account" and s.verdict]
    judged = {s.subject.id for s in verdicts if s.pack == first}
    if judged:
        return {
            s.subject.id for s in verdicts if s.verdict == "不合格" and s.subject.id in judged
        }, len(judged)
    failed = {
        f.account
        for f in current.open_findings
        if f.account and (f.severity in FAILING or is_veto(f, vetoing))
    }
    return failed, len(dataset.accounts)


#: Where each record type keeps the date it happened on (records dated later are unknown at a
#: period's end)
_DATED = {
    "post": "published_at",
    "message": "received_at",
    "login": "at",
    "filing": "action_on",
    "announcement": "published_on",
    "incident": "on",
    "spot_check": "on",
    "attestation": "on",
    "report": "submitted_on",
    "rectification": "issued_on",
}


def _known_on(items: list[InputItem], day: date) -> list[InputItem]:
    """The input as it stood at the end of ``day``: nothing dated later."""
    out = []
    for item in items:
        when = getattr(item.record, _DATED.get(item.type or "", ""), None) if item.record else None
        if isinstance(when, datetime):
            when = when.date()
        if when is None or when <= day:
            out.append(item)
    return out


def _early_warnings(
    engine: Engine,
    items: list[InputItem],
    start: date,
    end: date,
    days: int,
    current: Report,
    names: _Names,
) -> list[EarlyWarning]:
    """Accounts a veto would cover ``days`` days after the period's end if nothing new is posted.

    The look-ahead evaluates the input as it stood at the period's end, so
    a veto it finds is one that silence alone would bring (2周内无更新).
    """
    if days <= 0:
        return []
    vetoing = veto_rules(current)
    vetoed = {f.account for f in current.open_findings if is_veto(f, vetoing)}
    ahead = engine.evaluate_prepared(
        prepare(_known_on(items, end)), since=start, as_of=end + timedelta(days)
    )
    out: dict[tuple[str, str], EarlyWarning] = {}
    for f in ahead.open_findings:
        if f.account and f.account not in vetoed and is_veto(f, vetoing):
            out.setdefault(
                (f.account, f.rule),
                EarlyWarning(
                    account=f.account,
                    name=names.account(f.account),
                    unit=names.unit(f.unit),
                    rule=f.rule,
                    title=short_title(f.title),
                    message=f.message,
                ),
            )
    return [out[k] for k in sorted(out)]


def _ranking(
    dataset: Dataset,
    open_now: list[Finding],
    failed: set[str],
    current: Report,
    scored: list[AccountScore],
    names: _Names,
) -> list[UnitRank]:
    """Units ranked: by their accounts' mean score where the scheme gives points, else by fewest
    problems.
    """
    problems = Counter(f.unit for f in open_now)
    vetoed = _vetoed_accounts(current)
    by_unit: dict[str, list[float]] = defaultdict(list)
    for s in scored:
        history = dataset.accounts.get(s.account)
        if history and s.score is not None:
            by_unit[history.unit.id].append(s.score)
    rows = []
    for unit_id, view in dataset.units.items():
        if not view.accounts and not problems[unit_id]:
            continue
        ids = [h.account.id for h in view.accounts]
        mean = round(sum(by_unit[unit_id]) / len(by_unit[unit_id]), 2) if by_unit[unit_id] else None
        rows.append(
            UnitRank(
                rank=0,
                id=unit_id,
                name=view.unit.name,
                region=names.region(unit_id),
                accounts=len(ids),
                failed=sum(i in failed for i in ids),
                vetoed=sum(i in vetoed for i in ids),
                problems=problems[unit_id],
                score=mean,
            )
        )
    rows.sort(key=lambda r: (-(r.score if r.score is not None else -1), r.vetoed, r.problems, r.id))
    return [r.model_copy(update={"rank": i}) for i, r in enumerate(rows, 1)]


def _regions(
    dataset: Dataset, open_now: list[Finding], failed: set[str], current: Report, names: _Names
) -> list[Region]:
    """Every unit summed into its 县区 (its nearest government unit): the roll-up from 县区 to
    部门."""
    vetoed = _vetoed_accounts(current)
    problems = Counter(region_of(dataset, f.unit) for f in open_now)
    members: dict[str, list[str]] = defaultdict(list)
    for unit_id in dataset.units:
        members[region_of(dataset, unit_id) or unit_id].append(unit_id)
    out = []
    for region, unit_ids in members.items():
        ids = [h.account.id for u in unit_ids for h in dataset.units[u].accounts]
        if ids or problems[region]:
            out.append(
                Region(
                    id=region,
                    name=names.unit(region),
                    units=len(unit_ids),
                    accounts=len(ids),
                    failed=sum(i in failed for i in ids),
                    vetoed=sum(i in vetoed for i in ids),
                    problems=problems[region],
                )
            )
    return sorted(out, key=lambda r: (-r.problems, r.id))


def _vetoed_accounts(current: Report) -> set[str]:
    vetoing = veto_rules(current)
    return {f.account for f in current.open_findings if f.account and is_veto(f, vetoing)}


def _vetoed(vetoes: list[Finding], dataset: Dataset, names: _Names) -> list[Veto]:
    """Vetoed accounts and units, as scoring counts them: an account's veto also vetoes its unit."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in vetoes:
        if finding.account:
            groups[("account", finding.account)].append(finding)
        if finding.unit:
            groups[("unit", finding.unit)].append(finding)
    out = []
    for (type_, id_), found in sorted(groups.items()):
        history = dataset.accounts.get(id_) if type_ == "account" else None
        name = names.account(id_) if type_ == "account" else names.unit(id_)
        rules = sorted({f.rule for f in found})
        titles = [short_title(next(f.title for f in found if f.rule == r)) for r in rules]
        out.append(
            Veto(
                type=type_,
                id=id_,
                name=name,
                rules=rules,
                titles=titles,
                findings=len(found),
                unit=history.unit.name if history else "",
            )
        )
    return out


def _rows(now: Counter[str], before: Counter[str], labels: dict[str, str]) -> list[Row]:
    keys = sorted(set(now) | set(before), key=lambda k: (-now[k], k))
    return [Row(key=k, label=labels.get(k, k), count=now[k], previous=before[k]) for k in keys]


__all__ = [
    "AccountScore",
    "Bulletin",
    "Region",
    "UnitRank",
    "EarlyWarning",
    "Veto",
    "build_bulletin",
    "parse_period",
    "previous_periods",
]
