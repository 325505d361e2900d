"""Who issued a report, for which year, of what kind and when: the metadata every fact inherits.

The area is the ISSUING body (title, signature, source line, document number, speaker line), never a
place named in passing or a letter's recipient. Where the clues are missing or ambiguous the document is
quarantined rather than guessed; a manifest row settles what the text cannot.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from etl.areas import Area, AreaTable
from etl.model import Document, Quarantined

if TYPE_CHECKING:
    from etl.manifest import ManifestRow

# --- regex pieces -------------------------------------------------------------------------------------
CJK = r"[\u4e00-\u9fff]"
BODY = rf"(?P<body>{CJK}{{2,16}}?)"  # the names before 应急管理局: 深圳市, 广州市增城区
BUREAU = r"应急管理局"
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
TITLE_BODY = re.compile(BODY + BUREAU)
# a line that is only the body's name: the byline under a title or the signature above the date
SIGNATURE_LINE = re.compile(rf"\s*{BODY}{BUREAU}\s*")
SOURCE_LINE = re.compile(rf"(?:来源|发布机构|发文机关|发布单位|发文单位)\s*[:：]\s*{BODY}{BUREAU}")
# its own document number stands alone on a line (a number cited in a sentence is someone else's)
DOC_NUMBER_LINE = re.compile(
    r"\s*(?:(?:发文字号|文号)\s*[:：]\s*)?"
    rf"(?P<abbr>{CJK}{{1,4}}?)应急(?:管理)?{CJK}{{0,3}}"  # 深应急, 渝应急函, 汕尾应急管理
    rf"{OPEN_BRACKET}\s*(?:19|20)\d{{2}}\s*{CLOSE_BRACKET}\s*第?\d+\s*号\s*"
)
# a body named only relative to its area: 市应急管理局局长 孙全忠, 我代表市应急管理局
RELATIVE_BODIES = (
    re.compile(rf"我代表(?P<rank>[市区县]){BUREAU}"),
    re.compile(rf"(?<!{CJK})(?P<rank>[市区县]){BUREAU}(?:党委书记|党组书记|局长|副局长)"),
)
# the assembly a speaker addresses names the area: 漯河市第七届人民代表大会, 漯河市人大常委会
ASSEMBLY = re.compile(
    rf"{BODY}(?:第[一二三四五六七八九十\d]+届)?(?:人民代表大会|人大常委会|政协|人民政治协商会议)"
)
OUR_AREA = re.compile(r"我(?P<rank>[市区县])")
OUR_BODY = re.compile(r"我[市区县局]")  # all a letter may say of its author
# how news names the bureau it reports on: 记者从佛山市应急管理局获悉, 增城区应急管理局消息
NEWS_SOURCES = (
    re.compile(rf"记者(?:近日|日前|昨天|昨日|今天|今日)?(?:从|在){BODY}{BUREAU}(?:获悉|了解到|采访)"),
    re.compile(rf"{BODY}{BUREAU}(?:消息|通报|介绍|发布)[,，:：]"),
)
NEWS_LEAD_WORDS = ("获悉", "了解到", "据悉", "消息", "介绍")  # what a news lead says before its period
# a headline that opens with an area's full name: 漯河市今年以来排查整治隐患1.2万处
HEADLINE_NAME_ENDS = "市区县州旗盟"
HEADLINE_NAME_MAX = 12
NOT_A_HEADLINE = re.compile(r"政府|网站|门户|人大|政协")  # a site banner (汕尾市人民政府) is no headline
# a title that names its bureau only by rank: 市应急管理局2023年工作总结
TITLE_RELATIVE_BODY = re.compile(rf"^(?P<rank>[市区县]){BUREAU}")
# page furniture that names the site owner: weak, a tie-breaker or last resort only
FOOTERS = (
    re.compile(rf"主办(?:单位)?\s*[:：]\s*{BODY}{BUREAU}"),
    re.compile(rf"{BODY}{BUREAU}\s*版权所有"),
    re.compile(rf"{BODY}人民政府门户网站"),
)
RANK_LEVEL = {"市": "city", "区": "county", "县": "county"}

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
# the subtitle of a speech or a report delivered to an assembly: ——2022年10月18日在漯河市…会议上
SPEECH_DATE_LINE = re.compile(rf"\s*[—－-]*\s*{DATE}在.{{2,60}}(?:会议|大会)上\s*")
SIGNATURE_DATE_LINE = re.compile(rf"\s*(?:{DATE}|{CN_DATE})\s*")
# a scraped signature date that lost its 月/日: 202313, 2021年64 -- good for the year only
DAMAGED_DATE_LINE = re.compile(rf"\s*{YEAR}年?\d{{1,4}}\s*")
# a year in a title, not one end of a span: 2023年, 二〇二三年度, but not 2021年以来 or 2021-2023年
TITLE_YEAR = re.compile(rf"(?<![\d{CN_DIGIT}\-—–~至到]){YEAR_WORD}\s*年(?!\s*(?:以来|至|到|[-—–~]))")
# where a report's or an article's opening states its period: a line start, a news lead, 本报讯(记者 …)
PERIOD_START = (
    r"(?:(?:^|\n)\s*"
    rf"|(?:{'|'.join(NEWS_LEAD_WORDS)})[,，]\s*"
    r"|[(（][^)）\n]{0,20}[)）]\s*)"
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
    clues = [clue for clue in _area_clues(text, title or "", areas, site or "") if clue.candidates]
    if not clues:
        raise Quarantined("no detectable area: " + _why_no_area(text))
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


def _area_clues(text: str, title: str, areas: AreaTable, site: str) -> Iterator[Clue]:
    """Every clue to the issuing body, strongest first (generated lazily)."""
    lines = text.splitlines()
    if match := TITLE_BODY.search(title):
        yield _body_clue("title", match, text, areas)
    for line in reversed(lines):
        if match := SIGNATURE_LINE.fullmatch(line):
            yield _body_clue("signature", match, text, areas)
    if match := SOURCE_LINE.search(text):
        yield _body_clue("source line", match, text, areas)
    for pattern in NEWS_SOURCES:
        if match := pattern.search(text[:LEAD_CHARS]):
            yield _body_clue("news source", match, text, areas)
    for line in lines:
        if match := DOC_NUMBER_LINE.fullmatch(line):
            yield Clue("document number", match.group(0).strip(), tuple(_abbreviation_areas(match, areas)))
    for pattern in RELATIVE_BODIES:
        if match := pattern.search(text):
            yield _assembly_clue(match, text, areas)
    yield _headline_clue(title or _first_line(text), areas)
    for match in (TITLE_RELATIVE_BODY.search(title), OUR_AREA.search(text)):
        if match:
            yield _title_area_clue(match, f"{title} {site}", areas)
    for pattern in FOOTERS:
        if match := pattern.search(text):
            yield _body_clue("site footer", match, text, areas)


def _body_clue(how: str, match: re.Match[str], text: str, areas: AreaTable) -> Clue:
    return Clue(how, match.group(0).strip(), tuple(resolve_body(match.group("body"), areas)))


def resolve_body(body: str, areas: AreaTable) -> list[Area]:
    """The most specific unit a body's name ends with (广州市增城区 -> 增城区), narrowed by what precedes."""
    for start in range(len(body) - 1):
        candidates = areas.named(body[start:])
        if candidates:
            return areas.narrow_by_ancestors(candidates, body[:start]) or candidates
    return []


def _abbreviation_areas(match: re.Match[str], areas: AreaTable) -> list[Area]:
    """深应急 -> 深圳; try the longest tail of the characters before 应急 (根据深应急 -> 深)."""
    abbreviation = match.group("abbr")
    for start in range(len(abbreviation)):
        if found := areas.by_abbreviation(abbreviation[start:]):
            return found
    return []


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
    found, end = _full_name_at(title, 0, areas)
    if found:
        inner, inner_end = _full_name_at(title, end, areas)
        inner = [area for area in inner if any(areas.is_within(area, outer) for outer in found)]
        found, end = (inner, inner_end) if inner else (found, end)
    return Clue("headline", title[:end], tuple(found))


def _full_name_at(text: str, start: int, areas: AreaTable) -> tuple[list[Area], int]:
    """(the areas whose full name starts at `start`, longest name first; where the name ends)."""
    for end in range(min(len(text), start + HEADLINE_NAME_MAX), start + 1, -1):
        name = text[start:end]
        if name[-1] in HEADLINE_NAME_ENDS and (found := [a for a in areas.named(name) if a.name == name]):
            return found, end
    return [], start


def _title_area_clue(match: re.Match[str], title: str, areas: AreaTable) -> Clue:
    """我市 (or 市应急管理局) + the one city whose full name is in the title or the site's name."""
    level = RANK_LEVEL[match.group("rank")]
    named = {
        area.code: area
        for start in range(len(title))
        for end in range(start + 2, min(len(title), start + 12) + 1)
        for area in areas.named(title[start:end])
        if area.level == level and area.name == title[start:end]
    }
    return Clue(f"{match.group(0)} + title", title, tuple(named.values()) if len(named) == 1 else ())


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
        f"no detectable area: {first.said} is ambiguous ({options}); name the city or use a manifest"
    )


def _parent_name(area: Area, areas: AreaTable) -> str:
    parent = areas.by_code(area.parent_code or "")
    return parent.name if parent else ""


def _why_no_area(text: str) -> str:
    if match := OUR_BODY.search(text):
        return f"the text says only {match.group(0)}; give the area in manifest.csv"
    return "no issuing body in title, signature, source line or document number"


# --- dates and year ---------------------------------------------------------------------------------------
def detect_published(text: str) -> tuple[str | None, str, int | None]:
    """(ISO date or None, how, year): page labels, then a page date line, then the signature date."""
    lines = text.splitlines()
    if match := LABELLED_DATE.search(text):
        return _iso(match), f"label {match.group('label')}", _year_of(_iso(match))
    for line in lines[:HEAD_LINES]:
        if match := PAGE_DATE_LINE.fullmatch(line):
            return _iso(match), "page date line", _year_of(_iso(match))
    for line in reversed(lines):
        if match := SIGNATURE_DATE_LINE.fullmatch(line):
            return _iso(match), "signature date", _year_of(_iso(match))
    for line in lines[:HEAD_LINES]:
        if match := SPEECH_DATE_LINE.fullmatch(line):
            return _iso(match), "date of the speech", _year_of(_iso(match))
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

    A stated year (title, then opening) wins; else the date's year, or the year before where the
    opening says 去年 or the report is dated in January.
    """
    lead = text[:LEAD_CHARS]
    for where, patterns, haystack in (("title", (TITLE_YEAR,), title or ""), ("opening", LEAD_YEARS, lead)):
        for pattern in patterns:
            year = next((y for m in pattern.finditer(haystack) if (y := _stated_year(m)) in YEARS), None)
            if year:
                return year, f"{where}: {year}"
    if date_year is None:
        raise Quarantined("no detectable year")
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
