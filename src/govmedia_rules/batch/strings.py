"""Whole-column work on Arrow strings through their byte buffers: padding checks and 64-bit hashes.

Ids number in the tens of millions; looking at their bytes with numpy is
several times faster than Arrow's general kernels (regex matching, hash
tables) for the two questions the batch path asks: could a value change when
stripped, and which values repeat.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

#: bytes that begin or end a character str.strip() removes (ASCII whitespace and \x1c-\x1f; the
#: lead or final bytes of U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028/9, U+202F, U+205F, U+3000)
_STRIP_FIRST = np.zeros(256, bool)
_STRIP_FIRST[[*range(9, 14), *range(0x1C, 0x21), 0xC2, 0xE1, 0xE2, 0xE3]] = True
_STRIP_LAST = np.zeros(256, bool)
_STRIP_LAST[[*range(9, 14), *range(0x1C, 0x21), 0x85, 0xA0, *range(0x80, 0x8B), 0xA8, 0xA9, 0xAF, 0x9F]] = True

_PRIME = np.uint64(0x100000001B3)


def _inverse(p: np.uint64) -> np.uint64:
    """Multiplicative inverse of an odd number modulo 2**64 (Newton's iteration)."""
    x = p
    with np.errstate(over="ignore"):
        for _ in range(6):
            x = x * (np.uint64(2) - p * x)
    return x


_PRIME_INVERSE = _inverse(_PRIME)


def _buffers(column: pa.Array | pa.ChunkedArray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(offsets, bytes) of each chunk, offsets rebased to the chunk's bytes (null values are empty)."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        n = len(chunk)
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(chunk.buffers()[1], width)[chunk.offset:chunk.offset + n + 1].astype(np.int64)
        data = chunk.buffers()[2]
        raw = np.frombuffer(data, np.uint8)[offsets[0]:offsets[-1]] if data is not None else np.zeros(0, np.uint8)
        yield offsets - offsets[0], raw


def maybe_padded(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Values that are empty or may begin or end with whitespace str.strip() would remove (a superset)."""
    out = []
    for offsets, raw in _buffers(column):
        length = np.diff(offsets)
        suspect = length == 0
        full = ~suspect
        suspect[full] = _STRIP_FIRST[raw[offsets[:-1][full]]] | _STRIP_LAST[raw[offsets[1:][full] - 1]]
        out.append(suspect)
    return np.concatenate(out) if out else np.zeros(0, bool)


def hashes(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit polynomial hash of each value (equal strings, equal hashes; collisions are for the caller)."""
    out = []
    with np.errstate(over="ignore"):
        for offsets, raw in _buffers(column):
            size = len(raw)
            powers = np.full(size, _PRIME, np.uint64)
            inverse = np.full(size + 1, _PRIME_INVERSE, np.uint64)
            if size:
                powers[0] = 1
            inverse[0] = 1
            powers, inverse = np.cumprod(powers), np.cumprod(inverse)
            running = np.concatenate([np.zeros(1, np.uint64), np.cumsum((raw.astype(np.uint64) + 1) * powers)])
            starts, ends = offsets[:-1], offsets[1:]
            out.append((running[ends] - running[starts]) * inverse[starts] + (ends - starts).astype(np.uint64))
    return np.concatenate(out) if out else np.zeros(0, np.uint64)
