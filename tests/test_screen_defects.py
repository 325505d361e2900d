"""Defects seen in screenshots of the dashboard and its exports (issue 9), each checked on what is really
drawn: a year range past the years loaded (C), export legends over the title (E), file names (J),
redundant breakdown labels (L), shrunken bar labels (A). The database is built by the ETL from reports
written here (two years of 汕尾, one of 漯河); charts are rendered by kaleido's Chromium."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import queries
from dashboard.chart_frame import MAX_LEGEND_ROWS, legend_rows, standalone
from dashboard.figures import bar_figure, layout_spec
from dashboard.filenames import chart_stem
from dashboard.i18n import t
from dashboard.render import ChartRenderer
from dashboard.shaping import labelled, series_labels, shape_all
from dashboard.state import ViewState, YearSpec, within_years
from dashboard.toolbar_image import frame_layout, toolbar_filename, view_areas_name
from dashboard.view import load_state, selected_areas
from tests.conftest import etl_database

REPORTS = {
    "汕尾市应急管理局2022年工作总结": "全年组织开展各类应急演练300场次，参演人员2.1万人次。",
    "汕尾市应急管理局2023年工作总结": "全年组织开展各类应急演练320场次，参演人员2.6万人次。",
    "漯河市应急管理局2023年工作总结": "全年组织开展各类应急演练150场次，参演人员1.2万人次。",
}
# The breakdowns of suggestions handled, as the seed's chart showed them (pack page 15)
SUGGESTION_SERIES = [
    "人大代表建议 · 主办",
    "人大代表建议 · 会办/协办",
    "人大代表建议 · 合计",
    "政协委员提案 · 主办",
    "政协委员提案 · 会办/协办",
    "政协委员提案 · 合计",
    "建议提案合计",
]
WORD_PX = (800, 500)


def build_drills_db(tmp_path_factory: pytest.TempPathFactory):
    """A database the ETL builds from REPORTS: drills of 汕尾 in 2022 and 2023, of 漯河 in 2023."""
    return etl_database(
        tmp_path_factory, {f"{t}.txt": f"{t}\n{sentence}\n" for t, sentence in REPORTS.items()}
    )


@pytest.fixture(scope="module")
def drills_db(tmp_path_factory):
    return build_drills_db(tmp_path_factory)


@pytest.fixture(scope="module")
def renderer():
    with ChartRenderer() as chart_renderer:
        yield chart_renderer


# --- C: a year range past the years loaded ---------------------------------------------------------------
@pytest.mark.parametrize(
    "asked, shown, key",
    [
        (YearSpec(2020, 2024), YearSpec(2021, 2024), "notice_year_clamped"),
        (YearSpec(2022, 2030), YearSpec(2022, 2024), "notice_year_clamped"),
        (YearSpec(2020, 2020), YearSpec(), "notice_year_not_loaded"),  # none loaded: the latest year
        (YearSpec(2023, 2023), YearSpec(), "notice_year_not_loaded"),  # a gap between loaded years
        (YearSpec(2021, 2023), YearSpec(2021, 2022), "notice_year_clamped"),
    ],
)
def test_a_year_range_is_cut_to_the_years_loaded_with_a_notice(asked, shown, key):
    state, notices = within_years(ViewState(year=asked), [2021, 2022, 2024])
    assert state.year == shown
    assert [k for k, _ in notices] == [key]
    assert str(asked) in t(key, "zh", **notices[0][1])


@pytest.mark.parametrize("asked", [YearSpec(), YearSpec(2021, 2024), YearSpec(2022, 2022)])
def test_a_year_range_within_the_years_loaded_is_kept_without_a_notice(asked):
    assert within_years(ViewState(year=asked), [2021, 2022, 2023, 2024]) == (ViewState(year=asked), [])


def test_a_link_past_the_years_loaded_opens_the_years_loaded_and_says_so(drills_db):
    state, notices, _, _ = load_state(drills_db, "?year=2020-2024")
    assert state.year == YearSpec(2022, 2023)
    assert notices == [
        ("notice_year_clamped", {"value": "2020-2024", "shown": "2022-2023", "loaded": "2022–2023"})
    ]
    assert load_state(drills_db, "?year=2019")[:2] == (
        ViewState(),
        [("notice_year_not_loaded", {"value": "2019", "loaded": "2022–2023"})],
    )


# --- E: an export's legend of two rows or more --------------------------------------------------------------
def bars(names: list[str]) -> go.Figure:
    return go.Figure(
        [go.Bar(name=name, x=["上海", "深圳"], y=[n + 1, n + 2]) for n, name in enumerate(names)],
        layout_spec("承办人大建议、政协提案（件）"),
    )


def drawn_boxes(svg: str) -> dict[str, float]:
    """The title's bottom, the legend's top and bottom and the plot's top and height, in px from the top
    edge of a rendered SVG (the title's one line taken as 1.3 of its font size)."""
    title = re.search(r'<text class="gtitle"[^>]*y="([\d.]+)"[^>]*font-size: ([\d.]+)px', svg)
    legend = re.search(
        r'<g class="legend"[^>]*translate\([\d.]+,([\d.]+)\)"><rect class="bg"[^>]*height="([\d.]+)"', svg
    )
    plot_height = float(re.search(r'xyplot" class="plotclip"><rect width="[\d.]+" height="([\d.]+)"', svg)[1])
    plot_top = float(re.search(r'id="clip[^"]*y"><rect x="0" y="([\d.]+)"', svg)[1])
    boxes = {
        "title_bottom": float(title[1]) + 1.3 * float(title[2]),
        "plot_top": plot_top,
        "plot_height": plot_height,
    }
    if legend:
        boxes |= {"legend_top": float(legend[1]), "legend_bottom": float(legend[1]) + float(legend[2])}
    return boxes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_legend_of_several_rows_sits_between_the_title_and_the_plot(renderer, lang):
    title = "承办人大建议、政协提案（件） · 漯河、汕尾、深圳、上海、重庆 · 最新（各地最近报告年份）"
    framed = standalone(bars(SUGGESTION_SERIES), title, "数据来源：甲", lang)
    assert legend_rows(SUGGESTION_SERIES, WORD_PX[0] - 80, 13) >= 2
    boxes = drawn_boxes(renderer.to_image(framed, "svg", *WORD_PX, 1).decode("utf-8"))
    assert boxes["title_bottom"] <= boxes["legend_top"]
    assert boxes["legend_bottom"] <= boxes["plot_top"] + 1


def test_a_small_multiples_legend_stays_in_the_picture_under_the_plot(renderer):
    """A grid names its areas just above its panels and puts its legend at the bottom edge (container):
    framed, the legend is kept there, inside the picture and below the footer's room."""
    grid = bars(SUGGESTION_SERIES[:2])
    grid.update_layout(legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "yref": "container"})
    svg = renderer.to_image(standalone(grid, "隐患 · 2021-2024", "数据来源：甲"), "svg", *WORD_PX, 1)
    boxes = drawn_boxes(svg.decode("utf-8"))
    assert "legend_top" in boxes  # drawn, and not above the picture's top edge
    assert boxes["plot_top"] + boxes["plot_height"] + 30 <= boxes["legend_top"]
    assert boxes["legend_bottom"] <= WORD_PX[1]


def test_a_legend_too_long_for_the_picture_is_left_out_and_said_so(renderer):
    """32 lines (16 areas, two indicators) would fill the picture with legend: the plot keeps its room."""
    names = [f"第{n}区 · 排查发现隐患" for n in range(16)] + [f"第{n}区 · 已整改隐患" for n in range(16)]
    assert legend_rows(names, WORD_PX[0] - 80, 13) > MAX_LEGEND_ROWS
    svg = renderer.to_image(standalone(bars(names), "隐患 · 2021-2024", "数据来源：甲"), "svg", *WORD_PX, 1)
    svg = svg.decode("utf-8")
    boxes = drawn_boxes(svg)
    assert "legend_top" not in boxes  # no legend drawn
    assert "图例共 32 项" in svg
    assert boxes["plot_height"] >= 0.5 * WORD_PX[1]


@pytest.mark.parametrize("names", [SUGGESTION_SERIES, [f"第{n}区" for n in range(40)], ["甲"]])
def test_the_toolbar_png_is_framed_as_the_server_export(names):
    chart = bars(names)
    margin = chart.layout.margin.to_plotly_json()
    expected = standalone(chart, "标题 · 2023", "数据来源：甲", "zh").layout.to_plotly_json()
    changes = frame_layout(margin, "标题 · 2023", "数据来源：甲", names if len(names) > 1 else [], "zh")
    framed = go.Figure(chart).update_layout({k: v for k, v in changes.items() if k != "annotations"})
    framed.update_layout(annotations=changes["annotations"])
    assert framed.layout.to_plotly_json() == expected


# --- J: file names in the page's words ---------------------------------------------------------------------
def test_english_chart_file_names_join_areas_without_the_chinese_comma():
    assert chart_stem("Drills", "Drills held", ["Shanwei", "Luohe"], "latest", ", ") == (
        "Drills-Drills held_Shanwei, Luohe_latest"
    )
    assert (
        chart_stem("应急演练", "应急演练场次", ["汕尾", "漯河"], "最新")
        == "应急演练-应急演练场次_汕尾、漯河_最新"
    )


def test_the_chinese_toolbar_file_name_says_latest_in_the_pages_words(drills_db):
    state, _, _, areas = load_state(drills_db, "?area=汕尾")
    selected = selected_areas(areas, state)
    name = toolbar_filename("应急演练场次", selected, state, view_areas_name(state, selected))
    assert name == "汕尾-应急演练场次-最新"  # no internal id, no note in brackets


# --- L: a breakdown made of each dim's total ---------------------------------------------------------------
@pytest.mark.parametrize("lang, total", [("zh", "建议提案合计"), ("en", "All")])
def test_the_total_of_every_dim_is_named_once(drills_db, lang, total):
    dim_values = queries.dim_values(drills_db)
    names = {
        (d, v): n
        for d, v, n in zip(dim_values["dim"], dim_values["value"], dim_values[f"name_{lang}"], strict=True)
    }
    rows = pd.DataFrame({"kind": ["all", "npc", "all"], "role": ["all", "all", "lead"]})
    labels = series_labels(rows, ["kind", "role"], names)
    assert labels[0] == total
    assert labels[1] == f"{names[('kind', 'npc')]} · {names[('role', 'all')]}"
    assert labels[2] == f"{total} · {names[('role', 'lead')]}"


# --- A: bar labels in grouped bars of 4-7 breakdowns ---------------------------------------------------------
def test_bar_labels_are_never_drawn_smaller_than_10_px(drills_db, renderer):
    """7 breakdowns × 5 areas of five-digit values with their year: the labels that do not fit at 10 px
    are hidden (the hover gives the value), none is squeezed to 5 px."""
    values = queries.indicator_values(drills_db, ["441500"], None, None)
    indicators = queries.indicators(drills_db).set_index("id", drop=False)
    rows = labelled(
        shape_all(values, indicators.loc[["drills"]], queries.dim_values(drills_db), "zh", None)["drills"],
        "zh",
    )
    one = rows.iloc[[0]]
    many = pd.concat(
        [
            one.assign(series=series, area=area, shown=68_949.0 - n, text=f"{68_949 - n:,}")
            for n, series in enumerate(SUGGESTION_SERIES)
            for area in "甲乙丙丁戊"
        ],
        ignore_index=True,
    )
    fig = bar_figure(many, "t", "件", "zh", label_years=True)
    svg = renderer.to_image(fig, "svg", 800, 400, 1).decode("utf-8")
    # plotly shrinks a label that does not fit by scaling it
    labels = re.findall(r'<text class="bartext[^>]*font-size: ([\d.]+)px[^>]*?(?:scale\(([\d.]+)\))?"?>', svg)
    sizes = [float(size) * float(scale or 1) for size, scale in labels]
    assert all(text.startswith("<b>") and "68,9" in text for trace in fig.data for text in trace.hovertext)
    assert all(size >= 10 for size in sizes), sorted(sizes)[:5]
