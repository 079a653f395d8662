"""Accepting the rows of posts and messages as whole columns, with the per-record path's verdicts.

Blocks of column-checked rows and the records validated one by one are joined per event type;
repeated ids (the first occurrence in reading order wins) and references to unknown accounts
are found with hashing and sorting over whole columns and rejected with the per-record path's
reason, source and row; what is left is grouped by account and local day.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..dataset.columns import COLUMNAR, ColumnarEvents, EventTable, Source, positions, source_row
from ..dataset.evidence import PROCESS_DATES
from ..dataset.registry import Dataset
from .blocks import FIELD_ARRAYS, Block, day_array, record_block
from .files import InputItem
from .prepared import Intake, Prepared, duplicate_reason, unknown_account_reason
from .strings import hashes


def accept_columns(sources: list[Source], small: list[InputItem], blocks: list[Block]) -> Prepared:
    """The prepared input: ``small`` items screened and indexed one by one, ``blocks`` as event
    tables."""
    intake = Intake()
    intake.read += sum(len(b.position) for b in blocks)  # counted before the blocks are taken apart
    staged = intake.screen(small, keep_duplicates=COLUMNAR)
    singles = {kind: staged.pop(kind, []) for kind in COLUMNAR}
    dataset = intake.index(staged)
    events = {
        kind: _event_table(
            kind, sources, [b for b in blocks if b.kind == kind], singles[kind], dataset, intake
        )
        for kind in COLUMNAR
    }
    dataset.columns = ColumnarEvents(dataset, events)
    for kind, table in events.items():  # the evidence the per-record path notes record by record
        if len(table.account):
            dataset.types.add(kind)
        for name in PROCESS_DATES.get(kind, ()):
            if (table.columns[day_array(name)] >= 0).any():
                dataset.tracked.add(f"{kind}.{name}")
    return Prepared(dataset, intake.accounting())


def _event_table(
    kind: str,
    sources: list[Source],
    blocks: list[Block],
    singles: list[InputItem],
    dataset: Dataset,
    intake: Intake,
) -> EventTable:
    """The accepted rows of one event type: column-checked blocks and one-by-one records,
    deduplicated, resolved to accounts and grouped by account."""
    records: dict[int, object] = {}
    # ids as written, for rejections (records hold them stripped)
    raw_ids: dict[int, str | None] = {}

    #: where rows came from, for rejections: the source's name and line of a position
    def place(pos: int) -> tuple[str, int]:
        if pos in places:
            return places[pos]
        source, line = source_row(pos)
        return sources[source].name, line + 1

    places: dict[int, tuple[str, int]] = {}
    if singles:
        if blocks:  # rows the column checks passed on: placed among their own source's rows
            source_index = {s.name: i for i, s in enumerate(sources)}
            placed = np.concatenate(
                [positions(source_index[i.source], np.array([i.line - 1])) for i in singles]
            )
        else:  # records alone, from anywhere: placed in the order given, which is reading order
            placed = positions(len(sources), np.arange(len(singles)))
            places = {
                pos: (item.source, item.line)
                for pos, item in zip(placed.tolist(), singles, strict=False)
            }
        blocks = blocks + [record_block(kind, placed, [i.record for i in singles])]
        records = dict(zip(placed.tolist(), (i.record for i in singles), strict=False))
        raw_ids = {pos: item.id for pos, item in zip(placed.tolist(), singles, strict=False)}
    known_accounts = pa.array(list(dataset.accounts), pa.string())
    sizes = [len(b.position) for b in blocks]
    starts = np.cumsum([0] + sizes)  # each block's first row among all: found once, not per row
    ids = pa.chunked_array([b.ids for b in blocks], pa.string())
    where = _gather(blocks, "position", np.int64)
    account = np.concatenate(
        [_resolve(b, known_accounts) for b in blocks] + [np.zeros(0, np.int32)]
    )
    day = _gather(blocks, "day", np.int32)

    def account_name(row: int) -> str:
        block = int(np.searchsorted(starts, row, "right")) - 1
        return blocks[block].names[int(blocks[block].accounts[row - starts[block]])].as_py()

    def reject(row: int, reason: str, code: str, field: str) -> None:
        pos = int(where[row])
        name, line = place(pos)
        intake.reject(
            name,
            line,
            kind,
            raw_ids[pos] if pos in raw_ids else ids[row].as_py(),
            reason,
            code=code,
            field=field,
        )

    keep = _first_occurrences(kind, ids, where, place, reject)
    for row in np.flatnonzero(keep & (account < 0)).tolist():
        reject(row, unknown_account_reason(account_name(row)), "unknown_reference", "account_id")
    keep &= account >= 0
    perm = _grouped_order(np.flatnonzero(keep), account, day, len(known_accounts))
    perm = perm.astype(np.int32) if len(where) < 2**31 else perm
    sorted_accounts = account[perm]
    del account
    kept = set(where[perm].tolist()) if records else set()
    columns: dict[str, np.ndarray] = {}
    for name, dtype in FIELD_ARRAYS[kind].items():  # a column at a time: each block's copy goes
        columns[name] = np.concatenate(
            [b.columns.pop(name) for b in blocks] + [np.zeros(0, dtype)]
        )[perm]
    if kind == "post":
        columns.update(
            _sorted_signoffs(
                [
                    {**b.signoffs, "row": b.signoffs["row"] + start}
                    for b, start in zip(blocks, starts.tolist(), strict=False)
                    if b.signoffs
                ],
                perm,
                len(where),
            )
        )
    return EventTable(
        kind=kind,
        account=sorted_accounts,
        day=day[perm],
        perm=perm,
        ids=ids,
        position=where,
        columns=columns,
        offsets=np.searchsorted(sorted_accounts, np.arange(len(known_accounts) + 1)).astype(
            np.int64
        ),
        sources=sources,
        records={p: r for p, r in records.items() if p in kept},
    )


def _gather(blocks: list[Block], field: str, dtype: type) -> np.ndarray:
    """One field of every block joined, each block's copy released."""
    joined = np.concatenate([getattr(b, field) for b in blocks] + [np.zeros(0, dtype)])
    for block in blocks:
        setattr(block, field, None)
    return joined


def _resolve(block: Block, known: pa.Array) -> np.ndarray:
    """Each row's index among the dataset's (sorted) accounts, or -1 for an account not in the
    input."""
    mapping = (
        pc.fill_null(pc.index_in(block.names, value_set=known), -1).to_numpy().astype(np.int32)
    )
    return mapping[block.accounts] if len(mapping) else np.full(len(block.accounts), -1, np.int32)


def _sorted_signoffs(
    parts: list[dict[str, np.ndarray]], perm: np.ndarray, rows: int
) -> dict[str, np.ndarray]:
    """Sign-offs of accepted posts, their row renumbered to the sorted order: ``signoff_*``
    columns."""
    parts = [p for p in parts if p]
    if not parts:
        return {
            "signoff_row": np.zeros(0, np.int64),
            "signoff_role": np.zeros(0, np.int8),
            "signoff_person": np.zeros(0, np.uint64),
            "signoff_in_time": np.zeros(0, bool),
        }
    joined = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    place = np.full(rows, -1, np.int32 if rows < 2**31 else np.int64)
    place[perm] = np.arange(len(perm))
    row = place[joined["row"]]
    kept = row >= 0
    return {
        "signoff_row": row[kept],
        "signoff_role": joined["role"][kept],
        "signoff_person": joined["person"][kept],
        "signoff_in_time": joined["in_time"][kept],
    }


def _grouped_order(
    rows: np.ndarray, account: np.ndarray, day: np.ndarray, accounts: int
) -> np.ndarray:
    """``rows`` ordered by (account, day, row): one sort of packed keys when they fit in 63 bits."""
    if len(rows) == 0:
        return rows
    low = int(day[rows].min())
    bits = [
        max(1, int(accounts).bit_length()),
        max(1, int(day[rows].max() - low).bit_length()),
        max(1, int(rows[-1]).bit_length()),
    ]
    if sum(bits) > 63:
        return rows[np.lexsort((rows, day[rows], account[rows]))]
    packed = (
        (account[rows].astype(np.int64) << (bits[1] + bits[2]))
        | ((day[rows] - low).astype(np.int64) << bits[2])
        | rows
    )
    return np.sort(packed) & ((1 << bits[2]) - 1)


def _first_occurrences(
    kind: str,
    ids: pa.ChunkedArray,
    position: np.ndarray,
    place: Callable[[int], tuple[str, int]],
    reject: Callable[[int, str, str, str], None],
) -> np.ndarray:
    """Rows whose id was not seen earlier in reading order; the others are rejected as repeats.

    Repeats are found among equal 64-bit hashes (a sort), then confirmed on the text.
    """
    keep = np.ones(len(ids), bool)
    hashed = hashes(ids)
    ordered = np.sort(hashed)
    clashing = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if len(clashing) == 0:
        return keep
    groups: dict[str, list[tuple[int, int]]] = {}
    for row in np.flatnonzero(np.isin(hashed, clashing)).tolist():
        groups.setdefault(ids[row].as_py(), []).append((int(position[row]), row))
    for id_, members in groups.items():
        members.sort()
        name, line = place(members[0][0])
        for _, row in members[1:]:
            keep[row] = False
            reject(row, duplicate_reason(kind, id_, name, line), "duplicate_id", "id")
    return keep
