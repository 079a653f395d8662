"""A folder of Parquet tables as input: one table per record type.

``units.parquet``, ``accounts.parquet``, ``posts.parquet``, ``messages.parquet``,
``filings.parquet`` … (the plural or singular of a record type), with the
contract's field names as columns. Rows are read in batches and validated one by
one like any other input, so a bad row is rejected with its table and row
number. Needs the ``parquet`` extra (pyarrow). The batch path
(:mod:`govmedia_rules.intake`) reads the same folders as columns; both paths
read a table through :func:`plain_table` and :func:`python_rows`, so a value
gives one verdict on either: nanoseconds are truncated to microseconds (the
finest a Python datetime holds), and a time or date outside years 1–9999
rejects its row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Location, RecordError
from ..records import reading_order
from .files import InputItem, item_from_value, record_type_of

if TYPE_CHECKING:
    import pyarrow as pa

BATCH_ROWS = 65_536
_UNITS = {"s": "秒", "ms": "毫秒", "us": "微秒", "ns": "纳秒"}


def clean_row(values: dict[str, Any], kind: str) -> dict[str, Any]:
    """An Arrow row as a record value: timestamps to ISO text, nulls dropped, the table's type by
    default."""
    record = {k: _clean(v) for k, v in values.items() if v is not None}
    record.setdefault("type", kind)
    return record


_PLAIN = (str, int, float, bool)


def _clean(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    return value


def plain_table(table: pa.Table) -> pa.Table:
    """The table as both paths read it: large strings (as Spark sends them) as plain strings, and
    nanosecond timestamps truncated to microseconds."""
    import pyarrow as pa

    def plain(kind: pa.DataType) -> pa.DataType:
        if pa.types.is_large_string(kind):
            return pa.string()
        if pa.types.is_timestamp(kind) and kind.unit == "ns":
            return pa.timestamp("us", kind.tz)
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            return pa.list_(plain(kind.value_type))
        if pa.types.is_struct(kind):
            return pa.struct([field.with_type(plain(field.type)) for field in kind])
        return kind

    schema = pa.schema([field.with_type(plain(field.type)) for field in table.schema])
    return table if schema.equals(table.schema) else table.cast(schema, safe=False)


def python_rows(table: pa.Table) -> list[dict[str, Any]]:
    """The rows of a :func:`plain_table` as Python values. A time or date no Python value holds
    (outside years 1–9999) becomes a text saying so, which validation rejects with its field."""
    try:
        return table.to_pylist()
    except (ValueError, OverflowError):  # one such value: the batch is converted value by value
        return [
            {name: _python(table.column(name)[row]) for name in table.column_names}
            for row in range(table.num_rows)
        ]


def _python(scalar: pa.Scalar) -> Any:
    import pyarrow as pa

    try:
        return scalar.as_py()
    except (ValueError, OverflowError):
        pass
    if isinstance(scalar, (pa.ListScalar, pa.LargeListScalar)):
        return [_python(value) for value in scalar.values]
    if isinstance(scalar, pa.StructScalar):
        return {name: _python(value) for name, value in scalar.items()}
    day = "天" if pa.types.is_date32(scalar.type) else "毫秒"
    unit = _UNITS.get(getattr(scalar.type, "unit", ""), day)
    return f"超出公元1年至9999年（自1970年起{scalar.value}{unit}）"


def row_items(
    rows: Iterable[tuple[int, dict[str, Any]]], kind: str, source: str
) -> Iterator[InputItem]:
    """Items of (1-based row number, Arrow row) pairs of a ``kind`` table."""
    for row, values in rows:
        yield item_from_value(clean_row(values, kind), source, row)


def parquet_tables(folder: Path) -> list[tuple[Path, str]]:
    """The folder's tables named by record type, with their type, in reading order (units and
    accounts first)."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise RecordError(
            Location(str(folder)),
            "读取 Parquet 需要 pyarrow：pip install 'govmedia-rules[parquet]'",
        ) from None
    found = [(p, kind) for p in folder.glob("*.parquet") if (kind := record_type_of(p))]
    if not found:
        raise RecordError(
            Location(str(folder)), "文件夹中没有按记录类型命名的 Parquet 表（如 accounts.parquet）"
        )
    return sorted(found, key=lambda t: (reading_order(t[1]), t[0].name))


def read_parquet_folder(folder: Path) -> Iterator[InputItem]:
    """Items from every ``<type>s.parquet`` table in ``folder``, units and accounts first."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for table, kind in parquet_tables(folder):
        try:
            rows = (
                values
                for batch in pq.ParquetFile(table).iter_batches(batch_size=BATCH_ROWS)
                for values in python_rows(plain_table(pa.Table.from_batches([batch])))
            )
            yield from row_items(enumerate(rows, 1), kind, str(table))
        except OSError as exc:
            raise RecordError(Location(str(table)), f"无法读取 Parquet 文件：{exc}") from None
