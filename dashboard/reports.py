"""The Reports page: what is loaded, what was refused and why, and how to add a report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from dash import dash_table, html

from dashboard import queries
from dashboard.i18n import doc_type_name, t

BUILD_COMMAND = "python -m etl run --reports data/reports"


def _table(table_id: str, frame: pd.DataFrame, columns: tuple[str, ...], lang: str) -> dash_table.DataTable:
    return dash_table.DataTable(
        id=table_id,
        columns=[{"name": t(f"col_{c}", lang), "id": c} for c in columns],
        data=frame.astype(object).where(frame.notna(), None).to_dict("records"),
        sort_action="native",
        style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto", "fontSize": 13},
        style_header={"fontWeight": "bold", "backgroundColor": "#f1f3f5"},
    )


def reports_page(db_path: Path | str, lang: str) -> html.Div:
    documents = queries.documents(db_path)
    documents["type"] = [doc_type_name(d, lang) for d in documents["doc_type"]]
    documents["published"] = documents["published"].astype(str).str[:10].replace("NaT", "")
    documents["file"] = documents["file_name"]
    documents["facts"] = documents["n_facts"]
    quarantined = queries.quarantine(db_path).rename(columns={"file_name": "file"})
    refused = (
        _table("quarantine-table", quarantined, ("file", "reason"), lang)
        if len(quarantined)
        else html.P(t("reports_none_quarantined", lang))
    )
    return html.Div(
        [
            html.H2(t("reports_loaded", lang)),
            _table(
                "documents-table",
                documents,
                ("area", "year", "type", "published", "title", "file", "facts"),
                lang,
            ),
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
