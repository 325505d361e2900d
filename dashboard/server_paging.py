"""Tables too long to send whole (every report, every value of a view): filtered, sorted and cut into pages
on the server, as a DataTable with custom filter, sort and paging asks for them."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd

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
