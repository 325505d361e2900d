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


@pytest.mark.parametrize(("first", "last"), [(None, None), (2021, 2024)])
def test_a_view_of_every_area_reads_without_an_area_filter_and_gets_the_same_rows(seed_db, first, last):
    """Every area with a value (plus areas without any) is read with no per-row area test; a subset is
    filtered. Same rows either way."""
    areas = queries.areas(seed_db)
    every = tuple(areas["code"])
    valued = tuple(sorted(set(queries.indicator_values(seed_db, list(every), None, None)["area_code"])))
    assert queries.area_filter(seed_db, every) is None and queries.area_filter(seed_db, valued) is None
    assert queries.area_filter(seed_db, valued[:2]) == list(valued[:2])
    ids = tuple(queries.indicators(seed_db)["id"])
    unfiltered = queries.panel_values(seed_db, every, first, last, ids)
    filtered = queries.panel_values(seed_db, valued[:-1] + ("999999",), first, last, ids)
    assert set(unfiltered["area_code"]) == set(valued) and set(filtered["area_code"]) == set(valued[:-1])
    kept = unfiltered[unfiltered["area_code"].isin(valued[:-1])].reset_index(drop=True)
    assert kept.drop(columns=["flags"]).equals(filtered.drop(columns=["flags"]))
