"""The dashboard page as bounded pieces of work: a skeleton (one section per panel, each holding the view
it shows), then each panel's body on its own request (one query of its indicators' values, a slot per
chart and the table's first page), then each chart on its own request; each built once per (database
file, view) and kept in a bounded cache. Charts never grow with the number of areas; the table keeps
every area and sends a page at a time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import pandas as pd
from dash import dcc, html
from pandas.api.extensions import take

from dashboard import queries
from dashboard.cache import per_database
from dashboard.citation import citation_body
from dashboard.export_menu import EXPORT_ALL, export_menu
from dashboard.i18n import t
from dashboard.layout import own_loading
from dashboard.overview import overview_body, ranked_overview_body
from dashboard.panels import COUNTS_KEY_SUFFIX, category_body, chart_body, chart_plans, is_ranked
from dashboard.review.marks import marks_shown
from dashboard.shaping import localized, ratio_of, shape_all
from dashboard.state import ViewState, to_query
from dashboard.tables import panel_table, table_page, with_home_rows
from dashboard.view import area_index, load_state, selected_areas

OVERVIEW = "overview"  # the panel key of the overview; the others are category ids
# What each cache keeps: panel bodies (~20 kB each, the table's first page) and charts (~10-40 kB each)
# answer repeated views; the shaped values (per areas, years, per 10k and language) and tables are shared
# by every home area of a view, so a new home area costs its charts only, and are bounded by rows (a
# category over 10 years at 300 areas: ~11,000 rows, ~0.5 kB a row beyond the sentences they share with
# the values), ~150 MB a process in all at most.
PANEL_CACHE_SIZE = 256
CHART_CACHE_SIZE = 512  # ~4 charts a panel
# only read to shape, but every variant of a view (per 10k, language, home area) and every page of
# its table starts from them: a view's first visit costs its shaping, not a query, when they are kept
VALUES_ROWS_BUDGET = 100_000
SHAPED_ROWS_BUDGET = TABLE_ROWS_BUDGET = 200_000
CACHE_ENTRIES = 1_000  # entries of the row-bounded caches: latest-year views are small


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
            own_loading(html.Div(id={"type": "panel-body", "cat": key}, className="panel-body")),
            dcc.Store(id={"type": "panel-view", "cat": key}, data=search),
        ],
        id=f"panel-{key}",
        className="panel",
    )


def panel_body(db_path: Path, key: str, search: str | None) -> object:
    """The body of one panel for the view a query string asks for (cached per database and view)."""
    return requested(_panel_body, db_path, key, search)


def requested(build: Callable[..., object], db_path: Path, key: object, search: object) -> object:
    """What `build` makes of a store's request: a panel's or a chart's key and the view its query string
    asks for (anything else: the default view), with whether values are marked by review status
    (dashboard/review/marks.py). A key that is not text (a forged id) has no data."""
    state, _, _, _ = load_state(db_path, search if isinstance(search, str) else "")
    if not isinstance(key, str):  # cache keys must hash
        return html.P(t("no_data", state.lang))
    return build(db_path, key, state, marks_shown(db_path))


@per_database(PANEL_CACHE_SIZE)
def _panel_body(db_path: Path, key: str, state: ViewState, marks: bool) -> object:
    """`marks`: the table says each value's review status (dashboard/review/marks.py)."""
    areas = queries.areas(db_path)
    selected = selected_areas(areas, state)
    indicators = queries.indicators(db_path)
    if key == OVERVIEW:
        return overview(db_path, state, selected, indicators, areas)
    categories = queries.categories(db_path).set_index("id", drop=False)
    if key not in categories.index:
        return html.P(t("no_data", state.lang))
    shaped = category_shaped(db_path, key, *view_of(selected, state))
    query = to_query(state, area_index(db_path))
    return category_body(categories.loc[key], indicators, shaped, state, query, marks)


def chart(db_path: Path, key: str, search: str | None) -> object:
    """One chart of a panel (its slot's `key`) with its caption for the view a query string asks for
    (cached per database and view); a key no panel of the view has (a forged request, or a database
    swapped in since the panel came) says there is no data."""
    return requested(_chart, db_path, key, search)


@per_database(CHART_CACHE_SIZE)
def _chart(db_path: Path, key: str, state: ViewState, marks: bool) -> object:
    """`marks`: each point's hover says its review status (dashboard/review/marks.py)."""
    indicators = queries.indicators(db_path)
    category = chart_category(indicators, key)
    if category is None:
        return html.P(t("no_data", state.lang))
    selected = selected_areas(queries.areas(db_path), state)
    shaped = category_shaped(db_path, category, *view_of(selected, state))
    own = indicators[indicators["category"] == category]
    plan = next((p for p in chart_plans(own, indicators, shaped, state.lang) if p.key == key), None)
    if plan is None:
        return html.P(t("no_data", state.lang))
    citations = document_citations(db_path, state.lang)
    return chart_body(plan, shaped, selected, state, citations, marks)


def chart_category(indicators: pd.DataFrame, key: str) -> str | None:
    """The category of a chart's key: its indicator's, or its rate's for a counts chart."""
    found = indicators.loc[indicators["id"] == key.removesuffix(COUNTS_KEY_SUFFIX), "category"]
    return found.iloc[0] if len(found) else None


def overview(
    db_path: Path, state: ViewState, selected: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame
) -> object:
    """Cards and coverage: per province (one aggregate query) for many areas, per area for named ones."""
    counts = queries.overview_counts(db_path)
    codes = tuple(selected["code"])
    if is_ranked(state, len(selected)):
        coverage = queries.coverage_by_province(
            db_path, codes, state.year.first, state.year.last, state.only_reviewed
        )
        return ranked_overview_body(coverage, indicators, selected, counts, state, area_index(db_path))
    values = queries.indicator_values(
        db_path, list(codes), state.year.first, state.year.last, state.only_reviewed
    )
    return overview_body(values, indicators, selected, counts, state.lang)


# codes, years, per, lang, reviewed only
BaseView = tuple[tuple[str, ...], int | None, int | None, str | None, str, bool]


def base_view(db_path: Path, state: ViewState) -> BaseView:
    """What a category's values, shaping and table depend on: the areas, years, per 10k, language and
    whether only reviewed values are shown, not the home area (it only highlights, so a new home area
    reuses the rest)."""
    return view_of(selected_areas(queries.areas(db_path), state), state)


def view_of(selected: pd.DataFrame, state: ViewState) -> BaseView:
    """`base_view` of the areas a caller has selected already."""
    return (
        tuple(selected["code"]),
        state.year.first,
        state.year.last,
        state.per,
        state.lang,
        state.only_reviewed,
    )


@per_database(CACHE_ENTRIES, len, VALUES_ROWS_BUDGET)
def category_values(
    db_path: Path, key: str, codes: tuple[str, ...], first: int | None, last: int | None, reviewed: bool
) -> pd.DataFrame:
    """The values a category's charts and table show: its indicators and the counts its rates come from,
    for the view's areas: one query with the columns they need."""
    values = queries.panel_values(db_path, codes, first, last, category_ids(db_path, key), reviewed)
    areas = queries.areas(db_path).astype({"population": float})
    at = pd.Index(areas["code"]).get_indexer(values["area_code"])  # -1: no such area, NaN as a left join
    joined = {"area": "short_name", "population": "population", "population_source": "population_source"}
    return values.assign(**{c: take(areas[a].to_numpy(), at, allow_fill=True) for c, a in joined.items()})


@per_database()
def document_citations(db_path: Path, lang: str) -> Mapping[str, str]:
    """Doc id -> its citation (publisher《title》，date，address) for every document: the footers of the
    toolbar's pictures name their reports as the exports do (read-only: shared between requests)."""
    sources = queries.document_sources(db_path, None)
    return MappingProxyType({row["id"]: citation_body(row, lang) for row in sources.to_dict("records")})


@per_database()
def category_ids(db_path: Path, key: str) -> tuple[str, ...]:
    """The category's indicators and the counts its rates are derived from (per database: the catalog)."""
    indicators = queries.indicators(db_path)
    own = indicators[indicators["category"] == key]
    return tuple(
        dict.fromkeys([*own["id"], *(part for _, i in own.iterrows() for part in ratio_of(i) or ())])
    )


@per_database(CACHE_ENTRIES, lambda shaped: sum(map(len, shaped.values())), SHAPED_ROWS_BUDGET)
def category_shaped(db_path: Path, key: str, *view: object) -> Mapping[str, pd.DataFrame]:
    """Each of the category's indicators shaped once, for its charts and its table alike (read-only)."""
    codes, first, last, per, lang, reviewed = view
    indicators = queries.indicators(db_path)
    wanted = indicators[indicators["id"].isin(category_ids(db_path, key))]
    values = category_values(db_path, key, codes, first, last, reviewed)
    return MappingProxyType(shape_all(values, wanted, queries.dim_values(db_path), lang, per))


@per_database(CACHE_ENTRIES, len, TABLE_ROWS_BUDGET)
def _category_table(db_path: Path, key: str, *view: object) -> pd.DataFrame:
    indicators = queries.indicators(db_path)
    own = indicators[indicators["category"] == key]
    _, _, _, per, lang, _ = view
    return panel_table(category_shaped(db_path, key, *view), own, lang, per)


def category_table(db_path: Path, key: str, state: ViewState) -> pd.DataFrame:
    """Every value of the category's indicators in the view, the home area's rows marked: what the paged
    table and downloads hold."""
    return with_home_rows(_category_table(db_path, key, *base_view(db_path, state)), state.home)


def table_rows(db_path: Path, key: str, search: str | None, sort_by: object, page: object) -> list[dict]:
    """One page of a panel's table, sorted on the server over every row, the home area's rows marked."""
    state, _, _, _ = load_state(db_path, search if isinstance(search, str) else "")
    return table_page(_category_table(db_path, key, *base_view(db_path, state)), sort_by, page, state.home)
