"""Numbers a manager compares (issue 9, defects 2 and 7): a small value per 10,000 residents never reads 0,
axis ticks under 1 never repeat, and the table shows every digit of a value as the charts do (6.89万 found
and 6.89万 rectified would hide the 76 hazards left open). On a database of its own (tests/scale_db.py)."""

from __future__ import annotations

import pytest

from dashboard.figures import value_ticks
from dashboard.numbers import format_number, format_value
from dashboard.page import category_table
from dashboard.view import load_state
from tests.scale_db import build_scale_db


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.004, "0.004"), (-0.004, "-0.004"), (0.0123, "0.0123"), (0.5, "0.5"), (0.00001234, "0.0000123")],
)
def test_a_value_under_one_keeps_three_significant_digits(value, text):
    assert format_number(value) == format_number(value, "en") == text
    assert format_value(value, "more_than") == text + "+"


@pytest.mark.parametrize("top", [0.004, 0.013, 0.05, 0.3, 0.9])
def test_axis_ticks_under_one_are_all_different(top):
    labels = value_ticks(top, "zh")["ticktext"]
    assert len(labels) == len(set(labels)) >= 3
    assert labels[0] == "0" and all(label != "0" for label in labels[1:])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_scale_db(tmp_path_factory.mktemp("exact") / "emergency.duckdb", areas=30, years=(2024, 2024))


def test_the_table_shows_every_digit_of_a_large_value(db):
    state, _, _, _ = load_state(db, "?cat=hazards&year=2024")
    table = category_table(db, "hazards", state)
    counts = table[
        (table["value_number"] >= 10_000) & (table["value_number"] % 1 == 0) & (table["approx"] == "")
    ]
    assert len(counts) >= 3
    assert counts["value"].tolist() == [f"{int(number):,}" for number in counts["value_number"]]
    assert not table["value"].str.contains("万").any()


def test_per_10k_values_of_small_counts_are_not_zero(db):
    state, _, _, _ = load_state(db, "?cat=enforcement&year=2024&per=10k")
    table = category_table(db, "enforcement", state)
    assert (table["value_number"] > 0).any()
    shown = table.loc[table["value_number"] > 0, "value"]
    assert not shown.isin(["0", "0.0", "0.00"]).any()
