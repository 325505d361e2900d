"""The table view's rows for a view, read once per (database file, view) and kept in a bounded cache; a
page of them as the table asks (filtered, sorted, the home area's rows marked), or all as a download."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard import queries
from dashboard.cache import per_database
from dashboard.i18n import t
from dashboard.server_paging import page_of
from dashboard.state import ViewState
from dashboard.table_view.frame import AREA_CODE, SHOWN_COLUMNS, SORT_KEYS, table_frame
from dashboard.tables import shown_columns, table_records
from dashboard.view import selected_areas

PAGE_ROWS = 50  # rows a page sends: every area × every indicator stays a page at a time
# Cached tables are bounded by rows: all indicators of 300 areas are ~10,000 rows
CACHE_ENTRIES, ROWS_BUDGET = 64, 200_000


def view_table(db_path: Path, state: ViewState) -> pd.DataFrame:
    """Every row of the table view of `state` (no home area: it only marks rows, see `page_rows`)."""
    codes = tuple(selected_areas(queries.areas(db_path), state)["code"])
    return view_frame(
        db_path,
        table_frame,
        codes,
        state.year.first,
        state.year.last,
        state.cat,
        state.per,
        state.lang,
        state.only_reviewed,
    )


@per_database(CACHE_ENTRIES, len, ROWS_BUDGET)
def view_frame(
    db_path: Path,
    build: Callable[..., pd.DataFrame],
    codes: tuple[str, ...],
    first: int | None,
    last: int | None,
    cat: str | None,
    per: str | None,
    lang: str,
    reviewed: bool,
) -> pd.DataFrame:
    """Every row of a view read from `queries.table_view_values` as `build` makes them (`table_frame` for
    the table view, `change_view.frame.change_frame` for the change view), cached per view."""
    values, indicators = view_values(db_path, codes, first, last, cat, reviewed)
    return build(values, indicators, queries.dim_values(db_path), queries.areas(db_path), lang, per)


def view_values(
    db_path: Path,
    codes: tuple[str, ...],
    first: int | None,
    last: int | None,
    cat: str | None,
    reviewed: bool,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The latest values beside the year before's of the view's indicators (one category's, or all), and
    those indicators: what the table and the change view are built from."""
    indicators = queries.indicators(db_path)
    if cat:
        indicators = indicators[indicators["category"] == cat]
    values = queries.table_view_values(db_path, codes, first, last, tuple(indicators["id"]), reviewed)
    return values, indicators


def page_rows(
    table: pd.DataFrame, sort_by: object, filter_query: object, page: object, home: str | None
) -> tuple[list[dict], int, int]:
    """One page of the table, filtered and sorted over every row; its page count and the page shown."""
    rows, count, page = page_of(table, sort_by, filter_query, page, PAGE_ROWS, SORT_KEYS)
    rows = rows.assign(is_home=(rows[AREA_CODE] == home) if home else False)
    return table_records(rows), count, page  # without the area codes


def download_frame(table: pd.DataFrame, home: str | None, lang: str, marks: bool = False) -> pd.DataFrame:
    """The rows as downloaded: the shown columns (the review status with `marks`), the numbers behind them,
    the home area marked; headers in the language."""
    marked = table.assign(home=[t("yes", lang) if code == home else "" for code in table[AREA_CODE]])
    columns = [*shown_columns(marks, SHOWN_COLUMNS), "value_number", "change_number", "home"]
    return marked[columns].rename(columns={c: t(f"col_{c}", lang) for c in columns})
