"""The 通报 as a Word document in 公文 layout, from a .docx template an office can replace.

Offices issue 通报 in Word, on their own letterhead. A template is any .docx:
its page setup, styles, header and footer (红头, 页码) are kept, and these
placeholders, each alone in a paragraph, are replaced: ``{{标题}}``,
``{{主送}}``, ``{{正文}}`` (the body: sections, tables, 附件 list, 落款 and the
attachment tables), ``{{发文机关}}`` and ``{{成文日期}}``. A template without
``{{正文}}`` gets the body at its end. Without a template the document is
laid out after GB/T 9704: A4, 37/35/28/26 mm margins, title in 小标宋 二号,
body in 仿宋_GB2312 三号, headings in 黑体, tables in 仿宋 五号 with their
header row repeated on every page.

Needs python-docx (``pip install 'govmedia-rules[word]'``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..errors import GovMediaError
from .bulletin_issue import Issue, build_issue
from .bulletin_model import Bulletin
from .bulletin_tables import LIMIT, Table, cell_text

TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
#: 二号, 三号 and 五号 in points
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = 22, 16, 10.5


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise GovMediaError(
            "生成 docx 通报须先安装 python-docx：pip install 'govmedia-rules[word]'"
        ) from None
    return docx


def to_docx(b: Bulletin, *, template: str | Path | None = None, **issue: str) -> bytes:
    """The bulletin as a .docx; ``template`` is an office's own .docx with the placeholders
    above.
    """
    docx = _docx()
    doc = docx.Document(str(template)) if template else _default_document(docx)
    writer = _Writer(doc, build_issue(b, **issue))
    writer.write()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _default_document(docx: Any) -> Any:
    from docx.shared import Mm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for text in ("{{标题}}", "{{主送}}", "{{正文}}"):
        doc.add_paragraph(text)
    _page_number(section.footer.paragraphs[0])
    return doc


def _font(target: Any, name: str, size: float, *, bold: bool = False) -> None:
    """Set a style's or run's font, East Asian included (Word reads CJK text from w:eastAsia)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.name, target.font.size, target.font.bold = name, Pt(size), bold
    fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _page_number(paragraph: Any) -> None:
    """A centred page number field in the footer: — 1 —."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText")
            node.text = text
        run._r.append(node)
    paragraph.add_run(" —")


class _Writer:
    """Fills a template's placeholders with the issue; body content goes where ``{{正文}}``
    stands."""

    def __init__(self, doc: Any, issue: Issue) -> None:
        self.doc, self.issue = doc, issue
        self.anchor = None

    def write(self) -> None:
        issue = self.issue
        fills = {
            "{{标题}}": self._title,
            "{{主送}}": self._recipients,
            "{{发文机关}}": None,
            "{{成文日期}}": None,
        }
        for paragraph in list(self.doc.paragraphs):
            text = paragraph.text.strip()
            if text == "{{正文}}":
                self.anchor = paragraph
            elif text in fills and fills[text]:
                fills[text](paragraph)  # type: ignore[misc]
            elif "{{" in paragraph.text:
                self._replace(
                    paragraph,
                    {
                        "{{发文机关}}": issue.issuer,
                        "{{成文日期}}": issue.date_text,
                        "{{标题}}": issue.title,
                        "{{主送}}": issue.recipients,
                    },
                )
        self._body()
        if self.anchor is not None:
            self.anchor._p.getparent().remove(self.anchor._p)

    @staticmethod
    def _replace(paragraph: Any, values: dict[str, str]) -> None:
        text = paragraph.text
        for key, value in values.items():
            text = text.replace(key, value)
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        if paragraph.runs:
            paragraph.runs[0].text = text

    def _title(self, paragraph: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        paragraph.text = ""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(BODY_SIZE)
        paragraph.paragraph_format.line_spacing = Pt(35)
        _font(paragraph.add_run(self.issue.title), TITLE_FONT, TITLE_SIZE)

    def _recipients(self, paragraph: Any) -> None:
        paragraph.text = ""
        paragraph.paragraph_format.first_line_indent = 0
        _font(paragraph.add_run(self.issue.recipients), BODY_FONT, BODY_SIZE)

    # -- body, placed before the anchor (or at the end) -------------------------------------
    def _place(self, element: Any) -> None:
        if self.anchor is not None:
            self.anchor._p.addprevious(element)

    def _paragraph(
        self,
        text: str,
        *,
        font: str = BODY_FONT,
        size: float = BODY_SIZE,
        indent: bool = True,
        align: str | None = None,
    ) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(size * 2) if indent else Pt(0)
        if align:
            paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, align)
        _font(paragraph.add_run(text), font, size)
        self._place(paragraph._p)
        return paragraph

    def _body(self) -> None:
        issue = self.issue
        self._paragraph(issue.opening)
        self._table(
            Table("figures", "概况", ["项目", "数值"], [[k, v] for k, v in issue.figures], [22, 14])
        )
        for section in issue.sections:
            self._paragraph(section.heading, font=HEADING_FONT)
            for text in section.paragraphs:
                self._paragraph(text)
            for table in section.tables:
                self._table(table)
        self._paragraph("")
        names = "；".join(
            f"{i}. {t.title}（共{len(t.rows)}项）" for i, t in enumerate(issue.attachments, 1)
        )
        self._paragraph(f"附件：{names}")
        self._paragraph("")
        self._paragraph(issue.issuer, indent=False, align="RIGHT")
        self._paragraph(issue.date_text, indent=False, align="RIGHT")
        for i, table in enumerate(issue.attachments, 1):
            self._page_break()
            self._paragraph(f"附件{i}", font=HEADING_FONT, indent=False)
            self._table(table)

    def _page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        paragraph = self.doc.add_paragraph()
        paragraph.add_run().add_break(WD_BREAK.PAGE)
        self._place(paragraph._p)

    def _table(self, table: Table) -> None:
        """A caption in 黑体, then the table (header repeated on each page), or the 无 sentence."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        self._paragraph(
            table.title, font=HEADING_FONT, size=TABLE_SIZE + 1.5, indent=False, align="CENTER"
        )
        if not table.rows:
            self._paragraph(f"{table.empty}。", size=TABLE_SIZE, indent=False)
            return
        grid = self.doc.add_table(rows=1, cols=len(table.headers))
        grid.autofit = False
        total = sum(table.widths)
        for column, width in zip(grid.columns, table.widths, strict=False):
            column.width = Mm(156 * width / total)  # the grid LibreOffice and WPS lay out by
        header = grid.rows[0]
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(flag)
        for cell, text, width in zip(header.cells, table.headers, table.widths, strict=False):
            cell.width = Mm(156 * width / total)
            self._cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for row in table.shown:
            added = grid.add_row()
            added._tr.get_or_add_trPr().append(
                OxmlElement("w:cantSplit")
            )  # a row never breaks across pages
            cells = added.cells
            for cell, value, width in zip(cells, row, table.widths, strict=False):
                cell.width = Mm(156 * width / total)
                numeric = isinstance(value, (int, float)) or str(value).endswith("%")
                self._cell(
                    cell, cell_text(value), align=WD_ALIGN_PARAGRAPH.RIGHT if numeric else None
                )
        _borders(grid)
        self._place(grid._tbl)
        if table.omitted:
            self._paragraph(
                f"共{len(table.rows)}行，此处列出前{LIMIT}行，其余{table.omitted}行见电子表格版通报的"
                f"“{table.title}”工作表。",
                size=TABLE_SIZE,
                indent=False,
            )

    @staticmethod
    def _cell(cell: Any, text: str, *, bold: bool = False, align: Any = None) -> None:
        from docx.shared import Pt

        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(1)
        if align is not None:
            paragraph.alignment = align
        _font(paragraph.add_run(text), HEADING_FONT if bold else BODY_FONT, TABLE_SIZE)


def _borders(table: Any) -> None:
    """Single black borders on every cell, whatever table styles the template has."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            node.set(qn(f"w:{key}"), value)
        borders.append(node)
    properties.append(borders)
