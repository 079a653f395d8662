"""Vectorised forms of the kinds that read posts and messages.

Each computes with whole arrays what the kind's ``check_account`` computes
per account — windows counted by binary search over sorted ``account << 32 |
day`` keys, deadlines looked up per distinct day — and hands the few accounts
or messages in breach to the kind's own ``*_verdict`` method, so the finding
text is written in one place. ``tests/test_batch.py`` checks each against the
per-record path on generated histories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np

from ..kinds.activity import ColumnFreshness, DormantAccount, MessageReply, UpdateFrequency
from ..kinds.base import Scope, Unknown, Violation
from ..kinds.content import ApprovalChain, ForbiddenPostFlags, RepostSource
from ..kinds.windows import Window, natural_windows, sparse_rolling_windows
from ..periods import Span
from ..records import COLUMNS, ROLES, TIERS
from .columns import ColumnarEvents, EventTable

_DAY_BITS = 32
_DAY_MASK = (1 << _DAY_BITS) - 1


def _count(keys: np.ndarray, account: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Events of each account in [start, end] (ordinals), from sorted ``account << 32 | day`` keys."""
    base = account.astype(np.int64) << _DAY_BITS
    return np.searchsorted(keys, base | end, "right") - np.searchsorted(keys, base | start, "left")


def _repeat(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of ``counts`` items: each item's group and its place within the group."""
    group = np.repeat(np.arange(len(counts)), counts)
    place = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return group, place


def _fixed_length(span: Span) -> int | None:
    """The span in days when it is a fixed number of days (days or weeks), else None (months)."""
    if span.weeks is not None:
        return 7 * span.weeks
    return span.days


def _judged(events: ColumnarEvents, scope: Scope) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Selected accounts with any active day in the scope's window: their indices, first and last days."""
    first, last, any_day = events.active_ranges(scope.since, scope.as_of)
    accounts = np.flatnonzero(any_day & events.selected(scope.selector))
    return accounts, first[accounts], last[accounts]


def _natural(accounts: np.ndarray, first: np.ndarray, last: np.ndarray, span: Span
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every natural window of ``span`` lying in each account's [first, last]: account, start, end."""
    length = _fixed_length(span)
    if length is None:
        rows = [(a, s.toordinal(), e.toordinal()) for a, f, l in zip(accounts.tolist(), first.tolist(), last.tolist())
                for s, e in natural_windows(date.fromordinal(f), date.fromordinal(l), span)]
        out = np.array(rows, np.int64).reshape(-1, 3)
        return out[:, 0], out[:, 1], out[:, 2]
    start = first + ((7 - (first + 6) % 7) % 7 if span.weeks is not None else 0)  # Monday on or after first
    n = np.maximum(0, (last - start + 1) // length)
    group, place = _repeat(n)
    starts = start[group] + place * length
    return accounts[group], starts, starts + length - 1


def _rolling(table: EventTable, mask: np.ndarray | None, accounts: np.ndarray, first: np.ndarray, last: np.ndarray,
             span: Span, minimum: int) -> dict[int, list[Window]]:
    """``sparse_rolling_windows`` of every account at once: account → sparse windows in order."""
    keys = table.keys(mask)
    length = _fixed_length(span)
    if length is None:
        out = {}
        for a, f, l in zip(accounts.tolist(), first.tolist(), last.tolist()):
            lo, hi = np.searchsorted(keys, [a << _DAY_BITS, (a + 1) << _DAY_BITS])
            days = [date.fromordinal(d) for d in (keys[lo:hi] & _DAY_MASK).tolist()]
            found = sparse_rolling_windows(days, date.fromordinal(f), date.fromordinal(l), span, minimum)
            if found:
                out[a] = found
        return out
    if len(accounts) == 0:
        return {}
    where = np.full(len(table.offsets) - 1, -1, np.int64)
    where[accounts] = np.arange(len(accounts))
    row_account = keys >> _DAY_BITS
    slot = where[row_account]
    day = keys & _DAY_MASK
    f, l = first[slot], last[slot]
    inside = (slot >= 0) & (day >= f) & (day <= l) & (day + 1 > f)
    candidates = np.concatenate([(row_account[inside] << _DAY_BITS) | (day[inside] + 1),
                                 (accounts.astype(np.int64) << _DAY_BITS) | first])
    candidates = np.sort(candidates)
    candidates = candidates[np.r_[True, candidates[1:] != candidates[:-1]]]
    account, start = candidates >> _DAY_BITS, candidates & _DAY_MASK
    end = start + length - 1
    fits = end <= last[where[account]]
    account, start, end = account[fits], start[fits], end[fits]
    return _sparse(account, start, end, _count(keys, account, start, end), minimum)


def _sparse(account: np.ndarray, start: np.ndarray, end: np.ndarray, count: np.ndarray, minimum: int
            ) -> dict[int, list[Window]]:
    """Windows holding fewer than ``minimum`` events, grouped by account (input sorted by account, start)."""
    out: dict[int, list[Window]] = {}
    for a, s, e, c in zip(*(x[count < minimum].tolist() for x in (account, start, end, count))):
        out.setdefault(a, []).append((date.fromordinal(s), date.fromordinal(e), c))
    return out


def update_frequency(kind: UpdateFrequency, scope: Scope, events: ColumnarEvents) -> Iterator[Violation]:
    p = kind.params
    posts = events.tables["post"]
    mask = posts.columns["original"] == 1 if p.original_only else None
    accounts, first, last = _judged(events, scope)
    if p.mode == "average" or p.anchor == "natural":
        account, start, end = _natural(accounts, first, last, p.window)
        keys = posts.keys(mask)
        if p.mode == "average":
            yield from _averages(kind, events, keys, account, start, end)
            return
        sparse = _sparse(account, start, end, _count(keys, account, start, end), p.min_posts)
    else:
        sparse = _rolling(posts, mask, accounts, first, last, p.window, p.min_posts)
    for a, windows in sparse.items():
        yield from kind.sparse_verdict(events.histories[a], windows)


def _averages(kind: UpdateFrequency, events: ColumnarEvents, keys: np.ndarray, account: np.ndarray,
              start: np.ndarray, end: np.ndarray) -> Iterator[Violation]:
    if len(account) == 0:
        return
    heads = np.flatnonzero(np.r_[True, account[1:] != account[:-1]])
    tails = np.r_[heads[1:], len(account)] - 1
    owners = account[heads]
    counts = _count(keys, owners, start[heads], end[tails])
    short = counts < kind.params.min_posts * (tails - heads + 1)
    for a, h, t, c in zip(*(x[short].tolist() for x in (owners, heads, tails, counts))):
        windows = [(date.fromordinal(s), date.fromordinal(e)) for s, e in zip(start[h:t + 1].tolist(),
                                                                               end[h:t + 1].tolist())]
        yield from kind.average_verdict(events.histories[a], windows, c)


def column_freshness(kind: ColumnFreshness, scope: Scope, events: ColumnarEvents
                     ) -> Iterator[Violation | Unknown]:
    posts = events.tables["post"]
    accounts, first, last = _judged(events, scope)
    posted = np.zeros((len(events.histories), len(COLUMNS)), bool)
    named = posts.columns["column"] >= 0
    posted[posts.account[named], posts.columns["column"][named]] = True
    has = np.zeros((len(accounts), len(COLUMNS)), bool)
    unknown_ids = []
    for i, a in enumerate(accounts.tolist()):
        have = kind.columns_of(events.histories[a].account.columns,
                               {COLUMNS[c] for c in np.flatnonzero(posted[a]).tolist()}, scope)
        if have is None:
            unknown_ids.append(events.histories[a].account.id)
        else:
            has[i, [COLUMNS.index(c) for c in have]] = True
    if unknown_ids:
        yield Unknown("account", ("account.columns",), tuple(sorted(unknown_ids)[:5]), len(unknown_ids))
    for column, span in sorted(kind.params.columns.items()):
        mask = posts.columns["column"] == COLUMNS.index(column)
        mine = has[:, COLUMNS.index(column)]
        for a, gaps in _rolling(posts, mask, accounts[mine], first[mine], last[mine], span, 1).items():
            yield from kind.gap_verdict(events.histories[a], column, gaps)


def dormant_account(kind: DormantAccount, scope: Scope, events: ColumnarEvents) -> Iterator[Violation]:
    as_of = scope.as_of.toordinal()
    first, last, any_day = events.active_ranges(date.min, scope.as_of)
    accounts = np.flatnonzero(any_day & (last == as_of) & events.selected(scope.selector))
    latest = np.full(len(events.histories), -1, np.int64)
    keys = events.tables["post"].keys()
    if len(keys):
        every = np.arange(len(events.histories), dtype=np.int64)
        at = np.searchsorted(keys, (every << _DAY_BITS) | as_of, "right") - 1
        hit = (at >= 0) & ((keys[np.maximum(at, 0)] >> _DAY_BITS) == every)
        latest[hit] = keys[at[hit]] & _DAY_MASK
    if kind.params.count_replies:
        messages = events.tables["message"]
        replied = messages.columns["replied_day"].astype(np.int64)
        counted = (replied > 0) & (replied <= as_of)
        np.maximum.at(latest, messages.account[counted], replied[counted])
    for a in accounts.tolist():
        active = int(latest[a])
        yield from kind.silence_verdict(events.histories[a], (date.fromordinal(int(first[a])), scope.as_of),
                                        date.fromordinal(active) if active > 0 else None, scope)


def message_reply(kind: MessageReply, scope: Scope, events: ColumnarEvents) -> Iterator[Violation]:
    messages = events.tables["message"]
    day = messages.day
    rows = np.flatnonzero(events.selected(scope.selector)[messages.account]
                          & (day >= scope.since.toordinal()) & (day <= scope.as_of.toordinal()))
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
    for row, id_, r, d in zip(late_rows.tolist(), messages.ids_of(late_rows), replied[late].tolist(),
                              due[late].tolist()):
        yield from kind.reply_verdict(events.histories[int(messages.account[row])], id_,
                                      date.fromordinal(int(day[row])), date.fromordinal(r) if r > 0 else None,
                                      date.fromordinal(d), scope)


VECTORISED: dict[type, Callable[[Any, Scope, ColumnarEvents], Iterator[Violation]]] = {
    UpdateFrequency: update_frequency,
    ColumnFreshness: column_freshness,
    DormantAccount: dormant_account,
    MessageReply: message_reply,
}


def _in_window(table: EventTable, scope: Scope) -> np.ndarray:
    return (table.day >= scope.since.toordinal()) & (table.day <= scope.as_of.toordinal())


def _signed_off(posts: EventTable, of_tier: np.ndarray, roles: list[str], distinct: bool) -> np.ndarray:
    """Per post: sign-offs (or different people, by person hash) in ``roles`` given before publication."""
    c = posts.columns
    row, person = c["signoff_row"], c["signoff_person"]
    use = np.isin(c["signoff_role"], [ROLES.index(r) for r in roles]) & c["signoff_in_time"] & of_tier[row]
    row, person = row[use], person[use]
    if distinct and len(row):
        order = np.lexsort((person, row))
        row, person = row[order], person[order]
        row = row[np.r_[True, (row[1:] != row[:-1]) | (person[1:] != person[:-1])]]
    return np.bincount(row, minlength=len(of_tier))


#: a row filter's answer: rows that may breach the rule (the kind decides on their records), and rows
#: that cannot be judged, by what they lack
Unknowns = list[tuple[tuple[str, ...], np.ndarray]]


def _known(posts: EventTable, scope: Scope, path: str, given: np.ndarray) -> np.ndarray:
    """Rows whose field is known: given, or declared complete."""
    return given | (path in scope.evidence.complete)


def _absent(rest: np.ndarray, wanted: dict[str, np.ndarray]) -> Unknowns:
    """Rows of ``rest`` by the set of fields they lack among ``wanted`` (field → known mask)."""
    out: Unknowns = []
    paths = sorted(wanted)
    for size in range(1, len(paths) + 1):
        for chosen in combinations(paths, size):
            mask = rest.copy()
            for path in paths:
                mask &= ~wanted[path] if path in chosen else wanted[path]
            out.append((chosen, mask))
    return out


def _unapproved(kind: ApprovalChain, posts: EventTable, scope: Scope) -> tuple[np.ndarray, Unknowns]:
    """Posts that may lack a sign-off their tier needs, or the review form (a hash clash can only add rows);
    posts whose sign-offs or form are not known, where nothing known is lacking."""
    c = posts.columns
    tier = c["tier"]
    signed = _known(posts, scope, "post.signoffs", c["signoffs_known"])
    form = _known(posts, scope, "post.review_form", c["review_form"] >= 0)
    covered = np.zeros(len(tier), bool)
    short = np.zeros(len(tier), bool)
    for name, steps in kind.params.tiers.items():
        of_tier = tier == TIERS.index(name)
        covered |= of_tier
        for step in steps:
            short |= of_tier & signed & (_signed_off(posts, of_tier, step.roles, step.distinct_persons) < step.count)
    wanted = {"post.signoffs": signed}
    if kind.params.review_form:
        short |= covered & form & (c["review_form"] != 1)
        wanted["post.review_form"] = form
    window = _in_window(posts, scope)
    return short & window, _absent(covered & window & ~short, wanted)


def _unsourced(kind: RepostSource, posts: EventTable, scope: Scope) -> tuple[np.ndarray, Unknowns]:
    """Reposts known not to be from an approved source, or not credited, as the rule requires; posts not
    known to be reposts or not, and reposts whose source facts are not known."""
    c = posts.columns
    window = _in_window(posts, scope)
    repost = ((c["original"] == 0) | c["has_repost_source"]) & window
    undecided = ~_known(posts, scope, "post.original", c["original"] >= 0) & ~c["has_repost_source"] & window
    short = np.zeros(len(repost), bool)
    wanted = {}
    for on, name in ((kind.params.approved_source, "source_approved"), (kind.params.credited, "source_credited")):
        if on:
            known = wanted[f"post.{name}"] = _known(posts, scope, f"post.{name}", c[name] >= 0)
            short |= known & (c[name] != 1)
    return repost & short, [(("post.original",), undecided), *_absent(repost & ~short, wanted)]


def _flagged(kind: ForbiddenPostFlags, posts: EventTable, scope: Scope) -> tuple[np.ndarray, Unknowns]:
    """Posts with any flag (the kind decides which); posts whose flags are not known."""
    window = _in_window(posts, scope)
    known = _known(posts, scope, "post.flags", posts.columns["flags_known"])
    return posts.columns["has_flags"] & window, [(("post.flags",), ~known & window)]


#: post-by-post kinds: only the rows that can breach the rule are rebuilt as records
ROW_FILTERS: dict[type, Callable[[Any, EventTable, Scope], tuple[np.ndarray, Unknowns]]] = {
    ApprovalChain: _unapproved,
    ForbiddenPostFlags: _flagged,
    RepostSource: _unsourced,
}
