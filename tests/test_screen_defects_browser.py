"""Defects seen in screenshots (issue 9), checked in a real headless Chromium on a database the ETL builds
from reports written here (tests/test_screen_defects.py `build_drills_db`: 汕尾 2022–2023, 漯河 2023):
a link's year range past the years loaded (C), the table view's filter prompts (M), the 未报告 labels of a
bar chart on a phone in English (B)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from dashboard.i18n import t
from tests.browser import WAIT_MS, chromium_browser, live_dashboard, wait_for_charts
from tests.test_screen_defects import build_drills_db

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def browser_on_dashboard(tmp_path_factory):
    with live_dashboard(build_drills_db(tmp_path_factory)) as base_url, chromium_browser() as browser:
        yield browser, base_url


def opened(browser_on_dashboard, query: str, viewport: dict, ready: str):
    browser, base_url = browser_on_dashboard
    page = browser.new_page(viewport=viewport)
    page.goto(base_url + "/" + query)
    page.wait_for_selector(ready, timeout=WAIT_MS)
    wait_for_charts(page)
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize(
    "query, picker, notice",
    [
        ("?year=2020-2024", "2022–2023", "链接中的年份 2020-2024 已改为 2022-2023"),
        ("?year=2019", t("year_latest", "zh"), "没有 2019 年的数据"),
        ("?year=2010-2021&lang=en", t("year_latest", "en"), "No figures for 2010-2021"),
    ],
)
def test_a_link_past_the_years_loaded_shows_the_years_it_shows_and_says_so(
    browser_on_dashboard, query, picker, notice
):
    page = opened(browser_on_dashboard, query, LAPTOP, "#panel-drills .js-plotly-plot")
    try:
        page.wait_for_function(
            "() => document.querySelector('#notices').textContent.length > 0", timeout=WAIT_MS
        )
        assert page.locator("#year-select").inner_text().strip() == picker
        assert notice in page.locator("#notices").inner_text()
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_filter_box_of_the_table_view_shows_its_prompt(browser_on_dashboard, lang):
    page = opened(browser_on_dashboard, f"?view=table&lang={lang}", LAPTOP, ".dash-filter input[type=text]")
    try:
        page.mouse.move(0, 0)  # DataTable shows a prompt under the pointer anyway
        prompts = page.evaluate(
            """() => [...document.querySelectorAll('.dash-filter input[type=text]')].map(box =>
                [box.placeholder, getComputedStyle(box, '::placeholder').color])"""
        )
        assert len(prompts) >= 5
        assert all(text == t("filter_placeholder", lang) for text, _ in prompts)
        assert all(colour not in ("transparent", "rgba(0, 0, 0, 0)") for _, colour in prompts), prompts
    finally:
        page.close()


def test_not_reported_labels_do_not_overprint_on_a_phone_in_english(browser_on_dashboard):
    """Five areas, three without a report, on a 390 px phone: each label within its own slot."""
    query = "?area=汕尾,漯河,深圳,上海,重庆&lang=en&cat=drills"
    page = opened(browser_on_dashboard, query, PHONE, "#panel-drills .js-plotly-plot .annotation-text")
    try:
        charts = page.evaluate(
            """() => [...document.querySelectorAll('#panel-drills .js-plotly-plot')].map(chart =>
                [...chart.querySelectorAll('.annotation-text')]
                    .filter(label => label.textContent.includes('reported'))
                    .map(label => { const box = label.getBoundingClientRect(); return [box.left, box.right]; }))"""
        )
        assert charts and all(len(boxes) == 3 for boxes in charts)
        for boxes in charts:
            ordered = sorted(boxes)
            assert all(left_box[1] <= right_box[0] for left_box, right_box in pairwise(ordered)), ordered
    finally:
        page.close()
