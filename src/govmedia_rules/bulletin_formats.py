"""Bulletins as Markdown, an Excel workbook, or one self-contained HTML page.

Every value that comes from records is escaped for its format: Markdown
table cells, HTML text, and spreadsheet cells (a text beginning with ``=``
stays text, never a formula). The HTML page draws its charts as inline SVG,
so it opens offline with nothing else beside it.
"""

from __future__ import annotations

import html
import io
from typing import Any

from .bulletin import Bulletin, Row
from .exporters import md_cell, not_evaluated_lines
from .labels import SEVERITY, SUBJECT, label


def _veto_summary(b: Bulletin) -> str:
    """Vetoes counted at both levels they apply: the accounts, and the units answering for them."""
    return f"单项否决账号 {b.vetoed_count('account')} 个、单位 {b.vetoed_count('unit')} 个"


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _change(row: Row) -> str:
    delta = row.count - row.previous
    return f"+{delta}" if delta > 0 else str(delta)


def to_markdown(b: Bulletin) -> str:
    lines = [f"# 政务新媒体监测通报（{b.period}）", "",
             f"- 监测期间：{b.since} 至 {b.as_of}；规则包：{'、'.join(b.packs)}",
             f"- 检查账号 {b.accounts_checked} 个，合格 {b.accounts_passed} 个，合格率 {_pct(b.pass_rate)}",
             f"- 发现问题 {sum(r.count for r in b.by_rule)} 项；{_veto_summary(b)}；"
             f"与上期重复的问题 {len(b.repeated)} 项",
             f"- {_input_summary(b)}", ""]
    if b.vetoed:
        lines += ["## 单项否决", "", "| 对象 | 名称 | 否决项 | 问题数 |", "|---|---|---|---|"]
        lines += [f"| {label(SUBJECT, v.type)} {md_cell(v.id)} | {md_cell(v.name)} "
                  f"| {md_cell('、'.join(v.titles))} | {v.findings} |" for v in b.vetoed] + [""]
    for title, rows in (("按单位", b.by_unit), ("按规则", b.by_rule)):
        lines += [f"## 问题分布（{title}）", "", "| 名称 | 本期 | 上期 | 变化 |", "|---|---|---|---|"]
        lines += [f"| {md_cell(r.label)} | {r.count} | {r.previous} | {_change(r)} |" for r in rows] + [""]
    if b.due:
        lines += ["## 整改期限", "", "| 对象 | 期限 | 说明 |", "|---|---|---|"]
        lines += [f"| {md_cell(d['subject'])} | {d['due']} | {md_cell(d['message'])} |" for d in b.due] + [""]
    if b.repeated:
        lines += ["## 多次出现的问题（上期已通报）", ""] + [f"- {md_cell(r['message'])}" for r in b.repeated] + [""]
    lines += ["## 近期趋势", "", "| 期间 | 问题数 |", "|---|---|"]
    lines += [f"| {t['period']} | {t['findings']} |" for t in b.trend] + [""]
    if b.not_evaluated:
        lines += ["## 无法判定（缺少资料）", ""] + [f"- {md_cell(x)}" for x in not_evaluated_lines(b.not_evaluated)]
        lines += [""]
    if b.warnings:
        lines += ["## 提示", ""] + [f"- {md_cell(w)}" for w in b.warnings]
    return "\n".join(lines) + "\n"


def _input_summary(b: Bulletin) -> str:
    """Read, accepted and rejected records, and how much could not be judged: printed in every format."""
    rules, subjects = b.not_evaluated_counts()
    judged = f"；{rules} 条规则因缺少资料无法判定（涉及 {subjects} 个对象次）" if rules else ""
    return f"输入记录读取 {b.read} 条，接受 {b.accepted} 条，拒绝 {b.rejected} 条{judged}"


def to_xlsx(b: Bulletin) -> bytes:
    """A workbook with 概况, 问题清单 and 分布 sheets; strings are always stored as text."""
    import openpyxl

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "概况"
    _rows_to(summary, [["项目", "值"], ["期间", b.period], ["起止", f"{b.since} 至 {b.as_of}"],
                       ["规则包", "、".join(b.packs)], ["检查账号", b.accounts_checked], ["合格账号", b.accounts_passed],
                       ["合格率", _pct(b.pass_rate)], ["单项否决账号", b.vetoed_count("account")],
                       ["单项否决单位", b.vetoed_count("unit")], ["重复问题", len(b.repeated)],
                       ["读取记录", b.read], ["接受记录", b.accepted], ["拒绝记录", b.rejected],
                       ["无法判定规则", b.not_evaluated_counts()[0]],
                       ["无法判定对象次", b.not_evaluated_counts()[1]]])
    findings = book.create_sheet("问题清单")
    header = ["严重程度", "规则", "对象", "单位", "说明", "依据", "整改期限", "豁免", "单项否决"]
    _rows_to(findings, [header] + [
        [SEVERITY[f.severity], f.title, f"{f.subject.type}:{f.subject.id}", f.unit or "", f.message,
         f"{f.citation.document} {f.citation.article}", f.due.isoformat() if f.due else "",
         f.waiver.id if f.waiver else "", "是" if b.vetoes(f) else ""]
        for f in b.findings])
    if b.vetoed:
        vetoed = book.create_sheet("单项否决")
        _rows_to(vetoed, [["对象", "编号", "名称", "否决项", "问题数"]] + [
            [label(SUBJECT, v.type), v.id, v.name, "、".join(v.titles), v.findings]
            for v in b.vetoed])
    if b.not_evaluated:
        blind = book.create_sheet("无法判定")
        _rows_to(blind, [["规则包", "规则", "对象类型", "对象数", "缺少资料", "示例"]] + [
            [n.pack, n.rule, label(SUBJECT, n.subject_type), n.subjects, "、".join(n.missing),
             "、".join(n.examples)] for n in b.not_evaluated])
    spread = book.create_sheet("分布")
    _rows_to(spread, [["维度", "名称", "本期", "上期"]]
             + [["单位", r.label, r.count, r.previous] for r in b.by_unit]
             + [["规则", r.label, r.count, r.previous] for r in b.by_rule])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows_to(sheet: Any, rows: list[list[Any]]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for row in rows:
        sheet.append([None] * len(row))
        for cell, value in zip(sheet[sheet.max_row], row):
            if not isinstance(value, str):
                cell.value = value
                continue
            # a control character from a record is shown as \xNN, not refused by the workbook
            cell.value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m[0]):02x}", value)
            cell.data_type = "s"  # never a formula, whatever the text starts with


def _bars(rows: list[tuple[str, int]], title: str) -> str:
    if not rows:
        return f"<p>{html.escape(title)}：无</p>"
    top = max(v for _, v in rows) or 1
    height = 24 * len(rows) + 10
    bars = "".join(
        f'<text x="0" y="{24 * i + 20}" font-size="13">{html.escape(label[:16])}</text>'
        f'<rect x="170" y="{24 * i + 6}" width="{int(360 * v / top)}" height="16" fill="#c0392b"/>'
        f'<text x="{176 + int(360 * v / top)}" y="{24 * i + 20}" font-size="12">{v}</text>'
        for i, (label, v) in enumerate(rows))
    return f'<figure><figcaption>{html.escape(title)}</figcaption><svg width="600" height="{height}" role="img">{bars}</svg></figure>'


def _line(points: list[tuple[str, int]], title: str) -> str:
    top = max((v for _, v in points), default=0) or 1
    step = 480 / max(1, len(points) - 1)
    coords = [(40 + i * step, 170 - 140 * v / top) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.0f},{y:.0f}" for x, y in coords)
    marks = "".join(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="4" fill="#2c3e50"/>'
                    f'<text x="{x:.0f}" y="{y - 8:.0f}" font-size="12" text-anchor="middle">{v}</text>'
                    f'<text x="{x:.0f}" y="195" font-size="12" text-anchor="middle">{html.escape(p)}</text>'
                    for (x, y), (p, v) in zip(coords, points))
    return (f'<figure><figcaption>{html.escape(title)}</figcaption><svg width="600" height="205" role="img">'
            f'<polyline points="{path}" fill="none" stroke="#2c3e50" stroke-width="2"/>{marks}</svg></figure>')


def to_html(b: Bulletin) -> str:
    e = html.escape
    cards = "".join(f'<div class="card"><div class="n">{e(str(v))}</div><div>{e(k)}</div></div>' for k, v in (
        ("检查账号", b.accounts_checked), ("合格率", _pct(b.pass_rate)),
        ("单项否决账号", b.vetoed_count("account")), ("单项否决单位", b.vetoed_count("unit")),
        ("发现问题", sum(r.count for r in b.by_rule)), ("重复问题", len(b.repeated))))
    table = "".join(f"<tr><td>{e(SEVERITY[f.severity])}</td><td>{e(f.title)}</td><td>{e(f.subject.type)}:{e(f.subject.id)}</td>"
                    f"<td>{e(f.message)}</td><td>{e(f.citation.document)} {e(f.citation.article)}</td>"
                    f"<td>{e(str(f.due or ''))}</td><td>{'是' if b.vetoes(f) else ''}</td></tr>"
                    for f in b.findings if not f.waived)
    vetoed = "".join(f"<tr><td>{e(label(SUBJECT, v.type))}</td><td>{e(v.id)}</td>"
                     f"<td>{e(v.name)}</td><td>{e('、'.join(v.titles))}</td>"
                     f"<td>{v.findings}</td></tr>"
                     for v in b.vetoed)
    blind = "".join(f"<li>{e(line)}</li>" for line in not_evaluated_lines(b.not_evaluated))
    blind_list = f"<h2>无法判定（缺少资料）</h2><ul>{blind}</ul>" if blind else ""
    veto_table = ("<h2>单项否决</h2><table><tr><th>对象</th><th>编号</th><th>名称</th><th>否决项</th>"
                  f"<th>问题数</th></tr>{vetoed}</table>") if b.vetoed else ""
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政务新媒体监测通报 {e(b.period)}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}}
.cards{{display:flex;gap:1em;margin:1em 0}}.card{{border:1px solid #ddd;border-radius:6px;padding:.8em 1.2em;text-align:center}}
.card .n{{font-size:1.8em;font-weight:bold;color:#c0392b}}figure{{margin:1.5em 0}}figcaption{{font-weight:bold;margin-bottom:.5em}}
table{{border-collapse:collapse;width:100%;font-size:13px}}td,th{{border:1px solid #ddd;padding:4px 6px;vertical-align:top}}
th{{background:#f4f4f4}}
</style></head><body>
<h1>政务新媒体监测通报（{e(b.period)}）</h1>
<p>监测期间：{b.since} 至 {b.as_of}　规则包：{e('、'.join(b.packs))}</p>
<p>{e(_input_summary(b))}</p>
<div class="cards">{cards}</div>
{_bars([(r.label, r.count) for r in b.by_unit if r.count], "问题数（按单位）")}
{_line([(t["period"], t["findings"]) for t in b.trend], "近期问题数趋势")}
{veto_table}
<h2>问题清单</h2>
<table><tr><th>严重程度</th><th>规则</th><th>对象</th><th>说明</th><th>依据</th><th>整改期限</th>
<th>单项否决</th></tr>{table}</table>
{blind_list}
</body></html>
"""


FORMATS = {"markdown": to_markdown, "html": to_html, "json": lambda b: b.model_dump_json(indent=2) + "\n"}
