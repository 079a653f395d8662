"""A bulletin written as an office issues it: Word (公文), Excel, printable HTML, Markdown, JSON.

Every format renders one :class:`Issue` built once from the bulletin: the
same title, paragraphs, figures (概况) and tables, so the formats cannot
disagree on a count. Word follows the 公文 layout (GB/T 9704: A4, title,
主送, numbered sections, 附件, 落款); HTML prints on A4 with table headers
repeated on each page; Markdown and HTML come from Jinja2 templates and Word
from a .docx template, each replaceable with ``--template``.

Tables in the body of Word, HTML and Markdown show at most :data:`LIMIT`
rows and say how many more the workbook holds, so a bulletin over thousands
of accounts stays a document; the XLSX has every row. Values from records
are escaped for their format: Markdown cells, HTML text (autoescape), and
spreadsheet cells (text is stored as text, never a formula).
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..labels import SEVERITY, SUBJECT, label
from ..periods import period_words
from .bulletin import Bulletin, Row, parse_period
from .formats import md_cell, not_evaluated_lines

#: Rows a table shows in the body of a document; the workbook holds them all
LIMIT = 200

TEMPLATES = Path(__file__).parent / "templates"

#: 整改 states in the order of the process
STATES = ("未下发", "已下发", "已反馈", "已复核", "已销号")


@dataclass
class Table:
    """One table of the bulletin: a sheet in the workbook, a table everywhere else."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    widths: list[int]
    empty: str = "无"

    def __post_init__(self) -> None:
        # a column is at least as wide as its Chinese header on one line
        self.widths = [
            max(w, 2 * len(h) + 1) for w, h in zip(self.widths, self.headers, strict=False)
        ]

    @property
    def shown(self) -> list[list[Any]]:
        return self.rows[:LIMIT]

    @property
    def omitted(self) -> int:
        return max(0, len(self.rows) - LIMIT)


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Issue:
    """The 通报 as written: what every template and format renders."""

    title: str
    recipients: str
    issuer: str
    date_text: str
    opening: str
    figures: list[tuple[str, Any]]
    sections: list[Section]
    attachments: list[Table]
    bulletin: Bulletin

    @property
    def tables(self) -> list[Table]:
        """Every table, in order: the body's, then the attachments'."""
        return [t for s in self.sections for t in s.tables] + self.attachments


def period_text(b: Bulletin) -> str:
    """'2019年第四季度', '2019年11月', '2019年下半年' or '2019年度' for the bulletin's period."""
    return period_words(*parse_period(b.period))


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _change(row: Row) -> str:
    delta = row.count - row.previous
    return f"+{delta}" if delta > 0 else str(delta)


def figures(b: Bulletin) -> list[tuple[str, Any]]:
    """The 概况: every count of the bulletin, printed alike in every format."""
    rules, subjects = b.not_evaluated_counts()
    return [
        ("检查账号", b.accounts_checked),
        ("合格账号", b.accounts_passed),
        ("合格率", pct(b.pass_rate)),
        ("发现问题", b.problems),
        ("涉及单位", sum(1 for r in b.by_unit if r.count)),
        ("单项否决账号", b.vetoed_count("account")),
        ("单项否决单位", b.vetoed_count("unit")),
        ("预警账号", len({w.account for w in b.early_warnings})),
        ("逾期未整改", len(b.overdue)),
        ("与上期重复的问题", len(b.repeated)),
        ("销号后再次出现的问题", len(b.recurred)),
        ("读取记录", b.read),
        ("接受记录", b.accepted),
        ("拒绝记录", b.rejected),
        ("无法判定规则", rules),
        ("无法判定对象次", subjects),
    ]


def _tables(b: Bulletin) -> dict[str, Table]:
    findings = {f.id: f for f in b.findings}
    states = {t.finding_id: t for t in b.due}
    has_scores = any(r.score is not None for r in b.ranking)
    t = {
        "vetoes": Table(
            "vetoes",
            "单项否决",
            ["序号", "对象", "名称", "所属单位", "否决项", "问题数"],
            [
                [i, label(SUBJECT, v.type), v.name, v.unit, "、".join(v.titles), v.findings]
                for i, v in enumerate(b.vetoed, 1)
            ],
            [6, 6, 24, 24, 36, 8],
            "本期无单项否决的账号和单位",
        ),
        "by_unit": Table(
            "by_unit",
            "问题分布（按单位）",
            ["单位", "本期", "上期", "变化"],
            [[r.label, r.count, r.previous, _change(r)] for r in b.by_unit],
            [30, 8, 8, 8],
        ),
        "by_rule": Table(
            "by_rule",
            "问题分布（按规则）",
            ["规则", "本期", "上期", "变化"],
            [[r.label, r.count, r.previous, _change(r)] for r in b.by_rule],
            [40, 8, 8, 8],
        ),
        "regions": Table(
            "regions",
            "县区汇总",
            ["县区", "单位数", "账号数", "不合格账号", "单项否决账号", "问题数"],
            [[r.name, r.units, r.accounts, r.failed, r.vetoed, r.problems] for r in b.regions],
            [26, 8, 8, 10, 12, 8],
        ),
        "ranking": Table(
            "ranking",
            "单位排名",
            ["名次", "单位", "所属县区", "账号数", "不合格账号", "单项否决账号", "问题数"]
            + (["平均得分"] if has_scores else []),
            [
                [r.rank, r.name, r.region, r.accounts, r.failed, r.vetoed, r.problems]
                + ([r.score] if has_scores else [])
                for r in b.ranking
            ],
            [6, 26, 20, 8, 10, 12, 8] + ([10] if has_scores else []),
        ),
        "early_warnings": Table(
            "early_warnings",
            f"预警（{b.warn_days}日内将触发单项否决）",
            ["账号", "所属单位", "否决项", "说明"],
            [[w.name, w.unit, w.title, w.message] for w in b.early_warnings],
            [20, 24, 30, 60],
            "本期无临近单项否决的账号",
        ),
        "states": Table(
            "states",
            "整改情况",
            ["整改状态", "问题数"],
            [[s, sum(x.state == s for x in b.due)] for s in STATES],
            [12, 8],
        ),
        "overdue": Table(
            "overdue",
            "逾期未整改",
            [
                "问题编号",
                "对象",
                "所属单位",
                "问题",
                "整改状态",
                "下发日期",
                "整改期限",
                "逾期天数",
            ],
            [
                [
                    x.finding_id,
                    x.name,
                    x.unit,
                    x.title,
                    x.state,
                    x.issued_on,
                    x.due_on,
                    x.overdue_days,
                ]
                for x in b.overdue
            ],
            [20, 20, 24, 30, 10, 12, 12, 10],
            "已下发的整改均在期限内或已销号",
        ),
        "recurred": Table(
            "recurred",
            "销号后再次出现的问题",
            ["问题编号", "对象", "所属单位", "问题"],
            [[x.finding_id, x.name, x.unit, x.title] for x in b.recurred],
            [20, 20, 24, 40],
        ),
        "repeated": Table(
            "repeated",
            "与上期重复的问题",
            ["对象", "说明"],
            [[r["name"], r["message"]] for r in b.repeated],
            [20, 80],
        ),
        "trend": Table(
            "trend",
            "近期趋势",
            ["期间", "问题数"],
            [[x["period"], x["findings"]] for x in b.trend],
            [12, 8],
        ),
        "not_evaluated": Table(
            "not_evaluated",
            "无法判定（缺少资料）",
            ["规则包", "规则", "对象类型", "对象数", "说明"],
            [
                [n.pack, n.rule, label(SUBJECT, n.subject_type), n.subjects, line]
                for n, line in zip(
                    b.not_evaluated, not_evaluated_lines(b.not_evaluated), strict=False
                )
            ],
            [12, 30, 10, 8, 70],
            "全部规则均可判定",
        ),
        "findings": Table(
            "findings",
            "问题清单",
            [
                "问题编号",
                "严重程度",
                "问题",
                "对象",
                "名称",
                "所属单位",
                "说明",
                "依据",
                "整改状态",
                "整改期限",
                "单项否决",
                "豁免",
            ],
            [
                [
                    f.id,
                    SEVERITY[f.severity],
                    f.title,
                    f"{label(SUBJECT, f.subject.type)} {f.subject.id}",
                    states[f.id].name if f.id in states else "",
                    states[f.id].unit if f.id in states else "",
                    f.message,
                    f"{f.citation.document} {f.citation.article}",
                    states[f.id].state if f.id in states else "已豁免",
                    states[f.id].due_on if f.id in states else None,
                    "是" if b.vetoes(f) else "",
                    f.waiver.id if f.waiver else "",
                ]
                for f in findings.values()
            ],
            [20, 8, 26, 16, 18, 22, 50, 24, 10, 12, 8, 8],
        ),
    }
    if b.scores:
        t["scores"] = Table(
            "scores",
            "账号得分",
            ["名次", "账号", "所属单位", "得分", "扣分", "加分", "结论"],
            [
                [
                    i,
                    s.name,
                    s.unit,
                    s.score if s.score is not None else "不评分",
                    s.deducted,
                    s.bonus or 0,
                    s.verdict,
                ]
                for i, s in enumerate(
                    sorted(
                        b.scores,
                        key=lambda s: (-(s.score if s.score is not None else -1), s.account),
                    ),
                    1,
                )
            ],
            [6, 24, 24, 8, 8, 8, 8],
        )
    return t


def build_issue(
    b: Bulletin,
    *,
    issuer: str = "××市人民政府办公室",
    recipients: str = "各县（市、区）人民政府，市政府各部门：",
) -> Issue:
    """The 通报's text and tables, from the bulletin alone."""
    t = _tables(b)
    f = dict(figures(b))
    titles = "、".join(f"《{x}》" for x in b.pack_titles) or "、".join(b.packs)
    opening = (
        f"为推进政务新媒体健康有序发展，根据{titles}，{issuer}对{chinese_date(b.since)}至"
        f"{chinese_date(b.as_of)}全市政务新媒体"
        "运行情况进行了检查。现将有关情况通报如下："
    )
    overview = [
        f"本期共检查政务新媒体账号{f['检查账号']}个，合格{f['合格账号']}个，合格率{f['合格率']}；"
        f"发现问题{f['发现问题']}项，涉及{f['涉及单位']}个单位。单项否决账号{f['单项否决账号']}个、"
        f"单位{f['单项否决单位']}个；{f['预警账号']}个账号{b.warn_days}日内将触发单项否决。",
        f"与上期重复的问题{f['与上期重复的问题']}项，整改销号后再次出现的问题{f['销号后再次出现的问题']}项，"
        f"逾期未整改的问题{f['逾期未整改']}项。",
        f"本期输入记录读取{f['读取记录']}条，接受{f['接受记录']}条，拒绝{f['拒绝记录']}条"
        + (
            f"；{f['无法判定规则']}条规则因缺少资料无法判定（涉及{f['无法判定对象次']}个对象次），"
            "详见第五部分。"
            if f["无法判定规则"]
            else "。"
        ),
    ]
    if b.input_problem:
        overview.append(f"需要注意：{b.input_problem}。")
    deadline = next((x.due_on for x in b.due if x.state == "未下发" and x.due_on), None)
    ask = (
        f"请各单位对照附件1逐项整改，于{chinese_date(deadline)}前（{b.rectification_period}）完成整改，"
        f"并将整改情况报送{issuer}。"
        if deadline
        else f"请各单位对照附件1逐项整改，并将整改情况报送{issuer}，整改期限另行通知。"
    )
    sections = [
        Section("一、总体情况", overview, [t["trend"]]),
        Section("二、单项否决情况", [], [t["vetoes"]]),
        Section(
            "三、问题分布",
            [],
            [t["regions"], t["ranking"], t["by_unit"], t["by_rule"]]
            + ([t["scores"]] if "scores" in t else []),
        ),
        Section(
            "四、预警",
            [f"以下账号如在{b.warn_days}日内仍无变化，将触发单项否决，请主办单位立即处理。"],
            [t["early_warnings"]],
        ),
        Section(
            "五、整改要求",
            [ask],
            [t["states"], t["overdue"], t["recurred"], t["repeated"], t["not_evaluated"]],
        ),
    ]
    if b.warnings:
        sections.append(Section("六、说明", list(b.warnings)))
    return Issue(
        title=f"关于{period_text(b)}政务新媒体检查情况的通报",
        recipients=recipients,
        issuer=issuer,
        date_text=chinese_date(b.issued_on),
        opening=opening,
        figures=figures(b),
        sections=sections,
        attachments=[
            _columns(
                t["findings"],
                {"问题编号": 18, "名称": 14, "问题": 20, "说明": 40, "整改状态": 8, "整改期限": 14},
            )
        ],
        bulletin=b,
    )


def _columns(table: Table, widths: dict[str, int]) -> Table:
    """``table`` with only these columns and widths: what fits across a portrait A4 page
    (the workbook has them all)."""
    keep = [table.headers.index(h) for h in widths]
    return Table(
        table.key,
        table.title,
        list(widths),
        [[row[i] for i in keep] for row in table.rows],
        list(widths.values()),
        table.empty,
    )


def cell_text(value: Any) -> str:
    """How a table value reads in a document: numbers without trailing zeros, dates as ISO, none
    empty.
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _environment(folder: Path) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder), str(TEMPLATES)]),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["text"] = cell_text
    env.filters["md"] = lambda v: md_cell(cell_text(v))
    return env


def render(issue: Issue, template: str | Path) -> str:
    """Render ``template`` (a built-in template's name or a file) with the issue, the bulletin and
    LIMIT.
    """
    path = Path(template)
    folder = path.parent if path.parent != Path(".") or path.exists() else TEMPLATES
    env = _environment(folder)
    if path.suffix == ".j2" and "html" in path.name:
        env.autoescape = True
    page: str = env.get_template(path.name).render(
        issue=issue, b=issue.bulletin, limit=LIMIT, charts=charts(issue.bulletin)
    )
    return page


def to_markdown(b: Bulletin, *, template: str | Path | None = None, **issue: str) -> str:
    return render(build_issue(b, **issue), template or "bulletin.md.j2")


def to_html(b: Bulletin, *, template: str | Path | None = None, **issue: str) -> str:
    return render(build_issue(b, **issue), template or "bulletin.html.j2")


def to_json(b: Bulletin, **_: Any) -> str:
    return b.model_dump_json(indent=2) + "\n"


def charts(b: Bulletin) -> str:
    """Inline SVG: problems of the 20 units with the most, and the trend (offline, nothing beside
    it).
    """
    units = [(r.label, r.count) for r in b.by_unit if r.count][:20]
    return _bars(units, "问题数最多的单位（前20个）") + _line(
        [(t["period"], t["findings"]) for t in b.trend], "近期问题数趋势"
    )


def _bars(rows: list[tuple[str, int]], title: str) -> str:
    if not rows:
        return ""
    top = max(v for _, v in rows) or 1
    height = 22 * len(rows) + 8
    bars = "".join(
        f'<text x="0" y="{22 * i + 18}" font-size="12">{html.escape(name[:14])}</text>'
        f'<rect x="190" y="{22 * i + 6}" width="{int(300 * v / top)}" height="14" fill="#b03a2e"/>'
        f'<text x="{196 + int(300 * v / top)}" y="{22 * i + 18}" font-size="11">{v}</text>'
        for i, (name, v) in enumerate(rows)
    )
    return (
        f"<figure><figcaption>{html.escape(title)}</figcaption>"
        f'<svg width="560" height="{height}" role="img">{bars}</svg></figure>'
    )


def _line(points: list[tuple[str, int]], title: str) -> str:
    top = max((v for _, v in points), default=0) or 1
    step = 440 / max(1, len(points) - 1)
    coords = [(50 + i * step, 150 - 120 * v / top) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.0f},{y:.0f}" for x, y in coords)
    marks = "".join(
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="3" fill="#2c3e50"/>'
        f'<text x="{x:.0f}" y="{y - 7:.0f}" font-size="11" text-anchor="middle">{v}</text>'
        f'<text x="{x:.0f}" y="172" font-size="11" text-anchor="middle">{html.escape(p)}</text>'
        for (x, y), (p, v) in zip(coords, points, strict=False)
    )
    return (
        f"<figure><figcaption>{html.escape(title)}</figcaption>"
        '<svg width="560" height="180" role="img">'
        f'<polyline points="{path}" fill="none" stroke="#2c3e50" stroke-width="2"/>'
        f"{marks}</svg></figure>"
    )


# -- Excel


def to_xlsx(b: Bulletin, *, template: str | Path | None = None, **issue: str) -> bytes:
    """One sheet per table after 概况: Chinese headers, widths, frozen header, filter, A4 landscape.

    Counts are numbers, dates are dates, text is text (never a formula).
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    doc = build_issue(b, **issue)
    book = openpyxl.load_workbook(template) if template else openpyxl.Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    rate = dict(doc.figures)["合格率"]
    overview = Table(
        "figures",
        "概况",
        ["项目", "数值"],
        [[k, b.pass_rate if v is rate else v] for k, v in doc.figures],
        [22, 50],
    )
    overview.rows[:0] = [
        ["标题", doc.title],
        ["期间", f"{b.since} 至 {b.as_of}"],
        ["规则包", "、".join(b.packs)],
        ["成文日期", b.issued_on],
    ]
    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    body = [t for section in doc.sections for t in section.tables]
    for table in [overview, *body, _tables(b)["findings"]]:
        sheet = book.create_sheet(_sheet_name(table.title))
        _rows_to(sheet, [table.headers, *table.rows])
        for i, width in enumerate(table.widths, 1):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width * 1.15 + 2
        for cell in sheet[1]:
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str))
                if table is overview and cell.value is b.pass_rate:
                    cell.number_format = "0.0%"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        sheet.print_title_rows = "1:1"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if sum(table.widths) > 90 else "portrait"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(
        "（" if c == "[" else "）" if c == "]" else c for c in title if c not in ":*?/\\"
    )[:31]


def _rows_to(sheet: Any, rows: list[list[Any]]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    for row in rows:
        sheet.append([None] * len(row))
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, date):
                cell.value, cell.number_format = value, "yyyy-mm-dd"
            elif not isinstance(value, str):
                cell.value = value
            else:
                # a control character from a record is shown as \xNN, not refused by the workbook
                cell.value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m[0]):02x}", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with


FORMATS: dict[str, Callable[..., str | bytes]] = {
    "markdown": to_markdown, "html": to_html, "json": to_json, "xlsx": to_xlsx,
}
BINARY = {"xlsx", "docx"}


def export(b: Bulletin, fmt: str, **options: Any) -> str | bytes:
    """The bulletin in ``fmt`` (markdown, html, json, xlsx, docx)."""
    if fmt == "docx":
        from .bulletin_docx import to_docx

        return to_docx(b, **options)
    return FORMATS[fmt](b, **options)
