"""The column-at-a-time helpers the panels are built with give exactly what the value-at-a-time ones they
replace gave: the formatter on a spread of real magnitudes, labels computed once per distinct
combination, fact ids, trend lines, and the home area marked on the page sent only."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard import queries
from dashboard.figures import year_lines
from dashboard.numbers import format_number, format_numbers, format_value, format_values
from dashboard.shaping import fact_ids, per_distinct, shape_all
from dashboard.tables import flag_texts, panel_table, table_page, with_home_rows

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
    lines = [(key, group["year"].tolist()) for key, group in year_lines(rows)]
    assert lines == [(("乙", ""), [2020, 2022]), (("甲", ""), [2021, 2024]), (("乙", "市级"), [2023])]
    assert year_lines(rows.iloc[:0]) == []


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
