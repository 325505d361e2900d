"""Tables flattened into text, by family: text -> (indicator, year, dims, value) facts. Variants written
for these tests (other labels, years, separators), not copied from the corpus."""

from __future__ import annotations

import time

import pytest

from etl.catalog import load_catalog
from etl.extract import extract_facts
from etl.model import Document
from etl.quantities import find_quantities
from etl.tables import table_cells

CATALOG = load_catalog()


def doc(text: str, year: int = 2023) -> Document:
    return Document(
        id="t", file_name="t.txt", path="t.txt", text=text, area="测试", area_code="000000", year=year
    )


def facts(text: str, year: int = 2023) -> set[tuple]:
    return {
        (f.indicator, f.year, tuple(sorted(f.dims.items())), f.value)
        for f in extract_facts(doc(text, year), CATALOG)
    }


def one(indicator: str, year: int, value: float, **dims: str) -> tuple:
    return (indicator, year, tuple(sorted(dims.items())), float(value))


# 1. a header line of years, then one row a line; growth columns, unit columns, serial numbers
YEAR_COLUMNS = [
    (
        "项目 2020年 2021年 增幅\n执法检查企业(家次) 3120 3467 11.1%\n发现隐患(处) 15402 17230 11.9%\n",
        {
            one("inspections", 2020, 3120),
            one("inspections", 2021, 3467),
            one("hazards_found", 2020, 15402),
            one("hazards_found", 2021, 17230),
        },
    ),
    (
        "指标\t2021年度\t2022年度\t同比(%)\n应急演练（场）\t96\t118\t22.9\n",
        {one("drills", 2021, 96), one("drills", 2022, 118)},
    ),
    (
        "指标名称　单位　2021年　2022年　增减（%）\n行政处罚　宗　57　81　42.1\n罚没款　万元　96.5　120.3　24.7\n",
        {
            one("penalties", 2021, 57),
            one("penalties", 2022, 81),
            one("fines", 2021, 96.5),
            one("fines", 2022, 120.3),
        },
    ),
    (
        "序号 指标 计量单位 2022年 2023年 2023年比上年增减（%）\n"
        "一、执法检查\n"
        "1 执法检查企业 家次 1,804 2,106 16.7\n"
        "2 隐患整改率 % 97.6 98.9 1.3\n"
        "二、应急准备\n"
        "3 修订应急预案 件 14 17 21.4\n"
        "4 应急避难场所 处 22 25 13.6\n",
        {
            one("inspections", 2022, 1804),
            one("inspections", 2023, 2106),
            one("hazard_closure_rate", 2022, 97.6),
            one("hazard_closure_rate", 2023, 98.9),
            one("plans", 2022, 14, level="all"),
            one("plans", 2023, 17, level="all"),
        },
    ),
    (  # a 合计 column beside years sums them: never one year's figure
        "| 指标 | 2022年 | 2023年 | 合计 |\n| 应急演练(次) | 40 | 52 | 92 |\n",
        {one("drills", 2022, 40), one("drills", 2023, 52)},
    ),
    (  # 万 in the label's unit multiplies
        "项目 2022 2023\n储备物资（万件） 3.2 4.05\n",
        {one("reserve_items", 2022, 32000), one("reserve_items", 2023, 40500)},
    ),
    (  # a blank line inside the table does not end it; the cell's own unit is kept
        "类别 2021年 2022年\n\n组织应急演练 61场 75场\n",
        {one("drills", 2021, 61), one("drills", 2022, 75)},
    ),
]

# 2. rows that name each value's year; a target column is never a result
YEAR_LABELLED_ROWS = [
    (
        "开展应急演练（场次） 2021年 1,204 2022年 1,377 2023年目标 1,500",
        {one("drills", 2021, 1204), one("drills", 2022, 1377)},
    ),
    (
        "罚款金额（万元）　2022年　88.6　2023年　102.4　2024年计划　110",
        {one("fines", 2022, 88.6), one("fines", 2023, 102.4)},
    ),
    (
        "应急物资储备金额(亿元) | 2022年 | 0.92 | 2023年 | 1.15 | 同比 | 25.0%",
        {one("reserve_value", 2022, 9200), one("reserve_value", 2023, 11500)},
    ),
]

# 3. 政府信息公开 tables: a 本年 column is the report's year; only catalog nouns become facts
INFO_DISCLOSURE = [
    (
        "| 信息内容 | 本年处理决定数量 |\n| 行政许可 | 402 |\n| 行政处罚 | 57 |\n| 行政强制 | 6 |\n",
        {one("penalties", 2022, 57)},
    ),
    ("信息内容 本年处理决定数量\n行政许可 95\n行政处罚 31\n行政强制 0\n", {one("penalties", 2022, 31)}),
    (
        "第二十条第（六）项 信息内容 本年处理决定数量 行政许可 77 行政处罚 140 行政强制 12",
        {one("penalties", 2022, 140)},
    ),
    (  # two 本年 columns (制发, 废止) say different things: neither is read
        "信息内容 本年新制作数量 本年新公开数量\n行政处罚 15 12\n",
        set(),
    ),
]

# 4. role (and level) columns: each cell is the row's kind with the column's role
ROLE_COLUMNS = [
    (
        "类型 主办（件） 会办（件） 合计（件）\n人大代表建议 6 11 17\n政协提案 8 5 13\n",
        {
            one("suggestions", 2022, 6, kind="npc", role="lead"),
            one("suggestions", 2022, 11, kind="npc", role="co"),
            one("suggestions", 2022, 17, kind="npc", role="all"),
            one("suggestions", 2022, 8, kind="cppcc", role="lead"),
            one("suggestions", 2022, 5, kind="cppcc", role="co"),
            one("suggestions", 2022, 13, kind="cppcc", role="all"),
        },
    ),
    (
        "| 类别 | 牵头办理(件) | 协办(件) |\n| 政协委员提案 | 3 | 9 |\n",
        {
            one("suggestions", 2022, 3, kind="cppcc", role="lead"),
            one("suggestions", 2022, 9, kind="cppcc", role="co"),
        },
    ),
    (
        "类别 市级(支) 县级(支) 合计(支)\n应急救援队伍 9 31 40\n",
        {
            one("rescue_teams", 2022, 9, level="city"),
            one("rescue_teams", 2022, 31, level="county"),
            one("rescue_teams", 2022, 40, level="all"),
        },
    ),
]

NEGATIVES = [
    "应急演练（场次） 2024年目标 600 2025年目标 650",  # targets only
    "项目 2022年 2023年 增减\n行政处罚（起） — — 12.5%\n",  # only the growth column has a figure
    "项目 2022年 2023年\n计划检查企业（家次） 900 1000\n",  # a plan row
    "项目 2022年 2023年\n行政许可（件） 300 320\n行政强制（次） 8 9\n",  # rows no catalog noun reads
    "| 信息内容 | 本年处理决定数量 |\n| 行政许可 | 213 |\n",
    "单位 | 人数 | 备注\n应急救援队伍 | 300 | 在编\n",  # no year or role columns
    "全年检查企业 1200 1350 家次,其中 2022年 新增 35 家。",  # prose with numbers and spaces
    "2022年 全市 检查企业 1200 2023年 1350",  # prose: no label before the first year
    "类别 主办 协办\n人大代表建议 4 7\n",  # no unit anywhere: a count of what?
]


@pytest.mark.parametrize("text,expected", YEAR_COLUMNS)
def test_year_column_tables(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize("text,expected", YEAR_LABELLED_ROWS)
def test_year_labelled_rows(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize("text,expected", INFO_DISCLOSURE)
def test_information_disclosure_tables_take_the_reports_year(text, expected):
    assert facts(text, year=2022) == expected


@pytest.mark.parametrize("text,expected", ROLE_COLUMNS)
def test_role_and_level_columns_name_the_dims(text, expected):
    assert facts(text, year=2022) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_result_or_not_a_table(text):
    assert facts(text) == set()


def test_table_ends_at_a_line_that_is_not_a_row_but_not_at_a_section_line():
    text = (
        "项目 2022年 2023年\n一、执法\n行政处罚（起） 41 56\n注：数据来自执法系统。\n应急演练（场次） 70 80\n"
    )
    assert facts(text) == {one("penalties", 2022, 41), one("penalties", 2023, 56)}


def test_a_sentence_under_a_header_is_prose_not_a_row():
    text = "项目 2021年 2022年\n全市共检查企业1200家次 1350\n"
    assert table_cells(text, find_quantities(text)) == []
    assert facts(text) == {one("inspections", 2023, 1200)}


def test_prose_beside_a_table_keeps_its_own_year():
    text = "指标 2021年 2022年\n执法检查企业（家次） 800 950\n\n今年以来,全市组织应急演练130场次。"
    assert facts(text) == {
        one("inspections", 2021, 800),
        one("inspections", 2022, 950),
        one("drills", 2023, 130),
    }


def test_evidence_is_the_row_and_the_span_points_at_the_figure():
    text = "说明\n序号 指标 单位 2021年 2022年\n1 行政处罚 起 26 31\n| 信息内容 | 本年处理决定数量 |\n| 行政处罚 | 9 |\n"
    found = extract_facts(doc(text), CATALOG)
    assert {f.value for f in found} == {26, 31, 9}
    for f in found:
        assert text[f.evidence_start : f.evidence_start + len(f.evidence)] == f.evidence
        assert f.evidence in {"1 行政处罚 起 26 31", "| 行政处罚 | 9 |"}
        assert text[f.start : f.end] == str(int(f.value))


def test_figures_in_a_table_are_not_read_again_as_prose():
    text = "项目 2021年 2022年\n执法检查企业 500家次 640家次\n"  # prose alone would read 2023 figures
    found = extract_facts(doc(text), CATALOG)
    assert sorted((f.year, f.value) for f in found) == [(2021, 500), (2022, 640)]


def test_a_unit_standing_after_the_label_without_a_unit_column():
    assert facts("项目 2021年 2022年\n检查企业 家次 500 640\n") == {
        one("inspections", 2021, 500),
        one("inspections", 2022, 640),
    }


@pytest.mark.parametrize(
    "line",
    [
        "全市共检查企业1200家次，排查隐患3400处。" * 70000,
        "1 " * 1_000_000,
        "信息内容 本年处理决定数量 行政处罚 " * 60000,
        "项目 2022年 12 " * 150000,
        "| 行政处罚 | 86 " * 120000,
    ],
)
def test_a_long_line_is_scanned_in_linear_time(line):
    text = line[:2_000_000]
    started = time.perf_counter()
    table_cells(text, [])
    assert time.perf_counter() - started < 0.5


def test_many_short_table_lines_scale_linearly():
    small = "项目 2022年 2023年\n应急演练（场次） 80 90\n" * 500
    large = small * 8
    timings = []
    for text in (small, large):
        quantities = find_quantities(text)
        started = time.perf_counter()
        assert len(table_cells(text, quantities)) == text.count("\n")
        timings.append(time.perf_counter() - started)
    assert timings[1] < 8 * timings[0] * 3 + 0.05


def test_a_table_run_into_an_unbroken_page_is_still_read():
    text = (
        "说明文字。" * 3000
        + " 信息内容 本年处理决定数量 行政许可 51 行政处罚 77 行政强制 2 "
        + "其他内容。" * 3000
    )
    assert facts(text, year=2022) == {one("penalties", 2022, 77)}
