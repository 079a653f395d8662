"""Answering messages: message_reply, each message received answered within its span.

The deadline of every message is computed once per distinct day received, over the message
columns of every account at once; only messages answered late, or not yet and overdue, are
handed to the kind, which writes the finding about the message.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from pydantic import Field

from ..dataset.registry import AccountHistory
from ..periods import Span
from ..records import Subject
from .arrays import in_window
from .base import ColumnRuleKind, Params, Scope, Unknown, Violation, columns_of, describe_account

if TYPE_CHECKING:
    from ..dataset.columns import ColumnarEvents


class MessageReplyParams(Params):
    within: Span = Field(description="Time allowed for a reply, counted from the day after receipt")


class MessageReply(ColumnRuleKind):
    """留言回复时限: every message received is answered within the span.

    A message still unanswered after its deadline (as of the evaluation date)
    is reported with the deadline as the due date; one answered late is
    reported with the days it took.
    """

    reports = ("message",)
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

    def evaluate(self, scope: Scope) -> Iterator[Violation | Unknown]:
        return _message_reply(self, scope, columns_of(scope))

    def reply_verdict(
        self,
        history: AccountHistory,
        message_id: str,
        received: date,
        replied: date | None,
        due: date,
        scope: Scope,
    ) -> Iterator[Violation]:
        """The finding, if any, for one message received on ``received``, answered on ``replied``,
        due by ``due``."""
        span = self.params.within
        subject = Subject(type="message", id=message_id)
        account = history.account.id
        if replied is None:
            if scope.as_of > due:
                yield Violation(
                    subject,
                    f"账号{describe_account(history)}于{received}收到的留言（{message_id}）"
                    f"超过{span.describe()}未回复（应于{due}前回复）",
                    {"account": account, "received_on": received, "deadline": due},
                    due=due,
                    account=account,
                )
        elif replied > due:
            yield Violation(
                subject,
                f"账号{describe_account(history)}于{received}收到的留言（{message_id}）于"
                f"{replied}才回复，超过{span.describe()}时限（应于{due}前回复）",
                {
                    "account": account,
                    "received_on": received,
                    "replied_on": replied,
                    "deadline": due,
                },
                account=account,
            )


# -- the kind over columns: every account at once -----------------------------


def _message_reply(kind: MessageReply, scope: Scope, events: ColumnarEvents) -> Iterator[Violation]:
    messages = events.tables["message"]
    day = messages.day
    rows = np.flatnonzero(in_window(events, messages, scope))
    if len(rows) == 0:
        return
    received = day[rows].astype(np.int64)
    low = int(received.min())
    present = np.zeros(int(received.max()) - low + 1, bool)
    present[received - low] = True
    span = kind.params.within
    table = np.zeros(len(present), np.int64)
    for d in np.flatnonzero(present).tolist():  # one deadline per distinct day received
        table[d] = span.last_day(date.fromordinal(d + low), scope.calendar).toordinal()
    due = table[received - low]
    replied = messages.columns["replied_day"][rows].astype(np.int64)
    late = ((replied < 0) & (scope.as_of.toordinal() > due)) | (replied > due)
    late_rows = rows[late]
    for row, id_, r, d in zip(
        late_rows.tolist(),
        messages.ids_of(late_rows),
        replied[late].tolist(),
        due[late].tolist(),
        strict=False,
    ):
        yield from kind.reply_verdict(
            events.histories[int(messages.account[row])],
            id_,
            date.fromordinal(int(day[row])),
            date.fromordinal(r) if r > 0 else None,
            date.fromordinal(d),
            scope,
        )
