"""Dormant (僵尸/睡眠) accounts: dormant_account, with its early warning before the veto span.

An account's last day of activity (its latest post, or reply when replies count) is found for
every account at once from the columns; the kind judges the silence that ends on as_of.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
from pydantic import Field

from ..dataset.registry import AccountHistory
from ..periods import Span
from .arrays import DAY_BITS, DAY_MASK
from .base import (
    ColumnRuleKind,
    Params,
    Scope,
    Unknown,
    Violation,
    account_subject,
    columns_of,
    describe_account,
)

if TYPE_CHECKING:
    from ..dataset.columns import ColumnarEvents


class DormantAccountParams(Params):
    inactive_for: Span = Field(
        description="No activity for this long before as_of makes the account dormant"
    )
    count_replies: bool = Field(default=True, description="A reply to a message counts as activity")
    until: Span | None = Field(
        default=None,
        description="Early warning: report only while the silence is still shorter than this "
        "(the veto span)",
    )


class DormantAccount(ColumnRuleKind):
    """ "僵尸""睡眠"账号: no post (nor reply) in the span that ends on as_of."""

    name = "dormant_account"
    reads = frozenset({"message", "post"})
    title = "长期未更新（僵尸/睡眠账号）"
    Params = DormantAccountParams
    example = """
params:
  inactive_for: {months: 3}
"""
    params: DormantAccountParams

    def needs(self) -> frozenset[str]:
        return frozenset({"post", "message"} if self.params.count_replies else {"post"})

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        return _dormant_account(self, scope, columns_of(scope))

    def silence_verdict(
        self,
        history: AccountHistory,
        judged: tuple[date, date],
        last_active: date | None,
        scope: Scope,
    ) -> Iterator[Violation]:
        """The finding, if any, for an account last active on ``last_active`` (None: never)."""
        span = self.params.inactive_for
        window_start = span.window_start(scope.as_of)
        if window_start < judged[0] or (last_active is not None and last_active >= window_start):
            return
        opened = history.account.opened_on
        since = (
            f"自{last_active}以来"
            if last_active
            else (f"自{opened}开设以来" if opened else "开设以来")
        )
        limit = self.params.until
        if limit is None:
            yield Violation(
                account_subject(history),
                f"账号{describe_account(history)}{since}已连续{span.describe()}以上没有更新，"
                "属长期不更新的僵尸、睡眠账号",
                {
                    "last_active": last_active,
                    "inactive_for": span.describe(),
                    "window_from": window_start,
                },
            )
            return
        veto_start = limit.window_start(scope.as_of)
        if veto_start >= judged[0] and (last_active is None or last_active < veto_start):
            return  # already past the veto span: the veto rule reports it
        due = limit.window_end(last_active + timedelta(1)) if last_active else None
        yield Violation(
            account_subject(history),
            f"预警：账号{describe_account(history)}{since}已连续{span.describe()}以上无更新"
            + (f"，如{due}前仍不更新将达到{limit.describe()}无更新" if due else ""),
            {
                "last_active": last_active,
                "inactive_for": span.describe(),
                "veto_after": limit.describe(),
            },
            due=due,
        )


# -- the kind over columns: every account at once -----------------------------


def _dormant_account(
    kind: DormantAccount, scope: Scope, events: ColumnarEvents
) -> Iterator[Violation]:
    as_of = scope.as_of.toordinal()
    first, last, any_day = events.active_ranges(date.min, scope.as_of)
    accounts = np.flatnonzero(any_day & (last == as_of) & events.selected(scope.selector))
    latest = np.full(len(events.histories), -1, np.int64)
    keys = events.tables["post"].keys()
    if len(keys):
        every = np.arange(len(events.histories), dtype=np.int64)
        at = np.searchsorted(keys, (every << DAY_BITS) | as_of, "right") - 1
        hit = (at >= 0) & ((keys[np.maximum(at, 0)] >> DAY_BITS) == every)
        latest[hit] = keys[at[hit]] & DAY_MASK
    if kind.params.count_replies:
        messages = events.tables["message"]
        replied = messages.columns["replied_day"].astype(np.int64)
        counted = (replied > 0) & (replied <= as_of)
        np.maximum.at(latest, messages.account[counted], replied[counted])
    for a in accounts.tolist():
        active = int(latest[a])
        yield from kind.silence_verdict(
            events.histories[a],
            (date.fromordinal(int(first[a])), scope.as_of),
            date.fromordinal(active) if active > 0 else None,
            scope,
        )
