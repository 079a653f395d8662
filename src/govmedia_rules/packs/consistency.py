"""Checks across a layered pack: vetoes that veto, deduction indicators naming real rules once,
one pack per id in a run. They need the pack after ``extends`` is applied, so they run after
layering, each problem located in the pack's own file."""

from __future__ import annotations

from collections import Counter

from .model import Pack

VETO_TITLE = "单项否决"

Problem = tuple[tuple[str | int, ...], str]


def scoring_problems(own: Pack, parent: Pack | None, layered: Pack) -> list[Problem]:
    """What is wrong with a layered pack's vetoes, located in the pack's own file.

    A rule titled 单项否决 that vetoes nothing tells an office the opposite
    of what the verdict says, so it is an error, as is an inherited veto that
    disappears without a ``drop_veto_rules`` entry saying why.
    """
    problems: list[Problem] = []
    inherited = parent.scoring.veto_rules if parent else []
    for i, dropped in enumerate(own.scoring.drop_veto_rules):
        if dropped.rule not in inherited:
            problems.append(
                (
                    ("scoring", "drop_veto_rules", i, "rule"),
                    f"drop_veto_rules 中的 {dropped.rule!r} 不是所继承的否决项",
                )
            )
    ids = {r.id for r in layered.rules}
    gone = [r for r in inherited if r not in ids and r in layered.scoring.veto_rules]
    problems += [
        (
            ("drop_rules",),
            f"移除了否决规则 {rule_id!r}，须同时在 scoring.drop_veto_rules 中写明原因",
        )
        for rule_id in gone
    ]
    problems += _indicator_problems(own, ids)
    own_ids = {r.id: i for i, r in enumerate(own.rules)}
    for rule in layered.rules:
        if VETO_TITLE in rule.title and rule.id not in layered.scoring.veto_rules:
            mine = rule.id in own_ids
            where: tuple[str | int, ...] = (
                ("rules", own_ids[rule.id], "title") if mine else ("scoring", "drop_veto_rules")
            )
            problems.append(
                (where, f"规则 {rule.id!r} 的标题写明{VETO_TITLE}，须列入 scoring.veto_rules")
            )
    return problems


def _indicator_problems(own: Pack, rule_ids: set[str]) -> list[Problem]:
    """Deduction indicators name real rules, each rule at most once; bonus indicators name items.

    A rule counted by two indicators would deduct twice for one finding.
    """
    problems: list[Problem] = []
    counted: set[str] = set()
    for i, indicator in enumerate(own.scoring.indicators):
        where = ("scoring", "indicators", i)
        if not indicator.rules:
            problems.append(((*where, "rules"), f"扣分指标 {indicator.id!r} 须列出扣分的规则"))
        for j, rule_id in enumerate(indicator.rules):
            if rule_id not in rule_ids:
                problems.append(((*where, "rules", j), f"扣分指标引用了不存在的规则 {rule_id!r}"))
            elif rule_id in counted:
                problems.append(((*where, "rules", j), f"规则 {rule_id!r} 已计入另一扣分指标"))
            counted.add(rule_id)
    for i, indicator in enumerate(own.scoring.bonus.indicators if own.scoring.bonus else []):
        if not indicator.items:
            problems.append(
                (
                    ("scoring", "bonus", "indicators", i, "items"),
                    f"加分指标 {indicator.id!r} 须列出计分的制度落实事项",
                )
            )
    return problems


def repeated_ids(packs: list[Pack]) -> list[str]:
    """Ids that more than one of ``packs`` carries: one run judges each pack once."""
    counts = Counter(p.id for p in packs)
    return sorted(pack_id for pack_id, n in counts.items() if n > 1)
