"""A report cited in one line a reader can paste: 出处：深圳市应急管理局《…报告》，2023-12-11，https://…

Built here only, for the evidence panel, the reports page and the export footers, so the three agree.
Unknown parts (publisher, date, address) are left out with their separator, never filled in. An address
is shown and linked only when it is an absolute http(s) one: the database may come from anywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from dashboard.i18n import t

LINK_SCHEMES = ("http", "https")
MAX_URL_CHARS = 2048


def citation(doc: Mapping[str, Any], lang: str) -> str:
    """The citation line of a document row (title, file_name, publisher, published, url)."""
    return cite_line(citation_body(doc, lang), lang)


def cite_line(body: str, lang: str) -> str:
    """A citation body as the line a reader pastes: 出处：…"""
    return t("cite_line", lang, body=body)


def citation_body(doc: Mapping[str, Any], lang: str) -> str:
    """What a citation names, without its 出处： label: publisher《title》，date，address (the known ones)."""
    title = _one_line(doc.get("title"))
    named = t("cite_title", lang, title=title) if title else _one_line(doc.get("file_name"))
    publisher = _one_line(doc.get("publisher"))
    head = publisher + t("cite_after_publisher", lang) if publisher else ""
    parts = [head + named, published_date(doc.get("published")), safe_url(doc.get("url")) or ""]
    return t("cite_joiner", lang).join(part for part in parts if part)


def published_date(value: object) -> str:
    """YYYY-MM-DD of a stored date (a date, a Timestamp or text), '' when there is none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)[:10]


def safe_url(value: object) -> str | None:
    """`value` when it may be shown as a link: an absolute http(s) address, no spaces or control
    characters (a javascript: or data: address never becomes an href)."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL_CHARS:
        return None
    if any(ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"} for ch in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in LINK_SCHEMES and parts.hostname else None


def _one_line(value: object) -> str:
    """Stored text as one line: a citation never breaks inside a title or a name."""
    return " ".join(value.split()) if isinstance(value, str) else ""
