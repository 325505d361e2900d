"""Pure pandas steps from the resolved values to what a chart or table shows: display values (per 10k
residents), series labels for dims, marked text ("500+"), year labels, and the home-first ranking."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.i18n import t
from dashboard.numbers import format_value

DIM_COLUMNS = ("level", "field", "kind", "role")
PER_10K = 10_000
RANKED_EACH_END = 10  # a ranked bar chart: the best 10 and the worst 10 areas, the rest summarised
RANKED_TREND_LINES = 5  # a ranked trend: the 5 best areas of the last year, the home area and the median


def localized(row: pd.Series | dict, base: str, lang: str) -> str:
    """`name_zh`/`name_en` style columns: the one for `lang`, falling back to zh."""
    return row.get(f"{base}_{lang}") or row[f"{base}_zh"]


def unit_label(indicator: pd.Series | dict, lang: str, per: str | None) -> str:
    """The unit a chart's axis shows: the catalog unit, per 10k residents where normalised."""
    unit = indicator["unit_en"] if lang == "en" else indicator["unit"]
    if per and not indicator["is_rate"]:
        return t("per_10k_unit", lang, unit=unit)
    return unit


def ratio_of(indicator: pd.Series | dict) -> tuple[str, str] | None:
    """(numerator, denominator) ids of a rate the catalog derives from two counts; None for others."""
    parts = indicator.get("ratio_of")
    return tuple(parts) if pd.api.types.is_list_like(parts) else None


def named_series(rows: pd.DataFrame, name: str, lang: str) -> pd.DataFrame:
    """Shaped rows whose series start with `name`, to draw several indicators' values in one chart, with
    every digit shown: two counts side by side are compared to the unit, not to three digits."""
    return rows.assign(
        series=[f"{name} · {s}" if s else name for s in rows["series"]],
        text=[
            format_value(shown, approx if pd.notna(approx) else None, lang, exact=True)
            for shown, approx in zip(rows["shown"], rows["approx"], strict=True)
        ],
    )


def dim_names(dim_values: pd.DataFrame, lang: str) -> dict[tuple[str, str], str]:
    """(dim, value) -> display name, from the catalog as loaded."""
    column = "name_en" if lang == "en" else "name_zh"
    return {
        (d, v): name
        for d, v, name in zip(dim_values["dim"], dim_values["value"], dim_values[column], strict=True)
    }


def dim_orders(dim_values: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(dim, value) -> the catalog's order, so 市级 comes before 县级 and the total last."""
    return {
        (d, v): int(o)
        for d, v, o in zip(dim_values["dim"], dim_values["value"], dim_values["sort_order"], strict=True)
    }


def series_labels(rows: pd.DataFrame, dims: list[str], names: dict[tuple[str, str], str]) -> list[str]:
    """The breakdown each value belongs to (市级, 人大代表建议 · 主办); empty for indicators without dims."""
    columns = [rows[d] for d in dims]
    return (
        [
            " · ".join(names.get((d, v), str(v)) for d, v in zip(dims, values, strict=True) if pd.notna(v))
            for values in zip(*columns, strict=True)
        ]
        if dims
        else [""] * len(rows)
    )


def period_marks(rows: pd.DataFrame, lang: str) -> list[str]:
    """`2022`, or `2023 非全年` / `2021-2023 累计` where the figure does not cover exactly one year."""
    return [
        str(year) if period == "year" else f"{year} {note or t(period, lang)}"
        for year, period, note in zip(rows["year"], rows["period"], rows["period_note"], strict=True)
    ]


def fact_ids(rows: pd.DataFrame) -> list[str | None]:
    """What a chart point or table row carries to find its sentence again: `<doc id>/<indicator>/<start>`
    (see queries.fact), never the sentence itself."""
    return [
        None if pd.isna(start) else f"{doc}/{indicator}/{int(start)}"
        for doc, indicator, start in zip(rows["doc_id"], rows["indicator"], rows["start"], strict=True)
    ]


def shown_values(rows: pd.DataFrame, indicator: pd.Series | dict, per: str | None) -> pd.Series:
    """What a chart draws: the value, per 10k residents where asked (never a rate)."""
    normalise = bool(per) and not indicator["is_rate"]
    return rows["value"] / rows["population"] * PER_10K if normalise else rows["value"]


def shape_all(
    values: pd.DataFrame, indicators: pd.DataFrame, dim_values: pd.DataFrame, lang: str, per: str | None
) -> dict[str, pd.DataFrame]:
    """Indicator id -> its values ready to plot: `shown` (per 10k applied), `series`, `text`,
    `year_label`, `flagged`, `rank_key`, sorted with the best-ranked area first; every indicator of
    `indicators` shaped once for the charts and the table alike. No home area: it only highlights, and
    `with_home` adds it in a vector compare. The frames are shared from a cache: callers never change them."""
    names, orders = dim_names(dim_values, lang), dim_orders(dim_values)
    groups = dict(tuple(values.groupby("indicator", sort=False)))
    empty = values.iloc[:0]
    return {
        indicator["id"]: shaped_rows(groups.get(indicator["id"], empty), indicator, names, orders, lang, per)
        for _, indicator in indicators.iterrows()
    }


def with_home(rows: pd.DataFrame, home: str | None) -> pd.DataFrame:
    """Shaped rows with `is_home` marking the home area's (a new frame: shaped rows are shared)."""
    return rows.assign(is_home=(rows["area_code"] == home) if home else False)


def shaped_rows(
    rows: pd.DataFrame,
    indicator: pd.Series | dict,
    names: dict[tuple[str, str], str],
    orders: dict[tuple[str, str], int],
    lang: str,
    per: str | None,
) -> pd.DataFrame:
    """The shaping of `shape_all` on one indicator's rows (`is_home` all False)."""
    dims = list(indicator["dims"])
    shown = shown_values(rows, indicator, per)
    series_order = (
        [
            "-".join(f"{orders.get((d, v), 99):02d}" for d, v in zip(dims, keys, strict=True))
            for keys in zip(*[rows[d] for d in dims], strict=True)
        ]
        if dims
        else [""] * len(rows)
    )
    rows = rows.assign(
        shown=shown,
        series=series_labels(rows, dims, names),
        series_order=series_order,
        text=[
            format_value(value, approx if isinstance(approx, str) else None, lang)
            for value, approx in zip(shown, rows["approx"], strict=True)
        ],
        year_label=period_marks(rows, lang),
        is_home=False,
        flagged=[len(flags) > 0 for flags in rows["flags"]],
        rank_key=rows["area_code"].map(shown.groupby(rows["area_code"]).max()) if len(rows) else shown,
    )
    ascending = ranks_ascending(indicator)
    return rows.sort_values(["rank_key", "area_code", "series_order"], ascending=[ascending, True, True])


def ranks_ascending(indicator: pd.Series | dict) -> bool:
    """Whether the best area has the smallest value (an indicator where less is better)."""
    return indicator.get("higher_is_better") is False


def missing_areas(rows: pd.DataFrame, selected: pd.DataFrame) -> list[str]:
    """Short names of the selected areas with no row among an indicator's `rows` (missing is not 0)."""
    return selected.loc[~selected["code"].isin(rows["area_code"]), "short_name"].tolist()


@dataclass(frozen=True)
class RankedRest:
    """The areas a ranked chart leaves out, in one line: how many, their median and range."""

    n: int
    median: float
    low: float
    high: float


def ranked_rows(rows: pd.DataFrame, home: str | None) -> tuple[pd.DataFrame, RankedRest | None]:
    """Of shaped rows (best first), those of the best and worst RANKED_EACH_END areas and the home area;
    and the rest summarised, None when nothing is left out."""
    order = list(dict.fromkeys(rows["area_code"]))
    if len(order) <= 2 * RANKED_EACH_END + 1:
        return rows, None
    kept = {*order[:RANKED_EACH_END], *order[-RANKED_EACH_END:], home}
    rest = rows.loc[~rows["area_code"].isin(kept)].groupby("area_code")["rank_key"].first()
    summary = RankedRest(len(rest), float(rest.median()), float(rest.min()), float(rest.max()))
    return rows[rows["area_code"].isin(kept)], summary


def trend_leaders(
    rows: pd.DataFrame, indicator: pd.Series | dict, home: str | None
) -> tuple[list[str], pd.DataFrame]:
    """Of an indicator's shaped rows over years, the codes of the RANKED_TREND_LINES best areas of the
    last year and the home area; and the quartiles of every area per year (`q1`, `median`, `q3` of each
    area's largest value)."""
    if rows.empty:  # nothing reported in the range: the chart says so
        return [], pd.DataFrame(columns=["year", "q1", "median", "q3"])
    per_area = rows.groupby(["year", "area_code"])["shown"].max().reset_index()
    last = per_area[per_area["year"] == per_area["year"].max()]
    best = last.sort_values("shown", ascending=ranks_ascending(indicator))["area_code"]
    kept = [*best.head(RANKED_TREND_LINES), *([home] if home else [])]
    quartiles = per_area.groupby("year")["shown"].quantile([0.25, 0.5, 0.75]).unstack()
    quartiles.columns = ["q1", "median", "q3"]
    return kept, quartiles.reset_index()
