"""What the screenshots of issues 8 and 9 showed wrong on a phone (390 × 844), each checked in a real headless
Chromium by the boxes the browser lays out (getBoundingClientRect), not by looking:

- the change view's labels ran into each other: a fall's value over its area's name, a rise's value off
  the chart, the rotated value-axis ticks over one another;
- header links broke inside a word (指标面 / 板), the coverage matrix stacked an area's name one character
  per line, and its legend ran off the screen;
- the panels' value tables broke every word into a column of characters instead of scrolling sideways.

On the seed database (the coverage matrix and tables of five areas) and on a synthetic one of its own
(tests/scale_db.py: 40 areas × two years, enough for ranked change charts with a home area)."""

from __future__ import annotations

import duckdb
import pytest

from tests.browser import WAIT_MS, live_dashboard
from tests.scale_db import build_scale_db

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

PHONE = {"width": 390, "height": 844}
TOLERANCE_PX = 0.5  # glyph boxes of neighbouring rows may touch
# Every text of a chart that shows something, with its box (texts hidden or empty are not drawn)
CHART_TEXTS_JS = """graph => [...graph.querySelectorAll('svg text')]
  .filter(e => e.textContent.trim() && getComputedStyle(e).display !== 'none' && e.getAttribute('opacity') !== '0')
  .map(e => { const r = e.getBoundingClientRect();
              return {text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })
  .filter(b => b.right > b.left && b.bottom > b.top)"""
# How many lines the text of each element takes: a text's client rects are one per line box
LINES_JS = """sel => [...document.querySelectorAll(sel)].map(e => {
  const range = document.createRange(); range.selectNodeContents(e);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  return {text: e.innerText.trim(), lines: tops.size}; })"""
RIGHT_EDGES_JS = "sel => [...document.querySelectorAll(sel)].map(e => e.getBoundingClientRect().right)"


def overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] + TOLERANCE_PX < b["right"]
        and b["left"] + TOLERANCE_PX < a["right"]
        and a["top"] + TOLERANCE_PX < b["bottom"]
        and b["top"] + TOLERANCE_PX < a["bottom"]
    )


def overlapping_texts(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]


def open_page(browser, url: str, ready: str):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready, timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.fixture(scope="module")
def ranked_changes_page(browser, tmp_path_factory):
    """The change view of 40 areas (drawn ranked) with a home area, on a phone."""
    db = build_scale_db(tmp_path_factory.mktemp("screens") / "emergency.duckdb", areas=40, years=(2023, 2024))
    with duckdb.connect(str(db), read_only=True) as con:
        (home,) = con.execute("SELECT min(area_code) FROM indicator_values").fetchall()[0]
    with live_dashboard(db) as base_url:
        url = f"{base_url}/?view=change&cat=hazards&home={home}"
        context, page = open_page(browser, url, "#change-view .main-svg")
        yield page
        context.close()


@pytest.fixture(scope="module")
def seed_server(seed_db):
    with live_dashboard(seed_db) as base_url:
        yield base_url


@pytest.fixture(params=["zh", "en"])
def seed_page(request, browser, seed_server):
    """The default view of the seed reports on a phone."""
    context, page = open_page(browser, f"{seed_server}/?lang={request.param}", ".table-view .dash-cell")
    yield page
    context.close()


def test_no_label_of_a_change_chart_runs_into_another_or_off_the_screen(ranked_changes_page):
    page = ranked_changes_page
    graphs = page.locator("#change-view .js-plotly-plot").all()
    assert len(graphs) >= 3
    written = []
    for graph in graphs:
        graph.scroll_into_view_if_needed()
        texts = graph.evaluate(CHART_TEXTS_JS)
        written += [b["text"] for b in texts if b["text"].endswith("%)")]  # a count's change and its %
        assert overlapping_texts(texts) == []
        assert all(b["left"] >= 0 and b["right"] <= PHONE["width"] for b in texts)
    assert written  # the changes are on the charts, not only in their hover
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_home_area_and_the_rest_keep_their_rows_in_the_change_chart(ranked_changes_page):
    graphs = ranked_changes_page.locator("#change-view .js-plotly-plot").all()
    texts = [b["text"] for graph in graphs for b in graph.evaluate(CHART_TEXTS_JS)]
    assert any(text.startswith("★") for text in texts)  # the home area, marked, on its own row
    assert any(text.startswith("中位数") for text in texts)  # the rest's row says their median


def test_header_links_and_coverage_names_stay_on_one_line(seed_page):
    for selector in (".header nav a", ".header nav button", "#coverage tbody th"):
        lines = seed_page.evaluate(LINES_JS, selector)
        assert lines and all(item["lines"] == 1 for item in lines), (selector, lines)
    assert max(seed_page.evaluate(RIGHT_EDGES_JS, ".coverage-legend .legend-chip")) <= PHONE["width"]


def one_line_cells(page, cells: str) -> None:
    lines = page.evaluate(LINES_JS, cells)
    assert lines and all(item["lines"] <= 1 for item in lines), [i for i in lines if i["lines"] > 1][:5]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_panel_tables_scroll_sideways_instead_of_breaking_words(seed_page):
    one_line_cells(seed_page, ".table-view td.dash-cell:not([data-dash-column='evidence'])")


def test_the_table_view_scrolls_sideways_instead_of_breaking_words(browser, seed_server):
    context, page = open_page(browser, f"{seed_server}/?view=table", "#table-view td.dash-cell")
    one_line_cells(page, "#table-view td.dash-cell, #table-view th.dash-header")
    context.close()
