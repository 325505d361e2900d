"""A value's review status as the dashboard marks it (issue 10, item 3): 未审核, 已确认, 已更正, 人工添加.

The rule: marks are shown only where a reviewer is at work, that is when the database holds at least one
reviewed value (accepted, corrected or added by hand), or the review store has a reviewer account. A
deployment without review (no store, or one without accounts, and every value as extracted) shows no
marks: 未审核 on every value there would alarm and say nothing. Rejected values are never shown at all."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from dash import html

from dashboard import queries
from dashboard.i18n import t
from dashboard.review.auth import existing_store
from dashboard.review.history import shown
from review.store import AuditEntry

MARKED = ("extracted", "accepted", "corrected", "manual")  # the statuses a shown value can have
# The audit action that gave a value its status: who did it and when is said beside the status
ACTION_OF = {"accepted": "accept", "corrected": "correct", "manual": "add"}


def marks_shown(db_path: Path) -> bool:
    """Whether the dashboard marks values by review status (the rule in the module's docstring)."""
    if queries.has_reviewed_values(db_path):
        return True
    store = existing_store(db_path)
    return store is not None and store.has_users()


def status_word(status: object, lang: str) -> str:
    """The word of a shown value's status; '' for what no shown value has (NULL, rejected)."""
    return t(f"rv_status_{status}", lang) if status in MARKED else ""


def status_words(statuses: Iterable[object], lang: str) -> list[str]:
    words = {status: status_word(status, lang) for status in MARKED}
    return [words.get(status, "") for status in statuses]


def last_entry(entries: list[AuditEntry] | None, status: str) -> AuditEntry | None:
    """The latest audit entry that gave the value its `status` (None for unreviewed, or no store)."""
    action = ACTION_OF.get(status)
    found = [entry for entry in entries or () if entry.action == action]
    return found[-1] if found else None


def former_value(fact: dict) -> object | None:
    """The value as extracted, where a correction replaced it (the fact's `extracted` JSON)."""
    try:
        extracted = json.loads(fact.get("extracted") or "{}")
    except (TypeError, ValueError):
        return None
    return extracted.get("value") if isinstance(extracted, dict) else None


def status_text(fact: dict, entries: list[AuditEntry] | None, lang: str) -> str:
    """`未审核`, `已确认（张三，2026-11-30）`, `已更正（原值 950 → 900，张三，2026-11-30）`, `人工添加（…）`:
    the status from the database (what the dashboard shows), who and when from the review store's audit."""
    status = fact.get("status")
    details = []
    before = former_value(fact) if status == "corrected" else None
    if before is not None:
        details.append(t("rv_mark_was", lang, before=shown(before), after=shown(fact.get("value"))))
    entry = last_entry(entries, status)
    if entry is not None:
        details += [entry.who, entry.at[:10]]
    word = status_word(status, lang)
    return (
        t("rv_mark_detail", lang, status=word, detail=t("rv_mark_sep", lang).join(details))
        if details
        else word
    )


def status_line(fact: dict, entries: list[AuditEntry] | None, lang: str) -> html.P:
    """The evidence panel's line on the clicked value's review status."""
    status = fact.get("status") if fact.get("status") in MARKED else "extracted"
    return html.P(
        t("rv_mark_label", lang) + status_text(fact | {"status": status}, entries, lang),
        id="evidence-status",
        className=f"evidence-status status-{status}",
    )
