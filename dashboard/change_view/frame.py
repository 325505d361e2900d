"""The change view's rows, as pure pandas steps over `queries.table_view_values`: one row per (area,
indicator, dims) with the values of the latest year and the year before as the charts show them (per 10k
residents where asked), the change between them, and whether it can be drawn at all."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd

from dashboard.shaping import (
    dim_names,
    dim_orders,
    fact_ids,
    series_labels,
    series_orders,
    shown_values,
)
from dashboard.table_view.frame import WHOLE_YEAR, by_indicator
from dashboard.tables import AREA_CODE

# What became of an area's latest value: drawn as a change, no value the year before (无上年数据), or
# one of the two figures is not a whole year's (part-year, cumulative): never compared
CHANGED, NO_PREVIOUS, NOT_COMPARABLE = "changed", "no_previous", "not_comparable"
COLUMNS = (
    "indicator",
    "series",
    "series_order",
    AREA_CODE,
    "area",
    "year",
    "shown",
    "previous_shown",
    "change",
    "change_pct",
    "approx",
    "previous_approx",
    "fact",
    "status",
)


def change_frame(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    dim_values: pd.DataFrame,
    areas: pd.DataFrame,
    lang: str,
    per: str | None,
) -> pd.DataFrame:
    """Every row of the change view, indicators in catalog order, their breakdowns in the catalog's order;
    `values` are `queries.table_view_values`, `areas` the area table (short names, population)."""
    labels, orders = dim_names(dim_values, lang), dim_orders(dim_values)
    build = partial(indicator_changes, labels=labels, orders=orders, per=per)
    return by_indicator(values, indicators, areas, build, COLUMNS)


def indicator_changes(
    rows: pd.DataFrame,
    indicator: pd.Series,
    labels: Mapping[tuple[str, str], str],
    orders: Mapping[tuple[str, str], int],
    per: str | None,
) -> pd.DataFrame:
    """One indicator's rows: shown values of both years, the change (in the shown unit; percentage points
    for a rate) and the % change of a count (none for a rate, or from 0)."""
    dims = list(indicator["dims"])
    shown = shown_values(rows, indicator, per)
    previous = shown_values(rows.assign(value=rows["previous_value"].astype(float)), indicator, per)
    whole_years = (rows["period"] == WHOLE_YEAR) & (rows["previous_period"] == WHOLE_YEAR)
    change = (shown - previous).where(whole_years)  # NaN too without a population, per 10k
    status = np.where(
        rows["previous_value"].isna(), NO_PREVIOUS, np.where(change.notna(), CHANGED, NOT_COMPARABLE)
    )
    base = previous.where(previous != 0)  # a % change from 0 is none
    pct = change / base.abs() * 100 if not indicator["is_rate"] else pd.Series(np.nan, index=rows.index)
    frame = pd.DataFrame(
        {
            "indicator": indicator["id"],
            "series": series_labels(rows, dims, labels),
            "series_order": series_orders(rows, dims, orders),
            AREA_CODE: rows[AREA_CODE],
            "area": rows["area"].fillna(rows[AREA_CODE]),
            "year": rows["year"],
            "shown": shown,
            "previous_shown": previous,
            "change": change,
            "change_pct": pct,
            "approx": rows["approx"],
            "previous_approx": rows["previous_approx"],
            "fact": fact_ids(rows),
            "status": status,
        }
    )
    return frame.sort_values(["series_order", AREA_CODE], kind="stable")
