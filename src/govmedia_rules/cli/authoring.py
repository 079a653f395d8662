"""The commands a pack author uses: ``validate``, ``test`` (the pack's cases), ``coverage``
(the source's requirements and the rules that check them), ``readme`` (the rule table),
``diff`` (verdict changes between two versions) and ``explain`` (the layered pack)."""

from __future__ import annotations

import argparse
import json
import sys

from ..engine import describe_origin, pack_info
from ..errors import GovMediaError
from ..findings.diff import compare, generated_diff
from ..findings.diff import describe as describe_diff
from ..intake.files import read_inputs
from ..packs.authoring import run_pack_tests
from ..packs.coverage import clause_coverage, requirements
from ..packs.loader import load_pack
from ..packs.model import Pack
from ..packs.readme import readme_path, rule_table, with_table
from ..plugins import Registry


def run_validate(args: argparse.Namespace, registry: Registry) -> int:
    status = 0
    for ref in args.packs:
        try:
            pack = load_pack(ref, registry)
        except GovMediaError as exc:
            print(str(exc), file=sys.stderr)
            status = 2
            continue
        found = requirements(pack)
        checked = sum(bool(r.rules) for r in found)
        print(
            f"{ref}: 有效（{pack.id} {pack.version}，{len(pack.rules)} 条规则；"
            f"原文 {len(found)} 条要求，{checked} 条由规则检查，其余写明不可检查的原因）"
        )
    return status


def run_test(args: argparse.Namespace, registry: Registry) -> int:
    return run_pack_tests(
        args.packs,
        registry,
        fmt=args.format,
        min_coverage=args.min_coverage,
        mutate=args.mutate,
    )


def run_coverage(args: argparse.Namespace, registry: Registry) -> int:
    sys.stdout.write(clause_coverage(load_pack(args.pack, registry)))
    return 0


def run_readme(args: argparse.Namespace, registry: Registry) -> int:
    for ref in args.packs:
        loaded = load_pack(ref, registry)
        if args.write:
            path = readme_path(loaded)
            text = path.read_text(encoding="utf-8") if path.is_file() else f"# {loaded.title}\n"
            path.write_text(with_table(text, loaded), encoding="utf-8")
        else:
            print(rule_table(loaded))
    return 0


def run_diff(args: argparse.Namespace, registry: Registry) -> int:
    old, new = load_pack(args.old, registry), load_pack(args.new, registry)
    if args.data:
        items = list(read_inputs(args.data, registry.loaders))
        result = compare(old, new, items, since=args.since, as_of=args.as_of, registry=registry)
    else:
        result = generated_diff(
            old,
            new,
            since=args.since,
            as_of=args.as_of,
            examples=args.generate,
            seed=args.seed,
            registry=registry,
        )
    sys.stdout.write(describe_diff(result))
    return 1 if result.changed else 0


def run_explain(args: argparse.Namespace, registry: Registry) -> int:
    sys.stdout.write(explain_pack(load_pack(args.pack, registry), args.format))
    return 0


def explain_pack(pack: Pack, fmt: str) -> str:
    """The effective pack after layering: lineage, and every rule with its origin."""
    info = pack_info(pack)
    dropped = [f"{o.rule}（{describe_origin(o)}）" for o in pack.dropped]
    if fmt == "json":
        return (
            json.dumps({**info.model_dump(), "dropped": dropped}, ensure_ascii=False, indent=2)
            + "\n"
        )
    lines = [
        f"规则包 {pack.id} {pack.version}：{pack.title}",
        f"叠加顺序：{' → '.join(pack.lineage)}",
        f"有效规则 {len(pack.rules)} 条：",
        "",
    ]
    for rule, ri in zip(pack.rules, info.rules, strict=False):
        lines.append(f"  {rule.id}  [{rule.kind}, {rule.severity}]  {rule.title}")
        lines.append(f"      来源：{ri.origin}")
        if ri.overrides:
            lines.append(f"      覆盖：{ri.overrides}")
    if dropped:
        reasons = {d.rule: d.reason for d in pack.drop_rules}
        lines += ["", "已移除的继承规则："] + [
            f"  {d}：{reasons.get(o.rule or '', '')}"
            for d, o in zip(dropped, pack.dropped, strict=False)
        ]
    return "\n".join(lines) + "\n"
