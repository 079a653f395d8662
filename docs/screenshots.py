"""Render the example 通报 in every format and keep pictures of it in docs/ (not part of make test).

Run from the checkout: ``.venv/bin/python docs/screenshots.py``. Needs Debian's chromium,
libreoffice-writer (or -nogui), poppler-utils and fonts-noto-cjk. The pictures are what an
office would issue: the Word 通报 through LibreOffice, the workbook's sheets, the HTML page
on screen and as printed on A4.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
REPORT = [
    "report",
    "--pack",
    "zhaoqing",
    "--period",
    "2019Q4",
    "--issued-on",
    "2020-01-06",
    "--rectification-days",
    "10",
    "--issuer",
    "肇庆市人民政府办公室",
    "--to",
    "各县（市、区）人民政府，市政府各部门、各直属机构：",
    str(ROOT / "examples" / "zhaoqing.jsonl"),
]


def run(*command: str) -> None:
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300
    )


def report(fmt: str, out: Path) -> Path:
    """The example bulletin in ``fmt``; exit status 1 only says the example holds findings."""
    done = subprocess.run(
        [sys.executable, "-m", "govmedia_rules.cli", *REPORT, "--format", fmt, "-o", str(out)],
        timeout=300,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"report --format {fmt} failed")
    return out


def pages(pdf: Path, name: str, wanted: list[int]) -> None:
    """PDF pages (1 is the first, -1 the last) as docs/<name>-<n>.png at a readable resolution."""
    run("pdftoppm", "-r", "80", "-png", str(pdf), str(pdf.with_suffix("")))
    found = sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))
    for n in wanted:
        shutil.copy(found[n - 1 if n > 0 else n], DOCS / f"{name}-{n if n > 0 else 'last'}.png")


def office_pdf(path: Path) -> Path:
    run("soffice", "--headless", "--convert-to", "pdf", "--outdir", str(path.parent), str(path))
    return path.with_suffix(".pdf")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pages(
            office_pdf(report("docx", work / "bulletin-docx.docx")), "bulletin-docx", [1, 2, 3, -1]
        )
        pages(office_pdf(report("xlsx", work / "bulletin-xlsx.xlsx")), "bulletin-xlsx", [1, -1])
        page = report("html", work / "bulletin.html")
        chromium = [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
        ]
        run(
            *chromium,
            "--window-size=1000,1500",
            f"--screenshot={DOCS / 'bulletin.png'}",
            page.as_uri(),
        )
        printed = work / "bulletin-print.pdf"
        run(*chromium, "--no-pdf-header-footer", f"--print-to-pdf={printed}", page.as_uri())
        pages(printed, "bulletin-print", [2])


if __name__ == "__main__":
    main()
