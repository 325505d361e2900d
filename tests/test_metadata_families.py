"""Every place a report names its author, and where it states its year: one invented variant per family.

The sentences here are made up (other places, other wording) so that the rules are tested as families,
not as the development corpus's sentences.
"""

from __future__ import annotations

import pytest

from etl.areas import AreaTable
from etl.metadata import describe, detect_published
from etl.model import Document, Quarantined


@pytest.fixture(scope="module")
def areas() -> AreaTable:
    return AreaTable.load()


def describe_text(areas: AreaTable, text: str, title: str | None = None) -> Document:
    return describe(Document(id="sha", file_name="t.txt", path="t.txt", text=text, title=title), areas)


def assert_area_year(doc: Document, code: str, year: int | None) -> None:
    assert doc.area_code == code, doc.detected_by
    if year is not None:
        assert doc.year == year, doc.detected_by


DATED = "\n2023年6月1日"

# --- a title that opens with the issuing government or body ----------------------------------------------
TITLE_CASES = {
    "a city government's report": (
        "南昌市人民政府关于2023年安全生产工作情况的报告",
        "主任、各位副主任:\n现将有关情况报告如下。",
        "360100",
        2023,
    ),
    "a county government's report": (
        "舞阳县人民政府关于2022年防灾减灾救灾工作情况的报告",
        "今年以来,县政府坚持…",
        "411121",
        2022,
    ),
    "关于 + a county's full name": ("关于平江县安全生产专项整治情况的报告", "今年以来,全县…", "430626", 2023),
    "关于 + a district bureau": (
        "关于蓬江区应急管理局2022年度法治政府建设情况的报告",
        "2022年,区应急管理局…",
        "440703",
        2022,
    ),
    "the short form 应急局": ("汝城县应急局2021年工作总结", "2021年,全县…", "431026", 2021),
    "an autonomous prefecture by its common form": (
        "湘西州应急管理局关于州政协提案的答复",
        "王委员:\n您的提案收悉。今年以来…",
        "433100",
        2023,
    ),
    "an autonomous county by its common form": ("城步县应急管理局2022年工作总结", "正文", "430529", 2022),
    "a banner keeps 旗": ("达拉特旗应急管理局2022年工作总结", "正文", "150621", 2022),
    "a one-character county keeps 县": ("渠县应急管理局2022年工作总结", "正文", "511725", 2022),
}


@pytest.mark.parametrize(("title", "text", "code", "year"), TITLE_CASES.values(), ids=TITLE_CASES.keys())
def test_title(areas: AreaTable, title: str, text: str, code: str, year: int) -> None:
    assert_area_year(describe_text(areas, text + DATED, title), code, year)


# --- headlines: the first line of a news text names the area in full -------------------------------------
HEADLINE_CASES = {
    "a county's full name": (
        "溆浦县扎实推进森林防火工作\n2023-03-02 来源:怀化日报\n今年以来,全县…",
        "431224",
    ),
    "a district within its city": (
        "苏州市吴中区应急管理局召开汛前安全生产会议\n2023-05-02 来源:本网\n会议指出…",
        "320506",
    ),
    "a district after its city, no bureau": ("杭州市余杭区今年以来开展演练300场\n今年以来,全区…", "330110"),
    "a prefecture by its common form": ("黔东南州全年排查隐患1.5万处\n今年以来,全州…", "522600"),
}


@pytest.mark.parametrize(("text", "code"), HEADLINE_CASES.values(), ids=HEADLINE_CASES.keys())
def test_headline(areas: AreaTable, text: str, code: str) -> None:
    assert describe_text(areas, text + DATED).area_code == code


# --- news bylines, and the year only in the dateline --------------------------------------------------------
NEWS_CASES = {
    "记者 + a day + 从 a city bureau": (
        "本报讯(记者 覃莉)记者昨日从桂林市应急管理局获悉,今年以来,全市共开展演练…",
        "450300",
    ),
    "记者从 an autonomous prefecture's bureau": ("记者从黔东南州应急管理局了解到,今年以来,全州…", "522600"),
    "据 … 消息 without punctuation": ("据嘉兴市应急管理局消息 今年以来,全市共检查企业…", "330400"),
    "a correspondent from a district bureau": (
        "本报讯(通讯员 鄞州区应急管理局 王琳)今年以来,全区…",
        "330212",
    ),
    "a county bureau's 应急局 short form": ("记者日前从汝城县应急局获悉,今年以来,全县…", "431026"),
}


@pytest.mark.parametrize(("lead", "code"), NEWS_CASES.values(), ids=NEWS_CASES.keys())
def test_news_byline(areas: AreaTable, lead: str, code: str) -> None:
    doc = describe_text(areas, f"全市应急工作稳步推进\n2024-08-02 来源:日报\n{lead}")
    assert_area_year(doc, code, 2024)


DATELINE_CASES = {
    "source, then the date, then the author": ("来源：桂林日报　　2024-08-02　　作者：李 娜", "2024-08-02"),
    "author, then a Chinese date": ("作者:张三  2025年3月4日  来源:湘西日报", "2025-03-04"),
    "a newspaper, its date and its page": ("桂林日报　2023年10月9日　第3版", "2023-10-09"),
    "发布日期": ("发布日期：2022-11-08", "2022-11-08"),
    "发布时间 with a time": ("发布时间：2024年6月3日 09:00", "2024-06-03"),
}


@pytest.mark.parametrize(("line", "published"), DATELINE_CASES.values(), ids=DATELINE_CASES.keys())
def test_dateline_gives_the_year(areas: AreaTable, line: str, published: str) -> None:
    text = f"上半年我市组织演练逾千场\n\n{line}\n\n记者从桂林市应急管理局获悉,今年以来,全市…"
    assert detect_published(text)[0] == published
    assert describe_text(areas, text).year == int(published[:4])


# --- the signature block at the end ---------------------------------------------------------------------------
SIGNATURE_CASES = {  # (title, text, code, year)
    "a bureau and its date on one line": (None, "正文。\n\n浏阳市应急管理局  2023年4月8日", "430181", 2023),
    "a bureau with its seal": (None, "正文。\n\n攸县应急管理局（盖章）\n2022年12月30日", "430223", 2022),
    "a signature with no date: the year from the page label": (
        None,
        "发布日期：2021-09-10\n今年以来,全市…\n\n祁阳市应急管理局",
        "431181",
        2021,
    ),
    "a county government signs": (None, "今年以来,全县…\n\n安化县人民政府\n2022年11月3日", "430923", 2022),
    "a date line with no body: the title gives the area": (
        "关于安化县防汛工作情况的报告",
        "今年以来,全县…\n\n2022年11月3日",
        "430923",
        2022,
    ),
}


@pytest.mark.parametrize(
    ("title", "text", "code", "year"), SIGNATURE_CASES.values(), ids=SIGNATURE_CASES.keys()
)
def test_signature(areas: AreaTable, title: str | None, text: str, code: str, year: int) -> None:
    assert_area_year(describe_text(areas, text, title), code, year)


# --- yearbook entries -------------------------------------------------------------------------------------------
YEARBOOK_CASES = {
    "a city's yearbook closing with （市应急管理局）": (
        "《岳阳年鉴（2023）》 > 政务 > 应急管理\n\n【概况】全市发生生产安全事故…\n\n（市应急管理局）",
        "430600",
        2022,
    ),
    "a district's yearbook": (
        "《江宁年鉴2021》 > 政府工作 > 应急管理\n\n【概况】…\n\n（区应急管理局）",
        "320115",
        2020,
    ),
    "the closing names the bureau in full": (
        "《株洲年鉴（2022）》 > 政治\n\n【概况】2021年,株洲市应急管理局…\n\n（株洲市应急管理局）",
        "430200",
        2021,
    ),
    "a short name shared by a city and a county: the closing rank settles it": (
        "《湘潭年鉴（2022）》 > 政治\n\n【安全生产】…\n\n（市应急管理局）",
        "430300",
        2021,
    ),
}


@pytest.mark.parametrize(("text", "code", "year"), YEARBOOK_CASES.values(), ids=YEARBOOK_CASES.keys())
def test_yearbook(areas: AreaTable, text: str, code: str, year: int) -> None:
    assert_area_year(describe_text(areas, text), code, year)


# --- statistics tables and document numbers ---------------------------------------------------------------------
def test_table_filled_in_by_a_bureau(areas: AreaTable) -> None:
    text = "主要指标统计表\n填报单位：醴陵市应急管理局（盖章）　填报日期：2023年1月9日\n指标 | 2022年"
    assert describe_text(areas, text).area_code == "430281"


@pytest.mark.parametrize(
    ("number", "code"),
    [("湘州应急发〔2023〕12号", "433100"), ("黔东南州应急〔2022〕3号", "522600")],
)
def test_prefecture_document_number(areas: AreaTable, number: str, code: str) -> None:
    assert describe_text(areas, f"{number}\n正文" + DATED).area_code == code


# --- places in passing are not the author -------------------------------------------------------------------------
PASSING_CASES = {
    "a prefecture's target in a county's report": (
        "森林火灾受害率远低于大理州下达的控制指标。\n\n祥云县应急管理局\n2023年5月1日",
        "532923",
    ),
    "learning from another county": (
        "学习借鉴德清县经验,全面推进…\n\n安化县应急管理局\n2023年5月1日",
        "430923",
    ),
    "a recipient office": ("县政府办公室:\n现将有关情况报告如下。\n\n攸县应急管理局\n2023年5月1日", "430223"),
    "a deputy addressed": ("王强代表:\n您提出的建议收悉。\n\n攸县应急管理局\n2023年5月1日", "430223"),
    "a district visited, in a city's news": (
        "记者从嘉兴市应急管理局获悉,检查组赴南湖区、秀洲区督导检查…",
        "330400",
    ),
}


@pytest.mark.parametrize(("text", "code"), PASSING_CASES.values(), ids=PASSING_CASES.keys())
def test_places_in_passing(areas: AreaTable, text: str, code: str) -> None:
    assert describe_text(areas, text + DATED).area_code == code


def test_a_recipient_line_is_not_a_headline(areas: AreaTable) -> None:
    with pytest.raises(Quarantined, match="我市"):
        describe_text(areas, "浏阳市人民政府办公室:\n今年以来,我市共排查隐患…" + DATED)


def test_refusal_says_what_was_looked_for(areas: AreaTable) -> None:
    with pytest.raises(Quarantined) as refused:
        describe_text(areas, "今年以来,全面开展安全生产大检查,排查隐患1200处。" + DATED)
    reason = str(refused.value)
    assert reason.startswith("no detectable area: looked for an issuing body in the title")
    assert "signature" in reason and "填报单位" in reason and "\n" not in reason
