"""The commands that evaluate records: ``check`` (findings in a chosen format) and ``report``
(the 通报 of one period); both exit 1 on open findings, 2 on an input problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine import Engine
from ..errors import GovMediaError
from ..exporters.bulletin import build_bulletin
from ..exporters.bulletin_formats import BINARY
from ..exporters.bulletin_formats import export as export_bulletin
from ..exporters.formats import FORMATS
from ..exporters.outputs import check_output, write_output
from ..findings.report import Report
from ..intake.files import read_inputs
from ..packs.cases import case_items, load_case
from ..packs.model import SEVERITIES, RectificationPeriod
from ..plugins import Registry
from ..progress import heartbeat


def _complete(args: argparse.Namespace) -> list[str]:
    return [part for entry in args.complete for part in entry.split(",")]


def run_check(args: argparse.Namespace, registry: Registry) -> int:
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


def run_report(args: argparse.Namespace, registry: Registry) -> int:
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
