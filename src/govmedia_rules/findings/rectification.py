"""Rectification (整改) tracked across periods: 下发 → 反馈 → 复核 → 销号.

An office issues findings for rectification and records each step as a
``rectification`` record naming the finding's stable id. A bulletin then
shows, for every open finding, where its rectification stands and by when it
is due; lists rectifications past their deadline and not closed; and lists
problems that came back after a rectification of the same rule on the same
account or unit was closed (多次出现). States are judged on the day the
bulletin is issued, the day the office reads them.

整改期限 is always a future date: the day a finding is issued plus the pack's
or the office's rectification period, never the deadline the finding missed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..calendar import WorkCalendar
from ..packs.model import RectificationPeriod
from ..records import Rectification
from .identity import owner_key, owner_of
from .report import Finding

State = Literal["未下发", "已下发", "已反馈", "已复核", "已销号"]


class Tracked(BaseModel):
    """One finding's rectification as a bulletin shows it."""

    model_config = ConfigDict(extra="forbid")

    finding_id: str
    rule: str
    title: str
    subject: str
    name: str
    unit: str
    state: State
    issued_on: date | None = None
    due_on: date | None = None
    overdue_days: int = 0


def state_of(record: Rectification | None, on: date) -> State:
    """The furthest step a rectification had reached on ``on`` (later dates have not happened
    yet).
    """
    if record is None or record.issued_on > on:
        return "未下发"
    for name, state in (
        ("closed_on", "已销号"),
        ("reviewed_on", "已复核"),
        ("feedback_on", "已反馈"),
    ):
        when = getattr(record, name)
        if when is not None and when <= on:
            return state  # type: ignore[return-value]
    return "已下发"


def deadline(
    issued: date, period: RectificationPeriod | None, calendar: WorkCalendar
) -> date | None:
    """整改期限: ``issued`` plus the period (working days on the pack's calendar), None without
    one."""
    if period is None:
        return None
    if period.working_days:
        return calendar.add_working_days(issued, period.days)
    return issued + timedelta(period.days)


class Tracker:
    """Rectification records matched to findings, judged on the bulletin's issue date."""

    def __init__(
        self,
        records: list[Rectification],
        *,
        on: date,
        period: RectificationPeriod | None,
        calendar: WorkCalendar,
    ) -> None:
        self.on, self.period, self.calendar = on, period, calendar
        self.latest: dict[str, Rectification] = {}
        for record in sorted(records, key=lambda r: (r.issued_on, r.id)):
            self.latest[record.finding_id] = (
                record  # the latest issue of a finding is the one in force
            )

    @cached_property
    def _issued_now(self) -> date | None:
        """整改期限 of a finding this bulletin issues: one date for them all, counted once."""
        return deadline(self.on, self.period, self.calendar)

    def due_on(self, record: Rectification) -> date | None:
        return record.due_on or deadline(record.issued_on, self.period, self.calendar)

    def track(self, finding: Finding, name: str, unit: str) -> Tracked:
        """Where one open finding's rectification stands; a finding not yet issued is issued by
        this bulletin.
        """
        record = self.latest.get(finding.id)
        state = state_of(record, self.on)
        if record and state != "未下发":
            issued, due = record.issued_on, self.due_on(record)
        else:
            issued, due = self.on, self._issued_now
        late = (self.on - due).days if due and state != "已销号" and due < self.on else 0
        return Tracked(
            finding_id=finding.id,
            rule=finding.rule,
            title=finding.title,
            subject=f"{finding.subject.type}:{finding.subject.id}",
            name=name,
            unit=unit,
            state=state,
            issued_on=issued,
            due_on=due,
            overdue_days=late,
        )

    def overdue(self, known: dict[str, Tracked]) -> list[Tracked]:
        """Every rectification issued, not closed and past its deadline on the issue date,
        oldest first.

        ``known`` names the findings of this bulletin's periods; a finding older
        than them is shown by its id alone.
        """
        out = []
        for finding_id, record in self.latest.items():
            state = state_of(record, self.on)
            due = self.due_on(record)
            if state in ("未下发", "已销号") or due is None or due >= self.on:
                continue
            base = known.get(finding_id)
            row = (
                base.model_copy(
                    update={"state": state, "issued_on": record.issued_on, "due_on": due}
                )
                if base
                else Tracked(
                    finding_id=finding_id,
                    rule="",
                    title="（往期问题）",
                    subject="",
                    name="",
                    unit="",
                    state=state,
                    issued_on=record.issued_on,
                    due_on=due,
                )
            )
            out.append(row.model_copy(update={"overdue_days": (self.on - due).days}))
        return sorted(out, key=lambda t: (t.due_on, t.finding_id))

    def recurred(self, findings: list[Finding], since: date) -> list[Finding]:
        """Open findings whose rule and account (or unit) had a rectification closed before
        ``since``.
        """
        closed = {
            owner_of(finding_id)
            for finding_id, record in self.latest.items()
            if record.closed_on is not None and record.closed_on < since
        }
        return [f for f in findings if owner_key(f) in closed]


__all__ = ["Tracked", "Tracker", "deadline", "state_of"]
