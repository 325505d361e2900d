"""Pure pandas steps from the resolved values to what a chart or table shows: display values (per 10k
residents), series labels for dims, marked text ("500+"), year labels, and the home-first ranking."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.code_words import period_note_words
from dashboard.i18n import t
from dashboard.numbers import format_values
from dashboard.peer_context import direction, marked_texts, value_marks

DIM_COLUMNS = ("level", "field", "kind", "role")
TOTAL_DIM_VALUE = "all"  # a dim's total (every dim's `default` in etl/catalog.yaml)
PER_10K = 10_000
RANKED_EACH_END = 10  # a ranked bar chart: the best 10 and the worst 10 areas, the rest summarised
RANKED_TREND_LINES = 5  # a ranked trend: the 5 best areas of the last year, the home area and the median
QUARTILES = (0.25, 0.5, 0.75)  # a ranked trend's band (the middle half) and its median


def localized(row: pd.Series | dict, base: str, lang: str) -> str:
    """`name_zh`/`name_en` style columns: the one for `lang`, falling back to zh."""
    return row.get(f"{base}_{lang}") or row[f"{base}_zh"]


def unit_label(indicator: pd.Series | dict, lang: str, per: str | None) -> str:
    """The unit a chart's axis shows: the catalog unit, per 10k residents where normalised (only the
    indicators the catalog marks per_capita: see shown_values)."""
    unit = indicator["unit_en"] if lang == "en" else indicator["unit"]
    if per and indicator["per_capita"]:
        return t("per_10k_unit", lang, unit=unit)
    return unit


def ratio_of(indicator: pd.Series | dict) -> tuple[str, str] | None:
    """(numerator, denominator) ids of a rate the catalog derives from two counts; None for others."""
    parts = indicator.get("ratio_of")
    return tuple(parts) if pd.api.types.is_list_like(parts) else None


def per_distinct(label: Callable[..., object], *columns: pd.Series) -> list:
    """`label(*values)` of each row's values in `columns`, computed once per distinct combination: a
    breakdown or a year label is one of a few, so 11,000 rows cost a dict look-up each."""
    labels: dict[tuple, object] = {}
    return [
        labels[key] if key in labels else labels.setdefault(key, label(*key))
        for key in zip(*(column.tolist() for column in columns), strict=True)
    ]


def named_series(rows: pd.DataFrame, name: str, lang: str) -> pd.DataFrame:
    """Shaped rows whose series start with `name`, to draw several indicators' values in one chart,
    labelled with every digit shown: two counts side by side are compared to the unit, not to three
    digits."""
    return rows.assign(
        series=[f"{name} · {s}" if s else name for s in rows["series"]],
        text=marked_texts(format_values(rows["shown"], rows["approx"].tolist(), lang, exact=True), rows),
        year_label=period_marks(rows, lang),
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
    if not dims:
        return [""] * len(rows)
    return per_distinct(lambda *values: series_label(dims, values, names), *(rows[d] for d in dims))


def series_label(dims: list[str], values: tuple, names: dict[tuple[str, str], str]) -> str:
    """`人大代表建议 · 主办`; the total of every dim once (`建议提案合计`, not `建议提案合计 · 合计`)."""
    shown = [(d, v) for d, v in zip(dims, values, strict=True) if pd.notna(v)]
    if all(v == TOTAL_DIM_VALUE for _, v in shown):
        shown = shown[:1]
    return " · ".join(names.get((d, v), str(v)) for d, v in shown)


def series_orders(rows: pd.DataFrame, dims: list[str], orders: dict[tuple[str, str], int]) -> list[str]:
    """What sorts the breakdowns the catalog's way (`01-03`); empty for indicators without dims."""
    if not dims:
        return [""] * len(rows)
    return per_distinct(
        lambda *values: "-".join(f"{orders.get((d, v), 99):02d}" for d, v in zip(dims, values, strict=True)),
        *(rows[d] for d in dims),
    )


def period_marks(rows: pd.DataFrame, lang: str) -> list[str]:
    """`2022`, or `2023 非全年` / `2021-2023 累计` where the figure does not cover exactly one year."""
    return per_distinct(
        lambda year, period, note: (
            str(year) if period == "year" else f"{year} {period_note_words(note, period, lang)}"
        ),
        rows["year"],
        rows["period"],
        rows["period_note"],
    )


def fact_ids(rows: pd.DataFrame) -> list[str | None]:
    """What a chart point or table row carries to find its sentence again: `<doc id>/<indicator>/<start>`
    (see queries.fact), never the sentence itself."""
    starts = rows["start"].to_numpy()
    known = pd.notna(starts)
    whole = np.where(known, starts, 0).astype("int64").tolist()  # as int(start) writes a float start
    return [
        f"{doc}/{indicator}/{start}" if is_known else None
        for doc, indicator, start, is_known in zip(
            rows["doc_id"].tolist(), rows["indicator"].tolist(), whole, known.tolist(), strict=True
        )
    ]


def shown_values(rows: pd.DataFrame, indicator: pd.Series | dict, per: str | None) -> pd.Series:
    """What a chart draws: the value, per 10k residents where asked, of an indicator that grows with the
    population (catalog `per_capita`: never a rate, nor plans or suggestions handled)."""
    normalise = bool(per) and bool(indicator["per_capita"])
    return rows["value"] / rows["population"] * PER_10K if normalise else rows["value"]


def shape_all(
    values: pd.DataFrame, indicators: pd.DataFrame, dim_values: pd.DataFrame, lang: str, per: str | None
) -> dict[str, pd.DataFrame]:
    """Indicator id -> its values ready to rank and plot: `shown` (per 10k applied), `series`, `flagged`,
    `marks` (footnotes), `rank_key`, sorted with the best-ranked area first; every indicator of `indicators`
    shaped once for the charts and the table alike. No home area: it only highlights, and `with_home` adds
    it in a vector compare; no text: `labelled` writes it for the rows drawn (a ranked chart draws 20 areas
    of 300). The frames are shared from a cache: callers never change them."""
    names, orders = dim_names(dim_values, lang), dim_orders(dim_values)
    groups = dict(tuple(values.groupby("indicator", sort=False)))
    empty = values.iloc[:0]
    return {
        indicator["id"]: shaped_rows(groups.get(indicator["id"], empty), indicator, names, orders, lang, per)
        for _, indicator in indicators.iterrows()
    }


def labelled(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Shaped rows with what a chart writes of each: `text` (the value, "500+", its footnote marks) and
    `year_label`; rows labelled already (a rate's counts, by `named_series`) as they are."""
    if "text" in rows:
        return rows
    return rows.assign(
        text=marked_texts(format_values(rows["shown"], rows["approx"].tolist(), lang), rows),
        year_label=period_marks(rows, lang),
    )


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
    rows = rows.assign(
        shown=shown,
        series=series_labels(rows, dims, names),
        series_order=series_orders(rows, dims, orders),
        is_home=False,
        flagged=[has_flags(flags) for flags in rows["flags"].tolist()],
        marks=value_marks(rows),  # footnote marks of values measured differently (peer_context.py)
    )
    return ranked(rows, ranks_ascending(indicator))


def ranked(rows: pd.DataFrame, ascending: bool) -> pd.DataFrame:
    """Rows with `rank_key` (each area's largest `shown`), best area first, then by area code and the
    catalog's order of breakdowns, blanks last: `sort_values(["rank_key", "area_code", "series_order"])`
    (stable) in numpy, on the areas' codes once: pandas' sort of text keys took most of the shaping."""
    areas, area_names = pd.factorize(rows["area_code"], sort=True)
    largest = np.full(len(area_names), np.nan)
    np.fmax.at(largest, areas, rows["shown"].to_numpy(dtype=float))
    rank_key = largest[areas]
    series, _ = pd.factorize(rows["series_order"], sort=True)
    order = np.lexsort((series, areas, rank_key if ascending else -rank_key))  # NaN sorts last either way
    return rows.assign(rank_key=rank_key).take(order)


def has_flags(flags: object) -> bool:
    """Whether a value's flags name any: a list, empty when none (NULL where a query leaves it out)."""
    return hasattr(flags, "__len__") and len(flags) > 0


def ranks_ascending(indicator: pd.Series | dict) -> bool:
    """Whether the best area has the smallest value (an indicator where less is better)."""
    return direction(indicator) is False  # the catalog's column is nullable: numpy bools, never `False`


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
    areas = rows["area_code"]
    order = areas.unique()  # best first, as the rows are
    if len(order) <= 2 * RANKED_EACH_END + 1:
        return rows, None
    shown = areas.isin({*order[:RANKED_EACH_END], *order[-RANKED_EACH_END:], home})
    rest = rows.loc[~shown].drop_duplicates("area_code")["rank_key"]  # sorted by it, blanks last: its first
    summary = RankedRest(len(rest), float(rest.median()), float(rest.min()), float(rest.max()))
    return rows[shown], summary


def trend_leaders(
    rows: pd.DataFrame, indicator: pd.Series | dict, home: str | None
) -> tuple[list[str], pd.DataFrame]:
    """Of an indicator's shaped rows over years, the codes of the RANKED_TREND_LINES best areas of the
    last year and the home area; and the quartiles of every area per year (`q1`, `median`, `q3` of each
    area's largest value)."""
    if rows.empty:  # nothing reported in the range: the chart says so
        return [], pd.DataFrame(columns=["year", "q1", "median", "q3"])
    years, areas, largest = largest_per_year_and_area(rows)
    last = years == years.max()
    best = pd.DataFrame({"area_code": areas[last], "shown": largest[last]})
    best = best.sort_values("shown", ascending=ranks_ascending(indicator))["area_code"]
    kept = [*best.head(RANKED_TREND_LINES), *([home] if home else [])]
    starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
    parts = np.split(largest, starts[1:])  # one per year
    quartiles = pd.DataFrame(map(quartiles_of, parts), columns=["q1", "median", "q3"])
    quartiles.insert(0, "year", years[starts])
    return kept, quartiles


def largest_per_year_and_area(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each area's largest `shown` per year (NaN where it has none), sorted by year then area code: what
    `groupby(["year", "area_code"])["shown"].max()` gives, in numpy (a ranked trend asks it per chart)."""
    codes, areas = pd.factorize(rows["area_code"], sort=True)
    years = rows["year"].to_numpy()
    key = years.astype(np.int64) * len(areas) + codes
    order = np.argsort(key, kind="stable")
    starts = np.flatnonzero(np.r_[True, key[order][1:] != key[order][:-1]])
    largest = np.fmax.reduceat(rows["shown"].to_numpy(dtype=float)[order], starts)
    return years[order][starts], np.asarray(areas, dtype=object)[codes[order][starts]], largest


def quartiles_of(values: np.ndarray) -> tuple[float, ...]:
    """The QUARTILES of the values that are not NaN (NaN when none), interpolated linearly as pandas'
    groupby quantile does it, to the last bit: `low + (high - low) * fraction`."""
    known = np.sort(values[~np.isnan(values)]).tolist()
    if not known:
        return (math.nan,) * len(QUARTILES)
    at = [q * (len(known) - 1) for q in QUARTILES]
    return tuple(
        known[int(a)] + (known[int(a) + 1] - known[int(a)]) * (a % 1) if a % 1 else known[int(a)] for a in at
    )
