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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..dataset import Dataset
from ..engine import Intake, Prepared, duplicate_reason, unknown_account_reason
from ..errors import Location, RecordError
from ..inputs import InputItem
from ..parquet import parquet_tables, row_items
from ..records import COLUMNS, RECORD_TYPES, ROLES, TIERS
from .columns import COLUMNAR, ColumnarEvents, EventTable, Source
from .screen import SHAPES, flag_rows, local_days, local_micros, signoff_fields
from .strings import hashes

_ROW_BITS = 40  # a row's position is ``source << 40 | row``
_ROW_MASK = (1 << _ROW_BITS) - 1
#: the per-type arrays of EventTable (see its docstring)
_TYPE_COLUMNS = {"post": {"original": np.int8, "column": np.int8, "has_flags": bool, "has_repost_source": bool,
                          "tier": np.int8, "review_form": np.int8, "source_approved": np.int8,
                          "source_credited": np.int8},
                 "message": {"replied_day": np.int32}}


def prepare_folder(folder: str | Path) -> Prepared:
    """Accept and index a folder of Parquet tables (``posts.parquet`` …) for evaluation on the batch path."""
    return prepare_folders([folder])


def prepare_folders(folders: Iterable[str | Path]) -> Prepared:
    """Accept and index several folders of Parquet tables as one input (tables read in the per-record order)."""
    import pyarrow.parquet as pq

    found = [t for folder in folders for t in parquet_tables(Path(folder))]
    tables = []
    for path, kind in sorted(found, key=lambda t: list(RECORD_TYPES).index(t[1])):
        try:
            tables.append((str(path), kind, pq.read_table(path)))
        except (OSError, pa.ArrowException) as exc:
            raise RecordError(Location(str(path)), f"无法读取 Parquet 文件：{exc}") from None
    return prepare_tables(tables)


def prepare_tables(tables: Iterable[tuple[str, str, pa.Table]]) -> Prepared:
    """Accept and index Arrow tables given as (name, record type, table), in reading order.

    The name is what rejections cite as the source; row numbers count from 1.
    """
    sources: list[Source] = []
    small: list[InputItem] = []
    blocks: list[Block] = []
    for name, kind, table in tables:
        table = _plain_strings(table)
        if kind not in COLUMNAR:
            small.extend(row_items(enumerate(table.to_pylist(), 1), kind, name))
            continue
        flagged = flag_rows(table, SHAPES[kind])
        sources.append(Source(name, table))
        rows = np.flatnonzero(flagged)
        small.extend(row_items(zip((rows + 1).tolist(), table.take(pa.array(rows, pa.int64())).to_pylist()),
                               kind, name))
        blocks.append(checked_block(kind, len(sources) - 1, table, np.flatnonzero(~flagged)))
    return accept_columns(sources, small, blocks)


@dataclass
class Block:
    """Rows of one event type that passed the column checks: their table and their 0-based rows in the source."""

    kind: str
    source: int
    table: pa.Table
    rows: np.ndarray


def checked_block(kind: str, source: int, table: pa.Table, rows: np.ndarray) -> Block:
    """The block of ``rows`` of ``table``, keeping only the columns the batch path reads."""
    table = table.select([c for c in table.column_names if c in SHAPES[kind].checks])
    if len(rows) < table.num_rows:
        table = table.take(pa.array(rows, pa.int64()))
    return Block(kind, source, table, rows)


def accept_columns(sources: list[Source], small: list[InputItem], blocks: list[Block]) -> Prepared:
    """The prepared input: ``small`` items screened and indexed one by one, ``blocks`` as event tables."""
    intake = Intake()
    staged = intake.screen(small, keep_duplicates=COLUMNAR)
    singles = {kind: staged.pop(kind, []) for kind in COLUMNAR}
    dataset = intake.index(staged)
    events = {kind: _event_table(kind, sources, [b for b in blocks if b.kind == kind], singles[kind], dataset,
                                 intake) for kind in COLUMNAR}
    intake.read += sum(len(b.rows) for b in blocks)
    dataset.columns = ColumnarEvents(dataset, events)
    return Prepared(dataset, intake.accounting())


def _plain_strings(table: pa.Table) -> pa.Table:
    """Large strings (as Spark sends them) as plain strings, so one set of kernels serves every source."""
    def plain(kind: pa.DataType) -> pa.DataType:
        if pa.types.is_large_string(kind):
            return pa.string()
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            return pa.list_(plain(kind.value_type))
        return kind

    schema = pa.schema([field.with_type(plain(field.type)) for field in table.schema])
    return table if schema.equals(table.schema) else table.cast(schema)


def _event_table(kind: str, sources: list[Source], blocks: list[Block], singles: list[InputItem],
                 dataset: Dataset, intake: Intake) -> EventTable:
    """The accepted rows of one event type: column-checked rows and one-by-one records, deduplicated and resolved."""
    shape = SHAPES[kind]
    ids: list[pa.Array] = []
    account_ids: list[pa.Array] = []
    micros: list[np.ndarray] = []
    position: list[np.ndarray] = []
    extra: dict[str, list[np.ndarray]] = {name: [] for name in _TYPE_COLUMNS[kind]}
    signoffs: list[dict[str, np.ndarray]] = []
    count = 0
    for block in blocks:
        table, rows = block.table, block.rows
        if not len(rows):
            continue
        ids.extend(table.column("id").chunks)
        account_ids.extend(table.column("account_id").chunks)
        micros.append(local_micros(table.column(shape.time))[0])
        position.append((np.int64(block.source) << _ROW_BITS) | rows.astype(np.int64))
        for name, values in _type_columns(kind, table).items():
            extra[name].append(values)
        if "signoffs" in table.column_names and signoff_fields(table.column("signoffs").type):
            signoffs.append(_signoff_arrays(table.column("signoffs"), count, micros[-1]))
        count += len(rows)
    records: dict[int, object] = {}
    raw_ids: dict[int, str | None] = {}  # ids as written, for rejections (records hold them stripped)
    if singles:
        source_index = {s.name: i for i, s in enumerate(sources)}
        positions = np.array([(source_index[i.source] << _ROW_BITS) | (i.line - 1) for i in singles], np.int64)
        models = [i.record for i in singles]
        ids.append(pa.array([m.id for m in models], pa.string()))
        account_ids.append(pa.array([m.account_id for m in models], pa.string()))
        micros.append(np.array([_wall_micros(getattr(m, shape.time)) for m in models], np.int64))
        position.append(positions)
        for name, values in _record_columns(kind, models).items():
            extra[name].append(values)
        if kind == "post":
            signoffs.append(_record_signoffs(models, count))
        records = dict(zip(positions.tolist(), models))
        raw_ids = {pos: item.id for pos, item in zip(positions.tolist(), singles)}
    id_column = pa.chunked_array(ids, pa.string()) if ids else pa.chunked_array([], pa.string())
    account_column = pa.chunked_array(account_ids, pa.string()) if ids else pa.chunked_array([], pa.string())
    where = np.concatenate(position) if position else np.zeros(0, np.int64)

    def reject(row: int, reason: str) -> None:
        pos = int(where[row])
        intake.reject(sources[pos >> _ROW_BITS].name, (pos & _ROW_MASK) + 1, kind,
                      raw_ids[pos] if pos in raw_ids else id_column[row].as_py(), reason)

    keep = _first_occurrences(kind, id_column, where, sources, reject)
    accounts = pa.array(list(dataset.accounts), pa.string())
    account = pc.index_in(account_column, value_set=accounts)
    known = _as_bool(account.is_valid())
    for row in np.flatnonzero(keep & ~known).tolist():
        reject(row, unknown_account_reason(account_column[row].as_py()))
    keep &= known
    account_index = pc.fill_null(account, -1).to_numpy().astype(np.int32)
    day = local_days(np.concatenate(micros)) if micros else np.zeros(0, np.int32)
    perm = _grouped_order(np.flatnonzero(keep), account_index, day, len(accounts))
    sorted_accounts = account_index[perm]
    kept = set(where[perm].tolist()) if records else set()
    columns = {name: np.concatenate(values + [np.zeros(0, _TYPE_COLUMNS[kind][name])])[perm]
               for name, values in extra.items()}
    if kind == "post":
        columns.update(_sorted_signoffs(signoffs, perm, len(where)))
    return EventTable(
        kind=kind, account=sorted_accounts, day=day[perm], perm=perm, ids=id_column, position=where,
        columns=columns,
        offsets=np.searchsorted(sorted_accounts, np.arange(len(accounts) + 1)).astype(np.int64),
        sources=sources, records={p: r for p, r in records.items() if p in kept},
    )


def _signoff_arrays(column: pa.ChunkedArray, base: int, published: np.ndarray) -> dict[str, np.ndarray]:
    """Sign-offs flattened: the row (counted from ``base``), role, person hash, and whether signed in time."""
    flat = pc.list_flatten(column)
    parents = pc.list_parent_indices(column).to_numpy(zero_copy_only=False).astype(np.int64)
    elements = flat.combine_chunks() if isinstance(flat, pa.ChunkedArray) else flat
    if len(elements) == 0:
        return {}
    signed, _ = local_micros(pa.chunked_array([elements.field("at")]))
    role = pc.index_in(elements.field("role"), value_set=pa.array(ROLES)).to_numpy(zero_copy_only=False)
    people = pc.dictionary_encode(elements.field("person"))  # few reviewers: hash each name once
    person = hashes(people.dictionary)[people.indices.to_numpy(zero_copy_only=False)]
    return {"row": parents + base, "role": role.astype(np.int8), "person": person,
            "in_time": signed <= published[parents]}


def _record_signoffs(models: list, base: int) -> dict[str, np.ndarray]:
    """The same arrays for posts validated one by one."""
    found = [(base + i, s) for i, m in enumerate(models) for s in m.signoffs]
    if not found:
        return {}
    return {"row": np.array([r for r, _ in found], np.int64),
            "role": np.array([ROLES.index(s.role) for _, s in found], np.int8),
            "person": hashes(pa.array([s.person for _, s in found], pa.string())),
            "in_time": np.array([s.at <= models[r - base].published_at for r, s in found], bool)}


def _sorted_signoffs(parts: list[dict[str, np.ndarray]], perm: np.ndarray, rows: int) -> dict[str, np.ndarray]:
    """Sign-offs of accepted posts, their row renumbered to the sorted order: ``signoff_*`` columns."""
    parts = [p for p in parts if p]
    if not parts:
        return {"signoff_row": np.zeros(0, np.int64), "signoff_role": np.zeros(0, np.int8),
                "signoff_person": np.zeros(0, np.uint64), "signoff_in_time": np.zeros(0, bool)}
    joined = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    place = np.full(rows, -1, np.int64)
    place[perm] = np.arange(len(perm))
    row = place[joined["row"]]
    kept = row >= 0
    return {"signoff_row": row[kept], "signoff_role": joined["role"][kept], "signoff_person": joined["person"][kept],
            "signoff_in_time": joined["in_time"][kept]}


def _as_bool(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), bool)


def _grouped_order(rows: np.ndarray, account: np.ndarray, day: np.ndarray, accounts: int) -> np.ndarray:
    """``rows`` ordered by (account, day, row): one sort of packed keys when they fit in 63 bits."""
    if len(rows) == 0:
        return rows
    low = int(day[rows].min())
    bits = [max(1, int(accounts).bit_length()), max(1, int(day[rows].max() - low).bit_length()),
            max(1, int(rows[-1]).bit_length())]
    if sum(bits) > 63:
        return rows[np.lexsort((rows, day[rows], account[rows]))]
    packed = ((account[rows].astype(np.int64) << (bits[1] + bits[2])) | ((day[rows] - low).astype(np.int64) << bits[2])
              | rows)
    return np.sort(packed) & ((1 << bits[2]) - 1)


def _first_occurrences(kind: str, ids: pa.ChunkedArray, position: np.ndarray, sources: list[Source],
                       reject: Callable[[int, str], None]) -> np.ndarray:
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
        first = members[0][0]
        for _, row in members[1:]:
            keep[row] = False
            reject(row, duplicate_reason(kind, id_, sources[first >> _ROW_BITS].name, (first & _ROW_MASK) + 1))
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
        """The column, or None when absent or all null (a null-typed column from a writer that saw no value)."""
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
    tier = get("tier")

    def flag(name: str) -> np.ndarray:
        """A yes/no column as int8: 1, 0, or -1 when not given."""
        values = get(name)
        return np.full(n, -1, np.int8) if values is None else numpy(pc.fill_null(pc.cast(values, pa.int8()), -1),
                                                                   np.int8)

    return {
        "tier": (np.zeros(n, np.int8) if tier is None else  # routine when absent
                 numpy(pc.fill_null(pc.index_in(tier, value_set=pa.array(TIERS)), 0), np.int8)),
        "review_form": flag("review_form"), "original": flag("original"),
        "source_approved": flag("source_approved"), "source_credited": flag("source_credited"),
        "column": (np.full(n, -1, np.int8) if column is None else
                   numpy(pc.fill_null(pc.index_in(column, value_set=pa.array(COLUMNS)), -1), np.int8)),
        "has_flags": (np.zeros(n, bool) if flags is None else
                      numpy(pc.fill_null(pc.greater(pc.list_value_length(flags), 0), False), bool)),
        "has_repost_source": np.zeros(n, bool) if repost is None else numpy(repost.is_valid(), bool),
    }


def _record_columns(kind: str, models: list) -> dict[str, np.ndarray]:
    """The per-type arrays of :class:`EventTable` for records validated one by one."""
    if kind == "message":
        return {"replied_day": np.array([m.replied_at.toordinal() if m.replied_at else -1 for m in models], np.int32)}
    return {
        "tier": np.array([TIERS.index(m.tier) for m in models], np.int8),
        **{name: np.array([-1 if getattr(m, name) is None else int(getattr(m, name)) for m in models], np.int8)
           for name in ("review_form", "original", "source_approved", "source_credited")},
        "column": np.array([COLUMNS.index(m.column) if m.column else -1 for m in models], np.int8),
        "has_flags": np.array([bool(m.flags) for m in models], bool),
        "has_repost_source": np.array([m.repost_source is not None for m in models], bool),
    }
