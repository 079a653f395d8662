"""Checking a table of posts or messages as columns, the way the record models would row by row.

A row passes here only if :mod:`govmedia_rules.records` would accept it
unchanged: ids and references non-empty text with nothing to strip, enums
from their lists, booleans as booleans, times as timestamps within Python's
range. Every other row — a typo'd column, a string where a timestamp belongs,
an id with a trailing space, a post with sign-offs (nested records) — is
flagged and validated one by one by the record models, so its acceptance or
its rejection message is exactly the per-record path's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..records import COLUMNS, ROLES, TIERS
from .strings import maybe_padded

#: microseconds from 1970-01-01 to 0001-01-01 and to the end of 9999, and days to 1970-01-01
_MIN_US, _MAX_US = -62_135_596_800_000_000, 253_402_300_799_999_999
EPOCH_ORDINAL = 719_163
_DAY_US = 86_400_000_000
_SHANGHAI_US = 8 * 3_600_000_000


def as_mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow result as numpy, null meaning False."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _is_text(column: pa.ChunkedArray) -> bool:
    return pa.types.is_string(column.type) or pa.types.is_large_string(column.type)


def _text(column: pa.ChunkedArray, *, required: bool) -> np.ndarray:
    """Text values that are not text, may need stripping or are empty (an empty id is invalid;
    elsewhere the row is only checked one by one); nulls where required."""
    if not _is_text(column):
        return as_mask(column.is_valid()) | required
    bad = maybe_padded(column) & as_mask(column.is_valid())
    if required:
        bad |= as_mask(column.is_null())
    return bad


def _enum(allowed: tuple[str, ...]) -> Callable[[pa.ChunkedArray], np.ndarray]:
    def check(column: pa.ChunkedArray) -> np.ndarray:
        if not _is_text(column):
            return as_mask(column.is_valid())
        return as_mask(column.is_valid()) & ~as_mask(pc.is_in(column, pa.array(allowed)))

    return check


def _bool(column: pa.ChunkedArray) -> np.ndarray:
    if pa.types.is_boolean(column.type):
        return np.zeros(len(column), bool)
    return as_mask(column.is_valid())


def local_micros(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Asia/Shanghai wall-clock microseconds since 1970 of a timestamp column, and the rows that
    are unusable.

    Naive timestamps already are Shanghai wall-clock time; zoned ones are
    instants, shifted by +8 h. Nulls and values outside years 1–9999 are unusable.
    Nanoseconds do not reach here: :func:`~govmedia_rules.parquet.plain_table`
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


def _time(*, required: bool) -> Callable[[pa.ChunkedArray], np.ndarray]:
    def check(column: pa.ChunkedArray) -> np.ndarray:
        _, bad = local_micros(column)
        return bad if required else bad & as_mask(column.is_valid())

    return check


def _flags(column: pa.ChunkedArray) -> np.ndarray:
    kind = column.type
    if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
        return as_mask(column.is_valid())
    flat = pc.list_flatten(column)
    if len(flat) == 0:
        return np.zeros(len(column), bool)
    if not (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
        return as_mask(pc.greater(pc.list_value_length(column), 0))
    parents = pc.list_parent_indices(column).to_numpy(zero_copy_only=False)
    bad_values = as_mask(flat.is_null()) | maybe_padded(flat)
    bad = np.zeros(len(column), bool)
    bad[parents[bad_values]] = True
    return bad


_SIGNOFF_FIELDS = ("role", "person", "at")


def signoff_fields(kind: pa.DataType) -> bool:
    """Whether a column is a list of {role, person, at} structs that can be checked as columns."""
    if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)) or not pa.types.is_struct(
        kind.value_type
    ):
        return False
    return sorted(f.name for f in kind.value_type) == sorted(_SIGNOFF_FIELDS)


def _signoffs(column: pa.ChunkedArray) -> np.ndarray:
    """Sign-offs: each element a {role, person, at} with a known role, person text and a usable
    time.

    Rows with sign-offs of any other shape are validated one by one (empty lists pass).
    """
    if not (pa.types.is_list(column.type) or pa.types.is_large_list(column.type)):
        return as_mask(column.is_valid())
    some = as_mask(pc.greater(pc.list_value_length(column), 0))
    if not signoff_fields(column.type):
        return some
    flat = pc.list_flatten(column)
    if len(flat) == 0:
        return some & False
    elements = flat.combine_chunks() if isinstance(flat, pa.ChunkedArray) else flat
    role, person, at = (pa.chunked_array([elements.field(name)]) for name in _SIGNOFF_FIELDS)
    bad_values = (
        as_mask(elements.is_null())
        | _enum(ROLES)(role)
        | as_mask(role.is_null())
        | _text(person, required=True)
        | _time(required=True)(at)
    )
    bad = np.zeros(len(column), bool)
    bad[pc.list_parent_indices(column).to_numpy(zero_copy_only=False)[bad_values]] = True
    return bad


@dataclass(frozen=True)
class Shape:
    """The columns of one event type that can be checked as columns, and which are required."""

    kind: str
    checks: dict[str, Callable[[pa.ChunkedArray], np.ndarray]]
    required: tuple[str, ...]
    time: str


SHAPES = {
    "post": Shape(
        "post",
        {
            "id": lambda c: _text(c, required=True),
            "account_id": lambda c: _text(c, required=True),
            "published_at": _time(required=True),
            "original": _bool,
            "source_credited": _bool,
            "source_approved": _bool,
            "review_form": _bool,
            "repost_source": lambda c: _text(c, required=False),
            "tier": _enum(TIERS),
            "column": _enum(COLUMNS),
            "flags": _flags,
            "signoffs": _signoffs,
        },
        ("id", "account_id", "published_at"),
        "published_at",
    ),
    "message": Shape(
        "message",
        {
            "id": lambda c: _text(c, required=True),
            "account_id": lambda c: _text(c, required=True),
            "received_at": _time(required=True),
            "replied_at": _time(required=False),
        },
        ("id", "account_id", "received_at"),
        "received_at",
    ),
}


def flag_rows(table: pa.Table, shape: Shape) -> np.ndarray:
    """Rows the columns cannot vouch for: to be validated one by one."""
    flagged = np.zeros(table.num_rows, bool)
    if any(name not in table.column_names for name in shape.required):
        flagged[:] = True
        return flagged
    for name in table.column_names:
        column = table.column(name)
        if name == "type":
            other = ~as_mask(pc.equal(column, shape.kind)) if _is_text(column) else True
            flagged |= as_mask(column.is_valid()) & other
            continue
        check = shape.checks.get(name)
        flagged |= check(column) if check else as_mask(column.is_valid())
    return flagged
