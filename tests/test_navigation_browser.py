"""Navigation keeps the view (issue 9, defect 6), in a real headless Chromium: the full-text page's back
link and the header's 指标面板 link lead back to the view the manager left, not to a bare `/`, and the
full text opens scrolled to the highlighted figure. The database is built by the ETL from a long report
written here, with its figure at the very end."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.navigation import back_href, kept_view
from tests.browser import WAIT_MS, chromium_browser, live_dashboard, wait_for_charts
from tests.conftest import etl_database

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

FILLER = "坚持人民至上、生命至上，压紧压实安全生产责任，持续推进安全生产治本攻坚行动。\n"
REPORT = (
    "汕尾市应急管理局2023年工作总结\n"
    + FILLER * 150
    + "全年组织开展各类应急演练320场次，参演人员2.6万人次。\n"
)
VIEW = "?area=汕尾&year=2023&cat=drills"


@pytest.fixture(scope="module")
def long_report_db(tmp_path_factory):
    return etl_database(tmp_path_factory, {"汕尾市应急管理局2023年工作总结.txt": REPORT})


@pytest.fixture(scope="module")
def tab(long_report_db):
    with live_dashboard(long_report_db) as base_url, chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        page = context.new_page()
        page.base_url = base_url
        yield page
        context.close()


def same_view(url: str, view: str) -> bool:
    return parse_qs(urlparse(url).query) == parse_qs(view.lstrip("?"))


def open_full_text_of_first_bar(page) -> None:
    page.goto(page.base_url + "/" + VIEW)
    page.wait_for_selector(".js-plotly-plot .point path", timeout=WAIT_MS)
    wait_for_charts(page)
    page.wait_for_load_state("networkidle")
    bar = page.locator("#panel-drills .point path").first
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#evidence-doc-link", timeout=WAIT_MS)
    page.locator("#evidence-doc-link").click()
    page.wait_for_selector("#doc-text mark", timeout=WAIT_MS)


def test_the_full_text_opens_at_its_figure_and_leads_back_to_the_view(tab):
    open_full_text_of_first_bar(tab)
    mark = tab.locator("#doc-text mark")
    tab.wait_for_function(
        "() => { const r = document.querySelector('#doc-text mark').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        timeout=WAIT_MS,
    )
    assert mark.inner_text().startswith("320") or mark.inner_text().startswith("2.6")
    tab.locator("#doc-back").click()
    tab.wait_for_selector("#panel-drills .js-plotly-plot", timeout=WAIT_MS)
    assert urlparse(tab.url).path == "/"
    assert same_view(tab.url, VIEW)


def test_the_dashboard_link_on_the_reports_page_leads_back_to_the_view(tab):
    tab.goto(tab.base_url + "/" + VIEW)
    tab.wait_for_selector("#panel-drills .js-plotly-plot", timeout=WAIT_MS)
    tab.locator("#nav-reports").click()
    tab.wait_for_selector("#documents-table", timeout=WAIT_MS)
    tab.locator("#nav-dashboard").click()
    tab.wait_for_selector("#panel-drills .js-plotly-plot", timeout=WAIT_MS)
    assert urlparse(tab.url).path == "/"
    assert same_view(tab.url, VIEW)


def test_only_a_valid_view_travels_in_a_link(long_report_db):
    assert same_view("/" + kept_view(long_report_db, "area=汕尾&year=2023&cat=drills"), VIEW)
    forged = kept_view(long_report_db, 'cat=<script>alert(1)</script>&year=javascript:1"')
    assert "<" not in forged and "javascript" not in forged and '"' not in forged
    assert back_href(long_report_db, "?start=3&end=5", "en") == "/?lang=en"
    back = back_href(long_report_db, "?start=3&view=year%3D2023%26cat%3Ddrills", "zh")
    assert back.startswith("/?") and same_view(back, "?year=2023&cat=drills")


def test_copy_link_puts_the_views_address_on_the_clipboard(tab):
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab.goto(tab.base_url + "/" + VIEW)
    tab.wait_for_selector("#panel-drills .js-plotly-plot", timeout=WAIT_MS)
    tab.locator("#copy-link").click()
    tab.wait_for_function("() => document.querySelector('#copy-link-status').textContent.length > 0")
    assert tab.locator("#copy-link-status").inner_text() == "已复制"
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert urlparse(copied).path == "/" and same_view(copied, VIEW)
