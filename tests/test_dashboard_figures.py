"""Figures, shaping and tables from a database the real ETL built (tests/conftest.py `seed_db`)."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from dashboard import queries
from dashboard.evidence import evidence_panel, highlighted
from dashboard.figures import (
    BELOW_TARGET_COLOUR,
    FONT_FAMILY,
    SERIES_COLOURS,
    bar_figure,
    graph_config,
    trend_figure,
)
from dashboard.panels import PanelChart, caption, panel_charts
from dashboard.ranked_figures import HOME_COLOUR, ranked_trend_figure
from dashboard.shaping import labelled, shape_all, with_home
from dashboard.state import ViewState, YearSpec
from dashboard.tables import csv_bytes, panel_table, xlsx_bytes

SHANWEI, LUOHE, SHENZHEN = "441500", "411100", "440300"


@pytest.fixture(scope="module")
def catalog(seed_db):
    indicators = queries.indicators(seed_db).set_index("id", drop=False)
    return indicators, queries.dim_values(seed_db)


@pytest.fixture(scope="module")
def values(seed_db) -> pd.DataFrame:
    return queries.indicator_values(seed_db, [SHANWEI, LUOHE, SHENZHEN], None, None)


def shaped(values, catalog, indicator_id, per=None, home=None, lang="zh"):
    indicators, dim_values = catalog
    rows = shape_all(values, indicators.loc[[indicator_id]], dim_values, lang, per)[indicator_id]
    return labelled(with_home(rows, home), lang)


def test_latest_mode_labels_every_value_with_its_year(values, catalog):
    rows = shaped(values, catalog, "hazards_found")
    fig = bar_figure(rows, "排查发现隐患", "处", "zh", label_years=True)
    texts = [text for trace in fig.data for text in (trace.text or ())]
    assert texts and all("<br>2022" in text for text in texts)
    assert fig.layout.font.family == FONT_FAMILY


def test_approx_values_show_as_plus_in_hover_and_text(values, catalog):
    rows = shaped(values, catalog, "drills")
    fig = bar_figure(rows, "应急演练场次", "场次", "zh", label_years=False)
    assert fig.data[0].text[0] == "500+"
    assert "500+ 场次" in fig.data[0].hovertext[0]


def test_home_area_is_marked_and_outlined(values, catalog):
    rows = shaped(values, catalog, "hazards_found", home=SHANWEI)
    trace = bar_figure(rows, "t", "处", "zh", label_years=True).data[0]
    home_position = list(trace.x).index("★ 汕尾")
    assert trace.marker.line.width[home_position] == 3
    assert trace.marker.line.width[1 - home_position] == 0


def test_derived_values_are_hatched_and_flagged_values_outlined_with_legend(values, catalog):
    rows = shaped(values, catalog, "hazards_found")
    rows["derived"] = [True, False]
    rows["flags"] = [[], ["rectified_gt_found"]]
    rows["flagged"] = [False, True]
    fig = bar_figure(rows, "t", "处", "zh", label_years=True)
    assert list(fig.data[0].marker.pattern.shape) == ["/", ""]
    assert fig.data[0].marker.line.color[1] == "#e03131"
    assert {trace.name for trace in fig.data[1:]} == {"推算值（斜线）", "存疑（红框）"}
    assert "⚠" in fig.data[0].text[1]


def test_a_selected_area_that_did_not_report_keeps_its_place_marked_not_reported(values, catalog):
    rows = shaped(values, catalog, "hazards_found")  # 深圳 reported no hazards found
    fig = bar_figure(rows, "t", "处", "zh", label_years=True, missing=["深圳"])
    assert list(fig.layout.xaxis.categoryarray)[-1] == "深圳"
    assert [(a.x, a.text) for a in fig.layout.annotations] == [("深圳", "未报告")]
    assert all("深圳" not in list(trace.x or ()) for trace in fig.data)  # a gap, never a zero bar


def test_target_line_on_rates(values, catalog):
    rows = shaped(values, catalog, "hazard_closure_rate")
    fig = bar_figure(rows, "t", "%", "zh", label_years=True, target=95)
    assert [shape.y0 for shape in fig.layout.shapes] == [95]
    assert fig.layout.yaxis.range == (0, 110)


@pytest.mark.parametrize(
    ("indicator_id", "normalised"),
    [("hazards_found", True), ("hazard_closure_rate", False)],
)
def test_per_10k_normalises_counts_never_rates(values, catalog, indicator_id, normalised):
    rows = shaped(values, catalog, indicator_id, per="10k")
    expected = rows["value"] / rows["population"] * 10_000 if normalised else rows["value"]
    assert rows["shown"].tolist() == pytest.approx(expected.tolist())


def test_area_without_population_has_no_per_10k_value(values, catalog):
    rows = values[values["indicator"] == "hazards_found"].copy()
    rows["population"] = [None] * len(rows)
    shown = shaped(rows, catalog, "hazards_found", per="10k")
    assert shown["shown"].isna().all() and (shown["text"] == "").all()


def test_breakdowns_become_series_in_catalog_order(values, catalog):
    rows = shaped(values, catalog, "rescue_teams")
    luohe = rows[rows["area_code"] == LUOHE]
    assert luohe["series"].tolist() == ["市级", "县（区）级", "乡镇（街道）级", "村（社区）级"]


def test_trend_draws_one_line_per_area(values, catalog):
    rows = shaped(values, catalog, "hazards_found", home=LUOHE)
    fig = trend_figure(rows, "t", "处", "zh")
    assert sorted(trace.name for trace in fig.data) == ["★ 漯河", "汕尾"]
    assert max(trace.line.width for trace in fig.data) == 4


# --- A trend over a year range (issue #9, defect 1) ----------------------------------------------
def shaped_over_years(values, catalog, indicator_id, earlier: dict[str, float]) -> pd.DataFrame:
    """The seed's values of `indicator_id` and, for each area of `earlier`, that value a year before: the
    seed reports one year per area, a trend needs more."""
    rows = shaped(values, catalog, indicator_id)
    extra = rows[rows["area"].isin(list(earlier))].copy()
    extra["shown"] = extra["area"].map(earlier)
    extra["year"] = extra["year"] - 1
    extra = extra.drop(columns=["text", "year_label"])
    return pd.concat([rows, labelled(extra, "zh")], ignore_index=True)


def test_trend_year_axis_spans_the_chosen_range_clear_of_the_value_axis(values, catalog):
    rows = shaped(values, catalog, "hazard_closure_rate")  # 2022 only
    axis = trend_figure(rows, "t", "%", "zh", years=(2021, 2024)).layout.xaxis
    assert list(axis.tickvals) == [2021, 2022, 2023, 2024]
    assert axis.range[0] < 2021 - 0.25 and axis.range[1] > 2024 + 0.25


def test_trend_markers_of_one_year_stand_apart(values, catalog):
    rows = shaped(values, catalog, "hazard_closure_rate")  # 漯河 99.9 and 汕尾 98.79, both 2022
    luohe, shanwei = trend_figure(rows, "t", "%", "zh", years=(2021, 2024)).data
    assert luohe.x[0] != shanwei.x[0] and abs(luohe.x[0] - shanwei.x[0]) < 0.5  # side by side in 2022
    assert luohe.marker.symbol[0] != shanwei.marker.symbol[0]


def test_trend_of_several_lines_writes_no_value_where_labels_would_overprint(values, catalog):
    rows = shaped_over_years(values, catalog, "hazard_closure_rate", {"漯河": 97.5})
    luohe, shanwei = trend_figure(rows, "t", "%", "zh", years=(2021, 2024)).data
    assert list(luohe.text) + list(shanwei.text) == ["", "", ""]  # 99.9 would overprint 98.79
    assert "99.9 %" in luohe.hovertext[1] and "98.79 %" in shanwei.hovertext[0]
    (alone,) = trend_figure(rows[rows["area"] == "漯河"], "t", "%", "zh").data
    assert list(alone.text) == ["97.5", "99.9"]  # one line: nothing to overprint


def test_trend_draws_a_line_only_through_two_years_or_more(values, catalog):
    rows = shaped_over_years(values, catalog, "hazard_closure_rate", {"漯河": 97.5})
    modes = {trace.name: trace.mode for trace in trend_figure(rows, "t", "%", "zh").data}
    assert modes["漯河"].startswith("lines") and "lines" not in modes["汕尾"]


def test_trend_keeps_a_part_year_note_on_its_point(values, catalog):
    rows = shaped(values, catalog, "penalties")  # 深圳 2023 截至2023年8月, 汕尾 2022 a whole year
    traces = {t.name: t for t in trend_figure(rows, "t", "次", "zh", years=(2021, 2024)).data}
    assert list(traces["深圳"].text) == ["截至2023年8月"] and list(traces["汕尾"].text) == [""]
    assert "2023 截至2023年8月" in traces["深圳"].hovertext[0]


def test_ranked_trend_marks_single_years_and_part_years_as_the_named_trend(values, catalog):
    rows = shaped(values, catalog, "penalties")
    band = pd.DataFrame({"year": [2021, 2024], "q1": [1, 2], "median": [3, 4], "q3": [5, 6]})
    fig = ranked_trend_figure(rows, band, "t", "次", "zh")
    traces = {t.name: t for t in fig.data[2:]}  # after the middle half and the median
    assert {name: trace.mode for name, trace in traces.items()} == {
        "汕尾": "markers+text",
        "深圳": "markers+text",
    }
    assert list(traces["深圳"].text) == ["截至2023年8月"]
    assert list(fig.layout.xaxis.tickvals) == [2021, 2022, 2023, 2024]
    chosen = ranked_trend_figure(rows, band, "t", "次", "zh", chosen=(2019, 2025))  # the range asked for
    assert list(chosen.layout.xaxis.tickvals) == list(range(2019, 2026))


def rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_below_target_colour_is_far_from_every_series_colour():
    """Not the palette's orange: a short bar must not read as a breakdown of the next chart."""
    for colour in (*SERIES_COLOURS, HOME_COLOUR):
        distance = (
            sum((a - b) ** 2 for a, b in zip(rgb(colour), rgb(BELOW_TARGET_COLOUR), strict=True)) ** 0.5
        )
        assert distance > 100, colour


def test_a_missing_last_area_keeps_a_whole_slot_inside_the_plot(values, catalog):
    rows = shaped(values, catalog, "hazards_found")  # 漯河, 汕尾; 深圳 reported none
    axis = bar_figure(rows, "t", "处", "zh", label_years=True, missing=["深圳"]).layout.xaxis
    assert list(axis.range) == [-0.5, 2.5]  # 深圳 at 2, half a slot clear of the edge


def test_graph_config_keeps_data_local_and_sizes_the_png():
    config = graph_config("深圳-排查发现隐患-2023", "zh")
    assert config["showSendToCloud"] is False and config["displaylogo"] is False
    assert config["toImageButtonOptions"] == {  # the Word size of the export menu, not plotly's own
        "format": "png",
        "scale": 3,
        "width": 800,
        "height": 500,
        "filename": "深圳-排查发现隐患-2023",
    }


def test_table_downloads_carry_units_flags_and_evidence(seed_db, values, catalog):
    indicators, dim_values = catalog
    own = indicators[indicators["category"] == "drills"]
    table = panel_table(shape_all(values, own, dim_values, "zh", None), own, "zh", None)
    csv = csv_bytes(table, "zh")
    assert csv.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert {"单位", "约数", "推算", "范围", "原文", "来源文件"} <= set(frame.columns)
    assert "500+" in frame["数值"].tolist()
    assert pd.read_excel(io.BytesIO(xlsx_bytes(table, "en")))["Unit"].notna().all()


@pytest.mark.parametrize(
    ("text", "start", "end", "pieces"),
    [
        ("发现隐患1744处", 4, 8, ["发现隐患", "1744", "处"]),
        ("<script>alert(1)</script>12处", 25, 27, ["<script>alert(1)</script>", "12", "处"]),
        ("发现隐患1744处", 4, 99, ["发现隐患1744处"]),  # a span outside the text: the text alone
        ("发现隐患1744处", None, None, ["发现隐患1744处"]),
    ],
)
def test_evidence_is_plain_text_with_the_figure_marked(text, start, end, pieces):
    children = highlighted(text, start, end)
    assert [c if isinstance(c, str) else c.children for c in children] == pieces


def test_evidence_panel_links_to_the_span(seed_db, values):
    row = values[values["indicator"] == "hazards_found"].iloc[0]
    doc = queries.document(seed_db, row["doc_id"])
    start, end, evidence_start = int(row["start"]), int(row["end"]), int(row["evidence_start"])
    panel = evidence_panel(doc, row["evidence"], evidence_start, start, end, "zh")
    assert panel[0].children[1].children == doc["text"][start:end]
    assert panel[-1].href.startswith(f"/doc/{row['doc_id']}?start={start}&end={end}")


# --- a rate derived from two counts: the counts beside it, the target line on it alone ---------------
def hazard_charts(seed_db, values, catalog, **view) -> dict[str, PanelChart]:
    indicators, dim_values = catalog
    state = ViewState(target=99, **view)
    own = indicators[indicators["category"] == "hazards"]
    shaped = shape_all(values, indicators, dim_values, state.lang, state.per)
    return {chart.key: chart for chart in panel_charts(own, indicators, shaped, state)}


def test_ratio_of_comes_from_the_catalogs_derive_spec(catalog):
    indicators, _ = catalog
    with_ratio = {row.id: tuple(row.ratio_of) for row in indicators.itertuples() if row.ratio_of is not pd.NA}
    assert with_ratio == {"hazard_closure_rate": ("hazards_rectified", "hazards_found")}


def test_found_and_rectified_are_grouped_per_area_beside_the_rate(seed_db, values, catalog):
    charts = hazard_charts(seed_db, values, catalog)
    keys = list(charts)
    assert keys[:2] == ["hazard_closure_rate-counts", "hazard_closure_rate"]  # side by side, first
    counts = charts["hazard_closure_rate-counts"]
    assert counts.name == "排查发现隐患与已整改隐患"
    by_series = {trace.name: dict(zip(trace.x, trace.y, strict=True)) for trace in counts.figure.data}
    assert by_series["排查发现隐患"]["漯河"] == 68949
    assert by_series["已整改隐患"]["漯河"] == 68873
    assert counts.figure.layout.barmode == "group"
    # every digit: 6.89万 beside 6.89万 would hide the 76 hazards left
    texts = {trace.name: list(trace.text) for trace in counts.figure.data}
    assert texts["排查发现隐患"][0] == "68,949<br>2022" and texts["已整改隐患"][0] == "68,873<br>2022"
    assert counts.figure.layout.title.text == "排查发现隐患与已整改隐患（处）"


@pytest.mark.parametrize(
    ("category", "key", "has_target"),
    [
        ("hazards", "hazard_closure_rate", True),
        ("hazards", "hazard_closure_rate-counts", False),
        ("hazards", "hazards_found", False),
        ("suggestions", "suggestion_satisfaction", False),  # a rate, but not one with a target
    ],
)
def test_target_line_only_on_rates_derived_from_counts(values, catalog, category, key, has_target):
    indicators, dim_values = catalog
    own = indicators[indicators["category"] == category]
    shaped = shape_all(values, indicators, dim_values, "zh", None)
    charts = {c.key: c for c in panel_charts(own, indicators, shaped, ViewState(target=99))}
    assert [shape.y0 for shape in charts[key].figure.layout.shapes] == ([99] if has_target else [])


def test_rates_short_of_the_target_stand_out(seed_db, values, catalog):
    rate = hazard_charts(seed_db, values, catalog)["hazard_closure_rate"].figure  # target 99
    colours = dict(zip(rate.data[0].x, rate.data[0].marker.color, strict=True))
    assert colours["汕尾"] == BELOW_TARGET_COLOUR  # 98.79
    assert colours["漯河"] != BELOW_TARGET_COLOUR  # 99.9
    assert [trace.name for trace in rate.data[1:]] == ["低于目标 99%"]


def test_counts_caption_names_who_did_not_report_each_count(seed_db, values, catalog):
    counts = hazard_charts(seed_db, values, catalog)["hazard_closure_rate-counts"]
    selected = queries.areas(seed_db).set_index("code").loc[[LUOHE, SHANWEI]].reset_index()
    shaped = shape_all(values, catalog[0], catalog[1], "zh", None)
    texts = [span.children for span in caption(counts, shaped, selected, ViewState()).children]
    assert "未报告已整改隐患：汕尾" in texts
    assert not [text for text in texts if text.startswith("未报告排查发现隐患")]


def test_trend_of_the_counts_draws_a_line_per_area_and_count(seed_db, catalog):
    trend_values = queries.indicator_values(seed_db, [LUOHE, SHANWEI], 2021, 2023)
    charts = hazard_charts(seed_db, trend_values, catalog, year=YearSpec(2021, 2023))
    names = {trace.name for trace in charts["hazard_closure_rate-counts"].figure.data}
    assert {"漯河 · 排查发现隐患", "漯河 · 已整改隐患"} <= names


# --- English captions and titles use ASCII punctuation --------------------------------------------
FULL_WIDTH = re.compile(r"[\u3000-\u303f\uff00-\uffef]")  # CJK punctuation and full-width forms


def caption_texts(seed_db, values, catalog, lang: str) -> list[str]:
    indicators, dim_values = catalog
    selected = queries.areas(seed_db).set_index("code").loc[[LUOHE, SHANWEI, SHENZHEN]].reset_index()
    state = ViewState(lang=lang, per="10k")
    own = indicators[indicators["category"] == "hazards"]
    texts = []
    shaped = shape_all(values, indicators, dim_values, lang, state.per)
    for chart in panel_charts(own, indicators, shaped, state):
        texts += [span.children for span in caption(chart, shaped, selected, state).children]
        texts.append(chart.figure.layout.title.text)
    return texts


def test_english_captions_and_titles_use_ascii_punctuation(seed_db, values, catalog):
    texts = caption_texts(seed_db, values, catalog, "en")
    assert "Unit: hazards per 10k residents" in texts
    assert "Hazards found vs Hazards rectified (hazards per 10k residents)" in texts
    assert [text for text in texts if FULL_WIDTH.search(text)] == []


def test_chinese_captions_keep_full_width_punctuation(seed_db, values, catalog):
    texts = caption_texts(seed_db, values, catalog, "zh")
    assert "单位：处/万人" in texts and "排查发现隐患（处/万人）" in texts
