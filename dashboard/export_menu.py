"""The export menu on each panel and the "export all" bar: format × report size and a download button.
Its callback (dashboard/callbacks.py) renders through the same code as `python -m dashboard export`."""

from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import t
from dashboard.report_sizes import DEFAULT_REPORT_SIZE, PACK_FORMATS, REPORT_SIZES

EXPORT_ALL = "all"  # the scope of the "export all" bar: every chart of the view
MENU_FORMATS = ("png", "svg")
# "Export all" also offers the report pack: the whole view as one PDF, PowerPoint or Word file (a page or
# slide per chart at its own size, so the size choice applies to PNG and SVG only).
ALL_FORMATS = (*MENU_FORMATS, *PACK_FORMATS)


def export_menu(scope: str, lang: str) -> html.Div | html.Details:
    """A category's menu (scope = its id) folds away; the "export all" bar (scope EXPORT_ALL) stays open."""
    formats = ALL_FORMATS if scope == EXPORT_ALL else MENU_FORMATS
    choices = html.Div(
        [
            dcc.RadioItems(
                id={"type": "export-format", "scope": scope},
                options=[{"label": fmt.upper(), "value": fmt} for fmt in formats],
                value=formats[0],
                inline=True,
            ),
            dcc.RadioItems(
                id={"type": "export-size", "scope": scope},
                options=[{"label": t(f"size_{name}", lang), "value": name} for name in REPORT_SIZES],
                value=DEFAULT_REPORT_SIZE,
                inline=True,
            ),
            html.Button(
                t("export_all" if scope == EXPORT_ALL else "export_download", lang),
                id={"type": "export", "scope": scope},
            ),
            html.Span(id={"type": "export-notice", "scope": scope}, className="export-notice"),
            dcc.Download(id={"type": "export-download", "scope": scope}),
        ],
        className="export-choices",
    )
    if scope == EXPORT_ALL:
        return html.Div([html.Span(t("export_all_hint", lang)), choices], className="export-all")
    return html.Details([html.Summary(t("export_panel", lang)), choices], className="export-menu")
