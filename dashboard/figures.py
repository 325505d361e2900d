"""Pure figure builders: a shaped DataFrame (see shaping.py) in, a go.Figure out; no I/O.

Conventions every chart shares live here once: the font (SC glyphs first, or CJK comes out in Japanese
forms), the colours, how the home area, derived values and flagged values are marked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import t
from dashboard.numbers import format_number

FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"
SERIES_COLOURS = ("#1c7ed6", "#f59f00", "#37b24d", "#ae3ec9", "#1098ad", "#f76707", "#74b816", "#d6336c")
HOME_OUTLINE = "#212529"
FLAG_OUTLINE = "#e03131"
TARGET_COLOUR = "#c92a2a"
BELOW_TARGET_COLOUR = "#f08c00"  # bars short of the target: 98.8 under a 99 line looks level with it
DERIVED_PATTERN = "/"
HOME_MARK = "★ "
FLAG_MARK = " ⚠"
MISSING_FONT = {"size": 11, "color": "#868e96"}
CHART_HEIGHT = 380
# The toolbar's PNG: explicit size, so the file is IMAGE_SIZE × IMAGE_SCALE pixels whatever the window.
IMAGE_SIZE = (1200, 600)
IMAGE_SCALE = 2
TICK_COUNT = 5
RATE_AXIS_TOP = 110  # room above 100% for the value labels


def graph_config(filename: str) -> dict:
    """dcc.Graph config: no plotly logo, no "send to cloud" (no data leaves the machine), PNG at a fixed
    size and scale named for what it shows."""
    width, height = IMAGE_SIZE
    return {
        "displaylogo": False,
        "showSendToCloud": False,
        "toImageButtonOptions": {
            "format": "png",
            "scale": IMAGE_SCALE,
            "width": width,
            "height": height,
            "filename": filename,
        },
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


def _value_axis(fig: go.Figure, rows: pd.DataFrame, unit: str, lang: str, axis: str = "yaxis") -> None:
    if unit == "%":
        fig.update_layout({axis: {"range": [0, RATE_AXIS_TOP], "tickvals": [0, 20, 40, 60, 80, 100]}})
    else:
        top = rows["shown"].max()
        fig.update_layout({axis: {**value_ticks(top, lang), "range": [0, top * 1.18] if top > 0 else None}})


def title_text(title: str, unit: str, lang: str) -> str:
    """The unit in the title: a one-character CJK unit on a rotated axis title reads sideways."""
    return t("title_with_unit", lang, title=title, unit=unit) if unit else title


def _base_layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title={
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 16},
        },
        font={"family": FONT_FAMILY, "size": 13},
        height=CHART_HEIGHT,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=".,",
        legend={"orientation": "h", "y": -0.18, "x": 0},
        yaxis={"gridcolor": "#e9ecef", "rangemode": "tozero"},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    return fig


def _customdata(rows: pd.DataFrame) -> list[list]:
    """What a click needs to open the evidence: document, evidence start, figure span, evidence text."""

    def number(value: object) -> int | None:
        return None if pd.isna(value) else int(value)

    return [
        [doc, number(ev_start), number(start), number(end), evidence]
        for doc, ev_start, start, end, evidence in zip(
            rows["doc_id"], rows["evidence_start"], rows["start"], rows["end"], rows["evidence"], strict=True
        )
    ]


def _hover(rows: pd.DataFrame, unit: str, lang: str) -> list[str]:
    lines = []
    for row in rows.itertuples():
        series = f" · {row.series}" if row.series else ""
        notes = [t("cov_derived", lang)] * bool(row.derived) + [", ".join(row.flags)] * bool(row.flagged)
        note = f"<br>({'; '.join(notes)})" if notes else ""
        lines.append(f"<b>{row.area}</b>{series}<br>{row.year_label}: {row.text} {unit}{note}")
    return lines


def _area_label(rows: pd.DataFrame) -> list[str]:
    return [
        HOME_MARK + area if home else area for area, home in zip(rows["area"], rows["is_home"], strict=True)
    ]


def _below(rows: pd.DataFrame, target: float | None) -> pd.Series:
    """Which values fall short of the target (none without a target)."""
    return rows["shown"] < target if target is not None else pd.Series(False, index=rows.index)


def _legend_markers(fig: go.Figure, rows: pd.DataFrame, lang: str, target: float | None = None) -> None:
    """Legend entries explaining the hatching, the red outline and the below-target colour, only when
    the chart uses them."""
    if _below(rows, target).any():
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name=t("legend_below_target", lang, t=f"{target:g}"),
                marker={"color": BELOW_TARGET_COLOUR},
            )
        )
    if rows["derived"].any():
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name=t("legend_derived", lang),
                marker={"color": "#adb5bd", "pattern": {"shape": DERIVED_PATTERN}},
            )
        )
    if rows["flagged"].any():
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name=t("legend_flagged", lang),
                marker={"color": "white", "line": {"color": FLAG_OUTLINE, "width": 3}},
            )
        )


def _target_line(fig: go.Figure, target: float | None, lang: str) -> None:
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": TARGET_COLOUR, "dash": "dash", "width": 2},
            annotation_text=t("target_line", lang, t=f"{target:g}"),
            annotation_position="bottom right",
            annotation_bgcolor="white",
            annotation_font_color=TARGET_COLOUR,
        )


def _missing_marks(fig: go.Figure, missing: Sequence[str], lang: str) -> None:
    """未报告 where a selected area gave no value: a gap is shown as a gap, never as a zero bar."""
    for area in missing:
        fig.add_annotation(
            x=area, y=0, yanchor="bottom", showarrow=False, text=t("cov_missing", lang), font=MISSING_FONT
        )


def bar_figure(
    rows: pd.DataFrame,
    title: str,
    unit: str,
    lang: str,
    label_years: bool,
    target: float | None = None,
    missing: Sequence[str] = (),
) -> go.Figure:
    """Areas side by side, one bar group per area, one colour per breakdown (level, kind...); with a
    target, the bars short of it in their own colour; `missing` areas keep their place, marked 未报告."""
    fig = go.Figure()
    area_order = list(dict.fromkeys(_area_label(rows))) + list(missing)
    for position, (series, group) in enumerate(rows.groupby("series", sort=False)):
        text = [
            f"{value}{FLAG_MARK * flagged}" + (f"<br>{year}" if label_years else "")
            for value, flagged, year in zip(group["text"], group["flagged"], group["year_label"], strict=True)
        ]
        outline = [
            FLAG_OUTLINE if flagged else HOME_OUTLINE if home else "rgba(0,0,0,0)"
            for flagged, home in zip(group["flagged"], group["is_home"], strict=True)
        ]
        colour = SERIES_COLOURS[position % len(SERIES_COLOURS)]
        fig.add_trace(
            go.Bar(
                x=_area_label(group),
                y=group["shown"],
                name=series or title,
                showlegend=bool(series),
                text=text,
                textposition="outside",
                cliponaxis=False,
                hovertext=_hover(group, unit, lang),
                hoverinfo="text",
                customdata=_customdata(group),
                marker={
                    "color": [BELOW_TARGET_COLOUR if below else colour for below in _below(group, target)],
                    "opacity": 1.0,
                    "line": {"color": outline, "width": [3 if c != "rgba(0,0,0,0)" else 0 for c in outline]},
                    "pattern": {"shape": [DERIVED_PATTERN if d else "" for d in group["derived"]]},
                },
            )
        )
    _legend_markers(fig, rows, lang, target)
    _target_line(fig, target, lang)
    _missing_marks(fig, missing, lang)
    fig.update_layout(barmode="group", xaxis={"categoryorder": "array", "categoryarray": area_order})
    _base_layout(fig, title_text(title, unit, lang))
    _value_axis(fig, rows, unit, lang)
    return fig


def trend_figure(
    rows: pd.DataFrame, title: str, unit: str, lang: str, target: float | None = None
) -> go.Figure:
    """One line per area (and breakdown) over the selected years; the home area drawn thicker."""
    fig = go.Figure()
    for position, ((area, series), group) in enumerate(rows.groupby(["area", "series"], sort=False)):
        group = group.sort_values("year")
        home = bool(group["is_home"].any())
        name = (HOME_MARK if home else "") + area + (f" · {series}" if series else "")
        fig.add_trace(
            go.Scatter(
                x=group["year"],
                y=group["shown"],
                name=name,
                mode="lines+markers+text",
                text=[f"{v}{FLAG_MARK * f}" for v, f in zip(group["text"], group["flagged"], strict=True)],
                textposition="top center",
                hovertext=_hover(group, unit, lang),
                hoverinfo="text",
                customdata=_customdata(group),
                line={"width": 4 if home else 2, "color": SERIES_COLOURS[position % len(SERIES_COLOURS)]},
                marker={
                    "size": 10,
                    "symbol": ["circle-open" if d else "circle" for d in group["derived"]],
                    "line": {
                        "color": [FLAG_OUTLINE if f else HOME_OUTLINE for f in group["flagged"]],
                        "width": 2,
                    },
                },
            )
        )
    _target_line(fig, target, lang)
    fig.update_xaxes(dtick=1, tickformat="d")
    _base_layout(fig, title_text(title, unit, lang))
    _value_axis(fig, rows, unit, lang)
    return fig


def empty_figure(title: str, message: str) -> go.Figure:
    """A chart frame that says nothing was reported: missing is shown as missing, never as 0."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base_layout(fig, title)
