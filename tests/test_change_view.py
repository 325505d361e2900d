"""The change view (issue 9, item 3; `view=change`): each area's change from the year before to its latest
year as diverging bars. Pure figure tests on small frames (sorting, colours by direction, no bar for an
area without the year before or with a part-year figure, percentage points for rates, the ranked cut);
the numbers checked against the database's own rows and the table view's change column; the seed
database, where no area has two years, drawn with no bar at all; and, in Chromium, bars, the 无上年数据
list and a click opening the evidence of the latest value."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import queries
from dashboard.app import create_app
from dashboard.callbacks import controls_from_state, state_from_controls
from dashboard.change_view.figures import IMPROVED, NEUTRAL, WORSENED, change_figure
from dashboard.change_view.frame import CHANGED, NO_PREVIOUS, NOT_COMPARABLE, change_frame
from dashboard.change_view.layout import change_view_page, indicator_cards, view_changes
from dashboard.figures import HOME_MARK
from dashboard.i18n import t
from dashboard.shaping import RANKED_EACH_END
from dashboard.state import CHANGE, ViewState, parse_query, to_query
from dashboard.table_view.rows import view_table
from dashboard.view import area_index, load_state
from tests.browser import WAIT_MS, chromium_browser, live_dashboard
from tests.scale_db import build_scale_db

YEARS = (2022, 2024)
VIEW = f"?view=change&year={YEARS[0]}-{YEARS[1]}&cat=hazards"


def indicator(id_: str, unit: str, is_rate: bool = False, better: object = True, dims=()) -> pd.Series:
    """An indicator row as `queries.indicators` gives it."""
    return pd.Series(
        {
            "id": id_,
            "name_zh": id_,
            "name_en": id_,
            "category": "c",
            "unit": unit,
            "unit_en": unit,
            "is_rate": is_rate,
            "per_capita": not is_rate,
            "higher_is_better": better,
            "dims": np.array(list(dims), dtype=object),
        }
    )


def values(id_: str, rows: list[tuple]) -> pd.DataFrame:
    """`queries.table_view_values` rows of one indicator: (area code, value, previous value, period,
    previous period); the latest year 2024, NaN previous for none."""
    return pd.DataFrame(
        [
            {
                "area_code": code,
                "year": 2024,
                "indicator": id_,
                "level": None,
                "field": None,
                "kind": None,
                "role": None,
                "value": value,
                "approx": None,
                "period": period,
                "derived": False,
                "doc_id": f"doc{code}",
                "start": 7,
                "previous_value": previous,
                "previous_approx": None,
                "previous_period": None if previous is None else previous_period,
            }
            for code, value, previous, period, previous_period in rows
        ]
    )


AREAS = pd.DataFrame(
    {"code": [f"a{i:02d}" for i in range(40)], "short_name": [f"地{i}" for i in range(40)], "population": 1e5}
)
NO_DIMS = pd.DataFrame(columns=["dim", "value", "name_zh", "name_en", "sort_order"])


def frame_of(ind: pd.Series, rows: list[tuple], lang: str = "zh", per: str | None = None) -> pd.DataFrame:
    return change_frame(values(ind["id"], rows), pd.DataFrame([ind]), NO_DIMS, AREAS, lang, per)


def figure_of(ind: pd.Series, frame: pd.DataFrame, lang: str = "zh", ranked: bool = False, home=None):
    changed = frame[frame["status"] == CHANGED].assign(is_home=frame["area_code"] == home)
    unit = ind["unit"]
    return change_figure(
        changed, ind["id"], unit, ind["is_rate"], ind["higher_is_better"], lang, ranked, home
    )


def bars(figure) -> dict:
    return (figure if isinstance(figure, dict) else figure.to_dict())["data"][0]


TEAMS = indicator("teams", "支")
ROWS = [
    ("a00", 10, 12, "year", "year"),  # -2
    ("a01", 30, 20, "year", "year"),  # +10
    ("a02", 5, None, "year", "year"),  # no year before
    ("a03", 8, 8, "year", "year"),  # 0
    ("a04", 14, 10, "partial", "year"),  # a part-year figure: not compared
    ("a05", 9, 3, "year", "year"),  # +6
]


def test_bars_are_sorted_by_change_largest_rise_on_top_with_no_bar_for_what_cannot_be_compared():
    frame = frame_of(TEAMS, ROWS)
    status = dict(zip(frame["area_code"], frame["status"], strict=True))
    assert status == {
        "a00": CHANGED,
        "a01": CHANGED,
        "a02": NO_PREVIOUS,
        "a03": CHANGED,
        "a04": NOT_COMPARABLE,
        "a05": CHANGED,
    }
    assert frame.loc[frame["status"] != CHANGED, "change"].isna().all()  # never 0
    drawn = bars(figure_of(TEAMS, frame))
    assert drawn["x"] == [10, 6, 0, -2] and drawn["y"] == ["地1", "地5", "地3", "地0"]
    layout = figure_of(TEAMS, frame).to_dict()["layout"]
    assert layout["yaxis"]["categoryarray"] == ["地0", "地3", "地5", "地1"]  # drawn bottom-up: rise on top
    assert drawn["customdata"] == ["doca01/teams/7", "doca05/teams/7", "doca03/teams/7", "doca00/teams/7"]
    assert drawn["text"][:2] == ["+10 (+50%)", "+6 (+200%)"] and drawn["text"][3] == "-2 (-16.67%)"


def test_areas_sharing_a_name_keep_their_own_bars_and_a_mix_of_latest_years_is_labelled():
    frame = frame_of(TEAMS, ROWS[:2]).assign(area="朝阳", year=[2024, 2023])  # a00, a01
    drawn = bars(figure_of(TEAMS, frame))
    assert drawn["y"] == ["朝阳 a01 (2022→2023)", "朝阳 a00 (2023→2024)"]
    assert drawn["hovertext"][0].startswith("<b>朝阳</b><br>2022: 20支<br>2023: 30支")


@pytest.mark.parametrize(
    "better, colours",
    [
        (True, [IMPROVED, IMPROVED, NEUTRAL, WORSENED]),
        (False, [WORSENED, WORSENED, NEUTRAL, IMPROVED]),
        (pd.NA, [NEUTRAL] * 4),  # the catalog says neither direction is better
    ],
)
def test_colours_say_whether_the_change_is_an_improvement(better, colours):
    ind = indicator("teams", "支", better=better)
    figure = figure_of(ind, frame_of(ind, ROWS))
    assert bars(figure)["marker"]["color"] == colours
    legend = {trace["name"] for trace in figure.to_dict()["data"][1:]}
    names = {IMPROVED: "change_improved", WORSENED: "change_worsened", NEUTRAL: "change_neutral"}
    assert legend == {t(names[c], "zh") for c in colours}


def test_a_rate_changes_in_percentage_points_and_a_count_also_in_percent():
    rate = indicator("closure", "%", is_rate=True)
    frame = frame_of(rate, [("a00", 96.5, 92.0, "year", "year"), ("a01", 90.0, 91.5, "year", "year")])
    assert frame["change_pct"].isna().all()
    figure = figure_of(rate, frame).to_dict()
    assert bars(figure)["text"] == ["+4.5", "-1.5"]  # no % of a %
    assert figure["layout"]["title"]["text"] == "closure（个百分点）"
    english = figure_of(rate, frame, "en").to_dict()
    assert english["layout"]["title"]["text"] == "closure (pp)"
    assert "2023: 92%<br>2024: 96.5%<br>Change: +4.5 pp" in bars(english)["hovertext"][0]
    count = bars(figure_of(TEAMS, frame_of(TEAMS, ROWS), "en"))
    assert "2023: 20 支<br>2024: 30 支<br>Change: +10 支 (+50%)" in count["hovertext"][0]


def test_per_10k_divides_both_years_and_keeps_the_percent_change():
    frame = frame_of(TEAMS, ROWS, per="10k").set_index("area_code")
    assert math.isclose(frame.loc["a01", "change"], 10 / 1e5 * 1e4)
    assert math.isclose(frame.loc["a01", "change_pct"], 50)


def test_many_areas_draw_the_largest_rises_and_falls_the_home_area_and_one_row_for_the_rest():
    rows = [(f"a{i:02d}", 100 + i, 100, "year", "year") for i in range(40)]  # changes 0..39
    frame = frame_of(TEAMS, rows)
    home = "a20"
    figure = figure_of(TEAMS, frame, ranked=True, home=home).to_dict()
    drawn = bars(figure)
    assert len(drawn["x"]) == 2 * RANKED_EACH_END + 1
    assert drawn["x"][:RANKED_EACH_END] == list(range(39, 29, -1)) and drawn["x"][-1] == 0
    assert HOME_MARK + "地20" in drawn["y"] and 20 in drawn["x"]
    assert drawn["marker"]["line"]["width"][drawn["y"].index(HOME_MARK + "地20")] == 3
    order = figure["layout"]["yaxis"]["categoryarray"][::-1]
    rest = t("ranked_rest", "zh", n=40 - 2 * RANKED_EACH_END - 1)
    assert order[RANKED_EACH_END] == rest and order[RANKED_EACH_END + 1] == HOME_MARK + "地20"
    assert figure["layout"]["annotations"][0]["y"] == rest


def test_a_card_lists_the_areas_with_no_year_before_and_says_so_when_none_has_two_years():
    selected = AREAS.head(8)
    state = ViewState(lang="zh", areas=tuple(selected["code"]))
    frame = frame_of(TEAMS, ROWS).assign(is_home=False)
    (card,) = indicator_cards(TEAMS, frame, selected, state)
    text = json.dumps(card.to_plotly_json(), ensure_ascii=False, default=lambda c: c.to_plotly_json())
    assert t("change_no_previous", "zh", names="地2") in text
    assert "地4" in text.split(t("change_not_comparable", "zh", names=""))[1][:10]
    assert t("caption_missing", "zh", names="地6、地7") in text
    lonely = frame_of(TEAMS, [("a00", 3, None, "year", "year")]).assign(is_home=False)
    (card,) = indicator_cards(TEAMS, lonely, selected, state)
    text = json.dumps(card.to_plotly_json(), ensure_ascii=False, default=lambda c: c.to_plotly_json())
    assert t("change_none", "zh") in text and '"Graph"' not in text


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_scale_db(tmp_path_factory.mktemp("change") / "change.duckdb", areas=12, years=YEARS)


def expected_changes(db: Path, per: bool) -> dict[tuple, float | None]:
    """(area code, indicator, dims) -> the change from the year before to the latest year of the hazards
    category, computed here from the database rows (None: no year before, or not two whole years)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            """SELECT v.area_code, v.indicator, v.level, v.field, v.kind, v.role, v.year, v.value, v.period,
                      a.population, i.per_capita
               FROM indicator_values v JOIN areas a ON a.code = v.area_code
               JOIN indicators i ON i.id = v.indicator WHERE i.category = 'hazards'"""
        ).fetchall()
    by_key = {(r[0], r[1], r[2:6], r[6]): r for r in rows}
    latest: dict[tuple, int] = {}
    for r in rows:
        latest[(r[0], r[1])] = max(latest.get((r[0], r[1]), 0), r[6])
    out = {}
    for r in rows:
        if r[6] != latest[(r[0], r[1])]:
            continue
        before = by_key.get((r[0], r[1], r[2:6], r[6] - 1))
        scale = 1e4 / r[9] if per and r[10] else 1
        whole = before is not None and r[8] == before[8] == "year"
        out[(r[0], r[1], r[2:6])] = (r[7] - before[7]) * scale if whole else None
    return out


@pytest.mark.parametrize("search, per", [(VIEW, False), (VIEW + "&per=10k&lang=en", True)])
def test_every_change_is_the_one_computed_from_the_database_and_the_table_views(db, search, per):
    state, notices, _, _ = load_state(db, search)
    assert state.view == CHANGE and not notices
    codes = tuple(queries.areas(db).query("has_reports")["code"])
    frame = view_changes(db, codes, *YEARS, state.cat, state.per, state.lang, False)
    expected = expected_changes(db, per)
    got = {(r["area_code"], r["indicator"], (None,) * 4): r for r in frame.to_dict("records")}
    assert set(got) == set(expected)
    for key, want in expected.items():
        if want is None:
            assert got[key]["status"] in (NO_PREVIOUS, NOT_COMPARABLE) and math.isnan(got[key]["change"])
        else:
            assert got[key]["status"] == CHANGED and math.isclose(got[key]["change"], want, abs_tol=1e-9)
    assert {NO_PREVIOUS, NOT_COMPARABLE, CHANGED} <= set(frame["status"])
    table = view_table(db, state).set_index("fact")["change_number"]
    both = frame[frame["status"] == CHANGED]
    assert np.allclose(table.loc[both["fact"]].to_numpy(), both["change"].round(4).to_numpy(), atol=1e-4)


def test_the_seed_reports_give_one_year_per_area_so_no_bar_is_drawn_and_every_area_is_listed(seed_db):
    with duckdb.connect(str(seed_db), read_only=True) as con:
        pairs = con.execute(
            """SELECT count(*) FROM indicator_values v JOIN indicator_values p ON p.area_code = v.area_code
               AND p.indicator = v.indicator AND p.year = v.year - 1"""
        ).fetchone()[0]
        names = con.execute(
            "SELECT DISTINCT a.short_name FROM indicator_values v JOIN areas a ON a.code = v.area_code"
        ).fetchall()
        reported = con.execute("SELECT DISTINCT indicator FROM indicator_values").fetchall()
    reporting = {name for (name,) in names}
    assert pairs == 0
    state, _, _, _ = load_state(seed_db, "?view=change")
    page = json.dumps(
        change_view_page(seed_db, state).to_plotly_json(),
        ensure_ascii=False,
        default=lambda c: c.to_plotly_json(),
    )
    assert '"type": "chart"' not in page and "change-view" in page
    assert page.count(t("change_none", "zh")) == len(reported)
    listed = page.split(t("change_no_previous", "zh", names=""))[1:]
    assert reporting == {name for part in listed for name in part.split('"')[0].split("、")}


def test_the_view_round_trips_in_the_url_and_the_controls(db):
    index = area_index(db)
    state, notices = parse_query(VIEW, index, ["hazards"])
    assert state.view == CHANGE and not notices and "view=change" in to_query(state, index)
    assert parse_query(to_query(state, index), index, ["hazards"])[0] == state
    controls = controls_from_state(state)
    assert controls[-1] == CHANGE and state_from_controls(controls, "zh", index)[0].view == CHANGE


def test_the_page_shows_the_change_view_instead_of_the_panels(db):
    client = create_app(db).server.test_client()
    body = client.post(
        "/_dash-update-component",
        json={
            "output": "..content.children...filter-bar.style..",
            "outputs": [{"id": "content", "property": "children"}, {"id": "filter-bar", "property": "style"}],
            "inputs": [
                {"id": "url", "property": "pathname", "value": "/"},
                {"id": "url", "property": "search", "value": VIEW},
            ],
            "changedPropIds": ["url.search"],
        },
    ).get_json()
    body = json.dumps(body, ensure_ascii=False)
    assert "change-view" in body and "change-inspections-0" in body and "panel-body" not in body


@pytest.mark.browser
@pytest.mark.timeout(120)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_in_chromium_bars_the_no_previous_list_and_a_click_opening_the_evidence(db, tmp_path, lang):
    served = tmp_path / "served.duckdb"
    shutil.copy(db, served)
    state, _, _, _ = load_state(db, VIEW)
    codes = tuple(queries.areas(db).query("has_reports")["code"])
    frame = view_changes(db, codes, *YEARS, state.cat, state.per, lang, False)
    inspections = frame[frame["indicator"] == "inspections"]
    changed = inspections[inspections["status"] == CHANGED].sort_values("change", ascending=False)
    no_previous = inspections.loc[inspections["status"] == NO_PREVIOUS, "area"].tolist()
    assert len(changed) >= 3 and no_previous
    with live_dashboard(served) as base_url, chromium_browser() as browser:
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.goto(f"{base_url}/{VIEW}&lang={lang}")
        graph = "[id*='change-inspections-0']"
        tab.wait_for_selector(f"{graph} .point path", timeout=WAIT_MS)
        points = tab.locator(f"{graph} .barlayer .trace.bars").first.locator(
            ".point path"
        )  # not the legend's
        assert points.count() == len(changed)
        card = tab.locator(".chart-card", has=tab.locator(graph)).inner_text()
        assert t("change_no_previous", lang, names=t("list_joiner", lang).join(no_previous)) in card
        bar = points.first  # the largest rise
        box = bar.bounding_box()
        tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tab.wait_for_selector(".evidence-panel.open .evidence mark", timeout=WAIT_MS)
        evidence = tab.locator(".evidence").inner_text()
        top = changed.iloc[0]
        assert top["area"] in evidence and f"{top['shown']:g}" in tab.locator(".evidence mark").inner_text()
