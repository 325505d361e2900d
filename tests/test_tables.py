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


# 5. headers over two lines (merged cells: HTML rowspan/colspan, Word's vertical merge leaves empty cells):
# the group cell of the first line (年份, 办理数量) stands for the columns of the second, in order
TWO_LINE_HEADERS = [
    (  # HTML: the merged cells are gone from the second line
        "项目 | 年份 | 同比（%）\n2021年 | 2022年\n应急演练（场次） | 86 | 97 | 12.8\n发现隐患（处） | 3,410 | 3,902 | 14.4\n",
        2023,
        {
            one("drills", 2021, 86),
            one("drills", 2022, 97),
            one("hazards_found", 2021, 3410),
            one("hazards_found", 2022, 3902),
        },
    ),
    (  # Word: the vertically merged cells stay as empty cells; serial and unit columns around the group
        "序号 | 指标名称 | 单位 | 年度 | 增减\n| | | 2023年 | 2024年 | |\n1 | 行政处罚 | 起 | 57 | 64 | 12.3\n"
        "2 | 罚没款 | 万元 | 80.5 | 92 | 14.3\n",
        2024,
        {
            one("penalties", 2023, 57),
            one("penalties", 2024, 64),
            one("fines", 2023, 80.5),
            one("fines", 2024, 92),
        },
    ),
    (  # role columns under a group; a rate column after them is no count
        "类型 | 办理数量 | 满意率\n主办(件) | 会办(件) | 合计(件)\n人大代表建议 | 7 | 4 | 11 | 100%\n",
        2021,
        {
            one("suggestions", 2021, 7, kind="npc", role="lead"),
            one("suggestions", 2021, 4, kind="npc", role="co"),
            one("suggestions", 2021, 11, kind="npc", role="all"),
        },
    ),
    (  # the group cell's unit is the unit of the columns under it; space-separated cells
        "类别  承办数量（件）\n主办  协办\n政协委员提案  5  8\n",
        2022,
        {
            one("suggestions", 2022, 5, kind="cppcc", role="lead"),
            one("suggestions", 2022, 8, kind="cppcc", role="co"),
        },
    ),
]

TWO_LINE_NEGATIVES = [
    # two cells could stand over the second line: which one does is unknown
    "指标 | 年度 | 数量\n2022年 | 2023年\n行政处罚（起） | 10 | 12 | 3\n",
    # more columns under the group than the rows have values
    "指标 | 年度 | 增减\n2021年 | 2022年 | 2023年\n行政处罚（起） | 10 | 12 | 20.0\n",
    # the second line is a row, not column names
    "指标 | 年度 | 增减\n行政处罚（起） | 10 | 12 | 20.0\n",
]

# 6. target tables: the actual column is the report's year; target and 完成情况 columns are never values
TARGET_TABLES = [
    (
        "序号 | 指标 | 单位 | 计划 | 完成 | 完成率\n1 | 应急演练 | 场 | 200 | 236 | 118%\n",
        {one("drills", 2022, 236)},
    ),
    (
        "指标名称　年度目标　实际完成　完成情况\n检查企业（家次）　3,000　3,412　超额完成\n隐患整改率（%）　95　96.1　已完成\n",
        {one("inspections", 2022, 3412), one("hazard_closure_rate", 2022, 96.1)},
    ),
    (
        "项目 | 2022年目标 | 2022年实际 | 备注\n隐患整改率（%） | 95 | 97.3 | 达标\n",
        {one("hazard_closure_rate", 2022, 97.3)},
    ),
    (  # an actual column beside a year column: which year is unknown, so only the year column is read
        "指标 | 2021年 | 目标 | 实际\n应急演练（场） | 150 | 160 | 171\n",
        {one("drills", 2021, 150)},
    ),
]

TARGET_NEGATIVES = [
    "指标 | 目标值 | 实际完成值\n应急演练（场） | 300 | —\n",  # no actual figure
    "序号 | 指标名称 | 目标值 | 完成情况\n1 | 应急演练（场） | 300 | 完成\n",  # no actual column
]

# 7. a PDF printed from a browser: each row's figures may follow its label on lines of their own
PRINTED_PDF = [
    (
        "类别\n\n2021年 2022年 增减\n\n组织应急演练（场次） 1,120\n\n1,305\n\n+16.5%\n\n行政处罚（起）\n\n77\n\n91\n\n"
        "+18.2%\n\n以上数据来自执法系统。\n",
        {
            one("drills", 2021, 1120),
            one("drills", 2022, 1305),
            one("penalties", 2021, 77),
            one("penalties", 2022, 91),
        },
    ),
    (
        "项目\n\n2022年 2023年\n\n排查隐患（处）\n\n4,012 4,330\n",
        {one("hazards_found", 2022, 4012), one("hazards_found", 2023, 4330)},
    ),
]

SCRAMBLED_PDF = [
    # printed column by column: the next label comes before a row is whole
    "项目\n\n2021年 2022年 增幅\n\n行政处罚（起） 12\n\n罚没款（万元） 30\n\n15\n\n35\n\n25%\n\n16%\n",
    # the rows look whole, but a figure is left over: the table was scrambled
    "项目\n\n2021年 2022年\n\n行政处罚（起）\n\n12\n\n15\n\n罚没款（万元）\n\n30\n\n35\n\n40\n",
    # the text ends before the row is whole
    "项目\n\n2021年 2022年 增幅\n\n行政处罚（起）\n\n12\n\n15\n",
    # a row line with more figures than columns
    "项目\n\n2021年 2022年\n\n行政处罚（起）\n\n12 15 18\n",
    # cells split by pipes are whole rows: never read across lines
    "| 项目 | 2021年 | 2022年 |\n| 行政处罚（起） |\n| 12 | 15 |\n",
]


@pytest.mark.parametrize("text,year,expected", TWO_LINE_HEADERS)
def test_headers_over_two_lines(text, year, expected):
    assert facts(text, year) == expected


@pytest.mark.parametrize("text", TWO_LINE_NEGATIVES)
def test_two_line_headers_that_do_not_align_are_not_read(text):
    assert table_cells(text, find_quantities(text)) == []


@pytest.mark.parametrize("text,expected", TARGET_TABLES)
def test_target_tables_give_the_actual_column(text, expected):
    assert facts(text, year=2022) == expected


@pytest.mark.parametrize("text", TARGET_NEGATIVES)
def test_target_tables_without_an_actual_figure(text):
    assert table_cells(text, find_quantities(text)) == []


@pytest.mark.parametrize("text,expected", PRINTED_PDF)
def test_rows_printed_across_lines(text, expected):
    assert facts(text) == expected


def test_a_row_printed_across_lines_has_its_lines_as_evidence():
    text = "项目\n\n2022年 2023年\n\n行政处罚（起） 40\n\n52\n\n其他工作。\n"
    found = extract_facts(doc(text), CATALOG)
    assert {(f.year, f.value) for f in found} == {(2022, 40), (2023, 52)}
    for f in found:
        assert text[f.evidence_start : f.evidence_start + len(f.evidence)] == f.evidence
        assert f.evidence.startswith("行政处罚（起） 40") and f.evidence.endswith("52")
        assert text[f.start : f.end] == str(int(f.value))


@pytest.mark.parametrize("text", SCRAMBLED_PDF)
def test_scrambled_printed_tables_are_not_read(text):
    assert table_cells(text, find_quantities(text)) == []


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


@pytest.mark.timeout(60)  # a hang guard only: how the time grows with the lines is printed by bench_extract
def test_every_row_of_eight_thousand_short_table_lines_is_read():
    text = "项目 2022年 2023年\n应急演练（场次） 80 90\n" * 4000
    cells = table_cells(text, find_quantities(text))
    assert len(cells) == text.count("\n")
    assert {(c.year, c.quantity.value) for c in cells} == {(2022, 80), (2023, 90)}


def test_a_table_run_into_an_unbroken_page_is_still_read():
    text = (
        "说明文字。" * 3000
        + " 信息内容 本年处理决定数量 行政许可 51 行政处罚 77 行政强制 2 "
        + "其他内容。" * 3000
    )
    assert facts(text, year=2022) == {one("penalties", 2022, 77)}
