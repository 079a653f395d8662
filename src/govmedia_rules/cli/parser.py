"""The command line's grammar: every command and option of ``govmedia-rules``, with usage,
help headings and argparse's error messages in Chinese, not English."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from ..exporters.formats import FORMATS
from ..packs.model import SEVERITIES
from ..version import __version__


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
        help="逐一把本包规则的每个阈值加减1、本包评分方案的每个分值加减一档后重跑用例："
        "有改动未被任何用例发现时失败",
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
