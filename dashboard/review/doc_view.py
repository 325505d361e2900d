"""A document's review view: its text with every figure highlighted (built as components, never HTML), its
facts with their status and the keys to decide on them, and the forms to correct a fact, add a missed
one from selected text, or correct the document's area, year and type."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from dash import dcc, html

from dashboard import queries
from dashboard.i18n import APPROX_WORDS, DOC_TYPES, UI_STRINGS, doc_type_name, t
from dashboard.review.auth import csrf_token
from dashboard.review.facts import DIM_COLUMNS, pending_decisions, plain, row_key
from dashboard.review.ids import rid
from dashboard.shaping import localized
from review.store import ReviewStore

ACTIONS = ("accept", "reject")
STATUS_OF_ACTION = {"accept": "accepted", "reject": "rejected"}


def marked_text(text: str, spans: list[tuple[int, int, str]]) -> list:
    """The text cut at every figure's span: plain pieces and <mark>s (class by status), each piece with
    its offset in `data-start`, which assets/review.js reads to turn a selection into offsets."""
    bounds = sorted(
        {0, len(text), *(p for start, end, _ in spans for p in (start, end) if 0 <= p <= len(text))}
    )
    pieces = []
    for first, last in zip(bounds, bounds[1:], strict=False):
        covering = [status for start, end, status in spans if start <= first and last <= end]
        attrs = {"data-start": str(first)}
        if covering:
            pieces.append(html.Mark(text[first:last], className=f"review-mark status-{covering[0]}", **attrs))
        else:
            pieces.append(html.Span(text[first:last], **attrs))
    return pieces


def shown_status(row: dict, pending: dict[str, dict]) -> str:
    decision = pending.get(row_key(row))
    return decision["status"] if decision else row["status"]


def arrow(before: object, after: object) -> str:
    """A field as shown, with a pending correction's new value after an arrow where it changes it."""
    return str(before) if after == before else f"{before} → {after}"


def dims_text(fields: dict) -> str:
    return ", ".join(f"{d}={fields[d]}" for d in DIM_COLUMNS if plain(fields.get(d)) is not None)


def scope_text(scope: object, lang: str) -> str:
    """A fact's scope in words: the area's own value, or the narrower one it gives (the part added, one
    event...), which never becomes the area's value on the dashboard."""
    scope = plain(scope) or "area"
    key = next((k for k in (f"rv_scope_{scope}", f"scope_{scope}") if k in UI_STRINGS), None)
    return t(key, lang) if key else str(scope)


def fact_buttons(key: str, decidable: bool, lang: str) -> list[html.Button]:
    """Accept, reject, edit (for a fact of the database) and history; out of the tab order (keys j/k)."""
    decide = [
        html.Button(
            t(f"rv_{action}", lang),
            id={"type": "rv-decide", "action": action, "key": key},
            className=f"rv-{action}",
            tabIndex=-1,
        )
        for action in ACTIONS
    ]
    decide.append(
        html.Button(t("rv_edit", lang), id={"type": "rv-edit", "key": key}, className="rv-edit", tabIndex=-1)
    )
    history = html.Button(
        t("rv_history", lang), id={"type": "rv-history", "key": key}, className="rv-history", tabIndex=-1
    )
    return [*(decide if decidable else []), history]


def fact_cells(row: dict, names: dict[str, str], decision: dict | None, status: str, lang: str) -> list:
    """A fact's fields as shown, the value first (what is compared with the highlighted text); a pending
    correction's changes each after an arrow, so the row says what the next rebuild will hold."""
    new = {**row, **((decision or {}).get("after") or {})}
    area = row.get("area") or row["area_code"]
    return [
        t(f"rv_status_{status}", lang),
        arrow(f"{plain(row['value']):g}", f"{plain(new['value']):g}"),
        row["unit"],
        APPROX_WORDS.get(plain(row.get("approx")) or "", {}).get(lang, ""),
        arrow(*(names.get(fact["indicator"], fact["indicator"]) for fact in (row, new))),
        arrow(dims_text(row), dims_text(new)),
        scope_text(row.get("scope"), lang),
        area if new["area_code"] == row["area_code"] else f"{area} → {new['area_code']}",
        arrow(row["year"], new["year"]),
        row["rule"],
    ]


def fact_row(
    row: dict, names: dict[str, str], decision: dict | None, lang: str, decidable: bool = True
) -> html.Tr:
    """A fact's row: its fields, status and buttons (one added since the last build: its history only);
    a narrower-scope one is marked `scope-narrow`."""
    key = row_key(row)
    status = decision["status"] if decision else row["status"]
    narrow = (plain(row.get("scope")) or "area") != "area"
    cells = [html.Td(str(cell)) for cell in fact_cells(row, names, decision, status, lang)]
    return html.Tr(
        [html.Td(fact_buttons(key, decidable, lang), className="rv-actions"), *cells],
        className=f"review-row status-{status}" + (" scope-narrow" if narrow else ""),
        tabIndex=0,
        **{"data-key": key, "data-start": str(int(row["start"])), "data-end": str(int(row["end"]))},
    )


def facts_table(
    facts: pd.DataFrame, names: dict[str, str], pending: dict[str, dict], added: list[dict], lang: str
) -> html.Table:
    """The document's facts in text order, then the facts added by hand since the last build."""
    columns = ("actions", "status", "value", "unit", "approx", "indicator", "dims", "scope", "area", "year")
    columns += ("rule",)
    head = html.Tr([html.Th(t(f"rv_col_{c}", lang)) for c in columns])
    rows = [fact_row(row, names, pending.get(row_key(row)), lang) for row in facts.to_dict("records")]
    rows += [fact_row(row, names, None, lang, decidable=False) for row in added]
    return html.Table([html.Thead(head), html.Tbody(rows)], id="review-facts", className="review-table")


def added_since_build(manual: list[dict], doc: dict, facts: pd.DataFrame) -> list[dict]:
    """The store's manual facts on this document that the database does not hold yet, as fact rows."""
    built = {row_key(row) for row in facts.to_dict("records") if row["rule"] == "manual"}
    rows = []
    for added in manual:
        fact = added["fact"]
        row = {
            **{dim: fact["dims"].get(dim) for dim in DIM_COLUMNS},
            **{name: fact[name] for name in ("indicator", "value", "unit", "year", "area_code", "evidence")},
            **{"doc_id": added["doc_id"], "start": added["start"], "end": added["end"]},
            **{"approx": None, "rule": "manual", "status": "manual"},
            "area": doc["area"] if fact["area_code"] == doc["area_code"] else None,
        }
        if added["path"] == doc["path"] and row_key(row) not in built:
            rows.append(row)
    return rows


def review_body(db_path: Path, store: ReviewStore, doc: dict, lang: str) -> tuple[html.Table, list]:
    """The facts table and the highlighted text of a document, with the store's decisions laid over."""
    facts = queries.review_facts(db_path, doc["id"])
    pending = pending_decisions(store.decisions(), doc["path"])
    added = added_since_build(store.manual_facts(), doc, facts)
    names, _ = indicator_names(db_path, lang)
    spans = [(int(r["start"]), int(r["end"]), shown_status(r, pending)) for r in facts.to_dict("records")]
    spans += [(row["start"], row["end"], "manual") for row in added]
    return facts_table(facts, names, pending, added, lang), marked_text(doc["text"], spans)


def labelled(label: str, control) -> html.Label:
    return html.Label([html.Span(label), control], className="rv-field")


def fact_fields(prefix: str, indicator_options: list[dict], lang: str) -> list:
    """The inputs of a fact (correction or addition): `<prefix>-value`, `-indicator`, dims, year, area."""
    return [
        labelled(t("rv_col_value", lang), dcc.Input(id=rid(f"{prefix}-value"), type="text", debounce=False)),
        labelled(
            t("rv_col_indicator", lang),
            dcc.Dropdown(
                id=rid(f"{prefix}-indicator"),
                options=indicator_options,
                clearable=False,
                className="rv-indicator",
            ),
        ),
        *(
            labelled(f"{t(f'rv_dim_{dim}', lang)} ({dim})", dcc.Input(id=rid(f"{prefix}-{dim}"), type="text"))
            for dim in DIM_COLUMNS
        ),
        labelled(t("rv_col_year", lang), dcc.Input(id=rid(f"{prefix}-year"), type="text")),
        labelled(t("rv_area_code", lang), dcc.Input(id=rid(f"{prefix}-area_code"), type="text")),
        labelled(t("rv_note", lang), dcc.Input(id=rid(f"{prefix}-note"), type="text")),
    ]


def edit_panel(indicator_options: list[dict], lang: str) -> html.Div:
    return html.Div(
        [
            html.H4(t("rv_edit_title", lang)),
            dcc.Store(id=rid("edit-key")),
            html.Div(fact_fields("edit", indicator_options, lang), className="rv-fields"),
            html.Button(t("rv_save", lang), id=rid("edit-save")),
        ],
        id=rid("edit-panel"),
        className="rv-panel",
        hidden=True,
    )


def add_panel(indicator_options: list[dict], lang: str) -> html.Div:
    return html.Div(
        [
            html.H4(t("rv_add_title", lang)),
            html.P(t("rv_add_hint", lang), className="hint"),
            html.Button(t("rv_use_selection", lang), id=rid("use-selection")),
            dcc.Store(id=rid("selection")),
            html.Div(id=rid("selection-text"), className="rv-selection-text"),
            html.Div(fact_fields("add", indicator_options, lang), className="rv-fields"),
            html.Button(t("rv_add", lang), id=rid("add-save")),
        ],
        id="rv-add-panel",
        className="rv-panel",
    )


def document_panel(doc: dict, lang: str) -> html.Div:
    types = [{"label": doc_type_name(key, lang), "value": key} for key in DOC_TYPES]
    return html.Div(
        [
            html.H4(t("rv_doc_title", lang)),
            html.Div(
                [
                    labelled(
                        t("rv_area_code", lang), dcc.Input(id=rid("doc-area_code"), value=doc["area_code"])
                    ),
                    labelled(t("rv_col_year", lang), dcc.Input(id=rid("doc-year"), value=str(doc["year"]))),
                    labelled(
                        t("rv_col_type", lang),
                        dcc.Dropdown(
                            id=rid("doc-type"), options=types, value=doc["doc_type"], clearable=False
                        ),
                    ),
                    labelled(t("rv_note", lang), dcc.Input(id=rid("doc-note"), type="text")),
                ],
                className="rv-fields",
            ),
            html.Button(t("rv_save", lang), id=rid("doc-save")),
        ],
        id="rv-doc-panel",
        className="rv-panel",
    )


def indicator_names(db_path: Path, lang: str) -> tuple[dict[str, str], list[dict]]:
    indicators = queries.indicators(db_path)
    names = {row["id"]: localized(row, "name", lang) for _, row in indicators.iterrows()}
    return names, [{"label": f"{name} ({key})", "value": key} for key, name in names.items()]


def doc_review_page(db_path: Path, store: ReviewStore, doc_id: str, lang: str) -> html.Div:
    doc = queries.review_document(db_path, doc_id)
    if doc is None:
        return html.Div(html.P(t("doc_not_found", lang)), className="page")
    table, text = review_body(db_path, store, doc, lang)
    _, options = indicator_names(db_path, lang)
    title = f"{doc['title'] or doc['file_name']} · {doc['area'] or doc['area_code']} · {doc['year']}"
    return html.Div(
        [
            dcc.Link(t("rv_back", lang), href=f"/review?lang={lang}"),
            html.H2(title),
            html.P(doc["path"], className="hint"),
            dcc.Store(id=rid("csrf"), data=csrf_token()),
            html.P(t("rv_keys", lang), className="hint"),
            html.P(t("rv_scope_hint", lang), className="hint"),
            html.Div(id=rid("message"), className="rv-message", role="status"),
            html.Div(
                [
                    html.Div(text, id=rid("text"), className="review-text"),
                    html.Div(
                        [
                            html.Div(table, id=rid("facts")),
                            edit_panel(options, lang),
                            html.Div(id=rid("history"), className="rv-panel"),
                            add_panel(options, lang),
                            document_panel(doc, lang),
                        ],
                        className="review-side",
                    ),
                ],
                className="review-columns",
            ),
        ],
        id="review-doc",
        className="page",
        **{"data-doc": doc_id},
    )
