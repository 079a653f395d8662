"""The impact of a rule change: which subjects change verdict between two packs.

Both packs are evaluated over the same records; findings are compared by
(rule, subject). Each change is "appears" (the new pack finds it, the old one
did not) or "disappears". With generated data, hypothesis searches for
histories that show a change and shrinks one to the smallest example, so a
maintainer sees the simplest record set that behaves differently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..engine import Engine, Prepared, prepare
from ..packs.model import Pack

Key = tuple[str, str, str]  # rule, subject type, subject id


@dataclass
class PackDiff:
    """Changed findings, grouped by rule: appeared (new only) and disappeared (old only)."""

    appeared: dict[str, list[str]] = field(default_factory=dict)
    disappeared: dict[str, list[str]] = field(default_factory=dict)
    records: int = 0
    example: list[dict[str, Any]] | None = None
    generated: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.appeared or self.disappeared)


def _keys(engine: Engine, prepared: Prepared, since: date, as_of: date) -> set[Key]:
    report = engine.evaluate_prepared(prepared, since=since, as_of=as_of)
    return {(f.rule, f.subject.type, f.subject.id) for f in report.open_findings}


def compare(
    old: Pack, new: Pack, records: list[Any], *, since: date, as_of: date, registry: Any = None
) -> PackDiff:
    """Findings of ``new`` minus those of ``old`` and vice versa, over the same records."""
    prepared = prepare(records)
    before = _keys(Engine([old], registry=registry), prepared, since, as_of)
    after = _keys(Engine([new], registry=registry), prepared, since, as_of)
    result = PackDiff(records=len(records))
    for target, keys in ((result.appeared, after - before), (result.disappeared, before - after)):
        grouped: dict[str, list[str]] = defaultdict(list)
        for rule, kind, subject in sorted(keys):
            grouped[rule].append(f"{kind}:{subject}")
        target.update(grouped)
    return result


class _Differs(Exception):
    """Raised inside the hypothesis probe to mark a history on which the packs disagree."""


def generated_diff(
    old: Pack,
    new: Pack,
    *,
    since: date,
    as_of: date,
    examples: int,
    seed: int,
    registry: Any = None,
) -> PackDiff:
    """Compare the packs over ``examples`` generated histories; shrink one that shows a change.

    Rules are listed with the number of histories in which they gained or
    lost findings. The example is the smallest history (after hypothesis'
    shrinking) on which the packs disagree, reproducible with the same seed.
    """
    from hypothesis import Phase, given, settings
    from hypothesis import seed as with_seed

    from ..testing import histories

    engines = (Engine([old], registry=registry), Engine([new], registry=registry))
    appeared: dict[str, int] = defaultdict(int)
    disappeared: dict[str, int] = defaultdict(int)
    common = settings(max_examples=examples, database=None, deadline=None)

    def keys(records: list[dict[str, Any]]) -> tuple[set[Key], set[Key]]:
        prepared = prepare(records)
        return _keys(engines[0], prepared, since, as_of), _keys(engines[1], prepared, since, as_of)

    @with_seed(seed)
    @settings(common, phases=[Phase.generate])
    @given(histories(start=since, end=as_of))
    def survey(records: list[dict[str, Any]]) -> None:
        before, after = keys(records)
        for rule in {k[0] for k in after - before}:
            appeared[rule] += 1
        for rule in {k[0] for k in before - after}:
            disappeared[rule] += 1

    failing: list[list[dict[str, Any]]] = []

    @with_seed(seed)
    @settings(common, phases=[Phase.generate, Phase.shrink])
    @given(histories(start=since, end=as_of))
    def probe(records: list[dict[str, Any]]) -> None:
        before, after = keys(records)
        if before != after:
            failing.append(records)
            raise _Differs

    survey()
    try:
        probe()
    except _Differs:
        pass
    result = PackDiff(records=examples, example=failing[-1] if failing else None, generated=True)
    result.appeared = {r: [f"{n}/{examples} 组生成数据"] for r, n in sorted(appeared.items())}
    result.disappeared = {r: [f"{n}/{examples} 组生成数据"] for r, n in sorted(disappeared.items())}
    return result


def describe(diff: PackDiff) -> str:
    """The diff as Chinese text for the CLI."""
    where = f" {diff.records} 组生成数据" if diff.generated else f" {diff.records} 条记录"
    if not diff.changed:
        return f"在{where}上，两个版本的检查结果相同。\n"
    lines = [f"在{where}上，以下规则的检查结果发生变化："]
    for title, group in (
        ("新增问题（新版本查出、旧版本未查出）", diff.appeared),
        ("消失问题（旧版本查出、新版本未查出）", diff.disappeared),
    ):
        if group:
            lines.append(f"{title}：")
            for rule, subjects in sorted(group.items()):
                shown = "、".join(subjects[:8]) + ("等" if len(subjects) > 8 else "")
                lines.append(
                    f"  {rule}：{shown}"
                    if diff.generated
                    else f"  {rule}：{len(subjects)} 个对象 — {shown}"
                )
    if diff.example is not None:
        lines.append("能显示差异的最小示例（JSON Lines）：")
        lines += ["  " + _json(r) for r in diff.example]
    return "\n".join(lines) + "\n"


def _json(record: dict[str, Any]) -> str:
    import json

    return json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)
