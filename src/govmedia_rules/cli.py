"""The ``govmedia-rules`` command: a thin layer over the library.

Exit status, the same for every command: 0 nothing found (or success),
1 open findings, changed verdicts or failing pack cases, 2 usage or input
error, with one clear line per problem on stderr, 3 an internal error, one
line naming the log file that holds the traceback. Messages, usage and help
are Chinese: argparse's English is replaced, not mixed in.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from .engine import Engine, describe_origin, pack_info
from .errors import EvaluationError, GovMediaError
from .exporters.bulletin import build_bulletin
from .exporters.bulletin_formats import BINARY
from .exporters.bulletin_formats import export as export_bulletin
from .exporters.formats import FORMATS
from .exporters.outputs import check_output, write_output
from .findings.diff import compare, generated_diff
from .findings.diff import describe as describe_diff
from .findings.report import Report
from .intake.files import read_inputs
from .kinds.catalog import render_catalog
from .packs.authoring import example_findings, run_pack_tests
from .packs.cases import case_items, load_case
from .packs.coverage import clause_coverage, requirements
from .packs.loader import load_pack
from .packs.model import SEVERITIES, Pack, RectificationPeriod
from .packs.readme import readme_path, rule_table, with_table
from .packs.schema import case_schema, pack_schema
from .plugins import Registry, default_registry
from .progress import heartbeat
from .records import records_json_schema
from .version import __version__


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期无效：{text!r}（应为 YYYY-MM-DD）") from None


#: argparse's English messages (Python 3.11 to 3.13) and their Chinese, tried in order
_MESSAGES = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"one of the arguments (.*) is required", r"须给出其中一个参数：\1"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (
        r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)",
        r"参数 \1 的取值 \2 无效（可选：\3）",
    ),
    (r"argument (.*?): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (.*?): expected at least one argument", r"参数 \1 至少需要一个值"),
    (r"argument (.*?): not allowed with argument (.*)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (.*?): invalid \S+ value: (.*)", r"参数 \1 的值 \2 无效"),
    (r"argument (.*?): ignored explicit argument (.*)", r"参数 \1 不接受值 \2"),
    (r"argument (.*?): (.*)", r"参数 \1：\2"),
]


def _chinese(message: str) -> str:
    for pattern, replacement in _MESSAGES:
        if re.fullmatch(pattern, message, re.S):
            return re.sub(pattern, replacement, message, flags=re.S)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help headings and errors are Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "add_help": False, "formatter_class": _Formatter})
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 用法错误：{_chinese(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="govmedia-rules", description="按各地政务新媒体管理规定检查账号与运维记录。"
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"govmedia-rules {__version__}",
        help="显示版本号并退出",
    )
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar="命令", title="命令"
    )
    inputs_help = (
        ".jsonl / .json / .csv / .xlsx 文件或 Parquet 文件夹；- 表示从标准输入读取 JSON Lines；"
        "check 也读规则包用例文件 cases/*.yaml（其记录和文件）"
    )
    quiet_help = "不在标准错误输出上显示进度（进度只在终端上显示）"

    check = sub.add_parser("check", help="按规则包检查输入记录")
    check.add_argument(
        "--pack",
        action="append",
        required=True,
        metavar="规则包",
        help="已安装的规则包 id 或规则包文件夹",
    )
    check.add_argument(
        "--since",
        type=_date,
        metavar="日期",
        help="评估起始日期 YYYY-MM-DD（输入为用例文件时默认取用例的 since）",
    )
    check.add_argument(
        "--as-of",
        type=_date,
        dest="as_of",
        metavar="日期",
        help="评估截止日期 YYYY-MM-DD（输入为用例文件时默认取用例的 as_of）",
    )
    check.add_argument(
        "--format", choices=sorted(FORMATS), default="text", help="输出格式（默认 text）"
    )
    check.add_argument(
        "--severity",
        choices=SEVERITIES,
        metavar="严重程度",
        help="只显示该严重程度及以上的问题：" + " < ".join(SEVERITIES),
    )
    check.add_argument(
        "--no-bom",
        action="store_false",
        dest="bom",
        help="csv 输出不加 UTF-8 BOM（默认加，以便中文 Windows 的 Excel 正确识别）",
    )
    check.add_argument("-o", "--output", type=Path, metavar="文件", help="写入文件而不是标准输出")
    check.add_argument(
        "--batch",
        action="store_true",
        help="JSON Lines 也走批处理路径（大文件更快，结果相同；Parquet 文件夹总是走批处理路径）",
    )
    check.add_argument("-q", "--quiet", action="store_true", help=quiet_help)
    _evidence_options(check)
    check.add_argument("inputs", nargs="+", metavar="输入", help=inputs_help)

    validate = sub.add_parser("validate", help="校验规则包")
    validate.add_argument("packs", nargs="+", metavar="规则包文件夹")

    test = sub.add_parser("test", help="运行规则包自带的用例（cases/）")
    test.add_argument("packs", nargs="+", metavar="规则包")
    test.add_argument(
        "--format", choices=["text", "json", "junit"], default="text", help="输出格式（默认 text）"
    )
    test.add_argument(
        "--min-coverage",
        type=float,
        default=0.0,
        metavar="N",
        help="规则覆盖率（每条规则都有用例显示查出和可判定而未查出）低于 N%% 时失败",
    )
    test.add_argument(
        "--mutate",
        action="store_true",
        help="逐一把本包规则的每个阈值加减1后重跑用例：有改动未被任何用例发现时失败",
    )

    coverage = sub.add_parser("coverage", help="逐句列出原文要求及检查它的规则或不可检查的原因")
    coverage.add_argument("pack", metavar="规则包")

    readme = sub.add_parser("readme", help="由规则包生成说明文件中的规则与解释表")
    readme.add_argument("packs", nargs="+", metavar="规则包")
    readme.add_argument(
        "--write", action="store_true", help="写入各规则包文件夹的 README.md，而不是输出表格"
    )

    report = sub.add_parser("report", help="生成某一期间的监测通报（含与上期对比和趋势）")
    report.add_argument("--pack", action="append", required=True, metavar="规则包")
    report.add_argument(
        "--period", required=True, metavar="期间", help="2019Q3、2019-07、2019H2 或 2019"
    )
    report.add_argument(
        "--format",
        choices=["markdown", "html", "docx", "xlsx", "json"],
        default="markdown",
        help="输出格式（默认 markdown）",
    )
    report.add_argument(
        "--trend", type=int, default=3, metavar="N", help="对比的以往期间数（默认3）"
    )
    report.add_argument(
        "-o", "--output", type=Path, metavar="文件", help="写入文件（docx、xlsx 必须指定）"
    )
    report.add_argument(
        "--template",
        type=Path,
        metavar="文件",
        help="自定义模板（见 docs/reports.md）：markdown、html 用文本模板，"
        "docx 用含占位符的文档，xlsx 用工作簿",
    )
    report.add_argument(
        "--issued-on",
        type=_date,
        dest="issued_on",
        metavar="日期",
        help="成文日期 YYYY-MM-DD（默认今天）：整改状态按此日判断，整改期限从此日起算",
    )
    report.add_argument(
        "--rectification-days",
        type=int,
        dest="rectification_days",
        metavar="N",
        help="整改期限为成文日期后 N 个工作日（覆盖规则包的设定）",
    )
    report.add_argument(
        "--warn-days",
        type=int,
        default=7,
        dest="warn_days",
        metavar="N",
        help="预警：列出 N 日内将触发单项否决的账号（默认7，0 表示不预警）",
    )
    report.add_argument(
        "--issuer", default="××市人民政府办公室", metavar="机关", help="发文机关（落款）"
    )
    report.add_argument(
        "--to",
        default="各县（市、区）人民政府，市政府各部门：",
        dest="recipients",
        metavar="主送",
        help="主送机关",
    )
    report.add_argument("-q", "--quiet", action="store_true", help=quiet_help)
    _evidence_options(report)
    report.add_argument("inputs", nargs="+", metavar="输入", help=inputs_help)

    diff = sub.add_parser(
        "diff", help="比较两个版本的规则包：哪些对象的检查结果发生变化（有变化时以状态1退出）"
    )
    diff.add_argument("old", metavar="旧规则包")
    diff.add_argument("new", metavar="新规则包")
    source = diff.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", nargs="+", metavar="输入", help="在这些输入记录上比较")
    source.add_argument("--generate", type=int, metavar="N", help="在 N 组自动生成的数据上比较")
    diff.add_argument(
        "--seed", type=int, default=0, metavar="N", help="生成数据的随机种子（默认0）"
    )
    diff.add_argument(
        "--since",
        type=_date,
        default=date(2019, 1, 1),
        metavar="日期",
        help="评估起始日期（默认 2019-01-01）",
    )
    diff.add_argument(
        "--as-of",
        type=_date,
        default=date(2019, 12, 31),
        dest="as_of",
        metavar="日期",
        help="评估截止日期（默认 2019-12-31）",
    )
    diff.add_argument(
        "--expect-none",
        action="store_true",
        help="有变化时以状态1退出（现已是默认行为，保留此选项以兼容已有脚本）",
    )

    explain = sub.add_parser("explain", help="显示叠加（extends）后的有效规则包及每条规则的来源")
    explain.add_argument("pack", metavar="规则包")
    explain.add_argument(
        "--format", choices=["text", "json"], default="text", help="输出格式（默认 text）"
    )

    sub.add_parser("packs", help="列出已安装的规则包")
    sub.add_parser("kinds", help="输出全部规则类型的说明（Markdown）")

    schema = sub.add_parser("schema", help="输出 JSON Schema")
    schema.add_argument(
        "which",
        choices=["pack", "case", "records"],
        metavar="{pack,case,records}",
        help="pack：规则包；case：规则包用例（cases/*.yaml）；records：输入记录",
    )
    return parser


def _evidence_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--complete",
        action="append",
        default=[],
        metavar="类型或字段",
        help="声明输入完整的记录类型或字段（逗号分隔，如 attestation,report,post.signoffs；"
        "all 表示全部）：缺少即按没有处理。默认缺少的资料记为无法判定",
    )
    command.add_argument("--strict", action="store_true", help="有任何记录被拒绝即以状态 2 退出")


def _complete(args: argparse.Namespace) -> list[str]:
    return [part for entry in args.complete for part in entry.split(",")]


def main(argv: Sequence[str] | None = None, *, registry: Registry | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args, registry or default_registry())
    except EvaluationError as exc:  # a rule kind failed: a bug, not the user's mistake
        return _internal_error(exc)
    except GovMediaError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. since after as_of
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped early (| head): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except Exception as exc:  # noqa: BLE001 - whatever it is, one line and the traceback in a log
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    """Exit status 3 with one line; the traceback goes to a log file to send to maintainers."""
    handle, log = tempfile.mkstemp(prefix="govmedia-rules-", suffix=".log")
    with open(handle, "w", encoding="utf-8") as out:
        out.write(f"govmedia-rules {__version__}\n")
        out.write("".join(traceback.format_exception(exc)))
    print(
        f"内部错误：程序出现了意外问题，详细信息已写入 {log}，请将该文件提供给维护者",
        file=sys.stderr,
    )
    return 3


def _run(args: argparse.Namespace, registry: Registry) -> int:
    if args.command == "check":
        if args.output:
            check_output(args.output)
        engine = Engine(args.pack, registry=registry, complete=_complete(args))
        with heartbeat("正在检查", enabled=not args.quiet):
            report = _check(engine, args)
        if args.severity:
            shown = SEVERITIES[SEVERITIES.index(args.severity) :]
            kept = [f for f in report.findings if f.severity in shown]
            report = report.model_copy(update={"findings": kept})
        export = FORMATS[args.format]
        text = export(report, bom=args.bom) if args.format == "csv" else export(report)
        if args.output:
            write_output(args.output, text)
        else:
            sys.stdout.writelines([text] if isinstance(text, str) else text)
        problem = report.input_problem(strict=args.strict)
        if problem:
            print(f"错误：{problem}", file=sys.stderr)
            return 2
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
            found = requirements(pack)
            checked = sum(bool(r.rules) for r in found)
            print(
                f"{ref}: 有效（{pack.id} {pack.version}，{len(pack.rules)} 条规则；"
                f"原文 {len(found)} 条要求，{checked} 条由规则检查，其余写明不可检查的原因）"
            )
        return status
    if args.command == "report":
        return _bulletin(args, registry)
    if args.command == "diff":
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
    if args.command == "explain":
        sys.stdout.write(explain_pack(load_pack(args.pack, registry), args.format))
        return 0
    if args.command == "test":
        return run_pack_tests(
            args.packs,
            registry,
            fmt=args.format,
            min_coverage=args.min_coverage,
            mutate=args.mutate,
        )
    if args.command == "coverage":
        sys.stdout.write(clause_coverage(load_pack(args.pack, registry)))
        return 0
    if args.command == "readme":
        for ref in args.packs:
            loaded = load_pack(ref, registry)
            if args.write:
                path = readme_path(loaded)
                text = path.read_text(encoding="utf-8") if path.is_file() else f"# {loaded.title}\n"
                path.write_text(with_table(text, loaded), encoding="utf-8")
            else:
                print(rule_table(loaded))
        return 0
    if args.command == "packs":
        for pack_id, source in sorted(registry.packs.items()):
            pack = load_pack(pack_id, registry)
            print(f"{pack_id}\t{pack.version}\t{pack.title}\t{source.path}")
        return 0
    if args.command == "kinds":
        sys.stdout.write(render_catalog(registry.kinds.values(), example_findings(registry)))
        return 0
    schemas = {
        "pack": lambda: pack_schema(registry.kinds.values()),
        "case": case_schema,
        "records": records_json_schema,
    }
    print(json.dumps(schemas[args.which](), ensure_ascii=False, indent=2))
    return 0


def _check(engine: Engine, args: argparse.Namespace) -> Report:
    """Evaluate the inputs; a pack case file among them gives its records, files, window and
    ``complete``, so an author sees every finding a case produces, not only those it expects."""
    cases = [load_case(Path(p)) for p in args.inputs if Path(p).suffix in (".yaml", ".yml")]
    since = args.since or min((c.since for c in cases), default=None)
    as_of = args.as_of or max((c.as_of for c in cases), default=None)
    if since is None or as_of is None:
        raise GovMediaError("须给出 --since 和 --as-of（或以用例文件为输入）")
    if not cases:
        return engine.evaluate_files(args.inputs, since=since, as_of=as_of, batch=args.batch)
    others = [p for p in args.inputs if Path(p).suffix not in (".yaml", ".yml")]
    items = [item for c in cases for item in case_items(c, engine.registry)]
    items += list(read_inputs(others, engine.registry.loaders))
    return engine.evaluate(
        items, since=since, as_of=as_of, complete=[x for c in cases for x in c.complete]
    )


def _bulletin(args: argparse.Namespace, registry: Registry) -> int:
    if args.format in BINARY and not args.output:
        print(f"错误：--format {args.format} 需要用 -o 指定输出文件", file=sys.stderr)
        return 2
    if args.output:
        check_output(args.output)
    engine = Engine(args.pack, registry=registry, complete=_complete(args))
    with heartbeat("正在生成通报", enabled=not args.quiet):
        items = list(read_inputs(args.inputs, registry.loaders))
        period = (
            RectificationPeriod(days=args.rectification_days) if args.rectification_days else None
        )
        bulletin = build_bulletin(
            engine,
            items,
            args.period,
            trend=args.trend,
            issued_on=args.issued_on,
            rectification=period,
            warn_days=args.warn_days,
        )
    options = (
        {"template": args.template}
        if args.format == "json"
        else {"template": args.template, "issuer": args.issuer, "recipients": args.recipients}
    )
    data = export_bulletin(bulletin, args.format, **options)
    if args.output:
        write_output(args.output, data)
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.write(data)
    problem = bulletin.input_problem or (
        f"严格模式：有{bulletin.rejected}条记录被拒绝"
        if args.strict and bulletin.rejected
        else None
    )
    if problem:
        print(f"错误：{problem}", file=sys.stderr)
        return 2
    return 1 if any(not f.waived for f in bulletin.findings) else 0


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
