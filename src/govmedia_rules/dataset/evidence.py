"""What the input can show: the record types it carries, the fields it tracks, what a user
declared complete.

Absence of data is never a violation by itself (see ``docs/evidence.md``). A
rule whose record types are absent from the input cannot judge anyone; a field
that is absent or null on a record is unknown for that record. A user who
knows better declares a record type or a field complete: absence then means
"none" and counts against the subject.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..records import RECORD_TYPES

#: Dates recording whether a step happened. A null on one record is the fact
#: "not yet" — but only where the input tracks the field at all, that is, where
#: some record of the type carries it; otherwise nobody knows.
PROCESS_DATES: dict[str, tuple[str, ...]] = {
    "filing": ("filed_on", "forwarded_on"),
    "message": ("replied_at",),
    "login": ("logged_out_at",),
}


#: ``--complete all``: the input is the whole truth, every record type and every field.
EVERYTHING = frozenset(
    {
        *RECORD_TYPES,
        *(f"{kind}.{name}" for kind, model in RECORD_TYPES.items() for name in model.model_fields),
    }
)


def check_complete(entries: Iterable[str]) -> frozenset[str]:
    """The entries of a ``--complete`` list, each a record type, a ``type.field`` path, or ``all``
    (raises ValueError naming the bad entry)."""
    out: set[str] = set()
    for entry in entries:
        entry = entry.strip()
        if entry == "all":
            out |= EVERYTHING
            continue
        if not entry:
            continue
        kind, _, field = entry.partition(".")
        if kind not in RECORD_TYPES:
            raise ValueError(
                f"完整性声明 {entry!r} 中的记录类型 {kind!r} 无效"
                f"（允许：{'、'.join(RECORD_TYPES)}）"
            )
        if field and field.split(".")[0] not in RECORD_TYPES[kind].model_fields:
            raise ValueError(f"完整性声明 {entry!r}：{kind} 记录没有字段 {field!r}")
        out.add(entry)
    return frozenset(out)


@dataclass(frozen=True)
class Evidence:
    """The evidence one evaluation has: what the input carries and what the user declared
    complete."""

    #: record types of which the input holds at least one accepted record (or a table)
    types: frozenset[str] = frozenset()
    #: ``type.field`` process dates (:data:`PROCESS_DATES`) that some accepted record carries
    tracked: frozenset[str] = frozenset()
    #: record types and ``type.field`` paths the user declared complete
    complete: frozenset[str] = frozenset()

    def has(self, need: str) -> bool:
        """Whether a need (a record type, or a ``type.field`` process date) is covered by the
        input."""
        kind = need.partition(".")[0]
        if (
            need in self.complete or kind in self.complete
        ):  # a type declared complete carries its dates
            return True
        return need in self.tracked if "." in need else need in self.types

    def knows(self, path: str, value: object) -> bool:
        """Whether a field's value is known: given (not null), or its field declared complete."""
        return value is not None or path in self.complete
