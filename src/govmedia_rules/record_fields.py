"""The record contract's fields as data, read off the pydantic models of :mod:`.records`.

The models are the contract, stated once. Every other form of it — the columns the batch
path checks in bulk (:mod:`.intake.screen`), the Arrow schema it reads JSON Lines with, the
per-type arrays the vectorised rules read (:mod:`.intake.blocks`) — is built from these
specs, so a field or an allowed value added to a model reaches all of them with no other
edit. A field whose type or constraint is not understood here is ``opaque``: never vouched
for in bulk, so its rows are validated by the models one by one and the verdict stays the
models'.
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, MinLen
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .records import Id, LocalDateTime

Kind = Literal["text", "enum", "bool", "int", "number", "date", "time", "list", "object", "opaque"]

#: validators of the contract's own types whose effect the bulk checks already allow for: ids
#: written as integers are text (a column of integers is checked one by one), zoned times
#: are converted to Shanghai time (the checks read zoned and naive timestamps alike)
_UNDERSTOOD = (*get_args(Id)[1:], *get_args(LocalDateTime)[1:])
_SCALARS: dict[Any, Kind] = {
    str: "text",
    bool: "bool",
    int: "int",
    float: "number",
    datetime: "time",
    date: "date",
}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record model: its type and constraints, as the bulk checks need them."""

    name: str
    kind: Kind
    #: must be given (the model has no default for it)
    required: bool = False
    #: takes an explicit null
    nullable: bool = False
    #: its value when not given
    default: Any = None
    #: ``enum``: the allowed values, in the model's order (rules index them)
    allowed: tuple[str, ...] = ()
    #: ``int`` and ``number``: the least value allowed
    minimum: float | None = None
    #: ``text``: the fewest characters allowed
    min_length: int | None = None
    #: ``list``: its elements
    item: FieldSpec | None = None
    #: ``object`` (a nested model): its fields
    fields: tuple[FieldSpec, ...] = ()

    @property
    def null_is_absent(self) -> bool:
        """Whether an explicit null means what leaving the field out means. A table cannot tell
        the two apart, so a null where they differ must be read from the record's own text."""
        return self.required or (self.nullable and self.default is None)


def field_specs(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The specs of a model's fields, in the model's order."""
    out = []
    for name, info in model.model_fields.items():
        default = None if info.default is PydanticUndefined else info.default
        out.append(_spec(name, info.annotation, list(info.metadata), info.is_required(), default))
    return tuple(out)


def relates_fields(model: type[BaseModel]) -> bool:
    """Whether the model has validators of its own (a rule across fields, such as an account
    closed before it opened), which no check of one column at a time can stand in for."""
    found = model.__pydantic_decorators__
    return bool(found.model_validators or found.field_validators or found.validators)


def _spec(
    name: str, annotation: Any, metadata: list[Any], required: bool, default: Any
) -> FieldSpec:
    annotation, metadata = _unwrapped(annotation, metadata)
    nullable = False
    if get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        nullable = True
        annotation = rest[0] if len(rest) == 1 else Any
        annotation, metadata = _unwrapped(annotation, metadata)
    opaque = FieldSpec(name, "opaque", required, nullable, default)
    minimum, min_length = None, None
    for item in metadata:
        if isinstance(item, Ge) and isinstance(item.ge, (int, float)):
            minimum = float(item.ge)
        elif isinstance(item, MinLen):
            min_length = item.min_length
        elif item not in _UNDERSTOOD:
            return opaque  # a constraint the checks cannot apply: the models judge each row
    shared = {"required": required, "nullable": nullable, "default": default}
    origin = get_origin(annotation)
    if origin is Literal:
        allowed = get_args(annotation)
        if not all(isinstance(value, str) for value in allowed):
            return opaque
        return FieldSpec(name, "enum", allowed=allowed, **shared)
    if origin is list and min_length is None:
        (element,) = get_args(annotation) or (Any,)
        item = _spec("item", element, [], True, None)
        # an element is always given: a null one is a null value, refused unless the type takes it
        item = dataclasses.replace(item, required=not item.nullable)
        return FieldSpec(name, "list", item=item, **shared)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if relates_fields(annotation):
            return opaque
        return FieldSpec(name, "object", fields=field_specs(annotation), **shared)
    kind = _SCALARS.get(annotation)
    if kind is None or (min_length is not None and kind != "text"):
        return opaque
    if minimum is not None and kind not in ("int", "number"):
        return opaque
    return FieldSpec(name, kind, minimum=minimum, min_length=min_length, **shared)


def _unwrapped(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """``Annotated[T, ...]`` as T, its metadata added to the field's."""
    while get_origin(annotation) is Annotated:
        annotation, *more = get_args(annotation)
        metadata = [*metadata, *more]
    return annotation, metadata


__all__ = ["FieldSpec", "field_specs", "relates_fields"]
