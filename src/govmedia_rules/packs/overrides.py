"""Overrides never silently drop part of an inherited obligation.

A city rule with the id of an inherited national rule replaces it. When the
replacement asks less than the national rule — fewer actions, flags or items,
fewer platforms or units, a longer deadline, a looser threshold — a part of the
national obligation would stop being checked without anyone deciding so
(Junshan's old ``filing`` override lost the 变更 filing). Such an override is an
error unless it says why in ``narrows``; a ``narrows`` on a rule that does not
narrow (or overrides nothing) is an error too, so the reason cannot go stale.

The comparison reads the params as the kind validates them (defaults filled in)
and knows which way each kind of param tightens: a list of obligations loses by
dropping items, a list of accepted values (roles, reasons, devices) by adding
them, a deadline by growing, a notice period by shrinking. Clauses of a
``condition`` and texts are not compared: a changed condition is not ordered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..labels import (
    ACTION,
    ATTESTATION,
    COLUMN,
    FIELD,
    FLAG,
    INCIDENT,
    LEVEL,
    PLATFORM,
    ROLE,
    SUBTYPE,
    TIER,
    UNIT_KIND,
)
from ..records import LEVELS, PLATFORMS, SUBTYPES, UNIT_KINDS
from .consistency import Problem
from .model import Pack, Rule

if TYPE_CHECKING:
    from ..plugins import Registry

#: lists of accepted values: adding one loosens the rule
_ACCEPTING = frozenset({"roles", "consent", "devices", "reasons", "unless_flags", "filed_with"})
#: flags that loosen the rule when true (exemptions, counting more as compliance)
_LOOSE_WHEN_TRUE = frozenset(
    {
        "count_replies",
        "exempt_classified",
        "exempt_non_public",
        "only_units_with_accounts",
        "by_subtype",
        "sponsor_change_only",
        "with_accounts",
        "notified_only",
    }
)
#: numbers a higher value tightens; for these a lower value does (a cap, a later due day)
_HIGHER_TIGHTENS = frozenset({"min_posts", "count", "minimum"})
_LOWER_TIGHTENS = frozenset(
    {"max_accounts", "max_kinds", "min_problems", "day", "working_day", "month_of_period"}
)
#: spans a longer value tightens (a notice period; a window in which problems are counted)
_LONGER_TIGHTENS = frozenset(
    {("closure_procedure", "min_duration"), ("repeated_problems", "within")}
)
#: params not ordered: clauses, texts a message shows
_UNORDERED = frozenset({"require", "when", "labels"})
_SPAN_KEYS = frozenset({"days", "weeks", "months", "working_days"})
_WORDS = (ACTION, FLAG, ATTESTATION, INCIDENT, COLUMN, ROLE, TIER, FIELD)
_SELECTOR = {
    "platforms": (PLATFORMS, PLATFORM),
    "subtypes": (SUBTYPES, SUBTYPE),
    "unit_kinds": (UNIT_KINDS, UNIT_KIND),
    "unit_levels": (LEVELS, LEVEL),
}


def override_problems(own: Pack, parent: Pack | None, registry: Registry) -> list[Problem]:
    """Overrides of ``own`` that narrow the rule they replace without ``narrows``, and ``narrows``
    where nothing is narrowed, each at its place in the pack's own file."""
    inherited = {r.id: r for r in parent.rules} if parent else {}
    problems: list[Problem] = []
    for i, rule in enumerate(own.rules):
        before = inherited.get(rule.id)
        if before is None:
            if rule.narrows:
                message = f"规则 {rule.id!r} 没有覆盖所继承的规则，不应写 narrows"
                problems.append((("rules", i, "narrows"), message))
            continue
        found = narrowings(before, rule, registry)
        if found and not rule.narrows:
            where, _ = found[0]
            said = "；".join(text for _, text in found)
            problems.append(
                (
                    ("rules", i, *where),
                    f"规则 {rule.id!r} 覆盖所继承的同名规则，但收窄了其义务（{said}）："
                    "确属原文如此的，在 narrows 中写明原因，否则保留所继承的要求",
                )
            )
        elif rule.narrows and not found:
            problems.append(
                (
                    ("rules", i, "narrows"),
                    f"规则 {rule.id!r} 写了 narrows，但没有收窄所继承的同名规则，应删去",
                )
            )
    return problems


Found = list[tuple[tuple[str | int, ...], str]]


def narrowings(before: Rule, after: Rule, registry: Registry) -> Found:
    """Where ``after`` asks less than ``before``: (key path in the rule, what it drops)."""
    if before.kind != after.kind:
        return [(("kind",), f"检查方式由 {before.kind} 改为 {after.kind}，无法逐项比较")]
    found: Found = []
    for name, (universe, words) in _SELECTOR.items():
        had = set(getattr(before.applies_to, name)) or set(universe)
        has = set(getattr(after.applies_to, name)) or set(universe)
        if had - has:
            found.append((("applies_to", name), f"不再适用于{_list(had - has, words)}"))
    for name, words in (("exclude_platforms", PLATFORM), ("exclude_subtypes", SUBTYPE)):
        added = set(getattr(after.applies_to, name)) - set(getattr(before.applies_to, name))
        if added:
            found.append((("applies_to", name), f"另外排除了{_list(added, words)}"))
    params = registry.kinds[after.kind].Params
    old = params.model_validate(before.params).model_dump(by_alias=True)
    new = params.model_validate(after.params).model_dump(by_alias=True)
    found += [(("params", *path), text) for path, text in _compare(after.kind, old, new, ())]
    return found


def _compare(kind: str, old: Any, new: Any, path: tuple[str | int, ...]) -> Found:
    key = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    if old == new or key in _UNORDERED:
        return []
    if _is_span(old) or _is_span(new):
        return _span(kind, key, old, new, path)
    if isinstance(old, dict) and isinstance(new, dict):
        lost = [k for k in old if k not in new]
        found = [(path, f"少了{_list(lost)}")] if lost else []
        for k in old:
            if k in new:
                found += _compare(kind, old[k], new[k], (*path, k))
        return found
    if isinstance(old, list) and isinstance(new, list):
        return _lists(kind, key, old, new, path)
    if isinstance(old, bool) and isinstance(new, bool):
        loose = new if key in _LOOSE_WHEN_TRUE else old
        return [(path, f"{key} 由 {_yes(old)} 改为 {_yes(new)}")] if loose else []
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        if (key in _HIGHER_TIGHTENS and new < old) or (key in _LOWER_TIGHTENS and new > old):
            return [(path, f"{key} 由 {old} 放宽为 {new}")]
    return []


def _lists(
    kind: str, key: str, old: list[Any], new: list[Any], path: tuple[str | int, ...]
) -> Found:
    if any(isinstance(x, dict) for x in old + new):  # steps: each kept step compared in order
        found = [(path, f"少了{len(old) - len(new)}项")] if len(new) < len(old) else []
        for i, (a, b) in enumerate(zip(old, new, strict=False)):  # a dropped step is told above
            found += _compare(kind, a, b, (*path, i))
        return found
    if key in _ACCEPTING:
        added = [x for x in new if x not in old]
        return [(path, f"另外接受{_list(added)}")] if added else []
    lost = [x for x in old if x not in new]
    return [(path, f"少了{_list(lost)}")] if lost else []


def _span(kind: str, key: str, old: Any, new: Any, path: tuple[str | int, ...]) -> Found:
    tighter_longer = (kind, key) in _LONGER_TIGHTENS
    if old is None:
        return [(path, f"另外加了{_span_words(new)}的时限")] if tighter_longer else []
    if new is None:
        return [] if tighter_longer else [(path, f"删去了{_span_words(old)}的时限")]
    longer = _days(new) > _days(old)
    if longer != tighter_longer and _days(new) != _days(old):
        return [(path, f"时限由{_span_words(old)}改为{_span_words(new)}")]
    return []


def _is_span(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == _SPAN_KEYS


def _days(span: dict[str, int | None]) -> float:
    """A span's length in days, working days counted as 7/5 of a day, months as 30 days."""
    factors = {"days": 1.0, "weeks": 7.0, "months": 30.0, "working_days": 1.4}
    return sum(factors[k] * v for k, v in span.items() if v is not None)


def _span_words(span: dict[str, int | None]) -> str:
    names = {"days": "天", "weeks": "周", "months": "个月", "working_days": "个工作日"}
    return "".join(f"{v}{names[k]}" for k, v in span.items() if v is not None)


def _list(values: Any, words: dict[str, str] | None = None) -> str:
    tables = (words,) if words else _WORDS
    return "、".join(
        next((t[str(v)] for t in tables if str(v) in t), str(v)) for v in sorted(values, key=str)
    )


def _yes(value: bool) -> str:
    return "是" if value else "否"
