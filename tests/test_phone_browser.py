"""The dashboard on a phone (issue 9, defect 3), in a real headless Chromium at 390 × 844: nothing wider
than the screen, panel titles on one line, charts inside the screen with their toolbar clear of their
title, and the evidence panel inside the screen with its close button usable. On a small database of its
own (tests/scale_db.py: five areas, two years)."""

from __future__ import annotations

import pytest

from tests.browser import WAIT_MS, chromium_browser, live_dashboard, wait_for_charts
from tests.scale_db import build_scale_db

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

PHONE = {"width": 390, "height": 844}
BOX_JS = (
    "const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, "
    "bottom: r.bottom, width: r.width, height: r.height}; };"
)
BOXES_JS = "sel => { " + BOX_JS + " return [...document.querySelectorAll(sel)].map(box); }"
TOOLBAR_AND_TITLE_JS = (
    "g => { " + BOX_JS + " const m = g.querySelector('.modebar'), t = g.querySelector('.gtitle');"
    " return m && t ? [box(m), box(t)] : null; }"
)


@pytest.fixture(scope="module")
def phone(tmp_path_factory):
    db = build_scale_db(tmp_path_factory.mktemp("phone") / "emergency.duckdb", areas=5, years=(2023, 2024))
    with live_dashboard(db) as base_url, chromium_browser() as browser:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(base_url + "/?cat=hazards")
        page.wait_for_selector("#panel-hazards .js-plotly-plot .main-svg", timeout=WAIT_MS)
        wait_for_charts(page)
        page.wait_for_load_state("networkidle")
        yield page
        context.close()


def boxes(page, selector: str) -> list[dict]:
    return page.evaluate(BOXES_JS, selector)


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def test_nothing_is_wider_than_the_screen(phone):
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    charts = boxes(phone, ".js-plotly-plot")
    assert charts and all(c["left"] >= 0 and c["right"] <= PHONE["width"] for c in charts)


def test_panel_titles_read_on_one_line(phone):
    titles = boxes(phone, ".panel h2")
    font = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.panel h2')).fontSize)")
    assert titles and all(t["height"] < 2 * font for t in titles)  # one line, not a column of characters


def test_the_chart_toolbar_leaves_the_title_clear(phone):
    graphs = phone.locator("#panel-hazards .js-plotly-plot").all()
    assert graphs
    for graph in graphs:
        graph.hover()  # the toolbar shows on hover (a tap on a phone)
        toolbar_and_title = graph.evaluate(TOOLBAR_AND_TITLE_JS)
        assert toolbar_and_title is not None and not overlap(*toolbar_and_title)


def test_the_evidence_panel_fits_the_screen_and_closes(phone):
    bar = phone.locator("#panel-hazards .point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    phone.wait_for_selector(".evidence-panel.open", timeout=WAIT_MS)
    (panel,) = boxes(phone, ".evidence-panel")
    (close,) = boxes(phone, "#evidence-close")
    assert panel["left"] >= 0 and panel["right"] <= PHONE["width"] and panel["bottom"] <= PHONE["height"] + 1
    assert close["left"] >= 0 and close["right"] <= PHONE["width"] and close["top"] >= 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    test_panel_titles_read_on_one_line(phone)  # the open panel squeezes nothing
    phone.locator("#evidence-close").click()
    phone.wait_for_selector(".evidence-panel.closed", state="attached", timeout=WAIT_MS)
