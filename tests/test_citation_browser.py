"""The citation in a real headless Chromium: the evidence panel shows it as text, links the original
address (new tab, no opener), and its copy button puts the line on the clipboard."""

from __future__ import annotations

import pytest

from tests.browser import WAIT_MS, chromium_browser, live_dashboard
from tests.test_citation import LUOHE_URL, build_cited_db

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

LUOHE_TITLE = "关于贯彻落实《漯河市人民代表大会常务委员会关于对市教育局等12个部门工作评议的建议》情况的报告"
LUOHE_CITATION = f"出处：漯河市应急管理局《{LUOHE_TITLE}》，2022-10-20，{LUOHE_URL}"


@pytest.fixture(scope="module")
def tab(tmp_path_factory: pytest.TempPathFactory):
    db_path = build_cited_db(tmp_path_factory.mktemp("cited_reports"))
    with live_dashboard(db_path) as base_url, chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.base_url = base_url
        yield page
        context.close()


def test_evidence_panel_cites_links_and_copies(tab):
    tab.goto(tab.base_url + "/?area=漯河&cat=drills")
    tab.wait_for_selector("#panel-drills td[data-dash-column='value']", timeout=WAIT_MS)
    tab.locator("#panel-drills td[data-dash-column='value']").first.click()
    tab.wait_for_selector(".evidence-panel.open #evidence-citation", timeout=WAIT_MS)
    assert tab.locator("#evidence-citation").inner_text() == LUOHE_CITATION
    link = tab.locator("a#evidence-url")
    assert link.get_attribute("href") == LUOHE_URL
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    copy = tab.locator("#evidence-citation-copy")
    assert copy.inner_text() == "复制出处"
    copy.click()
    tab.wait_for_function(
        "() => document.querySelector('#evidence-citation-copy').innerText === '已复制出处'"
    )
    assert tab.evaluate("navigator.clipboard.readText()") == LUOHE_CITATION
    assert tab.console_errors == []
