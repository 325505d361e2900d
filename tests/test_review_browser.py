"""The review desk in a real headless Chromium: sign in through the form (a wrong password refused), upload
a seed report, see its figures highlighted, accept one, reject one and correct one with the keyboard, add
a missed one from selected text, rebuild; the dashboard then shows the corrected value and not the rejected
one, and the store's history holds every change."""

from __future__ import annotations

import duckdb
import pytest

from tests.browser import WAIT_MS, chromium_browser
from tests.conftest import SEED_REPORTS
from tests.review_browser_helpers import SELECT_JS, console_tab, review_desk, rv
from tests.review_helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
SHANWEI = SEED_REPORTS / "shanwei-2022-fazhi-zhengfu.txt"
MISSED = "600家企业"  # a figure of the Shanwei report no rule extracts: its first 3 characters are added


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A dashboard over the seed reports but Shanwei's (the reviewer uploads it), with one reviewer."""
    with review_desk(tmp_path_factory.mktemp("review_browser"), skip=SHANWEI) as found:
        yield found


@pytest.fixture(scope="module")
def page(desk):
    with chromium_browser() as browser, console_tab(browser) as tab:
        yield tab


def sign_in(page, base: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#login-name", "alice")
    page.fill("#login-password", password)
    page.click("#login-submit")


def rows_status(page) -> list[str]:
    return [row.get_attribute("class").split("status-")[1] for row in page.locator("tr.review-row").all()]


def test_a_wrong_password_is_refused_in_the_form(page, desk):
    base, _, _ = desk
    sign_in(page, base, "not the password")
    page.wait_for_selector("#review-login .notice", timeout=WAIT_MS)
    assert page.locator("#nav-review").count() == 0
    page.goto(base + "/review")
    page.wait_for_selector("#review-sign-in-needed", timeout=WAIT_MS)
    assert page.locator(".review-upload").count() == 0


def test_upload_review_rebuild_and_the_dashboard_follows(page, desk, tmp_path):
    base, db_path, store = desk
    sign_in(page, base, PASSWORD)
    page.wait_for_selector("#review-desk", timeout=WAIT_MS)
    page.wait_for_selector("#nav-review", timeout=WAIT_MS)  # the header links the desk once signed in
    page.set_input_files(".review-upload input[type=file]", str(SHANWEI))
    page.wait_for_selector(".rv-upload-stored", timeout=WAIT_MS)
    page.wait_for_selector(".rv-finished", timeout=120_000)
    page.click("#review-documents .review-uploaded a")
    page.wait_for_selector("#review-facts", timeout=WAIT_MS)
    marks = page.locator(".review-text mark")
    assert marks.count() >= page.locator("tr.review-row").count() > 3  # every figure highlighted
    assert rows_status(page)[:3] == ["extracted"] * 3

    page.locator("tr.review-row").first.focus()
    page.keyboard.press("a")
    page.wait_for_selector("tr.review-row.status-accepted", timeout=WAIT_MS)
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_selector("tr.review-row.status-rejected", timeout=WAIT_MS)
    page.keyboard.press("j")
    focused = page.evaluate("document.activeElement.dataset.key")
    assert focused.startswith("reserve_value|")  # j moved to the third figure: 1500 万元
    page.keyboard.press("e")
    page.wait_for_selector(rv("edit-panel") + ":not([hidden])", timeout=WAIT_MS)
    assert page.input_value(rv("edit-value")) == "1500"
    page.fill(rv("edit-value"), "1600")
    page.fill(rv("edit-note"), "misprint in the report")
    page.click(rv("edit-save"))
    page.wait_for_selector("tr.review-row.status-corrected", timeout=WAIT_MS)
    assert rows_status(page)[:3] == ["accepted", "rejected", "corrected"]

    assert page.evaluate(SELECT_JS, [MISSED, 3])
    page.click(rv("use-selection"))
    page.wait_for_selector(rv("selection-text") + ":has-text('600')", timeout=WAIT_MS)
    assert page.input_value(rv("add-value")) == "600"
    page.click(rv("add-indicator"))
    page.keyboard.type("inspections")
    page.keyboard.press("Enter")
    page.click(rv("add-save"))
    page.wait_for_selector(rv("message") + ":has-text('inspections')", timeout=WAIT_MS)
    page.wait_for_selector("tr.review-row.status-manual", timeout=WAIT_MS)  # listed before the rebuild
    assert page.locator(".review-text mark.status-manual").inner_text() == "600"
    page.screenshot(path=str(tmp_path / "review_document.png"))

    page.click(".review-row.status-corrected .rv-history")
    page.wait_for_selector(".rv-history-entry", timeout=WAIT_MS)
    assert "misprint in the report" in page.inner_text(rv("history"))

    page.click(rv("doc-type"))
    page.get_by_role("option", name="工作总结").click()
    page.fill(rv("doc-note"), "a work summary, not a rule-of-law report")
    page.click(rv("doc-save"))
    page.wait_for_selector(rv("message") + ":has-text('已更正文档信息')", timeout=WAIT_MS)

    page.click("text=← 返回审核台")
    page.wait_for_selector("#review-desk", timeout=WAIT_MS)
    assert page.locator("#review-recent li").count() == 5  # the desk lists every change, newest first
    assert "misprint in the report" in page.inner_text("#review-recent")
    page.click(rv("rebuild"))
    page.wait_for_selector(".rv-running", timeout=WAIT_MS)
    page.wait_for_selector(".rv-finished", timeout=120_000)

    with duckdb.connect(str(db_path), read_only=True) as con:
        values = dict(
            con.execute(
                "SELECT indicator, value || ' ' || status FROM indicator_values WHERE area_code = '441500' "
                "AND indicator IN ('rescue_personnel', 'reserve_warehouse_area', 'reserve_value', 'inspections')"
            ).fetchall()
        )
        doc_type = con.execute("SELECT doc_type FROM documents WHERE path LIKE '%uploads%'").fetchone()[0]
    assert doc_type == "work_summary"  # the reviewer's correction over the detected type
    assert values == {
        "rescue_personnel": "50.0 accepted",
        "reserve_value": "1600.0 corrected",
        "inspections": "600.0 manual",
    }  # the rejected warehouse area is no value
    page.goto(base + "/?area=汕尾&view=table&cat=reserves")
    page.wait_for_selector("text=1,600万元", timeout=WAIT_MS)
    assert page.locator("text=3,736").count() == 0
    page.click("text=1,600万元")  # the corrected value's evidence panel tells its history
    page.wait_for_selector(".evidence-panel.open .rv-history-entry", timeout=WAIT_MS)
    assert "misprint in the report" in page.inner_text(".evidence-panel")

    path = next(d["path"] for d in store.decisions())
    actions = [entry.action for entry in store.history(path)]
    assert actions == ["accept", "reject", "correct", "add", "document"]
    assert {entry.who for entry in store.history(path)} == {"alice"}
    assert page.console_errors == []
