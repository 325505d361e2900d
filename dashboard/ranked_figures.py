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
    value_ticks,
    year_axis_spec,
)
from dashboard.i18n import t
from dashboard.numbers import format_number
from dashboard.peer_context import MedianLine, median_marks
from dashboard.shaping import RANKED_EACH_END, RankedRest

HOME_COLOUR = "#7048e8"  # the home area's line in a trend: found at a glance among twenty
BAR_ROW_PX = 22  # height per area row of a ranked bar chart
LEGEND_BELOW_PX = 30  # the legend just under the value axis, whatever the chart's height
REST_NOTE_PX = 50  # the three lines of the rest note under the value axis, the legend under them
VALUE_AXIS = "y2"  # the right-hand axis whose tick labels are the values, row by row
VALUE_PX = 11  # the values' font in that column
ROOM = 1.05  # the value axis reaches this far past the longest bar
RATE_TOP = 100
# an axis is drawn only with a trace on it: this one, empty, draws the value column
VALUE_COLUMN_TRACE = {
    "type": "bar",
    "x": [None],
    "y": [None],
    "yaxis": VALUE_AXIS,
    "showlegend": False,
    "hoverinfo": "skip",
}
RANKED_MARGIN_PX = 140  # title, axis and the summary line
BAND_COLOUR = "rgba(28, 126, 214, 0.15)"
MEDIAN_COLOUR = "#495057"
HEAT_COLOURS = [[0, "#f1f3f5"], [0.5, "#a5d8ff"], [1, "#1864ab"]]
HEAT_ROW_PX = 18


def rest_label(rest: RankedRest, lang: str) -> str:
    """The line standing for the areas left out: `其余 280 个地区` on the axis."""
    return t("ranked_rest", lang, n=rest.n)


def rest_note(rest: RankedRest, unit: str, lang: str, line_break: str = "") -> str:
    """How many areas the chart leaves out, their median and range; `line_break` ("<br>" in a figure,
    where a text does not wrap) after the median and after the range: a line each fits a phone."""
    return t(
        "ranked_rest_note",
        lang,
        n=rest.n,
        median=format_number(rest.median, lang),
        low=format_number(rest.low, lang),
        high=format_number(rest.high, lang),
        unit=unit,
        br=line_break,
    )


def rest_value(rest: RankedRest, lang: str) -> str:
    """What the value column says on the row of the areas left out: their median."""
    return t("median_line", lang, value=format_number(rest.median, lang))


def row_axis(order: list[str]) -> dict:
    """Rows top-down in `order`, sized to their names by Plotly (automargin)."""
    return {"type": "category", "categoryorder": "array", "categoryarray": order[::-1], "automargin": True}


def value_column(order: list[str], values: list[str]) -> dict:
    """The right-hand axis writing each row's `values` beside it, sized to its text by Plotly (automargin),
    so the bars get what is left whatever the screen: a value written at a bar's end ran off a phone's
    edge (the room it needs there is in pixels, the room a chart has is not known to the server)."""
    return row_axis(order) | {
        "overlaying": "y",
        "side": "right",
        "matches": "y",
        "tickmode": "array",
        "tickvals": order,
        "ticktext": values,
        "tickfont": {"size": VALUE_PX},
        "showgrid": False,
    }


def round_top(top: float, lang: str) -> tuple[float, str] | None:
    """The largest round tick up to `top` and its label (2万), None for no positive `top`: axes whose
    values are written beside the bars need no more than it and zero, and more do not fit on a phone."""
    ticks = value_ticks(top, lang)
    if not ticks:
        return None
    pairs = zip(ticks["tickvals"], ticks["ticktext"], strict=True)
    return max((value, label) for value, label in pairs if value <= top)


def bar_axis_spec(top: float, unit: str, lang: str) -> dict:
    """The value axis of ranked bars: zero and the largest round value (0 and 100 for a percentage), a
    little past the longest bar; the values themselves are in their column."""
    if unit == "%":
        return {"range": [0, RATE_TOP * ROOM], "tickvals": [0, RATE_TOP], "ticktext": ["0", "100"]}
    largest = round_top(top, lang)
    ticks = {"tickvals": [0, largest[0]], "ticktext": ["0", largest[1]]} if largest else {}
    return ticks | {"range": [0, top * ROOM] if top > 0 else None}


def column_values(traces: list[dict], order: list[str]) -> list[str]:
    """Each row's values for the value column from the bar `traces` (one a breakdown), a line each, the
    top bar's first (Plotly draws a group's first trace at the bottom), blank where a breakdown has no
    value for the area."""
    by_label = [dict(zip(trace["y"], trace["text"], strict=True)) for trace in traces]
    return ["<br>".join(values.get(label, " ") for values in reversed(by_label)) for label in order]


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
    """One breakdown's horizontal bars in its colour, the home area's too (one fill for all its bars hid
    its breakdowns from each other): it is outlined and starred by bar_spec; a fact id per bar."""
    colours = [BELOW_TARGET_COLOUR if below else colour for below in below_target(group, target)]
    spec = bar_spec(group, series, title, unit, lang, " ({year})" if label_years else None, colours, 2)
    # the text is written in the value column (value_column), not at the bar's end
    return spec | {
        "orientation": "h",
        "y": area_labels(group),
        "x": group["shown"].tolist(),
        "textposition": "none",
    }


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
    """Areas as horizontal bars, best at the top, one colour per breakdown, the home area outlined and
    starred, each value written in a column at the right; the areas between the best and the worst stand
    as one row saying how many and their median, with their range under the chart; `medians` of every
    area of the view (peer_context.median_lines) as dashed lines up the chart. Each bar carries its fact
    id only."""
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
    values = column_values(data, order)
    if rest is not None:
        values[RANKED_EACH_END] = rest_value(rest, lang)
    layout = layout_spec(title_text(title, unit, lang))
    median_shapes, median_labels = median_marks(medians, upright=False)
    rows_shown = len(order) * max(1, rows["series"].nunique())
    height = max(CHART_HEIGHT, RANKED_MARGIN_PX + BAR_ROW_PX * rows_shown)
    note_px = REST_NOTE_PX if rest is not None else 0
    top = max(rows["shown"].max(), target or 0)
    layout |= {
        "barmode": "group",
        "height": height + note_px,
        "legend": {"orientation": "h", "x": 0, "y": -(LEGEND_BELOW_PX + note_px) / height, "yanchor": "top"},
        "yaxis": row_axis(order),
        "yaxis2": value_column(order, values),
        "xaxis": {"gridcolor": "#e9ecef", **bar_axis_spec(top, unit, lang)},
        "margin": {"l": 10, "r": 10, "t": 50, "b": 60 + note_px},
        "annotations": ([rest_annotation(rest, unit, lang, height)] if rest is not None else [])
        + median_labels,
        "shapes": ([target_shape(target)] if target is not None else []) + median_shapes,
    }
    return figure(data + [VALUE_COLUMN_TRACE] + legend_marker_traces(rows, lang, target), layout)


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


def rest_annotation(rest: RankedRest, unit: str, lang: str, height: int) -> dict:
    """The summary of the areas left out, in three lines under the value axis: across their row it ran off a
    phone's screen."""
    return {
        "y": -LEGEND_BELOW_PX / height,
        "yref": "paper",
        "yanchor": "top",
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "align": "left",
        "showarrow": False,
        "text": rest_note(rest, unit, lang, "<br>"),
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
