"""`reviewed=1` (issue 10): with it every view shows only values a reviewer accepted, corrected or added,
on a database the real ETL built with a real review store; without it, every value, reviewed ones counted
in the coverage. The filter bar's checkbox and the URL carry it both ways."""

from __future__ import annotations

from pathlib import Path

from dashboard import page, queries
from dashboard.callbacks import controls_from_state, state_from_controls
from dashboard.overview import coverage_cells
from dashboard.state import to_query
from dashboard.view import area_index, load_state
from tests.test_review_apply import build, reviewed  # noqa: F401 (the fixture)

LUOHE = "411100"


def rebuilt(reviewed) -> Path:  # noqa: F811
    reports, db, _ = reviewed
    build(reports, db)  # the decisions apply on this run
    return db


def test_only_reviewed_values_reach_the_charts_and_the_table_view(reviewed) -> None:  # noqa: F811
    db = rebuilt(reviewed)
    codes = tuple(queries.areas(db)["code"])
    every = queries.panel_values(db, codes, None, None, ("plans", "penalties"))
    only = queries.panel_values(db, codes, None, None, ("plans", "penalties"), True)
    assert len(every) > len(only) > 0
    assert sorted(zip(only["area_code"], only["indicator"], only["value"], strict=True)) == [
        (LUOHE, "penalties", 13.0),  # added by hand
        (LUOHE, "plans", 41.0),  # corrected; the rejected county figure is in neither
    ]
    table = queries.table_view_values(db, codes, None, None, ("plans", "penalties"), True)
    assert sorted(table["value"]) == [13.0, 41.0]
    state, notices, _, _ = load_state(db, f"?area={LUOHE}&cat=plans&reviewed=1")
    assert state.only_reviewed and not notices
    shaped = page.category_shaped(db, "plans", *page.base_view(db, state))
    assert shaped["plans"]["value"].tolist() == [41.0]
    state, _, _, _ = load_state(db, f"?area={LUOHE}&cat=plans")
    assert len(page.category_shaped(db, "plans", *page.base_view(db, state))["plans"]) > 1


def test_the_coverage_counts_reviewed_values_and_the_filter_keeps_only_them(reviewed) -> None:  # noqa: F811
    db = rebuilt(reviewed)
    codes = tuple(queries.areas(db)["code"])
    every = queries.coverage_by_province(db, codes, None, None)
    only = queries.coverage_by_province(db, codes, None, None, True)
    total = every[every["indicator"].isna()].iloc[0]
    assert total["reviewed"] == 2 and total["n_values"] > 2
    assert only[only["indicator"].isna()].iloc[0]["n_values"] == 2


def test_the_checkbox_and_the_link_carry_reviewed(seed_db: Path) -> None:
    index = area_index(seed_db)
    state, _, _, _ = load_state(seed_db, "?reviewed=1&view=table")
    controls = controls_from_state(state)
    assert controls[-2] == ["1"]
    again, _ = state_from_controls(controls, "zh", index)
    assert again.reviewed == "1" and "reviewed=1" in to_query(again, index)
    forged, _ = state_from_controls([*controls[:-2], ["yes"], controls[-1]], "zh", index)
    assert forged.reviewed is None
    state, notices, _, _ = load_state(seed_db, "?reviewed=yes")
    assert state.reviewed is None and notices


def test_the_coverage_matrix_marks_cells_whose_values_are_all_reviewed(reviewed) -> None:  # noqa: F811
    db = rebuilt(reviewed)
    values = queries.indicator_values(db, [LUOHE], None, None)
    assert coverage_cells(values)[(LUOHE, "plans")][0] == "reported"  # city corrected, other levels not
    only = coverage_cells(queries.indicator_values(db, [LUOHE], None, None, True))
    assert {key: status for key, (status, _) in only.items()} == {
        (LUOHE, "plans"): "reviewed",
        (LUOHE, "penalties"): "reviewed",
    }
