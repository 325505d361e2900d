"""A coverage-matrix cell opens the chart of its indicator with its area selected (issue #9): the link
is a view the dashboard parses back to that area and the indicator's category, in the view's language and
years. On the database the ETL builds from the seed reports."""

from __future__ import annotations

from dash import dcc

from dashboard import page, queries
from dashboard.overview import overview_body
from dashboard.view import load_state, selected_areas

VIEW = "?area=深圳,漯河,汕尾&year=2021-2023&lang=en&per=10k"


def links(component: object) -> list[dcc.Link]:
    """Every dcc.Link in a Dash component tree, in document order."""
    if isinstance(component, list | tuple):
        return [link for child in component for link in links(child)]
    found = [component] if isinstance(component, dcc.Link) else []
    children = getattr(component, "children", None)
    return found + (links(children) if children is not None and not isinstance(children, str) else [])


def matrix_links(db_path, search: str) -> tuple[list[dcc.Link], object, object]:
    state, _, _, areas = load_state(db_path, search)
    selected = selected_areas(areas, state)
    indicators = queries.indicators(db_path)
    values = queries.indicator_values(db_path, selected["code"].tolist(), state.year.first, state.year.last)
    counts = queries.overview_counts(db_path)
    body = overview_body(values, indicators, selected, counts, state.lang, view=state)
    return links(body), selected, indicators


def test_every_cell_opens_its_areas_chart_of_its_indicator_in_the_same_years_and_language(seed_db):
    found, selected, indicators = matrix_links(seed_db, VIEW)
    assert len(found) == len(selected) * len(indicators)  # every cell, reported or not
    cells = [(code, category) for code in selected["code"] for category in indicators["category"]]
    for link, (code, category) in zip(found, cells, strict=True):
        state, notices, _, _ = load_state(seed_db, link.href.removeprefix("/"))
        assert not notices and link.href.startswith("/?")
        assert state.areas == (code,) and state.cat == category
        assert (str(state.year), state.lang, state.per, state.view) == ("2021-2023", "en", "10k", None)


def test_a_cell_names_its_area_by_code_and_shows_what_it_reported(seed_db):
    found, _, indicators = matrix_links(seed_db, "?area=深圳,汕尾")
    hazards = list(indicators["id"]).index("hazards_found")
    shanwei = found[len(indicators) + hazards]
    assert shanwei.children == "2022"
    assert shanwei.href == "/?area=441500&year=latest&cat=hazards"


def test_the_overview_panel_links_its_cells(seed_db):
    """The page's own overview panel, as the browser receives it."""
    found = links(page.panel_body(seed_db, "overview", "?area=深圳,汕尾&lang=en"))
    assert found and all("lang=en" in link.href and "&cat=" in link.href for link in found)
