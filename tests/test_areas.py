"""The area table: short names, lookups that never hide an ambiguity, levels, population, abbreviations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.area_pinyin import PINYIN_FILE, read_pinyin
from etl.areas import DEFAULT_REF_DIR, PRODUCT_LEVELS, AreaTable, short_name

SCHEMA_SQL = Path(__file__).parents[1] / "etl" / "schema.sql"


@pytest.fixture(scope="module")
def areas() -> AreaTable:
    return AreaTable.load()


@pytest.mark.parametrize(
    ("full", "short"),
    [
        # the final 市/区/县 is dropped
        ("深圳市", "深圳"),
        ("鲤城区", "鲤城"),
        ("江永县", "江永"),
        ("义乌市", "义乌"),
        ("北京市", "北京"),
        # one-character stems keep their suffix
        ("渠县", "渠县"),
        ("城区", "城区"),
        ("矿区", "矿区"),
        # banners keep 旗, autonomous banners lose the ethnic name but keep 旗
        ("科尔沁右翼前旗", "科尔沁右翼前旗"),
        ("鄂温克族自治旗", "鄂温克旗"),
        # autonomous units lose the ethnic names with 自治
        ("甘孜藏族自治州", "甘孜"),
        ("恩施土家族苗族自治州", "恩施"),
        ("延边朝鲜族自治州", "延边"),
        ("城步苗族自治县", "城步"),
        ("博尔塔拉蒙古自治州", "博尔塔拉"),
        ("双江拉祜族佤族布朗族傣族自治县", "双江"),
        ("龙胜各族自治县", "龙胜"),
        ("长白朝鲜族自治县", "长白"),  # 白 is an ethnic name only with 族
        ("东乡族自治县", "东乡"),  # the stem is itself an ethnic name
        # 地区, 盟, 林区, 特区, 新区, 矿区
        ("大兴安岭地区", "大兴安岭"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("神农架林区", "神农架"),
        ("六枝特区", "六枝"),
        ("浦东新区", "浦东"),
        ("井陉矿区", "井陉"),
        # ordinary 区 whose stem ends in 林 or 新 keep it
        ("碑林区", "碑林"),
        ("万柏林区", "万柏林"),
        ("清新区", "清新"),
    ],
)
def test_short_name(full: str, short: str) -> None:
    assert short_name(full) == short


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        # names collide: every match comes back
        ("朝阳", {"110105", "211300", "211321", "220104"}),
        ("长沙", {"430100", "430121"}),
        ("朝阳区", {"110105", "220104"}),
        # full name, short name, code, qualified name
        ("深圳", {"440300"}),
        ("深圳市", {"440300"}),
        ("440300", {"440300"}),
        ("广州市增城区", {"440118"}),
        ("北京朝阳", {"110105"}),
        ("吉林省长春市朝阳区", {"220104"}),
        # municipalities are cities; other provinces are not reporting areas
        ("上海", {"310000"}),
        ("广东", set()),
        ("440000", set()),
        ("火星市", set()),
    ],
)
def test_find(areas: AreaTable, query: str, codes: set[str]) -> None:
    assert {area.code for area in areas.find(query)} == codes


@pytest.mark.parametrize(
    ("code", "level", "parent_code", "province"),
    [
        ("110000", "city", None, "北京市"),
        ("120000", "city", None, "天津市"),
        ("310000", "city", None, "上海市"),
        ("500000", "city", None, "重庆市"),
        ("440300", "city", "440000", "广东省"),
        ("440118", "county", "440100", "广东省"),
        ("120104", "county", "120000", "天津市"),
        ("429021", "county", "420000", "湖北省"),  # 神农架林区: under the province directly
        ("440000", "province", None, "广东省"),
    ],
)
def test_levels_and_parents(areas: AreaTable, code: str, level: str, parent_code: str, province: str) -> None:
    area = areas.by_code(code)
    assert (area.level, area.parent_code, area.province) == (level, parent_code, province)


@pytest.mark.parametrize(
    ("code", "population", "source"),
    [
        ("440300", 17560061, "census2020_gazette"),
        ("441500", 2672819, "census2020_gazette"),
        ("310000", 24870895, "census2020_gazette"),
        ("411121", 447130, "census2020_tabulation"),  # 舞阳县
        ("330102", None, None),  # 上城区: no census figure fits its 2021 territory
    ],
)
def test_population(areas: AreaTable, code: str, population: int | None, source: str | None) -> None:
    area = areas.by_code(code)
    assert (area.population, area.population_source) == (population, source)


@pytest.mark.parametrize(
    ("code", "pinyin"),
    [
        ("440300", "shenzhen sz"),
        ("500000", "chongqing cq"),
        ("350502", "licheng lc"),
        # heteronyms pypinyin reads wrong in place names
        ("411100", "luohe lh"),
        ("110105", "chaoyang cy"),
    ],
)
def test_pinyin(areas: AreaTable, code: str, pinyin: str) -> None:
    assert areas.by_code(code).pinyin == pinyin


@pytest.mark.parametrize(
    ("abbreviation", "codes"),
    [
        ("深", {"440300"}),
        ("穗", {"440100"}),
        ("漯", {"411100"}),
        ("沪", {"310000"}),
        ("渝", {"500000"}),
        ("粤", set()),  # a province: not a reporting area
        ("豫", set()),
        ("汕尾", {"441500"}),  # two-character abbreviations are short names
        ("长", set()),  # shared by several cities: no guess
    ],
)
def test_abbreviations(areas: AreaTable, abbreviation: str, codes: set[str]) -> None:
    assert {area.code for area in areas.by_abbreviation(abbreviation)} == codes


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        # an autonomous unit's everyday name: short name + 州/县
        ("昌吉州", {"652300"}),  # not 吉州区
        ("湘西州", {"433100"}),
        ("黔东南州", {"522600"}),
        ("城步县", {"430529"}),
        ("龙胜县", {"450328"}),
        ("达拉特旗", {"150621"}),  # a banner is already called by its full name
        ("吉州", {"360802"}),
    ],
)
def test_common_forms(areas: AreaTable, name: str, codes: set[str]) -> None:
    assert {area.code for area in areas.named(name)} == codes
    assert {area.code for area in areas.find(name)} == codes


def test_full_names_and_common_forms_only(areas: AreaTable) -> None:
    """A headline opens with a name that ends in its rank: 湘西州 or 湘西土家族苗族自治州, never 湘西."""
    assert [a.code for a in areas.fully_named("湘西州")] == ["433100"]
    assert [a.code for a in areas.fully_named("湘西土家族苗族自治州")] == ["433100"]
    assert areas.fully_named("湘西") == []


@pytest.mark.parametrize(
    ("abbreviation", "codes"),
    [
        ("昌州", {"652300"}),  # 昌州应急函: first character + 州 of an autonomous prefecture
        ("湘州", {"433100"}),
        ("恩施州", {"422800"}),  # the common form itself
        ("甘州", {"620702"}),  # 甘孜 and 甘南 would both be 甘州, which is a district's name: no guess
        ("海州", {"320706", "210902"}),  # 海北, 海南, 海西: the name stays the districts'
    ],
)
def test_prefecture_abbreviations(areas: AreaTable, abbreviation: str, codes: set[str]) -> None:
    assert {area.code for area in areas.by_abbreviation(abbreviation)} == codes


def test_every_abbreviation_names_a_division(areas: AreaTable) -> None:
    table = areas.abbreviations
    wrong = [
        (abbreviation, code)
        for section in ("provinces", "cities")
        for abbreviation, code in table[section].items()
        if areas.by_code(code) is None or (section == "cities" and areas.by_code(code).level != "city")
    ]
    assert wrong == []
    assert not set(table["provinces"]) & set(table["cities"]), "one abbreviation, two meanings"


def test_dataframe_loads_into_the_schema(areas: AreaTable) -> None:
    frame = areas.as_dataframe()
    assert set(frame["level"]) == set(PRODUCT_LEVELS)
    assert frame["code"].is_unique
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.register("frame", frame)
    con.execute("INSERT INTO areas SELECT * FROM frame")
    row = con.execute(
        "SELECT short_name, level, population, pinyin FROM areas WHERE code = '440300'"
    ).fetchone()
    assert row == ("深圳", "city", 17560061, "shenzhen sz")
    assert con.execute("SELECT count(*) FROM areas WHERE level = 'city'").fetchone() == (333 + 4,)


def test_a_run_never_loads_pypinyin() -> None:
    """Its import and 3,000 readings cost ~0.7 s of CPU: the areas table takes the stored keys
    (data/reference/pinyin.csv)."""
    script = (
        "import sys; from etl.areas import AreaTable; from etl.pipeline import run; "
        "frame = AreaTable.load().as_dataframe(); print('pypinyin' in sys.modules, frame['pinyin'].isna().sum())"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "0"]


def test_the_stored_pinyin_is_what_pypinyin_gives(areas: AreaTable) -> None:
    """Every stored key, for every city and county, equals the key worked out from its short name (rewrite
    the file with `python -m etl.area_pinyin` when this fails)."""
    products = [area for area in areas.areas if area.level in PRODUCT_LEVELS]
    assert read_pinyin(DEFAULT_REF_DIR) == {a.code: (a.short_name, a.pinyin) for a in products}
    frame = areas.as_dataframe()
    assert list(frame["pinyin"]) == [area.pinyin for area in products]


def test_a_stale_or_missing_stored_key_is_worked_out_again(tmp_path: Path) -> None:
    """A key stored for another short name (a renamed division) is not used; nor is any, without a file."""
    for name in ("divisions.csv", "population_2020.csv"):
        (tmp_path / name).write_bytes((DEFAULT_REF_DIR / name).read_bytes())
    (tmp_path / PINYIN_FILE).write_text(
        "code,short_name,pinyin\n440300,深川,shenchuan sc\n441500,汕尾,wrong key\n", encoding="utf-8"
    )
    frame = AreaTable.load(tmp_path).as_dataframe().set_index("code")["pinyin"]
    assert (frame["440300"], frame["441500"]) == ("shenzhen sz", "wrong key")  # stale: worked out again
    (tmp_path / PINYIN_FILE).unlink()
    assert AreaTable.load(tmp_path).as_dataframe().set_index("code")["pinyin"]["441500"] == "shanwei sw"


def test_what_a_prefix_outside_the_table_may_stand_for(areas: AreaTable) -> None:
    """A one-character document-number prefix the table does not know: the areas it may begin."""
    assert {a.code for a in areas.starting_with("章")} == {"360702", "370114"}  # 章贡区, 章丘区
    assert [a.code for a in areas.containing("郫")] == ["510117"]
    assert {a.name for a in areas.containing("鞍")} == {"鞍山市", "马鞍山市"}
    assert areas.starting_with("鑫") == []


def test_the_table_knows_its_own_abbreviations(areas: AreaTable) -> None:
    assert areas.in_abbreviation_table("赣") and areas.in_abbreviation_table("深")
    assert not areas.in_abbreviation_table("鄞")
    province = areas.abbreviated_province("赣")
    assert province is not None and province.name == "江西省"
    assert areas.abbreviated_province("深") is None and areas.abbreviated_province("鄞") is None
