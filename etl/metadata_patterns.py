"""The regex tables that read a report's head and signature: who issued it, when, for which year, what kind.

Declared apart from the engines that use them (etl/authors.py, etl/metadata.py), so a new signature form
or date layout is a table edit. Pieces are named and commented; each body pattern has a `body` group.
"""

from __future__ import annotations

import re

from etl.text_search import BodyPattern, LineAnchored

# --- regex pieces -------------------------------------------------------------------------------------
CJK = r"[\u4e00-\u9fff]"
BODY_LENGTHS = (2, 16)  # characters of a body's name
BODY = rf"(?P<body>{CJK}{{{BODY_LENGTHS[0]},{BODY_LENGTHS[1]}}}?)"  # before 应急管理局: 深圳市, 广州市增城区
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

# --- issuing body ---------------------------------------------------------------------------------------
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
RANK_CHARS = "市区县州旗"
RANK = rf"(?P<rank>[{RANK_CHARS}])"
# a body named only relative to its area: 市应急管理局局长 孙全忠, 我代表市应急管理局
RELATIVE_BODIES = (
    re.compile(rf"我代表{RANK}{BUREAU}"),
    # (the lookbehind after the rank, not before it: the engine then skips to the rank's characters)
    re.compile(rf"{RANK}(?<!{CJK}[{RANK_CHARS}]){BUREAU}(?:党委书记|党组书记|局长|副局长)"),
)
# a speech's speaker line under its title names the speaker's body: 绵阳市人民政府副市长 张伟,
# ——长沙县应急管理局党组书记、局长 王某
SPEAKER_POSTS = (
    "党组书记", "党委书记", "党组成员", "局长", "副局长", "主任", "副主任", "秘书长", "副秘书长",
    "市长", "副市长", "区长", "副区长", "县长", "副县长", "旗长", "副旗长",
    "州长", "副州长", "盟长", "副盟长",
)  # fmt: skip
SPEAKER_POST = rf"(?:{'|'.join(SPEAKER_POSTS)})"
NAME_MASK = r"[×✕＊*ＸX○]"  # a published page masks the speaker's name: 陈××, 王**
SPEAKER_LINE = re.compile(
    r"\s*[—－-]*\s*(?:(?:报告人|汇报人|讲话人)\s*[:：]\s*)?"
    rf"{BODY}(?:{BUREAU}|{GOVERNMENT})\s*{SPEAKER_POST}(?:[、,，]{SPEAKER_POST})*"
    rf"\s*{CJK}(?:\s?(?:{CJK}|{NAME_MASK})){{1,3}}(?:同志)?\s*"  # 张伟, 王 某, 李某某同志, 陈××
)
SPEAKER_HEAD_LINES = 6  # the speaker line sits right under the title, near the top of the file
UNDER_TITLE_LINES = 4  # ... or under a title that banners and menus pushed down: assembly, date, speaker
# a closing signature that names the bureau by rank only: （市应急管理局）
RELATIVE_SIGNATURE = re.compile(rf"\s*[(（]?{RANK}{BUREAU}[)）]?\s*")


def body_then(tail: str, tail_starts: str = "") -> BodyPattern:
    """{BODY}tail, for a pattern searched through a whole text: looked for only where the tail stands."""
    return BodyPattern(BODY, *BODY_LENGTHS, tail, tail_starts)


# the assembly a speaker addresses names the area: 漯河市第七届人民代表大会, 漯河市人大常委会
ASSEMBLY = body_then(
    r"(?:第[一二三四五六七八九十\d]+届)?(?:人民代表大会|人大常委会|政协|人民政治协商会议)",
    tail_starts="第人政",
)
# the line under a report's title saying where it was given: ——2023年12月26日在昆山市第十七届人民代表大会
# 常务委员会第十四次会议上. Only supporting evidence: a report may be given to another area's body.
ASSEMBLY_LINE = re.compile(rf"\s*[—－-]*\s*(?:{DATE})?\s*在.{{2,60}}(?:会议|大会)上\s*")
NAMED_BODY = body_then(rf"(?:{BUREAU}|{GOVERNMENT})")  # 昆山市应急管理局, 受昆山市人民政府委托
OUR_AREA = re.compile(rf"我{RANK}")
OWN_RANK = re.compile(r"[全我本]([市区县州旗盟])")  # the rank a text gives its own area: 全区, 我县
BUREAU_NAMED = re.compile(rf"{BODY}{BUREAU}")  # a bureau named anywhere, to explain a refusal
NO_AREA_OPTIONS = 4  # the areas a refusal lists for an ambiguous prefix
OUR_BODY = re.compile(r"我[市区县州旗局]")  # all a letter may say of its author
# how news names the bureau it reports on: 记者从佛山市应急管理局获悉, 据增城区应急管理局消息,
# （通讯员 江宁区应急管理局 王某）
NEWS_SOURCES = (
    re.compile(rf"记者[^,，。;；\n从在]{{0,6}}(?:从|在){BODY}{BUREAU}(?:获悉|了解到|得知|采访)"),
    body_then(rf"{BUREAU}(?:消息|(?:通报|介绍|发布)[,，:：])"),
    re.compile(rf"通讯员[\s:：]*{BODY}{BUREAU}"),
    body_then(rf"{BUREAU}\s*通讯员"),
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
# a news page's furniture above its headline: banners, menus, breadcrumbs (成都市人民政府 > 区(市)县动态);
# and lines that are never its headline: the dateline, 相关新闻 links, 【字体】 widgets
NEWS_FURNITURE = re.compile(
    r"[>＞»›]|当前位置|您的位置|首页|^\s*(?:相关新闻|相关链接|来源|发布|【)"
    r"|^\s*\S{2,24}(?:人民政府|网站|门户网?|人大常委会|政协)\s*$|[:：]\s*$"
)
NEWS_HEAD_LINES = 4  # the headline is among the first lines, under the furniture
# a headline's subtitle, after —— or a colon, may open with the area: 守好“安全闸”——都江堰市扎实推进…
SUBTITLE_MARK = re.compile(r"——|[—:：]")
# a source line naming an area's own media: 来源:都江堰市融媒体中心, 来源：常熟日报
OWN_MEDIA = "融媒体中心|融媒中心|广播电视台|电视台|日报|晚报|新闻网|新闻中心"
OWN_MEDIA_SOURCE = re.compile(rf"(?:来源|稿源)\s*[:：]\s*{BODY}(?:{OWN_MEDIA})")
# a title that names its bureau only by rank: 市应急管理局2023年工作总结
TITLE_RELATIVE_BODY = re.compile(rf"^{RANK}{BUREAU}")
# page furniture that names the site owner: weak, a tie-breaker or last resort only
FOOTERS = (
    re.compile(rf"主办(?:单位)?\s*[:：]\s*{BODY}{BUREAU}"),
    body_then(rf"{BUREAU}\s*版权所有"),
    body_then("人民政府门户网站"),
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
# 在2024年全市应急管理工作会议上的讲话: the year names the meeting; its figures review the year before
# where the opening looks back (过去的一年, 总结2023年工作)
MEETING_TITLE = re.compile(rf"在{YEAR}年[^，,。]{{0,24}}?会议上的(?:讲话|报告)")
LOOKS_BACK = ("过去的一年", "过去一年", "回顾一年", "一年来")

# --- document types (first match wins; title first, then the opening of the text) ---------------------
DOC_TYPE_RULES: tuple[tuple[str, str], ...] = (
    ("rule_of_law_report", r"法治政府建设"),
    ("suggestion_summary", r"(?:建议|提案)\S{0,12}办理\S{0,4}(?:情况报告|情况的报告|总结|工作情况)"),
    ("suggestion_reply", r"复函|答复|(?:提案|建议)的办理"),
    ("npc_report", r"在\S{0,30}人民代表大会常务委员会\S{0,20}上|情况的报告"),
    ("work_summary", r"工作总结|年度工作|工作情况报告|工作报告"),
)
DOC_TYPES = (*(doc_type for doc_type, _ in DOC_TYPE_RULES), "other")
TITLE_WORDS = re.compile(r"关于|报告|复函|答复|总结|情况|意见|讲话|函$")
NOT_A_TITLE = re.compile(
    r"^(?:[一二三四五六七八九十\d]+[、.．]|[(（])|[>:：]"
)  # headings, breadcrumbs, labels
TITLE_MAX_CHARS = 80

# --- where it was published: the page's address and its publisher (etl/provenance.py) -----------------
MAX_URL_CHARS = 2048
MAX_PUBLISHER_CELL_CHARS = 80  # a manifest's publisher cell: a name, not a paragraph
URL_SCHEMES = ("http", "https")
# <meta>/<link> names a page gives its own address, strongest first (compared in lower case): the CMS of
# Chinese government sites writes <meta name="Url">, <meta name="ArticleURL">; others og:url, canonical
PAGE_URL_META = ("url", "articleurl", "og:url", "canonical")
# <meta> names of the page's publisher: the CMS's 来源 field, strongest of all; then, weakest, an author
# that is an organisation and the site's own name (the site publishes, the bureau issues)
PAGE_SOURCE_META = ("contentsource", "source")
PAGE_SITE_META = ("author", "sitename", "og:site_name")
# a line of the text giving the document's own address: 原文链接：http://…
TEXT_URL = re.compile(
    r"(?P<label>原文链接|本文链接|原文地址|本文地址|原文网址)\s*[:：]\s*(?P<url>https?://[^\s<>\"'，。；]+)"
)
# labels that name who issued the document, and (weaker) labels that name the site publishing it
ISSUER_LABELS = ("发文机关", "发文单位", "信息来源", "来源", "稿源")
SITE_LABELS = ("发布机构", "发布单位")
PUBLISHER_LABEL = re.compile(
    rf"(?<!{CJK})(?P<label>{'|'.join((*ISSUER_LABELS, *SITE_LABELS))})\s*[:：]\s*(?P<value>[^\s:：|,，;；]*)"
)
# an organisation's name, as a publisher must read: 深圳市应急管理局, 汕尾市人民政府门户网站, 汕尾日报
PUBLISHER_NAME = re.compile(
    rf"(?:{CJK}|[()（）]){{2,38}}"
    r"(?:局|厅|委员会|政府|办公室|办公厅|中心|网站|门户网|政府网|日报|晚报|报社|电视台|管理部|院|署)"
)
PUBLISHER_MIN_CHARS = 4  # 本网, 本站, 原创 are no publisher
# a body named by its rank alone (来源：县应急管理局, 州融媒体中心) cites no one a reader can find; 市中区 and
# 市北区 are places, so only a rank followed at once by the body's own words
RELATIVE_PUBLISHER = re.compile(r"[市区县州旗盟](?:应急|融媒|人民政府|政府|广播电视|日报)")
# a line that is only a bureau's full name: the byline under a title or the signature above the date
# (tried at line starts only: searched through the whole text)
BUREAU_NAME_LINE = LineAnchored(
    re.compile(rf"^[^\S\n]*(?P<name>{CJK}{{2,16}}?{BUREAU})[^\S\n]*$", re.MULTILINE)
)
