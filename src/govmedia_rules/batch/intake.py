"""Accepting tables of records for the batch path, with exactly the per-record path's verdicts.

Units, accounts and the other small record types go through the record
models row by row, as on the per-record path. Posts and messages are checked
as columns (:mod:`.screen`); rows the columns cannot vouch for are validated
one by one. Repeated ids (the first occurrence in reading order wins) and
references to unknown accounts are found with hashing and sorting over whole
columns. Every row read is accepted or rejected with the per-record path's
reason, table name and row number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..dataset import Dataset
from ..errors import Location, RecordError
from ..inputs import InputItem, items_from_values
from ..intake import Intake, Prepared, duplicate_reason, unknown_account_reason
from ..parquet import BATCH_ROWS, parquet_tables, plain_table, python_rows, row_items
from ..records import COLUMNS, ROLES, TIERS, reading_order
from .columns import COLUMNAR, ColumnarEvents, EventTable, Source, positions, source_row
from .screen import SHAPES, flag_rows, local_days, local_micros, signoff_fields
from .strings import hashes

#: the per-type arrays of EventTable (see its docstring)
_TYPE_COLUMNS: dict[str, dict[str, type]] = {
    "post": {
        "original": np.int8,
        "column": np.int8,
        "has_flags": bool,
        "has_repost_source": bool,
        "tier": np.int8,
        "review_form": np.int8,
        "source_approved": np.int8,
        "source_credited": np.int8,
        "flags_known": bool,
        "signoffs_known": bool,
    },
    "message": {"replied_day": np.int32},
}


def prepare_folder(folder: str | Path) -> Prepared:
    """Accept and index a folder of Parquet tables (``posts.parquet`` …) for evaluation on the
    batch path."""
    return prepare_folders([folder])


def prepare_folders(folders: Iterable[str | Path]) -> Prepared:
    """Accept and index several folders of Parquet tables as one input (tables read in the
    per-record order).

    Posts and messages are read a batch of rows at a time and kept only as the
    columns the rules read; a row needed again is read back from its file.
    """
    import pyarrow.parquet as pq

    found = sorted(
        (t for folder in folders for t in parquet_tables(Path(folder))),
        key=lambda t: reading_order(t[1]),
    )
    with ThreadPoolExecutor(
        max_workers=1
    ) as pool:  # columns (numpy, Arrow: no GIL) beside the record models
        events = pool.submit(_read_event_tables, [t for t in found if t[1] in COLUMNAR])
        small: list[InputItem] = []
        for path, kind in found:
            if kind not in COLUMNAR:
                small.extend(
                    row_items(
                        enumerate(
                            _read(path, lambda p: python_rows(plain_table(pq.read_table(p)))), 1
                        ),
                        kind,
                        str(path),
                    )
                )
        sources, flagged, blocks = events.result()
    return accept_columns(sources, small + flagged, blocks)


def _read(path: Path, read: Callable[[Path], Any]) -> Any:
    try:
        return read(path)
    except (OSError, pa.ArrowException) as exc:
        raise RecordError(Location(str(path)), f"无法读取 Parquet 文件：{exc}") from None


def _read_event_tables(
    found: list[tuple[Path, str]],
) -> tuple[list[Source], list[InputItem], list[Block]]:
    """Posts and messages tables, a batch of rows at a time: their sources, the rows to validate
    one by one, and the blocks of the rest."""
    import pyarrow.parquet as pq

    sources: list[Source] = []
    items: list[InputItem] = []
    blocks: list[Block] = []
    for path, kind in found:
        sources.append(Source(str(path), parquet=True))
        first = 0
        for batch in _read(
            path, lambda p: pq.ParquetFile(p).iter_batches(batch_size=BATCH_ROWS * 16)
        ):
            table = plain_table(pa.Table.from_batches([batch]))
            items.extend(_check_rows(kind, len(sources) - 1, table, first, str(path), blocks))
            first += table.num_rows
    return sources, items, blocks


def _check_rows(
    kind: str, source: int, table: pa.Table, first: int, name: str, blocks: list[Block]
) -> list[InputItem]:
    """Rows of an event table (starting at row ``first`` of its source) checked as columns: the
    block of those that pass added to ``blocks``, the items of the others returned (validated one
    by one)."""
    flagged = flag_rows(table, SHAPES[kind])
    rows = np.flatnonzero(flagged)
    items = list(
        row_items(
            zip(
                (rows + first + 1).tolist(),
                python_rows(table.take(pa.array(rows, pa.int64()))),
                strict=False,
            ),
            kind,
            name,
        )
    )
    good = np.flatnonzero(~flagged)
    if not len(good):
        return items
    if len(good) < table.num_rows:
        table = table.take(pa.array(good, pa.int64()))
    blocks.append(compact_block(kind, positions(source, good + first), table))
    return items


def prepare_tables(tables: Iterable[tuple[str, str, pa.Table]]) -> Prepared:
    """Accept and index Arrow tables given as (name, record type, table), in reading order.

    The name is what rejections cite as the source; row numbers count from 1.
    """
    sources: list[Source] = []
    small: list[InputItem] = []
    blocks: list[Block] = []
    for name, kind, table in tables:
        table = plain_table(table)
        if kind not in COLUMNAR:
            small.extend(row_items(enumerate(python_rows(table), 1), kind, name))
            continue
        sources.append(Source(name, table))
        small.extend(_check_rows(kind, len(sources) - 1, table, 0, name, blocks))
    return accept_columns(sources, small, blocks)


@dataclass
class Block:
    """Rows of one event type that passed the column checks, reduced to what the rules read.

    ``position`` is ``source << 40 | row`` (0-based) of each row; ``accounts``
    and ``names`` code the account ids (a block names few accounts); ``signoffs``
    has its ``row`` counted within the block. The block's table is not kept.
    """

    kind: str
    position: np.ndarray
    ids: pa.Array
    accounts: np.ndarray
    names: pa.Array
    day: np.ndarray
    columns: dict[str, np.ndarray]
    signoffs: dict[str, np.ndarray]


def compact_block(kind: str, position: np.ndarray, table: pa.Table) -> Block:
    """What the rules read from checked rows: ids, coded accounts, local days, per-type arrays,
    sign-offs."""
    micros = local_micros(table.column(SHAPES[kind].time))[0]
    accounts = pc.dictionary_encode(table.column("account_id").combine_chunks())
    signoffs = {}
    if "signoffs" in table.column_names and signoff_fields(table.column("signoffs").type):
        signoffs = _signoff_arrays(table.column("signoffs"), micros)
    return Block(
        kind,
        position,
        table.column("id").combine_chunks(),
        accounts.indices.to_numpy().astype(np.int32),
        accounts.dictionary,
        local_days(micros),
        _type_columns(kind, table),
        signoffs,
    )


def _record_block(kind: str, position: np.ndarray, models: list[Any]) -> Block:
    """The same for records validated one by one (their values normalised by the record models)."""
    names = pa.array([m.account_id for m in models], pa.string())
    micros = np.array([_wall_micros(getattr(m, SHAPES[kind].time)) for m in models], np.int64)
    return Block(
        kind,
        position,
        pa.array([m.id for m in models], pa.string()),
        np.arange(len(models), dtype=np.int32),
        names,
        local_days(micros),
        _record_columns(kind, models),
        _record_signoffs(models) if kind == "post" else {},
    )


def prepare_records(records: Iterable[Any]) -> Prepared:
    """Accept and index records (models, dicts or InputItems), counting every one: the same intake
    and the same columns as a folder of tables, so every rule runs one way whatever the input's
    form."""
    return accept_columns([], list(items_from_values(records)), [])


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
    for kind, table in events.items():
        if len(table.account):
            dataset.types.add(kind)
    if "message" in events and (events["message"].columns["replied_day"] >= 0).any():
        dataset.tracked.add("message.replied_at")
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
    raw_ids: dict[
        int, str | None
    ] = {}  # ids as written, for rejections (records hold them stripped)

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
        blocks = blocks + [_record_block(kind, placed, [i.record for i in singles])]
        records = dict(zip(placed.tolist(), (i.record for i in singles), strict=False))
        raw_ids = {pos: item.id for pos, item in zip(placed.tolist(), singles, strict=False)}
    known_accounts = pa.array(list(dataset.accounts), pa.string())
    sizes = [len(b.position) for b in blocks]
    ids = pa.chunked_array([b.ids for b in blocks], pa.string())
    where = _gather(blocks, "position", np.int64)
    account = np.concatenate(
        [_resolve(b, known_accounts) for b in blocks] + [np.zeros(0, np.int32)]
    )
    day = _gather(blocks, "day", np.int32)

    def account_name(row: int) -> str:
        block = int(np.searchsorted(np.cumsum(sizes), row, "right"))
        return blocks[block].names[int(blocks[block].accounts[row - sum(sizes[:block])])].as_py()

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
    for name, dtype in _TYPE_COLUMNS[kind].items():  # a column at a time: each block's copy goes

        columns[name] = np.concatenate(
            [b.columns.pop(name) for b in blocks] + [np.zeros(0, dtype)]
        )[perm]
    if kind == "post":
        starts = np.cumsum([0] + sizes)
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


def _signoff_arrays(column: pa.ChunkedArray, published: np.ndarray) -> dict[str, np.ndarray]:
    """Sign-offs flattened: the post's row, the role, a hash of the person, and whether signed in
    time."""
    flat = pc.list_flatten(column)
    parents = pc.list_parent_indices(column).to_numpy(zero_copy_only=False).astype(np.int64)
    elements = flat.combine_chunks() if isinstance(flat, pa.ChunkedArray) else flat
    if len(elements) == 0:
        return {}
    signed, _ = local_micros(pa.chunked_array([elements.field("at")]))
    role = pc.index_in(elements.field("role"), value_set=pa.array(ROLES)).to_numpy(
        zero_copy_only=False
    )
    people = pc.dictionary_encode(elements.field("person"))  # few reviewers: hash each name once
    person = hashes(people.dictionary)[people.indices.to_numpy(zero_copy_only=False)]
    return {
        "row": parents,
        "role": role.astype(np.int8),
        "person": person,
        "in_time": signed <= published[parents],
    }


def _record_signoffs(models: list[Any]) -> dict[str, np.ndarray]:
    """The same arrays for posts validated one by one."""
    found = [(i, s) for i, m in enumerate(models) for s in m.signoffs or ()]
    if not found:
        return {}
    return {
        "row": np.array([r for r, _ in found], np.int64),
        "role": np.array([ROLES.index(s.role) for _, s in found], np.int8),
        "person": hashes(pa.array([s.person for _, s in found], pa.string())),
        "in_time": np.array([s.at <= models[r].published_at for r, s in found], bool),
    }


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


def _as_bool(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), bool)


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


def _wall_micros(moment: object) -> int:
    """Shanghai wall-clock microseconds since 1970 of an aware datetime already in Asia/Shanghai."""
    naive = moment.replace(tzinfo=None)  # type: ignore[attr-defined]
    delta = naive - naive.__class__(1970, 1, 1)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _type_columns(kind: str, table: pa.Table) -> dict[str, np.ndarray]:
    """The per-type arrays of :class:`EventTable` for column-checked rows."""
    n = table.num_rows

    def get(name: str) -> pa.ChunkedArray | None:
        """The column, or None when absent or all null (a null-typed column from a writer that saw
        no value)."""
        column = table.column(name) if name in table.column_names else None
        return None if column is None or pa.types.is_null(column.type) else column

    def numpy(values: pa.ChunkedArray, dtype: type) -> np.ndarray:
        return np.asarray(values.to_numpy(zero_copy_only=False)).astype(dtype)

    if kind == "message":
        replied = get("replied_at")
        if replied is None:
            return {"replied_day": np.full(n, -1, np.int32)}
        micros, bad = local_micros(replied)
        return {"replied_day": np.where(bad, -1, local_days(micros)).astype(np.int32)}
    column, flags, repost = get("column"), get("flags"), get("repost_source")
    tier, signoffs = get("tier"), get("signoffs")

    def known(values: pa.ChunkedArray | None) -> np.ndarray:
        """Rows where a list column is given (an empty list is known: none)."""
        return np.zeros(n, bool) if values is None else numpy(values.is_valid(), bool)

    def flag(name: str) -> np.ndarray:
        """A yes/no column as int8: 1, 0, or -1 when not given."""
        values = get(name)
        return (
            np.full(n, -1, np.int8)
            if values is None
            else numpy(pc.fill_null(pc.cast(values, pa.int8()), -1), np.int8)
        )

    return {
        "tier": (
            np.zeros(n, np.int8)
            if tier is None
            # routine when absent
            else numpy(pc.fill_null(pc.index_in(tier, value_set=pa.array(TIERS)), 0), np.int8)
        ),
        "review_form": flag("review_form"),
        "original": flag("original"),
        "source_approved": flag("source_approved"),
        "source_credited": flag("source_credited"),
        "column": (
            np.full(n, -1, np.int8)
            if column is None
            else numpy(pc.fill_null(pc.index_in(column, value_set=pa.array(COLUMNS)), -1), np.int8)
        ),
        "has_flags": (
            np.zeros(n, bool)
            if flags is None
            else numpy(pc.fill_null(pc.greater(pc.list_value_length(flags), 0), False), bool)
        ),
        "has_repost_source": np.zeros(n, bool)
        if repost is None
        else numpy(repost.is_valid(), bool),
        "flags_known": known(flags),
        "signoffs_known": known(signoffs),
    }


def _record_columns(kind: str, models: list[Any]) -> dict[str, np.ndarray]:
    """The per-type arrays of :class:`EventTable` for records validated one by one."""
    if kind == "message":
        return {
            "replied_day": np.array(
                [m.replied_at.toordinal() if m.replied_at else -1 for m in models], np.int32
            )
        }
    return {
        "tier": np.array([TIERS.index(m.tier) for m in models], np.int8),
        **{
            name: np.array(
                [-1 if getattr(m, name) is None else int(getattr(m, name)) for m in models], np.int8
            )
            for name in ("review_form", "original", "source_approved", "source_credited")
        },
        "column": np.array([COLUMNS.index(m.column) if m.column else -1 for m in models], np.int8),
        "has_flags": np.array([bool(m.flags) for m in models], bool),
        "has_repost_source": np.array([m.repost_source is not None for m in models], bool),
        "flags_known": np.array([m.flags is not None for m in models], bool),
        "signoffs_known": np.array([m.signoffs is not None for m in models], bool),
    }
