"""Phrasing families read by concept, continuation, comparison and list: text -> the area's facts.

Every sentence here is a variant written for this test (other places, nouns and numbers than any corpus),
so a rule fitted to one corpus sentence fails here.
"""

from __future__ import annotations

import pytest

from etl.catalog import load_catalog
from etl.extract import extract_facts
from etl.model import Document

CATALOG = load_catalog()
COUNTY, CITY = "990101", "990100"  # a city's code ends in 00: 全区 in its report is the region around it


def facts(text: str, area_code: str = COUNTY, year: int = 2023) -> set[tuple]:
    doc = Document(id="t", file_name="t.txt", path="t.txt", text=text, area_code=area_code, year=year)
    return {
        (f.indicator, tuple(sorted(f.dims.items())), f.value, f.approx, f.year)
        for f in extract_facts(doc, CATALOG)
        if f.scope == "area" and f.period == "year"
    }


def one(indicator: str, value: float, approx: str | None = None, year: int = 2023, **dims: str) -> tuple:
    return (indicator, tuple(sorted(dims.items())), float(value), approx, year)


CONCEPT = [  # the nearest noun of an indicator that counts in the figure's unit
    ("全镇组建防汛抢险突击队6支。", {one("rescue_teams", 6, level="all")}),
    ("各村均成立了应急小分队,共计58支。", {one("rescue_teams", 58, level="all")}),
    (
        "乡镇专职扑火队12支,队员共460人。",
        {one("rescue_teams", 12, level="township"), one("rescue_personnel", 460, level="township")},
    ),
    ("县应急管理专家库现有入库专家人数76人。", {one("rescue_experts", 76, field="all")}),
    ("储备各类救灾物资价值约1.6亿元。", {one("reserve_value", 16000, "about")}),
    ("库内物资折合人民币约850万元。", {one("reserve_value", 850, "about")}),
    (
        "全年举办各类实战演练260余场次,参与演练干部群众3.4万人次。",
        {one("drills", 260, "more_than"), one("drill_participants", 34000)},
    ),
    ("各地共组织演练活动1,150场次。", {one("drills", 1150)}),
    ("全区累计查处安全生产违法行为并实施处罚156起。", {one("penalties", 156)}),
    ("全县应急管理系统共排查一般事故隐患3,418条。", {one("hazards_found", 3418)}),
    ("物资储备库仓储面积达到2600平方米。", {one("reserve_warehouse_area", 2600)}),
]

CONCEPT_TRAPS = [  # a blocker (a counted thing that is no indicator) stands nearer than any noun
    "执法检查中抽调专家26名参与督导。",  # experts sent out, not the expert pool
    "全县共建成应急物资储备点23个。",
    "安排应急物资采购资金300万元。",
    "现有地质灾害隐患点217处。",
    "全区现有应急管理执法人员52名。",
    "全年发生生产安全事故4起。",
    "受理行政复议案件3件。",
    "新建应急避难场所14处。",
    "培训企业主要负责人2,600人次。",
    "转移安置受威胁群众1.2万人。",
    "全市9个县区应急预案全部修订到位。",
]

CONTINUATION = [
    (
        "全县应急专家库共有专家120名,其中防汛抗旱类40名、安全生产类55名。",
        {
            one("rescue_experts", 120, field="all"),
            one("rescue_experts", 40, field="flood"),
            one("rescue_experts", 55, field="production_safety"),
        },
    ),
    (
        "镇级救援队22支、村级救援队140支,共计162支3,050人。",
        {
            one("rescue_teams", 22, level="township"),
            one("rescue_teams", 140, level="village"),
            one("rescue_teams", 162, level="all"),
            one("rescue_personnel", 3050, level="all"),
        },
    ),
    (
        "现有综合性应急救援队伍35支、队员1,280名。",
        {one("rescue_teams", 35, level="all"), one("rescue_personnel", 1280, level="all")},
    ),
    (
        "储备帐篷、棉被、发电机等物资45种3.6万件(套)。",
        {one("reserve_item_kinds", 45), one("reserve_items", 36000)},
    ),
    (
        "共办理代表建议和委员提案34件(主办19件、协办15件)。",
        {
            one("suggestions", 34, kind="all", role="all"),
            one("suggestions", 19, kind="all", role="lead"),
            one("suggestions", 15, kind="all", role="co"),
        },
    ),
]

COMPARISONS = [
    ("入库专家由上年的40名增加到65名。", {one("rescue_experts", 65, field="all")}),
    ("县级储备物资品种由原来的30种扩大到48种。", {one("reserve_item_kinds", 48)}),
    ("储备库面积提升至2,400平方米。", {one("reserve_warehouse_area", 2400)}),
    (
        "全年承办建议提案28件,较2022年的22件增加6件。",
        {
            one("suggestions", 28, kind="all", role="all"),
            one("suggestions", 22, kind="all", role="all", year=2022),
        },
    ),
    (
        "储备物资总值约1.8亿元,较2021年底的1.5亿元增长20%。",
        {one("reserve_value", 18000, "about"), one("reserve_value", 15000, year=2021)},
    ),
    ("全年开展应急演练180场次,较上年增加30场次。", {one("drills", 180)}),
    ("较上年新增应急救援队伍9支。", set()),
    ("处罚金额比上年多出120万元。", set()),
]

DIMS = [
    (
        "全市市、县、乡三级应急救援队伍分别为8支、36支、150支。",
        {
            one("rescue_teams", 8, level="city"),
            one("rescue_teams", 36, level="county"),
            one("rescue_teams", 150, level="township"),
        },
    ),
    ("今年承办市人大代表建议和市政协委员提案共19件。", {one("suggestions", 19, kind="all", role="all")}),
    (
        "共承办人大代表建议8件、政协委员提案12件,其中主办11件、协办9件。",
        {
            one("suggestions", 8, kind="npc", role="all"),
            one("suggestions", 12, kind="cppcc", role="all"),
            one("suggestions", 11, kind="all", role="lead"),
            one("suggestions", 9, kind="all", role="co"),
        },
    ),
    (
        "其中,政协委员提案7件(主办3件、会办4件)。",
        {
            one("suggestions", 7, kind="cppcc", role="all"),
            one("suggestions", 3, kind="cppcc", role="lead"),
            one("suggestions", 4, kind="cppcc", role="co"),
        },
    ),
    (
        "修订盟级应急预案11部,指导各旗县修订预案96部。",
        {one("plans", 11, level="city"), one("plans", 96, level="county")},
    ),
]


FAMILIES = {  # family -> rows of (text, the area's facts)
    "concept": CONCEPT,
    "blocker": [(text, set()) for text in CONCEPT_TRAPS],
    "continuation": CONTINUATION,
    "comparison": COMPARISONS,
    "dims": DIMS,
}


WIDER = [
    (
        "据省应急管理厅通报,全区上半年共开展演练1.6万场次。本市组织应急演练820场次。",
        CITY,
        {one("drills", 820)},
    ),
    ("全区共组织应急演练820场次。", COUNTY, {one("drills", 820)}),  # a district's own 全区
    ("全省共排查隐患12.6万处,全市排查隐患8,400处。", CITY, {one("hazards_found", 8400)}),
]


@pytest.mark.parametrize("text,area_code,expected", WIDER)
def test_a_wider_area_is_not_the_areas(text, area_code, expected):
    assert facts(text, area_code) == expected


def test_no_concept_word_is_longer_than_the_text_the_reader_looks_at():
    from etl.concepts import MAX_WORD
    from etl.extract import _compiled_rules

    assert max(len(word) for word, _ in _compiled_rules(CATALOG).concept_words) <= MAX_WORD


FAMILIES["plans, differences, contexts, pairs"] = [  # found by writing reports the extractor had not seen
    ("下一步，拟在全县开展应急演练120场次，修订专项预案6部。", set()),  # a plan sentence as a whole
    ("(二)力争明年底前新建乡镇救援队伍20支，组织演练不少于80场次。", set()),
    ("应急演练场次同比减少15场次，参演人数减少2,300人次。", set()),  # differences, not stocks
    ("本年度职工技能培训学员满意率达97%。", set()),  # 满意率 of a training, not of suggestion handling
    ("代表委员对答复的满意率为98.5%。", {one("suggestion_satisfaction", 98.5)}),
    (
        "现有储备物资品种41个，数量达2.2万余件。",
        {one("reserve_item_kinds", 41), one("reserve_items", 22000, "more_than")},
    ),
    (
        "仓库库存救生衣、发电机等物资15种8,600件。",
        {one("reserve_item_kinds", 15), one("reserve_items", 8600)},
    ),
    ("督办重大隐患48处，已销号45处。", {one("hazards_rectified", 45)}),
    ("企业通过平台上报隐患2,480条。", {one("hazards_found", 2480)}),
    (
        "组建了12支、共计420名队员的防汛抢险队伍。",
        {one("rescue_teams", 12, level="all"), one("rescue_personnel", 420, level="all")},
    ),
    (
        "全县已组建村级应急分队96支，共有队员1,150人。",
        {one("rescue_teams", 96, level="village"), one("rescue_personnel", 1150, level="village")},
    ),
    ("新组建区级水域救援队1支（32人）。", set()),  # an addition: kept with its scope, never the stock
    (
        "全年办理建议、提案共37件，其中人大代表建议21件、政协委员提案16件。",
        {
            one("suggestions", 37, kind="all", role="all"),
            one("suggestions", 21, kind="npc", role="all"),
            one("suggestions", 16, kind="cppcc", role="all"),
        },
    ),
]


FAMILIES["whole reports"] = [  # table growth columns, bases of comparisons, chained pairs, goods
    (
        "已组建专业队、半专业队、村级应急分队等各类队伍128支、2,950人。",
        {one("rescue_teams", 128, level="all"), one("rescue_personnel", 2950, level="all")},
    ),
    (
        "全县应急救援队伍增至36支、980人，其中县级6支、乡镇级30支。",
        {
            one("rescue_teams", 36, level="all"),
            one("rescue_personnel", 980, level="all"),
            one("rescue_teams", 6, level="county"),
            one("rescue_teams", 30, level="township"),
        },
    ),
    (
        "公开行政处罚决定52件，罚款310万元，较上年的44起增加8起。",
        {one("penalties", 52), one("fines", 310), one("penalties", 44, year=2022)},
    ),
    ("储备物资品种由35种增至48种。", {one("reserve_item_kinds", 48)}),
    ("2024年主要目标：全县开展应急演练不低于300场次；检查企业2,000家次。\n", set()),  # a plan lead
    ("行政处罚案件，全年共作出了96起。", {one("penalties", 96)}),  # a short topic clause names the noun
    ("入库的各类专家，现有一百零二名。", {one("rescue_experts", 102, field="all")}),
    (
        "应急专家共90名，按领域分，安全生产类40名、防汛类30名、其他领域20名。",
        {
            one("rescue_experts", 90, field="all"),
            one("rescue_experts", 40, field="production_safety"),
            one("rescue_experts", 30, field="flood"),
            one("rescue_experts", 20, field="other"),
        },
    ),
    (
        "全县应急救援队伍共60支——分层级看，县级8支，乡镇级52支。",
        {
            one("rescue_teams", 60, level="all"),
            one("rescue_teams", 8, level="county"),
            one("rescue_teams", 52, level="township"),
        },
    ),
    (
        "共排查隐患8,310处，其中8,156处已整改到位，整改率达到百分之九十八点一。",
        {one("hazards_found", 8310), one("hazards_rectified", 8156), one("hazard_closure_rate", 98.1)},
    ),
    (
        "全区排查发现隐患2.4万处，销号2.3万处。",
        {one("hazards_found", 24000), one("hazards_rectified", 23000)},
    ),
    ("评议提出的9项问题已整改完成7项。", set()),  # a review's findings, not hazards
    ("代表委员满意率为百分之百，另有2件建议代表表示基本满意。", {one("suggestion_satisfaction", 100)}),
    ("组织代表委员视察防汛演练等活动4次。", set()),  # activities, not drills
    ("扎实开展安全生产大排查大整治，全年检查企业3,100家次。", {one("inspections", 3100)}),
    ("安全生产大检查期间，检查企业900家次。", set()),  # the campaign's own figure
    ("主动公开县级应急预案15件，全年修订完善县级应急预案6件。", {one("plans", 6, level="county")}),
    ("全县组建应急救援队伍42支，每支队伍队员不少于25人。", {one("rescue_teams", 42, level="all")}),
    ("全区人均培训时长12小时，平均每个街道开展演练8场次。", set()),
    (
        "全区已组建镇(街)应急救援队伍18支、队员560人。",
        {one("rescue_teams", 18, level="township"), one("rescue_personnel", 560, level="township")},
    ),
    (
        "其中区级队伍6支310人、街道救援队伍40支1.6万余人。",
        {
            one("rescue_teams", 6, level="county"),
            one("rescue_personnel", 310, level="county"),
            one("rescue_teams", 40, level="township"),
            one("rescue_personnel", 16000, "more_than", level="township"),
        },
    ),
    (
        "专家库现有专家150名，其中危险化学品专家36名、地质灾害专家22名。",
        {
            one("rescue_experts", 150, field="all"),
            one("rescue_experts", 36, field="production_safety"),
            one("rescue_experts", 22, field="other"),
        },
    ),
    (
        "安全生产执法检查 目标值1200家次 实际完成值1,356家次",
        {one("inspections", 1356)},
    ),  # a target-and-result row
    ("建议提案办理满意率 计划值98% 实际值99.5%", {one("suggestion_satisfaction", 99.5)}),
    (
        "指标 单位 2021年 2022年 增减\n应急演练 场次 240 265 +25\n",
        {one("drills", 240, year=2021), one("drills", 265, year=2022)},
    ),
    (
        "全年开展应急演练310场次，较上年的280场次有所增加。",
        {one("drills", 310), one("drills", 280, year=2022)},
    ),
    (
        "今年办理建议提案52件，与2021年办理的47件相比增加5件。",
        {
            one("suggestions", 52, kind="all", role="all"),
            one("suggestions", 47, kind="all", role="all", year=2021),
        },
    ),
    (
        "区级队伍8支620人、街道队伍31支1,480人。",
        {
            one("rescue_teams", 8, level="county"),
            one("rescue_personnel", 620, level="county"),
            one("rescue_teams", 31, level="township"),
            one("rescue_personnel", 1480, level="township"),
        },
    ),
    (
        "县应急物资储备库储备物资3.3万件（套）、56个品种。",
        {one("reserve_items", 33000), one("reserve_item_kinds", 56)},
    ),
    ("评审意见提出的问题已全部完成整改，整改完成率100%。", set()),  # a review's findings, not hazards
    ("争取上级救灾资金和物资折合人民币450万元。", set()),  # funding received, not the stock's value
]


SECTORS_AND_PLACES = [  # (text, area_code, facts that stay the area's)
    ("建筑施工，检查在建工地620个，行政处罚决定书85份，罚款326.5万元。", "990100", set()),
    ("全年共排查隐患8,600处，其中非煤矿山领域排查隐患1,200处。", COUNTY, {one("hazards_found", 8600)}),
    ("同比增长5.2%。江阳区检查企业2,100家次。", "510500", set()),  # 泸州's report: a district's figure
    ("江阳区全年检查企业2,100家次。", "510502", {one("inspections", 2100)}),  # 江阳区's own report
    ("与荆州市签订协议，荆州市可调援物资3.5万件（套）。", "422800", set()),  # another city's stock
]


@pytest.fixture(scope="module")
def places():
    from etl.areas import AreaTable
    from etl.places import Places

    return Places(AreaTable.load())


@pytest.mark.parametrize("text,area_code,expected", SECTORS_AND_PLACES)
def test_one_sector_or_another_place_is_not_the_areas(text, area_code, expected, places):
    doc = Document(id="t", file_name="t.txt", path="t.txt", text=text, area_code=area_code, year=2023)
    found = {
        (f.indicator, tuple(sorted(f.dims.items())), f.value, f.approx, f.year)
        for f in extract_facts(doc, CATALOG, places)
        if f.scope == "area" and f.period == "year"
    }
    assert found == expected


def test_a_base_named_around_the_figure_takes_its_noun_or_the_figure_before():
    text = "今年承办建议提案44件，与2022年承办38件相比有所增加；与上年的31场次相比，全年开展演练40场次。"
    assert facts(text) == {
        one("suggestions", 44, kind="all", role="all"),
        one("suggestions", 38, kind="all", role="all", year=2022),
        one("drills", 40),
    }


def family_rows() -> list:
    return [
        pytest.param(text, expected, id=f"{family}-{i}")
        for family, rows in FAMILIES.items()
        for i, (text, expected) in enumerate(rows)
    ]


@pytest.mark.parametrize("text,expected", family_rows())
def test_family(text, expected):
    assert facts(text) == expected
