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


# --- a 供稿 byline names the author, alone on its line, after the date, or closing the text ---------------------
BYLINE_CASES = {  # (text, code, year, published)
    "after the date under a headline": (
        "全县开展消防疏散演练\n2024年3月2日 城步县应急管理局供稿\n今年以来,全县共开展演练…",
        "430529",
        2024,
        "2024-03-02",
    ),
    "on its own line under the date": (
        "全区防汛工作稳步推进\n2022年6月8日\n江宁区应急管理局供稿\n今年以来,全区…",
        "320115",
        2022,
        "2022-06-08",
    ),
    "closing the text, the date on a label": (
        "我县开展汛前安全检查\n发布日期：2023-05-06\n今年以来,我县共检查企业…\n溆浦县应急管理局供稿",
        "431224",
        2023,
        "2023-05-06",
    ),
    "closing the text after its date": (
        "我市召开安全生产会议\n今年以来,我市共检查企业…\n\n2021年9月1日 醴陵市应急管理局供稿",
        "430281",
        2021,
        "2021-09-01",
    ),
    "a 供稿 label": (
        "全旗开展演练\n供稿：达拉特旗应急管理局\n2023-04-01\n今年以来,全旗…",
        "150621",
        2023,
        None,
    ),
}


@pytest.mark.parametrize(
    ("text", "code", "year", "published"), BYLINE_CASES.values(), ids=BYLINE_CASES.keys()
)
def test_byline_with_gonggao(
    areas: AreaTable, text: str, code: str, year: int, published: str | None
) -> None:
    doc = describe_text(areas, text)
    assert_area_year(doc, code, year)
    assert published is None or doc.published == published


# --- the seal mark may stand before the name ------------------------------------------------------------------------
SEAL_CASES = {
    "label, colon, seal, name": ("统计表\n填报单位：（盖章）醴陵市应急管理局\n指标 | 2022年", "430281"),
    "label, seal, colon, name": ("统计表\n填报单位（盖章）：攸县应急管理局\n指标 | 2022年", "430223"),
    "a signature opening with the seal": ("正文。\n\n（盖章）达拉特旗应急管理局\n2022年12月30日", "150621"),
    "a signature with the seal and its date on one line": (
        "正文。\n\n(盖章) 攸县应急管理局 2022年12月30日",
        "430223",
    ),
}


@pytest.mark.parametrize(("text", "code"), SEAL_CASES.values(), ids=SEAL_CASES.keys())
def test_seal_before_the_name(areas: AreaTable, text: str, code: str) -> None:
    assert describe_text(areas, text + DATED).area_code == code


# --- speeches: the speaker line under the title names the speaker's body ---------------------------------------------
SPEECH_CASES = {  # (title, text, code, year, published)
    "a city's deputy mayor; the year the text states": (
        "在全市安全生产工作会议上的讲话",
        "南昌市人民政府副市长 刘某\n（2024年2月20日）\n\n同志们：\n2023年,全市共排查隐患…",
        "360100",
        2023,
        "2024-02-20",
    ),
    "a county bureau's chief after a dash": (
        "在全县防汛工作推进会上的讲话",
        "——汝城县应急管理局党组书记、局长 陈某\n2023年7月1日\n\n同志们：\n今年以来,全县…",
        "431026",
        2023,
        "2023-07-01",
    ),
    "a county's deputy head, a Chinese date": (
        "在全县应急管理工作会议上的讲话",
        "安化县人民政府副县长  李某某同志\n（二〇二三年十月十日）\n同志们：\n今年以来,全县…",
        "430923",
        2023,
        "2023-10-10",
    ),
    "a February speech with no year stated: the year it was given": (
        "在全市应急管理工作会议上的讲话",
        "株洲市应急管理局局长 周某\n（2023年2月8日）\n同志们：\n今年以来,全市…",
        "430200",
        2023,
        "2023-02-08",
    ),
    "a January speech with no year stated: the year before, as for any report": (
        "在全区安全生产工作会议上的讲话",
        "江宁区人民政府副区长 王某\n（2024年1月15日）\n同志们：\n全年共排查隐患…",
        "320115",
        2023,
        "2024-01-15",
    ),
}


@pytest.mark.parametrize(
    ("title", "text", "code", "year", "published"), SPEECH_CASES.values(), ids=SPEECH_CASES.keys()
)
def test_speech(areas: AreaTable, title: str, text: str, code: str, year: int, published: str) -> None:
    doc = describe_text(areas, f"{title}\n{text}")
    assert_area_year(doc, code, year)
    assert doc.published == published


def test_a_speaker_named_in_the_body_is_no_speaker_line(areas: AreaTable) -> None:
    body = "\n".join(["全市召开安全生产会议", "会议指出,今年以来…", "一是…", "二是…", "三是…", "会议强调…"])
    text = f"{body}\n浏阳市应急管理局局长 王某\n"
    with pytest.raises(Quarantined, match="no detectable area"):
        describe_text(areas, text + DATED)


# --- a one-character document-number prefix outside the abbreviation table -----------------------------------------
FIRST_CHARACTER_CASES = {
    "the only area with the character, its rank in the text": (
        "郫应急〔2023〕5号\n今年以来,全区共排查隐患…",
        "510117",
    ),
    "two districts share it; the text names the city of one": (
        "章应急字〔2025〕31号\n今年以来,全区共排查隐患…,位居赣州市前列。",
        "360702",
    ),
    "the other district, its city named": ("章应急〔2024〕3号\n今年以来,全区…济南市安委会…", "370114"),
}


@pytest.mark.parametrize(("text", "code"), FIRST_CHARACTER_CASES.values(), ids=FIRST_CHARACTER_CASES.keys())
def test_document_number_prefix_outside_the_table(areas: AreaTable, text: str, code: str) -> None:
    assert describe_text(areas, text + DATED).area_code == code


FIRST_CHARACTER_REFUSED = {
    "two districts share it, no city named": (
        "章应急字〔2025〕31号\n今年以来,全区…",
        "prefix 章 may stand for 赣州市章贡区, 济南市章丘区",
    ),
    "the rank in the text does not fit (全市 for a district)": (
        "鄞应急〔2023〕21号\n今年以来,全市…",
        "prefix 鄞",
    ),
    "a city's other character (新余 -> 余) is another area's first": (
        "余应急〔2023〕5号\n今年以来,全市…",
        "prefix 余 may stand for",
    ),
    "two cities contain it (鞍山, 马鞍山), no province named": (
        "鞍应急〔2023〕5号\n今年以来,全市…",
        "prefix 鞍",
    ),
    "a province's abbreviation is never a county's first character (赣 is not 赣县区)": (
        "赣应急〔2023〕21号\n今年以来,全区…",
        "is a province's \\(江西省\\)",
    ),
    "no area begins with it": ("鑫应急〔2023〕2号\n今年以来,全区…", "prefix 鑫 names no known area"),
}


@pytest.mark.parametrize(
    ("text", "reason"), FIRST_CHARACTER_REFUSED.values(), ids=FIRST_CHARACTER_REFUSED.keys()
)
def test_document_number_prefix_refused(areas: AreaTable, text: str, reason: str) -> None:
    with pytest.raises(Quarantined, match=f"^no detectable area: the document number.*{reason}") as refused:
        describe_text(areas, text + DATED)
    assert str(refused.value).endswith("give the area in manifest.csv")


# --- refusals say what was found and not understood, in one line, with the way out ---------------------------------
REFUSAL_CASES = {
    "a bureau named in passing beside 我县": (
        "我县开展汛前检查\n今年以来,我县按照永州市应急管理局部署,共检查企业…",
        "the text names 永州市应急管理局 only in passing or as the recipient, not as its author",
    ),
    "a recipient bureau and 我局": (
        "衡阳市应急管理局：\n贵局来函收悉,我局高度重视…",
        "the text names 衡阳市应急管理局 only in passing",
    ),
    "a signature by rank only": (
        "李代表：\n您的建议收悉。今年以来,我县…\n\n县应急管理局",
        "the text names its bureau only as 县应急管理局, with no area name",
    ),
    "我市 alone": ("上半年工作情况\n今年以来,我市共检查企业…", "the text says only 我市"),
}


@pytest.mark.parametrize(("text", "reason"), REFUSAL_CASES.values(), ids=REFUSAL_CASES.keys())
def test_refusal_says_what_was_found(areas: AreaTable, text: str, reason: str) -> None:
    with pytest.raises(Quarantined) as refused:
        describe_text(areas, text + DATED)
    said = str(refused.value)
    assert said == f"no detectable area: {reason}; give the area in manifest.csv" or reason in said
    assert said.endswith("give the area in manifest.csv") and "\n" not in said


def test_refusal_never_says_only_our_county_when_a_county_bureau_is_named(areas: AreaTable) -> None:
    text = "今年以来,我县共排查隐患120处。\n报送：县委办\n抄送：市应急管理局、宁远县应急管理局办公室"
    with pytest.raises(Quarantined) as refused:
        describe_text(areas, text + DATED)
    assert "宁远县应急管理局" in str(refused.value) and "says only" not in str(refused.value)


def test_no_year_refusal_points_to_the_manifest(areas: AreaTable) -> None:
    with pytest.raises(Quarantined, match=r"^no detectable year: .*give the year in manifest.csv$"):
        describe_text(areas, "今年以来,全县…\n\n安化县应急管理局")


# --- a report to the 人大常委会 scraped from the 人大's site: the speaker line under the title -----------------------
NPC_BANNER = "常熟市人大常委会\n首页 常委会动态 立法工作 监督工作 代表工作 会议资料\n网站地图 | 联系我们\n无障碍浏览 | 繁体\n当前位置：首页 > 会议资料 > 常委会会议\n"
NPC_CASES = {  # (text, code, year)
    "a bureau chief, his name masked, under a title the banners pushed down": (
        NPC_BANNER + "关于全市2022年防灾减灾救灾工作情况的报告\n"
        "——2022年10月26日在常熟市第十七届人民代表大会常务委员会第六次会议上\n"
        "常熟市应急管理局局长 王××\n发布日期：2022-11-02\n\n主任、各位副主任：\n受市人民政府委托,现将…",
        "320581",
        2022,
    ),
    "a full name, the speaker line far below the top of the file": (
        NPC_BANNER + "关于全市2023年应急管理工作情况的报告\n"
        "——2023年11月28日在浏阳市第十七届人民代表大会常务委员会第十六次会议上\n"
        "浏阳市应急管理局党组书记、局长 刘德华\n\n主任：\n今年以来,全市…",
        "430181",
        2023,
    ),
    "a county's deputy head, masked with stars": (
        "桐庐县人大常委会\n首页 人大要闻 监督工作 代表工作\n当前位置：首页 > 会议资料\n网站导航\n字体：大 中 小\n"
        "关于全县2023年安全生产工作情况的报告\n"
        "——2023年6月28日在桐庐县第十七届人民代表大会常务委员会第十二次会议上\n"
        "桐庐县人民政府副县长 李**\n\n主任、各位副主任：\n今年以来,全县…",
        "330122",
        2023,
    ),
    "a 报告人 label and a date line between": (
        NPC_BANNER
        + "关于全区应急管理工作情况的报告\n（2023年8月29日）\n报告人：江宁区应急管理局局长 赵×\n\n主任：\n今年以来,全区…",
        "320115",
        2023,
    ),
    "no speaker line: the assembly agrees with the government that sent the report": (
        NPC_BANNER + "关于全县2023年防汛工作情况的报告\n"
        "——2023年9月20日在攸县第十八届人民代表大会常务委员会第九次会议上\n\n"
        "主任、各位副主任：\n受攸县人民政府委托,现将全县防汛工作情况报告如下。",
        "430223",
        2023,
    ),
}


@pytest.mark.parametrize(("text", "code", "year"), NPC_CASES.values(), ids=NPC_CASES.keys())
def test_report_to_the_peoples_congress(areas: AreaTable, text: str, code: str, year: int) -> None:
    assert_area_year(describe_text(areas, text), code, year)


def test_an_assembly_alone_names_no_author(areas: AreaTable) -> None:
    text = (
        "关于全县2023年防汛工作情况的报告\n——2023年9月20日在攸县第十八届人民代表大会常务委员会第九次会议上\n\n"
        "主任、各位副主任：\n现将全县防汛工作情况报告如下。按照株洲市应急管理局部署,…"
    )
    with pytest.raises(Quarantined, match="株洲市应急管理局 only in passing"):
        describe_text(areas, text)


def test_an_assembly_never_overrides_the_speaker(areas: AreaTable) -> None:
    text = (
        "关于全市危化品安全工作情况的报告\n——2023年9月20日在昆山市第十七届人民代表大会常务委员会第九次会议上\n"
        "苏州市应急管理局副局长 钱××\n\n主任：\n受昆山市人民政府邀请,今年以来,…"
    )
    assert describe_text(areas, text).area_code == "320500"


# --- a news feature from the area's own media, hosted on its city's site --------------------------------------------
CITY_SITE = "苏州市人民政府 > 县市动态 > 常熟市\n"
CITY_FOOTER = "\n(责任编辑：周××)\n主办：苏州市人民政府办公室\n苏州市人民政府门户网站 版权所有"
MEDIA_CASES = {  # (text, code, year)
    "the area opens the subtitle after ——; a county's daily": (
        CITY_SITE + "织密城乡“安全网”——常熟市全力推进应急管理能力建设纪实\n"
        "来源：常熟日报  作者：记者 周××  发布时间：2023-09-12 10:20\n【字体：大 中 小】\n\n"
        "今年以来,常熟市共开展各类演练…\n相关新闻：苏州市应急管理局赴常熟市督导" + CITY_FOOTER,
        "320581",
        2023,
    ),
    "the area opens the part after a colon; a media centre": (
        "成都市人民政府 > 区(市)县动态 > 彭州市\n聚焦安全生产月：彭州市开展危化企业执法检查\n"
        "来源:彭州市融媒体中心 发布时间:2024-06-18\n\n6月以来,彭州市…",
        "510182",
        2024,
    ),
    "the headline itself opens with the area; a television station": (
        "海宁市开展防台风应急演练 守护万家平安\n来源：海宁电视台　2023-07-30\n\n7月29日,海宁市…\n"
        "主办：嘉兴市人民政府办公室 嘉兴市人民政府门户网站",
        "330481",
        2023,
    ),
}


@pytest.mark.parametrize(("text", "code", "year"), MEDIA_CASES.values(), ids=MEDIA_CASES.keys())
def test_news_from_the_areas_own_media(areas: AreaTable, text: str, code: str, year: int) -> None:
    doc = describe(Document(id="s", file_name="t.txt", path="t.txt", text=text, site="苏州市人民政府"), areas)
    assert_area_year(doc, code, year)


MEDIA_REFUSED = {  # no site footer: the last resort would name the host city
    "another area visiting opens the headline": (
        CITY_SITE + "苏州市应急管理局赴常熟市督导防汛工作\n来源：常熟日报 2023-07-12\n\n"
        "7月11日,苏州市应急管理局督导组来到常熟市…"
    ),
    "a 相关新闻 line at the foot is no headline": (
        CITY_SITE + "筑牢安全防线 守护万家平安\n来源：常熟日报 2023-07-12\n\n今年以来,常熟市应急管理局…\n"
        "相关新闻：常熟市召开2023年安全生产工作会议"
    ),
    "another area's paper does not confirm the subtitle": (
        CITY_SITE + "织密“安全网”——常熟市全力推进应急管理能力建设\n来源：苏州日报 2023-07-12\n\n"
        "今年以来,常熟市应急管理局…"
    ),
}


@pytest.mark.parametrize("text", MEDIA_REFUSED.values(), ids=MEDIA_REFUSED.keys())
def test_news_whose_headline_and_media_disagree(areas: AreaTable, text: str) -> None:
    with pytest.raises(Quarantined, match="only in passing"):
        describe_text(areas, text)


@pytest.mark.parametrize(
    ("opening", "year"),
    [
        ("过去的一年，全县应急管理系统攻坚克难。全年组织开展各类应急演练210场次。", 2022),
        ("今天召开会议，总结2022年工作，部署今年任务。全年组织开展各类应急演练210场次。", 2022),
        ("今年以来，全县组织开展各类应急演练210场次。", 2023),  # looks at the meeting's own year
    ],
)
def test_a_speech_at_the_years_opening_meeting_reviews_the_year_before(opening: str, year: int) -> None:
    from etl.metadata import detect_year

    text = (
        f"在2023年全县应急管理工作会议上的讲话\n\n某县应急管理局局长 李某\n（2023年2月16日）\n\n{opening}\n"
    )
    assert detect_year(text, "在2023年全县应急管理工作会议上的讲话", "2023-02-16", 2023)[0] == year
