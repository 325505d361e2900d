"""The view a URL asks for, read against the database: what the page, the export menu and
`python -m dashboard export` all start from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import queries
from dashboard.cache import per_database
from dashboard.state import (
    GROUP_CITIES,
    MAX_AREAS,
    PEER_POPULATION_SHARE,
    AreaIndex,
    Notice,
    ViewState,
    parse_query,
    within_years,
)


def load_state(
    db_path: Path, search: str | None, cut_years: bool = True
) -> tuple[ViewState, list[Notice], AreaIndex, pd.DataFrame]:
    """The view the query string asks for, the notices about what it ignored, and the area table. A page
    (`cut_years`) shows only years loaded: a year range past them is cut to them, with a notice; the
    `export` command takes the years as given (a year with no value is "nothing matched", not a cut)."""
    areas = queries.areas(db_path)
    index = area_index(db_path)
    state, notices = parse_query(search or "", index, queries.categories(db_path)["id"].tolist())
    if cut_years:
        state, year_notices = within_years(state, queries.report_years(db_path))
        notices += year_notices
    return state, notices, index, areas


@per_database(size=4)
def area_index(db_path: Path) -> AreaIndex:
    """Built once per database file: resolving names is then a dict look-up per request."""
    return AreaIndex(queries.areas(db_path))


def group_areas(areas: pd.DataFrame, group: str | None) -> pd.DataFrame:
    """The areas of a group (`cities`, `prov:44`); every area without one."""
    if group == GROUP_CITIES:
        return areas[areas["level"] == "city"]
    if group:
        return areas[areas["province_code"].str[:2] == group.removeprefix("prov:")]
    return areas


def peer_areas(areas: pd.DataFrame, own: pd.Series, peers: str) -> pd.DataFrame:
    """The `areas` in the peer group of the home area `own`: its province, its level, or its level with a
    population within ±PEER_POPULATION_SHARE of its own (none when its population is unknown)."""
    if peers == "province":
        return areas[areas["province_code"] == own["province_code"]]
    same_level = areas[areas["level"] == own["level"]]
    if peers == "level":
        return same_level
    population = pd.to_numeric(same_level["population"], errors="coerce")
    own_population = pd.to_numeric(own["population"], errors="coerce")
    near = (population - own_population).abs() <= PEER_POPULATION_SHARE * own_population
    return same_level[near]


def default_areas(areas: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """Every area with reports (of the group and the chosen level): what a ranked view covers."""
    chosen = group_areas(areas[areas["has_reports"]], state.group)
    home = areas[areas["code"] == state.home]
    if state.peers and not home.empty:
        chosen = peer_areas(chosen, home.iloc[0], state.peers)
    return chosen[chosen["level"] == state.level] if state.level else chosen


def selected_areas(areas: pd.DataFrame, state: ViewState) -> pd.DataFrame:
    """The areas named, in their order (at most MAX_AREAS), or every area of the ranked view with the
    home area (a group's view shows it even when it lies outside the group)."""
    if state.areas:
        by_code = areas.set_index("code")
        known = [code for code in state.areas[:MAX_AREAS] if code in by_code.index]
        return by_code.loc[known].reset_index()
    chosen = default_areas(areas, state)
    if state.home and state.home not in set(chosen["code"]):
        chosen = pd.concat([chosen, areas[areas["code"] == state.home]])
    return chosen
