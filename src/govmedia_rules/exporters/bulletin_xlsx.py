"""The bulletin as an Excel workbook: 概况 and every table in full, one sheet each.

The workbook is where the tables the documents cut at their row limit are
whole. Values from records are spreadsheet cells that stay text: never a
formula, whatever they start with.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from .bulletin_issue import build_issue
from .bulletin_model import Bulletin
from .bulletin_tables import Table


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
    for table in [overview, *body, doc.findings]:
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
