"""Inline SVG charts for the printable HTML bulletin: problems by unit, and the trend.

Drawn as plain SVG text so the page needs nothing beside it (offline, no
script); the HTML template places them as it is given them.
"""

from __future__ import annotations

import html

from .bulletin_model import Bulletin


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
