"""The notice as a Word document (python-docx), laid out as a 公文 with its 附件 after GB/T 9704-2012.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 小标宋 二号 (22 pt), body 仿宋_GB2312 三号
(16 pt) on a fixed 28 pt line, 一、二、 headings 黑体 三号; page numbers 4号 (14 pt) half-width Arabic between dashes
("— 1 —"), odd pages right, even pages left; 附件1–4 as tables whose header row repeats on every page (w:tblHeader).
Where a GB font is not installed the viewer substitutes: the font table names an alternative (仿宋, 宋体, 黑体) that
Word uses; LibreOffice uses fontconfig's (Noto Serif/Sans CJK SC with fonts-noto-cjk). Every crawled string is a
run of text: never a field, hyperlink field or formula. Charts are SVG with a PNG fallback (report/charts.py).
"""
from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from govcrawl.report import charts
from govcrawl.report.model import Report
from govcrawl.report.table import Table
from govcrawl.report.text import display_width

TITLE_FONT = "方正小标宋简体"    # 小标宋
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
# the font table's altName: what Word uses when the GB font is not installed
ALT_NAMES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", PAGE_NUMBER_FONT: "SimSun"}
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE, TABLE_SIZE = Pt(22), Pt(16), Pt(14), Pt(10.5)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
LINE = Pt(28)
NUMERALS = "一二三四五六七八九十"
SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def set_font(target, name: str, size=None, bold: bool | None = None) -> None:
    """Font of a style or run, East Asian slot included (w:eastAsia: what Chinese text is set in)."""
    target.font.name = name
    if size is not None:
        target.font.size = size
    if bold is not None:
        target.font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _style(doc, name: str, font: str, size, bold=False, align=None, base="Normal"):
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    set_font(style, font, size, bold)
    if align is not None:
        style.paragraph_format.alignment = align
    return style


def new_document(landscape: bool = False) -> Document:
    """An empty 公文: page, margins, styles (公文标题, 公文正文 = Normal, 公文一级标题, 附件标注, 表格文字), page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for attr, value in MARGINS.items():
        setattr(section, attr, value)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt.space_before = fmt.space_after = Pt(0)
    title = _style(doc, "公文标题", TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(35)
    title.paragraph_format.space_after = LINE
    _style(doc, "公文一级标题", HEADING_FONT, BODY_SIZE).paragraph_format.first_line_indent = Pt(32)
    _style(doc, "附件标注", HEADING_FONT, BODY_SIZE)
    table_text = _style(doc, "表格文字", BODY_FONT, TABLE_SIZE)
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _page_numbers(doc, section)
    _alt_names(doc)
    return doc


def _page_numbers(doc, section) -> None:
    """'— 1 —' in 4号 half-width digits: odd pages at the right, even pages at the left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = PAGE_NUMBER_SIZE
        else:
            p.paragraph_format.left_indent = PAGE_NUMBER_SIZE
        set_font(p.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        _page_field(p)
        set_font(p.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _page_field(paragraph) -> None:
    """The PAGE field: the only field in the document, and never filled from crawled text."""
    run = paragraph.add_run()
    set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _alt_names(doc) -> None:
    table = _font_table(doc)
    if table is None:
        return
    for name, alt in ALT_NAMES.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_el = OxmlElement("w:altName")
        alt_el.set(qn("w:val"), alt)
        font.append(alt_el)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")     # GB2312
        font.append(charset)
        table.append(font)


def _font_table(doc):
    from docx.oxml.parser import parse_xml

    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            part = rel.target_part
            if not hasattr(part, "_govcrawl_xml"):
                part._govcrawl_xml = parse_xml(part.blob)
                part.__class__ = _XmlBlobPart
            return part._govcrawl_xml
    return None


class _XmlBlobPart(Part):
    """A plain part whose XML we edit (python-docx keeps the font table as bytes)."""

    @property
    def blob(self):
        from lxml import etree

        return etree.tostring(self._govcrawl_xml, xml_declaration=True, encoding="UTF-8", standalone=True)


def paragraph(doc, text: str, style: str | None = None, indent: bool = True):
    p = doc.add_paragraph(style=style)
    if indent and style is None:
        p.paragraph_format.first_line_indent = Pt(32)     # two characters
    p.add_run(text)
    return p


def heading(doc, number: int, text: str):
    return paragraph(doc, f"{NUMERALS[number - 1]}、{text}", "公文一级标题")


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _cell_text(cell, text: str, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.style = "表格文字"
    run = p.add_run(text)
    run.bold = bold or None


def add_table(doc, t: Table, numeric: tuple[int, ...] = ()) -> None:
    """`t` as a bordered table, header row repeated on every page, numbers right-aligned, text as text."""
    table = doc.add_table(rows=1, cols=len(t.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, t.headers):
        _cell_text(cell, header, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    repeat_header(table.rows[0])
    for values in t.rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values)):
            _cell_text(cell, "" if value is None else str(value), bold=bool(values) and values[0] == "合计")
            if i in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not t.rows:
        cells = table.add_row().cells
        _cell_text(cells[0].merge(cells[-1]), "（无）")
    _column_widths(table, t, doc.sections[-1])
    if t.note:
        p = paragraph(doc, f"注：{t.note}", "表格文字", indent=False)
        p.paragraph_format.space_before = Pt(6)


IDENTIFIER = re.compile(r"[0-9A-Za-z_.:%+-]{1,16}")


def _column_widths(table, t: Table, section) -> None:
    """Widths after the content (CJK counted double, long texts capped), summing to the text width."""
    weights = []
    for i, header in enumerate(t.headers):
        cells = [str(r[i]) for r in t.rows[:200] if i < len(r) and r[i] is not None]
        longest = max([display_width(header)] + [display_width(c) for c in cells])
        weight = min(60, max(4, longest)) + 4   # + cell padding
        if longest >= 6 and cells and all(IDENTIFIER.fullmatch(c) for c in cells):
            weight *= 2   # an identifier (标识码) never wraps: its column takes its room before the texts share theirs
        weights.append(weight)
    total = section.page_width - section.left_margin - section.right_margin
    widths = [int(total * w / sum(weights)) for w in weights]
    table.autofit = False
    for column, width in zip(table.columns, widths):   # the grid (LibreOffice reads it) and every cell (Word)
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def add_chart(doc, svg: str, width=Mm(150)) -> None:
    """An SVG chart (Word 2016+ shows it) over the same chart as PNG (LibreOffice and older Word show that)."""
    fallback = charts.png(svg)
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE   # a fixed 28 pt line would clip the picture
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(fallback), width=width)
    blip = doc.element.body.findall(".//" + qn("a:blip"))[-1]
    package = doc.part.package
    part = Part(package.next_partname("/word/media/chart%d.svg"), "image/svg+xml", svg.encode("utf-8"), package)
    rid = doc.part.relate_to(part, RT.IMAGE)
    ext_list, ext = OxmlElement("a:extLst"), OxmlElement("a:ext")
    ext.set("uri", SVG_EXT)
    svg_blip = OxmlElement("asvg:svgBlip", nsdecls_or_none(SVG_NS))
    svg_blip.set(qn("r:embed"), rid)
    ext.append(svg_blip)
    ext_list.append(ext)
    blip.append(ext_list)


def nsdecls_or_none(uri: str) -> dict:
    from docx.oxml.ns import nsmap

    nsmap.setdefault("asvg", uri)
    return {"asvg": uri}


ANNEX_NUMERIC = {"annex1": (2, 3, 4, 5), "annex3": (2, 3, 4)}


def annex_pages(doc, report: Report) -> None:
    """附件1–4, each on its own page: 附件N (黑体), the table's title (小标宋), the table."""
    for n, t in enumerate(report.tables(), 1):
        page_break(doc)
        paragraph(doc, f"附件{n}", "附件标注", indent=False)
        title = t.title.split(" ", 1)[-1]
        p = paragraph(doc, title, "公文标题", indent=False)
        p.paragraph_format.space_after = Pt(12)
        add_table(doc, t, ANNEX_NUMERIC.get(t.key, ()))


def build_document(report: Report) -> Document:
    from govcrawl.report.history import trend_chart

    doc = new_document()
    paragraph(doc, "全省政府网站和政务新媒体检查情况的通报", "公文标题", indent=False)
    if report.status_note:
        paragraph(doc, report.status_note)
    heading(doc, 1, "总体情况")
    paragraph(doc, report.summary)
    for rows, title, key in ((report.annex1, "各单位政府网站检查合格率", "annex1"),
                             (report.annex3, "各单位政务新媒体抽查合格率", "annex3")):
        if rows:
            bars = charts.pass_rate_bars(rows)
            add_chart(doc, charts.bar_svg(bars, title, key))
    trend = trend_chart(report)
    if trend:
        add_chart(doc, trend)
    heading(doc, 2, "检查发现的突出问题")
    paragraph(doc, f"检查发现存在突出问题的政府网站{len(report.annex2)}家（名单见附件2），"
                   f"存在突出问题的政务新媒体{len(report.annex4)}个（名单见附件4）。")
    apart = report.apart_tables()
    if report.diff is not None:   # govcrawl diff --format docx: the re-check of the previous run's findings
        from govcrawl.report.diff import diff_table

        apart.insert(0, diff_table(report.diff))
    if apart:
        heading(doc, 3, "未计入合格率的情况")
        for t in apart:
            paragraph(doc, t.title, "附件标注", indent=False)
            add_table(doc, t)
    paragraph(doc, "")
    paragraph(doc, "附件：1．全省政府网站检查情况", indent=True)
    for n, name in enumerate(("检查发现存在突出问题的政府网站名单", "全省政务新媒体抽查情况",
                              "抽查发现存在突出问题的政务新媒体名单"), 2):
        p = paragraph(doc, f"{n}．{name}", indent=False)
        p.paragraph_format.left_indent = Pt(80)
    annex_pages(doc, report)
    return doc


def write(report: Report, path) -> None:
    build_document(report).save(path)
