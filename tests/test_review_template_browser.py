"""The review desk's gates and its structured import in a real headless Chromium (issue 10): signed out,
the desk offers no upload and sends to the sign-in form; signed in, a filled-in template with good and bad
rows is checked row by row on the page, each bad row with its reason in the page's language, and only the
good row is loaded by the run that follows."""

from __future__ import annotations

import duckdb
import pytest

from tests.browser import WAIT_MS, chromium_browser
from tests.review_browser_helpers import console_tab, review_desk
from tests.review_helpers import PASSWORD
from tests.test_review_upload import TEMPLATE_ROWS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
RUN_MS = 180_000


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    with review_desk(tmp_path_factory.mktemp("review_template")) as (base_url, db_path, _):
        yield base_url, db_path


@pytest.fixture(scope="module")
def page(desk):
    with chromium_browser() as browser, console_tab(browser) as tab:
        yield tab


def test_signed_out_the_desk_offers_no_upload(page, desk):
    base, _ = desk
    page.goto(base + "/review")
    page.wait_for_selector("#review-sign-in-needed", timeout=WAIT_MS)  # a way to sign in, not the desk
    assert page.locator(".review-upload input[type=file]").count() == 0
    assert page.locator("#review-desk").count() == 0
    page.click("#review-sign-in-needed a")
    page.wait_for_selector("#review-login", timeout=WAIT_MS)


def test_a_template_is_checked_row_by_row_in_the_page_and_only_its_good_row_loads(page, desk, tmp_path):
    base, db_path = desk
    page.goto(base + "/login")
    page.fill("#login-name", "alice")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#review-desk", timeout=WAIT_MS)
    template = tmp_path / "深圳 2019.csv"
    template.write_bytes(TEMPLATE_ROWS.encode("gb18030"))
    page.set_input_files(".review-upload input[type=file]", str(template))
    page.wait_for_selector(".rv-upload-stored .rv-row-errors", timeout=WAIT_MS)
    page.screenshot(path=str(tmp_path / "template_rows.png"), full_page=True)
    errors = page.locator(".rv-row-errors li").all_text_contents()
    assert len(errors) == 5  # rows 3-7: a rate over 100, an unknown indicator, a unit, a duplicate twice
    assert all(error.startswith(("第", "row")) for error in errors)
    assert not any("第 2 行" in error or "第2行" in error or "row 2:" in error for error in errors)
    page.wait_for_selector(".rv-finished", timeout=RUN_MS)
    with duckdb.connect(str(db_path), read_only=True) as con:
        loaded = con.execute(
            "SELECT indicator, value FROM facts WHERE area_code = '440300' AND year = 2019 ORDER BY indicator"
        ).fetchall()
    assert loaded == [("drills", 12.0)]
    assert page.console_errors == []
