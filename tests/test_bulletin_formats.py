"""Finding ids, rectification and the 通报 in every format: what an office issues must agree."""

import json
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govmedia_rules import Engine
from govmedia_rules.cli import main
from govmedia_rules.exporters.bulletin import build_bulletin
from govmedia_rules.exporters.bulletin_formats import export
from govmedia_rules.exporters.bulletin_tables import LIMIT
from govmedia_rules.intake.files import items_from_values, read_inputs
from govmedia_rules.packs.model import RectificationPeriod
from govmedia_rules.testing import histories

from .conftest import REGISTRY, account, post, unit

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "zhaoqing.jsonl"
ISSUED = date(2020, 1, 6)


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def bulletin():
    engine = Engine(["zhaoqing"], registry=REGISTRY)
    items = list(read_inputs([EXAMPLE], engine.registry.loaders))
    return build_bulletin(
        engine, items, "2019Q4", issued_on=ISSUED, rectification=RectificationPeriod(days=10)
    )


# -- finding ids

NATIONAL = Engine(["national"], registry=REGISTRY)


def _ids(report):
    return {
        (
            f.rule,
            f.subject.type,
            f.subject.id,
            json.dumps(f.evidence, sort_keys=True, default=str),
        ): f.id
        for f in report.findings
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=histories(details=True, max_accounts=2, max_events=25),
    seed=st.randoms(use_true_random=False),
    cut=st.integers(min_value=0, max_value=100),
)
def test_finding_ids_survive_shuffling_splitting_and_wider_windows(
    records, seed, cut, tmp_path_factory
):
    narrow = NATIONAL.evaluate(records, since=date(2019, 4, 1), as_of=date(2019, 9, 30))
    ids = [f.id for f in narrow.findings]
    assert len(ids) == len(set(ids)) and all(ids)
    shuffled = records[:]
    seed.shuffle(shuffled)
    folder = tmp_path_factory.mktemp("split")
    half = len(shuffled) * cut // 100
    for name, part in (("a.jsonl", shuffled[:half]), ("b.jsonl", shuffled[half:])):
        (folder / name).write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8"
        )
    split = NATIONAL.evaluate_files(
        [folder / "a.jsonl", folder / "b.jsonl"], since=date(2019, 4, 1), as_of=date(2019, 9, 30)
    )
    assert _ids(split) == _ids(narrow)
    wider = _ids(NATIONAL.evaluate(records, since=date(2019, 1, 1), as_of=date(2019, 9, 30)))
    for key, finding_id in _ids(
        narrow
    ).items():  # the same fact found in the wider window keeps its id
        if key in wider:
            assert wider[key] == finding_id


def test_a_dormant_account_keeps_its_id_as_the_window_moves_and_recurs_under_one_owner():
    records = [
        unit(),
        account("a1", functions=["publish", "interact"]),
        post("p1", "2019-09-02T10:00:00"),
    ]

    def veto(as_of):
        report = NATIONAL.evaluate(records, since=date(2019, 9, 1), as_of=as_of)
        return next(f for f in report.findings if f.rule == "veto-no-update-2-weeks")

    first, later = veto(date(2019, 9, 30)), veto(date(2019, 10, 20))
    assert first.id == later.id and first.evidence["window_from"] != later.evidence["window_from"]
    moved = records[:2] + [post("p1", "2019-09-05T10:00:00")]
    other = next(
        f
        for f in NATIONAL.evaluate(moved, since=date(2019, 9, 1), as_of=date(2019, 9, 30)).findings
        if f.rule == "veto-no-update-2-weeks"
    )
    assert other.id != first.id and other.id.split("-")[0] == first.id.split("-")[0]


# -- rectification


def test_rectification_records_drive_states_overdue_and_recurrence(bulletin):
    states = {t.name: t.state for t in bulletin.due if t.rule == "dedicated-staff"}
    assert states == {"端州教育": "已反馈", "肇庆卫健": "已复核", "端州教育抖音号": "未下发"}
    overdue = {t.name: (t.state, t.due_on, t.overdue_days) for t in bulletin.overdue}
    # zg-2019-052 has no due_on: 2019-12-02 plus 10 working days
    assert overdue == {
        "端州教育": ("已反馈", date(2019, 10, 29), 69),
        "肇庆卫健": ("已复核", date(2019, 12, 16), 21),
    }
    assert [(t.name, t.rule) for t in bulletin.recurred] == [("四会发布", "no-opinions-or-ads")]
    fresh = [t for t in bulletin.due if t.state == "未下发"]
    # 整改期限 lies ahead: ten working days from 2020-01-06, Sunday 2020-01-19 being a make-up workday
    assert fresh and {t.due_on for t in fresh} == {date(2020, 1, 19)}
    assert {t.issued_on for t in fresh} == {ISSUED}


def test_a_closed_rectification_is_closed_only_from_its_date():
    from govmedia_rules.findings.rectification import state_of
    from govmedia_rules.records import Rectification

    record = Rectification(
        id="r",
        finding_id="f",
        issued_on=date(2019, 10, 1),
        feedback_on=date(2019, 10, 5),
        closed_on=date(2019, 10, 9),
    )
    assert [state_of(record, date(2019, 10, d)) for d in (1, 5, 8, 9)] == [
        "已下发",
        "已反馈",
        "已反馈",
        "已销号",
    ]
    assert state_of(record, date(2019, 9, 30)) == "未下发"


def test_early_warning_lists_an_account_close_to_the_silence_veto(bulletin):
    assert [(w.name, w.rule) for w in bulletin.early_warnings] == [
        ("鼎湖发布", "veto-no-update-2-weeks")
    ]
    assert "鼎湖发布" not in {v.name for v in bulletin.vetoed}


def test_roll_up_and_ranking(bulletin):
    regions = {r.name: (r.units, r.accounts) for r in bulletin.regions}
    assert regions["四会市人民政府"] == (2, 2)  # the township rolls up to its county
    assert sum(r.accounts for r in bulletin.regions) == bulletin.accounts_checked
    assert sum(r.problems for r in bulletin.regions) == bulletin.problems
    scores = [r.score for r in bulletin.ranking if r.score is not None]
    assert scores == sorted(scores, reverse=True) and [r.rank for r in bulletin.ranking][:2] == [
        1,
        2,
    ]


# -- the formats


class _Tables(HTMLParser):
    """Rows of every <table> in an HTML page, keyed by the id of the section around it."""

    def __init__(self):
        super().__init__()
        self.tables, self.section, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id")
            self.tables.setdefault(self.section, [])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.section:
            self.tables[self.section].append(self.row)


def _markdown_tables(text):
    tables, title = {}, None
    for line in text.splitlines():
        if line.startswith("### "):
            title = line[4:]
            tables[title] = []
        elif line.startswith("|") and not line.startswith("|---") and title:
            tables[title].append([c.strip() for c in line.strip("|").split(" | ")])
    return tables


def _docx_tables(path):
    document = docx.Document(str(path))
    captions = [p.text for p in document.paragraphs]
    tables = {}
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        caption = table._tbl.getprevious()
        tables[docx.text.paragraph.Paragraph(caption, document).text] = rows
    return tables, captions


def test_every_format_agrees_on_every_count(bulletin, tmp_path):
    data = json.loads(export(bulletin, "json"))
    counts = {
        "检查账号": data["accounts_checked"],
        "合格账号": data["accounts_passed"],
        "发现问题": sum(r["count"] for r in data["by_rule"]),
        "涉及单位": sum(1 for r in data["by_unit"] if r["count"]),
        "单项否决账号": sum(v["type"] == "account" for v in data["vetoed"]),
        "单项否决单位": sum(v["type"] == "unit" for v in data["vetoed"]),
        "预警账号": len({w["account"] for w in data["early_warnings"]}),
        "逾期未整改": len(data["overdue"]),
        "与上期重复的问题": len(data["repeated"]),
        "销号后再次出现的问题": len(data["recurred"]),
        "读取记录": data["read"],
        "接受记录": data["accepted"],
        "拒绝记录": data["rejected"],
        "无法判定规则": len({(n["pack"], n["rule"]) for n in data["not_evaluated"]}),
        "无法判定对象次": sum(n["subjects"] for n in data["not_evaluated"]),
    }
    assert counts["单项否决账号"] and counts["逾期未整改"] and counts["销号后再次出现的问题"]
    rows = {
        "单项否决": len(data["vetoed"]),
        "县区汇总": len(data["regions"]),
        "单位排名": len(data["ranking"]),
        "问题分布（按单位）": len(data["by_unit"]),
        "问题分布（按规则）": len(data["by_rule"]),
        "逾期未整改": len(data["overdue"]),
        "问题清单": len(data["findings"]),
        "账号得分": len(data["scores"]),
    }

    (tmp_path / "b.docx").write_bytes(export(bulletin, "docx"))
    (tmp_path / "b.xlsx").write_bytes(export(bulletin, "xlsx"))
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    word, _ = _docx_tables(tmp_path / "b.docx")
    page = _Tables()
    page.feed(export(bulletin, "html"))
    markdown = _markdown_tables(export(bulletin, "markdown"))
    html_titles = {
        "vetoes": "单项否决",
        "regions": "县区汇总",
        "ranking": "单位排名",
        "by_unit": "问题分布（按单位）",
        "by_rule": "问题分布（按规则）",
        "overdue": "逾期未整改",
        "findings": "问题清单",
        "scores": "账号得分",
    }
    html_tables = {html_titles.get(k, k): v for k, v in page.tables.items()}
    figures = {
        "xlsx": {r[0]: r[1] for r in book["概况"].iter_rows(min_row=2, values_only=True)},
        "docx": {r[0]: r[1] for r in word["概况"][1:]},
        "html": {r[0]: r[1] for r in html_tables["figures"][1:]},
        "markdown": {r[0]: r[1] for r in markdown["概况"][1:]},
    }
    for fmt, found in figures.items():
        for name, value in counts.items():
            assert str(found[name]) == str(value), (fmt, name)
        rate = found["合格率"]
        assert (
            rate == data["pass_rate"]
            if fmt == "xlsx"
            else rate == f"{data['pass_rate'] * 100:.1f}%"
        ), fmt
    for title, n in rows.items():
        assert book[title].max_row - 1 == n, ("xlsx", title)
        for fmt, tables in (("docx", word), ("html", html_tables), ("markdown", markdown)):
            assert len(tables[title]) - 1 == min(n, LIMIT), (fmt, title)


def test_workbook_is_ready_to_print_and_filter(bulletin, tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(export(bulletin, "xlsx"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["概况", "近期趋势", "单项否决"]
    for sheet in book.worksheets:
        assert (
            sheet.freeze_panes == "A2"
            and sheet.auto_filter.ref
            and sheet.print_title_rows == "$1:$1"
        )
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert all(sheet.column_dimensions[c].width > 8 for c in "AB")
    findings = book["问题清单"]
    header = [c.value for c in findings[1]]
    assert header[:6] == ["问题编号", "严重程度", "问题", "对象", "名称", "所属单位"]
    names = {row[4] for row in findings.iter_rows(min_row=2, values_only=True)}
    assert "端州教育" in names
    scores = {r[1]: r[3] for r in book["账号得分"].iter_rows(min_row=2, values_only=True)}
    assert scores["端州教育抖音号"] == 59.5 and scores["肇庆教育"] == "不评分"
    assert isinstance(book["概况"]["B6"].value, int)


def test_word_document_is_a_gongwen_with_its_tables(bulletin, tmp_path):
    path = tmp_path / "b.docx"
    path.write_bytes(export(bulletin, "docx", issuer="肇庆市人民政府办公室"))
    tables, paragraphs = _docx_tables(path)
    assert paragraphs[0] == "关于2019年第四季度政务新媒体检查情况的通报"
    assert paragraphs[1] == "各县（市、区）人民政府，市政府各部门："
    assert "一、总体情况" in paragraphs and "五、整改要求" in paragraphs
    assert any(p.startswith("附件：1. 问题清单") for p in paragraphs)
    assert "肇庆市人民政府办公室" in paragraphs and "2020年1月6日" in paragraphs
    assert tables["单项否决"][0] == ["序号", "对象", "名称", "所属单位", "否决项", "问题数"]
    section = docx.Document(str(path)).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_an_office_template_keeps_its_letterhead(bulletin, tmp_path):
    letterhead = docx.Document()
    letterhead.add_paragraph("肇庆市人民政府办公室文件")
    for text in ("{{标题}}", "{{主送}}", "{{正文}}", "抄送：市委办公室"):
        letterhead.add_paragraph(text)
    template = tmp_path / "红头.docx"
    letterhead.save(template)
    out = tmp_path / "b.docx"
    out.write_bytes(export(bulletin, "docx", template=template))
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[:2] == [
        "肇庆市人民政府办公室文件",
        "关于2019年第四季度政务新媒体检查情况的通报",
    ]
    assert paragraphs[-1] == "抄送：市委办公室" and not any("{{" in p for p in paragraphs)
    markdown = tmp_path / "short.md.j2"
    markdown.write_text(
        "{{ issue.title }}：{% for k, v in issue.figures %}{{ k }}{{ v }}；{% endfor %}",
        encoding="utf-8",
    )
    assert export(bulletin, "markdown", template=markdown).startswith("关于2019年第四季度")


def test_html_stays_a_document_at_thousands_of_accounts():
    records = [unit()] + [
        account(f"a{i}", name=f"账号{i}", functions=["publish"]) for i in range(2500)
    ]
    records += [
        post(f"p{i}", "2019-12-30T10:00:00", account_id=f"a{i}", flags=[]) for i in range(2500)
    ]
    engine = Engine(["national"], registry=REGISTRY)
    b = build_bulletin(
        engine, list(items_from_values(records)), "2019Q4", trend=0, issued_on=ISSUED, warn_days=0
    )
    assert len(b.findings) >= 2500
    page = export(b, "html")
    assert len(page.encode()) < 1_000_000 and f"此处列出前{LIMIT}行" in page
    assert (
        "@page { size: A4" in page and "table-header-group" in page and "Noto Sans CJK SC" in page
    )


def test_report_command_writes_docx_and_needs_an_output_file(tmp_path, capsys):
    out = tmp_path / "通报.docx"
    args = [
        "report",
        "--pack",
        "zhaoqing",
        "--period",
        "2019Q4",
        "--issued-on",
        "2020-01-06",
        "--rectification-days",
        "10",
        "--format",
        "docx",
        str(EXAMPLE),
    ]
    assert main([*args, "-o", str(out)], registry=REGISTRY) == 1
    assert docx.Document(str(out)).paragraphs[0].text.startswith("关于2019年第四季度")
    assert main(args, registry=REGISTRY) == 2 and "-o" in capsys.readouterr().err


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_lays_the_word_document_out_on_a4(bulletin, tmp_path):
    path = tmp_path / "b.docx"
    path.write_bytes(export(bulletin, "docx"))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = (tmp_path / "b.pdf").read_bytes()
    assert (
        re.search(rb"/MediaBox\s*\[\s*0 0 595", pdf)
        and len(re.findall(rb"/Type\s*/Page\b", pdf)) > 2
    )
