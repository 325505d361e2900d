"""Peer context of a chart (issue #9, item 2 and defect 9), on small frames built here: the home area's rank
(ties, level, no direction, no value, a year range), the median lines (fewer than three areas, several
breakdowns, the province from five areas), and the footnote marks of values measured differently."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.peer_context import (
    MARKS,
    NARROW_DOC,
    PART_YEAR,
    footnotes,
    home_rank,
    median_lines,
    median_marks,
    row_notes,
    value_marks,
)

# code, short name, level, province code, province
AREAS = pd.DataFrame(
    [
        ("440100", "广州", "city", "440000", "广东省"),
        ("440300", "深圳", "city", "440000", "广东省"),
        ("440400", "珠海", "city", "440000", "广东省"),
        ("440600", "佛山", "city", "440000", "广东省"),
        ("441500", "汕尾", "city", "440000", "广东省"),
        ("411100", "漯河", "city", "410000", "河南省"),
        ("440304", "福田", "county", "440000", "广东省"),
    ],
    columns=["code", "short_name", "level", "province_code", "province"],
)


def rows(values: dict[str, float | None], year: int = 2023, series: str = "", **columns) -> pd.DataFrame:
    """Shaped rows: one value per area code (None: a row with no value, as per 10k without population)."""
    names = AREAS.set_index("code")["short_name"]
    return pd.DataFrame(
        {
            "area_code": list(values),
            "area": [names[code] for code in values],
            "year": year,
            "shown": [math.nan if v is None else v for v in values.values()],
            "series": series,
            **columns,
        }
    )


@pytest.mark.parametrize(
    "values, home, expected",
    [
        ({"440100": 9, "440300": 7, "440400": 7, "440600": 3}, "440600", (4, 4)),
        ({"440100": 9, "440300": 7, "440400": 7, "440600": 3}, "440300", (2, 4)),  # ties share the rank
        ({"440100": 9, "440300": 7, "440400": 7, "440600": 3}, "440400", (2, 4)),
        ({"440100": 9, "440304": 99, "440300": 7}, "440300", (2, 2)),  # the district is not a city's peer
        ({"440100": 9, "440304": 99, "440300": 7}, "440304", (1, 1)),
        ({"440100": 9, "440300": None, "440400": 1}, "440400", (2, 2)),  # no value: not counted
    ],
)
def test_rank_is_a_competition_rank_among_areas_of_the_home_areas_level(values, home, expected):
    rank = home_rank(rows(values), AREAS, home, True, trend=False)
    assert (rank.rank, rank.n) == expected and rank.year is None


def test_where_less_is_better_the_smallest_ranks_first():
    values = {"440100": 9, "440300": 7, "440400": 7, "440600": 3}
    assert home_rank(rows(values), AREAS, "440600", False, trend=False).rank == 1
    assert home_rank(rows(values), AREAS, "440100", False, trend=False).rank == 4


@pytest.mark.parametrize(
    "home, better",
    [
        (None, True),  # no home area: none invented, even with one area named
        ("440300", None),  # the indicator has no better direction
        ("440300", True),  # the home area has no value
        ("441500", True),  # the home area has no row
    ],
)
def test_no_rank_without_a_home_area_a_direction_or_its_value(home, better):
    assert home_rank(rows({"440100": 9, "440300": None, "440400": 1}), AREAS, home, better, False) is None


def test_a_breakdown_ranks_on_each_areas_largest_value():
    by_level = pd.concat(
        [rows({"440100": 5, "440300": 2}, series="市级"), rows({"440100": 1, "440300": 8}, series="县级")]
    )
    assert home_rank(by_level, AREAS, "440100", True, trend=False).rank == 2


def test_in_a_year_range_the_rank_is_of_the_home_areas_last_year():
    years = pd.concat(
        [
            rows({"440100": 1, "440300": 9, "440400": 5}, year=2022),
            rows({"440100": 9, "440300": 1}, year=2023),  # 珠海 gave nothing in 2023
        ]
    )
    rank = home_rank(years, AREAS, "440300", True, trend=True)
    assert (rank.rank, rank.n, rank.year) == (2, 2, 2023)
    assert home_rank(years, AREAS, "440400", True, trend=True).year == 2022


def test_no_median_line_under_three_areas_nor_across_breakdowns():
    assert median_lines(rows({"440100": 9, "440300": 1, "440400": None}), AREAS, None, "zh") == []
    both = pd.concat([rows({"440100": 5, "440300": 2, "440400": 1}, series=s) for s in ("市级", "县级")])
    assert median_lines(both, AREAS, None, "zh") == []


def test_the_median_of_the_areas_shown_is_labelled_with_its_value():
    (line,) = median_lines(rows({"440100": 9, "440300": 1, "440400": 4, "440600": 6}), AREAS, None, "zh")
    assert line.value == 5 and line.label == "中位数 5" and not line.province
    (line,) = median_lines(rows({"440100": 9, "440300": 1, "440400": 4}), AREAS, None, "en")
    assert line.label == "median 4"


def test_the_province_line_needs_five_of_its_areas_with_values_and_other_areas_beside():
    five = {"440100": 1, "440300": 2, "440400": 3, "440600": 4, "441500": 100}
    lines = median_lines(rows({**five, "411100": 200}), AREAS, "440300", "zh")
    assert [(line.value, line.label, line.province) for line in lines] == [
        (3.5, "中位数 3.5", False),
        (3, "广东省中位数 3", True),
    ]
    four = {**five, "441500": None}
    assert len(median_lines(rows({**four, "411100": 200}), AREAS, "440300", "zh")) == 1
    assert len(median_lines(rows(five), AREAS, "440300", "zh")) == 1  # the province is the whole view
    assert len(median_lines(rows({**five, "411100": 200}), AREAS, None, "zh")) == 1  # no home area


def test_median_lines_are_dashed_and_close_labels_sit_on_either_side():
    lines = median_lines(
        rows({"440100": 1, "440300": 2, "440400": 3, "440600": 4, "441500": 100, "411100": 200}),
        AREAS,
        "440300",
        "zh",
    )
    shapes, labels = median_marks(lines, upright=True)
    assert [shape["y0"] for shape in shapes] == [3.5, 3] and all(s["line"]["dash"] for s in shapes)
    assert labels == []  # bars that rise: the lines carry their labels
    assert [shape["label"]["text"] for shape in shapes] == ["中位数 3.5", "广东省中位数 3"]
    assert [shape["label"]["yanchor"] for shape in shapes] == ["bottom", "top"]  # the higher above its line
    shapes, labels = median_marks(lines, upright=False)
    assert [shape["x0"] for shape in shapes] == [3.5, 3] and "label" not in shapes[0]
    assert [(label["x"], label["xanchor"]) for label in labels] == [(3.5, "left"), (3, "right")]


def values_with(period=("year",) * 3, period_note=(None,) * 3, doc_type=("work_summary",) * 3):
    return rows(
        {"440100": 9, "440300": 7, "440400": 3},
        period=list(period),
        period_note=list(period_note),
        doc_type=list(doc_type),
        scope="area",
    )


def test_a_part_year_value_is_marked_and_its_footnote_says_how():
    frame = values_with(period=("year", "partial", "year"), period_note=(None, "截至2023年8月", None))
    frame = frame.assign(marks=value_marks(frame))
    assert MARKS[frame["marks"]].tolist() == ["", "†", ""]
    (note,) = footnotes([frame], "zh")
    assert (note.mark, note.note, note.names) == ("†", "截至2023年8月（非全年）", ("深圳 2023",))
    assert row_notes(frame, "zh") == ["", "† 截至2023年8月（非全年）", ""]
    assert footnotes([frame], "en")[0].note == "to end of Aug 2023 (partial year)"


def test_a_reply_is_marked_only_beside_figures_from_other_documents():
    mixed = values_with(doc_type=("work_summary", "suggestion_reply", "npc_report"))
    assert value_marks(mixed).tolist() == [0, NARROW_DOC, 0]
    mixed = mixed.assign(marks=value_marks(mixed))
    (note,) = footnotes([mixed], "zh")
    assert (note.mark, note.note) == ("‡", "口径：来自建议提案答复，非全局合计")
    all_replies = values_with(doc_type=("suggestion_summary",) * 3)
    assert value_marks(all_replies).tolist() == [0, 0, 0]


def test_marks_combine_and_each_footnote_names_its_values():
    frame = values_with(
        period=("partial", "partial", "year"),
        period_note=("截至2023年8月", "截至2023年8月", None),
        doc_type=("work_summary", "suggestion_reply", "work_summary"),
    )
    frame = frame.assign(marks=value_marks(frame))
    assert MARKS[frame["marks"]].tolist() == ["†", "†‡", ""]
    assert value_marks(frame)[1] == PART_YEAR | NARROW_DOC
    assert [(n.mark, n.names) for n in footnotes([frame], "zh")] == [
        ("†", ("广州 2023", "深圳 2023")),
        ("‡", ("深圳 2023",)),
    ]
    assert row_notes(frame, "zh")[1] == "† 截至2023年8月（非全年）；‡ 口径：来自建议提案答复，非全局合计"


def test_frames_without_the_columns_mark_nothing():
    frame = rows({"440100": 9, "440300": 7})
    assert value_marks(frame).tolist() == [0, 0]
    assert footnotes([frame], "zh") == [] and row_notes(frame, "zh") == ["", ""]


def test_a_lower_is_better_indicator_ranks_its_smallest_value_first_as_the_catalog_column_reads():
    from dashboard.shaping import ranks_ascending

    column = pd.Series([True, False, None], dtype="boolean")  # how DuckDB's nullable column arrives
    assert [ranks_ascending({"higher_is_better": v}) for v in column.to_numpy(dtype=object)] == [
        False,
        True,
        False,
    ]
    assert ranks_ascending({"higher_is_better": np.bool_(False)}) and not ranks_ascending(
        {"higher_is_better": None}
    )
