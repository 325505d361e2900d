"""The column-at-a-time helpers the panels are built with give exactly what the value-at-a-time ones they
replace gave: the formatter on a spread of real magnitudes, labels computed once per distinct
combination, fact ids, trend lines, and the home area marked on the page sent only; the panel's first
page built from the first rows is the whole table's, and the numpy trend leaders and band are pandas'."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dash.dash_table import DataTable

from dashboard import page, queries
from dashboard.figures import line_bounds
from dashboard.numbers import format_number, format_numbers, format_value, format_values
from dashboard.shaping import RANKED_TREND_LINES, fact_ids, has_flags, per_distinct, shape_all, trend_leaders
from dashboard.tables import TABLE_PAGE_ROWS, flag_texts, panel_table, table_page, with_home_rows
from dashboard.view import load_state
from tests.scale_db import build_scale_db

SPREAD = [0, -0.0, 0.004, -0.004, 0.005, 0.015, 1.005, 2.675, 12.5, 99.995, 100, 1744, 9999.96, 1e4, 68949]
SPREAD += [-68949, 99_999_999.5, 1e8, 123_456_789.123, 1.2e9, -1.2e9, 1e15, math.inf, -math.inf, math.nan]
SHANWEI, LUOHE, SHENZHEN = "441500", "411100", "440300"


def spread() -> list[float | None]:
    """The edges above, then values from 1e-4 to 1e13 of both signs, whole and with decimals."""
    rng = np.random.default_rng(8)
    magnitudes = 10 ** rng.uniform(-4, 13, 5000) * rng.choice([-1, 1], 5000)
    return [*SPREAD, None, *magnitudes, *np.round(magnitudes, 2), *rng.integers(0, 10**6, 2000).astype(float)]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("exact", [False, True])
def test_a_column_is_formatted_as_each_value_is(lang, exact):
    values = spread()
    assert format_numbers(values, lang, exact) == [format_number(v, lang, exact) for v in values]
    assert format_numbers(pd.Series(values, dtype=float), lang, exact)[: len(SPREAD)] == [
        format_number(v, lang, exact) for v in SPREAD
    ]


def test_the_formatter_writes_the_examples_readers_see():
    assert format_numbers([68949, 1744, 0.004, -0.0, math.nan, 1.2e9]) == [
        "6.89万",
        "1,744",
        "0.004",
        "-0",
        "",
        "12亿",
    ]
    assert format_numbers([68949, 1.2e9], "en") == ["68,949", "1.2bn"]
    assert format_numbers([]) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_column_with_approx_marks_is_formatted_as_each_value_is(lang):
    values = spread()
    kinds = [None, math.nan, "more_than", "about", "nearly", "unknown_kind", ""]
    approxes = [kinds[i % len(kinds)] for i in range(len(values))]
    expected = [
        format_value(v, a if isinstance(a, str) else None, lang)
        for v, a in zip(values, approxes, strict=True)
    ]
    assert format_values(values, approxes, lang) == expected
    assert format_values([500, 30000], ["more_than", "about"]) == ["500+", "~3万"]


def test_labels_per_distinct_combination_are_the_labels_per_row():
    left = pd.Series(["市级", None, "县级", "市级", np.nan, None], dtype=object)
    right = pd.Series([1, 2, 1, 1, 2, 2])
    label = lambda a, b: f"{a}-{b}" if isinstance(a, str) else f"none({a!r})-{b}"  # noqa: E731
    assert per_distinct(label, left, right) == [label(a, b) for a, b in zip(left, right, strict=True)]
    assert per_distinct(label, left.iloc[:0], right.iloc[:0]) == []


def test_fact_ids_write_whole_starts_and_none_for_a_missing_one():
    rows = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "indicator": ["drills", "drills", "plans"],
            "start": [35.0, np.nan, 7.0],
        }
    )
    assert fact_ids(rows) == ["d1/drills/35", None, "d3/plans/7"]
    assert fact_ids(rows.astype({"start": object}).iloc[[0, 2]]) == ["d1/drills/35", "d3/plans/7"]
    assert fact_ids(rows.dropna().astype({"start": "int32"})) == ["d1/drills/35", "d3/plans/7"]


def test_trend_lines_come_in_order_of_first_appearance_each_by_year():
    rows = pd.DataFrame(
        {
            "area": ["乙", "甲", "乙", "甲", np.nan, "乙"],
            "series": ["", "", "", "", "", "市级"],
            "year": [2022, 2024, 2020, 2021, 2020, 2023],
            "shown": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    by_line, bounds = line_bounds(rows)
    lines = [(key, by_line["year"].iloc[start:end].tolist()) for key, start, end in bounds]
    assert lines == [(("乙", ""), [2020, 2022]), (("甲", ""), [2021, 2024]), (("乙", "市级"), [2023])]
    assert line_bounds(rows.iloc[:0])[1] == []


@pytest.fixture(scope="module")
def seed_table(seed_db) -> pd.DataFrame:
    indicators = queries.indicators(seed_db)
    values = queries.indicator_values(seed_db, [SHANWEI, LUOHE, SHENZHEN], None, None)
    shaped = shape_all(values, indicators, queries.dim_values(seed_db), "zh", None)
    return panel_table(shaped, indicators, "zh", None)


def test_flags_are_joined_where_a_row_has_any(seed_db):
    rows = pd.DataFrame(
        {"flags": [np.array([]), np.array(["unit_inferred", "b"]), []], "flagged": [False, True, False]}
    )
    assert flag_texts(rows, "zh") == ["", "单位为推断、b", ""]  # in words; an unknown flag as stored
    assert flag_texts(rows, "en") == ["", "unit inferred, b", ""]


def test_the_home_area_is_marked_on_the_page_sent_as_on_the_whole_table(seed_table):
    sort = [{"column_id": "value", "direction": "desc"}]
    for home in (SHANWEI, SHENZHEN):
        assert table_page(seed_table, sort, 0, home) == table_page(with_home_rows(seed_table, home), sort, 0)
        pages = [row for page in (0, 1) for row in table_page(seed_table, [], page, home)]
        assert pages and [row["is_home"] for row in pages] == (seed_table["area_code"] == home).tolist()
    assert not any(row["is_home"] for row in table_page(seed_table, [], 0))


RANKED_AREAS = 40  # enough for views drawn ranked (2 × RANKED_EACH_END + 2 areas)
VIEWS = ("", "?year=2020-2024", "?year=2024&per=10k", "?year=2021-2024&lang=en", "?year=2020-2024&per=10k")


@pytest.fixture(scope="module")
def ranked_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scale_db(tmp_path_factory.mktemp("ranked") / "ranked.duckdb", RANKED_AREAS, (2020, 2024))


def category_tables(db: Path) -> list[tuple[str, str, DataTable]]:
    """(category, query string, the table its panel body holds) of every category in every view, with
    and without a home area."""
    home = queries.areas(db).query("has_reports")["code"].iloc[3]
    found = []
    for search in (*VIEWS, *(f"{view or '?'}&home={home}" for view in VIEWS)):
        for category in queries.categories(db)["id"]:
            found += [(category, search, table) for table in tables_in(page.panel_body(db, category, search))]
    return found


def tables_in(tree: object) -> list[DataTable]:
    """Every DataTable of a component tree."""
    if isinstance(tree, DataTable):
        return [tree]
    children = tree if isinstance(tree, list) else getattr(tree, "children", None)
    if isinstance(children, list | tuple):
        return [table for child in children for table in tables_in(child)]
    return tables_in(children) if children is not None else []


@pytest.mark.parametrize("db_name", ["seed_db", "ranked_db"])
def test_the_page_sent_with_a_panel_is_the_first_page_of_its_whole_table(db_name, request):
    """The panel is sent with a first page built from the first rows only: the rows, the home marks and
    the page count are those of the whole table the pager and downloads read."""
    db = request.getfixturevalue(db_name)
    found = category_tables(db)
    assert len(found) == 2 * len(VIEWS) * len(queries.categories(db))
    for category, search, table in found:
        state, _, _, _ = load_state(db, search)
        whole = page.category_table(db, category, state)
        assert table.data == table_page(whole, [], 0) == page.table_rows(db, category, search, [], 0)
        assert table.page_count == max(1, math.ceil(len(whole) / TABLE_PAGE_ROWS))
    assert any(row["is_home"] for _, _, table in found for row in table.data)


def grouped_trend_leaders(rows: pd.DataFrame, ascending: bool, home: str | None) -> tuple[list, pd.DataFrame]:
    """What trend_leaders gave with pandas' groupby: the reference its numpy steps must match exactly."""
    per_area = rows.groupby(["year", "area_code"])["shown"].max().reset_index()
    last = per_area[per_area["year"] == per_area["year"].max()]
    best = last.sort_values("shown", ascending=ascending)["area_code"]
    kept = [*best.head(RANKED_TREND_LINES), *([home] if home else [])]
    quartiles = per_area.groupby("year")["shown"].quantile([0.25, 0.5, 0.75]).unstack()
    quartiles.columns = ["q1", "median", "q3"]
    return kept, quartiles.reset_index()


def random_trend_rows(rng: np.random.Generator) -> pd.DataFrame:
    """Up to 400 values of up to 60 areas over up to 10 years: ties, blanks (no population) and areas
    with every value blank included."""
    n = int(rng.integers(1, 400))
    codes = [f"{code:06d}" for code in rng.integers(100_000, 999_999, int(rng.integers(1, 60)))]
    values = np.round(rng.random(n) * 10 ** rng.integers(0, 6), int(rng.integers(0, 4)))
    return pd.DataFrame(
        {
            "year": rng.integers(2015, 2015 + int(rng.integers(1, 11)), n),
            "area_code": rng.choice(codes, n).astype(object),
            "shown": np.where(rng.random(n) < 0.1, np.nan, values),
        }
    )


def test_trend_leaders_and_band_are_those_pandas_groupby_gave(ranked_db):
    rng = np.random.default_rng(8)
    cases = [random_trend_rows(rng) for _ in range(500)]
    indicators = queries.indicators(ranked_db)
    codes = tuple(queries.areas(ranked_db)["code"])
    values = page.category_values(ranked_db, "hazards", codes, 2020, 2024, False)
    cases += shape_all(values, indicators, queries.dim_values(ranked_db), "zh", "10k").values()
    for rows in filter(len, cases):
        for ascending, home in ((False, None), (True, rows["area_code"].iloc[0])):
            kept, band = trend_leaders(rows, {"higher_is_better": not ascending}, home)
            expected_kept, expected_band = grouped_trend_leaders(rows, ascending, home)
            assert kept == expected_kept
            pd.testing.assert_frame_equal(band, expected_band, check_exact=True)


def test_a_panel_reads_the_flags_of_flagged_values_only(seed_db):
    """The panel query leaves flags NULL where a value has none: the same values are flagged, with the
    same flags, as in every value's row."""
    codes = tuple(queries.areas(seed_db)["code"])
    every = queries.indicator_values(seed_db, list(codes), None, None)
    panel = queries.panel_values(seed_db, codes, None, None, tuple(queries.indicators(seed_db)["id"]))
    key = ["doc_id", "indicator", "start", "level", "field", "kind", "role"]
    joined = every[[*key, "flags"]].merge(panel[[*key, "flags"]], on=key, suffixes=("", "_panel"))
    assert len(joined) == len(every) == len(panel)
    flagged = [len(flags) > 0 for flags in joined["flags"]]
    assert any(flagged) and not all(flagged)
    assert [has_flags(flags) for flags in joined["flags_panel"]] == flagged
    for flags, panel_flags, is_flagged in zip(joined["flags"], joined["flags_panel"], flagged, strict=True):
        assert list(flags) == list(panel_flags) if is_flagged else panel_flags is pd.NA
