"""A bulletin written as an office issues it: Word (公文), Excel, printable HTML, Markdown, JSON.

Every format renders one :class:`~.bulletin_issue.Issue` built once from the
bulletin: the same title, paragraphs, figures (概况) and tables, so the formats
cannot disagree on a count. Markdown and HTML come from Jinja2 templates
(:mod:`.bulletin_templates`), Word from a .docx template
(:mod:`.bulletin_docx`), each replaceable with ``--template``; the workbook
(:mod:`.bulletin_xlsx`) holds every row. This module names them for ``--format``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .bulletin_docx import to_docx
from .bulletin_model import Bulletin
from .bulletin_templates import to_html, to_markdown
from .bulletin_xlsx import to_xlsx


def to_json(b: Bulletin, **_: Any) -> str:
    return b.model_dump_json(indent=2) + "\n"


FORMATS: dict[str, Callable[..., str | bytes]] = {
    "markdown": to_markdown, "html": to_html, "json": to_json, "xlsx": to_xlsx, "docx": to_docx,
}
BINARY = {"xlsx", "docx"}


def export(b: Bulletin, fmt: str, **options: Any) -> str | bytes:
    """The bulletin in ``fmt`` (markdown, html, json, xlsx, docx)."""
    return FORMATS[fmt](b, **options)
