"""Pure pandas steps from the resolved values to what a chart or table shows: display values (per 10k
residents), series labels for dims, marked text ("500+"), year labels, and the home-first ranking."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t
from dashboard.numbers import format_value

DIM_COLUMNS = ("level", "field", "kind", "role")
PER_10K = 10_000


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


def series_label(row: pd.Series, dims: list[str], names: dict[tuple[str, str], str]) -> str:
    """The breakdown a value belongs to (市级, 人大代表建议 · 主办); empty for indicators without dims."""
    return " · ".join(names.get((d, row[d]), str(row[d])) for d in dims if pd.notna(row[d]))


def period_mark(row: pd.Series, lang: str) -> str:
    """`2022`, or `2023 非全年` / `2021-2023 累计` where the figure does not cover exactly one year."""
    if row["period"] == "year":
        return str(row["year"])
    return f"{row['year']} {row['period_note'] or t(row['period'], lang)}"


def shape_values(
    values: pd.DataFrame,
    indicator: pd.Series | dict,
    dim_values: pd.DataFrame,
    lang: str,
    per: str | None,
    home: str | None,
) -> pd.DataFrame:
    """One indicator's values ready to plot: `shown` (per 10k applied), `series`, `text`, `year_label`,
    `is_home`, `flagged`, sorted with the best-ranked area first (home highlighted, not moved)."""
    rows = values[values["indicator"] == indicator["id"]].copy()
    dims = list(indicator["dims"])
    names = dim_names(dim_values, lang)
    normalise = bool(per) and not indicator["is_rate"]
    rows["shown"] = rows["value"] / rows["population"] * PER_10K if normalise else rows["value"]
    rows["series"] = [series_label(row, dims, names) for _, row in rows.iterrows()]
    orders = dim_orders(dim_values)
    rows["series_order"] = [
        "-".join(f"{orders.get((d, row[d]), 99):02d}" for d in dims) for _, row in rows.iterrows()
    ]
    rows["text"] = [
        format_value(shown, approx if pd.notna(approx) else None, lang)
        for shown, approx in zip(rows["shown"], rows["approx"], strict=True)
    ]
    rows["year_label"] = [period_mark(row, lang) for _, row in rows.iterrows()]
    rows["is_home"] = rows["area_code"] == home
    rows["flagged"] = [len(flags) > 0 for flags in rows["flags"]]
    area_totals = rows.groupby("area_code")["shown"].max()
    ascending = indicator.get("higher_is_better") is False
    rows["rank_key"] = rows["area_code"].map(area_totals)
    return rows.sort_values(["rank_key", "area_code", "series_order"], ascending=[ascending, True, True])


def missing_areas(values: pd.DataFrame, indicator_id: str, selected: pd.DataFrame) -> list[str]:
    """Short names of the selected areas that did not report the indicator (missing is not 0)."""
    reported = set(values.loc[values["indicator"] == indicator_id, "area_code"])
    return [
        name
        for code, name in zip(selected["code"], selected["short_name"], strict=True)
        if code not in reported
    ]
