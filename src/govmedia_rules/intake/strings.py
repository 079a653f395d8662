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

#: what str.strip() removes, as UTF-8: ASCII whitespace and \x1c-\x1f (one byte), U+0085 and
#: U+00A0 (two), U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and U+3000 (three)
_ONE = np.zeros(256, bool)
_ONE[[*range(9, 14), *range(0x1C, 0x21)]] = True
_TWO = np.array([0xC285, 0xC2A0], np.int64)
_THREE = np.array(
    [0xE19A80, *range(0xE28080, 0xE2808B), 0xE280A8, 0xE280A9, 0xE280AF, 0xE2819F, 0xE38080],
    np.int64,
)


_MAY_START = _ONE.copy()
_MAY_START[[0xC2, 0xE1, 0xE2, 0xE3]] = True
_MAY_END = _ONE.copy()
_MAY_END[[0x85, 0xA0, *range(0x80, 0x8B), 0xA8, 0xA9, 0xAF, 0x9F]] = True


def _spaces(raw: np.ndarray, at: np.ndarray, length: np.ndarray, step: int) -> np.ndarray:
    """Whether a strippable character starts at ``at`` (step 1) or ends just before it (step -1)."""

    def byte(k: int) -> np.ndarray:
        index = at + (k if step > 0 else -1 - k)
        return np.where(length > k, raw[np.clip(index, 0, max(len(raw) - 1, 0))], 0).astype(
            np.int64
        )

    b0, b1, b2 = byte(0), byte(1), byte(2)
    two = (b0 << 8) | b1 if step > 0 else (b1 << 8) | b0
    three = (b0 << 16) | (b1 << 8) | b2 if step > 0 else (b2 << 16) | (b1 << 8) | b0
    last = b0
    return (
        _ONE[last] | ((length >= 2) & np.isin(two, _TWO)) | ((length >= 3) & np.isin(three, _THREE))
    )


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
    """(offsets, bytes) of each chunk, offsets rebased to the chunk's bytes (null values are
    empty)."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        n = len(chunk)
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(chunk.buffers()[1], width)[
            chunk.offset : chunk.offset + n + 1
        ].astype(np.int64)
        data = chunk.buffers()[2]
        raw = (
            np.frombuffer(data, np.uint8)[offsets[0] : offsets[-1]]
            if data is not None
            else np.zeros(0, np.uint8)
        )
        yield offsets - offsets[0], raw


def maybe_padded(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Values that are empty or begin or end with whitespace str.strip() would remove."""
    out = []
    for offsets, raw in _buffers(column):
        length = np.diff(offsets)
        suspect = length == 0
        if len(raw):
            full = np.flatnonzero(~suspect)
            first, last = raw[offsets[:-1][full]], raw[offsets[1:][full] - 1]
            maybe = full[
                _MAY_START[first] | _MAY_END[last]
            ]  # a cheap look at one byte each end first
            suspect[maybe] = _spaces(raw, offsets[:-1][maybe], length[maybe], 1) | _spaces(
                raw, offsets[1:][maybe], length[maybe], -1
            )
        out.append(suspect)
    return np.concatenate(out) if out else np.zeros(0, bool)


def hashes(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit polynomial hash of each value (equal strings, equal hashes; collisions are for the
    caller)."""
    parts = list(_buffers(column))
    if not parts:
        return np.zeros(0, np.uint64)
    size = max(len(raw) for _, raw in parts)
    with np.errstate(over="ignore"):
        powers = np.full(
            size + 1, _PRIME, np.uint64
        )  # powers of the prime and of its inverse, once
        inverse = np.full(size + 1, _PRIME_INVERSE, np.uint64)
        powers[0] = inverse[0] = 1
        powers, inverse = np.cumprod(powers), np.cumprod(inverse)
        out = []
        for offsets, raw in parts:
            running = np.zeros(len(raw) + 1, np.uint64)
            np.cumsum((raw.astype(np.uint64) + 1) * powers[: len(raw)], out=running[1:])
            starts, ends = offsets[:-1], offsets[1:]
            out.append(
                (running[ends] - running[starts]) * inverse[starts]
                + (ends - starts).astype(np.uint64)
            )
    return np.concatenate(out)


_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]  # YYYY-MM-DDTHH:MM:SS
_SEPARATORS = {4: ord("-"), 7: ord("-"), 10: ord("T"), 13: ord(":"), 16: ord(":")}


def plain_times(column: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Microseconds since 1970 of values written exactly ``YYYY-MM-DDTHH:MM:SS`` (a real date and
    time), and which values were; anything else — fractions, offsets, other layouts, impossible
    dates — is left out."""
    micros, exact = [], []
    for offsets, raw in _buffers(column):
        n = len(offsets) - 1
        ok = np.diff(offsets) == 19
        at = offsets[:-1][ok]
        digits = (
            np.stack([raw[at + k].astype(np.int64) - 48 for k in _DIGITS])
            if len(at)
            else np.zeros((14, 0), np.int64)
        )
        good = ((digits >= 0) & (digits <= 9)).all(axis=0)
        for k, byte in _SEPARATORS.items():
            good &= raw[at + k] == byte
        d = digits
        year, month, day = (
            d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3],
            d[4] * 10 + d[5],
            d[6] * 10 + d[7],
        )
        hour, minute, second = d[8] * 10 + d[9], d[10] * 10 + d[11], d[12] * 10 + d[13]
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[
            np.clip(month, 0, 12)
        ] + (leap & (month == 2))
        good &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
        good &= (hour < 24) & (minute < 60) & (second < 60)
        # days from the civil date (proleptic Gregorian), then seconds
        y = year - (month <= 2)
        era = y // 400
        yoe = y - era * 400
        doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
        days = era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468
        value = np.zeros(n, np.int64)
        value[np.flatnonzero(ok)[good]] = (
            (days * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000_000
        )[good]
        mask = np.zeros(n, bool)
        mask[np.flatnonzero(ok)[good]] = True
        micros.append(value)
        exact.append(mask)
    if not micros:
        return np.zeros(0, np.int64), np.zeros(0, bool)
    return np.concatenate(micros), np.concatenate(exact)
