"""Activity rules: update frequency, column freshness, dormant accounts, replies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Literal

from pydantic import Field

from ..dataset import AccountHistory
from ..labels import COLUMN, label
from ..periods import Span
from ..records import Column, Post, Subject
from .base import AccountRuleKind, Params, Scope, Unknown, Violation, account_subject, describe_account, unknown
from .windows import Window, describe_windows, natural_windows, sparse_natural_windows, sparse_rolling_windows


def _post_days(posts: list[Post], *, original_only: bool = False, column: str | None = None) -> list[date]:
    return [
        p.published_at.date()
        for p in posts
        if (not original_only or p.original is True) and (column is None or p.column == column)
    ]


class UpdateFrequencyParams(Params):
    window: Span = Field(default=Span(weeks=1), description="Length of one window")
    anchor: Literal["natural", "rolling"] = Field(
        default="natural", description="natural: consecutive calendar windows; rolling: every window of that length"
    )
    min_posts: int = Field(default=1, ge=1, description="Posts required in each window (or on average)")
    mode: Literal["per_window", "average"] = Field(
        default="per_window", description="average: total over the judged windows divided by their number"
    )
    original_only: bool = Field(default=False, description="Count only original posts (原创)")


class UpdateFrequency(AccountRuleKind):
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
        unit = "自然周" if p.window.weeks == 1 and p.anchor == "natural" else f"{p.window.describe()}"
        return ("原创" if p.original_only else "") + "更新", unit

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation]:
        judged = history.active_range(scope.since, scope.as_of)
        if judged is None:
            return
        p = self.params
        days = _post_days(history.posts, original_only=p.original_only)
        if p.mode == "average":
            windows = natural_windows(*judged, p.window)
            if windows:
                start, end = windows[0][0], windows[-1][1]
                yield from self.average_verdict(history, windows, sum(start <= d <= end for d in days))
            return
        find = sparse_natural_windows if p.anchor == "natural" else sparse_rolling_windows
        yield from self.sparse_verdict(history, find(days, *judged, p.window, p.min_posts))

    def average_verdict(self, history: AccountHistory, windows: list[tuple[date, date]],
                        count: int) -> Iterator[Violation]:
        """The finding, if any, for ``count`` posts over the judged natural ``windows`` (``mode: average``)."""
        p = self.params
        if count >= p.min_posts * len(windows):
            return
        what, unit = self.noun()
        start, end = windows[0][0], windows[-1][1]
        yield Violation(
            account_subject(history),
            f"账号{describe_account(history)}在{start}至{end}的{len(windows)}个{unit}内共{what}{count}次，"
            f"平均每个{unit}{count / len(windows):.2f}次，少于{p.min_posts}次",
            {"from": start, "to": end, "windows": len(windows), "posts": count},
        )

    def sparse_verdict(self, history: AccountHistory, sparse: list[Window]) -> Iterator[Violation]:
        """The finding, if any, for the windows that hold too few posts."""
        if not sparse:
            return
        p = self.params
        what, unit = self.noun()
        scope_word = f"{len(sparse)}个{unit}" if p.anchor == "natural" else f"{len(sparse)}段连续{unit}"
        yield Violation(
            account_subject(history),
            f"账号{describe_account(history)}有{scope_word}{what}少于{p.min_posts}次：{describe_windows(sparse)}",
            {"windows": _window_evidence(sparse), "min_posts": p.min_posts},
        )


def _window_evidence(windows: list[Window]) -> list[dict[str, object]]:
    return [{"from": s, "to": e, "posts": c} for s, e, c in windows]


class ColumnFreshnessParams(Params):
    columns: dict[Column, Span] = Field(  # type: ignore[valid-type]
        min_length=1, description="Longest time a column may go without an update, per column"
    )


class ColumnFreshness(AccountRuleKind):
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

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation | Unknown]:
        judged = history.active_range(scope.since, scope.as_of)
        if judged is None:
            return
        have = self.columns_of(history.account.columns, {p.column for p in history.posts if p.column}, scope)
        if have is None:
            yield unknown(account_subject(history), "account.columns")
            return
        for column, span in sorted(self.params.columns.items()):
            if column not in have:
                continue  # 未涉及: the account has no such column
            days = _post_days(history.posts, column=column)
            yield from self.gap_verdict(history, column, sparse_rolling_windows(days, *judged, span, 1))

    @staticmethod
    def columns_of(declared: list[str] | None, posted: set[str], scope: Scope) -> set[str] | None:
        """The columns an account has: those it declares, else those its posts were published in
        (at any time); None when it declares none and no post names a column (not known)."""
        if declared is not None:
            return set(declared)
        return posted if posted or scope.knows("account.columns", None) else None

    def gap_verdict(self, history: AccountHistory, column: str, gaps: list[Window]) -> Iterator[Violation]:
        """The finding, if any, for the spans in which ``column`` went without an update."""
        if gaps:
            span = self.params.columns[column]  # type: ignore[index]
            yield Violation(
                account_subject(history),
                f"账号{describe_account(history)}的{label(COLUMN, column)}栏目有{len(gaps)}段超过"
                f"{span.describe()}未更新：{describe_windows(gaps)}",
                {"column": column, "max_gap": span.describe(), "windows": _window_evidence(gaps)},
            )


class DormantAccountParams(Params):
    inactive_for: Span = Field(description="No activity for this long before as_of makes the account dormant")
    count_replies: bool = Field(default=True, description="A reply to a message counts as activity")
    until: Span | None = Field(
        default=None, description="Early warning: report only while the silence is still shorter than this (the veto span)")


class DormantAccount(AccountRuleKind):
    """"僵尸""睡眠"账号: no post (nor reply) in the span that ends on as_of."""

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

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation]:
        judged = history.active_range(date.min, scope.as_of)
        if judged is None or judged[1] != scope.as_of:
            return
        days = _post_days(history.posts)
        if self.params.count_replies:
            days += [m.replied_at.date() for m in history.messages if m.replied_at]
        yield from self.silence_verdict(history, judged, max((d for d in days if d <= scope.as_of), default=None),
                                        scope)

    def silence_verdict(self, history: AccountHistory, judged: tuple[date, date], last_active: date | None,
                        scope: Scope) -> Iterator[Violation]:
        """The finding, if any, for an account last active on ``last_active`` (None: never)."""
        span = self.params.inactive_for
        window_start = span.window_start(scope.as_of)
        if window_start < judged[0] or (last_active is not None and last_active >= window_start):
            return
        opened = history.account.opened_on
        since = f"自{last_active}以来" if last_active else (f"自{opened}开设以来" if opened else "开设以来")
        limit = self.params.until
        if limit is None:
            yield Violation(
                account_subject(history),
                f"账号{describe_account(history)}{since}已超过{span.describe()}没有更新，"
                "属长期不更新的僵尸、睡眠账号",
                {"last_active": last_active, "inactive_for": span.describe(), "window_from": window_start},
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
            {"last_active": last_active, "inactive_for": span.describe(), "veto_after": limit.describe()},
            due=due,
        )


class MessageReplyParams(Params):
    within: Span = Field(description="Time allowed for a reply, counted from the day after receipt")


class MessageReply(AccountRuleKind):
    """留言回复时限: every message received is answered within the span.

    A message still unanswered after its deadline (as of the evaluation date)
    is reported with the deadline as the due date; one answered late is
    reported with the days it took.
    """

    name = "message_reply"
    reads = frozenset({"message"})
    title = "留言回复时限"
    Params = MessageReplyParams
    example = """
params:
  within: {days: 7}
"""
    params: MessageReplyParams

    def needs(self) -> frozenset[str]:
        return frozenset({"message", "message.replied_at"})

    def check_account(self, history: AccountHistory, scope: Scope) -> Iterator[Violation]:
        span = self.params.within
        for message in history.messages:
            received = message.received_at.date()
            if scope.since <= received <= scope.as_of:
                replied = message.replied_at.date() if message.replied_at else None
                yield from self.reply_verdict(history, message.id, received, replied,
                                              span.last_day(received, scope.calendar), scope)

    def reply_verdict(self, history: AccountHistory, message_id: str, received: date, replied: date | None,
                      due: date, scope: Scope) -> Iterator[Violation]:
        """The finding, if any, for one message received on ``received``, answered on ``replied``, due by ``due``."""
        span = self.params.within
        subject = Subject(type="message", id=message_id)
        account = history.account.id
        if replied is None:
            if scope.as_of > due:
                yield Violation(
                    subject,
                    f"账号{describe_account(history)}于{received}收到的留言（{message_id}）超过{span.describe()}"
                    f"未回复（应于{due}前回复）",
                    {"account": account, "received_on": received, "deadline": due},
                    due=due, account=account,
                )
        elif replied > due:
            yield Violation(
                subject,
                f"账号{describe_account(history)}于{received}收到的留言（{message_id}）于"
                f"{replied}才回复，超过{span.describe()}时限（应于{due}前回复）",
                {"account": account, "received_on": received, "replied_on": replied, "deadline": due},
                account=account,
            )
