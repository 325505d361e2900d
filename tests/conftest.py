"""Shared fixtures: a database built by the real CLI from the seed reports, and small synthetic records."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.catalog import load_catalog
from etl.model import Fact

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_REPORTS = REPO_ROOT / "data" / "reports"
CLI_TIMEOUT_S = 120


def run_etl(*args: str | Path, timeout: float = CLI_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """`python -m etl ARGS` from the repo root, as a user would type it."""
    return subprocess.run(
        [sys.executable, "-m", "etl", *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database `python -m etl run` builds from data/reports (read it, don't write it)."""
    db_path = tmp_path_factory.mktemp("seed_db") / "emergency.duckdb"
    result = run_etl("run", "--reports", SEED_REPORTS, "--db", db_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return db_path


@pytest.fixture
def make_fact() -> Callable[..., Fact]:
    """A whole-area fact of a synthetic document; keyword arguments override any field."""
    catalog = load_catalog()

    def build(indicator: str, value: float, **overrides) -> Fact:
        fields = dict(
            doc="synthetic.txt",
            doc_id="d" * 64,
            area="深圳",
            area_code="440300",
            year=2023,
            indicator=indicator,
            dims={},
            value=value,
            unit=catalog.indicator(indicator).unit,
            approx=None,
            evidence=f"{indicator}{value}",
            evidence_start=0,
            start=0,
            end=1,
            rule="test",
        )
        return Fact(**(fields | overrides))

    return build


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for a module's browser tests (tests/browser.py), started on first use."""
    from tests.browser import chromium_browser

    with chromium_browser() as chromium:
        yield chromium


def etl_database(tmp_path_factory: pytest.TempPathFactory, reports: dict[str, str]) -> Path:
    """A database the real ETL builds from `reports` (file name -> text), each in a folder of its own."""
    folder = tmp_path_factory.mktemp("reports")
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "emergency.duckdb"
    result = run_etl("run", "--reports", folder, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    return db
