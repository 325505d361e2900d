"""The dashboard page as bounded pieces of work: a skeleton (one section per panel, each holding the view
it shows), then each panel's body on its own request: one query of its indicators' values, built once
per (database file, view) and kept in a bounded cache. Charts never grow with the number of areas; the
table keeps every area and sends a page at a time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from dash import dcc, html

from dashboard import queries
from dashboard.cache import per_database
from dashboard.export_menu import EXPORT_ALL, export_menu
from dashboard.i18n import t
from dashboard.overview import overview_body, ranked_overview_body
from dashboard.panels import category_body, is_ranked
from dashboard.shaping import localized, ratio_of
from dashboard.state import ViewState
from dashboard.tables import panel_table, table_page
from dashboard.view import area_index, load_state, selected_areas

OVERVIEW = "overview"  # the panel key of the overview; the others are category ids
# Entries kept per cache, bounding memory to ~200 MB a process at 300 areas (a category over 10 years:
# ~6 MB of values, ~2.5 MB of table, ~0.6 MB of panel body): bodies answer repeated views, tables the
# pager, values are only read to build those two.
PANEL_CACHE_SIZE = 128
TABLE_CACHE_SIZE = 32
VALUES_CACHE_SIZE = 8


def skeleton(categories: pd.DataFrame, state: ViewState, search: str) -> list:
    """The export menu and one empty section per panel of the view; each section's store holds the
    query string, whose arrival asks the server for that panel's body."""
    shown = categories[categories["id"] == state.cat] if state.cat else categories
    sections = [] if state.cat else [panel_shell(OVERVIEW, t("overview", state.lang), None, search)]
    sections += [
        panel_shell(c["id"], localized(c, "name", state.lang), export_menu(c["id"], state.lang), search)
        for _, c in shown.iterrows()
    ]
    return [export_menu(EXPORT_ALL, state.lang), *sections]


def panel_shell(key: str, title: str, menu: object, search: str) -> html.Section:
    return html.Section(
        [
            html.Div([html.H2(title), menu], className="panel-head"),
            dcc.Loading(html.Div(id={"type": "panel-body", "cat": key}, className="panel-body")),
            dcc.Store(id={"type": "panel-view", "cat": key}, data=search),
        ],
        id=f"panel-{key}",
        className="panel",
    )


def panel_body(db_path: Path, key: str, search: str | None) -> object:
    """The body of one panel for the view a query string asks for (cached per database and view); a
    store value no page could hold (a forged request) is the default view."""
    state, _, _, _ = load_state(db_path, search if isinstance(search, str) else "")
    return _panel_body(db_path, key, state)


@per_database(PANEL_CACHE_SIZE)
def _panel_body(db_path: Path, key: str, state: ViewState) -> object:
    areas = queries.areas(db_path)
    selected = selected_areas(areas, state)
    indicators = queries.indicators(db_path)
    if key == OVERVIEW:
        return overview(db_path, state, selected, indicators, areas)
    categories = queries.categories(db_path).set_index("id", drop=False)
    if key not in categories.index:
        return html.P(t("no_data", state.lang))
    values = category_values(db_path, key, state)
    table = category_table(db_path, key, state)
    dim_values = queries.dim_values(db_path)
    return category_body(categories.loc[key], indicators, values, selected, dim_values, state, table)


def overview(
    db_path: Path, state: ViewState, selected: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame
) -> object:
    """Cards and coverage: per province (one aggregate query) for many areas, per area for named ones."""
    counts = queries.overview_counts(db_path)
    codes = tuple(selected["code"])
    if is_ranked(state, len(selected)):
        coverage = queries.coverage_by_province(db_path, codes, state.year.first, state.year.last)
        return ranked_overview_body(coverage, indicators, selected, counts, state, area_index(db_path))
    values = queries.indicator_values(db_path, list(codes), state.year.first, state.year.last)
    return overview_body(values, indicators, selected, counts, state.lang)


@per_database(VALUES_CACHE_SIZE)
def category_values(db_path: Path, key: str, state: ViewState) -> pd.DataFrame:
    """The values a category's charts and table show: its indicators and the counts its rates come from,
    for the view's areas: one query with the columns they need."""
    selected = selected_areas(queries.areas(db_path), state)
    indicators = queries.indicators(db_path)
    own = indicators[indicators["category"] == key]
    ids = [*own["id"], *(part for _, i in own.iterrows() for part in ratio_of(i) or ())]
    codes = tuple(selected["code"])
    values = queries.panel_values(
        db_path, codes, state.year.first, state.year.last, tuple(dict.fromkeys(ids))
    )
    names = selected[["code", "short_name", "population", "population_source"]]
    names = names.rename(columns={"code": "area_code", "short_name": "area"}).astype({"population": float})
    return values.merge(names, on="area_code", how="left")


@per_database(TABLE_CACHE_SIZE)
def category_table(db_path: Path, key: str, state: ViewState) -> pd.DataFrame:
    """Every value of the category's indicators in the view: what the paged table and downloads hold."""
    indicators = queries.indicators(db_path)
    values = category_values(db_path, key, state)
    own = indicators[indicators["category"] == key]
    return panel_table(values, own, queries.dim_values(db_path), state.lang, state.per, state.home)


def table_rows(db_path: Path, key: str, search: str | None, sort_by: object, page: object) -> list[dict]:
    """One page of a panel's table, sorted on the server over every row."""
    state, _, _, _ = load_state(db_path, search if isinstance(search, str) else "")
    return table_page(category_table(db_path, key, state), sort_by, page)
