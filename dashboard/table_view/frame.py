"""The rows of the table view, as pure pandas steps over the query's values: one row per (area, indicator,
dims) with the value as the charts show it (every digit), its year, its rank among the areas of its level
and its change since the year before; kept with the numbers behind the text, so sorting is by number."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

import pandas as pd

from dashboard.i18n import t
from dashboard.numbers import format_numbers, format_values
from dashboard.review.marks import status_words
from dashboard.shaping import (
    DIM_COLUMNS,
    dim_names,
    dim_orders,
    fact_ids,
    localized,
    series_labels,
    series_orders,
    shown_values,
    unit_label,
)
from dashboard.tables import AREA_CODE, STATUS  # AREA_CODE: kept beside the rows, never sent

SHOWN_COLUMNS = ("area", "indicator", "value", "year", "rank", "change")  # and STATUS with marks
WHOLE_YEAR = "year"  # the period of a whole year's figure: only two of these are compared
# The area table's columns a row of either view carries, as it names them
AREA_COLUMNS = {"code": AREA_CODE, "short_name": "area", "level": "area_level", "population": "population"}
# A shown column -> the column it sorts on: formatted numbers sort by their numbers
SORT_KEYS = {column: column for column in (*SHOWN_COLUMNS, STATUS)} | {
    "value": "value_number",
    "rank": "rank_number",
    "change": "change_number",
}
COLUMNS = (*SHOWN_COLUMNS, STATUS, "value_number", "rank_number", "change_number", "fact", AREA_CODE)


def table_frame(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    dim_values: pd.DataFrame,
    areas: pd.DataFrame,
    lang: str,
    per: str | None,
) -> pd.DataFrame:
    """Every row of the table view, in catalog order of the indicators and their dims, best rank first;
    `values` are `queries.table_view_values`, `areas` the area table (names, levels, population)."""
    labels, orders = dim_names(dim_values, lang), dim_orders(dim_values)
    build = partial(indicator_rows, labels=labels, orders=orders, lang=lang, per=per)
    return by_indicator(values, indicators, areas, build, COLUMNS)


def by_indicator(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    areas: pd.DataFrame,
    build: Callable[[pd.DataFrame, pd.Series], pd.DataFrame],
    columns: Sequence[str],
) -> pd.DataFrame:
    """`build(rows, indicator)` for each indicator with values, in catalog order, over its values joined
    to their areas' names, level and population (those `areas` has); an empty frame of `columns` when
    none has any (the table and the change view alike)."""
    names = areas[[c for c in AREA_COLUMNS if c in areas]].astype({"population": float})
    names = names.rename(columns=AREA_COLUMNS)
    rows = values.merge(names, on=AREA_CODE, how="left")
    groups = dict(tuple(rows.groupby("indicator", sort=False)))
    frames = [build(groups[ind["id"]], ind) for _, ind in indicators.iterrows() if ind["id"] in groups]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(columns))


def indicator_rows(
    rows: pd.DataFrame,
    indicator: pd.Series,
    labels: Mapping[tuple[str, str], str],
    orders: Mapping[tuple[str, str], int],
    lang: str,
    per: str | None,
) -> pd.DataFrame:
    """One indicator's rows of the table view: its dims in the catalog's order, then cities before counties,
    best rank first."""
    dims = list(indicator["dims"])
    shown = shown_values(rows, indicator, per)
    whole_years = (rows["period"] == WHOLE_YEAR) & (rows["previous_period"] == WHOLE_YEAR)  # else no change
    change = shown_values(rows.assign(value=rows["value"] - rows["previous_value"]), indicator, per)
    change = change.where(whole_years)
    rank, ranked = ranks(rows, shown, indicator)
    name, unit = localized(indicator, "name", lang), unit_label(indicator, lang, per)
    frame = pd.DataFrame(
        {
            "area": rows["area"],
            "indicator": [
                f"{name} · {series}" if series else name for series in series_labels(rows, dims, labels)
            ],
            "value": with_unit(format_values(shown, rows["approx"].tolist(), lang, exact=True), unit, lang),
            STATUS: status_words(rows["status"], lang),
            "year": rows["year"],
            "rank": rank_texts(rank, ranked, lang),
            "change": signed(format_numbers(change, lang, exact=True), change),
            "value_number": shown.round(4),
            "rank_number": rank,
            "change_number": change.round(4),
            "fact": fact_ids(rows),
            AREA_CODE: rows[AREA_CODE],
            "order": series_orders(rows, dims, orders),
            "area_level": rows["area_level"],
        }
    )
    order = ["order", "area_level", "rank_number", AREA_CODE]
    return frame.sort_values(order, na_position="last", kind="stable").drop(columns=["order", "area_level"])


def ranks(rows: pd.DataFrame, shown: pd.Series, indicator: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each row's rank among the rows of its dims and area level (ties share the best rank), and how many
    are ranked; none for an indicator with no better direction, or a row with no value shown."""
    better = indicator["higher_is_better"]
    if pd.isna(better):
        empty = pd.Series(float("nan"), index=rows.index)
        return empty, empty
    keys = [rows["area_level"].fillna(""), *(rows[d].fillna("") for d in DIM_COLUMNS)]
    by_peers = shown.groupby(keys, sort=False)
    return by_peers.rank(method="min", ascending=not bool(better)), by_peers.transform("count")


def rank_texts(rank: pd.Series, ranked: pd.Series, lang: str) -> list[str]:
    """`第2/5` (zh), `2 of 5` (en); empty where there is no rank."""
    return [
        t("rank_of", lang, rank=int(r), n=int(n)) if pd.notna(r) else ""
        for r, n in zip(rank.tolist(), ranked.tolist(), strict=True)
    ]


def with_unit(texts: list[str], unit: str, lang: str) -> list[str]:
    """`68,949` -> `68,949起` (zh), `68,949 cases` (en), `95.5%`; no value, no unit."""
    gap = "" if lang == "zh" or unit == "%" else " "
    return [f"{text}{gap}{unit}" if text else "" for text in texts]


def signed(texts: list[str], numbers: pd.Series) -> list[str]:
    """A change as text with its sign: `+120`, `-3.5`, `0`."""
    return [f"+{text}" if number > 0 else text for text, number in zip(texts, numbers.tolist(), strict=True)]
