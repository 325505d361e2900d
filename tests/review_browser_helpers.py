"""Helpers of the review desk's browser tests: a desk over the seed reports with one reviewer, a tab that
keeps the page's console errors, a review component's selector, and a text selection as a mouse makes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from review.store import ReviewStore
from tests.browser import live_dashboard
from tests.conftest import SEED_REPORTS, run_etl
from tests.review_helpers import add_reviewer

# Select `length` characters from the first `needle` in the document's text, as a reviewer's mouse would
SELECT_JS = """
([needle, length]) => {
    const walker = document.createTreeWalker(document.querySelector(".review-text"), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(needle);
        if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + length);
            document.getSelection().removeAllRanges();
            document.getSelection().addRange(range);
            return true;
        }
    }
    return false;
}
"""


def rv(name: str) -> str:
    """The selector of a review component (its id is `{"rv": name}`: dashboard/review/ids.py)."""
    return f'[id=\'{{"rv":"{name}"}}\']'


@contextmanager
def review_desk(
    folder: Path, built: bool = True, skip: Path | None = None
) -> Iterator[tuple[str, Path, ReviewStore]]:
    """A dashboard with one reviewer whose runs read `folder/reports`: the seed reports but `skip`, built
    into a database first (`built`), or none and no database (the first is built by upload)."""
    reports = folder / "reports"
    reports.mkdir()
    db_path = folder / "emergency.duckdb"
    if built:
        for path in SEED_REPORTS.glob("*.txt"):
            if path != skip:
                (reports / path.name).write_bytes(path.read_bytes())
        assert run_etl("run", "--reports", reports, "--db", db_path).returncode == 0
    store = add_reviewer(db_path)
    with live_dashboard(db_path, env={"DASHBOARD_REPORTS": str(reports)}) as base_url:
        yield base_url, db_path, store


@contextmanager
def console_tab(browser, width: int = 1400, height: int = 1000, **context_options):
    """A tab in its own context (`context_options`: e.g. a signed-in `storage_state`) that records the
    page's console errors (`tab.console_errors`)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **context_options)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda msg: tab.console_errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield tab
    finally:
        context.close()
