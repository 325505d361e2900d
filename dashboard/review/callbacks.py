"""The desk's callbacks: the header's review links, an upload stored and run through the ETL, and the
run's progress polled. Every one that changes anything checks the sign-in and the CSRF token first."""

from __future__ import annotations

import base64
import binascii
import time
from pathlib import Path

import dash
from dash import Dash, Input, Output, State, ctx, html

from dashboard import queries
from dashboard.i18n import t
from dashboard.review import doc_callbacks
from dashboard.review.auth import existing_store, require_reviewer, signed_in
from dashboard.review.etl_runs import EtlRuns
from dashboard.review.ids import rid
from dashboard.review.imports import register_template_route, template_check
from dashboard.review.pages import documents_table, nav_items, page_lang
from dashboard.review.uploads import MAX_BYTES, MAX_FILES, Upload, label, store_uploads, uploads_dir


def decoded_files(contents: object, names: object) -> list[tuple[str, bytes]]:
    """dcc.Upload's `data:...;base64,` contents as (name, bytes); a part that is not one is empty bytes
    (refused as empty), one over the size limit is not decoded (cut to MAX_BYTES + 1 bytes' worth)."""
    contents = contents if isinstance(contents, list) else [contents]
    names = names if isinstance(names, list) else [names] * len(contents)
    files = []
    for content, name in zip(contents, names, strict=False):
        _, _, encoded = content.partition("base64,") if isinstance(content, str) else ("", "", "")
        if len(encoded) > (MAX_BYTES + 3) * 4 // 3:
            files.append((label(name), b"\0" * (MAX_BYTES + 1)))
            continue
        try:
            files.append((label(name), base64.b64decode(encoded, validate=True)))
        except (binascii.Error, ValueError):
            files.append((label(name), b""))
    return files


def outcome_detail(upload: Upload, lang: str) -> str:
    return t(f"rv_why_{upload.detail}", lang) if upload.outcome == "refused" else upload.detail


def upload_report(results: list[Upload], started: bool, lang: str) -> list:
    """One line per file (stored, already there, refused and why), an import template's refused rows
    under it, and whether a run started."""
    items = [
        html.Li(
            [
                f"{r.name}: {t(f'rv_upload_{r.outcome}', lang)} ({outcome_detail(r, lang)})",
                html.Ul([html.Li(message) for message in r.messages], className="rv-row-errors")
                if r.messages
                else None,
            ],
            className=f"rv-upload-{r.outcome}",
        )
        for r in results
    ]
    note = t("rv_run_started" if started else "rv_run_not_started", lang)
    return [html.Ul(items), html.P(note)]


def run_status(runs: EtlRuns, lang: str) -> list:
    """What the page says of the ETL run: running for how long, or how the last one ended, with its output."""
    state = runs.state()
    if runs.running():
        elapsed = int(time.time() - state.get("started", time.time()))
        return [
            html.P(t("rv_run_running", lang, s=elapsed), className="rv-running"),
            html.Pre(runs.output_tail()),
        ]
    if "returncode" not in state:
        return [html.P(t("rv_run_none" if not state else "rv_run_interrupted", lang))]
    code = state["returncode"]
    key = {0: "rv_run_ok", 3: "rv_run_quarantined"}.get(code, "rv_run_failed")
    at = time.strftime("%H:%M:%S", time.localtime(state["finished"]))
    return [html.P(t(key, lang, at=at, code=code), className="rv-finished"), html.Pre(runs.output_tail())]


def register(app: Dash, db_path: Path) -> None:
    runs = EtlRuns(db_path, uploads_dir(db_path))
    register_template_route(app.server)
    # one upload's request at most: MAX_FILES files of MAX_BYTES, base64 (4/3), and a margin
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_FILES * MAX_BYTES * 4 // 3 + (1 << 20)

    @app.callback(Output("review-nav", "children"), Input("url", "pathname"), Input("url", "search"))
    def review_nav(_pathname, search):
        """The review links in the header, for a signed-in reviewer only."""
        return nav_items(db_path, page_lang(search))

    @app.callback(
        Output(rid("upload-result"), "children"),
        Input(rid("upload"), "contents"),
        State(rid("upload"), "filename"),
        State(rid("csrf"), "data"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def upload(contents, names, token, search):
        """Store the uploaded files by content (a known one is recognised) and start the ETL on them."""
        require_reviewer(existing_store(db_path), token)
        if not contents:
            raise dash.exceptions.PreventUpdate
        usable = not queries.db_problem(db_path)
        loaded, check = (queries.document_ids(db_path), template_check(db_path)) if usable else (set(), None)
        results = store_uploads(uploads_dir(db_path), decoded_files(contents, names), loaded, check)
        started = any(r.outcome == "stored" for r in results) and runs.start()
        return upload_report(results, started, page_lang(search))

    @app.callback(
        Output(rid("run-status"), "children"),
        Output(rid("documents"), "children"),
        Output(rid("run-seen"), "data"),
        Input(rid("run-poll"), "n_intervals"),
        Input(rid("rebuild"), "n_clicks"),
        State(rid("run-seen"), "data"),
        State(rid("csrf"), "data"),
        State("url", "search"),
    )
    def run_progress(_n, rebuild, seen, token, search):
        """The run's progress every poll; the rebuild button starts one (decisions are applied by it); the
        documents listed again when a run has finished since the last poll."""
        lang = page_lang(search)
        store = existing_store(db_path)
        if ctx.triggered_id == rid("rebuild") and rebuild:
            require_reviewer(store, token)
            runs.start()
        elif store is None or signed_in(store) is None:
            raise dash.exceptions.PreventUpdate
        finished = runs.state().get("finished")
        documents = dash.no_update
        if finished != seen and not queries.db_problem(db_path):
            documents = documents_table(db_path, lang)
        return run_status(runs, lang), documents, finished

    doc_callbacks.register(app, db_path)
