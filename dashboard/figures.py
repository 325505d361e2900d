"""Pure figure builders: a shaped DataFrame (see shaping.py) in, a go.Figure out; no I/O.

Conventions every chart shares live here once: the font (SC glyphs first, or CJK comes out in Japanese
forms), the colours, how the home area, derived values and flagged values are marked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import accumulate

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.code_words import flags_words, period_note_words
from dashboard.i18n import t
from dashboard.numbers import format_number
from dashboard.peer_context import MedianLine, median_marks
from dashboard.report_sizes import DEFAULT_REPORT_SIZE, REPORT_SIZES
from dashboard.shaping import fact_ids

FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"
SERIES_COLOURS = ("#1c7ed6", "#f59f00", "#37b24d", "#ae3ec9", "#1098ad", "#f76707", "#74b816", "#d6336c")
HOME_OUTLINE = "#212529"
FLAG_OUTLINE = "#e03131"
TARGET_COLOUR = "#c92a2a"
# bars short of the target (98.8 under a 99 line looks level with it): a brown no series palette uses, so
# it is never read as one of the breakdowns (the palette's oranges were)
BELOW_TARGET_COLOUR = "#7f4f24"
DERIVED_PATTERN = "/"
HOME_MARK = "★ "
FLAG_MARK = " ⚠"
MISSING_FONT = {"size": 11, "color": "#868e96"}
CHART_HEIGHT = 380
# The toolbar's PNG: the export's Word size, so the file has the same pixels whatever the window.
TOOLBAR_IMAGE_SIZE = REPORT_SIZES[DEFAULT_REPORT_SIZE]
TICK_COUNT = 5
RATE_AXIS_TOP = 110  # room above 100% for the value labels
# a trend's lines, each its own marker: areas with the same value in the same year stay apart
LINE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "pentagon", "hexagon", "star")
LINE_STEP = 0.2  # years between the markers of one year of neighbouring lines: a marker's width apart
LINE_SPREAD = 0.6  # the most years the markers of one year spread over, whatever the number of lines
YEAR_PAD = 0.5  # room at both ends of the year axis: the first year clear of the value axis


PLOTLY_LOCALES = {"zh": "zh-CN"}  # toolbar tooltips in the page's language: assets/plotly-locale-zh-cn.js


def graph_config(filename: str, lang: str, frame: dict | None = None) -> dict:
    """dcc.Graph config: no plotly logo, no "send to cloud" (no data leaves the machine), PNG at the Word
    size named for what it shows, toolbar tooltips in the page's language. `frame` (the layout changes of
    dashboard/toolbar_image.py: export title, sources footer) is drawn on the PNG by
    assets/toolbar_image.js."""
    size = TOOLBAR_IMAGE_SIZE
    options = {"format": "png", "scale": size.scale, "width": size.width, "height": size.height}
    return {
        "locale": PLOTLY_LOCALES.get(lang, "en"),
        "displaylogo": False,
        "showSendToCloud": False,
        "toImageButtonOptions": options | {"filename": filename} | ({"frame": frame} if frame else {}),
    }


def value_ticks(top: float, lang: str) -> dict:
    """Axis ticks at round steps labelled the Chinese way (2万, not 20k)."""
    if not top or math.isnan(top) or top <= 0:
        return {}
    raw_step = top / TICK_COUNT
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    ticks = [i * step for i in range(int(top // step) + 2)]
    return {"tickvals": ticks, "ticktext": [format_number(v, lang) for v in ticks]}


def value_axis_spec(top: float, unit: str, lang: str) -> dict:
    """The value axis up to `top`: 0–110 for a percentage (room for the labels), round steps otherwise."""
    if unit == "%":
        return {"range": [0, RATE_AXIS_TOP], "tickvals": [0, 20, 40, 60, 80, 100]}
    return {**value_ticks(top, lang), "range": [0, top * 1.18] if top > 0 else None}


def title_text(title: str, unit: str, lang: str) -> str:
    """The unit in the title: a one-character CJK unit on a rotated axis title reads sideways."""
    return t("title_with_unit", lang, title=title, unit=unit) if unit else title


def layout_spec(title: str) -> dict:
    """What every chart's layout shares: title, CJK font, size, margins, legend below."""
    return {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT_FAMILY, "size": 13},
        "height": CHART_HEIGHT,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "separators": ".,",
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "yaxis": {"gridcolor": "#e9ecef", "rangemode": "tozero"},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
    }


def hover_texts(rows: pd.DataFrame, unit: str, lang: str) -> list[str]:
    """Area, breakdown, year, value and unit of each point, with why it is marked (derived, flagged), and
    its review status where the rows carry one (the `review` column: words panels.py adds only where
    reviewers are at work, so an unreviewed value is never shown in a chart without saying so)."""
    derived = t("cov_derived", lang)
    columns = ("area", "series", "year_label", "text", "derived", "flagged", "flags")
    reviews = rows["review"].tolist() if "review" in rows else [""] * len(rows)
    review_label = t("rv_mark_label", lang)
    lines = []
    cells = (rows[c].tolist() for c in columns)
    for area, series, year, text, is_derived, flagged, flags, review in zip(*cells, reviews, strict=True):
        notes = [derived] * bool(is_derived) + ([flags_words(flags, lang)] if flagged else [])
        note = f"<br>({'; '.join(notes)})" if notes else ""
        status = f"<br>{review_label}{review}" if review else ""
        series = f" · {series}" if series else ""
        lines.append(f"<b>{area}</b>{series}<br>{year}: {text} {unit}{note}{status}")
    return lines


def area_labels(rows: pd.DataFrame) -> list[str]:
    return [
        HOME_MARK + area if home else area for area, home in zip(rows["area"], rows["is_home"], strict=True)
    ]


def below_target(rows: pd.DataFrame, target: float | None) -> pd.Series:
    """Which values fall short of the target (none without a target)."""
    return rows["shown"] < target if target is not None else pd.Series(False, index=rows.index)


def legend_marker_traces(rows: pd.DataFrame, lang: str, target: float | None = None) -> list[dict]:
    """Legend entries explaining the hatching, the red outline and the below-target colour, only when
    the chart uses them."""
    entries = [
        (below_target(rows, target).any(), "legend_below_target", {"color": BELOW_TARGET_COLOUR}),
        (
            rows["derived"].any(),
            "legend_derived",
            {"color": "#adb5bd", "pattern": {"shape": DERIVED_PATTERN}},
        ),
        (
            rows["flagged"].any(),
            "legend_flagged",
            {"color": "white", "line": {"color": FLAG_OUTLINE, "width": 3}},
        ),
    ]
    target_text = f"{target:g}" if target is not None else ""
    return [
        {"type": "bar", "x": [None], "y": [None], "name": t(key, lang, t=target_text), "marker": marker}
        for used, key, marker in entries
        if used
    ]


def target_marks(target: float | None, lang: str) -> tuple[list[dict], list[dict]]:
    """The target as a dashed line across the chart with its label: (shapes, annotations); none without."""
    if target is None:
        return [], []
    line = {"color": TARGET_COLOUR, "dash": "dash", "width": 2}
    shape = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": target, "y1": target}
    label = {
        "text": t("target_line", lang, t=f"{target:g}"),
        "xref": "x domain",
        "x": 1,
        "xanchor": "right",
        "yref": "y",
        "y": target,
        "yanchor": "top",
        "showarrow": False,
        "bgcolor": "white",
        "font": {"color": TARGET_COLOUR},
    }
    return [shape | {"line": line}], [label]


def missing_marks(missing: Sequence[str], lang: str) -> list[dict]:
    """未报告 where a selected area gave no value: a gap is shown as a gap, never as a zero bar. In two
    lines in English (`not / reported`): one line is wider than an area's slot on a phone."""
    text = t("missing_mark", lang)
    return [
        {"x": area, "y": 0, "yanchor": "bottom", "showarrow": False, "text": text, "font": MISSING_FONT}
        for area in missing
    ]


def lean_template(name: str = "plotly") -> dict:
    """plotly's default template cut to what these charts draw (the page's look, bars, lines and heat
    maps): a figure carries its template, and the whole one (maps, 3D scenes, 20 other trace types) is
    7 kB of every chart's payload and deep-copied into every figure built."""
    whole = pio.templates[name].to_plotly_json()
    unused = {"geo", "polar", "scene", "ternary", "mapbox", "map"}
    return {
        "layout": {k: v for k, v in whole["layout"].items() if k not in unused},
        "data": {k: v for k, v in whole["data"].items() if k in TRACE_TYPES},
    }


TRACE_TYPES = ("bar", "scatter", "heatmap")  # every trace type the builders here draw
TEMPLATE = lean_template()


class SentAsIs(go.Figure):
    """A go.Figure whose JSON form is its own data and layout, not a deep copy of them walked for numpy
    arrays (which the builders here never put in a figure): Dash encodes every chart of a panel once a
    response, and that copy cost more than building the figure. Edits (update_layout) still show."""

    def to_plotly_json(self) -> dict:
        return {"data": self._data, "layout": self._layout}


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from dicts already in plotly's schema, not validated again: validating every property
    costs ten times the drawing, and the builders run on every request for a view not seen before."""
    return SentAsIs({"data": data, "layout": {"template": TEMPLATE, **layout}}, _validate=False)


def bar_figure(
    rows: pd.DataFrame,
    title: str,
    unit: str,
    lang: str,
    label_years: bool,
    target: float | None = None,
    missing: Sequence[str] = (),
    medians: Sequence[MedianLine] = (),
) -> go.Figure:
    """Areas side by side, one bar group per area, one colour per breakdown (level, kind...); with a
    target, the bars short of it in their own colour; `missing` areas keep their place, marked 未报告;
    `medians` (peer_context.median_lines) drawn as dashed lines across."""
    area_order = list(dict.fromkeys(area_labels(rows))) + list(missing)
    data = [
        vertical_bars(
            group, series, title, SERIES_COLOURS[i % len(SERIES_COLOURS)], unit, lang, label_years, target
        )
        for i, (series, group) in enumerate(rows.groupby("series", sort=False))
    ]
    shapes, labels = target_marks(target, lang)
    layout = layout_spec(title_text(title, unit, lang))
    layout |= {
        "barmode": "group",
        # every area its slot, the 未报告 ones too: plotly's own range ends at the last bar, which put the
        # label of a missing last area on the chart's edge
        "xaxis": {
            "categoryorder": "array",
            "categoryarray": area_order,
            "range": [-0.5, len(area_order) - 0.5],
        },
        "yaxis": {**layout["yaxis"], **value_axis_spec(rows["shown"].max(), unit, lang)},
        "shapes": shapes + median_marks(medians, upright=True)[0],  # labelled by the shapes themselves
        "annotations": labels + missing_marks(missing, lang),
        # 4-7 bars a group squeezed their labels to 5 px: a label that does not fit at 10 px is hidden (the
        # hover still gives the value)
        "uniformtext": {"minsize": 10, "mode": "hide"},
    }
    return figure(data + legend_marker_traces(rows, lang, target), layout)


def bar_spec(
    group: pd.DataFrame,
    series: str,
    title: str,
    unit: str,
    lang: str,
    year_label: str | None,
    colours: list[str],
    outline_width: int,
) -> dict:
    """What every bar trace holds: value labels (with `year_label` formatting the year), hover, a fact id
    per bar, the fill `colours`, flagged and home bars outlined, derived values hatched."""
    outlined = [f or h for f, h in zip(group["flagged"], group["is_home"], strict=True)]
    return {
        "type": "bar",
        "name": series or title,
        "showlegend": bool(series),
        "text": [
            f"{value}{FLAG_MARK * flagged}" + (year_label.format(year=year) if year_label else "")
            for value, flagged, year in zip(group["text"], group["flagged"], group["year_label"], strict=True)
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": hover_texts(group, unit, lang),
        "hoverinfo": "text",
        "customdata": fact_ids(group),
        "marker": {
            "color": colours,
            "opacity": 1.0,
            "line": {
                "color": [FLAG_OUTLINE if f else HOME_OUTLINE for f in group["flagged"]],
                "width": [outline_width if o else 0 for o in outlined],
            },
            # derived bars hatched white over their own colour, drawn as "replace": the default template's
            # "overlay" makes plotly.js read the whole colour array as one colour, logging an "Invalid color
            # specifier" warning per bar (~200 on the default view)
            "pattern": {
                "shape": [DERIVED_PATTERN if d else "" for d in group["derived"]],
                "fillmode": "replace",
                "bgcolor": colours,
                "fgcolor": "#ffffff",
            },
        },
    }


def vertical_bars(
    group: pd.DataFrame,
    series: str,
    title: str,
    colour: str,
    unit: str,
    lang: str,
    label_years: bool,
    target: float | None,
) -> dict:
    """One breakdown's bars, the home area outlined, flagged values outlined red; a fact id per bar."""
    colours = [BELOW_TARGET_COLOUR if below else colour for below in below_target(group, target)]
    spec = bar_spec(group, series, title, unit, lang, "<br>{year}" if label_years else None, colours, 3)
    return spec | {"x": area_labels(group), "y": group["shown"].tolist()}


def line_bounds(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[tuple[str, str], int, int]]]:
    """`rows` line after line (each by year), and each line's (area, series), start and end in them: one
    pass over the rows (a trend draws a few hundred at most), not a groupby per chart."""
    lines: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(zip(rows["area"].tolist(), rows["series"].tolist(), strict=True)):
        if not (pd.isna(key[0]) or pd.isna(key[1])):  # as groupby: no line without an area
            lines.setdefault(key, []).append(position)
    years = rows["year"].tolist()
    ordered = [sorted(at, key=years.__getitem__) for at in lines.values()]
    by_line = rows.iloc[[position for at in ordered for position in at]]
    bounds = [0, *accumulate(map(len, ordered))]
    return by_line, list(zip(lines, bounds[:-1], bounds[1:], strict=True))


def trend_figure(
    rows: pd.DataFrame,
    title: str,
    unit: str,
    lang: str,
    target: float | None = None,
    years: tuple[int, int] | None = None,
) -> go.Figure:
    """One line per area (and breakdown) over the selected `years` (every one on the axis, reported or
    not); the home area drawn thicker."""
    by_line, bounds = line_bounds(rows)
    points = line_points(by_line, unit, lang)
    offsets = line_offsets(len(bounds))
    data = [
        trend_line(line_slice(points, start, end), area, series, i, offsets[i], len(bounds) == 1, lang)
        for i, ((area, series), start, end) in enumerate(bounds)
    ]
    shapes, labels = target_marks(target, lang)
    layout = layout_spec(title_text(title, unit, lang))
    layout |= {
        "xaxis": year_axis_spec(years or (int(rows["year"].min()), int(rows["year"].max()))),
        "yaxis": {**layout["yaxis"], **value_axis_spec(rows["shown"].max(), unit, lang)},
        "shapes": shapes,
        "annotations": labels,
    }
    return figure(data, layout)


def year_axis_spec(years: tuple[int, int]) -> dict:
    """Every year of the range a tick, with room at both ends: the chosen range whatever was reported."""
    first, last = min(years), max(years)
    ticks = list(range(first, last + 1))
    return {
        "range": [first - YEAR_PAD, last + YEAR_PAD],
        "tickvals": ticks,
        "ticktext": [str(y) for y in ticks],
    }


def line_offsets(n_lines: int) -> list[float]:
    """Each line's shift along the year axis, centred on the year: markers of one year side by side."""
    if n_lines < 2:
        return [0.0] * n_lines
    step = min(LINE_STEP, LINE_SPREAD / (n_lines - 1))
    return [(i - (n_lines - 1) / 2) * step for i in range(n_lines)]


def line_points(rows: pd.DataFrame, unit: str, lang: str) -> dict[str, list]:
    """What a trend's line draws of each row (see `line_bounds`), a column at a time for every line at
    once: per line, pandas' column look-ups would cost more than the line."""
    columns = ("year", "shown", "is_home", "derived", "text", "flagged", "period", "period_note")
    points = {c: rows[c].tolist() for c in columns}
    return points | {"hover": hover_texts(rows, unit, lang), "fact": fact_ids(rows)}


def line_slice(points: dict[str, list], start: int, end: int) -> dict[str, list]:
    """One line's points of `line_points`."""
    return {column: cells[start:end] for column, cells in points.items()}


def point_labels(points: dict[str, list], with_values: bool, lang: str) -> list[str]:
    """What is written on a trend's points: the value only when the chart has one line (lines of the same
    year would overprint; the hover gives it), and always the flag mark and a part-year period's note
    (`截至2023年8月`) on the point it belongs to."""
    cells = zip(points["text"], points["flagged"], points["period"], points["period_note"], strict=True)
    labels = []
    for value, flagged, period, note in cells:
        parts = [((value if with_values else "") + FLAG_MARK * flagged).strip()]
        if period != "year":
            parts.append(period_note_words(note, period, lang))
        labels.append("<br>".join(part for part in parts if part))
    return labels


def trend_line(
    points: dict[str, list],
    area: str,
    series: str,
    position: int,
    offset: float,
    with_values: bool,
    lang: str,
) -> dict:
    """One area's (and breakdown's) values over the years in its colour and marker, shifted by `offset`
    years; a line only through two years or more; the home area thicker."""
    home = any(points["is_home"])
    flagged = points["flagged"]
    symbol = LINE_SYMBOLS[position % len(LINE_SYMBOLS)]
    return {
        "type": "scatter",
        "x": [year + offset for year in points["year"]],
        "y": points["shown"],
        "name": (HOME_MARK if home else "") + area + (f" · {series}" if series else ""),
        "mode": "lines+markers+text" if len(points["year"]) > 1 else "markers+text",
        "text": point_labels(points, with_values, lang),
        "textposition": "top center",
        "cliponaxis": False,
        "hovertext": points["hover"],
        "hoverinfo": "text",
        "customdata": points["fact"],
        "line": {"width": 4 if home else 2, "color": SERIES_COLOURS[position % len(SERIES_COLOURS)]},
        "marker": {
            "size": 10,
            "symbol": [f"{symbol}-open" if d else symbol for d in points["derived"]],
            "line": {"color": [FLAG_OUTLINE if f else HOME_OUTLINE for f in flagged], "width": 2},
        },
    }


def empty_figure(title: str, message: str) -> go.Figure:
    """A chart frame that says nothing was reported: missing is shown as missing, never as 0."""
    spec = layout_spec(title)
    return figure(
        [],
        spec
        | {
            "annotations": [
                {"text": message, "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}
            ],
            "xaxis": {"visible": False},
            "yaxis": spec["yaxis"] | {"visible": False},
        },
    )
