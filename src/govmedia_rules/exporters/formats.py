"""Writing a report: JSON (the contract), Markdown, and a readable Chinese text table.

Values from records are escaped for the format they land in, so an account
named ``|`` or ``<script>`` stays text in Markdown.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator

from ..findings.report import Finding, NotEvaluated, Report
from ..findings.scoring import describe_all, is_veto, veto_rules
from ..labels import SEVERITY, SUBJECT, missing_label


def to_json(report: Report) -> str:
    return "".join(json_chunks(report))


def json_chunks(report: Report) -> Iterator[str]:
    """The report contract as JSON, a finding at a time: written so, the whole text is never one
    string."""
    head = report.model_dump(mode="json", exclude={"findings"})
    yield '{\n  "findings": ['
    for i, finding in enumerate(report.findings):
        yield ("," if i else "") + "\n    " + finding.model_dump_json()
    yield ("\n  ]" if report.findings else "]")
    for key, value in head.items():
        yield f',\n  "{key}": ' + json.dumps(value, ensure_ascii=False, indent=2).replace(
            "\n", "\n  "
        )
    yield "\n}\n"


def to_jsonl(report: Report) -> Iterator[str]:
    """One finding a line (JSON Lines), for pipelines that read findings as they come."""
    for finding in report.findings:
        yield finding.model_dump_json() + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _clip(text: str, width: int) -> str:
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width - 1:
            return out + "…"
        out, used = out + ch, used + w
    return out


def _summary(report: Report) -> list[str]:
    acct = report.input
    packs = "、".join(f"{p.id} {p.version}" for p in report.packs)
    lines = [
        f"规则包：{packs}    评估期间：{report.since} 至 {report.as_of}",
        f"输入记录：读取 {acct.read} 条，接受 {acct.accepted} 条，拒绝 {acct.rejected} 条",
    ]
    open_ = report.open_findings
    by_sev = Counter(f.severity for f in open_)
    counts = "，".join(
        f"{SEVERITY[s]} {by_sev[s]}" for s in ("critical", "error", "warning", "info") if by_sev[s]
    )
    waived = len(report.findings) - len(open_)
    vetoes = veto_rules(report)
    vetoed = sum(is_veto(f, vetoes) for f in open_)
    lines.append(
        f"发现问题：{len(open_)} 项"
        + (f"（{counts}）" if counts else "")
        + (f"，其中单项否决 {vetoed} 项" if vetoed else "")
        + (f"，另有 {waived} 项已豁免" if waived else "")
    )
    if report.not_evaluated:
        rules = len({(n.pack, n.rule) for n in report.not_evaluated})
        lines.append(
            f"无法判定：{rules} 条规则因缺少资料未能判定部分或全部对象（详见无法判定部分）"
        )
    return lines


def not_evaluated_lines(entries: list[NotEvaluated]) -> list[str]:
    """One line per rule and missing set: what could not be judged, and for want of what."""
    return [
        f"{n.pack} {n.rule}：{n.subjects}个{SUBJECT.get(n.subject_type, n.subject_type)}无法判定，"
        f"缺少{'、'.join(missing_label(m) for m in n.missing)}"
        + (f"（如 {'、'.join(n.examples)}）" if n.examples else "")
        for n in entries
    ]


def to_text(report: Report, *, width: int = 36) -> str:
    """A table a person reads in a terminal: one finding a row, then rejections and warnings."""
    lines = _summary(report) + [""]
    if report.findings:
        header = ["严重程度", "规则", "对象", "条款", "说明"]
        rows = [_text_row(f, width) for f in report.findings]
        widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(4)]
        lines.append(
            "  ".join(_pad(h, w) for h, w in zip(header, widths + [0], strict=False)).rstrip()
        )
        lines.append("  ".join("-" * w for w in widths + [8]))
        for row in rows:
            lines.append(
                "  ".join(_pad(c, w) for c, w in zip(row, widths + [0], strict=False)).rstrip()
            )
    else:
        lines.append("已判定的规则未发现问题。" if report.not_evaluated else "未发现问题。")
    if report.not_evaluated:
        lines += ["", "无法判定（缺少资料）："] + [
            f"  {line}" for line in not_evaluated_lines(report.not_evaluated)
        ]
    if report.input.rejections:
        lines += ["", "被拒绝的输入记录："]
        lines += [f"  {r.source}:{r.line}: {r.reason}" for r in report.input.rejections]
    if report.scores:
        lines += ["", "结论与得分："] + [f"  {line}" for line in describe_all(report)]
    if report.warnings:
        lines += ["", "提示："] + [f"  {w}" for w in report.warnings]
    return "\n".join(lines) + "\n"


def _text_row(finding: Finding, width: int) -> list[str]:
    severity = SEVERITY[finding.severity] + ("（已豁免）" if finding.waived else "")
    return [
        severity,
        _clip(finding.title, 16),
        f"{finding.subject.type}:{finding.subject.id}",
        _clip(f"{finding.citation.document} {finding.citation.article}", width),
        finding.message,
    ]


def md_cell(text: object) -> str:
    """Text safe inside a Markdown table cell: pipes, HTML and line breaks neutralised."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", " ")
    )


def to_markdown(report: Report) -> str:
    lines = ["# 政务新媒体检查报告", ""] + [f"- {md_cell(x)}" for x in _summary(report)] + [""]
    if report.findings:
        lines += ["| 严重程度 | 规则 | 对象 | 说明 | 依据 |", "|---|---|---|---|---|"]
        for f in report.findings:
            basis = f"{f.citation.document} {f.citation.article}：“{f.citation.quote}”"
            severity = SEVERITY[f.severity] + ("（已豁免）" if f.waived else "")
            lines.append(
                f"| {severity} | {md_cell(f.title)} "
                f"| {md_cell(f.subject.type)}:{md_cell(f.subject.id)} "
                f"| {md_cell(f.message)} | {md_cell(basis)} |"
            )
    if report.scores:
        lines += ["", "## 结论与得分", ""]
        lines += [f"- {md_cell(line)}" for line in describe_all(report)]
    if report.not_evaluated:
        lines += ["", "## 无法判定（缺少资料）", ""] + [
            f"- {md_cell(x)}" for x in not_evaluated_lines(report.not_evaluated)
        ]
    if report.input.rejections:
        lines += ["", "## 被拒绝的输入记录", ""] + [
            f"- `{md_cell(r.source)}:{r.line}` {md_cell(r.reason)}" for r in report.input.rejections
        ]
    if report.warnings:
        lines += ["", "## 提示", ""] + [f"- {md_cell(w)}" for w in report.warnings]
    return "\n".join(lines) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV field that a spreadsheet shows as text: leading formula characters are neutralised."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(report: Report, *, bom: bool = True) -> str:
    """One finding a row, for spreadsheets; every field from records is formula-safe.

    With ``bom`` (the default) the text starts with a UTF-8 byte order mark:
    Excel on Chinese Windows reads a CSV without one as GBK and garbles it.
    """
    import csv
    import io

    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    vetoes = veto_rules(report)
    for f in report.findings:
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    SEVERITY[f.severity],
                    f.rule,
                    f.title,
                    f.subject.type,
                    f.subject.id,
                    f.unit,
                    f.account,
                    f.message,
                    f.citation.document,
                    f.citation.article,
                    f.citation.quote,
                    f.due,
                    f.waiver.id if f.waiver else "",
                    "是" if is_veto(f, vetoes) else "",
                )
            ]
        )
    # what could not be judged, and the input accounting: rows of their own, marked in the first
    # column, their text under 说明
    lines = not_evaluated_lines(report.not_evaluated)
    for n, line in zip(report.not_evaluated, lines, strict=True):
        cells = {"规则": n.rule, "对象类型": n.subject_type, "对象": "、".join(n.examples)}
        writer.writerow(_note_row("无法判定", line, cells))
    acct = report.input
    counts = f"读取 {acct.read} 条，接受 {acct.accepted} 条，拒绝 {acct.rejected} 条"
    writer.writerow(_note_row("输入记录", counts))
    return out.getvalue()


CSV_HEADER = ["严重程度", "规则", "标题", "对象类型", "对象", "单位", "账号", "说明", "文件",
              "条款", "原文", "整改期限", "豁免", "单项否决"]


def _note_row(kind: str, text: str, cells: dict[str, str] | None = None) -> list[str]:
    """A row that is no finding (无法判定, 输入记录): ``kind`` first, ``text`` under 说明, ``cells``
    under their headers, formula-safe."""
    values = {"严重程度": kind, "说明": text, **(cells or {})}
    return [csv_cell(values.get(name, "")) for name in CSV_HEADER]


FORMATS: dict[str, Callable[..., str | Iterator[str]]] = {
    "text": to_text,
    "json": json_chunks,
    "jsonl": to_jsonl,
    "markdown": to_markdown,
    "csv": to_csv,
}
