"""Reading tables of records for the batch path, with exactly the per-record path's verdicts.

Units, accounts and the other small record types go through the record
models row by row, as on the per-record path. Posts and messages are checked
as columns (:mod:`.screen`) and reduced to what the rules read (:mod:`.blocks`);
rows the columns cannot vouch for are validated one by one. All of it is
accepted together (:mod:`.events`): every row read is accepted or rejected with
the per-record path's reason, table name and row number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..dataset.columns import COLUMNAR, Source, positions
from ..errors import Location, RecordError
from ..records import reading_order
from .blocks import Block, compact_block
from .events import accept_columns
from .files import InputItem, items_from_values
from .parquet import BATCH_ROWS, parquet_tables, plain_table, python_rows, row_items
from .prepared import Prepared
from .screen import SHAPES, flag_rows


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


def prepare_records(records: Iterable[Any]) -> Prepared:
    """Accept and index records (models, dicts or InputItems), counting every one: the same intake
    and the same columns as a folder of tables, so every rule runs one way whatever the input's
    form."""
    return accept_columns([], list(items_from_values(records)), [])
