"""Checking a table of posts or messages as columns, the way the record models would row by row.

The checks are built from the models' fields (:mod:`govmedia_rules.record_fields`), so a
field or an allowed value added to a model is checked here with no other edit. A row passes
only if the models would accept it unchanged: text with nothing to strip, enums from their
lists, booleans as booleans, integers and numbers within their bounds, dates and times within
Python's range, nested records with their own fields checked the same way, required fields
given. Every other row — a typo'd column, a string where a timestamp belongs, an id with a
trailing space, a value of a field the checks cannot judge (``extra``) — is flagged and
validated one by one by the record models, so its acceptance or its rejection message is
exactly the per-record path's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from ..dataset.columns import COLUMNAR, EVENT_TIME
from ..record_fields import FieldSpec, field_specs, relates_fields
from ..records import RECORD_TYPES, reading_order
from .strings import maybe_padded

#: microseconds from 1970-01-01 to 0001-01-01 and to the end of 9999, and days to 1970-01-01
_MIN_US, _MAX_US = -62_135_596_800_000_000, 253_402_300_799_999_999
EPOCH_ORDINAL = 719_163
_MIN_DAY, _MAX_DAY = 1 - EPOCH_ORDINAL, 3_652_059 - EPOCH_ORDINAL  # 0001-01-01, 9999-12-31
_DAY_US = 86_400_000_000
_SHANGHAI_US = 8 * 3_600_000_000

Values: TypeAlias = pa.Array | pa.ChunkedArray


def as_mask(values: Values) -> np.ndarray:
    """A boolean Arrow result as numpy, null meaning False."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def is_list(kind: pa.DataType) -> bool:
    return pa.types.is_list(kind) or pa.types.is_large_list(kind)


def _is_text(column: Values) -> bool:
    return pa.types.is_string(column.type) or pa.types.is_large_string(column.type)


def local_micros(column: Values) -> tuple[np.ndarray, np.ndarray]:
    """Asia/Shanghai wall-clock microseconds since 1970 of a timestamp column, and the rows that
    are unusable.

    Naive timestamps already are Shanghai wall-clock time; zoned ones are
    instants, shifted by +8 h. Nulls and values outside years 1–9999 are unusable.
    Nanoseconds do not reach here: :func:`~govmedia_rules.intake.parquet.plain_table`
    truncates them to microseconds on both paths.
    """
    kind = column.type
    if not pa.types.is_timestamp(kind):
        return np.zeros(len(column), np.int64), np.ones(len(column), bool)
    raw = pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False)
    nulls = as_mask(column.is_null())
    raw = np.where(nulls, 0, raw).astype(np.int64)
    scale = {"s": 1_000_000, "ms": 1_000, "us": 1}[kind.unit]
    bad = nulls | (np.abs(raw) > np.iinfo(np.int64).max // scale)
    micros = np.where(bad, 0, raw) * scale
    if kind.tz is not None:
        micros = micros + _SHANGHAI_US
    bad |= (micros < _MIN_US) | (micros > _MAX_US)
    return np.where(bad, 0, micros), bad


def local_days(micros: np.ndarray) -> np.ndarray:
    """Proleptic Gregorian ordinals (``date.toordinal()``) of local wall-clock microseconds."""
    return (micros // _DAY_US + EPOCH_ORDINAL).astype(np.int32)


def date_days(column: Values) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970 of a date column, and the rows that are unusable (nulls, values outside
    years 1–9999, a column of another type)."""
    if not pa.types.is_date32(column.type):
        return np.zeros(len(column), np.int32), np.ones(len(column), bool)
    days = np.asarray(pc.fill_null(pc.cast(column, pa.int32()), 0).to_numpy(zero_copy_only=False))
    bad = as_mask(column.is_null()) | (days < _MIN_DAY) | (days > _MAX_DAY)
    return np.where(bad, 0, days).astype(np.int32), bad


def _text(spec: FieldSpec, column: Values) -> np.ndarray:
    """Text that may need stripping or is empty (the models would change or refuse it), or
    shorter than the field allows."""
    if not _is_text(column):
        return np.ones(len(column), bool)
    bad = maybe_padded(column)
    if spec.min_length is not None and spec.min_length > 1:
        bad |= as_mask(pc.less(pc.utf8_length(column), spec.min_length))
    return bad


def _enum(spec: FieldSpec, column: Values) -> np.ndarray:
    if not _is_text(column):
        return np.ones(len(column), bool)
    return ~as_mask(pc.is_in(column, pa.array(spec.allowed, pa.string())))


def _bool(spec: FieldSpec, column: Values) -> np.ndarray:
    return np.full(len(column), not pa.types.is_boolean(column.type))


def _int(spec: FieldSpec, column: Values) -> np.ndarray:
    if not pa.types.is_integer(column.type):
        return np.ones(len(column), bool)
    return _below(spec, column)


def _number(spec: FieldSpec, column: Values) -> np.ndarray:
    if pa.types.is_integer(column.type):
        return _below(spec, column)
    if not pa.types.is_floating(column.type):
        return np.ones(len(column), bool)
    return ~as_mask(pc.is_finite(column)) | _below(spec, column)


def _below(spec: FieldSpec, column: Values) -> np.ndarray:
    if spec.minimum is None:
        return np.zeros(len(column), bool)
    return as_mask(pc.less(column, spec.minimum))


def _time(spec: FieldSpec, column: Values) -> np.ndarray:
    return local_micros(column)[1]


def _date(spec: FieldSpec, column: Values) -> np.ndarray:
    return date_days(column)[1]


def _list(spec: FieldSpec, column: Values) -> np.ndarray:
    """Lists whose elements the element's checks flag (an empty list passes)."""
    assert spec.item is not None
    if not is_list(column.type):
        return np.ones(len(column), bool)
    flat = pc.list_flatten(column)
    bad = np.zeros(len(column), bool)
    if len(flat):
        parents = pc.list_parent_indices(column).to_numpy(zero_copy_only=False)
        bad[parents[flagged(spec.item, flat)]] = True
    return bad


def _object(spec: FieldSpec, column: Values) -> np.ndarray:
    """Nested records: a struct holding only the nested model's fields, each checked as such."""
    kind = column.type
    if not pa.types.is_struct(kind):
        return np.ones(len(column), bool)
    fields = {f.name: f for f in spec.fields}
    names = {field.name for field in kind}
    if not names <= fields.keys() or any(f.required and f.name not in names for f in spec.fields):
        return np.ones(len(column), bool)
    values = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    bad = np.zeros(len(column), bool)
    for name in names:
        bad |= flagged(fields[name], values.field(name))
    return bad


_CHECKS: dict[str, Callable[[FieldSpec, Values], np.ndarray]] = {
    "text": _text,
    "enum": _enum,
    "bool": _bool,
    "int": _int,
    "number": _number,
    "time": _time,
    "date": _date,
    "list": _list,
    "object": _object,
    "opaque": lambda spec, column: np.ones(len(column), bool),
}


def flagged(spec: FieldSpec, column: Values) -> np.ndarray:
    """Values of one field the models might not take unchanged: to be validated one by one.

    A null is the field left out (tables cannot write anything else): flagged where the field
    is required, accepted elsewhere.
    """
    valid = as_mask(column.is_valid())
    bad = _CHECKS[spec.kind](spec, column) & valid
    return bad | ~valid if spec.required else bad


@dataclass(frozen=True)
class Shape:
    """One event type's fields as the column checks see them, and its time column."""

    fields: dict[str, FieldSpec]
    time: str
    #: the model has rules across fields, so no row of it is vouched for as columns
    related: bool = False

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.fields.items() if spec.required)


def shape_of(model: type[BaseModel], time: str) -> Shape:
    """The shape of a record model (any model: tests derive one from a changed copy)."""
    return Shape({f.name: f for f in field_specs(model)}, time, relates_fields(model))


SHAPES = {
    kind: shape_of(RECORD_TYPES[kind], EVENT_TIME[kind])
    for kind in sorted(COLUMNAR, key=reading_order)  # one order in every process
}


def flag_rows(table: pa.Table, shape: Shape) -> np.ndarray:
    """Rows the columns cannot vouch for: to be validated one by one."""
    if shape.related or any(name not in table.column_names for name in shape.required):
        return np.ones(table.num_rows, bool)
    flags = np.zeros(table.num_rows, bool)
    for name in table.column_names:
        column = table.column(name)
        spec = shape.fields.get(name)
        flags |= flagged(spec, column) if spec else as_mask(column.is_valid())  # unknown field
    return flags


def arrow_type(spec: FieldSpec, *, text_times: bool = False) -> pa.DataType | None:
    """The Arrow type a field's column is vouched for in (with ``text_times``, dates and times
    as text, as JSON writes them); None for a field no column type is vouched for."""
    if spec.kind in ("date", "time") and text_times:
        return pa.string()
    if spec.kind == "list":
        assert spec.item is not None
        item = arrow_type(spec.item, text_times=text_times)
        return None if item is None else pa.list_(item)
    if spec.kind == "object":
        fields = [(f.name, arrow_type(f, text_times=text_times)) for f in spec.fields]
        if any(kind is None for _, kind in fields):
            return None
        return pa.struct(fields)
    return _ARROW_TYPES.get(spec.kind)


_ARROW_TYPES = {
    "text": pa.string(),
    "enum": pa.string(),
    "bool": pa.bool_(),
    "int": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "time": pa.timestamp("us"),
}
