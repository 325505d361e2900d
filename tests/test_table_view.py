"""The table view (issue 9, item 4; `view=table`): the view's areas × indicators with value (every digit),
year, rank among the areas of the same level and change since the year before, checked against values
computed here from the database's own rows; sorted, filtered and paged on the server through the app's
real callbacks; downloaded as CSV and XLSX; and, in Chromium, sorted and clicked for its evidence."""

from __future__ import annotations

import base64
import csv
import io
import json
import math
import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from dashboard import queries
from dashboard.app import create_app
from dashboard.callbacks import controls_from_state, state_from_controls
from dashboard.i18n import t
from dashboard.state import TABLE, parse_query, to_query
from dashboard.table_view.layout import CSV_TYPE, DOWNLOAD_TYPE, KEY, TABLE_TYPE, XLSX_TYPE
from dashboard.table_view.rows import PAGE_ROWS, view_table
from dashboard.view import area_index, load_state
from tests.browser import WAIT_MS, chromium_browser, live_dashboard
from tests.scale_db import build_scale_db

VIEW = "?view=table&cat=hazards"
TIED, EXACT = "inspections", 68_949  # two areas given the same value; a value whose digits must all show


def _id(kind: str, cat: object = KEY) -> dict:
    return {"type": kind, "cat": cat}


def _key(kind: str) -> str:
    return json.dumps(_id(kind, ["MATCH"]), separators=(",", ":"), sort_keys=True)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A 12-area database over 2022-2024, with two cities' latest inspections tied and one of them 68,949."""
    path = build_scale_db(tmp_path_factory.mktemp("table") / "table.duckdb", areas=12, years=(2022, 2024))
    with duckdb.connect(str(path)) as con:
        cities = con.execute(
            """SELECT v.area_code, v.year FROM indicator_values v JOIN areas a ON a.code = v.area_code
               WHERE v.indicator = $i AND a.level = 'city'
               QUALIFY v.year = max(v.year) OVER (PARTITION BY v.area_code) ORDER BY v.area_code LIMIT 2""",
            {"i": TIED},
        ).fetchall()
        assert len(cities) == 2
        for code, year in cities:
            con.execute(
                "UPDATE indicator_values SET value = $v, approx = NULL "
                "WHERE area_code = $a AND year = $y AND indicator = $i",
                {"v": EXACT, "a": code, "y": year, "i": TIED},
            )
    return path


@pytest.fixture(scope="module")
def client(db):
    return create_app(db).server.test_client()


def expected_rows(db: Path, per: bool) -> dict[tuple, dict]:
    """(area code, indicator, dims) -> year, shown value, rank, ranked areas and change of the hazards
    category at each area's latest year, computed here from the database rows (a change only between two
    whole years)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            """SELECT v.area_code, v.year, v.indicator, v.level, v.field, v.kind, v.role, v.value,
                      a.level, a.population, i.higher_is_better, i.is_rate, v.period
               FROM indicator_values v JOIN areas a ON a.code = v.area_code
               JOIN indicators i ON i.id = v.indicator WHERE i.category = 'hazards'"""
        ).fetchall()
    by_key = {(r[0], r[2], r[3:7], r[1]): r for r in rows}
    latest = {}
    for r in rows:
        latest[(r[0], r[2])] = max(latest.get((r[0], r[2]), 0), r[1])
    shown = {}
    for r in rows:
        if r[1] == latest[(r[0], r[2])]:
            scale = 10_000 / r[9] if per and not r[11] else 1
            previous = by_key.get((r[0], r[2], r[3:7], r[1] - 1))
            comparable = previous and r[12] == previous[12] == "year"  # part-year figures are not compared
            change = (r[7] - previous[7]) * scale if comparable else None
            shown[(r[0], r[2], r[3:7])] = {"row": r, "year": r[1], "shown": r[7] * scale, "change": change}
    for (_, indicator, dims), item in shown.items():
        r = item["row"]
        peers = [
            other["shown"]
            for (_, i, d), other in shown.items()
            if i == indicator and d == dims and other["row"][8] == r[8]
        ]
        better = r[10]
        if better is None:
            item["rank"] = None
        else:
            item["rank"] = 1 + sum(p > item["shown"] if better else p < item["shown"] for p in peers)
        item["n"] = len(peers)
    return shown


@pytest.mark.parametrize("search, per", [(VIEW, False), (VIEW + "&per=10k&lang=en", True)])
def test_every_row_has_the_rank_year_and_change_computed_from_the_database(db, search, per):
    state, notices, _, _ = load_state(db, search)
    assert state.view == TABLE and not notices
    table = view_table(db, state)
    expected = expected_rows(db, per)
    no_dims = (None, None, None, None)  # no indicator of the category has dims
    got = {(row["area_code"], row["fact"].split("/")[1], no_dims): row for row in table.to_dict("records")}
    assert set(got) == set(expected) and len(got) == len(table)
    ties = 0
    for key, want in expected.items():
        row = got[key]
        assert row["year"] == want["year"]
        assert math.isclose(row["value_number"], round(want["shown"], 4), abs_tol=1e-9)
        if want["rank"] is None:
            assert row["rank"] == "" and math.isnan(row["rank_number"])
        else:
            assert row["rank"] == t("rank_of", state.lang, rank=want["rank"], n=want["n"])
            ties += sum(w["rank"] == want["rank"] for k, w in expected.items() if k[1:] == key[1:]) > 1
        if want["change"] is None:
            assert row["change"] == "" and math.isnan(row["change_number"])
        else:
            assert math.isclose(row["change_number"], round(want["change"], 4), abs_tol=1e-9)
            assert row["change"].startswith("+") == (want["change"] > 0)
    assert ties >= 2  # the two tied cities share their rank
    no_direction = [k for k, w in expected.items() if w["rank"] is None]
    assert no_direction and any(w["change"] is not None for w in expected.values())


def test_values_keep_every_digit_and_their_unit_and_ties_share_the_best_rank(db):
    state, _, _, _ = load_state(db, VIEW)
    table = view_table(db, state)
    tied = table[table["value_number"] == EXACT]
    assert len(tied) == 2 and set(tied["value"]) == {"68,949家次"}  # not 6.89万
    assert tied["rank"].nunique() == 1 and tied["rank"].iloc[0] == "第1/" + tied["rank"].iloc[0].split("/")[1]
    cities = set(queries.areas(db).query("level == 'city'")["code"])
    city_ranks = table.loc[
        (table["indicator"] == tied["indicator"].iloc[0]) & table["area_code"].isin(cities)
    ]
    assert sorted(city_ranks["rank_number"])[:3] == [1, 1, 3]  # the two best share 1; the next is 3
    english = view_table(db, load_state(db, VIEW + "&lang=en")[0])
    assert "68,949 " in english.loc[english["value_number"] == EXACT, "value"].iloc[0]


def page(client, search: str, sort_by=(), filter_query: str = "", page_current: int = 0) -> dict:
    """A page of the table view as the table's own callback sends it."""
    table = _id(TABLE_TYPE)
    props = ("data", "page_count", "page_current")
    response = client.post(
        "/_dash-update-component",
        json={
            "output": ".." + "...".join(f"{_key(TABLE_TYPE)}.{p}" for p in props) + "..",
            "outputs": [{"id": table, "property": p} for p in props],
            "inputs": [
                {"id": table, "property": "sort_by", "value": list(sort_by)},
                {"id": table, "property": "filter_query", "value": filter_query},
                {"id": table, "property": "page_current", "value": page_current},
            ],
            "state": [{"id": "url", "property": "search", "value": search}],
            "changedPropIds": [json.dumps(table, separators=(",", ":")) + ".sort_by"],
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    return next(iter(response.get_json()["response"].values()))


def test_sorting_is_by_number_over_every_row_and_filtering_and_paging_too(db, client):
    search = "?view=table"
    table = view_table(db, load_state(db, search)[0])
    assert len(table) > PAGE_ROWS
    first = page(client, search, [{"column_id": "value", "direction": "desc"}])
    numbers = [row["value_number"] for row in first["data"]]
    assert numbers == sorted(table["value_number"].dropna(), reverse=True)[:PAGE_ROWS]
    assert numbers != sorted(numbers, key=lambda n: str(n), reverse=True)  # text order would differ
    assert first["page_count"] == math.ceil(len(table) / PAGE_ROWS) and first["page_current"] == 0
    by_change = page(client, search, [{"column_id": "change", "direction": "asc"}])["data"]
    changes = [row["change_number"] for row in by_change]
    assert changes == sorted(table["change_number"].dropna())[:PAGE_ROWS]
    last = page(client, search, [{"column_id": "rank", "direction": "asc"}], page_current=999)
    assert last["page_current"] == first["page_count"] - 1
    assert all(row["rank"] == "" for row in last["data"])  # unranked rows come last
    area = table["area"].iloc[0]
    shown = page(client, search, [], "{area} contains " + area)
    assert shown["page_count"] == 1 and {row["area"] for row in shown["data"]} == {area}
    assert len(shown["data"]) == (table["area"] == area).sum()
    second = page(client, search, [], "", 1)["data"]
    assert [row["fact"] for row in second] == table["fact"].iloc[PAGE_ROWS : 2 * PAGE_ROWS].tolist()


def test_the_home_area_rows_are_marked(db, client):
    table = view_table(db, load_state(db, VIEW)[0])
    home = table["area_code"].iloc[0]
    rows = page(client, VIEW + f"&home={home}", [], "{area} contains " + table["area"].iloc[0])["data"]
    assert rows and all(row["is_home"] for row in rows)
    others = page(client, VIEW + f"&home={home}", [], "")["data"]
    assert any(not row["is_home"] for row in others) and "area_code" not in others[0]


def download(client, search: str, kind: str) -> bytes:
    ids = [_id(CSV_TYPE), _id(XLSX_TYPE)]
    response = client.post(
        "/_dash-update-component",
        json={
            "output": f"{_key(DOWNLOAD_TYPE)}.data",
            "outputs": {"id": _id(DOWNLOAD_TYPE), "property": "data"},
            "inputs": [
                {"id": i, "property": "n_clicks", "value": 1 if i["type"] == kind else None} for i in ids
            ],
            "state": [{"id": "url", "property": "search", "value": search}],
            "changedPropIds": [json.dumps(_id(kind), separators=(",", ":")) + ".n_clicks"],
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    data = next(iter(response.get_json()["response"].values()))["data"]
    return base64.b64decode(data["content"])


def test_downloads_hold_every_row_with_numbers_as_numbers(db, client):
    table = view_table(db, load_state(db, VIEW)[0])
    home = table["area_code"].iloc[0]
    data = download(client, VIEW + f"&home={home}", CSV_TYPE)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = [t(f"col_{c}", "zh") for c in ("area", "indicator", "value", "year", "rank", "change")]
    assert rows[0][:6] == header and len(rows) == len(table) + 1
    assert ["68,949家次" in row for row in rows[1:]].count(True) == 2
    assert sum(row[-1] == t("yes", "zh") for row in rows[1:]) == (table["area_code"] == home).sum()
    sheet = load_workbook(io.BytesIO(download(client, VIEW, XLSX_TYPE))).active
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0][:6]) == header and len(cells) == len(table) + 1
    numbers = [row[6] for row in cells[1:]]
    assert all(isinstance(n, int | float) for n in numbers) and EXACT in numbers


def test_the_view_round_trips_in_the_url_and_the_controls(db):
    index = area_index(db)
    state, notices = parse_query(VIEW, index, ["hazards"])
    assert state.view == TABLE and not notices
    assert "view=table" in to_query(state, index)
    assert parse_query(to_query(state, index), index, ["hazards"])[0] == state
    charts, notices = parse_query("?view=charts", index, [])
    assert charts.view is None and not notices and "view" not in to_query(charts, index)
    bad, notices = parse_query("?view=tabel", index, [])
    assert bad.view is None and notices == [("notice_bad_param", {"param": "view", "value": "tabel"})]
    controls = controls_from_state(state)
    assert controls[-1] == TABLE and state_from_controls(controls, "zh", index)[0].view == TABLE
    assert state_from_controls(controls_from_state(charts), "zh", index)[0].view is None


def test_the_page_shows_the_table_instead_of_the_panels(client):
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
    assert TABLE_TYPE in body and "68,949家次" in body and "panel-body" not in body


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_in_chromium_the_switch_opens_the_table_which_sorts_by_value_and_opens_evidence(db, tmp_path):
    served = tmp_path / "served.duckdb"
    shutil.copy(db, served)
    with live_dashboard(served) as base_url, chromium_browser() as browser:
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.goto(base_url + "/?cat=hazards")
        tab.wait_for_selector("#panel-hazards", timeout=WAIT_MS)
        tab.locator("#view-select input[value='table']").check()  # the switch writes the URL
        tab.wait_for_url("**view=table**", timeout=WAIT_MS)
        cells = "#table-view td[data-dash-column='value']"
        tab.wait_for_selector(cells, timeout=WAIT_MS)
        table = view_table(db, load_state(db, VIEW)[0]).sort_values("value_number")
        assert table["value"].iloc[-1] == "68,949家次" != table["value"].iloc[0]
        sort = tab.locator("#table-view th[data-dash-column='value'] .column-header--sort").first
        for text in (table["value"].iloc[0], table["value"].iloc[-1]):  # ascending, then descending
            sort.click()
            tab.wait_for_function(
                f'() => document.querySelector("{cells}").innerText === {json.dumps(text)}', timeout=WAIT_MS
            )
        area = tab.locator("#table-view td[data-dash-column='area']").first.inner_text()
        tab.locator(cells).first.click()
        tab.wait_for_selector(".evidence-panel.open .evidence mark", timeout=WAIT_MS)
        assert area in tab.locator(".evidence").inner_text()  # the sentence of that area's figure
