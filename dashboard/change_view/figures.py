"""Pure figure builders of the change view: one breakdown of one indicator's changes (see frame.py) in, a
go.Figure of diverging horizontal bars out, largest rise on top; no I/O.

Each row reads: area name (left axis), the bar from zero, the change as text (right axis). The change is
not written at the bar's end: the room it needs there is in pixels, the room a chart has is not known to
the server, and on a phone the falls' labels ran over the area names and the rises' off the chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import (
    CHART_HEIGHT,
    HOME_MARK,
    HOME_OUTLINE,
    figure,
    layout_spec,
    title_text,
)
from dashboard.i18n import t
from dashboard.numbers import format_numbers, format_values
from dashboard.ranked_figures import (
    BAR_ROW_PX,
    LEGEND_BELOW_PX,
    RANKED_MARGIN_PX,
    ROOM,
    VALUE_AXIS,
    rest_label,
    rest_value,
    round_top,
    row_axis,
    value_column,
)
from dashboard.shaping import RANKED_EACH_END, RankedRest, ranked_rows
from dashboard.table_view.frame import signed

IMPROVED, WORSENED, NEUTRAL = "#2f9e44", "#e03131", "#adb5bd"
ZERO_LINE = "#495057"


def change_unit(unit: str, is_rate: bool, lang: str) -> str:
    """The unit a change is counted in: the indicator's own, percentage points (个百分点, pp) for a rate."""
    return t("change_pp_unit", lang) if is_rate else unit


def bar_colours(change: pd.Series, higher_is_better: object) -> list[str]:
    """Green where the change is an improvement, red where it is a worsening; grey with no better direction
    (the catalog's NULL) or no change."""
    if pd.isna(higher_is_better):
        return [NEUTRAL] * len(change)
    better = bool(higher_is_better)
    return [NEUTRAL if c == 0 else IMPROVED if (c > 0) == better else WORSENED for c in change.tolist()]


def change_parts(rows: pd.DataFrame, lang: str) -> tuple[list[str], list[str]]:
    """Each change as text (`+12`, `-3.5`; `≈` where one of the two values was approximate, 500余) and a
    count's % change beside it (` (+8.2%)`; empty for a rate, or from 0)."""
    changes = signed(format_numbers(rows["change"], lang, exact=True), rows["change"])
    pcts = signed(format_numbers(rows["change_pct"], lang), rows["change_pct"])
    approx = (rows["approx"].notna() | rows["previous_approx"].notna()).tolist()
    return (
        [("≈" if rough else "") + change for change, rough in zip(changes, approx, strict=True)],
        [f" ({pct}%)" if pct else "" for pct in pcts],
    )


def hover_texts(rows: pd.DataFrame, unit: str, delta_unit: str, lang: str) -> list[str]:
    """Area and breakdown, both years with both values, and the change in its unit."""
    latest = format_values(rows["shown"], rows["approx"].tolist(), lang, exact=True)
    previous = format_values(rows["previous_shown"], rows["previous_approx"].tolist(), lang, exact=True)
    changes, pcts = change_parts(rows, lang)
    gap = "" if lang == "zh" or unit == "%" else " "
    return [
        f"<b>{area}</b>{f' · {series}' if series else ''}<br>{year - 1}: {before}{gap}{unit}"
        f"<br>{year}: {after}{gap}{unit}<br>{t('change_line', lang, change=change)} {delta_unit}{pct}"
        for area, series, year, before, after, change, pct in zip(
            rows["area"], rows["series"], rows["year"], previous, latest, changes, pcts, strict=True
        )
    ]


def bar_labels(rows: pd.DataFrame) -> list[str]:
    """Area names, the home area starred; each with its years when the chart mixes latest years, and with
    its code where two areas share a short name (four 朝阳), which would otherwise share one bar row."""
    years = rows["year"].tolist()
    mixed = len(set(years)) > 1
    shared = set(rows.loc[rows["area"].duplicated(), "area"])
    return [
        (HOME_MARK if home else "")
        + area
        + (f" {code}" if area in shared else "")
        + (f" ({year - 1}→{year})" if mixed else "")
        for area, code, home, year in zip(
            rows["area"], rows["area_code"], rows["is_home"], years, strict=True
        )
    ]


def ranked_changes(
    rows: pd.DataFrame, ranked: bool, home: str | None
) -> tuple[pd.DataFrame, RankedRest | None]:
    """The rows drawn, largest rise first (ranked: the largest rises and falls and the home area), and the
    rest in one summary (None when every row is drawn)."""
    ordered = rows.assign(rank_key=rows["change"]).sort_values(
        ["change", "area_code"], ascending=[False, True]
    )
    return ranked_rows(ordered, home) if ranked else (ordered, None)


def change_figure(
    rows: pd.DataFrame,
    title: str,
    unit: str,
    is_rate: bool,
    higher_is_better: object,
    lang: str,
    ranked: bool,
    home: str | None,
) -> go.Figure:
    """The changes of one breakdown (`rows`: status changed, one row per area, `is_home` marked) as
    horizontal bars from zero, largest rise on top, each change written in a column at the right; ranked,
    the largest rises and falls and the home area, the rest in one row. Each bar carries the fact id of
    its latest value."""
    kept, rest = ranked_changes(rows, ranked, home)
    labels = bar_labels(kept)
    delta_unit = change_unit(unit, is_rate, lang)
    changes, pcts = change_parts(kept, lang)
    texts = [change + pct for change, pct in zip(changes, pcts, strict=True)]
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": kept["change"].tolist(),
        "y": labels,
        "text": texts,  # written in the value column (VALUE_AXIS), not at the bar's end
        "textposition": "none",
        "hovertext": hover_texts(kept, unit, delta_unit, lang),
        "hoverinfo": "text",
        "customdata": kept["fact"].tolist(),
        "showlegend": False,
        "marker": {
            "color": bar_colours(kept["change"], higher_is_better),
            "line": {"color": HOME_OUTLINE, "width": [3 if h else 0 for h in kept["is_home"]]},
        },
    }
    order, values = labels, texts
    # the largest rises, the row for the rest, the home area when it ranks among them, the largest falls
    if rest is not None:
        order = [*labels[:RANKED_EACH_END], rest_label(rest, lang), *labels[RANKED_EACH_END:]]
        values = [*texts[:RANKED_EACH_END], rest_value(rest, lang), *texts[RANKED_EACH_END:]]
    legend = legend_traces(kept["change"], higher_is_better, lang)
    layout = change_layout(title_text(title, delta_unit, lang), order, values, kept["change"], rest, lang)
    return figure([bars, *legend], layout)


def change_layout(
    title: str,
    order: list[str],
    values: list[str],
    change: pd.Series,
    rest: RankedRest | None,
    lang: str,
) -> dict:
    """Rows top-down in `order`: names on the left axis, the changes (`values`) on the right one, both
    sized to their text by Plotly (automargin), so the bars get what is left whatever the screen."""
    reach = float(change.abs().max()) or 1.0
    height = max(CHART_HEIGHT, RANKED_MARGIN_PX + BAR_ROW_PX * len(order))
    low = -reach * ROOM if (change < 0).any() else -reach * 0.05
    high = reach * ROOM if (change > 0).any() else reach * 0.05
    return layout_spec(title) | {
        "height": height,
        "yaxis": row_axis(order),
        "yaxis2": value_column(order, values),
        "xaxis": {
            "gridcolor": "#e9ecef",
            "zeroline": True,
            "zerolinecolor": ZERO_LINE,
            "zerolinewidth": 2,
            "range": [low, high],
            **both_sides_ticks(reach, lang),
        },
        "legend": {"orientation": "h", "x": 0, "y": -LEGEND_BELOW_PX / height, "yanchor": "top"},
        "margin": {"l": 10, "r": 10, "t": 50, "b": 60},
        "annotations": [rest_median(rest, lang)] if rest is not None else [],
    }


def rest_median(rest: RankedRest, lang: str) -> dict:
    """A mark at the median change of the areas left out, on their row: the value column names it, the
    card's caption gives their count and range (a line too long for the row on a phone)."""
    return {
        "y": rest_label(rest, lang),
        "x": rest.median,
        "xref": "x",
        "showarrow": False,
        "text": "◆",
        "hovertext": rest_value(rest, lang),
        "font": {"size": 10, "color": ZERO_LINE},
    }


def both_sides_ticks(reach: float, lang: str) -> dict:
    """Three ticks: zero and the largest round value either side, labelled the Chinese way (-2万, 0, 2万):
    the changes are written beside their bars, and more ticks would not stay level on a phone."""
    largest = round_top(reach, lang)
    if largest is None:
        return {}
    top, text = largest
    return {"tickvals": [-top, 0, top], "ticktext": [f"-{text}", "0", text]}


def legend_traces(change: pd.Series, higher_is_better: object, lang: str) -> list[dict]:
    """Legend entries for the colours the chart uses: improved, worsened, no change or no direction."""
    colours = set(bar_colours(change, higher_is_better))
    entries = [(IMPROVED, "change_improved"), (WORSENED, "change_worsened"), (NEUTRAL, "change_neutral")]
    return [
        {
            "type": "bar",
            "x": [None],
            "y": [None],
            "yaxis": VALUE_AXIS,  # an axis is drawn only with a trace on it: these draw the value column
            "name": t(key, lang),
            "marker": {"color": colour},
        }
        for colour, key in entries
        if colour in colours
    ]
