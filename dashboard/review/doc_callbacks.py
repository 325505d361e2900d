"""The document review view's callbacks: open a fact in the edit form, show its history, take a text
selection into the add form, and record decisions (accept, reject, correct, add, document) in the review
store; each decision checks the sign-in and the CSRF token, and the facts are shown again with it."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import ALL, Dash, Input, Output, State, ctx

from dashboard import queries
from dashboard.i18n import DOC_TYPES, t
from dashboard.review.auth import existing_store, require_reviewer, signed_in
from dashboard.review.doc_view import STATUS_OF_ACTION, indicator_names, review_body
from dashboard.review.facts import (
    DIM_COLUMNS,
    checked_fields,
    correction,
    fact_ref,
    manual_fact,
    number_in,
    parse_year,
    plain,
    row_key,
    shown_fields,
)
from dashboard.review.history import change_text, history_list
from dashboard.review.ids import rid
from dashboard.review.pages import DOC_PREFIX, page_lang

FIELDS = ("value", "indicator", *DIM_COLUMNS, "year", "area_code", "note")
MAX_NOTE_CHARS = 500
# In the browser: the selection in the document's text as offsets (assets/review.js keeps it up to date)
SELECTION_JS = """
function (n) {
    return window.reviewSelection ? Object.assign({}, window.reviewSelection) : dash_clientside.no_update;
}
"""


def form_states(prefix: str) -> list[State]:
    return [State(rid(f"{prefix}-{name}"), "value") for name in FIELDS]


def doc_id_of(pathname: object) -> str:
    if not isinstance(pathname, str) or not pathname.startswith(DOC_PREFIX):
        raise dash.exceptions.PreventUpdate
    return pathname.removeprefix(DOC_PREFIX)


def fact_by_key(db_path: Path, doc_id: str, key: object) -> dict | None:
    facts = queries.review_facts(db_path, doc_id)
    return next((row for row in facts.to_dict("records") if row_key(row) == key), None)


def checks(db_path: Path) -> tuple[dict, set]:
    """What typed fields are checked against: indicators (id -> (unit, is_rate)), dims, known areas."""
    indicators = queries.indicators(db_path)
    units = {row["id"]: (row["unit"], bool(row["is_rate"])) for _, row in indicators.iterrows()}
    dims = {(row["dim"], row["value"]) for _, row in queries.dim_values(db_path).iterrows()}
    return units, dims


def typed(values: list) -> dict:
    return dict(zip(FIELDS, values, strict=True))


def register(app: Dash, db_path: Path) -> None:
    @app.callback(
        Output(rid("edit-panel"), "hidden"),
        Output(rid("edit-key"), "data"),
        *(Output(rid(f"edit-{name}"), "value") for name in FIELDS),
        Input({"type": "rv-edit", "key": ALL}, "n_clicks"),
        State("url", "pathname"),
        prevent_initial_call=True,
    )
    def open_edit(clicks, pathname):
        """The edit form filled with the clicked fact's fields."""
        if not any(clicks) or not isinstance(ctx.triggered_id, dict):
            raise dash.exceptions.PreventUpdate
        row = fact_by_key(db_path, doc_id_of(pathname), ctx.triggered_id["key"])
        if row is None:
            raise dash.exceptions.PreventUpdate
        fields = shown_fields(row)
        values = [fields[name] if name != "value" else f"{fields['value']:g}" for name in FIELDS[:-1]]
        return False, ctx.triggered_id["key"], *values, ""

    @app.callback(
        Output(rid("history"), "children"),
        Input({"type": "rv-history", "key": ALL}, "n_clicks"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def show_history(clicks, pathname, search):
        store = existing_store(db_path)
        if not any(clicks) or not isinstance(ctx.triggered_id, dict) or store is None or not signed_in(store):
            raise dash.exceptions.PreventUpdate
        doc = queries.review_document(db_path, doc_id_of(pathname))
        indicator, _, start = str(ctx.triggered_id["key"]).partition("|")
        start = start.rpartition("|")[2]
        if doc is None or not start.isdigit():
            raise dash.exceptions.PreventUpdate
        return history_list(store, doc["path"], indicator, int(start), page_lang(search))

    app.clientside_callback(
        SELECTION_JS,
        Output(rid("selection"), "data"),
        Input(rid("use-selection"), "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(rid("selection-text"), "children"),
        Output(rid("add-value"), "value"),
        Output(rid("add-year"), "value"),
        Output(rid("add-area_code"), "value"),
        Input(rid("selection"), "data"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def take_selection(selection, pathname, search):
        """The selected text (read from the stored text by its offsets), its number, the document's year
        and area as the add form's defaults."""
        doc = queries.review_document(db_path, doc_id_of(pathname))
        span = selected_span(selection, doc)
        if span is None:
            return t("rv_no_selection", page_lang(search)), dash.no_update, dash.no_update, dash.no_update
        start, end = span
        text = doc["text"][start:end]
        return f"「{text}」 [{start}, {end})", number_in(text), str(doc["year"]), doc["area_code"]

    @app.callback(
        Output(rid("message"), "children"),
        Output(rid("facts"), "children"),
        Output(rid("text"), "children"),
        Input({"type": "rv-decide", "action": ALL, "key": ALL}, "n_clicks"),
        Input(rid("edit-save"), "n_clicks"),
        Input(rid("add-save"), "n_clicks"),
        Input(rid("doc-save"), "n_clicks"),
        State(rid("csrf"), "data"),
        State("url", "pathname"),
        State("url", "search"),
        State(rid("edit-key"), "data"),
        State(rid("selection"), "data"),
        *form_states("edit"),
        *form_states("add"),
        State(rid("doc-area_code"), "value"),
        State(rid("doc-year"), "value"),
        State(rid("doc-type"), "value"),
        State(rid("doc-note"), "value"),
        prevent_initial_call=True,
    )
    def decide(
        decide_clicks, edit_save, add_save, doc_save, token, pathname, search, edit_key, selection, *forms
    ):
        """Record the decision the clicked control makes; the facts and the text shown again with it."""
        trigger = ctx.triggered_id
        clicked = ctx.triggered[0]["value"] if ctx.triggered else None
        if trigger is None or not clicked:
            raise dash.exceptions.PreventUpdate
        store = existing_store(db_path)
        who = require_reviewer(store, token)
        lang, doc_id = page_lang(search), doc_id_of(pathname)
        doc = queries.review_document(db_path, doc_id)
        if doc is None:
            raise dash.exceptions.PreventUpdate
        n = len(FIELDS)
        edit, add, doc_form = typed(list(forms[:n])), typed(list(forms[n : 2 * n])), forms[2 * n :]
        if trigger.get("type") == "rv-decide":
            message = decide_fact(db_path, store, who, doc, trigger.get("key"), trigger.get("action"), lang)
        elif trigger == rid("edit-save"):
            message = correct_fact(db_path, store, who, doc, edit_key, edit, lang)
        elif trigger == rid("add-save"):
            message = add_fact(db_path, store, who, doc, selection, add, lang)
        else:
            message = correct_document(db_path, store, who, doc, doc_form, lang)
        return (message, *review_body(db_path, store, doc, lang))


def indicator_label(db_path: Path, indicator: str, lang: str) -> str:
    """An indicator as a decision's message names it: its name in the page's language, and its id (what
    the forms take), as the indicator dropdown shows it."""
    names, _ = indicator_names(db_path, lang)
    return f"{names[indicator]} ({indicator})" if indicator in names else indicator


def note_of(value: object) -> str:
    return value.strip()[:MAX_NOTE_CHARS] if isinstance(value, str) else ""


def decide_fact(db_path: Path, store, who: str, doc: dict, key: object, action: object, lang: str) -> str:
    row = fact_by_key(db_path, doc["id"], key)
    if row is None or action not in STATUS_OF_ACTION:
        return t("rv_fact_gone", lang)
    store.decide(who, fact_ref(doc["path"], row), STATUS_OF_ACTION[action], shown_fields(row))
    label = indicator_label(db_path, row["indicator"], lang)
    return t(f"rv_done_{action}", lang, indicator=label, value=f"{plain(row['value']):g}")


def checked_form(db_path: Path, form: dict) -> tuple[dict, str | None]:
    """The typed fields of a correction or an added figure, checked against the database's units, dims
    and areas; or the i18n key of what is wrong."""
    units, dims = checks(db_path)
    return checked_fields(form, units, dims, queries.area_codes_known(db_path, [str(form["area_code"])]))


def correct_fact(db_path: Path, store, who: str, doc: dict, key: object, form: dict, lang: str) -> str:
    row = fact_by_key(db_path, doc["id"], key)
    if row is None:
        return t("rv_fact_gone", lang)
    fields, problem = checked_form(db_path, form)
    if problem:
        return t(problem, lang)
    after = correction(row, fields)
    if not after:
        return t("rv_nothing_changed", lang)
    store.decide(
        who, fact_ref(doc["path"], row), "corrected", shown_fields(row), after, note_of(form["note"])
    )
    label = indicator_label(db_path, row["indicator"], lang)
    return t("rv_done_fields", lang, indicator=label, changes=change_text(shown_fields(row), after, lang))


def selected_span(selection: object, doc: dict | None) -> tuple[int, int] | None:
    """A selection's [start, end) if it is a non-empty span of the document's text."""
    if doc is None or not isinstance(selection, dict):
        return None
    start, end = selection.get("start"), selection.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(doc["text"]):
        return None
    return start, end


def add_fact(db_path: Path, store, who: str, doc: dict, selection: object, form: dict, lang: str) -> str:
    span = selected_span(selection, doc)
    if span is None:
        return t("rv_no_selection", lang)
    fields, problem = checked_form(db_path, form)
    if problem:
        return t(problem, lang)
    fact = manual_fact(doc["text"], *span, fields)
    store.add_manual(who, doc["path"], doc["id"], *span, fact, note_of(form["note"]))
    label = indicator_label(db_path, fact["indicator"], lang)
    return t("rv_done_add", lang, indicator=label, value=f"{fact['value']:g}")


def correct_document(db_path: Path, store, who: str, doc: dict, form: tuple, lang: str) -> str:
    area, year, doc_type, note = form
    area = area.strip() if isinstance(area, str) else ""
    year_number = parse_year(year)
    if area not in queries.area_codes_known(db_path, [area]):
        return t("rv_bad_area", lang)
    if year_number is None:
        return t("rv_bad_year", lang)
    if doc_type not in DOC_TYPES:
        return t("rv_bad_type", lang)
    before = {"area_code": doc["area_code"], "year": int(doc["year"]), "doc_type": doc["doc_type"]}
    changes = {
        k: v
        for k, v in {"area_code": area, "year": year_number, "doc_type": doc_type}.items()
        if v != before[k]
    }
    if not changes:
        return t("rv_nothing_changed", lang)
    store.correct_document(who, doc["path"], doc["id"], changes, note_of(note), before=before)
    return t("rv_done_document", lang)
