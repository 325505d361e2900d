"""The report pack: every chart of a view in one file to hand on — a PDF (a page a chart), a PowerPoint
deck (a 16:9 slide a chart) or a Word document (A4, a page a chart) — each chart under its title, with
its 口径, notes and sources as text, so a reader sees what was counted and where it comes from.

Pictures come from the same renderer and frame as single chart images (dashboard/chart_frame.py).
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn as docx_qn
from docx.shared import Cm
from pptx import Presentation
from pptx.oxml.ns import qn as pptx_qn
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from dashboard.chart_frame import (
    ExportChart,
    cited_lines,
    merge_pdfs,
    render_files,
    sources_footer,
    standalone,
    wrap,
)
from dashboard.render import ImageRenderer
from dashboard.report_sizes import PDF_PAGE, REPORT_SIZES

# Office files name one East-Asian face (no fallback list): the one a Chinese Windows office has; the
# pictures themselves are drawn in Noto Sans CJK SC by Chromium.
OFFICE_CJK_FONT = "Microsoft YaHei"
# Sources named on a page; fewer and shorter in a slide's narrow text column (all are counted).
PAGE_SOURCES = (6, 60)  # names (or full citations), characters each name
SLIDE_SOURCES = (2, 40)  # a citation takes about five lines of the slide's text column
PACK_TEXT = {
    "zh": {"heading": "应急管理统计图表", "made": "制作日期：{date}", "charts": "共 {n} 张图表"},
    "en": {"heading": "Emergency management charts", "made": "Made on {date}", "charts": "{n} charts"},
}
# --- PDF: text under the chart, broken by hand (an annotation does not wrap) ---------------------------
PDF_LINE_EM = (
    80  # ems across a line: 800 px of the 900 px page at the footer's 10 px (CJK 1 em, others ≈0.55 em)
)
# --- PPTX: a 13.33 × 7.5 in slide; the picture left, its text on the right at 14 pt -------------------
SLIDE_W, SLIDE_H = Inches(40 / 3), Inches(7.5)
EDGE = Inches(0.3)
TITLE_H = Inches(0.9)  # two lines at 24 pt
PICTURE_W = Inches(8.6)  # leaves a 3.9 in text column: about 20 CJK characters a line at 14 pt
TEXT_PT = 14
# A slide title (the chart's name, unit and view) is set at the largest of these sizes that keeps it within
# TITLE_LINES lines: a third line would run over the picture
TITLE_PTS = (24, 20, 18)
TITLE_LINES = 2
BOX_INSET = Inches(0.1)  # python-pptx's default left and right inset of a text box
# --- DOCX: A4 with 2.5 cm margins ---------------------------------------------------------------------
A4_W, A4_H, A4_MARGIN = Cm(21), Cm(29.7), Cm(2.5)


def report_pack(charts: Sequence[ExportChart], renderer: ImageRenderer, fmt: str) -> bytes:
    """The view's charts as one file of the given format (one of PACK_FORMATS)."""
    makers = {"pdf": pdf_pack, "pptx": pptx_pack, "docx": docx_pack}
    return makers[fmt](charts, renderer)


def chart_text(chart: ExportChart, named_sources: tuple[int, int] = PAGE_SOURCES) -> list[str]:
    """What a reader needs beside the picture: the 口径, the notes, and the sources: the first few cited in
    full (publisher, title, date, address), all counted; named by title where no citation was made."""
    if chart.citations:
        sources = cited_lines(chart.citations, chart.lang, named_sources[0])
    else:
        sources = [sources_footer(chart.sources, chart.lang, *named_sources)]
    return [*chart.definitions, *chart.notes, *sources]


def cover_lines(charts: Sequence[ExportChart]) -> list[str]:
    """The title page: what the pack shows (areas, years, per 10k), how many charts, when it was made."""
    words = PACK_TEXT[charts[0].lang]
    made = words["made"].format(date=date.today().isoformat())
    return [words["heading"], " · ".join(charts[0].view), words["charts"].format(n=len(charts)), made]


def pictures(charts: Sequence[ExportChart], renderer: ImageRenderer, size_name: str) -> list[bytes]:
    """Each chart as a PNG at a report size; its sources already on the picture, its title too."""
    figs = {str(n): standalone(c.figure, c.title, c.footer, lang=c.lang) for n, c in enumerate(charts)}
    return list(render_files(figs, renderer, "png", REPORT_SIZES[size_name]).values())


# --- PDF ----------------------------------------------------------------------------------------------
def pdf_pack(charts: Sequence[ExportChart], renderer: ImageRenderer) -> bytes:
    """A page a chart (each title names the view, so no cover): Chromium draws the chart and its text as
    vectors, so the text is selectable and the CJK glyphs are embedded in the file."""
    size = PDF_PAGE
    pages = [
        renderer.to_image(_chart_page(chart), "pdf", size.width, size.height, size.scale) for chart in charts
    ]
    return merge_pdfs(pages)


def _chart_page(chart: ExportChart) -> go.Figure:
    lines = [html.escape(part, quote=False) for line in chart_text(chart) for part in wrap(line, PDF_LINE_EM)]
    return standalone(chart.figure, chart.title, "<br>".join(lines), lang=chart.lang)


# --- PPTX ---------------------------------------------------------------------------------------------
def pptx_pack(charts: Sequence[ExportChart], renderer: ImageRenderer) -> bytes:
    """A title slide naming the view, then a 16:9 slide a chart: title, the picture at slide size, and
    its 口径, notes and sources at 14 pt beside it."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    heading, *rest = cover_lines(charts)
    cover = deck.slides.add_slide(deck.slide_layouts[6])
    _text_box(cover, heading, EDGE, Inches(2.2), SLIDE_W - 2 * EDGE, Inches(1.2), 36, bold=True)
    _text_box(cover, "\n".join(rest), EDGE, Inches(3.6), SLIDE_W - 2 * EDGE, Inches(2.5), 20)
    picture_h = Emu(int(PICTURE_W * 9 / 16))
    text_left = EDGE + PICTURE_W + EDGE
    text_w = SLIDE_W - text_left - EDGE
    text_h = SLIDE_H - (EDGE + TITLE_H) - EDGE  # the column may run below the picture, to the edge
    for chart, png in zip(charts, pictures(charts, renderer, "slide"), strict=True):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        title_w = SLIDE_W - 2 * EDGE
        _text_box(slide, chart.title, EDGE, EDGE, title_w, TITLE_H, title_pt(chart.title, title_w), bold=True)
        slide.shapes.add_picture(io.BytesIO(png), EDGE, EDGE + TITLE_H, width=PICTURE_W, height=picture_h)
        text = "\n".join(chart_text(chart, SLIDE_SOURCES))
        _text_box(slide, text, text_left, EDGE + TITLE_H, text_w, text_h, TEXT_PT)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def title_pt(title: str, width: int) -> int:
    """The largest of TITLE_PTS at which `title` takes at most TITLE_LINES lines of a box `width` wide."""
    ems = Emu(width - 2 * BOX_INSET).pt  # a line's width in points: ems at 1 pt
    fits = (pt for pt in TITLE_PTS if len(wrap(title, ems / pt)) <= TITLE_LINES)
    return next(fits, TITLE_PTS[-1])


def _text_box(
    slide: Slide, text: str, left: int, top: int, width: int, height: int, pt: int, bold: bool = False
) -> None:
    """A wrapping text box, each line a paragraph, every run in the CJK face (<a:ea>) at `pt` points."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for n, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(pt), bold, OFFICE_CJK_FONT
        east_asian = run.font._rPr.makeelement(pptx_qn("a:ea"), {"typeface": OFFICE_CJK_FONT})
        run.font._rPr.append(east_asian)


# --- DOCX ---------------------------------------------------------------------------------------------
def docx_pack(charts: Sequence[ExportChart], renderer: ImageRenderer) -> bytes:
    """A4 portrait: a title naming the view, then a page a chart: its title as a heading, the picture at
    the text width, its 口径, notes and sources as paragraphs."""
    document = Document()
    _a4(document)
    heading, *rest = cover_lines(charts)
    document.add_heading(heading, level=0)
    for line in rest:
        document.add_paragraph(line)
    width = A4_W - 2 * A4_MARGIN
    for chart, png in zip(charts, pictures(charts, renderer, "word"), strict=True):
        document.add_heading(chart.title, level=1).paragraph_format.page_break_before = True
        document.add_picture(io.BytesIO(png), width=width)
        for line in chart_text(chart):
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _a4(document: DocxDocument) -> None:
    """A4 page, and every style the pack uses set to the CJK face for East-Asian text (w:eastAsia)."""
    section = document.sections[0]
    section.page_width, section.page_height = A4_W, A4_H
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = A4_MARGIN
    for name in ("Normal", "Title", "Heading 1"):
        fonts = document.styles[name].element.get_or_add_rPr().get_or_add_rFonts()
        fonts.attrib.pop(docx_qn("w:eastAsiaTheme"), None)
        fonts.set(docx_qn("w:eastAsia"), OFFICE_CJK_FONT)
