"""The table view's callbacks: a page of the table as its sort, filter and pager ask, and its downloads,
each for the view in the page's URL."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import MATCH, Dash, Input, Output, State, ctx, dcc

from dashboard import queries
from dashboard.review.marks import marks_shown
from dashboard.server_paging import paging_dependencies
from dashboard.table_view.layout import CSV_TYPE, DOWNLOAD_TYPE, TABLE_TYPE, XLSX_TYPE
from dashboard.table_view.rows import download_frame, page_rows, view_table
from dashboard.tables import csv_of, xlsx_of
from dashboard.view import load_state


def register(app: Dash, db_path: Path) -> None:
    @app.callback(
        *paging_dependencies(TABLE_TYPE, "cat"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def table_view_page(sort_by, filter_query, page, search):
        """A page of the table view, filtered and sorted over every row on the numbers behind the text."""
        if queries.db_problem(db_path):
            raise dash.exceptions.PreventUpdate
        state, _, _, _ = load_state(db_path, search)
        return page_rows(view_table(db_path, state), sort_by, filter_query, page, state.home)

    @app.callback(
        Output({"type": DOWNLOAD_TYPE, "cat": MATCH}, "data"),
        Input({"type": CSV_TYPE, "cat": MATCH}, "n_clicks"),
        Input({"type": XLSX_TYPE, "cat": MATCH}, "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def table_view_download(_csv, _xlsx, search):
        """Every row of the table view (not only the page shown) as CSV (UTF-8 with BOM) or XLSX."""
        if queries.db_problem(db_path) or not ctx.triggered_id:
            raise dash.exceptions.PreventUpdate
        state, _, _, _ = load_state(db_path, search)
        frame = download_frame(view_table(db_path, state), state.home, state.lang, marks_shown(db_path))
        is_csv = ctx.triggered_id["type"] == CSV_TYPE
        data = csv_of(frame) if is_csv else xlsx_of(frame)
        return dcc.send_bytes(data, f"table_{state.cat or 'all'}_{state.year}.{'csv' if is_csv else 'xlsx'}")
