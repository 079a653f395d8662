"""The ``govmedia-rules`` command: a thin layer over the library.

Exit status: 0 no open findings (or success), 1 open findings (or failing
pack cases), 2 usage or input error, with one clear line per problem on
stderr and never a traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import __version__
from .bulletin import build_bulletin
from .bulletin_formats import FORMATS as BULLETIN_FORMATS
from .bulletin_formats import to_xlsx
from .diff import compare, generated_diff
from .diff import describe as describe_diff
from .engine import Engine, describe_origin, pack_info
from .errors import GovMediaError
from .inputs import read_inputs
from .exporters import FORMATS
from .kinds.catalog import render_catalog
from .authoring import clause_coverage, run_pack_tests
from .packs.loader import load_pack
from .packs.model import Pack
from .packs.schema import pack_schema
from .plugins import Registry, default_registry
from .records import records_json_schema


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it: an interrupted run leaves no partial file."""
    temporary = path.with_name(f".{path.name}.partial")
    if isinstance(data, bytes):
        temporary.write_bytes(data)
    else:
        temporary.write_text(data, encoding="utf-8")
    temporary.replace(path)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期无效：{text!r}（应为 YYYY-MM-DD）") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 用法错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govmedia-rules", description="按各地政务新媒体管理规定检查账号与运维记录。")
    parser.add_argument("--version", action="version", version=f"govmedia-rules {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="按规则包检查输入记录")
    check.add_argument("--pack", action="append", required=True, metavar="PACK", help="已安装的规则包 id 或规则包文件夹")
    check.add_argument("--since", type=_date, required=True, help="评估起始日期 YYYY-MM-DD")
    check.add_argument("--as-of", type=_date, required=True, dest="as_of", help="评估截止日期 YYYY-MM-DD")
    check.add_argument("--format", choices=sorted(FORMATS), default="text")
    check.add_argument("-o", "--output", type=Path, help="写入文件而不是标准输出")
    check.add_argument("--batch", action="store_true",
                       help="JSON Lines 也走批处理路径（大文件更快，结果相同；Parquet 文件夹总是走批处理路径）")
    check.add_argument("inputs", nargs="+", metavar="INPUT", help=".jsonl / .json / .csv / .xlsx 文件或 Parquet 文件夹")

    validate = sub.add_parser("validate", help="校验规则包")
    validate.add_argument("packs", nargs="+", metavar="PACK_PATH")

    test = sub.add_parser("test", help="运行规则包自带的用例（cases/）")
    test.add_argument("packs", nargs="+", metavar="PACK")
    test.add_argument("--format", choices=["text", "json", "junit"], default="text")
    test.add_argument("--min-coverage", type=float, default=0.0, metavar="N",
                      help="规则覆盖率（每条规则都有用例显示查出和不查出）低于 N%% 时失败")

    coverage = sub.add_parser("coverage", help="逐句列出原文要求及检查它的规则或不可检查的原因")
    coverage.add_argument("pack", metavar="PACK")

    report = sub.add_parser("report", help="生成某一期间的监测通报（含与上期对比和趋势）")
    report.add_argument("--pack", action="append", required=True, metavar="PACK")
    report.add_argument("--period", required=True, help="2019Q3、2019-07、2019H2 或 2019")
    report.add_argument("--format", choices=["markdown", "html", "xlsx", "json"], default="markdown")
    report.add_argument("--trend", type=int, default=3, help="对比的以往期间数（默认3）")
    report.add_argument("-o", "--output", type=Path, help="写入文件（xlsx 必须指定）")
    report.add_argument("inputs", nargs="+", metavar="INPUT")

    diff = sub.add_parser("diff", help="比较两个版本的规则包：哪些对象的检查结果发生变化")
    diff.add_argument("old", metavar="OLD_PACK")
    diff.add_argument("new", metavar="NEW_PACK")
    source = diff.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", nargs="+", metavar="INPUT", help="在这些输入记录上比较")
    source.add_argument("--generate", type=int, metavar="N", help="在 N 组自动生成的数据上比较")
    diff.add_argument("--seed", type=int, default=0, help="生成数据的随机种子（默认0）")
    diff.add_argument("--since", type=_date, default=date(2019, 1, 1))
    diff.add_argument("--as-of", type=_date, default=date(2019, 12, 31), dest="as_of")
    diff.add_argument("--expect-none", action="store_true", help="有任何变化时以状态1退出")

    explain = sub.add_parser("explain", help="显示叠加（extends）后的有效规则包及每条规则的来源")
    explain.add_argument("pack", metavar="PACK")
    explain.add_argument("--format", choices=["text", "json"], default="text")

    sub.add_parser("packs", help="列出已安装的规则包")
    sub.add_parser("kinds", help="输出全部规则类型的说明（Markdown）")

    schema = sub.add_parser("schema", help="输出 JSON Schema")
    schema.add_argument("which", choices=["pack", "records"])
    return parser


def main(argv: Sequence[str] | None = None, *, registry: Registry | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args, registry or default_registry())
    except GovMediaError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. since after as_of
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, registry: Registry) -> int:
    if args.command == "check":
        engine = Engine(args.pack, registry=registry)
        report = engine.evaluate_files(args.inputs, since=args.since, as_of=args.as_of, batch=args.batch)
        text = FORMATS[args.format](report)
        if args.output:
            write_atomically(args.output, text)
        else:
            sys.stdout.write(text)
        return 1 if report.open_findings else 0
    if args.command == "validate":
        status = 0
        for ref in args.packs:
            try:
                pack = load_pack(ref, registry)
            except GovMediaError as exc:
                print(str(exc), file=sys.stderr)
                status = 2
                continue
            print(f"{ref}: 有效（{pack.id} {pack.version}，{len(pack.rules)} 条规则，覆盖 {len(pack.coverage)} 条要求）")
        return status
    if args.command == "report":
        return _bulletin(args, registry)
    if args.command == "diff":
        old, new = load_pack(args.old, registry), load_pack(args.new, registry)
        if args.data:
            items = list(read_inputs(args.data, registry.loaders))
            result = compare(old, new, items, since=args.since, as_of=args.as_of, registry=registry)
        else:
            result = generated_diff(old, new, since=args.since, as_of=args.as_of, examples=args.generate,
                                    seed=args.seed, registry=registry)
        sys.stdout.write(describe_diff(result))
        return 1 if args.expect_none and result.changed else 0
    if args.command == "explain":
        sys.stdout.write(explain_pack(load_pack(args.pack, registry), args.format))
        return 0
    if args.command == "test":
        return run_pack_tests(args.packs, registry, fmt=args.format, min_coverage=args.min_coverage)
    if args.command == "coverage":
        sys.stdout.write(clause_coverage(load_pack(args.pack, registry)))
        return 0
    if args.command == "packs":
        for pack_id, source in sorted(registry.packs.items()):
            pack = load_pack(pack_id, registry)
            print(f"{pack_id}\t{pack.version}\t{pack.title}\t{source.path}")
        return 0
    if args.command == "kinds":
        sys.stdout.write(render_catalog(registry.kinds.values()))
        return 0
    schema = pack_schema(registry.kinds.values()) if args.which == "pack" else records_json_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


def _bulletin(args: argparse.Namespace, registry: Registry) -> int:
    engine = Engine(args.pack, registry=registry)
    items = list(read_inputs(args.inputs, registry.loaders))
    bulletin = build_bulletin(engine, items, args.period, trend=args.trend)
    if args.format == "xlsx":
        if not args.output:
            print("错误：--format xlsx 需要用 -o 指定输出文件", file=sys.stderr)
            return 2
        write_atomically(args.output, to_xlsx(bulletin))
        return 0
    text = BULLETIN_FORMATS[args.format](bulletin)
    if args.output:
        write_atomically(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def explain_pack(pack: Pack, fmt: str) -> str:
    """The effective pack after layering: lineage, and every rule with its origin."""
    info = pack_info(pack)
    dropped = [f"{o.rule}（{describe_origin(o)}）" for o in pack.dropped]
    if fmt == "json":
        return json.dumps({**info.model_dump(), "dropped": dropped}, ensure_ascii=False, indent=2) + "\n"
    lines = [f"规则包 {pack.id} {pack.version}：{pack.title}", f"叠加顺序：{' → '.join(pack.lineage)}",
             f"有效规则 {len(pack.rules)} 条：", ""]
    for rule, ri in zip(pack.rules, info.rules):
        lines.append(f"  {rule.id}  [{rule.kind}, {rule.severity}]  {rule.title}")
        lines.append(f"      来源：{ri.origin}")
        if ri.overrides:
            lines.append(f"      覆盖：{ri.overrides}")
    if dropped:
        reasons = {d.rule: d.reason for d in pack.drop_rules}
        lines += ["", "已移除的继承规则："] + [f"  {d}：{reasons.get(o.rule, '')}" for d, o in zip(dropped, pack.dropped)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
