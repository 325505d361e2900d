"""A year range of many named areas as small multiples: one small chart per area, on one value scale.

Four lines or more in one chart cross and hide each other's markers, and their labels overprint; a
grid of small charts, each area's values over the same years on the same scale, reads area by area and
still compares at a glance (Tufte's small multiples). Each panel is the trend of figures.py cut to one
area: a line only through two years or more, part-year notes on their points, values written on the
points while the years are few; an area with no value keeps its panel, marked 未报告.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import (
    FLAG_OUTLINE,
    HOME_MARK,
    HOME_OUTLINE,
    MISSING_FONT,
    SERIES_COLOURS,
    TARGET_COLOUR,
    figure,
    layout_spec,
    line_bounds,
    line_points,
    line_slice,
    point_labels,
    title_text,
    value_axis_spec,
    year_axis_spec,
)
from dashboard.i18n import t

SMALL_MULTIPLES_FROM = 4  # named areas from which a year range is drawn as small multiples
COLUMNS = 3  # panels a row: three fit a chart card on a laptop (half the page) with their years readable
PANEL_PX = 150  # height of one panel's plot
ROW_GAP_PX = 60  # between two rows: the upper panels' years and the lower panels' names
COLUMN_GAP = 0.08  # share of the width between two panels
TITLE_PX, FOOT_PX = 70, 80  # the title and the first names above the grid; years and legend below it
LABELLED_YEARS = 5  # values written on one line's points up to this many years (the hover gives them always)
YEAR_LABELS = 4  # at most this many years named under a panel (every year keeps its grid line)
TICK_FONT = {"size": 10}


def small_multiples_figure(
    rows: pd.DataFrame,
    title: str,
    unit: str,
    lang: str,
    years: tuple[int, int],
    target: float | None = None,
    missing: Sequence[str] = (),
) -> go.Figure:
    """One panel per area of labelled shaped `rows` (in their order) and per `missing` area (未报告),
    each breakdown a line in its colour across panels, every panel on the value scale of the largest."""
    by_line, bounds = line_bounds(rows)
    points = line_points(by_line, unit, lang)
    areas = list(dict.fromkeys(area for (area, _), _, _ in bounds)) + list(missing)
    colours = {series: i for i, series in enumerate(dict.fromkeys(s for (_, s), _, _ in bounds))}
    # values on the points only for one line a panel over a few years: more would overprint
    with_values = len(colours) == 1 and years[1] - years[0] + 1 <= LABELLED_YEARS
    data, legend = [], set()
    for (area, series), start, end in bounds:
        line = line_slice(points, start, end)
        data.append(panel_line(line, areas.index(area) + 1, series, colours[series], with_values, lang))
        data[-1]["showlegend"] = bool(series) and series not in legend
        legend.add(series)
    n_rows = math.ceil(len(areas) / COLUMNS)
    top = float(rows["shown"].max()) if len(rows) else 0.0
    layout = layout_spec(title_text(title, unit, lang)) | {
        "height": TITLE_PX + FOOT_PX + n_rows * PANEL_PX + (n_rows - 1) * ROW_GAP_PX,
        "legend": {"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "yref": "container"},
        "margin": {"l": 50, "r": 20, "t": TITLE_PX, "b": FOOT_PX},
        "annotations": [],
        "shapes": [],
    }
    home_areas = set(by_line.loc[by_line["is_home"], "area"]) if len(by_line) else set()
    for i, area in enumerate(areas, start=1):
        layout |= panel_axes(i, n_rows, years, top, unit, lang)
        layout["annotations"].append(panel_title(i, area, area in home_areas))
        if area in missing:
            layout["annotations"].append(missing_note(i, lang))
            data.append(empty_panel(i))
        if target is not None:
            layout["shapes"].append(target_line(i, target))
    return figure(data, layout)


def panel_line(
    line: dict[str, list], panel: int, series: str, colour: int, with_values: bool, lang: str
) -> dict:
    """One breakdown's values over the years in panel `panel`: markers, a line through two years or more,
    the flag and part-year marks on their points."""
    home = any(line["is_home"])
    return {
        "type": "scatter",
        "xaxis": axis_id("x", panel),
        "yaxis": axis_id("y", panel),
        "x": line["year"],
        "y": line["shown"],
        "name": series,
        "legendgroup": series,
        "mode": "lines+markers+text" if len(line["year"]) > 1 else "markers+text",
        "text": point_labels(line, with_values, lang),
        "textposition": "top center",
        "textfont": TICK_FONT,
        "cliponaxis": False,
        "hovertext": line["hover"],
        "hoverinfo": "text",
        "customdata": line["fact"],
        "line": {"width": 3 if home else 2, "color": SERIES_COLOURS[colour % len(SERIES_COLOURS)]},
        "marker": {
            "size": 8,
            "symbol": ["circle-open" if d else "circle" for d in line["derived"]],
            "line": {"color": [FLAG_OUTLINE if f else HOME_OUTLINE for f in line["flagged"]], "width": 1.5},
        },
    }


def axis_id(kind: str, panel: int) -> str:
    """`x`, `x2`, ... as a trace names its axes (the layout's keys are `xaxis`, `xaxis2`, ...)."""
    return kind if panel == 1 else f"{kind}{panel}"


def panel_domain(panel: int, n_rows: int) -> tuple[list[float], list[float]]:
    """The panel's (x, y) domain in the grid, row by row from the top: panels of one height in pixels
    and gaps of one height in pixels, whatever the number of rows."""
    row, column = divmod(panel - 1, COLUMNS)
    width = (1 - COLUMN_GAP * (COLUMNS - 1)) / COLUMNS
    plot_px = n_rows * PANEL_PX + (n_rows - 1) * ROW_GAP_PX
    left, top = column * (width + COLUMN_GAP), 1 - row * (PANEL_PX + ROW_GAP_PX) / plot_px
    return [left, left + width], [max(top - PANEL_PX / plot_px, 0.0), top]


def panel_axes(panel: int, n_rows: int, years: tuple[int, int], top: float, unit: str, lang: str) -> dict:
    """The panel's year and value axes: every panel on the first one's value scale, tick labels on the
    values only in the first column."""
    x_domain, y_domain = panel_domain(panel, n_rows)
    suffix = "" if panel == 1 else str(panel)
    x_axis = year_axis_spec(years) | {
        "domain": x_domain,
        "anchor": axis_id("y", panel),
        "tickfont": TICK_FONT,
        "tickangle": 0,
        "ticktext": year_labels(years),
    }
    y_axis = value_axis_spec(top, unit, lang) | {
        "domain": y_domain,
        "anchor": axis_id("x", panel),
        "gridcolor": "#e9ecef",
        "rangemode": "tozero",
        "tickfont": TICK_FONT,
        "showticklabels": (panel - 1) % COLUMNS == 0,
    }
    if panel > 1:
        y_axis["matches"] = "y"
    return {f"xaxis{suffix}": x_axis, f"yaxis{suffix}": y_axis}


def year_labels(years: tuple[int, int]) -> list[str]:
    """Each year's tick label: at most YEAR_LABELS named, evenly from the first (the rest blank), so the
    labels of a narrow panel never turn on their side."""
    first, last = min(years), max(years)
    step = math.ceil((last - first + 1) / YEAR_LABELS)
    return [str(year) if (year - first) % step == 0 else "" for year in range(first, last + 1)]


def panel_title(panel: int, area: str, home: bool) -> dict:
    """The area's name over its panel, the home area's marked and bold."""
    name = f"<b>{HOME_MARK}{area}</b>" if home else area
    ref = axis_id("x", panel)
    return {
        "text": name,
        "xref": f"{ref} domain",
        "yref": f"{axis_id('y', panel)} domain",
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 12},
    }


def empty_panel(panel: int) -> dict:
    """A trace with no point: plotly.js draws only the panels some trace is on, and a missing area's
    panel must stand with its 未报告."""
    return {
        "type": "scatter",
        "xaxis": axis_id("x", panel),
        "yaxis": axis_id("y", panel),
        "x": [],
        "y": [],
        "showlegend": False,
        "hoverinfo": "skip",
    }


def missing_note(panel: int, lang: str) -> dict:
    """未报告 in the middle of the panel of an area with no value: a gap, never a zero."""
    return {
        "text": t("cov_missing", lang),
        "xref": f"{axis_id('x', panel)} domain",
        "yref": f"{axis_id('y', panel)} domain",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": MISSING_FONT,
    }


def target_line(panel: int, target: float) -> dict:
    """The target across the panel, dashed (its value is in the caption and on the full-size charts)."""
    return {
        "type": "line",
        "xref": f"{axis_id('x', panel)} domain",
        "x0": 0,
        "x1": 1,
        "yref": axis_id("y", panel),
        "y0": target,
        "y1": target,
        "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 1.5},
    }
