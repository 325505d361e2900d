"""`indicator_values` is a table every build derives from its final facts: it holds exactly what the view
it replaced gave (the query below), after a full run, an incremental run, `load-parquet` and
`build_database`."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from tests.conftest import REPO_ROOT, SEED_REPORTS, run_etl
from tests.db_rows import table_rows
from tests.scale_db import build_scale

# The view the table replaces, as etl/schema.sql defined it: one value per (area, year, indicator, dims).
VIEW_SQL = """
SELECT * EXCLUDE (rn) FROM (
    SELECT f.*, d.published, d.title, d.doc_type, d.file_name,
           row_number() OVER (
               PARTITION BY f.area_code, f.year, f.indicator, f.level, f.field, f.kind, f.role
               ORDER BY f.derived, (f.period <> 'year'),
                        d.published DESC NULLS LAST, f.doc_id, f.start
           ) AS rn
    FROM facts f JOIN documents d ON d.id = f.doc_id
    WHERE f.scope = 'area'
) WHERE rn = 1
"""
TABLE_TYPE_SQL = "SELECT table_type FROM information_schema.tables WHERE table_name = 'indicator_values'"
SEEDS = sorted(SEED_REPORTS.iterdir())
DEV = sorted((REPO_ROOT / "tests" / "corpus-dev").iterdir())


def assert_values_are_the_views(db_path: Path) -> None:
    """The stored table: the view's columns (names and types, in order) and rows, and not empty."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute(TABLE_TYPE_SQL).fetchall() == [("BASE TABLE",)]
        view = con.sql(VIEW_SQL)
        stored = con.table("indicator_values")
        assert list(zip(stored.columns, map(str, stored.types), strict=True)) == list(
            zip(view.columns, map(str, view.types), strict=True)
        )
        expected = sorted(view.fetchall(), key=repr)
    assert expected and table_rows(db_path, "indicator_values") == expected


def test_a_full_run_stores_the_views_rows(seed_db):
    assert_values_are_the_views(seed_db)


def test_an_incremental_run_rebuilds_them_from_its_final_facts(tmp_path):
    reports, db_path = tmp_path / "reports", tmp_path / "e.duckdb"
    reports.mkdir()
    for report in SEEDS[:3] + DEV[:3]:
        shutil.copy(report, reports)
    pipeline.run([reports], db_path)
    before = table_rows(db_path, "indicator_values")
    shutil.copy(DEV[3], reports)
    (reports / SEEDS[0].name).unlink()
    summary = pipeline.run([reports], db_path)
    assert (summary.extracted, summary.reused) == (1, 5)
    assert_values_are_the_views(db_path)
    after = table_rows(db_path, "indicator_values")
    assert after != before
    assert not [row for row in after if row[-1] == SEEDS[0].name]  # file_name: the deleted report's gone
    assert [row for row in after if row[-1] == DEV[3].name]


def test_load_parquet_stores_the_views_rows(tmp_path):
    parts, db_path = tmp_path / "parts", tmp_path / "loaded.duckdb"
    assert run_etl("extract", SEED_REPORTS, "--parquet", parts, "--jobs", "1").returncode == 0
    result = run_etl("load-parquet", parts, "--db", db_path)
    assert result.returncode == 0, result.stderr
    assert_values_are_the_views(db_path)


@pytest.mark.parametrize("seed", [0, 1])
def test_build_database_stores_the_views_rows(tmp_path, seed):
    info = build_scale(tmp_path / "scale.duckdb", areas=6, years=(2021, 2023), seed=seed)
    assert_values_are_the_views(info.path)


def test_a_renamed_report_gives_its_new_name_and_an_unchanged_run_keeps_them(tmp_path):
    reports, db_path = tmp_path / "reports", tmp_path / "e.duckdb"
    reports.mkdir()
    for report in SEEDS[:2]:
        shutil.copy(report, reports)
    pipeline.run([reports], db_path)
    before = table_rows(db_path, "indicator_values")
    assert pipeline.run([reports], db_path).reused == 2
    assert table_rows(db_path, "indicator_values") == before
    (reports / SEEDS[1].name).rename(reports / "renamed.txt")
    pipeline.run([reports], db_path)
    assert_values_are_the_views(db_path)
    assert {row[-1] for row in table_rows(db_path, "indicator_values")} == {SEEDS[0].name, "renamed.txt"}
