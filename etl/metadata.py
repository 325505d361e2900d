"""Who issued a report, for which year, of what kind and when: the metadata every fact inherits.

The area is the ISSUING body (title, signature, source line, document number, speaker line), never a
place named in passing or a letter's recipient. Where the clues are missing or ambiguous the document is
quarantined rather than guessed; a manifest row settles what the text cannot.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from etl.areas import Area, AreaTable
from etl.model import Document, Quarantined

if TYPE_CHECKING:
    from etl.manifest import ManifestRow

# --- regex pieces -------------------------------------------------------------------------------------
CJK = r"[\u4e00-\u9fff]"
BODY = rf"(?P<body>{CJK}{{2,16}}?)"  # the names before 应急管理局: 深圳市, 广州市增城区
BUREAU = r"应急(?:管理)?局"  # 应急管理局, and its everyday short form 应急局
YEAR = r"(?P<year>(?:19|20)\d{2})"
SEP_YM = r"\s*[-/.年]\s*"
SEP_MD = r"\s*[-/.月]\s*"
DATE = rf"{YEAR}{SEP_YM}(?P<month>\d{{1,2}}){SEP_MD}(?P<day>\d{{1,2}})日?"
CN_DIGIT_VALUES = {ch: value for value, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
CN_DIGIT = "".join(CN_DIGIT_VALUES)
CN_NUMBER = rf"[{CN_DIGIT}十]{{1,3}}"
YEAR_WORD = rf"(?:{YEAR}|(?P<cn_year>[{CN_DIGIT}]{{4}}))"  # 2023 or 二〇二三
# 二〇二四年十一月十九日
CN_DATE = rf"(?P<cn_year>[{CN_DIGIT}]{{4}})年(?P<cn_month>{CN_NUMBER})月(?P<cn_day>{CN_NUMBER})日"
OPEN_BRACKET = r"[〔\[［(（【]"
CLOSE_BRACKET = r"[〕\]］)）】]"

# Where an issuing body is named, strongest first. Each pattern has a `body` group.
GOVERNMENT = r"人民政府"
# the title opens with its author: XX市应急管理局关于…, XX县人民政府关于…, 关于XX区应急管理局…
TITLE_BODY = re.compile(rf"{BODY}(?:{BUREAU}|{GOVERNMENT})")
# a line that is only the body's name: the byline under a title or the signature above the date;
# a yearbook entry closes with it in brackets: （常德市应急管理局）; a signature may carry 盖章 or the date
SIGNED_DATE = (
    rf"(?:19|20)\d{{2}}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*日?|[{CN_DIGIT}]{{4}}年\S{{2,6}}日"
)
SEAL = r"[(（]\s*盖章\s*[)）]"  # the seal mark, before or after the name
SIGNED = rf"\s*(?:{SEAL})?\s*(?:{SIGNED_DATE})?\s*"
# a news item's byline names its author with 供稿, alone or after the date: 2023年5月16日 XX旗应急管理局供稿
BYLINE_MARK = "供稿"
SIGNATURE_LINE = re.compile(
    rf"\s*(?:(?:{SIGNED_DATE})\s*)?(?:{SEAL})?\s*[(（]?{BODY}{BUREAU}(?:办公室)?(?:{BYLINE_MARK})?[)）]?{SIGNED}"
)
GOVERNMENT_SIGNATURE_LINE = re.compile(rf"\s*{BODY}{GOVERNMENT}(?:办公室)?{SIGNED}")
SIGNATURE_TAIL_LINES = 8  # a government's name counts as a signature only among the last lines
SOURCE_LABELS = "来源|发布机构|发文机关|发布单位|发文单位|填报单位|报送单位|制表单位|供稿单位|供稿"
# the seal mark may stand on either side of the colon: 填报单位（盖章）：…, 填报单位：（盖章）…
SOURCE_LINE = re.compile(rf"(?:{SOURCE_LABELS})\s*(?:{SEAL})?\s*[:：]\s*(?:{SEAL})?\s*{BODY}{BUREAU}")
# its own document number stands alone on a line (a number cited in a sentence is someone else's)
DOC_NUMBER_LINE = re.compile(
    r"\s*(?:(?:发文字号|文号)\s*[:：]\s*)?"
    rf"(?P<abbr>{CJK}{{1,4}}?)应急(?:管理)?{CJK}{{0,3}}"  # 深应急, 渝应急函, 汕尾应急管理, 昌州应急函
    rf"{OPEN_BRACKET}\s*(?:19|20)\d{{2}}\s*{CLOSE_BRACKET}\s*第?\d+\s*号\s*"
)
RANK = r"(?P<rank>[市区县州旗])"
# a body named only relative to its area: 市应急管理局局长 孙全忠, 我代表市应急管理局
RELATIVE_BODIES = (
    re.compile(rf"我代表{RANK}{BUREAU}"),
    re.compile(rf"(?<!{CJK}){RANK}{BUREAU}(?:党委书记|党组书记|局长|副局长)"),
)
# a speech's speaker line under its title names the speaker's body: 绵阳市人民政府副市长 张伟,
# ——长沙县应急管理局党组书记、局长 王某
SPEAKER_POSTS = (
    "党组书记", "党委书记", "党组成员", "局长", "副局长", "主任", "副主任", "秘书长", "副秘书长",
    "市长", "副市长", "区长", "副区长", "县长", "副县长", "旗长", "副旗长",
    "州长", "副州长", "盟长", "副盟长",
)  # fmt: skip
SPEAKER_POST = rf"(?:{'|'.join(SPEAKER_POSTS)})"
SPEAKER_LINE = re.compile(
    rf"\s*[—－-]*\s*{BODY}(?:{BUREAU}|{GOVERNMENT})\s*{SPEAKER_POST}(?:[、,，]{SPEAKER_POST})*"
    rf"\s*{CJK}(?:\s?{CJK}){{1,3}}(?:同志)?\s*"  # the speaker's name: 张伟, 王 某, 李某某同志
)
SPEAKER_HEAD_LINES = 6  # the speaker line sits right under the title
# a closing signature that names the bureau by rank only: （市应急管理局）
RELATIVE_SIGNATURE = re.compile(rf"\s*[(（]?{RANK}{BUREAU}[)）]?\s*")
# the assembly a speaker addresses names the area: 漯河市第七届人民代表大会, 漯河市人大常委会
ASSEMBLY = re.compile(
    rf"{BODY}(?:第[一二三四五六七八九十\d]+届)?(?:人民代表大会|人大常委会|政协|人民政治协商会议)"
)
OUR_AREA = re.compile(rf"我{RANK}")
OWN_RANK = re.compile(r"[全我本]([市区县州旗盟])")  # the rank a text gives its own area: 全区, 我县
BUREAU_NAMED = re.compile(rf"{BODY}{BUREAU}")  # a bureau named anywhere, to explain a refusal
NO_AREA_OPTIONS = 4  # the areas a refusal lists for an ambiguous prefix
OUR_BODY = re.compile(r"我[市区县州旗局]")  # all a letter may say of its author
# how news names the bureau it reports on: 记者从佛山市应急管理局获悉, 据增城区应急管理局消息,
# （通讯员 江宁区应急管理局 王某）
NEWS_SOURCES = (
    re.compile(rf"记者[^,，。;；\n从在]{{0,6}}(?:从|在){BODY}{BUREAU}(?:获悉|了解到|得知|采访)"),
    re.compile(rf"{BODY}{BUREAU}(?:消息|(?:通报|介绍|发布)[,，:：])"),
    re.compile(rf"通讯员[\s:：]*{BODY}{BUREAU}"),
    re.compile(rf"{BODY}{BUREAU}\s*通讯员"),
)
NEWS_LEAD_WORDS = ("获悉", "了解到", "据悉", "消息", "介绍")  # what a news lead says before its period
# a yearbook entry: 《常德年鉴（2022）》 > 政治 > 应急管理; the book of year N records year N-1
YEARBOOK = re.compile(
    rf"《(?P<body>{CJK}{{2,16}}?)(?:统计)?年鉴\s*[(（·]?\s*(?P<year>(?:19|20)\d{{2}})?\s*[)）]?\s*》?"
)
# the opening sentence's subject: 2021年，常德市应急管理局…; 【概况】2022年,XX县应急管理局…
OPENING_SUBJECT = re.compile(rf"(?<!\d)(?:19|20)\d{{2}}年(?:度|上半年)?[,，]{BODY}{BUREAU}")
# a headline that opens with an area's full name: 漯河市今年以来排查整治隐患1.2万处, 关于XX县…的报告
HEADLINE_NAME_ENDS = "市区县州旗盟"
HEADLINE_NAME_MAX = 12
HEADLINE_PREFIX = re.compile(r"^(?:关于|对)")
# a site banner (汕尾市人民政府) or a letter's recipient (区政府办:, 张三代表:) is no headline
NOT_A_HEADLINE = re.compile(r"政府|网站|门户|人大|政协|[:：]\s*$")
# a title that names its bureau only by rank: 市应急管理局2023年工作总结
TITLE_RELATIVE_BODY = re.compile(rf"^{RANK}{BUREAU}")
# page furniture that names the site owner: weak, a tie-breaker or last resort only
FOOTERS = (
    re.compile(rf"主办(?:单位)?\s*[:：]\s*{BODY}{BUREAU}"),
    re.compile(rf"{BODY}{BUREAU}\s*版权所有"),
    re.compile(rf"{BODY}人民政府门户网站"),
)
RANK_LEVEL = {"市": "city", "州": "city", "区": "county", "县": "county", "旗": "county"}

# --- dates ----------------------------------------------------------------------------------------------
LABELLED_DATE = re.compile(
    rf"(?P<label>信息提供日期|发布日期|发布时间|成文日期|印发日期|时间|日期)\s*[:：]\s*{DATE}"
)
DATELINE_FIELDS = ("来源", "作者", "编辑", "责任编辑", "发布者", "浏览次数", "点击数", "字号")
# a date line under a web title or a news headline: 2023-01-03 16:44, 2023年05月06日 10:20 来源:汕尾日报
PAGE_DATE_LINE = re.compile(
    rf"\s*[•·]?\s*{DATE}"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"  # the time
    rf"(?:\s+(?:{'|'.join(DATELINE_FIELDS)})\s*[:：].*)?\s*"  # the source, author, hits
)
# a news dateline with its fields in any order: 来源：柳州日报　　2025-07-16　　作者：韦 婷
# a newspaper's name marks a short head line as the dateline too: 柳州日报　2025年7月16日　第3版
DATELINE_FIELD = re.compile(rf"(?:{'|'.join(DATELINE_FIELDS)})\s*[:：]|日报|晚报|新闻网|融媒体|{BYLINE_MARK}")
DATELINE_MAX_CHARS = 60
DATE_IN_LINE = re.compile(rf"(?<!\d){DATE}(?!\d)")
# the subtitle of a speech or a report delivered to an assembly: ——2022年10月18日在漯河市…会议上
# or the date alone in brackets under the title or the speaker: （2023年2月10日）, （二〇二三年二月十日）
HEAD_DATE_LINES = (
    (re.compile(rf"\s*[—－-]*\s*{DATE}在.{{2,60}}(?:会议|大会)上\s*"), "date of the speech"),
    (re.compile(rf"\s*{OPEN_BRACKET}\s*(?:{DATE}|{CN_DATE})\s*{CLOSE_BRACKET}\s*"), "date under the title"),
)
# the date under the signature, or beside it on one line: 江宁区应急管理局 2023年3月2日, or before a
# closing byline: 2023年5月16日 XX县应急管理局供稿
SIGNER = rf"{CJK}{{2,20}}(?:{BUREAU}|{GOVERNMENT})"
SIGNATURE_DATE_LINE = re.compile(
    rf"\s*(?:{SIGNER}\s*(?:{SEAL})?\s*)?(?:{DATE}|{CN_DATE})\s*(?:{SIGNER}(?:{BYLINE_MARK})?\s*)?"
)
# a scraped signature date that lost its 月/日: 202313, 2021年64 -- good for the year only
DAMAGED_DATE_LINE = re.compile(rf"\s*{YEAR}年?\d{{1,4}}\s*")
# a year in a title, not one end of a span: 2023年, 二〇二三年度, but not 2021年以来 or 2021-2023年
TITLE_YEAR = re.compile(rf"(?<![\d{CN_DIGIT}\-—–~至到]){YEAR_WORD}\s*年(?!\s*(?:以来|至|到|[-—–~]))")
# where a report's or an article's opening states its period: a line start, a news lead, 本报讯(记者 …)
PERIOD_START = (
    r"(?:(?:^|\n)\s*"
    rf"|(?:{'|'.join(NEWS_LEAD_WORDS)})[,，]\s*"
    r"|[(（【][^)）】\n]{0,20}[)）】]\s*)"
)
# the opening of a report states its year: 2022年,市应急管理局…; 现将我局2024年度…
LEAD_YEARS = (
    re.compile(rf"{PERIOD_START}{YEAR_WORD}年[,，、]"),
    re.compile(rf"(?<![\d{CN_DIGIT}]){YEAR_WORD}年度"),
)
# the opening puts its figures in the year before its date: 去年,全市…; 记者…获悉,去年,…
LEAD_LAST_YEAR = re.compile(rf"{PERIOD_START}(?:去年|上年|上一年)(?:度|全年)?[,，]")
LEAD_CHARS = 800
HEAD_LINES = 30
YEARS = range(1990, 2100)

# the period words that put the figures in the year the report is dated
PERIOD_WORDS = ("今年以来", "今年", "全年", "年内", "本年度")
SUMS_UP_PREVIOUS_YEAR_MONTHS = (1,)  # a report dated January sums up the year before

# --- document types (first match wins; title first, then the opening of the text) ---------------------
DOC_TYPE_RULES: tuple[tuple[str, str], ...] = (
    ("rule_of_law_report", r"法治政府建设"),
    ("suggestion_summary", r"(?:建议|提案)\S{0,12}办理\S{0,4}(?:情况报告|情况的报告|总结|工作情况)"),
    ("suggestion_reply", r"复函|答复|(?:提案|建议)的办理"),
    ("npc_report", r"在\S{0,30}人民代表大会常务委员会\S{0,20}上|情况的报告"),
    ("work_summary", r"工作总结|年度工作|工作情况报告|工作报告"),
)
DOC_TYPES = (*(doc_type for doc_type, _ in DOC_TYPE_RULES), "other")
TITLE_WORDS = re.compile(r"关于|报告|复函|答复|总结|情况|意见|函$")
NOT_A_TITLE = re.compile(
    r"^(?:[一二三四五六七八九十\d]+[、.．]|[(（])|[>:：]"
)  # headings, breadcrumbs, labels
TITLE_MAX_CHARS = 80


@dataclass(frozen=True)
class Clue:
    """One place the text names an issuing body, with the areas that body may be."""

    how: str
    said: str
    candidates: tuple[Area, ...]


def describe(doc: Document, areas: AreaTable, manifest: ManifestRow | None = None) -> Document:
    """A copy of `doc` with area, year, doc_type, published and how each was found."""
    title = doc.title or guess_title(doc.text)
    detected_by: dict[str, str] = {}
    found = _manifest_area(manifest, areas) or detect_area(doc.text, title, areas, doc.site)
    area, detected_by["area"] = found
    published, date_how, date_year = detect_published(doc.text)
    if manifest and manifest.published:
        published, date_how, date_year = manifest.published, "manifest", int(manifest.published[:4])
    detected_by["published"] = date_how
    if manifest and manifest.year:
        year, detected_by["year"] = manifest.year, "manifest"
    else:
        year, detected_by["year"] = detect_year(doc.text, title, published, date_year)
    doc_type, detected_by["doc_type"] = (
        (manifest.doc_type, "manifest")
        if manifest and manifest.doc_type
        else detect_doc_type(doc.text, title)
    )
    return dataclasses.replace(
        doc,
        area_code=area.code,
        area=area.short_name,
        year=year,
        doc_type=doc_type,
        published=published,
        detected_by=detected_by,
    )


def _manifest_area(manifest: ManifestRow | None, areas: AreaTable) -> tuple[Area, str] | None:
    if manifest and manifest.area_code:
        area = areas.by_code(manifest.area_code)
        if area:
            return area, "manifest"
    return None


def guess_title(text: str) -> str | None:
    """The first short heading-like line of the text (used when ingest found no title)."""
    for line in text.splitlines()[:HEAD_LINES]:
        line = line.strip()
        if 6 <= len(line) <= TITLE_MAX_CHARS and TITLE_WORDS.search(line) and not NOT_A_TITLE.search(line):
            return line
    return None


# --- area -----------------------------------------------------------------------------------------------
def detect_area(text: str, title: str | None, areas: AreaTable, site: str | None = None) -> tuple[Area, str]:
    """The issuing area and how it was found; Quarantined when no clue names one unambiguously.

    The page's site name is no clue of its own (a city's site publishes its districts' reports): it
    settles 我市/我区/我县 and breaks a tie between areas of the same name.
    """
    page = _Page(text, title or "", site or "", areas)
    clues = [clue for clue in _area_clues(page) if clue.candidates]
    if not clues:
        raise Quarantined("no detectable area: " + _why_no_area(page))
    first = clues[0]
    chosen = _disambiguate(first, clues[1:], [f"{title or ''} {site or ''}", text], areas)
    more_specific = [
        clue.candidates[0]
        for clue in clues[1:]
        if len(clue.candidates) == 1 and areas.is_within(clue.candidates[0], chosen)
    ]
    if more_specific:
        return more_specific[0], f"{first.how} + more specific body: {first.said}"
    return chosen, f"{first.how}: {first.said}"


@dataclass(frozen=True)
class _Page:
    """What the clue finders read: the text, its lines, the title and the site's name."""

    text: str
    title: str
    site: str
    areas: AreaTable

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def tail(self) -> list[str]:
        """The last non-empty lines, where a signature block sits (never the first line: a banner)."""
        filled = [line for line in self.lines if line.strip()][1:]
        return filled[-SIGNATURE_TAIL_LINES:]

    @cached_property
    def head(self) -> list[str]:
        """The first non-empty lines, where a speech's speaker line sits under its title."""
        return [line for line in self.lines if line.strip()][:SPEAKER_HEAD_LINES]

    @cached_property
    def context(self) -> str:
        """Everything that may name a city or province: the title, the site's name and the text."""
        return f"{self.title}\n{self.site}\n{self.text}"

    @cached_property
    def ranks(self) -> set[str]:
        """The ranks the text gives its own area (全区, 我县, 本市 -> 区, 县, 市)."""
        return set(OWN_RANK.findall(self.text))


def _area_clues(page: _Page) -> Iterator[Clue]:
    """Every clue to the issuing body, strongest first (generated lazily)."""
    for finder in AREA_CLUE_FINDERS:
        yield from finder(page)


def _title_clues(page: _Page) -> Iterator[Clue]:
    if match := TITLE_BODY.search(page.title):
        yield _body_clue("title", match, page.text, page.areas)


def _signature_clues(page: _Page) -> Iterator[Clue]:
    """Bureau names alone on a line (last first), then a government's name in the signature block."""
    for line in reversed(page.lines):
        if match := SIGNATURE_LINE.fullmatch(line):
            yield _body_clue("signature", match, page.text, page.areas)
    for line in reversed(page.tail):
        if match := GOVERNMENT_SIGNATURE_LINE.fullmatch(line):
            yield _body_clue("signature", match, page.text, page.areas)


def _source_clues(page: _Page) -> Iterator[Clue]:
    """来源/发布机构/填报单位 …: XX应急管理局; then the byline of a news item."""
    if match := SOURCE_LINE.search(page.text):
        yield _body_clue("source line", match, page.text, page.areas)
    for pattern in NEWS_SOURCES:
        if match := pattern.search(page.text[:LEAD_CHARS]):
            yield _body_clue("news source", match, page.text, page.areas)


def _document_number_clues(page: _Page) -> Iterator[Clue]:
    for line in page.lines:
        if match := DOC_NUMBER_LINE.fullmatch(line):
            areas = tuple(_abbreviation_areas(match, page))
            yield Clue("document number", match.group(0).strip(), areas)


def _yearbook_clues(page: _Page) -> Iterator[Clue]:
    """《常德年鉴（2022）》 names the area; a closing （市应急管理局） says which level of that name."""
    head = "\n".join([page.title, *page.lines[:HEAD_LINES]])
    if not (match := YEARBOOK.search(head)):
        return
    found = resolve_body(match.group("body"), page.areas)
    if rank := _relative_signature_rank(page):
        found = [area for area in found if area.level == RANK_LEVEL[rank]] or found
    yield Clue("yearbook", match.group(0), tuple(found))


def _relative_signature_rank(page: _Page) -> str | None:
    match = next((m for line in reversed(page.tail) if (m := RELATIVE_SIGNATURE.fullmatch(line))), None)
    return match.group("rank") if match else None


def _speaker_line_clues(page: _Page) -> Iterator[Clue]:
    """绵阳市人民政府副市长 张伟 under a speech's title: the speaker's bureau or government."""
    for line in page.head:
        if match := SPEAKER_LINE.fullmatch(line):
            yield _body_clue("speaker line", match, page.text, page.areas)


def _speaker_clues(page: _Page) -> Iterator[Clue]:
    for pattern in RELATIVE_BODIES:
        if match := pattern.search(page.text):
            yield _assembly_clue(match, page.text, page.areas)


def _headline_clues(page: _Page) -> Iterator[Clue]:
    """The title's (or the first line's) opening name, then the opening sentence's subject."""
    yield _headline_clue(_headline_text(page), page.areas)
    if match := OPENING_SUBJECT.search(page.text[:LEAD_CHARS]):
        yield _body_clue("opening", match, page.text, page.areas)


def _headline_text(page: _Page) -> str:
    """The title, else the first line of the text (a news headline); a recipient line is neither."""
    first = page.title or _first_line(page.text)
    return "" if NOT_A_HEADLINE.search(first) else first


def _relative_clues(page: _Page) -> Iterator[Clue]:
    """市应急管理局 in the title, 我市/我州 in the text, （市应急管理局） closing it: + a full name."""
    relative = (TITLE_RELATIVE_BODY.search(page.title), OUR_AREA.search(page.text))
    closing = [RELATIVE_SIGNATURE.fullmatch(line) for line in page.tail]
    named_in = f"{page.title} {page.site} {_headline_text(page)}"
    for match in (*relative, *closing):
        if match:
            yield _title_area_clue(match, named_in, page.areas)


def _footer_clues(page: _Page) -> Iterator[Clue]:
    for pattern in FOOTERS:
        if match := pattern.search(page.text):
            yield _body_clue("site footer", match, page.text, page.areas)


AREA_CLUE_FINDERS: tuple[Callable[[_Page], Iterator[Clue]], ...] = (
    _title_clues,
    _signature_clues,
    _source_clues,
    _speaker_line_clues,
    _document_number_clues,
    _yearbook_clues,
    _speaker_clues,
    _headline_clues,
    _relative_clues,
    _footer_clues,
)


def _body_clue(how: str, match: re.Match[str], text: str, areas: AreaTable) -> Clue:
    return Clue(how, match.group(0).strip(), tuple(resolve_body(match.group("body"), areas)))


def resolve_body(body: str, areas: AreaTable) -> list[Area]:
    """The most specific unit a body's name ends with (广州市增城区 -> 增城区), narrowed by what precedes."""
    if not (tail := _body_tail(body, areas)):
        return []
    candidates = areas.named(tail)
    return areas.narrow_by_ancestors(candidates, body[: -len(tail)]) or candidates


def _body_tail(body: str, areas: AreaTable) -> str:
    """The longest tail of a body's name that names an area (…部署的阳朔县 -> 阳朔县), or ""."""
    return next((body[start:] for start in range(len(body) - 1) if areas.named(body[start:])), "")


def _abbreviation_areas(match: re.Match[str], page: _Page) -> list[Area]:
    """深应急 -> 深圳; try the longest tail of the characters before 应急 (根据深应急 -> 深); a single
    character outside the table may still be an area's first character (鄞应急 -> 鄞州区)."""
    abbreviation = match.group("abbr")
    for start in range(len(abbreviation)):
        if found := page.areas.by_abbreviation(abbreviation[start:]):
            return found
    if len(abbreviation) == 1 and not page.areas.in_abbreviation_table(abbreviation):
        return _first_character_areas(abbreviation, page)
    return []


def _first_character_areas(char: str, page: _Page) -> list[Area]:
    """The one area a prefix outside the table can mean, or none: many areas share a first character
    (章贡区, 章丘区) and cities use other characters (新余 -> 余), so the text's own rank (全区) must fit,
    and the area must be the only fitting one the text names (itself, its city or its province), or
    the only area anywhere with that character in its name."""
    fitting = [area for area in page.areas.starting_with(char) if area.name[-1] in page.ranks]
    named = [area for area in fitting if _named_with_ancestors(area, page)]
    if len(named) == 1:
        return named
    if len(fitting) == 1 and len(page.areas.containing(char)) == 1:
        return fitting
    return []


def _named_with_ancestors(area: Area, page: _Page) -> bool:
    return any(unit.name in page.context for unit in (area, *page.areas.ancestors(area)))


def _assembly_clue(match: re.Match[str], text: str, areas: AreaTable) -> Clue:
    """市应急管理局局长 + 漯河市第七届人民代表大会: the area whose assembly the bureau reports to."""
    level = RANK_LEVEL[match.group("rank")]
    named = {
        area.code: area
        for assembly in ASSEMBLY.finditer(text)
        for area in resolve_body(assembly.group("body"), areas)
        if area.level == level
    }
    said = f"{match.group(0).strip()} + assembly"
    return Clue("speaker line", said, tuple(named.values()) if len(named) == 1 else ())


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _headline_clue(title: str, areas: AreaTable) -> Clue:
    """The area whose full name opens the title; a name right after it within it is more specific
    (广州市增城区今年以来…: 增城区)."""
    if NOT_A_HEADLINE.search(title):
        return Clue("headline", title, ())
    prefix = HEADLINE_PREFIX.match(title)
    found, end = _full_name_at(title, prefix.end() if prefix else 0, areas)
    if found:
        inner, inner_end = _full_name_at(title, end, areas)
        inner = [area for area in inner if any(areas.is_within(area, outer) for outer in found)]
        found, end = (inner, inner_end) if inner else (found, end)
    return Clue("headline", title[:end], tuple(found))


def _full_name_at(text: str, start: int, areas: AreaTable) -> tuple[list[Area], int]:
    """(the areas whose full name starts at `start`, longest name first; where the name ends)."""
    for end in range(min(len(text), start + HEADLINE_NAME_MAX), start + 1, -1):
        name = text[start:end]
        if name[-1] in HEADLINE_NAME_ENDS and (found := areas.fully_named(name)):
            return found, end
    return [], start


def _title_area_clue(match: re.Match[str], title: str, areas: AreaTable) -> Clue:
    """我市 (or 市应急管理局) + the one city whose full name is in the title or the site's name."""
    level = RANK_LEVEL[match.group("rank")]
    named = {
        area.code: area
        for start in range(len(title))
        for end in range(start + 2, min(len(title), start + 12) + 1)
        for area in areas.fully_named(title[start:end])
        if area.level == level
    }
    return Clue(f"{match.group(0).strip()} + title", title, tuple(named.values()) if len(named) == 1 else ())


def _disambiguate(first: Clue, others: list[Clue], contexts: list[str], areas: AreaTable) -> Area:
    """One area for the strongest clue: its own, or narrowed by the other clues, else by the contexts."""
    if len(first.candidates) == 1:
        return first.candidates[0]
    named_elsewhere = " ".join(area.name for clue in others for area in clue.candidates)
    for context in (named_elsewhere, *contexts):
        narrowed = areas.narrow_by_ancestors(list(first.candidates), context, full_names_only=True)
        if len(narrowed) == 1:
            return narrowed[0]
    options = ", ".join(f"{a.code} {_parent_name(a, areas)}{a.name}" for a in first.candidates)
    raise Quarantined(
        f"no detectable area: {first.said} is ambiguous ({options}); give the code in manifest.csv"
    )


def _parent_name(area: Area, areas: AreaTable) -> str:
    parent = areas.by_code(area.parent_code or "")
    return parent.name if parent else ""


def _why_no_area(page: _Page) -> str:
    """What was found and not understood, strongest first, with the way out."""
    for explain in NO_AREA_EXPLANATIONS:
        if reason := explain(page):
            return f"{reason}; give the area in manifest.csv"
    return (
        "looked for an issuing body in the title, headline, byline, speaker line, source line, signature, "
        "填报单位, yearbook title and document number; give the area in manifest.csv"
    )


def _unread_document_number(page: _Page) -> str | None:
    """鄞应急〔2023〕21号 whose prefix names no area, or names a province, or too many areas."""
    match = next((m for line in page.lines if (m := DOC_NUMBER_LINE.fullmatch(line))), None)
    if not match:
        return None
    prefix = match.group("abbr")
    if province := page.areas.abbreviated_province(prefix):
        return f"the document number {match.group(0).strip()} is a province's ({province.name})"
    options = page.areas.starting_with(prefix) if len(prefix) == 1 else []
    if not options:
        return f"the document number's prefix {prefix} names no known area"
    listed = ", ".join(f"{_parent_name(a, page.areas)}{a.name}" for a in options[:NO_AREA_OPTIONS])
    more = "…" if len(options) > NO_AREA_OPTIONS else ""
    return f"the document number's prefix {prefix} may stand for {listed}{more}; the text does not settle it"


def _bureau_in_passing(page: _Page) -> str | None:
    """A bureau the text names in a sentence or as its recipient: never the author by itself."""
    for match in BUREAU_NAMED.finditer(page.text):
        if tail := _body_tail(match.group("body"), page.areas):
            named = tail + match.group(0)[len(match.group("body")) :]
            return f"the text names {named} only in passing or as the recipient, not as its author"
    return None


def _bureau_by_rank_only(page: _Page) -> str | None:
    """县应急管理局 as the title's or the signature's body, with no area name to complete it."""
    closing = (RELATIVE_SIGNATURE.fullmatch(line) for line in reversed(page.tail))
    match = TITLE_RELATIVE_BODY.search(page.title) or next((m for m in closing if m), None)
    return f"the text names its bureau only as {match.group(0).strip()}, with no area name" if match else None


def _says_only_our_area(page: _Page) -> str | None:
    match = OUR_BODY.search(page.text)
    return f"the text says only {match.group(0)}" if match else None


NO_AREA_EXPLANATIONS: tuple[Callable[[_Page], str | None], ...] = (
    _unread_document_number,
    _bureau_in_passing,
    _bureau_by_rank_only,
    _says_only_our_area,
)


# --- dates and year ---------------------------------------------------------------------------------------
def detect_published(text: str) -> tuple[str | None, str, int | None]:
    """(ISO date or None, how, year): page labels, then a page date line, then the signature date."""
    lines = text.splitlines()
    if match := LABELLED_DATE.search(text):
        return _iso(match), f"label {match.group('label')}", _year_of(_iso(match))
    for line in lines[:HEAD_LINES]:
        if match := PAGE_DATE_LINE.fullmatch(line):
            return _iso(match), "page date line", _year_of(_iso(match))
    for line in lines[:HEAD_LINES]:
        dateline = len(line.strip()) <= DATELINE_MAX_CHARS and DATELINE_FIELD.search(line)
        if dateline and (match := DATE_IN_LINE.search(line)):
            return _iso(match), "dateline", _year_of(_iso(match))
    for line in reversed(lines):
        if match := SIGNATURE_DATE_LINE.fullmatch(line):
            return _iso(match), "signature date", _year_of(_iso(match))
    for line in lines[:HEAD_LINES]:
        for pattern, how in HEAD_DATE_LINES:
            if match := pattern.fullmatch(line):
                return _iso(match), how, _year_of(_iso(match))
    for line in reversed(lines):
        match = DAMAGED_DATE_LINE.fullmatch(line)
        if match and int(match.group("year")) in YEARS:
            return None, f"damaged signature date {line.strip()}: year only", int(match.group("year"))
    return None, "none", None


def _iso(match: re.Match[str]) -> str | None:
    """The ISO date of a DATE or CN_DATE match; None for an impossible date (2023-13-01)."""
    if match.groupdict().get("cn_year"):
        parts = (_cn_number(match.group(name)) for name in ("cn_year", "cn_month", "cn_day"))
    else:
        parts = (int(match.group(name)) for name in ("year", "month", "day"))
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None


def _cn_number(digits: str) -> int:
    """二〇二四 -> 2024, 十一 -> 11, 十九 -> 19, 二十 -> 20."""
    if "十" in digits:
        tens, _, units = digits.partition("十")
        return CN_DIGIT_VALUES.get(tens, 1) * 10 + CN_DIGIT_VALUES.get(units, 0)
    return int("".join(str(CN_DIGIT_VALUES[ch]) for ch in digits))


def _year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


def detect_year(
    text: str, title: str | None, published: str | None, date_year: int | None
) -> tuple[int, str]:
    """The year the figures describe (gold README rule) and how it was found.

    A stated year (title, then opening) wins; a yearbook (2022) records the year before its own; else
    the date's year, or the year before where the opening says 去年 or the report is dated in January.
    """
    lead = text[:LEAD_CHARS]
    for where, patterns, haystack in (("title", (TITLE_YEAR,), title or ""), ("opening", LEAD_YEARS, lead)):
        for pattern in patterns:
            year = next((y for m in pattern.finditer(haystack) if (y := _stated_year(m)) in YEARS), None)
            if year:
                return year, f"{where}: {year}"
    book = YEARBOOK.search(f"{title or ''}\n{lead}")
    if book and book.group("year") and int(book.group("year")) - 1 in YEARS:
        return int(book.group("year")) - 1, f"{book.group(0)}: a yearbook records the year before"
    if date_year is None:
        raise Quarantined(
            "no detectable year: no year in the title or opening and no date (page label, dateline, "
            "signature); give the year in manifest.csv"
        )
    if match := LEAD_LAST_YEAR.search(lead):
        return date_year - 1, f"opening {match.group(0).strip()} in a report dated {date_year}"
    if published and int(published[5:7]) in SUMS_UP_PREVIOUS_YEAR_MONTHS:
        return date_year - 1, f"published {published}: sums up the year before"
    if word := next((w for w in PERIOD_WORDS if w in text), None):
        return date_year, f"{word} in a report dated {date_year}"
    return date_year, f"dated {date_year}"


def _stated_year(match: re.Match[str]) -> int:
    """The year of a YEAR_WORD match: 2023 or 二〇二三."""
    return int(match.group("year")) if match.group("year") else _cn_number(match.group("cn_year"))


# --- document type ----------------------------------------------------------------------------------------
def detect_doc_type(text: str, title: str | None) -> tuple[str, str]:
    """The first DOC_TYPE_RULES match in the title, else in the opening of the text."""
    for where, haystack in (("title", title or ""), ("opening", text[:LEAD_CHARS])):
        for doc_type, pattern in DOC_TYPE_RULES:
            if match := re.search(pattern, haystack):
                return doc_type, f"{where}: {match.group(0)}"
    return "other", "no rule matched"
