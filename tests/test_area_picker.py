"""The area pickers send only the options they need (issue 7, item 4): the areas with reports, the
selected ones and the ones chosen earlier on the page; any other area of the 3,181 is found on the
server as the user types. Requests go through the real Flask/Dash app on the database the ETL builds
from the seed reports."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import queries
from dashboard.app import create_app
from dashboard.callbacks import CONTROLS
from dashboard.layout import SEARCH_LIMIT, picker_options, search_areas
from dashboard.state import GROUP_CITIES, PROVINCE_GROUP

YIBIN, SHENZHEN, LICHENG = "511500", "440300", "350502"  # 宜宾 has no report in the seed database
# The whole first page load, before the change: 959 KB of layout and 952 KB of options (plus the charts)
PAGE_BOUND = 400_000
# The layout and the callbacks of the filter bar (no charts): it no longer grows with the area table
PICKER_BOUND = 64_000
PICKER_OUTPUT = "..area-select.options...home-select.options...area-picker-recent.data.."


@pytest.fixture(scope="module")
def areas(seed_db) -> pd.DataFrame:
    return queries.areas(seed_db)


@pytest.fixture(scope="module")
def client(seed_db):
    return create_app(seed_db).server.test_client()


def post(client, output: str, outputs: list[dict], inputs: list[dict], state: list[dict] = (), changed=None):
    changed = changed or [f"{inputs[0]['id']}.{inputs[0]['property']}"]
    body = {"output": output, "outputs": outputs, "inputs": inputs, "state": list(state)}
    response = client.post("/_dash-update-component", json={**body, "changedPropIds": changed})
    assert response.status_code in (200, 204), response.get_data(as_text=True)[-500:]
    return response


def sync_output(client) -> str:
    """The URL <-> controls callback's output key as the app registers it: Dash names its duplicate output
    (the area picker's options, sent with the picker's value on a move through the history) with a hash."""
    dependencies = client.get("/_dash-dependencies").get_json()
    return next(d["output"] for d in dependencies if d["output"].startswith("..url.search..."))


def picker(
    client, level="all", area=None, area_search=None, home=None, home_search=None, recent=None, changed=None
):
    """The area pickers' options callback, as the browser sends it (`changed`: the props that changed,
    default the level): (area options, home options, response); None for a picker not sent again."""
    inputs = [
        {"id": "level-select", "property": "value", "value": level},
        {"id": "area-select", "property": "search_value", "value": area_search},
        {"id": "area-select", "property": "value", "value": area},
        {"id": "home-select", "property": "search_value", "value": home_search},
        {"id": "home-select", "property": "value", "value": home},
    ]
    outputs = [
        {"id": "area-select", "property": "options"},
        {"id": "home-select", "property": "options"},
        {"id": "area-picker-recent", "property": "data"},
    ]
    state = [
        {"id": "area-picker-recent", "property": "data", "value": recent},
        {"id": "url", "property": "search", "value": ""},
    ]
    response = post(client, PICKER_OUTPUT, outputs, inputs, state, changed)
    payload = response.get_json()["response"]
    options = [payload.get(picker_id, {}).get("options") for picker_id in ("area-select", "home-select")]
    return *options, response


def values(options: list[dict] | None) -> list[str]:
    """The areas offered (the groups offered beside them, all cities and each province: see area_groups)."""
    return [option["value"] for option in options or [] if not is_group(option["value"])]


def area_groups(options: list[dict] | None) -> list[str]:
    return [option["value"] for option in options or [] if is_group(option["value"])]


def is_group(value: str) -> bool:
    return value == GROUP_CITIES or PROVINCE_GROUP.fullmatch(value) is not None


def layout_options(client, page: str = "/") -> list[dict]:
    layout = client.get("/_dash-layout", headers={"Referer": "http://127.0.0.1" + page}).get_json()
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "area-select":
                found.append(node["props"]["options"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(layout)
    return found[0]


def test_first_page_load_stays_small(client):
    """Layout and the first callbacks of `/`: 2.2 MB before (the area list twice), ≈282 KB now, of
    which ≈272 KB are the charts."""
    layout = client.get("/_dash-layout", headers={"Referer": "http://127.0.0.1/"})
    sync_inputs = [{"id": "url", "property": "search", "value": ""}]
    sync_inputs += [{"id": c, "property": "value", "value": None} for c in CONTROLS]
    sync_outputs = [{"id": "url", "property": "search"}]
    sync_outputs += [{"id": c, "property": "value"} for c in CONTROLS]
    sync_outputs += [{"id": "notices", "property": "children"}, {"id": "lang-link", "property": "href"}]
    sync_outputs += [{"id": "area-select", "property": "options"}]
    sync_state = [
        {"id": "url", "property": "pathname", "value": "/"},
        {"id": "area-picker-recent", "property": "data", "value": []},
    ]
    sync = post(client, sync_output(client), sync_outputs, sync_inputs, sync_state)
    *_, options = picker(client)
    content = post(
        client,
        "..content.children...filter-bar.style..",
        [{"id": "content", "property": "children"}, {"id": "filter-bar", "property": "style"}],
        [
            {"id": "url", "property": "pathname", "value": "/"},
            {"id": "url", "property": "search", "value": ""},
        ],
    )
    picker_bytes = sum(len(r.get_data()) for r in (layout, sync, options))
    assert picker_bytes < PICKER_BOUND, picker_bytes
    assert picker_bytes + len(content.get_data()) < PAGE_BOUND, picker_bytes + len(content.get_data())


def test_options_are_the_reporting_areas_and_the_selected_ones(client, areas):
    reporting = set(areas.loc[areas["has_reports"], "code"])
    assert 0 < len(reporting) < 50
    assert set(values(layout_options(client))) == reporting
    area_options, home_options, _ = picker(client, area=[YIBIN, SHENZHEN])
    assert set(values(area_options)) == reporting | {YIBIN}
    assert set(values(home_options)) == reporting | {YIBIN}  # chosen on this page: stays offered
    labels = {option["value"]: option["label"] for option in area_options}
    assert labels[YIBIN] == "四川 · 宜宾（无报告）" and labels[SHENZHEN] == "广东 · 深圳"
    assert area_groups(area_options)[:2] == ["cities", "prov:31"] and not area_groups(home_options)
    assert labels["prov:44"] == "广东全部地区（2 个有报告）"


def test_the_page_url_areas_are_options_before_the_url_sets_them(client, areas):
    """The dropdown drops a value missing from its options, so the layout offers the URL's areas (by
    name or code, `home` too) before the URL -> controls callback sets them."""
    offered = set(values(layout_options(client, "/?area=宜宾,深圳&home=350502")))
    assert {YIBIN, SHENZHEN, LICHENG} <= offered
    assert len(offered) == int(areas["has_reports"].sum()) + 2


@pytest.mark.parametrize("typed", ["宜宾", "yibin", "YiBin", " yibin ", "511500", "四川省 yibin"])
def test_typing_an_area_without_reports_finds_it(client, typed):
    area_options, home_options, _ = picker(
        client, area=[SHENZHEN], area_search=typed, changed=["area-select.search_value"]
    )
    assert values(area_options)[0] == YIBIN
    assert SHENZHEN in values(area_options)  # the selection keeps its option
    assert home_options is None  # only the picker typed in is sent again
    labels = {option["value"]: option["label"] for option in area_options}
    assert labels[YIBIN].endswith("（无报告）") and "无报告" not in labels[SHENZHEN]  # which have data
    area_options, home_options, _ = picker(client, home_search=typed, changed=["home-select.search_value"])
    assert area_options is None
    assert values(home_options)[0] == YIBIN
    assert home_options[0]["label"].endswith("（无报告）")


def test_search_results_are_bounded_and_ranked(areas):
    zhou = search_areas(areas, "zhou")
    assert len(zhou) == SEARCH_LIMIT
    chaoyang = search_areas(areas, "朝阳")
    assert set(chaoyang["short_name"]) == {"朝阳"} and len(chaoyang) == 4
    assert search_areas(areas, "licheng")["short_name"].tolist()[:4] == ["黎城", "荔城", "鲤城", "历城"]
    assert search_areas(areas, "sz")["short_name"].iloc[0] == "深圳"  # an area with reports first
    assert search_areas(areas, "   ").empty and search_areas(areas, "没有这个地方").empty


def test_the_level_filter_narrows_search_and_default_but_keeps_the_selection(areas):
    assert picker_options(areas, "city", None, "licheng") == []
    assert values(picker_options(areas, "county", None, "licheng"))[:4] == [
        "140426",
        "350304",
        LICHENG,
        "370112",
    ]
    cities = values(picker_options(areas, "city", [LICHENG]))
    assert cities[-1] == LICHENG  # selected: kept whatever its level (the URL callback drops it)
    recent = values(picker_options(areas, "city", None, None, [LICHENG, YIBIN]))
    assert YIBIN in recent and LICHENG not in recent  # chosen earlier: only of the level


@pytest.mark.parametrize(
    ("search", "value", "recent"),
    [
        ("x" * 100_000, ["440300"] * 10_000, None),
        (5, {"a": 1}, "not a list"),
        (["yibin"], [None, 3, [SHENZHEN]], [{"code": YIBIN}]),
        ("%", ["'; DROP TABLE areas; --"], ["999999"]),
    ],
)
def test_forged_picker_payloads_are_ignored_not_errors(client, areas, search, value, recent):
    area_options, home_options, response = picker(
        client, area=value, area_search=search, home_search=search, recent=recent
    )
    assert response.status_code == 200
    assert len(area_options) <= int(areas["has_reports"].sum()) + SEARCH_LIMIT + 1
    recent_data = response.get_json()["response"]["area-picker-recent"]["data"]
    assert all(isinstance(code, str) for code in recent_data) and len(recent_data) <= 200


def test_recent_areas_are_remembered_latest_first(client):
    _, _, response = picker(client, area=[YIBIN], home=SHENZHEN, recent=[LICHENG, YIBIN])
    assert response.get_json()["response"]["area-picker-recent"]["data"] == [YIBIN, SHENZHEN, LICHENG]


def test_callback_output_name_matches_the_app(seed_db):
    """The picker callback the tests drive is the one the app registers."""
    assert PICKER_OUTPUT in create_app(seed_db).callback_map


def test_a_view_set_from_the_url_sends_the_pickers_options_with_its_value(client):
    """Back/Forward to a view with an area without reports: the value and an option for it arrive in one
    response, so the dropdown never holds a value missing from its options (it would drop it)."""
    inputs = [{"id": "url", "property": "search", "value": "?area=宜宾"}]
    inputs += [{"id": c, "property": "value", "value": None} for c in CONTROLS]
    outputs = [{"id": "url", "property": "search"}, *({"id": c, "property": "value"} for c in CONTROLS)]
    outputs += [{"id": "notices", "property": "children"}, {"id": "lang-link", "property": "href"}]
    outputs += [{"id": "area-select", "property": "options"}]
    state = [
        {"id": "url", "property": "pathname", "value": "/"},
        {"id": "area-picker-recent", "property": "data", "value": []},
    ]
    answer = post(client, sync_output(client), outputs, inputs, state).get_json()["response"]
    assert answer["area-select"]["value"] == [YIBIN]
    assert YIBIN in {option["value"] for option in answer["area-select"]["options"]}
    moved = post(client, sync_output(client), outputs, inputs, state, ["area-select.value"])
    assert "options" not in moved.get_json()["response"].get("area-select", {})  # a pick: answered apart
