"""The pack and case JSON Schemas, assembled from the models and the registered rule kinds,
and each schema or model error placed where it is written.

Nothing here is written twice: the pack's shape comes from the pydantic
models in :mod:`.model`, each rule's ``params`` from its kind's own Params
model, attached with ``if kind == X then params: ...`` so that an error
names the offending param, not "does not match any of 26 schemas".
"""

from __future__ import annotations

import copy
import difflib
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import jsonschema
from pydantic import ValidationError

from ..errors import Location
from ..records import describe_validation_error, records_json_schema
from .model import Pack
from .yamlsource import YamlDocument

Problem = tuple[Location, str]

if TYPE_CHECKING:
    from ..kinds.base import RuleKind

#: Fields the loader fills in; an author never writes them.
_LOADER_FIELDS = ("path", "digest", "lineage", "dropped")


def _prefixed(schema: dict[str, Any], prefix: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Move a model schema's $defs under unique names; returns (schema, defs)."""
    defs = schema.pop("$defs", {})

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: (f"#/$defs/{prefix}{v.rsplit('/', 1)[1]}" if k == "$ref" else fix(v))
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return fix(schema), {f"{prefix}{name}": fix(body) for name, body in defs.items()}


def case_schema() -> dict[str, Any]:
    """JSON Schema of a case file (``cases/*.yaml``), records included, for editor completion."""
    schema = copy.deepcopy(_case_schema())
    records, defs = _prefixed(records_json_schema(), "record.")
    records.pop("$schema", None)
    records.pop("title", None)
    schema["properties"]["records"]["items"] = records
    schema["$defs"].update(defs)
    return schema


@functools.lru_cache(maxsize=1)
def _case_schema() -> dict[str, Any]:
    """The case schema with records left open: the engine judges them, each at its own line."""
    from .cases import Case

    schema, defs = _prefixed(Case.model_json_schema(by_alias=True, mode="validation"), "")
    schema["properties"].pop("file")
    schema["$defs"] = defs
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govmedia-rules pack case"
    return schema


def case_errors(data: Any) -> list[jsonschema.ValidationError]:
    """Every schema error of a case file, most specific first, one per path."""
    return _best(_case_validator().iter_errors(data))


@functools.lru_cache(maxsize=1)
def _case_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        _case_schema(), format_checker=jsonschema.FormatChecker()
    )


def pack_schema(kinds: Iterable[type[RuleKind]]) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a pack.yaml for the given rule kinds (a fresh copy)."""
    return copy.deepcopy(_schema_for(tuple(sorted(kinds, key=lambda k: k.name))))


@functools.lru_cache(maxsize=8)
def _schema_for(kinds: tuple[type[RuleKind], ...]) -> dict[str, Any]:
    schema, defs = _prefixed(Pack.model_json_schema(by_alias=True, mode="validation"), "")
    for name in _LOADER_FIELDS:
        schema["properties"].pop(name, None)
    rule = defs["Rule"]
    rule["properties"].pop("origin", None)
    defs["Source"]["properties"].pop("path", None)
    ordered = sorted(kinds, key=lambda k: k.name)
    rule["properties"]["kind"] = {
        "enum": [k.name for k in ordered],
        "description": "A registered rule kind",
    }
    rule["allOf"] = []
    for kind in ordered:
        params, kind_defs = _prefixed(
            kind.Params.model_json_schema(by_alias=True, mode="validation"), f"{kind.name}."
        )
        defs.update(kind_defs)
        params["description"] = (kind.__doc__ or "").strip().splitlines()[0]
        rule["allOf"].append(
            {
                "if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]},
                "then": {"properties": {"params": params}},
            }
        )
    schema["$defs"] = defs
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "govmedia-rules policy pack"
    return schema


_MESSAGES = {
    "required": "缺少必填键 {missing}",
    "additionalProperties": "未知的键 {extra}{hint}",
    "type": "类型应为 {validator_value}，实际是 {instance!r}",
    "enum": "取值 {instance!r} 不在允许范围内{hint}",
    "const": "取值应为 {validator_value!r}",
    "minimum": "{instance!r} 小于最小值 {validator_value}",
    "maximum": "{instance!r} 大于最大值 {validator_value}",
    "exclusiveMinimum": "{instance!r} 应大于 {validator_value}",
    "minItems": "至少需要 {validator_value} 项",
    "minLength": "不能为空",
    "minProperties": "至少需要 {validator_value} 项",
    "format": "{instance!r} 不是有效的 {validator_value}（日期写作 YYYY-MM-DD）",
    "pattern": "{instance!r} 不符合格式 {validator_value}",
}


def explain(error: jsonschema.ValidationError, key: str | None = None) -> str:
    """A Chinese sentence for one schema error, with a did-you-mean where it helps.

    ``key`` narrows an unknown-keys error to one of its keys, so each unknown
    key is reported where it is written.
    """
    template = _MESSAGES.get(str(error.validator))
    if template is None:
        return str(error.message)
    ctx: dict[str, Any] = {
        "instance": error.instance,
        "validator_value": error.validator_value,
        "hint": "",
    }
    if error.validator == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        ctx["missing"] = "、".join(k for k in error.validator_value if k not in present)
    elif error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [key] if key is not None else unknown_keys(error)
        ctx["extra"] = "、".join(repr(k) for k in extra)
        ctx["hint"] = _did_you_mean(extra[0] if extra else "", allowed)
    elif error.validator == "enum":
        allowed = [str(v) for v in error.validator_value]
        ctx["hint"] = _did_you_mean(str(error.instance), allowed)
    elif error.validator == "type":
        ctx["validator_value"] = {
            "integer": "整数",
            "number": "数字",
            "string": "字符串",
            "boolean": "true/false",
            "array": "列表",
            "object": "映射",
            "null": "空",
        }.get(str(error.validator_value), error.validator_value)
    return template.format(**ctx)


def unknown_keys(error: jsonschema.ValidationError) -> list[str]:
    """The keys an ``additionalProperties`` error is about."""
    allowed = error.schema.get("properties", {})
    return [k for k in error.instance if k not in allowed]


#: errors about a mapping as a whole (located at the mapping), not about a written value
_ABOUT_MAPPING = ("required", "minProperties", "additionalProperties")


def locate_errors(doc: YamlDocument, errors: Iterable[jsonschema.ValidationError]) -> list[Problem]:
    """Each schema error at its own place: an unknown key at the key, a wrong value at the value."""
    problems: list[Problem] = []
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            problems += [
                (doc.locate((*path, key)), explain(error, key)) for key in unknown_keys(error)
            ]
        elif "propertyNames" in error.relative_schema_path:  # a key outside a closed set of names
            problems.append((doc.locate((*path, error.instance)), explain(error)))
        else:
            problems.append(
                (doc.locate(path, value=error.validator not in _ABOUT_MAPPING), explain(error))
            )
    return problems


def located(
    doc: YamlDocument, exc: ValidationError, under: tuple[str | int, ...] = ()
) -> list[Problem]:
    """Each pydantic error at its own place: an unknown or missing key at the key, a wrong value at
    the value. A model validator's error (no field of its own) is at the mapping it checked."""
    problems = []
    for err in exc.errors():
        path = (*under, *(p for p in err["loc"] if not isinstance(p, str) or "[" not in p))
        value = err["type"] not in ("extra_forbidden", "missing", "value_error")
        details: Any = [{**err, "loc": ()}]  # the error as pydantic reported it, placed by ``path``
        one = ValidationError.from_exception_data(exc.title, details)
        problems.append((doc.locate(path, value=value), describe_validation_error(one)))
    return problems


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"，是否想写 {close[0]!r}？" if close else f"（允许：{'、'.join(choices)}）"


def schema_errors(data: Any, kinds: Iterable[type[RuleKind]]) -> list[jsonschema.ValidationError]:
    """Every schema error of a pack, most specific first, one per path (if/then noise removed)."""
    return _best(_validator_for(tuple(sorted(kinds, key=lambda k: k.name))).iter_errors(data))


def _best(errors: Iterable[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    best: dict[tuple[Any, ...], jsonschema.ValidationError] = {}
    for error in errors:
        for leaf in _leaves(error):
            key = tuple(leaf.absolute_path)
            if key not in best:
                best[key] = leaf
    return sorted(best.values(), key=lambda e: [str(p) for p in e.absolute_path])


@functools.lru_cache(maxsize=8)
def _validator_for(kinds: tuple[type[RuleKind], ...]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        _schema_for(kinds), format_checker=jsonschema.FormatChecker()
    )


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        # an alternative of another type says nothing about a value of the right type: a mapping
        # given for "number or mapping" is wrong in its keys, not in being a mapping
        shaped = [e for e in error.context if e.validator != "type"]
        useful = shaped or [e for e in error.context if e.validator_value != "null"]
        if useful:
            return _leaves(max(useful, key=lambda e: len(e.absolute_path)))
    return [error]
