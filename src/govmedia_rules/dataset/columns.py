"""Posts and messages held as columns, grouped by account, and how rules are run over them.

The records that dominate a national input — posts and messages — never
become one Python object each: they are numpy arrays sorted by (account,
local time), with ``offsets`` marking where each account's rows start. Kinds
written over columns (``ColumnRuleKind``) read the arrays; any other
kind that reads posts or messages is handed histories built from the rows it
needs, one account at a time, so every kind gives the findings it gives on the
per-record path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..intake.files import InputItem, item_from_value, jsonl_item
from ..intake.parquet import clean_row, plain_table, python_rows
from ..kinds.base import AccountRuleKind, ColumnRuleKind, RuleKind, Scope, Unknown, Violation
from ..packs.model import Selector
from .registry import ACCOUNT_EVENTS, EVENT_ORDER, AccountHistory, Dataset

COLUMNAR = frozenset({"post", "message"})
_ROW_BITS = 40  # a row's position is ``source << 40 | row``: one int64 says where it came from


def positions(source: int, rows: np.ndarray) -> np.ndarray:
    """Positions of 0-based ``rows`` of the ``source``-th input."""
    return (np.int64(source) << _ROW_BITS) | rows.astype(np.int64)


def source_row(position: int) -> tuple[int, int]:
    """The source index and 0-based row of a position."""
    return position >> _ROW_BITS, position & ((1 << _ROW_BITS) - 1)


_LIST = {kind: ACCOUNT_EVENTS[kind][0] for kind in sorted(COLUMNAR)}
#: the field that places each event in time: rows are grouped by its local day
EVENT_TIME = {kind: ACCOUNT_EVENTS[kind][1] for kind in sorted(COLUMNAR)}


@dataclass
class Source:
    """Where rows came from: the name rejections cite, and how to read a row again to rebuild its
    record — from an Arrow ``table``, or for a JSON Lines file from the byte offset of each line
    (``line_starts``, one more than the lines: the last is the file's size), so the file's text is
    never held in memory."""

    name: str
    table: pa.Table | None = None
    line_starts: np.ndarray | None = None
    parquet: bool = False  # a Parquet file, read back by row group

    def items(self, rows: list[int], kind: str) -> list[InputItem]:
        """The items of 0-based ``rows``, in that order."""
        if self.table is not None or self.parquet:
            values = self._rows(rows)
            return [
                item_from_value(clean_row(v, kind), self.name, r + 1)
                for r, v in zip(rows, values, strict=False)
            ]
        assert self.line_starts is not None
        out: list[InputItem] = []
        with open(self.name, "rb") as handle:
            for r in rows:
                handle.seek(int(self.line_starts[r]))
                item = jsonl_item(
                    handle.read(int(self.line_starts[r + 1] - self.line_starts[r])),
                    self.name,
                    r + 1,
                )
                assert item is not None
                out.append(item)
        return out

    def _rows(self, rows: list[int]) -> list[dict[str, Any]]:
        if self.table is not None:
            return python_rows(self.table.take(pa.array(rows, pa.int64())))
        import pyarrow.parquet as pq

        reader = pq.ParquetFile(self.name)
        sizes = [reader.metadata.row_group(g).num_rows for g in range(reader.num_row_groups)]
        starts = np.cumsum([0] + sizes)
        wanted = np.asarray(rows, np.int64)
        group_of = np.searchsorted(starts, wanted, "right") - 1
        groups = np.unique(group_of)
        # the needed row groups in one (multi-threaded) read; each row's place among them
        shift = np.cumsum([0] + [sizes[g] for g in groups.tolist()])[:-1] - starts[groups]
        place = wanted + shift[np.searchsorted(groups, group_of)]
        return python_rows(
            plain_table(reader.read_row_groups(groups.tolist()).take(pa.array(place, pa.int64())))
        )


@dataclass
class EventTable:
    """One event type's accepted rows, sorted by (account, local day).

    ``account``, ``day`` and ``columns`` are in sorted order; ``perm`` maps a
    sorted row to its place in ``ids`` and ``position`` (``source << 40 | row``
    of its origin), which stay in reading order. ``columns`` holds an array per
    optional field of the record model (:func:`.blocks.field_arrays`: ``original``
    and ``tier`` as int8, -1 unknown; ``has_flags`` and ``flags_known``;
    ``replied_day`` as an int32 ordinal, -1 not replied …) and for posts the
    sign-offs flattened (``signoff_row`` in sorted order, ``signoff_role``,
    ``signoff_person`` as a hash, ``signoff_in_time``). Rows validated one by one
    keep their record in ``records``.
    """

    kind: str
    account: np.ndarray
    day: np.ndarray
    perm: np.ndarray
    ids: pa.ChunkedArray
    position: np.ndarray
    columns: dict[str, np.ndarray]
    offsets: np.ndarray
    sources: list[Source]
    records: dict[int, Any] = field(default_factory=dict)

    def ids_of(self, rows: np.ndarray) -> list[str]:
        """The ids of sorted rows, in one take rather than a lookup each."""
        return self.ids.take(pa.array(self.perm[rows], pa.int64())).to_pylist()

    def rows_of(self, account: int) -> np.ndarray:
        """The sorted rows of one account."""
        return np.arange(self.offsets[account], self.offsets[account + 1])

    @cached_property
    def _keys(self) -> np.ndarray:
        return (self.account.astype(np.int64) << 32) | self.day.astype(np.int64)

    def keys(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Sorted ``account << 32 | day`` of the rows in ``mask``: a window count is two binary
        searches. Computed once per table, not per rule."""
        return self._keys if mask is None else self._keys[mask]

    def unknown_rows(self, mask: np.ndarray, missing: tuple[str, ...]) -> Unknown | None:
        """The rows of ``mask`` as subjects that cannot be judged: counted, the five smallest ids
        named."""
        rows = np.flatnonzero(mask)
        if not len(rows):
            return None
        ids = self.ids.take(pa.array(self.perm[rows], pa.int64()))
        smallest = ids.take(pc.bottom_k_unstable(ids, k=min(5, len(rows)))).to_pylist()
        return Unknown(self.kind, missing, tuple(sorted(smallest)), len(rows))

    def build(self, rows: np.ndarray, *, keep_order: bool = False) -> list[Any]:
        """The records of ``rows``, validated by the record models: in (time, id) order like the
        per-record path's lists, or with ``keep_order`` in the order of ``rows``."""
        out: list[Any] = [None] * len(rows)
        by_source: dict[int, list[tuple[int, int]]] = {}
        for i, row in enumerate(rows.tolist()):
            pos = int(self.position[self.perm[row]])
            if pos in self.records:
                out[i] = self.records[pos]
            else:
                source, row_in_source = source_row(pos)
                by_source.setdefault(source, []).append((row_in_source, i))
        for index, pairs in by_source.items():
            for (_, i), item in zip(
                pairs, self.sources[index].items([r for r, _ in pairs], self.kind), strict=False
            ):
                assert item.record is not None, item.error  # screened as valid
                out[i] = item.record
        return out if keep_order else sorted(out, key=EVENT_ORDER[self.kind])


class ColumnarEvents:
    """The columnar side of a dataset: event tables and per-account arrays the vectorised kinds
    share."""

    def __init__(self, dataset: Dataset, tables: dict[str, EventTable]) -> None:
        self.dataset = dataset
        self.tables = tables
        self.histories = list(dataset.accounts.values())
        self.index = {h.account.id: i for i, h in enumerate(self.histories)}
        self.opened = np.array(
            [h.account.opened_on.toordinal() if h.account.opened_on else 0 for h in self.histories],
            np.int64,
        )
        self.closed = np.array(
            [
                h.account.closed_on.toordinal() if h.account.closed_on else np.iinfo(np.int32).max
                for h in self.histories
            ],
            np.int64,
        )
        self.gone = np.array(
            [h.account.closed_on is None and h.account.status == "closed" for h in self.histories],
            bool,
        )
        self._selected: dict[str, np.ndarray] = {}
        self._complete = False

    # -- what vectorised kinds share ------------------------------------
    def selected(self, selector: Selector) -> np.ndarray:
        """Which accounts the selector accepts (cached per selector)."""
        key = selector.model_dump_json()
        if key not in self._selected:
            self._selected[key] = np.array(
                [selector.accepts_account(h.account, h.unit) for h in self.histories], bool
            )
        return self._selected[key]

    def active_ranges(self, since: date, as_of: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``AccountHistory.active_range`` of every account as arrays: first day, last day, and
        whether any."""
        first = np.maximum(since.toordinal(), self.opened)
        last = np.minimum(as_of.toordinal(), self.closed - 1)
        return first, last, ~self.gone & (first <= last)

    # -- running kinds ------------------------------------------------------
    def evaluate(self, kind: RuleKind, scope: Scope) -> Iterator[Violation | Unknown]:
        """The kind's results: kinds written over columns, and those that read no posts or
        messages, run as they are; a kind that judges accounts one at a time gets histories rebuilt
        from the rows it needs."""
        if isinstance(kind, ColumnRuleKind) or (
            kind.reads is not None and not kind.reads & COLUMNAR
        ):
            return kind.evaluate(scope)
        if type(kind).evaluate is AccountRuleKind.evaluate and not self._complete:
            return self._per_account(kind, scope)  # type: ignore[arg-type]
        self.complete()
        return kind.evaluate(scope)

    def _per_account(self, kind: AccountRuleKind, scope: Scope) -> Iterator[Violation | Unknown]:
        """One account at a time, rebuilt from the rows the kind reads: memory stays bounded by
        the largest account."""
        reads = COLUMNAR if kind.reads is None else kind.reads & COLUMNAR
        for history in scope.accounts():
            yield from kind.check_account(
                self.history(self.index[history.account.id], reads), scope
            )

    def history(self, account: int, kinds: frozenset[str]) -> AccountHistory:
        """The account's history with its events of ``kinds`` rebuilt as records."""
        events: dict[str, Any] = {
            _LIST[k]: self.tables[k].build(self.tables[k].rows_of(account)) for k in kinds
        }
        return replace(self.histories[account], **events)

    def complete(self) -> None:
        """Rebuild every post and message into the dataset's histories, for kinds that read them any
        way they like."""
        if self._complete:
            return
        for i, history in enumerate(self.histories):
            for kind, table in self.tables.items():
                setattr(history, _LIST[kind], table.build(table.rows_of(i)))
        self._complete = True
