"""Where a number comes from: the side panel (the sentence with the figure highlighted) and the
document page (the whole stored text with the span highlighted).

Document text is always given to Dash as plain strings: React escapes them, so a report containing
markup can never run or render as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from dash import dcc, html

from dashboard.citation import citation, safe_url
from dashboard.i18n import doc_type_name, t
from dashboard.navigation import VIEW_PARAM

# The citation under the document's meta: small like it, and an address of 80 characters breaks anywhere
# rather than running out of the side panel
CITATION_STYLE = {"fontSize": "0.85rem", "color": "#495057", "overflowWrap": "anywhere", "margin": "0.4rem 0"}
COPY_STYLE = {
    "display": "inline-block",
    "cursor": "pointer",
    "border": "1px solid #adb5bd",
    "borderRadius": "4px",
    "padding": "0 0.4rem",
    "marginRight": "0.6rem",
}


def highlighted(text: str, start: int | None, end: int | None) -> list:
    """`text` as plain-text children with [start, end) wrapped in <mark>; the whole text when the
    span does not fit inside it."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return [text]
    return [text[:start], html.Mark(text[start:end], className="figure"), text[end:]]


def doc_link(doc_id: str, start: int | None, end: int | None, lang: str, view: str = "") -> str:
    """The full-text page of a document at a span, carrying the dashboard `view` it is opened from (its
    query string), so its back link returns there."""
    params = {"start": start, "end": end, "lang": lang, VIEW_PARAM: view.lstrip("?") or None}
    return f"/doc/{doc_id}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def document_meta(doc: dict, lang: str) -> html.Div:
    """Title, area, date and type of a document."""
    published = doc.get("published")
    date = str(published)[:10] if published is not None and str(published) != "NaT" else ""
    parts = [
        doc.get("area") or "",
        str(doc.get("year") or ""),
        date,
        doc_type_name(doc.get("doc_type"), lang),
    ]
    return html.Div(
        [
            html.Div(doc.get("title") or doc["file_name"], className="doc-title"),
            html.Div(" · ".join(p for p in parts if p), className="doc-meta"),
            html.Div(doc["file_name"], className="doc-file"),
        ]
    )


def citation_block(doc: dict, lang: str, where: str) -> html.Div:
    """The citation line as text, a copy button holding it, and the original address as a plain link
    (only an http(s) one; opened without handing this page to it). Ids start with `where` (evidence, doc):
    the side panel and the document page each have one."""
    line = citation(doc, lang)
    url = safe_url(doc.get("url"))
    attributes = {"target": "_blank", "rel": "noopener noreferrer", "className": "doc-url"}
    link = [html.A(url, href=url, id=f"{where}-url", **attributes)] if url else []
    copy = dcc.Clipboard(
        content=line,
        children=t("cite_copy", lang),
        copied_children=t("cite_copied", lang),
        title=t("cite_copy", lang),
        className="cite-copy",
        id=f"{where}-citation-copy",
        style=COPY_STYLE,
    )
    return html.Div(
        [html.Div(line, id=f"{where}-citation"), html.Div([copy, *link])],
        className="doc-citation",
        style=CITATION_STYLE,
    )


def evidence_panel(
    doc: dict | None,
    evidence: str,
    evidence_start: int | None,
    start: int | None,
    end: int | None,
    lang: str,
    view: str = "",
    status: html.P | None = None,
) -> list:
    """The side panel's content for one clicked value, its full-text link carrying the `view` it was
    clicked in; `status`, the value's review status (dashboard/review/marks.py), under its sentence."""
    if doc is None:
        return [html.P(t("doc_not_found", lang))]
    derived = evidence_start is None
    if derived:
        sentence = [html.P(t("evidence_derived", lang)), html.Blockquote(evidence, className="evidence")]
    else:
        local_start = start - evidence_start if start is not None else None
        local_end = end - evidence_start if end is not None else None
        sentence = [html.Blockquote(highlighted(evidence, local_start, local_end), className="evidence")]
    if start is not None and end is not None:
        link_start, link_end = start, end
    elif not derived:
        link_start, link_end = evidence_start, evidence_start + len(evidence)
    else:
        link_start = link_end = None
    return [
        *sentence,
        *([status] if status is not None else []),
        document_meta(doc, lang),
        citation_block(doc, lang, "evidence"),
        dcc.Link(
            t("evidence_full_text", lang),
            href=doc_link(doc["id"], link_start, link_end, lang, view),
            id="evidence-doc-link",
            refresh=True,
        ),
    ]


def document_page(
    doc: dict | None,
    start: int | None,
    end: int | None,
    lang: str,
    notices: Sequence[str] = (),
    back_to: str = "/",
) -> html.Div:
    """The whole stored text of a report with the figure's span highlighted, under the notices about
    the link's values that were ignored; its back link goes to `back_to` (the view it was opened from)."""
    back = dcc.Link(t("back", lang), href=back_to, refresh=True, id="doc-back")
    said = [html.Div(notice, className="notice") for notice in notices]
    if doc is None:
        return html.Div([*said, html.P(t("doc_not_found", lang)), back], className="page")
    return html.Div(
        [
            *said,
            back,
            document_meta(doc, lang),
            citation_block(doc, lang, "doc"),
            html.Pre(highlighted(doc["text"], start, end), className="doc-text", id="doc-text"),
        ],
        className="page",
    )
