import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from govmedia_rules import Engine
from govmedia_rules.cli import main
from govmedia_rules.exporters.bulletin import build_bulletin
from govmedia_rules.exporters.bulletin_periods import parse_period, previous_periods
from govmedia_rules.exporters.bulletin_templates import to_html, to_markdown
from govmedia_rules.exporters.bulletin_xlsx import to_xlsx
from govmedia_rules.intake.files import items_from_values
from govmedia_rules.testing import one_rule_pack

from .conftest import REGISTRY, account, post, unit

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text, expected", [
    ("2019Q3", (date(2019, 7, 1), date(2019, 9, 30), "quarter")),
    ("2019-02", (date(2019, 2, 1), date(2019, 2, 28), "month")),
    ("2019H2", (date(2019, 7, 1), date(2019, 12, 31), "half_year")),
    ("2020", (date(2020, 1, 1), date(2020, 12, 31), "year")),
])
def test_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("bad", ["2019Q5", "2019-13", "19Q1", "last quarter"])
def test_bad_periods(bad):
    with pytest.raises(ValueError):
        parse_period(bad)


def test_previous_periods_cross_the_year():
    assert previous_periods(date(2020, 1, 1), "quarter", 2) == [(date(2019, 7, 1), date(2019, 9, 30)),
                                                               (date(2019, 10, 1), date(2019, 12, 31))]


def _bulletin(records, period="2019-09", **kw):
    pack = one_rule_pack("update_frequency", {"window": {"weeks": 1}}, rule_id="weekly")
    pack = pack.model_copy(update={"scoring": pack.scoring.model_copy(update={"veto_rules": ["weekly"], "pass_fail": True})})
    return build_bulletin(Engine([pack], registry=REGISTRY), list(items_from_values(records)), period, **kw)


def test_bulletin_counts_a_veto_in_one_period_only():
    # a1 posts every week of August and September except the week of 09-09; a2 every week
    weeks = ["2019-08-05", "2019-08-12", "2019-08-19", "2019-08-26", "2019-09-02", "2019-09-16", "2019-09-23"]
    records = [unit(name="某局"), account("a1"), account("a2", platform="douyin"),
               *[post(f"a1-{d}", f"{d}T10:00:00") for d in weeks],
               *[post(f"a2-{d}", f"{d}T10:00:00", account_id="a2") for d in weeks + ["2019-09-09"]]]
    september = _bulletin(records, "2019-09", trend=1)
    assert (september.accounts_checked, september.accounts_passed, september.pass_rate) == (2, 1, 0.5)
    vetoed = [(v.type, v.id, v.rules) for v in september.vetoed]
    assert vetoed == [("account", "a1", ["weekly"]), ("unit", "u1", ["weekly"])]
    assert [(r.label, r.count, r.previous) for r in september.by_unit] == [("某局", 1, 0)]
    assert september.trend == [{"period": "2019-08", "findings": 0}, {"period": "2019-09", "findings": 1}]
    august = _bulletin(records, "2019-08", trend=1)
    assert august.vetoed == [] and august.pass_rate == 1.0


#: a post long before the periods: the input carries posts, so silence is known
EARLY_POST = post("p0", "2018-01-02T10:00:00")


def test_repeated_problems_across_periods():
    records = [unit(), account("a1"), EARLY_POST]
    bulletin = _bulletin(records, "2019-09", trend=2)
    assert [r["subject"] for r in bulletin.repeated] == ["account:a1"]
    assert [t["period"] for t in bulletin.trend] == ["2019-07", "2019-08", "2019-09"]


HOSTILE = "=HYPERLINK(\"http://x\",\"点我\")"


def test_formats_escape_values_from_records(tmp_path):
    records = [unit(name=HOSTILE), account("a1", name="<script>alert(1)</script>|x"), EARLY_POST]
    bulletin = _bulletin(records, "2019-09", trend=1)
    html_page = to_html(bulletin)
    assert "<script>alert" not in html_page and "&lt;script&gt;" in html_page
    assert not any(tag in html_page for tag in ("src=", "href=", "<link", "<script"))  # opens offline
    assert "<svg" in html_page
    markdown = to_markdown(bulletin)
    assert "\\|" in markdown or "<script>" not in markdown
    path = tmp_path / "b.xlsx"
    path.write_bytes(to_xlsx(bulletin))
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert hostile and all(c.data_type == "s" for c in hostile)


@pytest.mark.parametrize("city, period", [("lianyungang", "2019Q4"), ("ankang", "2019Q4"), ("changde", "2019-11"),
                                          ("baicheng", "2021Q4"), ("junshan", "2019")])
def test_report_command_writes_every_format_for_every_city(city, period, tmp_path, capsys):
    data = str(ROOT / "examples" / f"{city}.jsonl")
    for fmt, name in (("markdown", "b.md"), ("html", "b.html"), ("xlsx", "b.xlsx"), ("json", "b.json")):
        out = tmp_path / name
        assert main(["report", "--pack", city, "--period", period, "--format", fmt, "-o", str(out), data],
                    registry=REGISTRY) == 1  # the examples hold findings
        assert out.stat().st_size > 200
    summary = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert summary["period"] == period and summary["accounts_checked"] >= 4 and summary["by_rule"]
    counts = f"输入记录读取{summary['read']}条，接受{summary['accepted']}条，拒绝{summary['rejected']}条"
    assert summary["read"] > 0
    for name in ("b.md", "b.html"):
        assert counts in (tmp_path / name).read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsx")["概况"]
    assert {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}["读取记录"] == summary["read"]
    assert main(["report", "--pack", city, "--period", period, "--format", "xlsx", data], registry=REGISTRY) == 2
