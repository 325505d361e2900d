"""Peer groups of the home area (issue 9, item 7): `group=province|level|peers` in the URL selects the areas
of the home area's province, of its level, or of its level with a population within ±30% of its own; a
group needs a home area; it replaces the areas the link also names; a link round-trips. On a database of
80 areas × 2 years (tests/scale_db.py), checked against the area table itself."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from dashboard import queries
from dashboard.state import PEER_POPULATION_SHARE, to_query
from dashboard.view import load_state, selected_areas
from tests.browser import chromium_browser, live_dashboard, wait_for_charts
from tests.scale_db import build_scale_db


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_scale_db(tmp_path_factory.mktemp("peers") / "emergency.duckdb", areas=80, years=(2023, 2024))


@pytest.fixture(scope="module")
def reporting(db) -> pd.DataFrame:
    areas = queries.areas(db)
    return areas[areas["has_reports"].astype(bool)]


def home_with_peers(reporting: pd.DataFrame) -> pd.Series:
    """A city whose province has several reporting areas and whose population is known."""
    cities = reporting[(reporting["level"] == "city") & reporting["population"].notna()]
    by_province = cities.groupby("province_code")["code"].transform("count")
    return cities[by_province >= 2].iloc[0]


def codes_of(db, search: str) -> set[str]:
    state, _, _, areas = load_state(db, search)
    return set(selected_areas(areas, state)["code"])


def test_province_group_is_the_home_areas_province(db, reporting):
    home = home_with_peers(reporting)
    expected = set(reporting.loc[reporting["province_code"] == home["province_code"], "code"])
    assert codes_of(db, f"?group=province&home={home['code']}") == expected
    assert len(expected) >= 2


def test_level_group_is_every_reporting_area_of_the_home_areas_level(db, reporting):
    home = home_with_peers(reporting)
    expected = set(reporting.loc[reporting["level"] == home["level"], "code"])
    assert codes_of(db, f"?group=level&home={home['code']}") == expected


def test_population_peers_are_within_the_share_of_the_home_areas_population(db, reporting):
    home = home_with_peers(reporting)
    same_level = reporting[reporting["level"] == home["level"]]
    ratio = same_level["population"] / home["population"]
    expected = set(same_level.loc[(ratio - 1).abs() <= PEER_POPULATION_SHARE, "code"])
    found = codes_of(db, f"?group=peers&home={home['code']}")
    assert found == expected and home["code"] in found
    assert found < set(same_level["code"])  # a real narrowing, not every area of the level


def test_a_group_needs_a_home_area(db):
    state, notices, _, _ = load_state(db, "?group=peers")
    assert state.peers is None and ("notice_group_needs_home", {"value": "peers"}) in notices


def test_an_unknown_group_is_a_notice_naming_the_parameter(db, reporting):
    home = home_with_peers(reporting)
    state, notices, _, _ = load_state(db, f"?group=<b>x</b>&home={home['code']}")
    assert state.peers is None
    assert [n for n in notices if n[0] == "notice_bad_param"] == [
        ("notice_bad_param", {"param": "group", "value": "<b>x</b>"})
    ]


def test_a_group_replaces_named_areas_and_round_trips(db, reporting):
    home = home_with_peers(reporting)
    other = reporting[reporting["code"] != home["code"]].iloc[0]["code"]
    state, _, index, _ = load_state(db, f"?area={other}&group=province&home={home['code']}")
    assert state.areas == () and state.peers == "province"
    again, notices, _, _ = load_state(db, to_query(state, index))
    assert again == state and notices == []


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_one_click_on_a_peer_group_shows_it_and_writes_it_in_the_url(db, reporting):
    home = home_with_peers(reporting)
    with live_dashboard(db) as base_url, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base_url}/?cat=rescue&home={home['code']}")
        page.wait_for_selector("#panel-rescue .js-plotly-plot", timeout=20_000)
        wait_for_charts(page)
        page.locator("#group-select label", has_text="本省地区").click()
        page.wait_for_url("**group=province**", timeout=20_000)
        page.wait_for_load_state("networkidle")
        assert parse_qs(urlparse(page.url).query)["group"] == ["province"]
        names = set(reporting.loc[reporting["province_code"] == home["province_code"], "short_name"])
        others = sorted(set(reporting["short_name"]) - names)
        page.wait_for_function(  # the chart drawn again with the home area and none outside its province
            """([home, others]) => {
                const g = document.querySelector('#panel-rescue .js-plotly-plot');
                if (!g || !g.data) { return false; }
                const labels = new Set(g.data.flatMap(t => Array.from(t.x || []).concat(Array.from(t.y || [])))
                    .filter(l => typeof l === 'string').map(l => l.replace('★ ', '')));
                return labels.has(home) && !others.some(o => labels.has(o));
            }""",
            arg=[home["short_name"], others],
            timeout=20_000,
        )
