"""Where and when: the issuing area, the year, the publication date and the kind of each report."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.areas import AreaTable
from etl.ingest import ingest
from etl.manifest import ManifestRow
from etl.metadata import describe, detect_doc_type, detect_published
from etl.model import Document, Quarantined
from tests.fixtures_build import html_page

REPORTS = Path(__file__).parents[1] / "data" / "reports"
DEV_REPORTS = Path(__file__).parent / "corpus-dev"
SIGNED_SHANWEI = "\n汕尾市应急管理局\n2022年10月20日\n"  # a signature that settles area and date


@pytest.fixture(scope="module")
def areas() -> AreaTable:
    return AreaTable.load()


def make_doc(text: str, title: str | None = None) -> Document:
    return Document(id="sha", file_name="t.txt", path="t.txt", text=text, title=title)


# --- the seeds, with no manifest ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("file_name", "area_code", "area", "year", "doc_type", "published"),
    [
        ("shenzhen-2023-renda-jianyi.txt", "440300", "深圳", 2023, "suggestion_summary", "2023-12-11"),
        ("shanghai-2024-jianyi-tian.txt", "310000", "上海", 2024, "suggestion_summary", "2024-11-19"),
        ("shanwei-2022-fazhi-zhengfu.txt", "441500", "汕尾", 2022, "rule_of_law_report", "2023-01-03"),
        ("luohe-2022-pingyi-zhenggai.txt", "411100", "漯河", 2022, "npc_report", "2022-10-20"),
        ("chongqing-2021-zhengxie-tian-0365.txt", "500000", "重庆", 2021, "suggestion_reply", None),
    ],
)
def test_seed_reports(
    areas: AreaTable,
    file_name: str,
    area_code: str,
    area: str,
    year: int,
    doc_type: str,
    published: str | None,
) -> None:
    doc = describe(make_doc((REPORTS / file_name).read_text(encoding="utf-8")), areas)
    assert (doc.area_code, doc.area, doc.year, doc.doc_type, doc.published) == (
        area_code,
        area,
        year,
        doc_type,
        published,
    )
    assert set(doc.detected_by) == {"area", "year", "doc_type", "published", "url", "publisher"}


# --- the issuing area ---------------------------------------------------------------------------------
AREA_CASES = {
    "title names the bureau": ("泉州市应急管理局关于2022年安全生产工作的总结", "今年以来,全市…", "350500"),
    "title with the year after the bureau": ("汕尾市应急管理局2022年法治政府建设年度报告", "正文", "441500"),
    "signature of a district bureau": (None, "正文。\n鲤城区应急管理局\n2023年3月2日", "350502"),
    "district resolved within its city": (None, "正文。\n  广州市增城区应急管理局  \n2023年3月2日", "440118"),
    "source line": (None, "来源 : 深圳市应急管理局   信息提供日期 :2023-12-11\n正文", "440300"),
    "document number of a city": (None, "深应急〔2023〕60号\n2023年今年以来…", "440300"),
    "document number of a municipality": (None, "沪应急〔2024〕5号\n正文", "310000"),
    "document number with a kind": (None, "渝应急函〔2021〕128号\n正文", "500000"),
    "two-character abbreviation": (None, "汕尾应急〔2022〕12号\n正文", "441500"),
    "speaker line and assembly": (
        "关于贯彻落实评议建议情况的报告",
        "——2022年10月18日在漯河市第七届人民代表大会常务委员会第五十次会议上\n  市应急管理局局长 孙全忠\n",
        "411100",
    ),
    "我市 and a city in the title": ("关于漯河市安全生产工作情况的报告", "今年以来,我市共检查…", "411100"),
    "recipient line is not the author": (
        None,
        "深圳市人民政府:\n贵单位来函收悉。" + SIGNED_SHANWEI,
        "441500",
    ),
    "recipient bureau is not the author": (None, "深圳市应急管理局:\n来函收悉。" + SIGNED_SHANWEI, "441500"),
    "places in passing are not the author": (
        None,
        "赴上海浦东新区、长三角考察,吸取郑州“7·20”教训,深入江北、渝北等区县。\n重庆市应急管理局\n2021年6月4日",
        "500000",
    ),
    "ambiguous district named with its city": (
        None,
        "北京市安全生产工作…\n朝阳区应急管理局\n2023年1月9日",
        "110105",
    ),
    "site footer as last resort": (None, "正文\n汕尾市人民政府门户网站\n", "441500"),
}


@pytest.mark.parametrize(("title", "text", "code"), AREA_CASES.values(), ids=AREA_CASES.keys())
def test_area(areas: AreaTable, title: str | None, text: str, code: str) -> None:
    assert describe(make_doc(text + "\n2023年5月1日", title), areas).area_code == code


QUARANTINE_CASES = {
    "我县 alone": ("今年以来,我县共排查隐患120处。", "我县"),
    "places in passing only": ("赴上海浦东新区、长三角考察,深入江北、渝北等区县。", "no detectable area"),
    "a province's document number": ("粤应急〔2023〕1号\n正文", "no detectable area"),
    "a number cited in a sentence": ("根据深应急〔2023〕60号文件要求,开展检查。", "no detectable area"),
    "a recipient line only": ("深圳市人民政府:\n贵单位来函收悉。", "no detectable area"),
    "ambiguous district, no city": ("正文\n朝阳区应急管理局\n2023年1月9日", "ambiguous"),
}


@pytest.mark.parametrize(("text", "reason"), QUARANTINE_CASES.values(), ids=QUARANTINE_CASES.keys())
def test_area_quarantined(areas: AreaTable, text: str, reason: str) -> None:
    with pytest.raises(Quarantined, match=reason):
        describe(make_doc(text + "\n2023年5月1日"), areas)


def test_manifest_settles_what_the_text_cannot(areas: AreaTable) -> None:
    manifest = ManifestRow(file="t.txt", area_code="431125", year=2021, doc_type="suggestion_reply")
    doc = describe(make_doc("今年以来,我县共排查隐患120处。\n2023年5月1日"), areas, manifest)
    assert (doc.area_code, doc.area, doc.year, doc.doc_type) == ("431125", "江永", 2021, "suggestion_reply")
    assert doc.detected_by["area"] == doc.detected_by["year"] == "manifest"


def test_manifest_blank_cells_detect(areas: AreaTable) -> None:
    doc = describe(make_doc("正文,今年以来…" + SIGNED_SHANWEI), areas, ManifestRow(file="t.txt", year=2021))
    assert (doc.area_code, doc.year, doc.detected_by["area"]) == (
        "441500",
        2021,
        "signature: 汕尾市应急管理局",
    )


# --- the year the figures describe ----------------------------------------------------------------------
YEAR_CASES = {
    "title year": ("关于2023年人大代表建议办理工作的情况报告", "正文", "2024年1月5日", 2023),
    "title 年度": ("2024年度安全生产工作总结", "正文", "2025年3月5日", 2024),
    "opening year": (None, "2022年,市应急管理局坚持…", "2023年3月5日", 2022),
    "opening 年度 phrase": (None, "现将我局2024年度建议提案办理情况总结如下。", "2024年11月19日", 2024),
    "2021年以来 is not the report's year": (None, "2021年以来,全市累计…今年以来…", "2023年5月1日", 2023),
    "今年以来 in a report dated that year": (None, "今年以来,全市共检查企业…", "2022年10月20日", 2022),
    "去年 alone: the year before": (None, "去年,全市共开展演练…", "2023年3月1日", 2022),
    "去年 beside 今年以来": (None, "去年反馈的问题已整改。今年以来…", "2022年10月20日", 2022),
    "January report sums up the year before": (None, "全年共开展演练…", "2023年1月3日", 2022),
    "January report with a title year": (
        "汕尾市应急管理局2022年法治政府建设年度报告",
        "今年…",
        "2023年1月3日",
        2022,
    ),
    "damaged date 202313: year only": (None, "今年以来…", "202313", 2023),
    "damaged date 2021年64: year only": (None, "今年以来…", "2021年64", 2021),
    "Chinese-numeral year in the title": (
        "汕尾市应急管理局二〇二三年工作总结",
        "正文",
        "2024年3月10日",
        2023,
    ),
    "Chinese-numeral 年度 in the opening": (None, "现将我局二〇二三年度工作总结如下。", "2024年3月5日", 2023),
    "January work summary with no year in its title": (
        "汕尾市应急管理局工作总结",
        "全年共…",
        "2024年1月10日",
        2023,
    ),
    "2021年以来 in the title is not the year": (
        "关于2021年以来安全生产工作情况的报告",
        "正文",
        "2023年5月1日",
        2023,
    ),
    "a year range in the title is not the year": (
        "2021-2023年安全生产工作情况的报告",
        "正文",
        "2023年5月1日",
        2023,
    ),
    "去年 inside the body is not the report's year": (
        None,
        "一、问题整改情况\n坚持问题导向,扎实整改。去年,市人大常委会反馈的11项问题已整改完毕。",
        "2022年10月20日",
        2022,
    ),
    "a report to the 人大常委会 dated by its subtitle": (
        "关于贯彻落实评议建议情况的报告",
        "——2022年10月18日在漯河市第七届人民代表大会常务委员会第五十次会议上\n  市应急管理局局长 孙全忠\n一、问题整改情况\n扎实整改。去年反馈的问题已整改。",
        "",
        2022,
    ),
}


@pytest.mark.parametrize(("title", "body", "signed", "year"), YEAR_CASES.values(), ids=YEAR_CASES.keys())
def test_year(areas: AreaTable, title: str | None, body: str, signed: str, year: int) -> None:
    doc = describe(make_doc(f"{body}\n汕尾市应急管理局\n{signed}\n", title), areas)
    assert doc.year == year


@pytest.mark.parametrize("signed", ["514日", "5月14日", "第3136号"])
def test_no_year_is_quarantined(areas: AreaTable, signed: str) -> None:
    with pytest.raises(Quarantined, match="no detectable year"):
        describe(make_doc(f"今年以来…\n汕尾市应急管理局\n{signed}\n"), areas)


# --- the publication date -------------------------------------------------------------------------------
PUBLISHED_CASES = {
    "labelled, web page": ("来源 : 深圳市应急管理局   信息提供日期 :2023-12-11\n正文", "2023-12-11"),
    "labelled 时间": ("时间:2022-10-20来源:\n正文", "2022-10-20"),
    "page date line with time": ("标题\n  • 2023-01-03 16:44\n  • 来源: 本网\n正文", "2023-01-03"),
    "signature date": ("正文\n上海市应急管理局\n2024年11月19日", "2024-11-19"),
    "signature date in Chinese numerals": ("正文\n上海市应急管理局\n二〇二四年十一月十九日", "2024-11-19"),
    "dateline with its source": ("2023-05-06 来源:佛山日报\n正文", "2023-05-06"),
    "dateline in Chinese with a time": ("2023年05月06日 10:20  来源:汕尾日报\n正文", "2023-05-06"),
    "a speech's date under its title": (
        "标题\n——2022年10月18日在漯河市第七届人民代表大会常务委员会第五十次会议上\n正文",
        "2022-10-18",
    ),
    "damaged 202313": ("正文\n汕尾市应急管理局\n202313", None),
    "damaged 2021年64": ("正文\n重庆市应急管理局\n2021年64", None),
    "damaged 514日": ("正文\n514日", None),
    "impossible month": ("正文\n2023年13月2日", None),
    "a date inside a sentence is not the publication date": ("2022年10月18日在会议上的报告", None),
}


@pytest.mark.parametrize(("text", "published"), PUBLISHED_CASES.values(), ids=PUBLISHED_CASES.keys())
def test_published(text: str, published: str | None) -> None:
    assert detect_published(text)[0] == published


# --- the kind of report ---------------------------------------------------------------------------------
DOC_TYPE_CASES = {
    "title wins over the opening": (
        "汕尾市应急管理局2022年法治政府建设年度报告",
        "建议提案办理情况总结",
        "rule_of_law_report",
    ),
    "suggestion reply letter": ("关于市政协五届四次会议第0365号提案的复函", "", "suggestion_reply"),
    "suggestion answer": ("对市人大十六届二次会议第123号建议的答复", "", "suggestion_reply"),
    "suggestion summary": (
        "深圳市应急管理局关于2023年人大代表建议办理工作的情况报告",
        "",
        "suggestion_summary",
    ),
    "suggestion summary in the opening": (None, "现将我局建议提案办理情况总结函报如下", "suggestion_summary"),
    "npc report": (None, "——2022年10月18日在漯河市第七届人民代表大会常务委员会第五十次会议上", "npc_report"),
    "work summary": ("江永县应急管理局2023年工作总结", "", "work_summary"),
    "other": ("关于开展安全生产月活动的通知", "", "other"),
}


@pytest.mark.parametrize(("title", "opening", "doc_type"), DOC_TYPE_CASES.values(), ids=DOC_TYPE_CASES.keys())
def test_doc_type(title: str | None, opening: str, doc_type: str) -> None:
    assert detect_doc_type(opening, title)[0] == doc_type


# --- the seeds cut to their first 2,000 bytes (as many real inputs are) ----------------------------------
CUT_BYTES = 2000


def cut_seed(file_name: str, folder: Path) -> Path:
    """The seed's first CUT_BYTES bytes of UTF-8, cut at a character boundary, as a file to ingest."""
    head = (REPORTS / file_name).read_bytes()[:CUT_BYTES].decode("utf-8", errors="ignore")
    path = folder / file_name
    path.write_text(head, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("file_name", "area_code", "year"),
    [
        ("shenzhen-2023-renda-jianyi.txt", "440300", 2023),  # title: 深圳市应急管理局关于2023年…
        ("shanwei-2022-fazhi-zhengfu.txt", "441500", 2022),  # title: 汕尾市应急管理局2022年…
        ("luohe-2022-pingyi-zhenggai.txt", "411100", 2022),  # speaker line; 去年 in the body is not the year
    ],
)
def test_cut_seed_area_and_year(
    areas: AreaTable, tmp_path: Path, file_name: str, area_code: str, year: int
) -> None:
    doc = describe(ingest(cut_seed(file_name, tmp_path)), areas)
    assert (doc.area_code, doc.year) == (area_code, year)


def test_cut_letter_that_says_only_our_bureau_needs_a_manifest(areas: AreaTable, tmp_path: Path) -> None:
    """上海's letter opens with its recipient (市政府办公厅:) and says only 我局; the signature is cut off."""
    doc = ingest(cut_seed("shanghai-2024-jianyi-tian.txt", tmp_path))
    with pytest.raises(Quarantined, match="no detectable area"):
        describe(doc, areas)
    described = describe(doc, areas, ManifestRow(file=doc.file_name, area_code="310000"))
    assert (described.area_code, described.year) == ("310000", 2024)


def test_cut_reply_names_its_bureau_under_the_title(areas: AreaTable, tmp_path: Path) -> None:
    """重庆's title says only 市政协; the 重庆市应急管理局 byline is near the top, the date is cut off."""
    doc = ingest(cut_seed("chongqing-2021-zhengxie-tian-0365.txt", tmp_path))
    with pytest.raises(Quarantined, match="no detectable year"):
        describe(doc, areas)
    assert describe(doc, areas, ManifestRow(file=doc.file_name, year=2021)).area_code == "500000"


# --- local news: the area is the bureau reported on, the year the article's ----------------------------
NEWS_CASES = {
    "记者从 a city bureau 获悉": (
        "全市安全生产形势总体平稳",
        "2023-05-06 来源:佛山日报\n本报讯(记者 张明)记者从佛山市应急管理局获悉,今年以来,全市共排查整治隐患1.2万处。",
        "440600",
        2023,
    ),
    "a district bureau's 消息": (
        None,
        "2023-05-06 09:12 来源:增城日报\n增城区应急管理局消息,今年以来,全区共开展应急演练120场。",
        "440118",
        2023,
    ),
    "the headline names the city": (
        "漯河市今年以来排查整治隐患1.2万处",
        "2023-05-06 来源:漯河日报\n本报讯(记者 王芳)今年以来,全市深入开展安全生产大排查,共排查整治隐患1.2万处。",
        "411100",
        2023,
    ),
    "a headline naming a district within its city": (
        "广州市增城区今年以来排查整治隐患3200处",
        "2023-05-06 来源:广州日报\n本报讯 今年以来,全区共排查整治隐患3200处。",
        "440118",
        2023,
    ),
    "the newspaper's city is not the bureau's": (
        None,
        "2023-05-06 来源:深圳特区报\n本报讯 记者近日从汕尾市应急管理局了解到,今年以来,全市共检查企业3200家次。",
        "441500",
        2023,
    ),
    "去年 opening the lead: the year before the article": (
        None,
        "2023-03-06 来源:汕尾日报\n记者从汕尾市应急管理局获悉,去年,全市共排查整治隐患1.2万处。",
        "441500",
        2022,
    ),
    "a named year opening the lead": (
        None,
        "2024-03-06 来源:汕尾日报\n记者从汕尾市应急管理局获悉,2022年,全市共排查整治隐患1.2万处。",
        "441500",
        2022,
    ),
    "a Chinese-date dateline": (
        None,
        "2023年05月06日 10:20  来源:汕尾日报\n汕尾市应急管理局消息,今年以来,全市共开展演练300场。",
        "441500",
        2023,
    ),
}


def test_news_headline_as_the_first_line_of_a_text_file(areas: AreaTable, tmp_path: Path) -> None:
    article = tmp_path / "news.txt"
    article.write_text(
        "漯河市今年以来排查整治隐患1.2万处\n2023-05-06 来源:漯河日报\n本报讯(记者 王芳)今年以来,全市共排查整治隐患1.2万处。",
        encoding="utf-8",
    )
    doc = describe(ingest(article), areas)
    assert (doc.area_code, doc.year, doc.published) == ("411100", 2023, "2023-05-06")


def test_a_site_banner_is_not_a_headline(areas: AreaTable) -> None:
    with pytest.raises(Quarantined, match="我区"):
        describe(make_doc("广州市人民政府\n今年以来,我区共排查隐患1200处。\n2023年6月1日"), areas)


@pytest.mark.parametrize(("title", "text", "code", "year"), NEWS_CASES.values(), ids=NEWS_CASES.keys())
def test_news_article(areas: AreaTable, title: str | None, text: str, code: str, year: int) -> None:
    doc = describe(make_doc(text, title), areas)
    assert (doc.area_code, doc.year) == (code, year)


# --- district and county bureaus, and the page's site name as a tie-breaker ------------------------------
PAGE_CASES = {  # (article title, site name, body, area code); the page's <title> is `title_site`
    "district named in the title, city in the site name": (
        "南山区应急管理局2023年工作总结",
        "深圳市南山区人民政府门户网站",
        "一、主要工作\n今年以来,全区共排查隐患1200处。",
        "440305",
    ),
    "a city site publishes a district bureau's report": (
        "增城区应急管理局2023年工作总结",
        "广州市人民政府门户网站",
        "今年以来,全区共排查隐患1200处。",
        "440118",
    ),
    "the site does not override the issuing body": (
        "深圳市应急管理局关于2023年人大代表建议办理工作的情况报告",
        "汕尾市人民政府门户网站",
        "正文",
        "440300",
    ),
    "我市 on a city's site": (
        "关于安全生产工作情况的报告",
        "汕尾市人民政府门户网站",
        "今年以来,我市共排查隐患1200处。",
        "441500",
    ),
    "a title naming its bureau by rank, on a city's site": (
        "市应急管理局2023年工作总结",
        "汕尾市人民政府门户网站",
        "一、主要工作\n今年以来,全市共排查隐患1200处。",
        "441500",
    ),
    "我县 on a county's site": ("工作总结", "舞阳县人民政府", "今年以来,我县共排查隐患120处。", "411121"),
    "a county's reply": (
        "舞阳县应急管理局关于县政协十届二次会议第15号提案的答复",
        "舞阳县人民政府",
        "张委员:\n您提出的提案收悉。",
        "411121",
    ),
}


def write_page(folder: Path, title: str, site: str, body: str, site_first: bool = False) -> Path:
    page = folder / "page.html"
    paragraphs = [*body.split("\n"), "2023年6月1日"]
    page.write_text(html_page(title, paragraphs, site=site, info="", site_first=site_first), encoding="utf-8")
    return page


@pytest.mark.parametrize(("title", "site", "body", "code"), PAGE_CASES.values(), ids=PAGE_CASES.keys())
@pytest.mark.parametrize("site_first", [False, True], ids=["title_site", "site-title"])
def test_area_on_a_site_page(
    areas: AreaTable, tmp_path: Path, title: str, site: str, body: str, code: str, site_first: bool
) -> None:
    page = write_page(tmp_path, title, site, body, site_first)
    assert describe(ingest(page), areas).area_code == code


@pytest.mark.parametrize(
    ("title", "site", "body", "reason"),
    [
        ("安全生产工作总结", "广州市人民政府门户网站", "今年以来,我区共排查隐患1200处。", "我区"),
        ("南山区应急管理局2023年工作总结", "应急管理网", "今年以来,全区共排查隐患1200处。", "ambiguous"),
    ],
    ids=["我区 on a city's site", "ambiguous district on a site naming no city"],
)
def test_site_settles_no_more_than_a_tie(
    areas: AreaTable, tmp_path: Path, title: str, site: str, body: str, reason: str
) -> None:
    with pytest.raises(Quarantined, match=reason):
        describe(ingest(write_page(tmp_path, title, site, body)), areas)


DISTRICT_CASES = {
    "district work summary in the title": ("增城区应急管理局2023年工作总结", "今年以来,全区…", "440118"),
    "county reply in the title": (
        "舞阳县应急管理局关于县政协第15号提案的答复",
        "您提出的提案收悉。",
        "411121",
    ),
    "a county with a unique name, signed": (
        None,
        "今年以来,我县共排查隐患120处。\n舞阳县应急管理局",
        "411121",
    ),
    "ambiguous district narrowed by its city in the text": (
        "南山区应急管理局2023年工作总结",
        "深圳市南山区今年以来…",
        "440305",
    ),
}


@pytest.mark.parametrize(("title", "text", "code"), DISTRICT_CASES.values(), ids=DISTRICT_CASES.keys())
def test_district_and_county_bureaus(areas: AreaTable, title: str | None, text: str, code: str) -> None:
    assert describe(make_doc(text + "\n2023年6月1日", title), areas).area_code == code


# --- where it was published: address and publisher -------------------------------------------------------
PUBLISHER_CASES = {
    "来源 : 深圳市应急管理局": (REPORTS / "shenzhen-2023-renda-jianyi.txt", "深圳市应急管理局", "label 来源"),
    "signed": (REPORTS / "shanghai-2024-jianyi-tian.txt", "上海市应急管理局", "byline or signature"),
    "signed, not 来源: 本网": (REPORTS / "shanwei-2022-fazhi-zhengfu.txt", "汕尾市应急管理局", "byline or signature"),
    "byline and signature": (REPORTS / "chongqing-2021-zhengxie-tian-0365.txt", "重庆市应急管理局", "byline or signature"),
    "来源: blank; 市应急管理局局长 not assumed": (REPORTS / "luohe-2022-pingyi-zhenggai.txt", None, "none"),
    "信息来源：县应急管理局, then signed": (DEV_REPORTS / "anji-2023-zongjie.txt", "安吉县应急管理局", "byline or signature"),
    "来源：州融媒体中心 is no one": (DEV_REPORTS / "enshi-2021-xinwen-baodao.txt", None, "none"),
    "news: the paper": (DEV_REPORTS / "liuzhou-2025-xinwen.txt", "柳州日报", "label 来源"),
    "来源：铜山区应急管理局": (DEV_REPORTS / "tongshan-2024-xinxigongkai.txt", "铜山区应急管理局", "label 来源"),
}  # fmt: skip


@pytest.mark.parametrize(("path", "publisher", "how"), PUBLISHER_CASES.values(), ids=PUBLISHER_CASES.keys())
def test_report_publishers(areas: AreaTable, path: Path, publisher: str | None, how: str) -> None:
    doc = describe(ingest(path), areas)
    assert (doc.publisher, doc.detected_by["publisher"], doc.url) == (publisher, how, None)


SOURCE_TEXT_CASES = {
    "发文机关 line beats a signature": (
        "发文机关：舞阳县应急管理局\n正文。\n漯河市应急管理局",
        "舞阳县应急管理局",
    ),
    "发布机构 (the site) only when nothing else": (
        "发布机构:汕尾市人民政府门户网站\n正文。",
        "汕尾市人民政府门户网站",
    ),
    "a signature beats 发布机构": (
        "发布机构:汕尾市人民政府门户网站\n正文。\n汕尾市应急管理局",
        "汕尾市应急管理局",
    ),
    "来源: 本网 is no publisher": ("来源: 本网\n正文。", None),
    "a bureau named by its rank alone is no publisher": ("来源：县应急管理局\n正文。", None),
    "市中区 is a place, not a rank": ("来源：枣庄市市中区应急管理局\n正文。", "枣庄市市中区应急管理局"),
    "nor is 市中区 alone": ("来源：市中区应急管理局\n正文。", "市中区应急管理局"),
    "数据来源 in a sentence is no source line": ("正文。数据来源：国家统计局。", None),
    "two bureaus signed: ambiguous, blank": ("正文。\n汕尾市应急管理局\n深圳市应急管理局", None),
}


@pytest.mark.parametrize(("text", "publisher"), SOURCE_TEXT_CASES.values(), ids=SOURCE_TEXT_CASES.keys())
def test_publisher_from_text(areas: AreaTable, text: str, publisher: str | None) -> None:
    doc = describe(make_doc(f"汕尾市应急管理局2022年工作总结\n{text}\n2023年1月3日"), areas)
    assert doc.publisher == publisher


def test_url_from_a_text_line(areas: AreaTable) -> None:
    text = "汕尾市应急管理局2022年工作总结\n正文。\n原文链接：https://www.example.gov.cn/a/1.html。\n2023年1月3日"
    doc = describe(make_doc(text), areas)
    assert (doc.url, doc.detected_by["url"]) == ("https://www.example.gov.cn/a/1.html", "text 原文链接")


SOURCE_PAGE = """<!DOCTYPE html><html><head>
<meta charset="gb2312">
<meta name="SiteName" content="深圳市应急管理局网站">
<meta name="ContentSource" content="深圳市应急管理局">
<meta name="Url" content="{url}">
<link rel="canonical" href="https://www.example.gov.cn/canonical.html">
<title>深圳市应急管理局2023年工作总结_深圳市应急管理局网站</title>
</head><body><h1>深圳市应急管理局2023年工作总结</h1>
<p>2023年，全市开展应急演练120场次。</p><p>2024年1月5日</p>
<meta name="Url" content="https://www.example.gov.cn/in-the-body.html">
</body></html>"""


@pytest.mark.parametrize(
    ("url", "found", "how"),
    [
        ("https://yjgl.example.gov.cn/art/2024/1/5/art_1.html", None, "page url"),
        ("javascript:alert(1)", "https://www.example.gov.cn/canonical.html", "page canonical"),
    ],
)
def test_html_page_metadata(areas: AreaTable, tmp_path: Path, url: str, found: str | None, how: str) -> None:
    page = tmp_path / "sz.html"
    page.write_bytes(SOURCE_PAGE.format(url=url).encode("gb18030"))
    doc = describe(ingest(page), areas)
    assert (doc.url, doc.detected_by["url"]) == (found or url, how)
    assert (doc.publisher, doc.detected_by["publisher"]) == ("深圳市应急管理局", "page contentsource")


def test_manifest_url_and_publisher_win(areas: AreaTable, tmp_path: Path) -> None:
    page = tmp_path / "sz.html"
    page.write_bytes(SOURCE_PAGE.format(url="https://www.example.gov.cn/meta.html").encode("gb18030"))
    row = ManifestRow(file="sz.html", url="https://www.example.gov.cn/given.html", publisher="深圳市人民政府")
    doc = describe(ingest(page), areas, row)
    assert (doc.url, doc.publisher) == ("https://www.example.gov.cn/given.html", "深圳市人民政府")
    assert doc.detected_by["url"] == doc.detected_by["publisher"] == "manifest"


def test_a_page_changed_since_it_was_read_gives_no_metadata(areas: AreaTable, tmp_path: Path) -> None:
    page = tmp_path / "sz.html"
    page.write_bytes(SOURCE_PAGE.format(url="https://www.example.gov.cn/old.html").encode("utf-8"))
    doc = ingest(page)
    page.write_bytes(SOURCE_PAGE.format(url="https://www.example.gov.cn/new.html").encode("utf-8"))
    assert describe(doc, areas).url is None


def test_the_site_name_only_when_nothing_else_names_a_publisher(areas: AreaTable, tmp_path: Path) -> None:
    page = tmp_path / "sz.html"
    without_source = SOURCE_PAGE.replace('<meta name="ContentSource" content="深圳市应急管理局">', "")
    page.write_text(without_source.format(url="https://www.example.gov.cn/a.html"), encoding="utf-8")
    doc = describe(ingest(page), areas)
    assert (doc.publisher, doc.detected_by["publisher"]) == ("深圳市应急管理局网站", "page sitename")
    page.write_text(without_source.format(url="x").replace("<p>2024年", "<p>深圳市应急管理局</p><p>2024年"))
    assert describe(ingest(page), areas).publisher == "深圳市应急管理局"  # its signature first
