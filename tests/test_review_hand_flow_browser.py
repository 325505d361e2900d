"""What a review by hand of a new report showed (issue 10), in a real headless Chromium against a real server:
a development report (田东's work summary, not a seed) uploaded on the desk and reviewed with the keyboard
only. The page stays visible and keeps the keys pressed while a decision is saved; a correction is typed
and saved with Enter and the focus comes back to its figure; the row shows what the correction changes;
narrower-scope figures say so; a selected `1300余件` gives the value 1300; the desk's latest changes name
the file and the indicator in words; on a phone the review page is no wider than the screen."""

from __future__ import annotations

import pytest

from tests.browser import REPO, WAIT_MS
from tests.review_browser_helpers import SELECT_JS, console_tab, review_desk, rv
from tests.review_helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
TIANDONG = REPO / "tests" / "corpus-dev" / "tiandong-2023-gongzuo-zongjie.txt"
# The focused row's index among the figures' rows, or the focused element's tag when it is no row
FOCUSED_ROW = """() => {
    const row = document.activeElement.closest && document.activeElement.closest("tr.review-row");
    return row ? Array.from(document.querySelectorAll("tr.review-row")).indexOf(row)
               : document.activeElement.tagName;
}"""
SAVING = "() => document.querySelector('#review-doc [data-dash-is-loading=true]') !== null"
SAVED = "() => document.querySelector('#review-doc [data-dash-is-loading=true]') === null"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The seed reports built, a reviewer, and a server whose runs read them (plus the uploads)."""
    with review_desk(tmp_path_factory.mktemp("review_hand_flow")) as (base_url, _, _):
        yield base_url


@pytest.fixture(scope="module")
def doc_url(desk, browser):
    """Sign in, upload the report, wait for its run; the address of its review page (and the cookies)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(desk + "/login")
    page.fill("#login-name", "alice")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#review-desk", timeout=WAIT_MS)
    page.set_input_files(".review-upload input[type=file]", str(TIANDONG))
    page.wait_for_selector(".rv-finished", timeout=180_000)
    page.click("#review-documents .review-uploaded a")
    page.wait_for_selector("#review-facts", timeout=WAIT_MS)
    yield page.url, context.storage_state()
    context.close()


@pytest.fixture()
def page(browser, doc_url):
    with console_tab(browser, 1366, 900, storage_state=doc_url[1]) as tab:
        yield tab


def row_cells(page, index: int) -> list[str]:
    return [cell.inner_text() for cell in page.locator("tr.review-row").nth(index).locator("td").all()]


def test_a_review_by_keyboard_only(page, doc_url, desk):
    page.goto(doc_url[0])
    page.wait_for_selector("#review-facts", timeout=WAIT_MS)
    # 田东: teams 83 and 2150 people (the area's), then the team added, 1 支 (40 人): narrower
    assert row_cells(page, 0)[1:4] == ["未审核", "83", "支"]
    assert row_cells(page, 0)[7] == "本地区" and row_cells(page, 2)[7] == "新增部分"
    assert "scope-narrow" in page.locator("tr.review-row").nth(2).get_attribute("class")
    assert "scope-narrow" not in page.locator("tr.review-row").nth(0).get_attribute("class")

    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_function(SAVING, timeout=WAIT_MS)
    # while it is saved the page stays in view (the loading cover hid it, and blurred the focused row)
    assert page.evaluate("getComputedStyle(document.getElementById('review-doc')).visibility") == "visible"
    page.keyboard.press("j")  # pressed during the round trip: not lost
    page.wait_for_function(SAVED, timeout=WAIT_MS)
    page.wait_for_selector("tr.review-row.status-accepted", timeout=WAIT_MS)
    assert page.evaluate(FOCUSED_ROW) == 1
    assert page.inner_text(rv("message")) == "已确认：应急救援队伍数 (rescue_teams) 83"

    page.keyboard.press("j")  # the team added: level all -> county, typed and saved with the keyboard
    page.keyboard.press("e")
    page.wait_for_function('() => document.activeElement.id === \'{"rv":"edit-value"}\'', timeout=WAIT_MS)
    page.keyboard.press("Tab")  # the indicator
    page.keyboard.press("Tab")  # the level
    page.keyboard.press("Control+a")
    page.keyboard.type("county")
    page.keyboard.press("Enter")
    page.wait_for_selector("tr.review-row.status-corrected", timeout=WAIT_MS)
    assert page.inner_text(rv("message")) == "已更正：应急救援队伍数 (rescue_teams)，层级: all → county"
    assert row_cells(page, 2)[6] == "level=all → level=county"  # the row says what the rebuild will hold
    page.wait_for_function(f"() => ({FOCUSED_ROW})() === 2", timeout=WAIT_MS)  # back on its figure
    page.keyboard.press("e")  # a refused correction keeps the focus in the form, Escape leaves it
    page.wait_for_function('() => document.activeElement.id === \'{"rv":"edit-value"}\'', timeout=WAIT_MS)
    page.keyboard.press("Control+a")
    page.keyboard.type("一")
    page.keyboard.press("Enter")
    page.wait_for_selector(rv("message") + ":has-text('数值不是有效数字')", timeout=WAIT_MS)
    page.wait_for_function(SAVED, timeout=WAIT_MS)
    assert page.evaluate("document.activeElement.id") == '{"rv":"edit-value"}'
    page.keyboard.press("Escape")
    assert page.evaluate(FOCUSED_ROW) == 2
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_selector("tr.review-row.status-rejected", timeout=WAIT_MS)
    assert page.evaluate(FOCUSED_ROW) == 3

    assert page.evaluate(SELECT_JS, ["1300余件", 6])  # a missed figure: its number, not its words
    page.click(rv("use-selection"))
    page.wait_for_selector(rv("selection-text") + ":has-text('1300余件')", timeout=WAIT_MS)
    assert page.input_value(rv("add-value")) == "1300"
    assert page.console_errors == []

    page.goto(desk + "/review")
    page.wait_for_selector("#review-recent", timeout=WAIT_MS)
    latest = page.locator("#review-recent li").first.inner_text()
    assert latest.startswith("tiandong-2023-gongzuo-zongjie.txt · 应急救援队伍人数[level=all] @")
    assert "UTC" in latest and "/uploads/" not in latest and "status" not in latest
    corrected = page.locator("#review-recent li").nth(1).inner_text()
    assert "层级: all → county" in corrected


def test_the_review_page_fits_a_phone(browser, doc_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, storage_state=doc_url[1]
    )
    page = context.new_page()
    page.goto(doc_url[0])
    page.wait_for_selector("#review-facts", timeout=WAIT_MS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    text_box = page.locator(".review-text").bounding_box()
    table_box = page.locator("#review-facts").bounding_box()
    assert table_box["y"] >= text_box["y"] + text_box["height"]  # the figures under the text, not beside
    context.close()
