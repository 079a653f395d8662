"""JSON Lines on the batch path: posts and messages parsed by Arrow's multi-threaded JSON reader.

The file is read in blocks of whole lines. A block holding only posts and messages, every
line an object and no field outside their contract, is parsed by Arrow against a schema
derived from the record models, dates and times kept as text and converted only when written
exactly ``YYYY-MM-DD`` and ``YYYY-MM-DDTHH:MM:SS`` (anything else — fractions, offsets, a date
for a time — is read one by one). Arrow reads an absent field and an explicit ``null`` alike,
so a line whose text names a field that is null in its row, where the record type refuses
null (``"tier": null``, a message's ``"original": null``), is read one by one too. Every
other block, and every row the columns cannot vouch for, goes through the per-record line
reader with its line number. Only the columns the rules read are kept, with each line's byte
offset to read it again, so memory grows with the number of events, not with the size of
the file (``docs/reliability.md`` gives the measured bound).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from ..dataset.columns import Source, positions
from ..errors import Location, RecordError
from ..record_fields import FieldSpec
from .blocks import Block, compact_block
from .events import accept_columns
from .files import MAX_LINE_BYTES, InputItem, jsonl_item
from .prepared import Prepared
from .screen import SHAPES, Shape, arrow_type, as_mask, flag_rows
from .strings import plain_times

BLOCK_BYTES = 8 << 20
_FEWEST_LINES = 256  # below this a part Arrow cannot parse is read line by line


def _json_schema() -> pa.Schema:
    """The columns of every event type's fields, dates and times as text (as JSON writes them).
    A field no column type is vouched for (``extra``), or one two event types type differently,
    is left out: a line giving it is not parsed by Arrow, so it is read line by line."""
    found: dict[str, pa.DataType | None] = {}
    for shape in SHAPES.values():
        for name, spec in shape.fields.items():
            kind = arrow_type(spec, text_times=True)
            found[name] = kind if found.get(name, kind) == kind else None
    return pa.schema([(name, kind) for name, kind in found.items() if kind is not None])


_SCHEMA = _json_schema()


def _nested(spec: FieldSpec) -> Iterator[FieldSpec]:
    """The fields of the records nested in a field (a list's elements, a nested model)."""
    if spec.item is not None:
        yield from _nested(spec.item)
    for inner in spec.fields:
        yield inner
        yield from _nested(inner)


#: per event type, the columns where a null in a line's text is not what Arrow reads it as (the
#: field left out): fields of the other type, fields refusing null or with another default; and
#: the names of such fields within nested records
_NULL_REFUSED = {
    kind: (
        [
            name
            for name in _SCHEMA.names
            if name != "type"
            and (name not in shape.fields or not shape.fields[name].null_is_absent)
        ],
        sorted(
            {
                inner.name
                for spec in shape.fields.values()
                for inner in _nested(spec)
                if not inner.null_is_absent
            }
        ),
    )
    for kind, shape in SHAPES.items()
}
_ESCAPED_LETTER = r"\\u00[4-7][0-9A-Fa-f]"  # a field name written with escapes (only letters and _)


def prepare_jsonl(paths: Iterable[str | Path]) -> Prepared:
    """Accept and index JSON Lines files on the batch path (the per-record path's verdicts, line
    for line)."""
    sources: list[Source] = []
    small: list[InputItem] = []
    blocks: list[Block] = []
    for path in map(Path, paths):
        if not path.is_file():
            raise RecordError(Location(str(path)), "文件不存在")
        starts: list[np.ndarray] = []
        index = len(sources)
        for first_line, offset, data in _blocks(path):
            lines = _line_starts(data)
            starts.append(lines[:-1] + offset)
            small.extend(_read_block(data, lines, first_line, index, str(path), blocks))
        total = path.stat().st_size
        sources.append(
            Source(str(path), line_starts=np.concatenate(starts + [np.array([total], np.int64)]))
        )
    return accept_columns(sources, small, blocks)


def _blocks(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(first line number, byte offset, bytes) of blocks of whole lines (the last line may lack
    its newline)."""
    line, offset, carry = 1, 0, b""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(BLOCK_BYTES)
            data = carry + chunk
            if not chunk:
                if data:
                    yield line, offset, data if data.endswith(b"\n") else data + b"\n"
                return
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                carry = data
                continue
            block, carry = data[:cut], data[cut:]
            yield line, offset, block
            line += block.count(b"\n")
            offset += len(block)


def _line_starts(data: bytes) -> np.ndarray:
    """Offsets of each line's start in the block, and the block's length at the end."""
    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + 1
    return np.concatenate([[0], ends]).astype(np.int64)


def _read_block(
    data: bytes, lines: np.ndarray, first_line: int, source: int, name: str, blocks: list[Block]
) -> list[InputItem]:
    """Columns of the block's posts and messages added to ``blocks``; the items of every other
    line, in order.

    A part that Arrow will not parse as posts and messages is halved until the
    lines that need the line reader are isolated (a file of mixed types costs a
    few more attempts, never a wrong verdict).
    """
    items: list[InputItem] = []
    pending = [(0, len(lines) - 1)]
    while pending:
        lo, hi = pending.pop()
        text = data[lines[lo] : lines[hi]]
        table = _parse(text, lines[lo : hi + 1] - lines[lo])
        if table is None and hi - lo > _FEWEST_LINES:
            middle = (lo + hi) // 2
            pending += [
                (middle, hi),
                (lo, middle),
            ]  # the first half is read first: items stay in file order
            continue
        leftover = np.arange(lo, hi)
        if table is not None:
            leftover = leftover[
                _add_columns(
                    table, text, lines[lo : hi + 1] - lines[lo], source, first_line + lo - 1, blocks
                )
            ]
        items.extend(_line_items(data, lines, leftover, first_line, name))
    return items


def _add_columns(
    table: pa.Table,
    text: bytes,
    starts: np.ndarray,
    source: int,
    first_row: int,
    blocks: list[Block],
) -> np.ndarray:
    """Posts and messages that pass the column checks added to ``blocks``; the rows left for the
    line reader. ``text`` holds the rows' lines, starting at ``starts`` (and the end)."""
    texts = pa.Array.from_buffers(
        pa.large_binary(), table.num_rows, [None, pa.py_buffer(starts), pa.py_buffer(text)]
    )
    kinds = table.column("type")
    leftover = np.ones(table.num_rows, bool)
    for kind, shape in SHAPES.items():
        rows = np.flatnonzero(as_mask(pc.equal(kinds, kind)))
        if not len(rows):
            continue
        part, unparsed = _with_times(table.take(pa.array(rows, pa.int64())), shape)
        refused = _refused_nulls(kind, part, text, texts)[rows]
        good = np.flatnonzero(~(flag_rows(part, shape) | unparsed | refused))
        blocks.append(
            compact_block(
                kind,
                positions(source, rows[good] + first_row),  # rows of the file
                part.take(pa.array(good, pa.int64())),
            )
        )
        leftover[rows[good]] = False
    return leftover


def _refused_nulls(kind: str, part: pa.Table, text: bytes, texts: pa.Array) -> np.ndarray:
    """Lines (``texts``, all of the block ``text``) that may give as null a field refused by the
    type of ``part`` (that type's rows), or write a field name with escapes. The lines are
    searched only when the block names such a field that is null in ``part`` (or nested
    anywhere), or holds an escape."""
    columns, nested = _NULL_REFUSED[kind]
    names = [
        name
        for name in columns
        if as_mask(part.column(name).is_null()).any() and f'"{name}"'.encode() in text
    ] + [name for name in nested if f'"{name}"'.encode() in text]
    patterns = [f'"({"|".join(names)})"\\s*:\\s*null'] if names else []
    if b"\\u00" in text:
        patterns.append(_ESCAPED_LETTER)
    if not patterns:
        return np.zeros(len(texts), bool)
    return as_mask(pc.match_substring_regex(texts, "|".join(patterns)))


def _parse(data: bytes, lines: np.ndarray) -> pa.Table | None:
    """The block as a table of posts and messages, or None when it must be read line by line."""
    raw = np.frombuffer(data, np.uint8)
    if ((lines[1:] - lines[:-1]) > MAX_LINE_BYTES).any() or (raw[lines[:-1]] != ord("{")).any():
        # blank or odd lines, a byte-order mark, an over-long line: the line reader's cases
        return None
    try:
        table = pj.read_json(
            io.BytesIO(data),
            read_options=pj.ReadOptions(block_size=1 << 22),
            parse_options=pj.ParseOptions(
                explicit_schema=_SCHEMA, unexpected_field_behavior="error"
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # another record type, a bad value, invalid JSON or UTF-8: line by line
    return table if table.num_rows == len(lines) - 1 else None


def _to_time(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Timestamps of values written exactly YYYY-MM-DDTHH:MM:SS, and the non-null values written
    otherwise."""
    micros, exact = plain_times(text)
    valid = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), bool)
    return pa.array(micros, pa.timestamp("us"), mask=~exact), valid & ~exact


def _to_date(text: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Dates of values written exactly YYYY-MM-DD, and the non-null values written otherwise."""
    moments, odd = _to_time(pc.binary_join_element_wise(text, "T00:00:00", ""))
    return pc.cast(moments, pa.date32()), odd


def _dated(spec: FieldSpec) -> bool:
    """Whether a field holds dates or times, at any depth."""
    return spec.kind in ("date", "time") or any(_dated(f) for f in (spec.item, *spec.fields) if f)


def _typed(values: pa.Array, spec: FieldSpec) -> tuple[pa.Array, np.ndarray]:
    """One field's column as read from JSON with its dates and times (text) as dates and
    timestamps, and the rows holding one written otherwise (read line by line)."""
    odd = np.zeros(len(values), bool)
    if spec.kind == "time":
        return _to_time(values)
    if spec.kind == "date":
        return _to_date(values)
    if spec.kind == "list" and spec.item is not None and _dated(spec.item):
        items, bad = _typed(pc.list_flatten(values), spec.item)
        odd[pc.list_parent_indices(values).to_numpy(zero_copy_only=False)[bad]] = True
        lengths = pc.fill_null(pc.list_value_length(values), 0).to_numpy(zero_copy_only=False)
        offsets = pa.array(np.concatenate([[0], np.cumsum(lengths)]), pa.int32())
        return pa.ListArray.from_arrays(offsets, items, mask=values.is_null()), odd
    if spec.kind == "object" and _dated(spec):
        children = []
        for field in spec.fields:
            child, bad = _typed(values.field(field.name), field)
            children.append(child)
            odd |= bad
        names = [field.name for field in spec.fields]
        typed = pa.StructArray.from_arrays(children, names=names, mask=values.is_null())
        return typed, odd & as_mask(values.is_valid())  # a null record has no times to read
    return values, odd


def _with_times(table: pa.Table, shape: Shape) -> tuple[pa.Table, np.ndarray]:
    """The table with the dates and times of ``shape``'s fields as dates and timestamps, and the
    rows holding one written otherwise."""
    odd = np.zeros(table.num_rows, bool)
    for index, name in enumerate(table.column_names):
        spec = shape.fields.get(name)
        if spec is not None and _dated(spec):
            typed, bad = _typed(table.column(name).combine_chunks(), spec)
            odd |= bad
            table = table.set_column(index, name, typed)
    return table, odd


def _line_items(
    data: bytes, lines: np.ndarray, numbers: np.ndarray, first_line: int, name: str
) -> list[InputItem]:
    out = []
    for n in numbers.tolist():
        item = jsonl_item(data[lines[n] : lines[n + 1]], name, first_line + n)
        if item is not None:
            out.append(item)
    return out
