"""Pure figure builders for views of many areas (all areas, a province, all cities): charts whose size does
not grow with the number of areas. Ranked horizontal bars (the best and worst, the home area, the rest in
one line), a trend of the leaders against the median and middle half of all areas, and the coverage as a
province × indicator heat map."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import (
    BELOW_TARGET_COLOUR,
    CHART_HEIGHT,
    HOME_MARK,
    SERIES_COLOURS,
    TARGET_COLOUR,
    area_labels,
    bar_spec,
    below_target,
    figure,
    layout_spec,
    legend_marker_traces,
    line_bounds,
    line_points,
    line_slice,
    point_labels,
    target_marks,
    title_text,
    value_axis_spec,
    year_axis_spec,
)
from dashboard.i18n import t
from dashboard.numbers import format_number
from dashboard.peer_context import MedianLine, median_marks
from dashboard.shaping import RANKED_EACH_END, RankedRest

HOME_COLOUR = "#7048e8"  # the home area's bar: found at a glance among twenty
BAR_ROW_PX = 22  # height per area row of a ranked bar chart
LEGEND_BELOW_PX = 30  # the legend just under the value axis, whatever the chart's height
RANKED_MARGIN_PX = 140  # title, axis and the summary line
BAND_COLOUR = "rgba(28, 126, 214, 0.15)"
MEDIAN_COLOUR = "#495057"
HEAT_COLOURS = [[0, "#f1f3f5"], [0.5, "#a5d8ff"], [1, "#1864ab"]]
HEAT_ROW_PX = 18


def rest_label(rest: RankedRest, lang: str) -> str:
    """The line standing for the areas left out: `其余 280 个地区` on the axis."""
    return t("ranked_rest", lang, n=rest.n)


def rest_note(rest: RankedRest, unit: str, lang: str) -> str:
    return t(
        "ranked_rest_note",
        lang,
        n=rest.n,
        median=format_number(rest.median, lang),
        low=format_number(rest.low, lang),
        high=format_number(rest.high, lang),
        unit=unit,
    )


def bar_trace(
    group: pd.DataFrame,
    series: str,
    title: str,
    colour: str,
    unit: str,
    lang: str,
    label_years: bool,
    target: float | None,
) -> dict:
    """One breakdown's horizontal bars; the home area's in its own colour; a fact id per bar."""
    colours = [
        BELOW_TARGET_COLOUR if below else HOME_COLOUR if home else colour
        for below, home in zip(below_target(group, target), group["is_home"], strict=True)
    ]
    spec = bar_spec(group, series, title, unit, lang, " ({year})" if label_years else None, colours, 2)
    return spec | {"orientation": "h", "y": area_labels(group), "x": group["shown"].tolist()}


def ranked_bar_figure(
    rows: pd.DataFrame,
    title: str,
    unit: str,
    lang: str,
    label_years: bool,
    rest: RankedRest | None,
    target: float | None = None,
    medians: Sequence[MedianLine] = (),
) -> go.Figure:
    """Areas as horizontal bars, best at the top, one colour per breakdown, the home area in its own
    colour; the areas between the best and the worst stand as one row saying how many, their median and
    range; `medians` of every area of the view (peer_context.median_lines) as dashed lines up the chart.
    Each bar carries its fact id only."""
    labels = list(dict.fromkeys(area_labels(rows)))
    order = labels
    if rest is not None:  # the best, the row for the rest, the home area when it ranks among them, the worst
        order = [*labels[:RANKED_EACH_END], rest_label(rest, lang), *labels[RANKED_EACH_END:]]
    data = [
        bar_trace(
            group, series, title, SERIES_COLOURS[i % len(SERIES_COLOURS)], unit, lang, label_years, target
        )
        for i, (series, group) in enumerate(rows.groupby("series", sort=False))
    ]
    layout = layout_spec(title_text(title, unit, lang))
    median_shapes, median_labels = median_marks(medians, upright=False)
    rows_shown = len(order) * max(1, rows["series"].nunique())
    height = max(CHART_HEIGHT, RANKED_MARGIN_PX + BAR_ROW_PX * rows_shown)
    layout |= {
        "barmode": "group",
        "height": height,
        "legend": {"orientation": "h", "x": 0, "y": -LEGEND_BELOW_PX / height, "yanchor": "top"},
        "yaxis": {"categoryorder": "array", "categoryarray": order[::-1], "automargin": True},
        "xaxis": {"gridcolor": "#e9ecef", **value_axis_spec(rows["shown"].max(), unit, lang)},
        "margin": {"l": 10, "r": 60, "t": 50, "b": 60},
        "annotations": ([rest_annotation(rest, unit, lang)] if rest is not None else []) + median_labels,
        "shapes": ([target_shape(target)] if target is not None else []) + median_shapes,
    }
    return figure(data + legend_marker_traces(rows, lang, target), layout)


def target_shape(target: float) -> dict:
    """The target as a vertical dashed line across the bars."""
    line = {"color": TARGET_COLOUR, "dash": "dash", "width": 2}
    return {
        "type": "line",
        "x0": target,
        "x1": target,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "paper",
        "line": line,
    }


def rest_annotation(rest: RankedRest, unit: str, lang: str) -> dict:
    """The summary written across the row that stands for the areas left out."""
    return {
        "y": rest_label(rest, lang),
        "x": 0,
        "xref": "x",
        "xanchor": "left",
        "showarrow": False,
        "text": rest_note(rest, unit, lang),
        "font": {"size": 11, "color": MEDIAN_COLOUR},
    }


def ranked_trend_figure(
    rows: pd.DataFrame,
    quartiles: pd.DataFrame,
    title: str,
    unit: str,
    lang: str,
    target: float | None = None,
    chosen: tuple[int | None, int | None] = (None, None),
) -> go.Figure:
    """The median of all areas per year with the middle half as a band, and a line for each leading area
    and the home area (thicker): a trend of hundreds of areas that stays readable. The year axis spans the
    `chosen` range (first, last) and every year drawn."""
    years = quartiles["year"].tolist()
    band = {
        "type": "scatter",
        "x": years + years[::-1],
        "y": quartiles["q3"].tolist() + quartiles["q1"].tolist()[::-1],
        "fill": "toself",
        "fillcolor": BAND_COLOUR,
        "line": {"width": 0},
        "name": t("trend_middle_half", lang),
        "hoverinfo": "skip",
    }
    median = {
        "type": "scatter",
        "x": years,
        "y": quartiles["median"].tolist(),
        "mode": "lines",
        "line": {"color": MEDIAN_COLOUR, "dash": "dot", "width": 2},
        "name": t("trend_median", lang),
        "hovertemplate": "%{y:,.4~g}<extra></extra>",
    }
    by_line, bounds = line_bounds(rows)
    points = line_points(by_line, unit, lang)
    lines = [
        area_line(line_slice(points, start, end), area, series, i, lang)
        for i, ((area, series), start, end) in enumerate(bounds)
    ]
    layout = layout_spec(title_text(title, unit, lang))
    shapes, labels = target_marks(target, lang)
    top = max(rows["shown"].max(), quartiles["q3"].max())
    drawn_years = years + rows["year"].tolist() + [year for year in chosen if year is not None]
    layout |= {
        "xaxis": year_axis_spec((min(drawn_years), max(drawn_years))),
        "yaxis": {**layout["yaxis"], **value_axis_spec(top, unit, lang)},
        "legend": {"orientation": "v", "y": 1, "x": 1.02, "font": {"size": 11}},
        "shapes": shapes,
        "annotations": labels,
    }
    return figure([band, median, *lines], layout)


def area_line(points: dict[str, list], area: str, series: str, position: int, lang: str) -> dict:
    """One area's values over the years (the home area thicker, in its colour), a line only through two
    years or more, a part-year period's note on its point; a fact id per point."""
    home = any(points["is_home"])
    return {
        "type": "scatter",
        "x": points["year"],
        "y": points["shown"],
        "name": (HOME_MARK if home else "") + area + (f" · {series}" if series else ""),
        "mode": "lines+markers+text" if len(points["year"]) > 1 else "markers+text",
        "text": point_labels(points, False, lang),
        "textposition": "top center",
        "hovertext": points["hover"],
        "hoverinfo": "text",
        "customdata": points["fact"],
        "line": {
            "width": 4 if home else 2,
            "color": HOME_COLOUR if home else SERIES_COLOURS[position % len(SERIES_COLOURS)],
        },
        "marker": {"size": 7, "symbol": ["circle-open" if d else "circle" for d in points["derived"]]},
    }


def coverage_heatmap(cells: pd.DataFrame, rows: list[str], columns: list[str], lang: str) -> go.Figure:
    """Provinces × indicators, each cell the share of the province's areas that reported the indicator,
    with the counts in the hover: 30 rows whatever the number of areas."""
    share = cells.pivot(index="row", columns="column", values="share").reindex(index=rows, columns=columns)
    text = cells.pivot(index="row", columns="column", values="label").reindex(index=rows, columns=columns)
    heat = {
        "type": "heatmap",
        "z": share.astype(float).where(share.notna(), None).values.tolist(),
        "x": columns,
        "y": rows,
        "text": text.fillna(t("cov_missing", lang)).values.tolist(),
        "hovertemplate": "%{y} · %{x}<br>%{text}<extra></extra>",
        "colorscale": HEAT_COLOURS,
        "zmin": 0,
        "zmax": 1,
        "xgap": 1,
        "ygap": 1,
        "colorbar": {"title": {"text": t("coverage_share", lang)}, "tickformat": ".0%", "thickness": 12},
    }
    layout = layout_spec("") | {  # titled by the panel's heading: rotated indicator names fill the top
        "height": max(CHART_HEIGHT, 160 + HEAT_ROW_PX * len(rows)),
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"side": "top", "tickangle": -45, "automargin": True},
        "margin": {"l": 10, "r": 20, "t": 60, "b": 20},
    }
    return figure([heat], layout)
