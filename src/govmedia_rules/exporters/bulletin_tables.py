"""The bulletin's tables: each one's title, Chinese headers, rows and column widths, built once.

Every format prints these same tables (a sheet in the workbook, a table in
Word, HTML and Markdown), so a count cannot differ between formats. Tables in
the body of a document show at most :data:`LIMIT` rows and say how many more
the workbook holds, so a bulletin over thousands of accounts stays a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..labels import SEVERITY, SUBJECT, label
from .bulletin_model import Bulletin, Row
from .formats import not_evaluated_lines

#: Rows a table shows in the body of a document; the workbook holds them all
LIMIT = 200

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


def cell_text(value: Any) -> str:
    """How a table value reads in a document: numbers without trailing zeros, dates as ISO, none
    empty.
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _change(row: Row) -> str:
    delta = row.count - row.previous
    return f"+{delta}" if delta > 0 else str(delta)


def build_tables(b: Bulletin) -> dict[str, Table]:
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
