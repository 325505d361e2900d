"""The report pack: a view's charts as one PPTX, DOCX or PDF, each chart with its 口径, notes and sources
(real ETL database, real Chromium)."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import plotly.graph_objects as go
import pytest
from docx import Document
from docx.oxml.ns import qn as docx_qn
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn as pptx_qn
from pypdf import PdfReader

from dashboard.chart_frame import zoomed
from dashboard.export import chart_download, dashboard_charts
from dashboard.export_menu import EXPORT_ALL, export_menu
from dashboard.render import ChartRenderer
from dashboard.report_pack import (
    A4_MARGIN,
    A4_W,
    OFFICE_CJK_FONT,
    SLIDE_SOURCES,
    chart_text,
    report_pack,
    wrap,
)
from dashboard.report_sizes import REPORT_SIZES
from dashboard.view import load_state
from tests.test_export import VIEW, export_cli
from tests.test_render import png_pixel_size

SEARCH = "area=深圳,漯河,汕尾&cat=hazards&year=latest"
N_CHARTS = 2  # enough to see a page or slide per chart; each more costs a render


@pytest.fixture(scope="module")
def renderer() -> ChartRenderer:
    return ChartRenderer()


@pytest.fixture(scope="module")
def charts(seed_db):
    state, _, _, areas = load_state(seed_db, SEARCH)
    return dashboard_charts(seed_db, state, areas)[:N_CHARTS]


@pytest.fixture(scope="module")
def pptx(charts, renderer):
    return Presentation(io.BytesIO(report_pack(charts, renderer, "pptx")))


@pytest.fixture(scope="module")
def docx(charts, renderer):
    return Document(io.BytesIO(report_pack(charts, renderer, "docx")))


@pytest.fixture(scope="module")
def pdf(charts, renderer):
    return PdfReader(io.BytesIO(report_pack(charts, renderer, "pdf")))


def test_the_charts_carry_their_definitions_notes_and_sources(charts):
    rate = next(c for c in charts if c.title.startswith("隐患整改率"))
    assert rate.definitions == (
        "口径：已整改隐患占发现隐患的比例（%）；只报告数量时按“已整改÷发现”推算并标注。同比变化、覆盖率不是整改率。",
    )
    assert rate.notes == ("单位：%", "所选 3 个地区中 2 个有数据", "未报告：深圳")
    assert len(rate.sources) == 2 and all("深圳" not in s for s in rate.sources)
    # each report cited in full: publisher where the report states one (汕尾's signature; 漯河's 来源 is blank)
    assert set(rate.citations) == {SHANWEI_CITED, LUOHE_CITED}
    assert chart_text(rate)[-2:] == [f"出处：{body}" for body in rate.citations]


SHANWEI_CITED = "汕尾市应急管理局《汕尾市应急管理局2022年法治政府建设年度报告》，2023-01-03"
LUOHE_CITED = "《关于贯彻落实《漯河市人民代表大会常务委员会关于对市教育局等12个部门工作评议的建议》情况的报告》，2022-10-20"


def test_more_sources_than_named_are_counted(charts):
    rate = next(c for c in charts if c.title.startswith("隐患整改率"))
    assert chart_text(rate, (1, 60))[-2:] == [f"出处：{rate.citations[0]}", "另有1份报告（共2份）"]


def slide_texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_pptx_has_a_title_slide_and_a_16_9_slide_per_chart(pptx, charts):
    assert pptx.slide_width * 9 == pptx.slide_height * 16
    cover, *slides = pptx.slides
    assert len(slides) == len(charts)
    assert "深圳、漯河、汕尾 · 最新" in slide_texts(cover)
    assert date.today().isoformat() in slide_texts(cover)
    for slide, chart in zip(slides, charts, strict=True):
        (picture,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert png_pixel_size(picture.image.blob) == (1920, 1080)
        text = slide_texts(slide)
        assert chart.title in text
        assert chart.definitions[0] in text
        assert chart.citations[0] in text and all(line in text for line in chart_text(chart, SLIDE_SOURCES))


def test_pptx_text_is_slide_legible_in_a_cjk_face(pptx):
    runs = [run for slide in pptx.slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]  # fmt: skip
    assert runs
    assert min(run.font.size.pt for run in runs) >= 14
    assert {run.font._rPr.find(pptx_qn("a:ea")).get("typeface") for run in runs} == {OFFICE_CJK_FONT}


def test_docx_is_a4_with_a_heading_and_a_page_wide_picture_per_chart(docx, charts):
    section = docx.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    headings = [p for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == [chart.title for chart in charts]
    assert all(p.paragraph_format.page_break_before for p in headings)
    assert len(docx.inline_shapes) == len(charts)
    assert {shape.width for shape in docx.inline_shapes} == {A4_W - 2 * A4_MARGIN}
    text = "\n".join(p.text for p in docx.paragraphs)
    for chart in charts:
        assert chart.definitions[0] in text and chart.notes[0] in text
        assert chart_text(chart)[-1] in text
    assert "深圳、漯河、汕尾 · 最新" in text


def test_docx_sets_the_east_asian_font(docx):
    for style in ("Normal", "Heading 1", "Title"):
        fonts = docx.styles[style].element.rPr.rFonts
        assert fonts.get(docx_qn("w:eastAsia")) == OFFICE_CJK_FONT
        assert fonts.get(docx_qn("w:eastAsiaTheme")) is None  # a theme font would override it


def test_pdf_has_a_page_per_chart_with_its_text(pdf, charts):
    assert len(pdf.pages) == len(charts)
    for page, chart in zip(pdf.pages, charts, strict=True):
        text = squeezed(page.extract_text())
        assert squeezed(chart.title) in text
        assert squeezed(chart.definitions[0]) in text
        assert squeezed(chart.notes[-1]) in text
        # each citation's line (a title's glyphs may come back as radicals NFKC does not fold: ⺠ for 民)
        assert text.count(squeezed("出处：")) == len(chart.citations)
        assert all(squeezed(line.rsplit("》", 1)[1]) in text for line in chart.citations)


def squeezed(text: str) -> str:
    """Chromium maps some CJK glyphs to their Kangxi-radical twins (⼝ for 口) and lines break anywhere:
    text compared in NFKC form without white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_pdf_embeds_the_cjk_glyphs(pdf):
    for page in pdf.pages:
        fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
        names = {
            str(font["/FontDescriptor"].get_object()["/FontName"])
            for font in fonts
            if "/FontDescriptor" in font
        }
        assert any("NotoSansCJK" in name for name in names)
        # Chromium writes CJK text as Type 3 fonts: each glyph's outline is in the file
        assert all(font["/Subtype"] != "/Type3" or len(font["/CharProcs"]) for font in fonts)


def label_sizes(svg: str) -> set[float]:
    return {float(size) for size in re.findall(r"font-size: ?([\d.]+)px", svg)}


def test_slide_labels_are_18_px_and_word_labels_unchanged(renderer):
    fig = go.Figure(go.Bar(x=["深圳", "漯河"], y=[3, 5]), layout={"font": {"size": 13}, "margin": {"l": 60}})
    fig.add_annotation(text="数据来源：x", yshift=-60, font={"size": 10})
    slide, word = REPORT_SIZES["slide"], REPORT_SIZES["word"]
    slide_svg = renderer.to_image(zoomed(fig, slide.font_px), "svg", slide.width, slide.height, 1).decode()
    word_svg = renderer.to_image(fig, "svg", word.width, word.height, 1).decode()
    assert min(label_sizes(slide_svg)) >= 18 * 10 / 13  # the footer: 10 px at 13 px labels
    assert 18 in label_sizes(slide_svg) and 13 in label_sizes(word_svg)
    assert zoomed(fig, 18).layout.margin.l == round(60 * 18 / 13)
    assert zoomed(fig, 18).layout.annotations[0].yshift == pytest.approx(-60 * 18 / 13)
    assert slide.width * slide.scale == 1920 and slide.font_px * slide.scale >= 18


@pytest.mark.parametrize(
    "text", ["口径：" + "已整改隐患占发现隐患的比例" * 9, "Source: " + "report name; " * 30, ""]
)
def test_wrap_keeps_every_character_within_the_width(text):
    lines = wrap(text, 20)
    assert "".join(lines) == text
    for line in lines:
        assert sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in line) <= 20


def test_export_all_offers_the_pack_and_the_download_sends_it(charts, renderer):
    def formats(scope: str) -> list[str]:
        _, choices = export_menu(scope, "zh").children
        return [option["value"] for option in choices.children[0].options]

    assert formats(EXPORT_ALL) == ["png", "svg", "pdf", "pptx", "docx"]
    assert formats("hazards") == ["png", "svg"]
    name, data = chart_download(charts[:1], renderer, "pdf", REPORT_SIZES["word"], "隐患排查整治")
    assert name == "隐患排查整治_深圳、漯河、汕尾_最新.pdf"
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_cli_writes_one_file_for_the_whole_view(seed_db, tmp_path, capsys):
    assert export_cli("--db", seed_db, *VIEW, "--year", "latest", "--format", "docx", "--out", tmp_path) == 0
    (written,) = tmp_path.iterdir()
    assert written.name == "图表_深圳、漯河、汕尾_最新.docx"
    assert capsys.readouterr().out.strip() == str(written)
    document = Document(written)
    assert (
        len(document.inline_shapes)
        == len([p for p in document.paragraphs if p.style.name == "Heading 1"])
        > 2
    )


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [(["--year", "20x2"], 2, "year"), (["--year", "1999"], 3, "no reported values")],
)
def test_cli_bad_arguments_give_one_line_and_no_file(seed_db, tmp_path, capsys, change, status, message):
    out = tmp_path / "out"
    assert export_cli("--db", seed_db, *VIEW, "--format", "pptx", "--out", out, *change) == status
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()
