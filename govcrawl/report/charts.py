"""Charts of the report as SVG written here (no JavaScript, no plotting library): pass rate per unit (附件1 and
附件3, in the tables' order, 省直 first) and each unit's pass rate across the runs of the same registry.

Every bar carries its unit and rate as data-* attributes, so a test (or a reader's tool) can check the chart
against the table it draws. `png()` draws the same SVG again with Pillow: the fallback image a DOCX needs beside
an SVG for viewers that cannot show SVG.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

WIDTH = 640
LABEL_WIDTH = 150
RATE_WIDTH = 70
ROW = 22
TOP = 34
BAR = "#b22222"
NONE = "#999999"
PALETTE = ("#b22222", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173")
FAMILY = 'font-family="Noto Sans CJK SC,Source Han Sans SC,Microsoft YaHei,SimHei,sans-serif"'
FONT = FAMILY + ' font-size="12"'
TITLE = FAMILY + ' font-size="14"'


@dataclass
class Bar:
    label: str
    rate: float | None      # pass rate in percent (98.12), None when nothing was checked
    text: str               # as printed beside the bar: '98.12%' or '未检查'


def pass_rate_bars(rows) -> list[Bar]:
    """Bars of 附件1 / 附件3 rows (UnitRow; the 合计 row is left out): 合格率 = 1 − failing/checked."""
    from govcrawl.report.order import pass_rate

    bars = []
    for r in rows:
        if r.number == "合计":
            continue
        rate = round(100 * (r.checked - r.failing) / r.checked, 2) if r.checked else None
        bars.append(Bar(r.unit, rate, pass_rate(r.failing, r.checked) if r.checked else "未检查"))
    return bars


def _e(value) -> str:
    return escape(str(value), quote=True)


def bar_svg(bars: list[Bar], title: str, key: str) -> str:
    """A horizontal bar chart: one row per unit, bar length = pass rate, 0–100 % axis."""
    plot = WIDTH - LABEL_WIDTH - RATE_WIDTH
    height = TOP + ROW * len(bars) + 24
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{_e(key)}" width="{WIDTH}" '
           f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{_e(title)}">',
           f'<text x="{WIDTH // 2}" y="18" text-anchor="middle" {TITLE}>{_e(title)}</text>']
    for tick in range(0, 101, 20):
        x = LABEL_WIDTH + plot * tick / 100
        out.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{TOP + ROW * len(bars)}" stroke="#ddd"/>'
                   f'<text x="{x:.1f}" y="{TOP + ROW * len(bars) + 16}" text-anchor="middle" {FONT}>{tick}%</text>')
    for n, bar in enumerate(bars):
        y = TOP + ROW * n
        width = plot * (bar.rate or 0) / 100
        out.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" {FONT}>{_e(bar.label)}</text>')
        out.append(f'<rect class="bar" data-unit="{_e(bar.label)}" data-rate="{"" if bar.rate is None else bar.rate}" '
                   f'x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.2f}" height="{ROW - 6}" '
                   f'fill="{BAR if bar.rate is not None else NONE}"/>')
        out.append(f'<text x="{LABEL_WIDTH + width + 4:.2f}" y="{y + 15}" {FONT}>{_e(bar.text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


@dataclass
class Series:
    label: str
    rates: list[float | None]   # one per run, None when the unit was not checked in that run


def trend_svg(runs: list[str], series: list[Series], title: str) -> str:
    """Each unit's pass rate across runs (x: the runs, oldest first; y: 0–100 %), one coloured line per unit."""
    left, right, top, bottom = 50, 170, 34, 40
    plot_w, plot_h = WIDTH - left - right, 220
    height = top + plot_h + bottom + max(0, 14 * len(series) - plot_h)
    step = plot_w / max(1, len(runs) - 1)
    x = lambda i: left + (step * i if len(runs) > 1 else plot_w / 2)  # noqa: E731
    y = lambda rate: top + plot_h * (1 - rate / 100)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="trend" width="{WIDTH}" '
           f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{_e(title)}">',
           f'<text x="{WIDTH // 2}" y="18" text-anchor="middle" {TITLE}>{_e(title)}</text>']
    for tick in range(0, 101, 20):
        out.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" {FONT}>{tick}%</text>')
    for i, run in enumerate(runs):
        out.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" {FONT}>{_e(run)}</text>')
    for n, s in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        points = [(x(i), y(r), r) for i, r in enumerate(s.rates) if r is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
        for px, py, r in points:
            out.append(f'<circle class="point" data-unit="{_e(s.label)}" data-rate="{r}" cx="{px:.1f}" cy="{py:.1f}" '
                       f'r="3" fill="{color}"/>')
        ly = top + 14 * n
        out.append(f'<rect x="{left + plot_w + 12}" y="{ly}" width="10" height="10" fill="{color}"/>'
                   f'<text x="{left + plot_w + 26}" y="{ly + 9}" {FONT}>{_e(s.label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _font_file() -> str | None:
    """A font with Chinese glyphs for the PNG (fontconfig's choice for zh-cn), None when there is none."""
    import shutil
    import subprocess

    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"], capture_output=True, text=True)
    path = found.stdout.strip()
    return path if any(mark in path.upper() for mark in ("CJK", "HEI", "WQY", "SONG", "FANG", "KAI")) else None


def png(svg: str, scale: int = 2) -> bytes:
    """Our own SVG charts (line, rect, circle, polyline, text with absolute coordinates) drawn again with Pillow:
    the fallback image a DOCX carries beside the SVG, for viewers that show no SVG (LibreOffice, Word before 2016).
    Text needs a CJK font (fonts-noto-cjk); without one the labels are drawn in Pillow's default font."""
    import xml.etree.ElementTree as ET

    from PIL import Image, ImageDraw, ImageFont

    root = ET.fromstring(svg)
    width, height = float(root.get("width")), float(root.get("height"))
    image = Image.new("RGB", (int(width * scale), int(height * scale)), "white")
    draw = ImageDraw.Draw(image)
    font_file, fonts = _font_file(), {}

    def font(size: float):
        if size not in fonts:
            fonts[size] = (ImageFont.truetype(font_file, int(size * scale)) if font_file
                           else ImageFont.load_default(int(size * scale)))
        return fonts[size]

    def f(el, name, default=0.0) -> float:
        return float(el.get(name, default)) * scale

    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "rect":
            if f(el, "width") > 0:
                draw.rectangle([f(el, "x"), f(el, "y"), f(el, "x") + f(el, "width"), f(el, "y") + f(el, "height")],
                               fill=el.get("fill", "black"))
        elif tag == "line":
            draw.line([f(el, "x1"), f(el, "y1"), f(el, "x2"), f(el, "y2")], fill=el.get("stroke", "black"))
        elif tag == "circle":
            r = f(el, "r")
            draw.ellipse([f(el, "cx") - r, f(el, "cy") - r, f(el, "cx") + r, f(el, "cy") + r], fill=el.get("fill"))
        elif tag == "polyline":
            points = [tuple(float(v) * scale for v in p.split(",")) for p in el.get("points", "").split()]
            draw.line(points, fill=el.get("stroke", "black"), width=int(float(el.get("stroke-width", 1)) * scale))
        elif tag == "text" and el.text:
            anchor = {"middle": "ms", "end": "rs"}.get(el.get("text-anchor"), "ls")
            draw.text((f(el, "x"), f(el, "y")), el.text, fill="black", font=font(float(el.get("font-size", 12))),
                      anchor=anchor)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
