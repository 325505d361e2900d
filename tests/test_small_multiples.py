"""Small multiples of a year range (issue #9, trends that read): one small chart per named area, on one
scale, from the seed database the real ETL built (tests/conftest.py `seed_db`), its areas given more years
and more neighbours the way a province's reports would."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import queries
from dashboard.figures import HOME_MARK, SERIES_COLOURS
from dashboard.shaping import labelled, shape_all, with_home
from dashboard.small_multiples import COLUMNS, PANEL_PX, ROW_GAP_PX, small_multiples_figure

SHANWEI, LUOHE, SHENZHEN = "441500", "411100", "440300"


@pytest.fixture(scope="module")
def catalog(seed_db):
    return queries.indicators(seed_db).set_index("id", drop=False), queries.dim_values(seed_db)


@pytest.fixture(scope="module")
def values(seed_db) -> pd.DataFrame:
    return queries.indicator_values(seed_db, [SHANWEI, LUOHE, SHENZHEN], None, None)


def over_years(values, catalog, indicator_id, years: dict[str, list[int]], home: str | None = None):
    """The seed's rows of `indicator_id` for each area of `years` (an area name as in the seed, or a new
    name copying 漯河's rows), one copy a year listed, each year's value 10% above the year before."""
    indicators, dim_values = catalog
    rows = shape_all(values, indicators.loc[[indicator_id]], dim_values, "zh", None)[indicator_id]
    frames = []
    for area, area_years in years.items():
        source = rows[rows["area"] == area] if area in set(rows["area"]) else rows[rows["area"] == "漯河"]
        for step, year in enumerate(area_years):
            copy = source.assign(
                area=area, area_code=f"x{area}", year=year, shown=source["shown"] * 1.1**step
            )
            frames.append(copy)
    return labelled(with_home(pd.concat(frames, ignore_index=True), home), "zh")


def panel_titles(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations if a.yanchor == "bottom"]


def test_each_area_has_its_own_panel_in_order_and_a_missing_one_says_so(values, catalog):
    rows = over_years(
        values, catalog, "hazards_found", {"漯河": [2021, 2022], "汕尾": [2022], "驻马店": [2022]}
    )
    fig = small_multiples_figure(rows, "t", "处", "zh", (2021, 2024), missing=["深圳"])
    assert panel_titles(fig) == ["漯河", "汕尾", "驻马店", "深圳"]
    assert [a.text for a in fig.layout.annotations if a.text == "未报告"] == ["未报告"]
    drawn = {trace.xaxis for trace in fig.data if len(trace.x)}
    assert drawn == {"x", "x2", "x3"} and {trace.xaxis for trace in fig.data} == {"x", "x2", "x3", "x4"}


def test_every_panel_is_on_the_first_ones_value_scale_and_the_chosen_years(values, catalog):
    rows = over_years(
        values, catalog, "hazards_found", {n: [2020, 2021] for n in ("漯河", "汕尾", "a", "b", "c")}
    )
    fig = small_multiples_figure(rows, "t", "处", "zh", (2019, 2024))
    assert [fig.layout[f"yaxis{i}"].matches for i in range(2, 6)] == ["y"] * 4
    assert list(fig.layout.xaxis5.tickvals) == list(range(2019, 2025))
    shown = [fig.layout[f"yaxis{'' if i == 1 else i}"].showticklabels for i in range(1, 6)]
    assert shown == [i % COLUMNS == 0 for i in range(5)]  # values labelled in the first column only
    assert list(fig.layout.xaxis.ticktext) == ["2019", "", "2021", "", "2023", ""]  # upright, every other


def test_panels_never_overlap_and_the_chart_grows_a_row_at_a_time(values, catalog):
    names = [f"区{i}" for i in range(COLUMNS + 1)]
    rows = over_years(values, catalog, "hazards_found", {n: [2022] for n in names})
    fig = small_multiples_figure(rows, "t", "处", "zh", (2021, 2024))
    boxes = [
        (fig.layout[f"xaxis{s}"].domain, fig.layout[f"yaxis{s}"].domain) for s in ["", *range(2, COLUMNS + 2)]
    ]
    for i, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[i + 1 :]:
            assert x1[1] <= x2[0] or x2[1] <= x1[0] or y1[1] <= y2[0] or y2[1] <= y1[0]
    one_row = small_multiples_figure(
        over_years(values, catalog, "hazards_found", {"漯河": [2022]}), "t", "处", "zh", (2021, 2024)
    )
    assert fig.layout.height - one_row.layout.height == PANEL_PX + ROW_GAP_PX


def test_a_line_only_through_two_years_and_values_written_only_while_the_years_are_few(values, catalog):
    rows = over_years(values, catalog, "hazards_found", {"漯河": [2021, 2022], "汕尾": [2022]})
    few = {trace.xaxis: trace for trace in small_multiples_figure(rows, "t", "处", "zh", (2021, 2024)).data}
    assert few["x"].mode.startswith("lines") and "lines" not in few["x2"].mode
    assert all(few["x"].text) and all(few["x2"].text)
    two_lines = over_years(values, catalog, "rescue_teams", {"漯河": [2021, 2022], "b": [2022]})
    assert not any(
        text
        for trace in small_multiples_figure(two_lines, "t", "支", "zh", (2021, 2024)).data
        for text in trace.text
    )
    many = small_multiples_figure(rows, "t", "处", "zh", (2015, 2024)).data
    assert not any(text for trace in many for text in trace.text)
    assert all(trace.hovertext and trace.customdata for trace in many)  # hover and evidence click stay


def test_a_breakdown_keeps_its_colour_in_every_panel_and_one_legend_entry(values, catalog):
    rows = over_years(values, catalog, "rescue_teams", {"漯河": [2022], "b": [2022]})
    fig = small_multiples_figure(rows, "t", "支", "zh", (2021, 2024))
    by_series: dict[str, set[str]] = {}
    for trace in fig.data:
        by_series.setdefault(trace.name, set()).add(trace.line.color)
    assert len(by_series) == 4 and all(len(colours) == 1 for colours in by_series.values())
    assert {c for cs in by_series.values() for c in cs} <= set(SERIES_COLOURS)
    assert sorted(trace.name for trace in fig.data if trace.showlegend) == sorted(by_series)


def test_the_home_area_is_marked_and_a_part_year_keeps_its_note(values, catalog):
    rows = over_years(
        values, catalog, "penalties", {"深圳": [2023], "汕尾": [2022], "c": [2022]}, home="x深圳"
    )
    fig = small_multiples_figure(rows, "t", "次", "zh", (2021, 2024), target=None)
    assert panel_titles(fig)[0] == f"<b>{HOME_MARK}深圳</b>"
    shenzhen = next(trace for trace in fig.data if trace.xaxis == "x")
    assert "截至2023年8月" in shenzhen.text[0]


def test_a_target_is_drawn_in_every_panel(values, catalog):
    rows = over_years(values, catalog, "hazard_closure_rate", {"漯河": [2022], "汕尾": [2022], "c": [2022]})
    fig = small_multiples_figure(rows, "t", "%", "zh", (2021, 2024), target=99)
    assert [(s.yref, s.y0) for s in fig.layout.shapes] == [("y", 99), ("y2", 99), ("y3", 99)]
