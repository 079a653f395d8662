"""Markdown and printable HTML bulletins, rendered from Jinja2 templates an office can replace.

The built-in templates are in ``templates/``; ``--template`` names another
file. Values from records are escaped for their format: Markdown cells by the
``md`` filter, HTML text by autoescape. HTML prints on A4 with table headers
repeated on each page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .bulletin_charts import charts
from .bulletin_issue import Issue, build_issue
from .bulletin_model import Bulletin
from .bulletin_tables import LIMIT, cell_text
from .formats import md_cell

TEMPLATES = Path(__file__).parent / "templates"


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
