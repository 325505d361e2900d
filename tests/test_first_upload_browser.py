"""The first database is built by upload (issue 10): a fresh deployment with a reviewer account and no
database yet (`make serve` before `make etl`) shows the missing-database page with the way to the desk; the
reviewer signs in, uploads a seed report, the run builds the database, and the dashboard shows it, in a
real headless Chromium against a real server and the real ETL."""

from __future__ import annotations

import pytest

from tests.browser import WAIT_MS, chromium_browser, wait_for_charts
from tests.conftest import SEED_REPORTS
from tests.review_browser_helpers import console_tab, review_desk
from tests.review_helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
RUN_MS = 180_000
SHANWEI = SEED_REPORTS / "shanwei-2022-fazhi-zhengfu.txt"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A reviewer account and no database; the server's runs read an empty report folder, so only the
    upload can build the database."""
    with review_desk(tmp_path_factory.mktemp("first_upload"), built=False) as (base_url, db_path, _):
        yield base_url, db_path


@pytest.fixture(scope="module")
def page(fresh):
    with chromium_browser() as browser, console_tab(browser) as tab:
        yield tab


def test_a_reviewer_builds_the_first_database_by_upload(page, fresh, tmp_path):
    base, db_path = fresh
    assert not db_path.exists()
    page.goto(base + "/")
    page.wait_for_selector("#missing-db", timeout=WAIT_MS)
    page.screenshot(path=str(tmp_path / "first_upload_missing.png"))
    page.click("#first-upload a")  # 审核员登录
    page.wait_for_selector("#review-login", timeout=WAIT_MS)
    page.fill("#login-name", "alice")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#review-desk", timeout=WAIT_MS)  # signing in leads to the desk
    assert page.locator("#review-no-database").count() == 1
    page.set_input_files(".review-upload input[type=file]", str(SHANWEI))
    page.wait_for_selector(".rv-upload-stored", timeout=WAIT_MS)
    page.wait_for_selector(".rv-finished", timeout=RUN_MS)
    assert db_path.is_file()
    page.wait_for_selector("#review-documents .review-uploaded a", timeout=WAIT_MS)  # listed once built
    page.screenshot(path=str(tmp_path / "first_upload_desk.png"))

    page.goto(base + "/?area=汕尾&cat=reserves")
    page.wait_for_selector("#panel-reserves .js-plotly-plot .main-svg", timeout=WAIT_MS)
    wait_for_charts(page)
    assert page.locator("#missing-db").count() == 0
    assert page.locator("#panel-reserves .js-plotly-plot .point path").count() > 0  # the uploaded values
    page.goto(base + "/?area=汕尾&view=table&cat=reserves")  # a reviewer is configured: values marked
    page.wait_for_selector("text=未审核", timeout=WAIT_MS)
    page.click("text=1,500万元")  # its evidence panel says it is unreviewed
    page.wait_for_selector(".evidence-panel.open #evidence-status", timeout=WAIT_MS)
    assert page.inner_text("#evidence-status") == "审核状态：未审核"
    page.screenshot(path=str(tmp_path / "first_upload_table.png"))
    assert page.console_errors == []
