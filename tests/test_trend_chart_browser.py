"""The year-range and missing-area defects of issue #9 as drawn by plotly.js in a real headless Chromium,
on the database the ETL built from the seed reports: what is checked is where things land on the page."""

from __future__ import annotations

import pytest

from tests.browser import WAIT_MS, chromium_browser, live_dashboard, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

TREND_VIEW = "/?area=深圳,汕尾,漯河&year=2021-2024&cat=enforcement"  # 深圳 2023 is 截至2023年8月
SAME_YEAR_VIEW = "/?area=汕尾,漯河&year=2021-2024&cat=hazards"  # both 2022
MISSING_VIEW = "/?area=汕尾,漯河,深圳&year=2022&cat=hazards"  # 深圳 reported no hazards


@pytest.fixture(scope="module")
def tab(seed_db):
    with live_dashboard(seed_db) as base_url, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.base_url = base_url
        yield page


def open_chart(tab, view: str, panel: str):
    """The first chart of `panel` once plotly.js has drawn it."""
    tab.goto(tab.base_url + view)
    tab.wait_for_selector(f"#{panel} .js-plotly-plot", timeout=WAIT_MS)
    wait_for_charts(tab)
    chart = tab.locator(f"#{panel} .js-plotly-plot").first
    chart.locator(".main-svg").first.wait_for(timeout=WAIT_MS)
    tab.wait_for_timeout(500)  # the last relayout after the fonts arrived
    return chart


def box(locator) -> dict:
    return locator.bounding_box()


def inside(inner: dict, outer: dict, margin: float = 0) -> bool:
    return (
        inner["x"] >= outer["x"] + margin
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] - margin
        and inner["y"] >= outer["y"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


def test_trend_axis_spans_the_range_and_keeps_the_part_year_note(tab, tmp_path):
    chart = open_chart(tab, TREND_VIEW, "panel-enforcement")
    tab.screenshot(path=str(tmp_path / "trend.png"), full_page=True)
    assert chart.locator(".xtick text").all_text_contents() == ["2021", "2022", "2023", "2024"]
    plot = box(chart.locator(".nsewdrag").first)
    first_tick = box(chart.locator(".xtick text").first)
    assert first_tick["x"] > plot["x"] + 20  # 2021 clear of the value axis' 0
    note = chart.locator(".textpoint text", has_text="截至2023年8月")
    assert note.count() == 1 and inside(box(note), plot)


def test_trend_markers_of_one_year_do_not_hide_each_other(tab):
    chart = open_chart(tab, SAME_YEAR_VIEW, "panel-hazards")
    points = chart.locator(".scatterlayer .point")
    boxes = [box(points.nth(i)) for i in range(points.count())]
    assert len(boxes) >= 2
    centres = sorted(b["x"] + b["width"] / 2 for b in boxes[:2])
    assert centres[1] - centres[0] >= boxes[0]["width"]  # side by side, not one over the other
    assert [t for t in chart.locator(".textpoint text").all_text_contents() if t] == []  # none to overprint


def test_the_last_not_reported_label_stays_inside_the_plot(tab):
    chart = open_chart(tab, MISSING_VIEW, "panel-hazards")
    plot = box(chart.locator(".nsewdrag").first)
    label = chart.locator(".annotation-text", has_text="未报告").last
    assert inside(box(label), plot, margin=10)


SMALL_MULTIPLES_VIEW = "/?area=深圳,上海,汕尾,漯河,重庆&year=2021-2024&cat=hazards"


def test_four_areas_or_more_are_drawn_a_small_chart_each_that_never_overlap(tab, tmp_path):
    chart = open_chart(tab, SMALL_MULTIPLES_VIEW, "panel-hazards")
    tab.screenshot(path=str(tmp_path / "small-multiples.png"), full_page=True)
    names = chart.locator(".annotation-text").all_text_contents()
    assert {"深圳", "上海", "汕尾", "漯河", "重庆"} <= set(names)
    assert names.count("未报告") >= 1  # an area with no hazards keeps its panel
    plots = [box(chart.locator(".nsewdrag").nth(i)) for i in range(chart.locator(".nsewdrag").count())]
    assert len(plots) == 5
    for i, a in enumerate(plots):
        for b in plots[i + 1 :]:
            apart_x = a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            assert apart_x or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
    years = chart.locator("g[class^='x'][class$='tick'] text").all_text_contents()  # .xtick, .x2tick...
    assert years == ["2021", "2022", "2023", "2024"] * 5  # every panel on the chosen years
