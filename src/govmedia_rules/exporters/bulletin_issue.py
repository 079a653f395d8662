"""The 通报 as written, what every format renders: title, 主送, opening, 概况, sections, 附件.

Markdown, HTML, Word and the workbook all render one :class:`Issue` built
once from the bulletin, so the formats cannot disagree on a sentence or a
count. Word follows the 公文 layout (GB/T 9704: title, 主送, numbered
sections, 附件, 落款), and the sections here are its sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..periods import period_words
from .bulletin_model import Bulletin
from .bulletin_periods import parse_period
from .bulletin_tables import Table, build_tables


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
    #: the whole 问题清单, every column: the workbook prints it, the attachment cuts it to A4
    findings: Table
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


def build_issue(
    b: Bulletin,
    *,
    issuer: str = "××市人民政府办公室",
    recipients: str = "各县（市、区）人民政府，市政府各部门：",
) -> Issue:
    """The 通报's text and tables, from the bulletin alone."""
    t = build_tables(b)
    counts = figures(b)
    f = dict(counts)
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
        figures=counts,
        sections=sections,
        attachments=[
            _columns(
                t["findings"],
                {"问题编号": 18, "名称": 14, "问题": 20, "说明": 40, "整改状态": 8, "整改期限": 14},
            )
        ],
        findings=t["findings"],
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


