"""The record contract is stated once: every bulk form of it is derived from the record models.

The column checks, the Arrow schema JSON Lines are read with and the per-field arrays the
rules read all come from the models' fields (``record_fields.py``). These tests hold the
derivation to the models from outside: every field of every model against the JSON Schema
pydantic writes for it, a changed copy of a model against its derived checks, and random
tables against the models themselves (a row the columns vouch for is one the models accept
unchanged).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field

from govmedia_rules.intake.blocks import FIELD_ARRAYS, day_array
from govmedia_rules.intake.jsonl import _SCHEMA
from govmedia_rules.intake.parquet import clean_row, plain_table, python_rows
from govmedia_rules.intake.screen import SHAPES, arrow_type, flag_rows, shape_of
from govmedia_rules.record_fields import FieldSpec, field_specs, relates_fields
from govmedia_rules.records import RECORD_TYPES, Post, parse_record, records_json_schema

DEFS = records_json_schema()["$defs"]


def _expected(schema: dict[str, Any]) -> tuple[str, bool, dict[str, Any]]:
    """The kind a JSON Schema property says a field has, whether it takes null, and the schema
    of the value itself."""
    options = schema.get("anyOf", [schema])
    nullable = {"type": "null"} in options
    (value,) = [o for o in options if o != {"type": "null"}]
    if "$ref" in value:
        return "object", nullable, value
    if "enum" in value or "const" in value:
        return "enum", nullable, value
    if value.get("type") == "string":
        return {"date": "date", "date-time": "time"}.get(value.get("format"), "text"), nullable, value
    simple = {"boolean": "bool", "integer": "int", "number": "number", "array": "list"}
    return simple.get(value.get("type"), "opaque"), nullable, value


def _agrees(spec: FieldSpec, schema: dict[str, Any], required: bool) -> None:
    kind, nullable, value = _expected(schema)
    assert (spec.kind, spec.nullable, spec.required) == (kind, nullable, required), spec.name
    if kind == "enum":
        assert spec.allowed == tuple(value.get("enum", [value.get("const")])), spec.name
    if kind == "list":
        assert spec.item is not None
        _agrees(spec.item, value["items"], not spec.item.nullable)
    if kind == "object":
        nested = DEFS[value["$ref"].rsplit("/", 1)[1]]
        assert [f.name for f in spec.fields] == list(nested["properties"]), spec.name
        for inner in spec.fields:
            _agrees(inner, nested["properties"][inner.name], inner.name in nested.get("required", []))
    assert spec.minimum == value.get("minimum"), spec.name
    assert spec.min_length == value.get("minLength"), spec.name


@pytest.mark.parametrize("kind", list(RECORD_TYPES))
def test_every_field_of_every_model_is_derived_with_its_type(kind):
    model = RECORD_TYPES[kind]
    schema = DEFS[model.__name__]
    specs = field_specs(model)
    assert [s.name for s in specs] == list(model.model_fields) == list(schema["properties"])
    for spec in specs:
        _agrees(spec, schema["properties"][spec.name], spec.name in schema.get("required", []))


@pytest.mark.parametrize("kind", list(SHAPES))
def test_every_field_of_an_event_type_is_checked_read_and_reduced(kind):
    """Each field has a column check, a column in the JSON Lines schema (but the free-form
    ``extra``, read line by line) and, when optional, its arrays."""
    shape = SHAPES[kind]
    assert list(shape.fields) == list(RECORD_TYPES[kind].model_fields)
    for name, spec in shape.fields.items():
        vouched = arrow_type(spec)
        if spec.kind == "opaque":
            assert vouched is None and name not in _SCHEMA.names
            continue
        assert vouched is not None and name in _SCHEMA.names, name
        assert _SCHEMA.field(name).type == arrow_type(spec, text_times=True)
        if not spec.required and name != "type":
            arrays = {
                "bool": [name],
                "enum": [name],
                "text": [f"has_{name}"],
                "list": [f"has_{name}", f"{name}_known"],
                "time": [day_array(name)],
                "date": [day_array(name)],
            }.get(spec.kind, [])
            assert set(arrays) <= set(FIELD_ARRAYS[kind]), name


class LevelledPost(Post):
    """A post as it would be with two more fields: the checks follow with no other edit."""

    level: Literal["a", "b"] | None = None
    views: int | None = Field(default=None, ge=0)


def test_a_field_added_to_a_model_is_checked_as_its_type():
    shape = shape_of(LevelledPost, "published_at")
    assert shape.fields["level"].allowed == ("a", "b")
    table = pa.table(
        {
            "id": ["p1", "p2", "p3", "p4"],
            "account_id": ["a"] * 4,
            "published_at": pa.array([datetime(2019, 5, 6, 9)] * 4, pa.timestamp("us")),
            "level": ["a", "c", None, "b"],
            "views": [3, 1, -1, None],
        }
    )
    assert flag_rows(table, shape).tolist() == [False, True, True, False]
    # the contract as it is has neither field: a row giving one is the models' to reject
    assert flag_rows(table, SHAPES["post"]).tolist() == [True, True, True, True]


def test_a_rule_across_fields_leaves_every_row_to_the_models():
    account = RECORD_TYPES["account"]
    assert relates_fields(account)
    table = pa.table({"id": ["a1"], "unit_id": ["u1"], "name": ["号"], "platform": ["weibo"]})
    assert flag_rows(table, shape_of(account, "")).tolist() == [True]


def _values(spec: FieldSpec, clean: bool) -> st.SearchStrategy[Any]:
    """Values of the field's vouched-for Arrow type: all of them ones the model takes when
    ``clean``, else right and wrong alike."""
    low = int(spec.minimum) if spec.minimum is not None else -2
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "text": st.sampled_from(["a", "词", "\x07"]),
        "enum": st.sampled_from(spec.allowed or ("",)),
        "bool": st.booleans(),
        "int": st.integers(low, 2),
        "number": st.floats(low, 2),
        "time": st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30)),
        "date": st.dates(date(1, 1, 1), date(9999, 12, 31)),
    }
    wrong: dict[str, st.SearchStrategy[Any]] = {
        "text": st.sampled_from([" a", "", "a\u3000"]),
        "enum": st.sampled_from(["nope", f" {spec.allowed[0]}" if spec.allowed else ""]),
        "int": st.integers(-2, 2),
        "number": st.floats(-2, 2) | st.sampled_from([float("nan"), float("inf")]),
    }
    if spec.kind == "list":
        assert spec.item is not None
        value = st.lists(_values(spec.item, clean), max_size=2)
    elif spec.kind == "object":
        value = st.fixed_dictionaries({f.name: _values(f, clean) for f in spec.fields})
    else:
        value = strategies[spec.kind]
        if not clean and spec.kind in wrong:
            value |= wrong[spec.kind]
    return value if clean and spec.required else st.none() | value


SHAPE_OF = {kind: shape_of(model, "") for kind, model in RECORD_TYPES.items()}


@st.composite
def tables(draw: st.DrawFn, kind: str) -> pa.Table:
    """A table of a record type with some of its fields: every value one the model takes, or
    right and wrong values alike, now and then a column of the wrong type or one the contract
    does not have."""
    clean = draw(st.booleans())
    specs = [s for s in SHAPE_OF[kind].fields.values() if arrow_type(s) is not None]
    rows = draw(st.integers(1, 6))
    columns: dict[str, pa.Array] = {}
    for spec in specs:
        if not spec.required and draw(st.booleans()):
            continue
        if not clean and draw(st.integers(0, 9)) == 0:  # a column of another type
            wrong = draw(st.sampled_from([(pa.string(), "1"), (pa.int64(), 1), (pa.bool_(), True)]))
            columns[spec.name] = pa.array([wrong[1]] * rows, wrong[0])
            continue
        values = draw(st.lists(_values(spec, clean), min_size=rows, max_size=rows))
        columns[spec.name] = pa.array(values, arrow_type(spec))
    if not clean and draw(st.integers(0, 9)) == 0:
        columns["publised_at"] = pa.array(["2019-05-01T08:00:00"] + [None] * (rows - 1))
    return pa.table(columns) if columns else pa.table({"id": ["x"] * rows})


@pytest.mark.parametrize("kind", list(RECORD_TYPES))
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_row_the_columns_vouch_for_is_one_the_models_accept_unchanged(kind, data):
    """Any record type, not only those checked as columns today: the checks are built the same
    way for each."""
    table = plain_table(data.draw(tables(kind)))
    flags = flag_rows(table, SHAPE_OF[kind])
    for row, flagged in zip(python_rows(table), flags.tolist(), strict=True):
        if flagged:
            continue
        record = parse_record(clean_row(row, kind))
        for name, spec in SHAPE_OF[kind].fields.items():
            if spec.kind in ("text", "enum", "bool", "int") and row.get(name) is not None:
                assert getattr(record, name) == row[name], name


@given(st.lists(st.dates().map(str) | st.text("0123456789-T:", max_size=12), max_size=10))
def test_json_dates_are_read_exactly_as_the_models_read_them(values):
    """No event type has a date today; one given a date field is read from JSON this way."""
    from pydantic import TypeAdapter

    from govmedia_rules.intake.jsonl import _typed

    dates, odd = _typed(pa.array(values, pa.string()), FieldSpec("on", "date"))
    for value, read, unread in zip(values, dates.to_pylist(), odd.tolist(), strict=True):
        if not unread:
            assert TypeAdapter(date).validate_python(value) == read
