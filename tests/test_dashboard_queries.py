"""queries.py against real DuckDB files: read-only, latest-year resolution, swaps picked up."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from dashboard import queries

SHANWEI, LUOHE, SHENZHEN = "441500", "411100", "440300"


def test_latest_takes_each_areas_own_latest_year(seed_db):
    values = queries.indicator_values(seed_db, [SHANWEI, SHENZHEN], None, None)
    years = values.groupby("area_code")["year"].unique().to_dict()
    assert list(years[SHANWEI]) == [2022] and list(years[SHENZHEN]) == [2023]


@pytest.mark.parametrize(
    ("first", "last", "expected_years"), [(2022, 2022, {2022}), (2023, 2024, {2023}), (2019, 2020, set())]
)
def test_year_range_filters(seed_db, first, last, expected_years):
    values = queries.indicator_values(seed_db, [SHANWEI, SHENZHEN], first, last)
    assert set(values["year"]) == expected_years


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda path: None, "missing"),
        (lambda path: duckdb.connect(str(path)).close(), "empty"),
        (lambda path: path.write_bytes(b"not a database"), "unreadable"),
    ],
)
def test_db_problem_explains_what_is_wrong(tmp_path, make, problem):
    path = tmp_path / "x.duckdb"
    make(path)
    assert queries.db_problem(path) == problem


def test_a_swapped_in_database_is_read_without_reopening(seed_db, tmp_path):
    live = tmp_path / "live.duckdb"
    shutil.copy(seed_db, live)
    before = queries.indicator_values(live, [SHANWEI], None, None)
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(seed_db, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute("UPDATE indicator_values SET value = value * 2 WHERE area_code = ?", [SHANWEI])
    os.replace(rebuilt, live)
    after = queries.indicator_values(live, [SHANWEI], None, None)
    assert after["value"].tolist() == pytest.approx([2 * v for v in before["value"]])


def test_connections_are_read_only(seed_db):
    with queries._connect(seed_db) as con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM facts")
