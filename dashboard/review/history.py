"""A value's history from the review store's audit: who changed what, when, from what to what, and why.
`value_entries` and `entries_list` are what the evidence panel shows under a value (see callbacks.py)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
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


FIELD_LABELS = {
    **{key: f"rv_col_{key}" for key in ("value", "indicator", "year", "unit", "dims")},
    **{dim: f"rv_dim_{dim}" for dim in ("level", "field", "kind", "role")},
    **{"area_code": "rv_area_code", "doc_type": "rv_col_type"},
}


def change_text(before: dict | None, after: dict | None, lang: str | None = None) -> str:
    """What a change changed: `value: 1500 → 1600` for each field it set (all its fields for an addition).
    In a page's language (`lang`), the fields are named in it, and what says nothing is left out: the
    status an accept or reject sets (its action says it), empty dims."""
    if not after:
        return ""
    fields = [(key, value) for key, value in after.items() if key != "evidence"]
    before = before or {}
    if lang is not None:
        fields = [
            (t(FIELD_LABELS[k], lang), v) for k, v in fields if k in FIELD_LABELS and v not in ({}, None)
        ]
        before = {t(FIELD_LABELS[k], lang): v for k, v in before.items() if k in FIELD_LABELS}
    return ", ".join(
        f"{key}: {shown(before[key])} → {shown(value)}" if key in before else f"{key}: {shown(value)}"
        for key, value in fields
    )


def at_text(at: str) -> str:
    """An audit time as a reader takes it in: `2026-12-01 21:54 UTC` (stored as ISO 8601 in UTC)."""
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return at
    return when.strftime("%Y-%m-%d %H:%M UTC") if when.utcoffset() == timedelta(0) else at


def entry_item(entry: AuditEntry, lang: str) -> html.Li:
    """One change, as text: `2026-12-01 18:00 UTC alice 更正 数值: 1500 → 1600 (note)`."""
    action = (
        t(f"rv_action_{entry.action}", lang)
        if entry.action in ("accept", "reject", "correct", "add", "document")
        else entry.action
    )
    parts = [
        html.Span(at_text(entry.at), className="rv-at"),
        html.Span(entry.who, className="rv-who"),
        html.Span(action, className="rv-action"),
        html.Span(change_text(entry.before, entry.after, lang), className="rv-change"),
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
