"""The Reports page: what is loaded, what was refused and why, and how to add a report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from dash import html

from dashboard import queries
from dashboard.cache import per_database
from dashboard.citation import safe_url
from dashboard.i18n import doc_type_name, t
from dashboard.refusal_reasons import reason_in
from dashboard.server_paging import page_of, server_paged_table
from dashboard.tables import table_records

BUILD_COMMAND = "python -m etl run --reports data/reports"
REPORT_PAGE_ROWS = 50  # rows a page of the reports tables sends: thousands of reports stay a page at a time
DOCUMENT_COLUMNS = ("area", "year", "type", "published", "title", "publisher", "url", "file", "facts")
QUARANTINE_COLUMNS = ("file", "reason")
TABLES = {"documents-table": DOCUMENT_COLUMNS, "quarantine-table": QUARANTINE_COLUMNS}
REPORT_TABLE = "report-table"  # the DataTable's id type; the table id names the Div around it


def report_frames(db_path: Path | str, lang: str) -> dict[str, pd.DataFrame]:
    """Table id -> every row of that table of the reports page, as text, in the language."""
    return {"documents-table": _documents(db_path, lang), "quarantine-table": _quarantined(db_path, lang)}


@per_database(size=4)
def _documents(db_path: Path | str, lang: str) -> pd.DataFrame:
    documents = queries.documents(db_path)
    return pd.DataFrame(
        {
            "area": documents["area"],
            "year": documents["year"],
            "type": [doc_type_name(d, lang) for d in documents["doc_type"]],
            "published": documents["published"].astype(str).str[:10].replace("NaT", ""),
            "title": documents["title"],
            "publisher": _stored(documents, "publisher"),
            "url": [safe_url(url) for url in _stored(documents, "url")],  # text, never a link: only http(s)
            "file": documents["file_name"],
            "facts": documents["n_facts"],
        }
    )


def _stored(documents: pd.DataFrame, column: str) -> pd.Series:
    """A citation column of the documents table; blank in a database built before it was added."""
    return documents[column] if column in documents else pd.Series([None] * len(documents), dtype=object)


@per_database(size=4)
def _quarantined(db_path: Path | str, lang: str) -> pd.DataFrame:
    """The refused files with their reasons in the language (the ETL writes them in English)."""
    refused = queries.quarantine(db_path).rename(columns={"file_name": "file"})[list(QUARANTINE_COLUMNS)]
    return refused.assign(reason=[reason_in(reason, lang) for reason in refused["reason"]])


def report_rows(
    frame: pd.DataFrame, sort_by: object, filter_query: object, page: object
) -> tuple[list[dict], int, int]:
    """One page of a reports table, filtered and sorted over every row on the server; the page count and
    the page shown (the last one when a narrower filter leaves fewer pages than the page asked)."""
    rows, count, page = page_of(frame, sort_by, filter_query, page, REPORT_PAGE_ROWS)
    return table_records(rows), count, page


def _table(table_id: str, frame: pd.DataFrame, lang: str) -> html.Div:
    """A table of the reports page holding its first page: sorting, filtering and paging ask the server."""
    rows, page_count, _ = report_rows(frame, [], "", 0)
    table = server_paged_table(
        {"type": REPORT_TABLE, "table": table_id},
        [{"name": t(f"col_{c}", lang), "id": c} for c in TABLES[table_id]],
        rows,
        REPORT_PAGE_ROWS,
        page_count,
        lang,
    )
    return html.Div(table, id=table_id)


def reports_page(db_path: Path | str, lang: str) -> html.Div:
    frames = report_frames(db_path, lang)
    quarantined = frames["quarantine-table"]
    refused = (
        _table("quarantine-table", quarantined, lang)
        if len(quarantined)
        else html.P(t("reports_none_quarantined", lang))
    )
    return html.Div(
        [
            html.H2(t("reports_loaded", lang)),
            _table("documents-table", frames["documents-table"], lang),
            html.H2(t("reports_quarantined", lang)),
            refused,
            html.H2(t("how_to_add", lang)),
            html.Pre(t("how_to_add_steps", lang), className="how-to"),
        ],
        className="page",
    )


def problem_reason(problem: str, lang: str) -> str:
    """The reason in words, with what exactly when the problem says (a column, DuckDB's message)."""
    detail = getattr(problem, "detail", "")
    if detail:
        return t(f"reason_{problem}_detail", lang, detail=detail)
    return t(f"reason_{problem}", lang)


def missing_db_page(db_path: Path | str, problem: str, lang: str) -> html.Div:
    """What to do when there is nothing usable to show, instead of a traceback."""
    return html.Div(
        [
            html.H2(t("missing_db_title", lang)),
            html.P(t("missing_db_body", lang, path=str(db_path), reason=problem_reason(problem, lang))),
            html.Pre(f"{BUILD_COMMAND} --db {db_path}", className="command"),
        ],
        className="page",
        id="missing-db",
    )
