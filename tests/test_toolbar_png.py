"""The chart toolbar's PNG (issue #9): framed like the export menu's images (title naming the filter,
sources footer), at the Word size, named in the page's language without internal ids.

The words and layout changes come from dashboard/toolbar_image.py; assets/toolbar_image.js draws them on
the downloaded copy, checked here in a real headless Chromium."""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from dashboard.chart_frame import standalone
from dashboard.export import dashboard_charts
from dashboard.figures import graph_config
from dashboard.report_sizes import DEFAULT_REPORT_SIZE, REPORT_SIZES
from dashboard.toolbar_image import (
    export_title,
    frame_layout,
    source_docs,
    toolbar_filename,
    view_areas_name,
)
from dashboard.view import load_state, selected_areas
from tests.browser import WAIT_MS, chromium_browser, live_dashboard, wait_for_charts
from tests.test_render import png_pixel_size

VIEW = "?area=漯河,汕尾&cat=hazards"
WORD = REPORT_SIZES[DEFAULT_REPORT_SIZE]


@pytest.mark.parametrize(
    "margin, footer",
    [
        ({"l": 60, "r": 20, "t": 50, "b": 60}, "数据来源：甲；乙"),
        ({"l": 140, "r": 30, "t": 70, "b": 40}, "Source: a<br>b<br>c"),
        ({}, "数据来源：甲"),  # plotly's default margins
    ],
)
def test_the_browser_frame_is_the_server_exports_frame(margin, footer):
    """The layout changes sent to the browser frame the chart exactly as chart_frame.standalone does."""
    chart = go.Figure({"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"margin": margin}})
    expected = standalone(chart, "标题 · 2023", footer).layout.to_plotly_json()
    changes = frame_layout(margin, "标题 · 2023", footer)
    framed = go.Figure(chart).update_layout({k: v for k, v in changes.items() if k != "annotations"})
    framed.update_layout(annotations=changes["annotations"])
    assert framed.layout.to_plotly_json() == expected


def test_graph_config_sizes_the_png_for_word_and_carries_the_frame():
    frame = frame_layout({}, "t", "f")
    options = graph_config("深圳-隐患整改率-2023", "zh", frame)["toImageButtonOptions"]
    assert (options["width"], options["height"], options["scale"]) == (WORD.width, WORD.height, WORD.scale)
    assert options["filename"] == "深圳-隐患整改率-2023" and options["frame"] == frame
    assert "frame" not in graph_config("coverage", "zh")["toImageButtonOptions"]


@pytest.mark.parametrize(
    "query, indicator, expected",
    [
        ("?area=深圳&year=2023", "隐患整改率", "深圳-隐患整改率-2023"),
        (
            "?area=深圳,漯河&year=2021-2023&lang=en",
            "Hazard closure rate",
            "Shenzhen, Luohe-Hazard closure rate-2021-2023",
        ),
        ("?year=2023", "隐患整改率", "所有地区-隐患整改率-2023"),
        ("?area=深圳&year=2023", 'a/b:c*"d"', "深圳-a_b_c__d_-2023"),  # safe on Windows
    ],
)
def test_file_names_are_in_the_pages_language_without_ids(seed_db, query, indicator, expected):
    state, _, _, areas = load_state(seed_db, query)
    selected = selected_areas(areas, state)
    assert toolbar_filename(indicator, selected, state, view_areas_name(state, selected)) == expected


def test_sources_are_the_documents_in_the_exports_order():
    """Indicator, then area, then year (as the export reads the values), each report once."""
    found = pd.DataFrame(
        {
            "area_code": ["441500", "411100", "411100"],
            "year": [2022, 2023, 2022],
            "doc_id": ["sw", "lh23", "lh22"],
        }
    )
    rectified = pd.DataFrame({"area_code": ["110000"], "year": [2020], "doc_id": ["sw"]})
    assert source_docs([found, rectified]) == ("lh22", "lh23", "sw")


@pytest.fixture(scope="module")
def framed_download(seed_db, tmp_path_factory):
    """Press the toolbar's PNG button of the hazards-found chart; the figure plotly was asked to draw
    (recorded by wrapping Plotly.downloadImage), the file's name and bytes."""
    with live_dashboard(seed_db) as url, chromium_browser() as browser:
        context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/{VIEW}")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)
        wait_for_charts(page)
        page.wait_for_load_state("networkidle")
        page.evaluate(
            """() => { const download = window.Plotly.downloadImage;
                window.Plotly.downloadImage = (figure, options) => {
                    window.drawn = {layout: figure.layout, isElement: figure instanceof HTMLElement};
                    return download(figure, options); }; }"""
        )
        graph = page.locator('[id*=\'"hazards_found"\'][id*=\'"type":"chart"\']')  # not its slot
        graph.hover()
        with page.expect_download(timeout=WAIT_MS) as download_info:
            graph.locator('[data-title^="下载图表"]').click()  # the toolbar speaks the page's language
        path = tmp_path_factory.mktemp("toolbar") / "chart.png"
        download_info.value.save_as(path)
        name = download_info.value.suggested_filename
        drawn = page.evaluate("() => window.drawn")
        drawn["page_title"] = graph.locator(".js-plotly-plot").evaluate("gd => gd.layout.title.text")
        context.close()
    return drawn, name, path.read_bytes()


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_toolbar_png_is_framed_sized_and_named(seed_db, framed_download):
    drawn, name, image = framed_download
    state, _, _, areas = load_state(seed_db, VIEW)
    assert png_pixel_size(image) == (WORD.width * WORD.scale, WORD.height * WORD.scale)
    assert name == "漯河、汕尾-排查发现隐患-最新.png"
    assert not drawn["isElement"]  # a framed copy was drawn, not the page's chart
    exported = {
        chart.stem.split("-", 1)[1].split("_")[0]: chart for chart in dashboard_charts(seed_db, state, areas)
    }
    assert drawn["layout"]["title"]["text"] == exported["排查发现隐患"].title
    assert drawn["layout"]["title"]["text"] == export_title("排查发现隐患（处）", state, "漯河、汕尾")
    footer = exported["排查发现隐患"].footer  # the reports cited as the export cites them, in its order
    assert "《" in footer or ".txt" in footer
    assert drawn["layout"]["annotations"][-1]["text"] == footer
    assert drawn["page_title"] == "排查发现隐患（处）"  # the page's chart is left as it was


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_toolbar_png_shows_title_and_footer_ink(framed_download):
    """Dark pixels in the title band at the top and the footer band at the bottom of the image."""
    _, _, image = framed_download
    pixels = Image.open(io.BytesIO(image)).convert("L")
    width, height = pixels.size
    scale = WORD.scale
    title_band = pixels.crop((0, 0, width // 2, int(50 * scale)))
    footer_band = pixels.crop((0, height - int(25 * scale), width // 2, height))
    assert title_band.getextrema()[0] < 100
    assert footer_band.getextrema()[0] < 120
