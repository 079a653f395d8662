"""Periodic monitoring bulletins (通报): one period evaluated, compared with the ones before.

A bulletin is what a monitoring office issues each month or quarter:
accounts checked, pass rate, the veto list, findings by unit and by rule,
each open finding's rectification state and 整改期限, overdue
rectifications, problems repeated from the previous period or recurring
after 销号, accounts close to a veto (预警), unit ranking and the roll-up from
县区 to 部门, and the trend over recent periods. It is built by evaluating
the same packs over each period in turn, so every number traces back to
findings in a report.

The model is :mod:`.bulletin_model`; the veto list, ranking and roll-up are
:mod:`.bulletin_ranking`, the 预警 look-ahead :mod:`.bulletin_warnings`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ..dataset.registry import Dataset
from ..engine import Engine, pack_calendar, prepare
from ..findings.rectification import Tracker
from ..findings.report import Report
from ..findings.scoring import is_veto, veto_rules
from ..intake.files import InputItem
from ..packs.model import RectificationPeriod
from ..periods import period_label
from .bulletin_model import AccountScore, Bulletin, Row
from .bulletin_names import Names
from .bulletin_periods import parse_period, previous_periods
from .bulletin_ranking import region_rollup, unit_ranking, veto_list
from .bulletin_warnings import early_warnings

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
    names = Names(dataset)
    vetoing = veto_rules(current)
    vetoed_accounts = {f.account for f in open_now if f.account and is_veto(f, vetoing)}
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
        vetoed=veto_list([f for f in open_now if is_veto(f, vetoing)], dataset, names),
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
        early_warnings=early_warnings(
            engine, items, start, end, warn_days, vetoing, vetoed_accounts, names
        ),
        warn_days=warn_days,
        ranking=unit_ranking(dataset, open_now, failed_accounts, vetoed_accounts, scored, names),
        regions=region_rollup(dataset, open_now, failed_accounts, vetoed_accounts, names),
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


def _rows(now: Counter[str], before: Counter[str], labels: dict[str, str]) -> list[Row]:
    keys = sorted(set(now) | set(before), key=lambda k: (-now[k], k))
    return [Row(key=k, label=labels.get(k, k), count=now[k], previous=before[k]) for k in keys]


__all__ = ["build_bulletin"]
