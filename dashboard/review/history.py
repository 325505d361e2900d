"""A value's history from the review store's audit: who changed what, when, from what to what, and why.
`value_entries` and `entries_list` are what the evidence panel shows under a value (see callbacks.py)."""

from __future__ import annotations

import json
from pathlib import Path

from dash import html

from dashboard import queries
from dashboard.i18n import t
from dashboard.review.auth import existing_store
from review.store import AuditEntry, ReviewStore


def shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "—" if value is None else str(value)


def change_text(before: dict | None, after: dict | None) -> str:
    """What a change changed: `value: 1500 → 1600` for each field it set (all its fields for an addition)."""
    if not after:
        return ""
    fields = [(key, value) for key, value in after.items() if key != "evidence"]
    before = before or {}
    return ", ".join(
        f"{key}: {shown(before[key])} → {shown(value)}" if key in before else f"{key}: {shown(value)}"
        for key, value in fields
    )


def entry_item(entry: AuditEntry, lang: str) -> html.Li:
    """One change, as text: `2026-12-01T18:00:00+00:00 alice correct: {...} → {...} (note)`."""
    action = (
        t(f"rv_action_{entry.action}", lang)
        if entry.action in ("accept", "reject", "correct", "add", "document")
        else entry.action
    )
    parts = [
        html.Span(entry.at, className="rv-at"),
        html.Span(entry.who, className="rv-who"),
        html.Span(action, className="rv-action"),
        html.Span(change_text(entry.before, entry.after), className="rv-change"),
    ]
    if entry.note:
        parts.append(html.Span(entry.note, className="rv-note"))
    return html.Li(parts, className="rv-history-entry")


def history_list(
    store: ReviewStore, path: str, indicator: str | None, start: int | None, lang: str
) -> html.Div:
    """The changes recorded for one value (or, without indicator and start, one document), oldest first."""
    return entries_list(store.history(path, indicator, start), lang)


def entries_list(entries: list[AuditEntry], lang: str) -> html.Div:
    body = (
        html.Ol([entry_item(entry, lang) for entry in entries])
        if entries
        else html.P(t("rv_no_history", lang))
    )
    return html.Div([html.H4(t("rv_history_title", lang)), body], className="rv-history-list")


def value_entries(db_path: Path, doc_id: str, indicator: str, start: int) -> list[AuditEntry] | None:
    """The changes recorded for one value of the database, oldest first: None while the desk is off (no
    review store) or the document is unknown."""
    store = existing_store(db_path)
    path = queries.document_path(db_path, doc_id) if store is not None else None
    return store.history(path, indicator, start) if path is not None else None
