"""Accepted records indexed for evaluation: grouped by account and unit, sorted once.

Rules never scan the whole input: each gets an account's or a unit's own
history, already sorted by time, so evaluation is linear in the input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from ..records import (
    Account,
    Announcement,
    Attestation,
    Filing,
    Incident,
    Login,
    Message,
    Post,
    Rectification,
    Report,
    SpotCheck,
    Unit,
    Waiver,
)
from .evidence import PROCESS_DATES, Evidence

if TYPE_CHECKING:
    from .columns import ColumnarEvents


@dataclass
class AccountHistory:
    """One account, its unit, and every event recorded for it, time-ordered."""

    account: Account
    unit: Unit
    posts: list[Post] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)
    filings: list[Filing] = field(default_factory=list)
    announcements: list[Announcement] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    spot_checks: list[SpotCheck] = field(default_factory=list)
    attestations: list[Attestation] = field(default_factory=list)

    def active_range(self, since: date, as_of: date) -> tuple[date, date] | None:
        """Days in [since, as_of] on which the account existed, or None."""
        first = max(since, self.account.opened_on) if self.account.opened_on else since
        last = as_of
        if self.account.closed_on:
            last = min(last, date.fromordinal(self.account.closed_on.toordinal() - 1))
        elif self.account.status == "closed":
            return None
        return (first, last) if first <= last else None


@dataclass
class UnitView:
    """One unit, its accounts, and its unit-level records."""

    unit: Unit
    accounts: list[AccountHistory] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    attestations: list[Attestation] = field(default_factory=list)


#: each account event type: the :class:`AccountHistory` list it joins, and the field that places
#: it in time. Stated once: the columnar side (:mod:`.columns`) takes its lists, time fields and
#: order from here.
ACCOUNT_EVENTS: dict[str, tuple[str, str]] = {
    "post": ("posts", "published_at"),
    "message": ("messages", "received_at"),
    "login": ("logins", "at"),
    "filing": ("filings", "action_on"),
    "announcement": ("announcements", "published_on"),
    "incident": ("incidents", "on"),
    "spot_check": ("spot_checks", "on"),
    "attestation": ("attestations", "on"),
}
#: how an account's events are ordered, per type: by time, then id
EVENT_ORDER: dict[str, Callable[[Any], Any]] = {
    kind: attrgetter(time, "id") for kind, (_, time) in ACCOUNT_EVENTS.items()
}


class Dataset:
    """Records that passed validation and referential checks, indexed."""

    def __init__(self) -> None:
        self.units: dict[str, UnitView] = {}
        self.accounts: dict[str, AccountHistory] = {}
        self.waivers: list[Waiver] = []
        #: 整改 records, read by bulletins (:mod:`..findings.rectification`), never by rules
        self.rectifications: list[Rectification] = []
        #: (type, id) of every record → id of the unit responsible for it
        self.unit_of: dict[tuple[str, str], str] = {}
        #: (type, id) of every account and account event → the account's id
        self.account_of: dict[tuple[str, str], str] = {}
        #: posts and messages held as columns by the batch path (``govmedia_rules.intake``),
        #: else None
        self.columns: ColumnarEvents | None = None
        #: record types accepted, and process dates some record carries (:class:`Evidence`)
        self.types: set[str] = set()
        self.tracked: set[str] = set()

    def evidence(
        self, complete: frozenset[str] = frozenset(), present: frozenset[str] = frozenset()
    ) -> Evidence:
        """What this input can show, with the user's completeness declarations; ``present`` adds the
        record types and ``type.field`` process dates a larger input carries, when this is a part
        of it (a Spark partition of one unit's rows)."""
        types = self.types | {p for p in present if "." not in p}
        tracked = self.tracked | {p for p in present if "." in p}
        return Evidence(frozenset(types), frozenset(tracked), complete)

    def note(self, record: object) -> None:
        """Count a record's type, and the process dates it carries, as evidence."""
        kind = record.type  # type: ignore[attr-defined]
        self.types.add(kind)
        for name in PROCESS_DATES.get(kind, ()):
            if getattr(record, name) is not None:
                self.tracked.add(f"{kind}.{name}")

    def add_unit(self, unit: Unit) -> None:
        self.types.add("unit")
        self.units[unit.id] = UnitView(unit)
        self.unit_of[("unit", unit.id)] = unit.id

    def add_account(self, account: Account) -> None:
        view = self.units[account.unit_id]
        self.types.add("account")
        history = AccountHistory(account, view.unit)
        self.accounts[account.id] = history
        view.accounts.append(history)
        self.unit_of[("account", account.id)] = account.unit_id
        self.account_of[("account", account.id)] = account.id

    def add_event(self, record: object) -> None:
        kind = record.type  # type: ignore[attr-defined]
        self.note(record)
        if kind == "waiver":
            self.waivers.append(record)  # type: ignore[arg-type]
            return
        if kind == "rectification":
            self.rectifications.append(record)  # type: ignore[arg-type]
            return
        owned_by_unit = kind in ("report", "attestation")
        unit_id = record.unit_id if owned_by_unit else None  # type: ignore[attr-defined]
        if kind == "report":
            self.units[unit_id].reports.append(record)  # type: ignore[index, arg-type]
        elif kind == "attestation" and unit_id is not None:
            self.units[unit_id].attestations.append(record)  # type: ignore[arg-type]
        else:
            history = self.accounts[record.account_id]  # type: ignore[attr-defined]
            getattr(history, ACCOUNT_EVENTS[kind][0]).append(record)
            unit_id = history.unit.id
            self.account_of[(kind, record.id)] = history.account.id  # type: ignore[attr-defined]
        self.unit_of[(kind, record.id)] = unit_id  # type: ignore[attr-defined, assignment]

    def finish(self) -> None:
        """Sort accounts and units by id and every event list by time then id, once
        (deterministic)."""
        self.units = dict(sorted(self.units.items()))
        self.accounts = dict(sorted(self.accounts.items()))
        for history in self.accounts.values():
            for kind, (name, _) in ACCOUNT_EVENTS.items():
                getattr(history, name).sort(key=EVENT_ORDER[kind])
        for view in self.units.values():
            view.accounts.sort(key=lambda h: h.account.id)
            view.reports.sort(key=lambda r: (r.submitted_on, r.id))
            view.attestations.sort(key=lambda r: (r.on, r.id))
