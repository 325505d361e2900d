"""The Overview panel: headline cards and the coverage matrix (area × indicator: reported, derived,
flagged, or missing 未报告), so the gaps are as visible as the figures. A view of many areas shows the
coverage per province as a heat map, each province a link to its own areas."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from dash import dcc, html

from dashboard.figures import graph_config
from dashboard.i18n import t
from dashboard.layout import province_short
from dashboard.ranked_figures import coverage_heatmap
from dashboard.shaping import localized
from dashboard.state import AreaIndex, ViewState, to_query

# status -> (i18n key, CSS class); a cell takes the first status that applies, in this order
COVERAGE_STATUSES = ("reviewed", "flagged", "derived", "reported", "missing")
UNREVIEWED = "extracted"  # the status of a value no reviewer has looked at (the review desk)
CODES_ONLY = AreaIndex(pd.DataFrame({"code": [], "short_name": [], "name": []}))  # writes areas by code


def cell_status(cell: pd.DataFrame) -> str:
    """reviewed if a reviewer accepted, corrected or added every value; else flagged if any value is
    flagged; derived if all are derived; reported; missing if none."""
    if cell.empty:
        return "missing"
    if "status" in cell and (cell["status"] != UNREVIEWED).all():
        return "reviewed"
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
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    selected: pd.DataFrame,
    lang: str,
    view: ViewState | None = None,
) -> html.Div:
    """Area × indicator, each cell a link to the chart of that indicator with that area selected (in the
    `view`'s language and years)."""
    view = view or ViewState(lang=lang)
    header = html.Tr(
        [html.Th(t("col_area", lang))]
        + [html.Th(localized(ind, "name", lang), title=ind["id"]) for _, ind in indicators.iterrows()]
    )
    cells_by_key = coverage_cells(values)
    missing = ("missing", "")
    body = []
    for code, area in zip(selected["code"], selected["short_name"], strict=True):
        cells = [html.Th(area)]
        for indicator_id, category in zip(indicators["id"], indicators["category"], strict=True):
            status, years = cells_by_key.get((code, indicator_id), missing)
            label = dcc.Link(years or t("cov_missing", lang), href=cell_href(view, code, category))
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


def cell_href(view: ViewState, code: str, category: str) -> str:
    """`/?area=<code>&year=…&cat=<category>`: the view with only this area, on the indicator's panel (the
    charts, not the table); the area written by its code, which names it whatever other area shares
    its short name."""
    cell = replace(view, areas=(code,), group=None, peers=None, level=None, cat=category, view=None)
    return "/" + to_query(cell, CODES_ONLY)


def headline_cards(n_areas: int, n_values: int, selected: pd.DataFrame, counts: dict[str, int], lang: str):
    """Reports loaded, selected areas with data, values shown, files refused."""
    cards = (
        ("card_documents", str(counts["documents"])),
        ("card_areas", f"{n_areas} / {len(selected)}"),
        ("card_values", str(n_values)),
        ("card_quarantine", str(counts["quarantined"])),
    )
    return html.Div(
        [
            html.Div([html.Div(number, className="card-number"), html.Div(t(key, lang))], className="card")
            for key, number in cards
        ],
        className="cards",
    )


def overview_body(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    selected: pd.DataFrame,
    counts: dict[str, int],
    lang: str,
    view: ViewState | None = None,
) -> html.Div:
    """Cards and the area × indicator matrix of named areas (at most MAX_AREAS rows)."""
    return html.Div(
        [
            headline_cards(values["area_code"].nunique(), len(values), selected, counts, lang),
            coverage_matrix(values, indicators, selected, lang, view),
        ]
    )


def province_cells(coverage: pd.DataFrame, indicators: pd.DataFrame, selected: pd.DataFrame, lang: str):
    """The heat map's cells: per province and indicator, the share of the province's selected areas that
    reported it, labelled with the counts."""
    sizes = selected.groupby("province_code").size()
    names = {i["id"]: localized(i, "name", lang) for _, i in indicators.iterrows()}
    cells = coverage.dropna(subset=["indicator"]).copy()
    cells = cells[cells["indicator"].isin(names)]
    cells["row"] = cells["province"].map(province_short)
    cells["column"] = cells["indicator"].map(names)
    cells["share"] = cells["areas"] / cells["province_code"].map(sizes)
    size_of = sizes.to_dict()  # a dict look-up a cell: a Series look-up costs ten times more
    cells["label"] = [
        t("coverage_cell", lang, n=n, m=int(size_of[code]), derived=d, flagged=f, reviewed=r)
        for n, code, d, f, r in zip(
            cells["areas"],
            cells["province_code"],
            cells["derived"],
            cells["flagged"],
            cells["reviewed"],
            strict=True,
        )
    ]
    return cells


def ranked_overview_body(
    coverage: pd.DataFrame,
    indicators: pd.DataFrame,
    selected: pd.DataFrame,
    counts: dict[str, int],
    state: ViewState,
    index: AreaIndex,
) -> html.Div:
    """Cards and the province × indicator heat map of a view of many areas, with a link per province to
    that province's areas (the drill-down)."""
    lang = state.lang
    total = coverage[coverage["indicator"].isna()]
    n_areas, n_values = (int(total[c].sum()) for c in ("areas", "n_values"))
    provinces = selected.drop_duplicates("province_code")[["province_code", "province"]]
    rows = [province_short(p) for p in provinces["province"]]
    columns = [localized(i, "name", lang) for _, i in indicators.iterrows()]
    cells = province_cells(coverage, indicators, selected, lang)
    links = [
        dcc.Link(province_short(name), href="/" + to_query(replace(state, group=f"prov:{code[:2]}"), index))
        for code, name in zip(provinces["province_code"], provinces["province"], strict=True)
    ]
    return html.Div(
        [
            headline_cards(n_areas, n_values, selected, counts, lang),
            html.H3(t("coverage_by_province", lang), className="coverage-title"),
            dcc.Graph(
                id="coverage-heatmap",
                figure=coverage_heatmap(cells, rows, columns, lang),
                config=graph_config("coverage", lang),
            ),
            html.Div([html.Span(t("coverage_drill", lang)), *links], className="drill-links"),
        ]
    )
