"""The Overview panel: headline cards and the coverage matrix (area × indicator: reported, derived,
flagged, or missing 未报告), so the gaps are as visible as the figures."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.i18n import t
from dashboard.shaping import localized

# status -> (i18n key, CSS class); a cell takes the first status that applies, in this order
COVERAGE_STATUSES = ("flagged", "derived", "reported", "missing")


def cell_status(cell: pd.DataFrame) -> str:
    """flagged if any value is flagged; derived if all are derived; reported; missing if none."""
    if cell.empty:
        return "missing"
    if any(len(flags) for flags in cell["flags"]):
        return "flagged"
    return "derived" if cell["derived"].all() else "reported"


def coverage_cells(values: pd.DataFrame) -> dict[tuple[str, str], tuple[str, str]]:
    """(area code, indicator) -> (status, the years it reported): one pass over the values, so the matrix
    costs time linear in its size."""
    return {
        key: (cell_status(cell), ", ".join(str(y) for y in sorted(set(cell["year"]))))
        for key, cell in values.groupby(["area_code", "indicator"], sort=False)
    }


def coverage_matrix(
    values: pd.DataFrame, indicators: pd.DataFrame, selected: pd.DataFrame, lang: str
) -> html.Div:
    header = html.Tr(
        [html.Th(t("col_area", lang))]
        + [html.Th(localized(ind, "name", lang), title=ind["id"]) for _, ind in indicators.iterrows()]
    )
    cells_by_key = coverage_cells(values)
    missing = ("missing", "")
    body = []
    for code, area in zip(selected["code"], selected["short_name"], strict=True):
        cells = [html.Th(area)]
        for indicator_id in indicators["id"]:
            status, years = cells_by_key.get((code, indicator_id), missing)
            label = years or t("cov_missing", lang)
            cells.append(html.Td(label, className=f"cov-{status}", title=t(f"cov_{status}", lang)))
        body.append(html.Tr(cells))
    legend = html.Div(
        [html.Span(t(f"cov_{s}", lang), className=f"cov-{s} legend-chip") for s in COVERAGE_STATUSES],
        className="coverage-legend",
    )
    return html.Div(
        [
            html.H3(t("coverage", lang)),
            legend,
            html.Table([html.Thead(header), html.Tbody(body)], id="coverage"),
        ],
        className="coverage",
    )


def headline_cards(
    values: pd.DataFrame, selected: pd.DataFrame, counts: dict[str, int], lang: str
) -> html.Div:
    cards = (
        ("card_documents", str(counts["documents"])),
        ("card_areas", f"{values['area_code'].nunique()} / {len(selected)}"),
        ("card_values", str(len(values))),
        ("card_quarantine", str(counts["quarantined"])),
    )
    return html.Div(
        [
            html.Div([html.Div(number, className="card-number"), html.Div(t(key, lang))], className="card")
            for key, number in cards
        ],
        className="cards",
    )


def overview_panel(
    values: pd.DataFrame, indicators: pd.DataFrame, selected: pd.DataFrame, counts: dict[str, int], lang: str
) -> html.Section:
    return html.Section(
        [
            html.H2(t("overview", lang)),
            headline_cards(values, selected, counts, lang),
            coverage_matrix(values, indicators, selected, lang),
        ],
        id="panel-overview",
        className="panel",
    )
