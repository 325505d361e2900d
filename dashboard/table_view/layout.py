"""The table view's page: one DataTable of the view's areas × indicators holding its first page (sorting,
filtering and paging ask the server: see callbacks.py), and its downloads."""

from __future__ import annotations

from pathlib import Path

from dash import dcc, html

from dashboard.i18n import t
from dashboard.panels import HOME_ROW_STYLE, VALUE_CELL_STYLE
from dashboard.review.marks import marks_shown
from dashboard.server_paging import server_paged_table
from dashboard.state import ViewState
from dashboard.table_view.frame import SHOWN_COLUMNS
from dashboard.table_view.rows import PAGE_ROWS, page_rows, view_table
from dashboard.tables import shown_columns

KEY = "table-view"  # the `cat` of its ids; the table's id type is read by callbacks.EVIDENCE_CLICK_JS
TABLE_TYPE, CSV_TYPE, XLSX_TYPE, DOWNLOAD_TYPE = (
    "view-table",
    "view-table-csv",
    "view-table-xlsx",
    "view-table-download",
)


def table_view_page(db_path: Path, state: ViewState) -> html.Div:
    rows, count, _ = page_rows(view_table(db_path, state), [], "", 0, state.home)
    lang = state.lang
    buttons = [
        html.Button(t("download_csv", lang), id={"type": CSV_TYPE, "cat": KEY}),
        html.Button(t("download_xlsx", lang), id={"type": XLSX_TYPE, "cat": KEY}),
        dcc.Download(id={"type": DOWNLOAD_TYPE, "cat": KEY}),
    ]
    table = server_paged_table(
        {"type": TABLE_TYPE, "cat": KEY},
        [{"name": t(f"col_{c}", lang), "id": c} for c in shown_columns(marks_shown(db_path), SHOWN_COLUMNS)],
        rows,
        PAGE_ROWS,
        count,
        lang,
        style_table={"overflowX": "auto"},
        style_cell_conditional=[
            {"if": {"column_id": c}, "textAlign": "right"} for c in ("year", "rank", "change")
        ],
        style_data_conditional=[HOME_ROW_STYLE, VALUE_CELL_STYLE],
    )
    return html.Div(
        [
            html.H2(t("table_view_title", lang)),
            html.P(t("table_view_hint", lang), className="hint"),
            html.Div(buttons, className="table-downloads"),
            table,
        ],
        id="table-view",
        className="page",
    )
