"""URL <-> view state: every link opens a page; bad values become notices, never errors."""

from __future__ import annotations

import pandas as pd
import pytest
from dash import dcc

from dashboard.layout import area_options, filter_bar
from dashboard.numbers import format_value
from dashboard.state import AreaIndex, ViewState, YearSpec, parse_query, parse_year, to_query

CATEGORIES = ["rescue", "hazards"]


@pytest.fixture(scope="module")
def index(seed_db) -> AreaIndex:
    from dashboard import queries

    return AreaIndex(queries.areas(seed_db))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("latest", YearSpec()),
        ("2022", YearSpec(2022, 2022)),
        ("2021-2023", YearSpec(2021, 2023)),
        ("2023-2021", YearSpec(2021, 2023)),
        ("2021–2023", YearSpec(2021, 2023)),
        ("22", None),
        ("last", None),
    ],
)
def test_year_specs(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize(
    ("query", "areas", "notice_keys"),
    [
        # codes, full names and short names all name an area
        ("?area=440300,漯河市,汕尾", ("440300", "411100", "441500"), []),
        # Chinese comma and 、 separate too; duplicates collapse
        ("?area=深圳，深圳、440300", ("440300",), []),
        # four 朝阳: a notice asks for the code, the rest of the link still works
        ("?area=朝阳,深圳", ("440300",), ["notice_ambiguous_area"]),
        ("?area=火星,深圳", ("440300",), ["notice_unknown_area"]),
        # home joins an explicit selection
        ("?area=深圳&home=漯河", ("440300", "411100"), []),
    ],
)
def test_areas_resolve_by_code_or_name(index, query, areas, notice_keys):
    state, notices = parse_query(query, index, CATEGORIES)
    assert state.areas == areas
    assert [key for key, _ in notices] == notice_keys


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("?year=soon", "year"),
        ("?level=province", "level"),
        ("?cat=weather", "cat"),
        ("?per=capita", "per"),
        ("?lang=fr", "lang"),
        ("?target=150", "target"),
        ("?target=abc", "target"),
    ],
)
def test_invalid_values_are_ignored_with_a_notice(index, query, param):
    state, notices = parse_query(query, index, CATEGORIES)
    assert state == ViewState()
    assert notices == [("notice_bad_param", {"param": param, "value": query.split("=", 1)[1]})]


def test_unknown_parameter_is_a_notice(index):
    assert parse_query("?colour=red", index, CATEGORIES)[1] == [("notice_unknown_param", {"param": "colour"})]


@pytest.mark.parametrize(
    "query",
    [
        "?area=深圳,漯河&year=latest&home=漯河&lang=en",
        "?area=汕尾&level=city&year=2021-2023&cat=hazards&per=10k&target=95",
        "?year=2022",
    ],
)
def test_url_round_trips(index, query):
    state, notices = parse_query(query, index, CATEGORIES)
    assert not notices
    assert parse_query(to_query(state, index), index, CATEGORIES) == (state, [])


def test_ambiguous_short_names_are_written_as_codes():
    areas = pd.DataFrame(
        {"code": ["110105", "211300"], "name": ["朝阳区", "朝阳市"], "short_name": ["朝阳", "朝阳"]}
    )
    index = AreaIndex(areas)
    assert to_query(ViewState(areas=("211300",)), index) == "?area=211300&year=latest"


@pytest.mark.parametrize(
    ("value", "approx", "lang", "expected"),
    [
        (1744, None, "zh", "1,744"),
        (68949, None, "zh", "6.89万"),
        (270_000_000, None, "zh", "2.7亿"),
        (68949, None, "en", "68,949"),
        (2_700_000, None, "en", "2.7m"),
        (500, "more_than", "zh", "500+"),
        (100_000, "more_than", "zh", "10万+"),
        (30, "about", "zh", "~30"),
        (98.79, None, "zh", "98.79"),
        (float("nan"), None, "zh", ""),
    ],
)
def test_numbers_read_the_chinese_way(value, approx, lang, expected):
    assert format_value(value, approx, lang) == expected


@pytest.fixture(scope="module")
def all_areas(seed_db) -> pd.DataFrame:
    from dashboard import queries

    return queries.areas(seed_db)


@pytest.mark.parametrize(
    ("level", "present", "absent"),
    [
        ("city", {"440300", "411100", "211300"}, {"350502", "440305", "110105"}),
        ("county", {"350502", "440305", "110105"}, {"440300", "411100", "211300"}),
        (None, {"440300", "350502"}, set()),
    ],
)
def test_level_narrows_the_area_options(all_areas, level, present, absent):
    options = {option["value"] for option in area_options(all_areas, level)}
    assert present <= options and not absent & options
    if level:
        assert options == set(all_areas.loc[all_areas["level"] == level, "code"])


@pytest.mark.parametrize(
    ("query", "areas", "home", "dropped"),
    [
        # a district in a city comparison is dropped with a notice, and the reverse
        ("?level=city&area=深圳,鲤城", ("440300",), None, [("notice_not_city", "鲤城")]),
        ("?level=county&area=深圳,鲤城", ("350502",), None, [("notice_not_county", "深圳")]),
        # a home area of the other level goes too (else it would join the selection again)
        ("?level=county&area=鲤城&home=漯河", ("350502",), None, [("notice_not_county", "漯河")]),
        # an ambiguous short name is written as its code in the notice
        ("?level=city&area=110105,漯河", ("411100",), None, [("notice_not_city", "110105")]),
        # areas of the chosen level, and no level at all, are kept as they are
        ("?level=city&area=深圳&home=漯河", ("440300", "411100"), "411100", []),
        ("?area=深圳,鲤城", ("440300", "350502"), None, []),
    ],
)
def test_level_drops_areas_of_the_other_level_with_a_notice(index, query, areas, home, dropped):
    state, notices = parse_query(query, index, CATEGORIES)
    assert (state.areas, state.home) == (areas, home)
    assert [(key, values["value"]) for key, values in notices] == dropped
    assert parse_query(to_query(state, index), index, CATEGORIES) == (state, [])


@pytest.mark.parametrize(
    ("lang", "count_label"), [("zh", "已选 {num_selected} 项"), ("en", "{num_selected} selected")]
)
def test_dropdowns_speak_the_page_language(all_areas, lang, count_label):
    bar = filter_bar(all_areas, [2022], pd.DataFrame(columns=["id", "name_zh", "name_en"]), lang)
    dropdowns = [child.children[1] for child in bar.children if isinstance(child.children[1], dcc.Dropdown)]
    assert len(dropdowns) == 4
    assert all(d.labels["selected_count"] == count_label for d in dropdowns)
