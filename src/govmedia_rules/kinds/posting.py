"""How often an account posts: update_frequency and column_freshness.

Both judge windows of posts over the judged time of every account at once (natural or rolling
windows, by ``kinds/arrays.py``) and hand each account with windows short of posts to the kind,
which writes the finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from ..dataset.registry import AccountHistory
from ..labels import COLUMN, label
from ..periods import Span
from ..records import COLUMNS, Column
from .arrays import count, judged, longest, natural, rolling, sparse
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
from .windows import Window, describe_stretches, describe_windows, stretches

if TYPE_CHECKING:
    from ..dataset.columns import ColumnarEvents


class UpdateFrequencyParams(Params):
    window: Span = Field(default=Span(weeks=1), description="Length of one window")
    anchor: Literal["natural", "rolling"] = Field(
        default="natural",
        description="natural: consecutive calendar windows; rolling: every window of that length",
    )
    min_posts: int = Field(
        default=1, ge=1, description="Posts required in each window (or on average)"
    )
    mode: Literal["per_window", "average"] = Field(
        default="per_window",
        description="average: total over the judged windows divided by their number",
    )
    original_only: bool = Field(default=False, description="Count only original posts (原创)")


class UpdateFrequency(ColumnRuleKind):
    """每周/每2周更新不少于N次: each window of the period holds enough posts.

    Only windows lying wholly inside the time the account existed within
    [since, as_of] are judged. ``mode: average`` (服务号平均每周) compares the
    total over those windows with ``min_posts`` times their number.
    """

    name = "update_frequency"
    reads = frozenset({"post"})
    title = "更新频率"
    Params = UpdateFrequencyParams
    example = """
params:
  window: {weeks: 1}
  anchor: natural
  min_posts: 1
"""
    params: UpdateFrequencyParams

    def noun(self) -> tuple[str, str]:
        p = self.params
        unit = (
            "自然周" if p.window.weeks == 1 and p.anchor == "natural" else f"{p.window.describe()}"
        )
        return ("原创" if p.original_only else "") + "更新", unit

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        return _update_frequency(self, scope, columns_of(scope))

    def average_verdict(
        self, history: AccountHistory, windows: list[tuple[date, date]], count: int
    ) -> Iterator[Violation]:
        """The finding, if any, for ``count`` posts over the judged natural ``windows``
        (``mode: average``)."""
        p = self.params
        if count >= p.min_posts * len(windows):
            return
        what, unit = self.noun()
        start, end = windows[0][0], windows[-1][1]
        yield Violation(
            account_subject(history),
            f"账号{describe_account(history)}在{start}至{end}的{len(windows)}个{unit}内"
            f"共{what}{count}次，"
            f"平均每个{unit}{count / len(windows):.2f}次，少于{p.min_posts}次",
            {"from": start, "to": end, "windows": len(windows), "posts": count},
        )

    def sparse_verdict(
        self, history: AccountHistory, sparse: list[Window], spans: list[Window] | None = None
    ) -> Iterator[Violation]:
        """The finding, if any, for the windows that hold too few posts (rolling windows: with
        ``spans``, each stretched as far as it stays short of posts)."""
        if not sparse:
            return
        p = self.params
        what, unit = self.noun()
        who = f"账号{describe_account(history)}"
        if p.anchor == "natural":
            text = (
                f"{who}有{len(sparse)}个{unit}{what}少于{p.min_posts}次："
                f"{describe_windows(sparse)}"
            )
        else:  # overlapping windows: say how long each stretch lasted, not how many windows
            long = spans or sparse
            text = (
                f"{who}有{len(stretches(long))}段时间任意连续{unit}内{what}"
                f"少于{p.min_posts}次：{describe_stretches(long)}"
            )
        yield Violation(
            account_subject(history), text,
            {"windows": _window_evidence(sparse), "min_posts": p.min_posts},
        )


def _window_evidence(windows: list[Window]) -> list[dict[str, object]]:
    return [{"from": s, "to": e, "posts": c} for s, e, c in windows]


class ColumnFreshnessParams(Params):
    columns: dict[Column, Span] = Field(
        min_length=1, description="Longest time a column may go without an update, per column"
    )


class ColumnFreshness(ColumnRuleKind):
    """栏目更新时限: each named column is updated at least once in every span of its length.

    Only columns the account has are judged (a column it lacks is 未涉及): those
    its record declares in ``columns``, else those any of its posts names. An
    account that declares none and whose posts name none cannot be judged.

    Junshan's 动态类2周 / 通知公告类半年 / 人事信息类1年: a rolling window per
    column over the judged time, so a gap anywhere in it counts, not only
    one at the end.
    """

    name = "column_freshness"
    reads = frozenset({"post"})
    title = "栏目更新时限"
    Params = ColumnFreshnessParams
    example = """
params:
  columns:
    dynamic: {weeks: 2}
    notice: {months: 6}
    personnel: {months: 12}
"""
    params: ColumnFreshnessParams

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        return _column_freshness(self, scope, columns_of(scope))

    @staticmethod
    def columns_of(declared: list[str] | None, posted: set[str], scope: Scope) -> set[str] | None:
        """The columns an account has: those it declares, else those its posts were published in
        (at any time); None when it declares none and no post names a column (not known)."""
        if declared is not None:
            return set(declared)
        return posted if posted or scope.knows("account.columns", None) else None

    def gap_verdict(
        self, history: AccountHistory, column: str, gaps: list[Window], spans: list[Window]
    ) -> Iterator[Violation]:
        """The finding, if any, for the spans in which ``column`` went without an update
        (``spans``: each gap stretched to its real length)."""
        if gaps:
            span = self.params.columns[column]  # type: ignore[index]
            yield Violation(
                account_subject(history),
                f"账号{describe_account(history)}的{label(COLUMN, column)}栏目"
                f"有{len(stretches(gaps))}段时间连续{span.describe()}以上未更新："
                f"{describe_stretches(spans)}",
                {"column": column, "max_gap": span.describe(), "windows": _window_evidence(gaps)},
            )


# -- the kinds over columns: every account at once ----------------------------


def _update_frequency(
    kind: UpdateFrequency, scope: Scope, events: ColumnarEvents
) -> Iterator[Violation]:
    p = kind.params
    posts = events.tables["post"]
    keys = posts.keys(posts.columns["original"] == 1 if p.original_only else None)
    accounts, first, last = judged(events, scope)
    if p.mode == "average":  # over natural windows, whatever the anchor
        yield from _averages(kind, events, keys, *natural(accounts, first, last, p.window))
    elif p.anchor == "natural":
        account, start, end = natural(accounts, first, last, p.window)
        short = sparse(account, start, end, count(keys, account, start, end), p.min_posts)
        for a, windows in short.items():
            yield from kind.sparse_verdict(events.histories[a], windows)
    else:
        short = rolling(keys, accounts, first, last, p.window, p.min_posts)
        ends = dict(zip(accounts.tolist(), last.tolist(), strict=True))
        spans = longest(keys, short, ends, p.min_posts)
        for a, windows in short.items():
            yield from kind.sparse_verdict(events.histories[a], windows, spans[a])


def _averages(
    kind: UpdateFrequency,
    events: ColumnarEvents,
    keys: np.ndarray,
    account: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> Iterator[Violation]:
    if len(account) == 0:
        return
    heads = np.flatnonzero(np.r_[True, account[1:] != account[:-1]])
    tails = np.r_[heads[1:], len(account)] - 1
    owners = account[heads]
    counts = count(keys, owners, start[heads], end[tails])
    short = counts < kind.params.min_posts * (tails - heads + 1)
    for a, h, t, c in zip(
        *(x[short].tolist() for x in (owners, heads, tails, counts)), strict=False
    ):
        windows = [
            (date.fromordinal(s), date.fromordinal(e))
            for s, e in zip(start[h : t + 1].tolist(), end[h : t + 1].tolist(), strict=False)
        ]
        yield from kind.average_verdict(events.histories[a], windows, c)


def _column_freshness(
    kind: ColumnFreshness, scope: Scope, events: ColumnarEvents
) -> Iterator[Violation | Unknown]:
    posts = events.tables["post"]
    accounts, first, last = judged(events, scope)
    posted = np.zeros((len(events.histories), len(COLUMNS)), bool)
    named = posts.columns["column"] >= 0
    posted[posts.account[named], posts.columns["column"][named]] = True
    has = np.zeros((len(accounts), len(COLUMNS)), bool)
    unknown_ids = []
    for i, a in enumerate(accounts.tolist()):
        have = kind.columns_of(
            events.histories[a].account.columns,
            {COLUMNS[c] for c in np.flatnonzero(posted[a]).tolist()},
            scope,
        )
        if have is None:
            unknown_ids.append(events.histories[a].account.id)
        else:
            has[i, [COLUMNS.index(c) for c in have]] = True
    if unknown_ids:
        yield Unknown(
            "account", ("account.columns",), tuple(sorted(unknown_ids)[:5]), len(unknown_ids)
        )
    for column, span in sorted(kind.params.columns.items()):
        keys = posts.keys(posts.columns["column"] == COLUMNS.index(column))
        mine = has[:, COLUMNS.index(column)]
        found = rolling(keys, accounts[mine], first[mine], last[mine], span, 1)
        ends = dict(zip(accounts[mine].tolist(), last[mine].tolist(), strict=True))
        spans = longest(keys, found, ends, 1)
        for a, gaps in found.items():
            yield from kind.gap_verdict(events.histories[a], column, gaps, spans[a])
