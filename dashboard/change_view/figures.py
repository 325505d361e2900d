"""Pure figure builders of the change view: one breakdown of one indicator's changes (see frame.py) in, a
go.Figure of diverging horizontal bars out, largest rise on top; no I/O."""

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
    value_ticks,
)
from dashboard.i18n import t
from dashboard.numbers import format_numbers, format_values
from dashboard.ranked_figures import (
    BAR_ROW_PX,
    LEGEND_BELOW_PX,
    RANKED_MARGIN_PX,
    rest_annotation,
    rest_label,
)
from dashboard.shaping import RANKED_EACH_END, RankedRest, ranked_rows
from dashboard.table_view.frame import signed

IMPROVED, WORSENED, NEUTRAL = "#2f9e44", "#e03131", "#adb5bd"
ZERO_LINE = "#495057"
LABEL_ROOM = 2.1  # the value axis reaches this far past the longest bar, either side: room for its label


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
    horizontal bars from zero, largest rise on top; ranked, the largest rises and falls and the home area,
    the rest in one row. Each bar carries the fact id of its latest value."""
    ordered = rows.assign(rank_key=rows["change"]).sort_values(
        ["change", "area_code"], ascending=[False, True]
    )
    kept, rest = ranked_rows(ordered, home) if ranked else (ordered, None)
    labels = bar_labels(kept)
    delta_unit = change_unit(unit, is_rate, lang)
    changes, pcts = change_parts(kept, lang)
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": kept["change"].tolist(),
        "y": labels,
        "text": [change + pct for change, pct in zip(changes, pcts, strict=True)],
        "textposition": "outside",
        "textfont": {"size": 11},
        "cliponaxis": False,
        "hovertext": hover_texts(kept, unit, delta_unit, lang),
        "hoverinfo": "text",
        "customdata": kept["fact"].tolist(),
        "showlegend": False,
        "marker": {
            "color": bar_colours(kept["change"], higher_is_better),
            "line": {"color": HOME_OUTLINE, "width": [3 if h else 0 for h in kept["is_home"]]},
        },
    }
    order = labels
    # the largest rises, the row for the rest, the home area when it ranks among them, the largest falls
    if rest is not None:
        order = [*labels[:RANKED_EACH_END], rest_label(rest, lang), *labels[RANKED_EACH_END:]]
    legend = legend_traces(kept["change"], higher_is_better, lang)
    layout = change_layout(title_text(title, delta_unit, lang), order, kept["change"], rest, delta_unit, lang)
    return figure([bars, *legend], layout)


def change_layout(
    title: str, order: list[str], change: pd.Series, rest: RankedRest | None, unit: str, lang: str
) -> dict:
    """Rows top-down in `order`, room on both sides of zero for the bar labels, the rest's summary."""
    reach = float(change.abs().max()) or 1.0
    side = LABEL_ROOM * reach  # room beyond the longest bar for its label
    height = max(CHART_HEIGHT, RANKED_MARGIN_PX + BAR_ROW_PX * len(order))
    low = -side if (change < 0).any() else -reach * 0.05
    high = side if (change > 0).any() else reach * 0.05
    return layout_spec(title) | {
        "height": height,
        "yaxis": {"categoryorder": "array", "categoryarray": order[::-1], "automargin": True},
        "xaxis": {
            "gridcolor": "#e9ecef",
            "zeroline": True,
            "zerolinecolor": ZERO_LINE,
            "zerolinewidth": 2,
            "range": [low, high],
            **both_sides_ticks(side, lang),
        },
        "legend": {"orientation": "h", "x": 0, "y": -LEGEND_BELOW_PX / height, "yanchor": "top"},
        "margin": {"l": 10, "r": 20, "t": 50, "b": 60},
        "annotations": [rest_note_across(rest, unit, lang)] if rest is not None else [],
    }


def rest_note_across(rest: RankedRest, unit: str, lang: str) -> dict:
    """The ranked charts' summary of the areas left out, written from the plot's left edge: from zero, as
    they write it, it would run off a chart whose zero sits in the middle."""
    note = rest_annotation(rest, unit, lang)
    return note | {"xref": "paper", "x": 0, "font": note["font"] | {"size": 10}}


def both_sides_ticks(reach: float, lang: str) -> dict:
    """Round ticks either side of zero, labelled the Chinese way (-2万, 2万), as the charts' value axes."""
    ticks = value_ticks(reach, lang)
    if not ticks:
        return {}
    values = [v for v in ticks["tickvals"] if v <= reach]
    texts = ticks["ticktext"][: len(values)]
    return {
        "tickvals": [-v for v in values[:0:-1]] + values,
        "ticktext": [f"-{text}" for text in texts[:0:-1]] + texts,
    }


def legend_traces(change: pd.Series, higher_is_better: object, lang: str) -> list[dict]:
    """Legend entries for the colours the chart uses: improved, worsened, no change or no direction."""
    colours = set(bar_colours(change, higher_is_better))
    entries = [(IMPROVED, "change_improved"), (WORSENED, "change_worsened"), (NEUTRAL, "change_neutral")]
    return [
        {"type": "bar", "x": [None], "y": [None], "name": t(key, lang), "marker": {"color": colour}}
        for colour, key in entries
        if colour in colours
    ]
