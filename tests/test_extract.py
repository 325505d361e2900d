"""Extraction rules by phrasing family: text -> the area's facts. Variants here are not in the seeds."""

from __future__ import annotations

import pytest

from etl.catalog import load_catalog
from etl.extract import extract_facts
from etl.model import Document

CATALOG = load_catalog()


def doc(text: str, year: int = 2023) -> Document:
    return Document(
        id="t", file_name="t.txt", path="t.txt", text=text, area="测试", area_code="000000", year=year
    )


def facts(text: str, year: int = 2023, scope: str = "area") -> set[tuple]:
    return {
        (f.indicator, tuple(sorted(f.dims.items())), f.value, f.approx)
        for f in extract_facts(doc(text, year), CATALOG)
        if f.scope == scope and f.period == "year"
    }


def one(indicator: str, value: float, approx: str | None = None, **dims: str) -> tuple:
    return (indicator, tuple(sorted(dims.items())), float(value), approx)


NOUN_FIRST = [
    ("全年共排查出各类风险隐患2318处。", one("hazards_found", 2318)),
    ("检查发现安全隐患1,204项。", one("hazards_found", 1204)),
    ("排查整治隐患问题356条。", one("hazards_found", 356)),
    ("整改隐患完成率达到97.5%。", None),
    ("隐患整改率为96.2%。", one("hazard_closure_rate", 96.2)),
    ("隐患整改完成率达99%。", one("hazard_closure_rate", 99)),
    ("已完成整改1198处。", one("hazards_rectified", 1198)),
    ("整改销号1020项。", one("hazards_rectified", 1020)),
    ("罚款金额共计56.3万元。", one("fines", 56.3)),
    ("罚没款合计120000元。", one("fines", 12)),
    ("作出行政处罚决定,行政处罚共计48起。", one("penalties", 48)),
    ("立案查处违法案件17宗。", one("penalties", 17)),
    ("储备物资价值约2.3亿元。", one("reserve_value", 23000, "about")),
    ("储备库建筑面积5200平方米。", one("reserve_warehouse_area", 5200)),
    ("全年组织开展各类应急演练一千三百余场次。", one("drills", 1300, "more_than")),
    ("参演人数达2.5万人次。", one("drill_participants", 25000)),
    ("监督检查企业1,532家次。", one("inspections", 1532)),
    ("应急专家库现有专家86名。", one("rescue_experts", 86, field="all")),
    ("代表委员对办理结果的满意率达100%。", one("suggestion_satisfaction", 100)),
    ("办复率和满意率均为100%。", one("suggestion_satisfaction", 100)),
    ("立案查处安全生产违法行为89起。", one("penalties", 89)),
    ("开展安全生产执法检查5678次。", one("inspections", 5678)),
    ("全市累计排查企业3.2万家次。", one("inspections", 32000)),
    ("排查整改隐患问题8745个。", one("hazards_found", 8745)),
    ("专业救援人员2300名。", one("rescue_personnel", 2300, level="all")),
    ("全市建成应急物资储备库56个,总面积4.5万平方米。", one("reserve_warehouse_area", 45000)),
    ("建成市级应急物资储备库3个,储备物资2.3万件。", one("reserve_items", 23000)),
]

FIGURE_FIRST = [
    (
        "组建了12支、共860人的专业应急救援队伍。",
        {one("rescue_teams", 12, level="all"), one("rescue_personnel", 860, level="all")},
    ),
    ("共修订完善35件各类应急预案。", {one("plans", 35, level="all")}),
    ("组织32场应急演练。", {one("drills", 32)}),
    ("发现1200处隐患,均已整改。", {one("hazards_found", 1200)}),
    ("聘请15名地质灾害专家。", {one("rescue_experts", 15, field="other")}),
    ("共办理18件政协提案。", {one("suggestions", 18, kind="cppcc", role="all")}),
    ("建成3000平方米的市级应急物资储备仓库。", {one("reserve_warehouse_area", 3000)}),
    ("对全市1234家企业开展执法检查。", {one("inspections", 1234)}),
]

PAIRS_AND_BREAKDOWNS = [
    (
        "全市共有应急救援队伍120支3600人,其中市级救援队伍15支、县级救援队伍40支。",
        {
            one("rescue_teams", 120, level="all"),
            one("rescue_personnel", 3600, level="all"),
            one("rescue_teams", 15, level="city"),
            one("rescue_teams", 40, level="county"),
        },
    ),
    (
        "共承办建议提案40件,其中人大代表建议22件(主办8件、协办14件),政协提案18件。",
        {
            one("suggestions", 40, kind="all", role="all"),
            one("suggestions", 22, kind="npc", role="all"),
            one("suggestions", 8, kind="npc", role="lead"),
            one("suggestions", 14, kind="npc", role="co"),
            one("suggestions", 18, kind="cppcc", role="all"),
        },
    ),
    (
        "全市现有各类应急救援队伍283支、队员8600余人,其中专业救援队伍45支2100人。",
        {one("rescue_teams", 283, level="all"), one("rescue_personnel", 8600, "more_than", level="all")},
    ),
    (
        "街道（镇）应急救援队伍12支360人,社区（村）应急救援队伍186支2230人。",
        {
            one("rescue_teams", 12, level="township"),
            one("rescue_personnel", 360, level="township"),
            one("rescue_teams", 186, level="village"),
            one("rescue_personnel", 2230, level="village"),
        },
    ),
    (
        "今年共承办人大代表建议和政协委员提案32件,其中人大代表建议18件、政协提案14件。",
        {
            one("suggestions", 32, kind="all", role="all"),
            one("suggestions", 18, kind="npc", role="all"),
            one("suggestions", 14, kind="cppcc", role="all"),
        },
    ),
    ("全市共有防汛抢险专家45名,其中水利专家20名。", {one("rescue_experts", 45, field="flood")}),
    (
        "全市各级应急救援队伍共计1,024支，其中市级18支、县级106支、乡镇900支。",
        {
            one("rescue_teams", 1024, level="all"),
            one("rescue_teams", 18, level="city"),
            one("rescue_teams", 106, level="county"),
            one("rescue_teams", 900, level="township"),
        },
    ),
    (
        "修订应急预案320个,其中市级预案25个、县级95个。",
        {one("plans", 320, level="all"), one("plans", 25, level="city"), one("plans", 95, level="county")},
    ),
    (
        "排查隐患860处,整改850处,整改率98.8%。",
        {one("hazards_found", 860), one("hazards_rectified", 850), one("hazard_closure_rate", 98.8)},
    ),
    (
        "排查安全隐患1000处,整改隐患980处。",
        {one("hazards_found", 1000), one("hazards_rectified", 980)},
    ),
    (
        "办理政协提案12件,其中牵头办理5件、参办7件。",
        {
            one("suggestions", 12, kind="cppcc", role="all"),
            one("suggestions", 5, kind="cppcc", role="lead"),
            one("suggestions", 7, kind="cppcc", role="co"),
        },
    ),
    (
        "储备各类救灾物资65类、8.6万件。",
        {one("reserve_item_kinds", 65), one("reserve_items", 86000)},
    ),
]

QUALIFIERS = [
    ("开展应急演练近200场。", one("drills", 200, "nearly")),
    ("开展应急演练约200场。", one("drills", 200, "about")),
    ("开展应急演练200场以上。", one("drills", 200, "more_than")),
    ("开展应急演练超过200场。", one("drills", 200, "more_than")),
    ("参演人员3万余人。", one("drill_participants", 30000, "more_than")),
    ("储备物资10万多件。", one("reserve_items", 100000, "more_than")),
]

TRAPS = [
    "全市共有重大危险源31处。",  # sources, not hazards found
    "隐患整改率同比提高2.5个百分点。",  # a change, not a rate
    "安全生产宣传覆盖率达100%。",  # another rate
    "不满意0件。",  # not a satisfaction rate
    "计划组织应急演练300场次。",  # a plan
    "力争隐患整改率达到100%。",  # a target
    "确保今年整改率达100%。",
    "明年将组织开展应急演练300场次。",
    "下半年将开展应急演练80场。",
    "研究出台了《贯彻落实安全生产“十五条硬措施”实施意见》。",  # a slogan
    "召开第五十次会议,审议12个部门的报告。",  # ordinals, no indicator
    "5月14日,市应急管理局举办防灾减灾日活动。",  # a date
    "514日,市应急管理局举办防灾减灾日活动。",  # a damaged date
    "建立2400人的灾害信息员队伍。",  # not a rescue team
    "动用水泵等抽水设备49500余套。",  # used, not held in reserve
    "登记预置挖掘机172台、铲运机15台。",  # machinery in 台
    "走访服务对象500余人次。",  # not drill participants
    "人均月工资1500—2800元左右。",  # a range
    "全市以及8个县区总体应急预案全部完成发布。",  # 个 counts counties
    "有3名同志获得应急救援先进个人。",
    "“百名专家助千企”活动深入开展。",
]


@pytest.mark.parametrize("text,expected", NOUN_FIRST)
def test_noun_first(text, expected):
    assert facts(text) == ({expected} if expected else set())


@pytest.mark.parametrize("text,expected", FIGURE_FIRST)
def test_figure_first(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize("text,expected", PAIRS_AND_BREAKDOWNS)
def test_pairs_and_breakdowns(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize("text,expected", QUALIFIERS)
def test_qualifiers(text, expected):
    assert facts(text) == {expected}


@pytest.mark.parametrize("text", TRAPS)
def test_traps_give_no_fact(text):
    assert facts(text) == set()


SCOPES = [
    ("其中,市局检查生产经营单位93家次。", "subunit"),
    ("安全生产大检查期间,检查企业320家次。", "campaign"),
    ("汛期共开展应急演练12场。", "season"),
    ("今年汛前,我局组织开展防汛应急演练46场次。", "season"),
    ("据悉,全省全年共开展应急演练3.1万场次。", "other_area"),
    ("今年新招录600名应急救援队员。", "added"),
    ("较上年新建应急物资储备库面积1200平方米。", "added"),
    ("9月3日,在河滨公园举行防汛综合演练,参演人员900余人。", "event"),
    ("8月,区防指举行山洪避险演练,参演群众1200人。", "event"),
]


@pytest.mark.parametrize("text,scope", SCOPES)
def test_narrower_scope_is_marked(text, scope):
    doc_text = "全市全年检查企业5000家次,开展应急演练300场。" + text
    assert facts(doc_text, scope=scope)


def test_subunit_figure_is_the_areas_when_alone():
    assert facts("我局全年检查企业860家次。") == {one("inspections", 860)}


def test_largest_count_is_the_areas_and_parts_are_kept():
    text = "全年检查企业2000家次。其中,市本级检查企业300家次。"
    assert facts(text) == {one("inspections", 2000)}
    assert facts(text, scope="subunit") == {one("inspections", 300)}


YEARS = [
    ("去年,全市检查企业900家次。", 2022),
    ("2021年,全市检查企业900家次。", 2021),
    ("全市检查企业900家次,较2021年增长5%。", 2023),
    ("全市于2021年底完成发布,检查企业900家次。", 2023),
    ("较上年增加300家次,全市检查企业900家次。", 2023),
    ("上年度全市检查企业900家次。", 2022),
]


@pytest.mark.parametrize("text,year", YEARS)
def test_year_stated_by_the_sentence(text, year):
    assert [f.year for f in extract_facts(doc(text), CATALOG)] == [year]


PERIODS = [
    ("截至2023年8月,共检查企业42家次。", "partial"),
    ("2021年以来,累计检查企业900家次。", "cumulative"),
    ("全年检查企业900家次。", "year"),
    ("2023年1—10月,全市检查企业900家次。", "partial"),
    ("2023年以来,全市检查企业900家次。", "year"),  # since the report's own year
    ("今年以来累计检查企业900家次。", "year"),
    ("“十四五”以来,全市累计检查企业900家次。", "cumulative"),
]


def test_last_year_counts_back_from_the_publication_date():
    summary = Document(
        id="t",
        file_name="t.txt",
        path="t.txt",
        text="去年,全市检查企业900家次。",
        year=2022,
        published="2023-01-10",
    )
    assert [f.year for f in extract_facts(summary, CATALOG)] == [2022]


@pytest.mark.parametrize("text,period", PERIODS)
def test_period(text, period):
    assert [f.period for f in extract_facts(doc(text), CATALOG)] == [period]


def test_unit_lost_in_scrape_is_used_only_where_certain_and_flagged():
    (fact,) = extract_facts(doc("建设了面积3736的应急物资储备仓库。"), CATALOG)
    assert (fact.indicator, fact.value, fact.flags) == ("reserve_warehouse_area", 3736, ["unit_inferred"])
    assert facts("检查企业3736的。") == set()
    assert facts("应急物资储备库面积37") == set()  # the scrape stopped inside the figure


def test_evidence_is_an_exact_substring_and_span_points_at_the_figure():
    text = "一、基本情况\n今年以来,全市共检查企业单位9038家次,发现隐患6949处,已整改6873处。"
    for f in extract_facts(doc(text), CATALOG):
        assert text[f.evidence_start : f.evidence_start + len(f.evidence)] == f.evidence
        assert text[f.start : f.end].startswith(str(int(f.value)))


def test_a_results_section_named_after_targets_is_read():
    text = "二、绩效目标完成情况\n应急演练场次 目标值≥150场 实际完成值173场\n三、下一步工作计划\n开展应急演练200场。\n"
    assert facts(text) == {one("drills", 173)}


def test_plan_section_is_skipped():
    text = "一、工作成效\n全年开展应急演练120场。\n二、下一步工作计划\n开展应急演练150场。\n"
    assert facts(text) == {one("drills", 120)}


def year_facts(text: str) -> set[tuple]:
    return {(f.indicator, f.year, f.value) for f in extract_facts(doc(text), CATALOG) if f.scope == "area"}


TABLES = [
    (
        "主要指标 | 2023年 | 2022年\n应急演练(场次) | 120 | 98\n检查企业(家次) | 5,000 | 4800\n",
        {
            ("drills", 2023, 120),
            ("drills", 2022, 98),
            ("inspections", 2023, 5000),
            ("inspections", 2022, 4800),
        },
    ),
    (
        "指标 | 2022年度\n罚款金额（万元） | 356.5\n隐患整改率（%） | 98.6\n",
        {("fines", 2022, 356.5), ("hazard_closure_rate", 2022, 98.6)},
    ),
    ("单位 | 人数 | 备注\n应急救援队伍 | 300 | 在编\n", set()),  # no year columns: not a year table
    ("指标 | 2023年\n办公面积（平方米） | 800\n", set()),  # a row no rule reads
]


@pytest.mark.parametrize("text,expected", TABLES)
def test_flattened_tables_take_the_unit_from_the_label_and_the_year_from_the_column(text, expected):
    assert year_facts(text) == expected
