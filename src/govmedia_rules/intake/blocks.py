"""Rows of posts or messages reduced to what the rules read: ids, accounts, days, field arrays.

Which arrays there are follows the record models: one or two per optional field of the
types the vectorised rules read (:func:`_arrays`), so a field added to a model gets its
arrays with no other edit. Rows that passed the column checks are reduced from their
columns, rows validated one by one from the models' values (one small loop per field: most
evaluations of a few records take this way), each by the field's type alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..record_fields import FieldSpec
from ..records import ROLES
from .screen import (
    EPOCH_ORDINAL,
    SHAPES,
    Values,
    date_days,
    is_list,
    local_days,
    local_micros,
)
from .strings import hashes


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


def day_array(name: str) -> str:
    """The array of a date or time field: its local day (``replied_at`` → ``replied_day``)."""
    return name.removesuffix("_at").removesuffix("_on") + "_day"


def _arrays(spec: FieldSpec) -> list[tuple[str, type]]:
    """The arrays a field gives, with their dtypes: a code for a yes/no or an enum (-1 not
    given), whether a text or a list is given (and a list non-empty), a day for a date or time.
    Other fields are read from the records rebuilt for the rows that need them."""
    if spec.kind == "bool":
        return [(spec.name, np.int8)]
    if spec.kind == "enum":
        return [(spec.name, np.int8 if len(spec.allowed) < 128 else np.int16)]
    if spec.kind == "text":
        return [(f"has_{spec.name}", bool)]
    if spec.kind == "list":
        return [(f"has_{spec.name}", bool), (f"{spec.name}_known", bool)]
    if spec.kind in ("date", "time"):
        return [(day_array(spec.name), np.int32)]
    return []


#: per event type, its optional fields that give arrays (the required ones are the block itself)
_OPTIONAL = {
    kind: [s for s in shape.fields.values() if not s.required and s.name != "type" and _arrays(s)]
    for kind, shape in SHAPES.items()
}
#: per event type, the arrays of :class:`~.columns.EventTable` ``columns`` and their dtypes
FIELD_ARRAYS: dict[str, dict[str, type]] = {
    kind: {name: dtype for spec in specs for name, dtype in _arrays(spec)}
    for kind, specs in _OPTIONAL.items()
}


def _code(spec: FieldSpec, value: Any) -> int:
    """A yes/no or an enum value as its code: 1/0 or its index among the allowed; -1 none."""
    if value is None:
        return -1
    return int(value) if spec.kind == "bool" else spec.allowed.index(value)


def _encoded(spec: FieldSpec, column: Values | None, n: int) -> list[np.ndarray]:
    """The arrays of one field (in :func:`_arrays`' order) from its column, None when absent or
    all null. A value not given is the field's default."""
    if column is not None and pa.types.is_null(column.type):
        column = None
    if spec.kind in ("bool", "enum"):
        ((_, dtype),) = _arrays(spec)
        fallback = _code(spec, spec.default)
        if column is None:
            return [np.full(n, fallback, dtype)]
        if spec.kind == "bool":
            codes = pc.cast(column, pa.int8())
        else:
            codes = pc.index_in(column, value_set=pa.array(spec.allowed, pa.string()))
        return [_numpy(pc.fill_null(codes, fallback), dtype)]
    given = np.zeros(n, bool) if column is None else _numpy(column.is_valid(), bool)
    if spec.kind == "text":
        return [given]
    if spec.kind == "list":
        if column is None or not is_list(column.type):
            return [given, given]
        some = pc.fill_null(pc.greater(pc.list_value_length(column), 0), False)
        return [_numpy(some, bool), given]
    if column is None:  # a date or a time
        return [np.full(n, -1, np.int32)]
    if spec.kind == "time":
        micros, bad = local_micros(column)
        days = local_days(micros)
    else:
        days, bad = date_days(column)
        days = days + EPOCH_ORDINAL
    return [np.where(bad, -1, days).astype(np.int32)]


def _numpy(values: Values, dtype: type) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False)).astype(dtype)


def field_arrays(kind: str, table: pa.Table) -> dict[str, np.ndarray]:
    """The per-field arrays of :class:`~.columns.EventTable` for column-checked rows."""

    def column(name: str) -> Values | None:
        return table.column(name) if name in table.column_names else None

    return _named(kind, lambda spec: _encoded(spec, column(spec.name), table.num_rows))


def _from_values(spec: FieldSpec, values: list[Any]) -> list[np.ndarray]:
    """The arrays of one field (in :func:`_arrays`' order) from the values the models hold (a
    default already filled in; times in Shanghai time, so their date is their local day)."""
    if spec.kind in ("bool", "enum"):
        ((_, dtype),) = _arrays(spec)
        return [np.array([_code(spec, v) for v in values], dtype)]
    given = np.array([v is not None for v in values], bool)
    if spec.kind == "list":
        return [np.array([bool(v) for v in values], bool), given]
    if spec.kind in ("date", "time"):
        return [np.array([-1 if v is None else v.toordinal() for v in values], np.int32)]
    return [given]


def _named(kind: str, encode: Callable[[FieldSpec], list[np.ndarray]]) -> dict[str, np.ndarray]:
    """The per-field arrays of an event type, each field's encoded by ``encode``."""
    out: dict[str, np.ndarray] = {}
    for spec in _OPTIONAL[kind]:
        out.update(zip((name for name, _ in _arrays(spec)), encode(spec), strict=True))
    return out


def compact_block(kind: str, position: np.ndarray, table: pa.Table) -> Block:
    """What the rules read from checked rows: ids, coded accounts, local days, per-field arrays,
    sign-offs."""
    micros = local_micros(table.column(SHAPES[kind].time))[0]
    accounts = pc.dictionary_encode(table.column("account_id").combine_chunks())
    signoffs = {}
    if "signoffs" in table.column_names and is_list(table.column("signoffs").type):
        signoffs = _signoff_arrays(table.column("signoffs"), micros)
    return Block(
        kind,
        position,
        table.column("id").combine_chunks(),
        accounts.indices.to_numpy().astype(np.int32),
        accounts.dictionary,
        local_days(micros),
        field_arrays(kind, table),
        signoffs,
    )


def record_block(kind: str, position: np.ndarray, models: list[Any]) -> Block:
    """The same for records validated one by one (their values normalised by the record models)."""
    time = SHAPES[kind].time
    return Block(
        kind,
        position,
        pa.array([m.id for m in models], pa.string()),
        np.arange(len(models), dtype=np.int32),
        pa.array([m.account_id for m in models], pa.string()),
        np.array([getattr(m, time).toordinal() for m in models], np.int32),
        _named(kind, lambda spec: _from_values(spec, [getattr(m, spec.name) for m in models])),
        _record_signoffs(models) if "signoffs" in SHAPES[kind].fields else {},
    )


def _signoff_arrays(column: pa.ChunkedArray, published: np.ndarray) -> dict[str, np.ndarray]:
    """Sign-offs flattened: the post's row, the role, a hash of the person, and whether signed in
    time. The column checks passed, so any sign-off has the model's fields."""
    flat = pc.list_flatten(column)
    parents = pc.list_parent_indices(column).to_numpy(zero_copy_only=False).astype(np.int64)
    elements = flat.combine_chunks() if isinstance(flat, pa.ChunkedArray) else flat
    if len(elements) == 0:
        return {}
    signed, _ = local_micros(elements.field("at"))
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
