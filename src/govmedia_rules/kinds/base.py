"""What every rule kind is: a params model, a plain-words docstring, an example, a check.

A rule kind is Python; a rule is data (a pack entry naming a kind and giving
its params). Each kind declares its params as a pydantic model closed to
unknown keys; the pack JSON Schema is assembled from those models, so the
schema is never written twice. ``example`` is a YAML rule body the tests load.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from ..calendar import WorkCalendar
from ..dataset.registry import AccountHistory, Dataset, UnitView

if TYPE_CHECKING:
    from ..dataset.columns import ColumnarEvents
from ..dataset.evidence import Evidence
from ..labels import PLATFORM, label
from ..packs.model import Selector
from ..records import Subject


class Params(BaseModel):
    """Base of every kind's params: closed, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


#: the base of params, by a name the kinds' ``Params`` class attribute does not hide
BaseParams = Params


@dataclass(frozen=True)
class Violation:
    """What a kind reports; the engine adds the rule, pack, severity and citation."""

    subject: Subject
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    due: date | None = None
    #: the account an event subject (a post, a message) belongs to
    account: str | None = None


@dataclass(frozen=True)
class Unknown:
    """Subjects a rule cannot judge because the data it reads is absent.

    ``missing`` names record types (``attestation``) or field paths
    (``post.signoffs``). A kind yields one per subject (:func:`unknown`), or
    one for many (``count``, ``examples``: at most five ids, the smallest).
    The engine merges them into one ``not_evaluated`` entry per rule and
    missing set: never a finding.
    """

    subject_type: str
    missing: tuple[str, ...]
    examples: tuple[str, ...]
    count: int = 1


def unknown(subject: Subject, *missing: str) -> Unknown:
    """The subject cannot be judged: ``missing`` is what the rule would need."""
    return Unknown(subject.type, tuple(sorted(set(missing))), (subject.id,))


class Unknowns:
    """Subjects of one type a kind cannot judge, gathered by what they lack and yielded as one
    :class:`Unknown` per missing set: a post-by-post kind over posts without sign-offs makes a few
    objects per account, not one per post."""

    def __init__(self, subject_type: str) -> None:
        self.subject_type = subject_type
        self._ids: dict[tuple[str, ...], list[str]] = {}

    def add(self, subject_id: str, *missing: str) -> None:
        self._ids.setdefault(tuple(sorted(set(missing))), []).append(subject_id)

    def __iter__(self) -> Iterator[Unknown]:
        for missing, ids in self._ids.items():
            yield Unknown(self.subject_type, missing, tuple(heapq.nsmallest(5, ids)), len(ids))


@dataclass
class Scope:
    """What one rule sees: the data, the calendar and its evaluation window."""

    dataset: Dataset
    calendar: WorkCalendar
    since: date
    as_of: date
    selector: Selector
    evidence: Evidence = field(default_factory=Evidence)

    def knows(self, path: str, value: object) -> bool:
        """Whether a field's value is known (see :meth:`Evidence.knows`)."""
        return self.evidence.knows(path, value)

    def accounts(self) -> Iterator[AccountHistory]:
        """Accounts the rule applies to, in id order (the dataset keeps them sorted)."""
        for history in self.dataset.accounts.values():
            if self.selector.accepts_account(history.account, history.unit):
                yield history

    def units(self) -> Iterator[UnitView]:
        """Units the rule applies to, in id order (the dataset keeps them sorted)."""
        for view in self.dataset.units.values():
            if self.selector.accepts_unit(view.unit):
                yield view

    def unit_accounts(self, view: UnitView) -> list[AccountHistory]:
        """The unit's accounts that the rule's platform/subtype filters accept."""
        return [h for h in view.accounts if self.selector.accepts_account(h.account, view.unit)]


class RuleKind:
    """A kind of check. Subclasses set ``name``, ``title``, ``Params``, ``example``."""

    name: ClassVar[str]
    title: ClassVar[str]
    Params: ClassVar[type[Params]] = Params
    example: ClassVar[str]
    #: Record types the kind reads besides units and accounts (``post``, ``attestation`` …).
    #: None means "any": the batch path then hands the kind fully built histories, and
    #: the engine cannot tell when the input lacks what the kind needs, so it runs it.
    #: A kind that declares what it reads is spared that cost and judged on evidence:
    #: where a type it reads is absent from the input, its subjects are not evaluable.
    reads: ClassVar[frozenset[str] | None] = None
    #: The record the kind judges when it judges accounts or units as a whole.
    subject_type: ClassVar[str] = "account"
    #: The records its findings are about, where they are not ``subject_type`` (posts, filings …).
    reports: ClassVar[tuple[str, ...]] = ()
    #: The most findings it gives one subject in one evaluation (None: no bound), so a scoring
    #: cap that no subject can reach is known not to change a score (``test --mutate``).
    most_findings: ClassVar[int | None] = None

    def __init__(self, params: BaseParams) -> None:
        self.params = params

    @classmethod
    def from_params(cls, raw: dict[str, Any]) -> RuleKind:
        """Build from a pack's params (raises pydantic.ValidationError)."""
        return cls(cls.Params.model_validate(raw))

    def needs(self) -> frozenset[str]:
        """What the input must carry for the rule to judge at all: record types, and
        ``type.field`` process dates (:data:`~govmedia_rules.dataset.evidence.PROCESS_DATES`).
        By default the types it reads; kinds whose params use only some of them narrow it."""
        return self.reads or frozenset()

    def subjects(self, scope: Scope) -> Iterator[str]:
        """Ids of the subjects (of :attr:`subject_type`) the rule would judge: counted when it
        cannot."""
        source = scope.units() if self.subject_type == "unit" else scope.accounts()
        for item in source:
            yield item.unit.id if isinstance(item, UnitView) else item.account.id

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        raise NotImplementedError


class ColumnRuleKind(RuleKind):
    """A kind written once over columns: every account's events at once, as arrays
    (:func:`columns_of`), whatever form the input came in — one account is a batch of one."""


def columns_of(scope: Scope) -> ColumnarEvents:
    """The events of the scope's data as columns (every accepted input has them)."""
    columns = scope.dataset.columns
    assert columns is not None, (
        "input is accepted through govmedia_rules.intake.prepared, which builds columns"
    )
    return columns


class AccountRuleKind(RuleKind):
    """A kind checked one account at a time."""

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        for history in scope.accounts():
            yield from self.check_account(history, scope)

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        raise NotImplementedError


class UnitRuleKind(RuleKind):
    """A kind checked one unit at a time."""

    subject_type = "unit"

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        for view in scope.units():
            yield from self.check_unit(view, scope)

    def check_unit(self, view: UnitView, scope: Scope) -> Iterator[Violation | Unknown]:
        raise NotImplementedError


def account_subject(history: AccountHistory) -> Subject:
    return Subject(type="account", id=history.account.id)


def unit_subject(view: UnitView) -> Subject:
    return Subject(type="unit", id=view.unit.id)


def describe_account(history: AccountHistory) -> str:
    """「名称」（平台）, the way messages name an account."""
    return f"「{history.account.name}」（{label(PLATFORM, history.account.platform)}）"
