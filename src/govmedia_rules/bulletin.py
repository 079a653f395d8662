"""Periodic monitoring bulletins (通报): one period evaluated, compared with the ones before.

A bulletin is what a monitoring office publishes each month or quarter:
accounts checked, pass rate, the veto list, findings by unit and by rule,
rectification deadlines, problems repeated from the previous period, and the
trend over recent periods. It is built by evaluating the same packs over each
period in turn, so every number traces back to findings in a report.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .dataset import Dataset
from .engine import Engine, prepare
from .inputs import InputItem
from .periods import PeriodUnit, add_months, next_period_start, period_label
from .report import Finding, NotEvaluated
from .scoring import is_veto, short_title, veto_rules


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
    return start, next_period_start(start, unit) - timedelta(1), unit  # type: ignore[arg-type]


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


class Bulletin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str
    since: date
    as_of: date
    packs: list[str]
    accounts_checked: int
    accounts_passed: int
    pass_rate: float
    vetoed: list[Veto]
    veto_rules: list[str] = Field(description="pack:rule of every rule that vetoes")
    by_unit: list[Row]
    by_rule: list[Row]
    due: list[dict[str, Any]]
    repeated: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    findings: list[Finding]
    read: int = 0
    accepted: int = 0
    rejected: int
    not_evaluated: list[NotEvaluated] = Field(default=[], description="What the period's data could not judge")
    input_problem: str | None = Field(default=None, description="Why the input judges nobody, if it does not")
    warnings: list[str]

    def not_evaluated_counts(self) -> tuple[int, int]:
        """Rules that could not judge some subject, and the subjects counted (a subject may count under
        several rules)."""
        return len({(n.pack, n.rule) for n in self.not_evaluated}), sum(n.subjects for n in self.not_evaluated)

    def vetoed_count(self, type_: str) -> int:
        return sum(v.type == type_ for v in self.vetoed)

    def vetoes(self, finding: Finding) -> bool:
        """An open finding of a veto rule, for marking it in every format."""
        return not finding.waived and f"{finding.pack}:{finding.rule}" in self.veto_rules


#: Severities that fail an account where no pack judges 合格/不合格 (warnings and notes do not)
FAILING = ("error", "critical")


def build_bulletin(engine: Engine, items: list[InputItem], period: str, *, trend: int = 3) -> Bulletin:
    """Evaluate ``period`` and the ``trend`` periods before it; summarise as a bulletin."""
    start, end, unit = parse_period(period)
    prepared = prepare(items)
    history = [(period_label(s, unit), engine.evaluate_prepared(prepared, since=s, as_of=e))
               for s, e in previous_periods(start, unit, trend)]
    current = engine.evaluate_prepared(prepared, since=start, as_of=end)
    previous = history[-1][1] if history else None
    open_now, open_before = current.open_findings, previous.open_findings if previous else []
    units = {f.unit for f in open_now} | {f.unit for f in open_before}
    names = {unit_id: view.unit.name for unit_id, view in prepared.dataset.units.items()}
    verdicts = [s for s in current.scores if s.subject.type == "account" and s.verdict]
    vetoing = veto_rules(current)
    if verdicts:
        checked = len({s.subject.id for s in verdicts})
        failed = {s.subject.id for s in verdicts if s.verdict == "不合格"}
    else:
        checked = len(prepared.dataset.accounts)
        failed = {f.account for f in open_now
                  if f.account and (f.severity in FAILING or is_veto(f, vetoing))}
    before = {(f.rule, f.subject.type, f.subject.id) for f in open_before}
    titles = {f.rule: f.title for f in open_now + open_before}
    return Bulletin(
        period=period, since=start, as_of=end, packs=[p.id for p in engine.packs],
        accounts_checked=checked, accounts_passed=checked - len(failed),
        pass_rate=round((checked - len(failed)) / checked, 4) if checked else 1.0,
        veto_rules=sorted(f"{pack}:{rule}" for pack, rule in vetoing),
        vetoed=_vetoed([f for f in open_now if is_veto(f, vetoing)], prepared.dataset),
        by_unit=_rows(Counter(f.unit or "" for f in open_now), Counter(f.unit or "" for f in open_before),
                      {u: names.get(u or "", u or "（未知单位）") for u in units}),
        by_rule=_rows(Counter(f.rule for f in open_now), Counter(f.rule for f in open_before), titles),
        due=[{"rule": f.rule, "subject": f"{f.subject.type}:{f.subject.id}", "due": f.due, "message": f.message}
             for f in open_now if f.due],
        repeated=[{"rule": f.rule, "subject": f"{f.subject.type}:{f.subject.id}", "message": f.message}
                  for f in open_now if (f.rule, f.subject.type, f.subject.id) in before],
        trend=[{"period": label, "findings": len(r.open_findings)} for label, r in history]
        + [{"period": period, "findings": len(open_now)}],
        findings=current.findings, read=current.input.read, accepted=current.input.accepted,
        rejected=current.input.rejected, not_evaluated=current.not_evaluated,
        input_problem=current.input_problem(), warnings=current.warnings,
    )


def _vetoed(vetoes: list[Finding], dataset: Dataset) -> list[Veto]:
    """Vetoed accounts and units, as scoring counts them: an account's veto also vetoes its unit."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in vetoes:
        if finding.account:
            groups[("account", finding.account)].append(finding)
        if finding.unit:
            groups[("unit", finding.unit)].append(finding)
    out = []
    for (type_, id_), found in sorted(groups.items()):
        view = dataset.accounts.get(id_) if type_ == "account" else dataset.units.get(id_)
        name = (view.account.name if type_ == "account" else view.unit.name) if view else id_
        rules = sorted({f.rule for f in found})
        titles = [short_title(next(f.title for f in found if f.rule == r)) for r in rules]
        out.append(Veto(type=type_, id=id_, name=name, rules=rules, titles=titles,
                        findings=len(found)))
    return out


def _rows(now: Counter[str], before: Counter[str], labels: dict[str, str]) -> list[Row]:
    keys = sorted(set(now) | set(before), key=lambda k: (-now[k], k))
    return [Row(key=k, label=labels.get(k, k), count=now[k], previous=before[k]) for k in keys]


__all__ = ["Bulletin", "Veto", "build_bulletin", "parse_period", "previous_periods"]
