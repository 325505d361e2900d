"""Tables too long to send whole (every report, every value of a view): filtered, sorted and cut into pages
on the server, as a DataTable with custom filter, sort and paging asks for them."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd
from dash import MATCH, Input, Output, dash_table

from dashboard.i18n import t
from dashboard.tables import sort_order

# A clause of a DataTable filter query: `{year} = 2024`, `{area} contains 深圳`, `{title} icontains "x"`
FILTER_CLAUSE = re.compile(r"^\{(?P<column>[a-z_]+)\}\s+(?P<op>[a-z=]+)\s+(?P<value>.+)$")
CONTAINS_OPS, EQUALS_OPS = {"contains", "icontains", "scontains"}, {"=", "eq", "s=", "i=", "ieq", "seq"}


def filtered(frame: pd.DataFrame, query: object) -> pd.DataFrame:
    """The rows a DataTable filter query keeps (`{col} contains x && {col} = y`); a clause naming no column
    of the table, or an operator not offered, keeps every row."""
    if not isinstance(query, str) or not query.strip():
        return frame
    for clause in query.split(" && "):
        match = FILTER_CLAUSE.match(clause.strip())
        if match is None or match["column"] not in frame.columns:
            continue
        value = match["value"].strip().strip("\"'`")
        text = frame[match["column"]].astype(str)
        if match["op"] in CONTAINS_OPS:
            frame = frame[text.str.contains(value, case=match["op"] != "icontains", regex=False)]
        elif match["op"] in EQUALS_OPS:
            frame = (
                frame[text.str.lower() == value.lower()]
                if match["op"].startswith("i")
                else frame[text == value]
            )
    return frame


def page_of(
    frame: pd.DataFrame,
    sort_by: object,
    filter_query: object,
    page: object,
    page_rows: int,
    sort_keys: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, int, int]:
    """One page of `frame`, filtered and sorted over every row, blanks last; the page count and the page
    shown (the last one when a narrower filter leaves fewer pages than the page asked). `sort_keys` maps a
    shown column to the column it sorts on (a formatted number to the number), the shown columns being
    the only ones a sort may name."""
    shown = filtered(frame, filter_query)
    order = sort_order(sort_by, list(sort_keys or frame.columns))
    if order is not None:
        column = (sort_keys or {}).get(order[0], order[0])
        shown = shown.sort_values(column, ascending=order[1], kind="stable", na_position="last")
    count = max(1, math.ceil(len(shown) / page_rows))
    page = page if isinstance(page, int) and not isinstance(page, bool) and page >= 0 else 0
    page = min(page, count - 1)
    return shown.iloc[page * page_rows : (page + 1) * page_rows], count, page


def server_paged_table(
    component_id: dict,
    columns: list[dict],
    rows: list[dict],
    page_size: int,
    page_count: int,
    lang: str,
    **style,
) -> dash_table.DataTable:
    """A DataTable holding its first page whose sorting, filtering and paging ask the server (see
    `paging_dependencies`), its filter boxes prompting in the page's language; `style` adds to the house
    cell and header style."""
    return dash_table.DataTable(
        id=component_id,
        columns=columns,
        data=rows,
        sort_action="custom",
        sort_by=[],
        filter_action="custom",
        filter_query="",
        filter_options={"placeholder_text": t("filter_placeholder", lang)},
        page_action="custom",
        page_current=0,
        page_size=page_size,
        page_count=page_count,
        style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto", "fontSize": 13},
        style_header={"fontWeight": "bold", "backgroundColor": "#f1f3f5"},
        **style,
    )


def paging_dependencies(id_type: str, key: str) -> list[Output | Input]:
    """A server-paged table's callback wiring: its rows, page count and page shown, from its sort, filter
    and page (a MATCH on `key`: one callback serves every table of the type)."""
    table = {"type": id_type, key: MATCH}
    outputs = [Output(table, prop) for prop in ("data", "page_count", "page_current")]
    return outputs + [Input(table, prop) for prop in ("sort_by", "filter_query", "page_current")]
