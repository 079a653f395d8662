"""A folder of Parquet tables as input: one table per record type.

``units.parquet``, ``accounts.parquet``, ``posts.parquet``, ``messages.parquet``,
``filings.parquet`` … (the plural or singular of a record type), with the
contract's field names as columns. Rows are read in batches and validated one by
one like any other input, so a bad row is rejected with its table and row
number. Needs the ``parquet`` extra (pyarrow).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import Location, RecordError
from .inputs import InputItem, item_from_value
from .records import RECORD_TYPES


def _record_type(path: Path) -> str | None:
    stem = path.stem.lower()
    return next((t for t in RECORD_TYPES if stem in (t, t + "s")), None)


def _clean(value: Any) -> Any:
    """Arrow values as JSON-like values: timestamps to ISO text, nulls dropped by the caller."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    return value


def read_parquet_folder(folder: Path) -> Iterator[InputItem]:
    """Items from every ``<type>s.parquet`` table in ``folder``, units and accounts first."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise RecordError(Location(str(folder)), "读取 Parquet 需要 pyarrow：pip install 'govmedia-rules[parquet]'") from None
    tables = sorted((p for p in folder.glob("*.parquet") if _record_type(p)),
                    key=lambda p: (list(RECORD_TYPES).index(_record_type(p)), p.name))  # type: ignore[arg-type]
    if not tables:
        raise RecordError(Location(str(folder)), "文件夹中没有按记录类型命名的 Parquet 表（如 accounts.parquet）")
    for table in tables:
        kind = _record_type(table)
        row = 0
        try:
            batches = pq.ParquetFile(table).iter_batches(batch_size=65_536)
            for batch in batches:
                for values in batch.to_pylist():
                    row += 1
                    record = {k: _clean(v) for k, v in values.items() if v is not None}
                    record.setdefault("type", kind)
                    yield item_from_value(record, str(table), row)
        except OSError as exc:
            raise RecordError(Location(str(table)), f"无法读取 Parquet 文件：{exc}") from None
