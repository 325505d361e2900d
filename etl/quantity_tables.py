"""The rule tables of Chinese quantities, apart from the engine that reads them (etl/quantities.py).

Numerals, multipliers, units and the words that may not follow them, qualifiers, and the families of
never-figures (dates, phone numbers, slogans), as data and as regexes built from named pieces. A new unit
or a new kind of code is a table edit here; etl/quantities.py says what each means.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from etl.char_classes import one_of

# ----------------------------------------------------------------------------------------------------
# Rule tables
# ----------------------------------------------------------------------------------------------------

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_ZEROS = "零〇"
CN_PLACES = {"十": 10, "百": 100, "千": 1000}
CN_SECTIONS = {"万": 10**4, "亿": 10**8}

# after an Arabic number, or after a Chinese one and its qualifier (十余万): longest first
MULTIPLIERS = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4, "千": 10**3}

UNITS = (
    # people and units counted
    "人", "人次", "人天", "人日", "名", "位", "户", "户次", "家", "家次", "个", "个次", "支", "个队",
    # events and cases
    "次", "场", "场次", "起", "宗", "件", "件次", "项", "条", "处", "批", "批次", "轮", "期",
    # things
    "种", "类", "个品种", "品种", "套", "件套", "台", "台次", "台套", "辆", "辆次", "车次", "艘", "艘次",
    "架", "架次", "部", "本", "册", "张", "份", "篇", "篇次", "座", "所", "栋", "幢", "间", "块", "只", "组",
    "路",
    # money, rates, factors
    "元", "美元", "%", "‰", "百分点", "个百分点", "倍",
    # areas, lengths, volumes, weights
    "平方米", "平米", "㎡", "m2", "m²", "平方公里", "km2", "km²", "公顷", "亩", "亩次", "公里", "千米", "km",
    "米", "立方米", "m3", "m³", "吨", "公斤", "千克", "kg", "千瓦", "兆瓦",
    # time spans, ages, scores, temperatures
    "小时", "分钟", "天", "个月", "周", "周年", "岁", "分", "℃", "摄氏度",
)  # fmt: skip
UNIT_ALIASES = {"个百分点": "百分点"}
ARABIC_ONLY_UNITS = frozenset({"分", "路", "块"})  # 十分重视, 一路, 一块儿 are prose
# a unit word that is the first character of another word: 12部门, 七台河, 3项目
UNIT_NOT_BEFORE = {
    "部": "门署分长委队位", "台": "风账湾阶河", "项": "目", "条": "件例款", "处": "理置罚室长",
    "起": "草步来诉点", "次": "生要", "家": "庭属长具渠", "所": "属有以在长", "座": "谈", "批": "准复示评",
    "期": "间限刊待", "位": "于置", "份": "额", "组": "织建成长", "个队": "伍员长", "人": "民",
    "名": "单称义",
    "本": "级地部", "只": "是有要能", "间": "隔", "天": "然", "种": "子植", "类": "型别似", "元": "化素旦首",
    "米": "粮", "轮": "车胎船廓",
}  # fmt: skip

# (word, approx, characters that may not stand before it, characters it needs before it or None)
LEAD_QUALIFIERS = (
    ("将近", "nearly", "", None),
    ("接近", "nearly", "", None),
    ("不足", "nearly", "", None),
    ("不到", "nearly", "", None),
    ("大约", "about", "", None),
    ("超过", "more_than", "", None),
    ("近", "nearly", "最附靠临就亲远邻新晚逼贴走拉相接将", None),
    ("约", "about", "签合节公条契制预邀相集规履违毁践特隐婉盟大", None),
    ("逾", "more_than", "", None),
    ("超", "more_than", "赶高", None),
    ("过", "more_than", "", "数额值量均资金员"),  # 人数过3000; not 通过/开展过
)
MID_QUALIFIERS = {"余": "more_than", "多": "more_than"}
POST_QUALIFIERS = {"以上": "more_than", "左右": "about", "上下": "about", "以下": "nearly", "以内": "nearly"}
POST_NOT_BEFORE = {"上下": "游级班楼文车水山半", "以下": "简称列几", "以上": "简称"}
UNIT_SPACES = 2  # spaces that may stand between a number and its unit
SPECIAL_MONTHS = re.compile(r" {0,2}个(?P<q>多|余)(?P<unit>月|小时|星期)")  # 2个多月

RANGE_SEPARATORS = ("——", "—", "―", "–", "-", "~", "〜", "至", "到")
NOT_A_UNIT_AFTER = ("年", "月", "日", "号", "时", "点", "季", "世纪", "届", "级", "楼", "后", "秒")
SESSION_AFTER = ("全体会议", "会议", "全会", "常委会")
SESSION_BEFORE = re.compile(r"届[^\d\s，,。；;、]{0,6}$")  # 五届|四次, 十四届全国人大|二次
SLOGAN_TAILS = ("必须", "一律", "务必", "维护", "确立", "自信", "一体", "到位", "性")
OPEN_QUOTES, CLOSE_QUOTES = "“\"‘'「『《〈", "”\"’'」』》〉"
OPEN_BRACKETS, CLOSE_BRACKETS = "([〔【［", ")]〕】］"
REFUSED_BEFORE = "@_/#.\\"  # a number right after these is part of an address, a path or a version
LIST_MARKS = ".、)"
IDIOMS = (
    "三位一体", "一把手", "一次性", "一站式", "一盘棋", "一张网", "一张图", "一张蓝图", "最后一公里",
    "一条龙", "三番五次", "一件事", "一网通办", "一网统管", "一门式", "一窗式", "一次办", "千方百计",
)  # fmt: skip
CONTACT_LABELS = (
    "电话", "热线", "传真", "邮编", "邮政编码", "手机", "QQ", "ICP备案", "ICP备", "公网安备", "网安备",
    "备案号", "标识码", "识别码", "信用代码",
)  # fmt: skip
HOTLINE_WORDS = ("热线", "专线", "便民", "政务服务", "号码")

# ----------------------------------------------------------------------------------------------------
# Regex pieces (compiled once)
# ----------------------------------------------------------------------------------------------------

# Every pattern that may run over a digit run starts at the run's first digit ((?<!\d) or a literal) and
# has no unbounded repeat after one, so a run of n digits costs O(n), not O(n^2) (a 100,000-digit run).
_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
# a Chinese numeral, with decimals after 点 (九十七点三)
_CN_RUN = r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+)?"
WHOLE_PERCENT = re.compile("百分之百(?!分|万|亿|千)")
# the lookahead on the first character lets the engine pass over the text between figures quickly
CORE_RE = re.compile(rf"(?=[\d一二两三四五六七八九十])(?:(?P<ar>{_ARABIC})|(?P<cn>{_CN_RUN}))")
UNITS_LONGEST_FIRST = tuple(sorted(UNITS, key=len, reverse=True))
UNIT_FIRST_CHARS = frozenset(u[0] for u in UNITS)
# the units each character opens, longest first, each with the characters that may not follow it, the name
# it is reported by and whether only an Arabic number takes it: the units standing at a place are those of
# its character the text there starts with, tried in this order (one lookup, then `startswith` in C)
UNITS_BY_FIRST = {
    first: tuple(
        (u, UNIT_NOT_BEFORE.get(u, ""), UNIT_ALIASES.get(u, u), u in ARABIC_ONLY_UNITS)
        for u in UNITS_LONGEST_FIRST
        if u[0] == first
    )
    for first in UNIT_FIRST_CHARS
}
RANGE_SEPARATOR_RE = re.compile("|".join(re.escape(s) for s in RANGE_SEPARATORS))
RANGE_FIRSTS = frozenset(s[0] for s in RANGE_SEPARATORS)
# a date or ordinal word after a number and its spaces (2023年, 第七届): no unit can follow
NOT_A_UNIT_AFTER_RE = re.compile(
    f" {{0,{UNIT_SPACES}}}(?:" + "|".join(map(re.escape, NOT_A_UNIT_AFTER)) + ")"
)
NOT_A_UNIT_AFTER_FIRSTS = frozenset(" " + "".join(word[0] for word in NOT_A_UNIT_AFTER))  # where it can start
MULTIPLIER_RE = re.compile("|".join(MULTIPLIERS))  # in the table's order: 万亿 before 万
MULTIPLIER_FIRSTS = frozenset(word[0] for word in MULTIPLIERS)
NUMBER_TAIL_FIRSTS = frozenset(MID_QUALIFIERS) | MULTIPLIER_FIRSTS  # 余/多 or a multiplier after the numerals
PLACE_CHARS = frozenset(CN_PLACES) | frozenset(CN_SECTIONS)  # 十百千万亿: a numeral with a place value
LEAD_QUALIFIER_ENDS = frozenset(word[-1] for word, *_ in LEAD_QUALIFIERS)
POST_RE = re.compile("|".join(sorted(POST_QUALIFIERS, key=len, reverse=True)))
POST_FIRSTS = frozenset(word[0] for word in POST_QUALIFIERS)
# What may stand right after a Chinese numeral that reads as a figure: a space, a unit (个 also opens 个多月),
# 余/多, a range separator or a trailing qualifier. After anything else it has no unit: it is no figure.
CN_FIGURE_NEXT = (
    frozenset(" " + "".join(UNIT_FIRST_CHARS) + "".join(MID_QUALIFIERS)) | RANGE_FIRSTS | POST_FIRSTS
)

# A figure has at most 15 significant digits (what a float holds); a longer numeral is a code or junk,
# and so is a Chinese numeral over 32 characters (一千二百三十四亿五千六百七十八万九千零一十二 is 22).
MAX_FIGURE_DIGITS = 15
MAX_CHINESE_NUMERAL_CHARS = 32

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
# spans that hold no figure: one family of never-figures a row, with the characters its matches start with
_DIGIT = r"\d"
CONTACT_FIRSTS = re.escape("".join(w[0] for w in CONTACT_LABELS))
IDIOM_FIRSTS = re.escape("".join(w[0] for w in IDIOMS) + "一")
# (the characters its matches start with, as a piece of a character class; the pattern)
BLOCKED_FAMILIES = (
    # dates
    (_DIGIT, rf"(?<![\d.])(?:19|20)\d{{2}}(?:[-/]{_MONTH}(?:[-/]{_DAY})?|\.{_MONTH}\.{_DAY})(?!\d)"),
    # clock times
    (_DIGIT, r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)|\d{1,2}时\d{1,2}分(?:\d{1,2}秒)?"),
    # landlines
    (_DIGIT + r"\(", r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}[-—])\d{7,8}(?!\d)"),
    # service lines, mobiles
    (_DIGIT, r"(?<!\d)400-?\d{3}-?\d{4}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)"),
    # 电话: 67510195
    (CONTACT_FIRSTS, "(?:" + "|".join(CONTACT_LABELS) + r")[\s:()邮箱号码]{0,8}[\d\-]+"),
    # 12345热线
    (_DIGIT + "拨", r"(?<!\d)\d{3,}(?= ?(?:" + "|".join(HOTLINE_WORDS) + r"))|拨打 ?\d+"),
    # 7·20
    (_DIGIT, r"(?<!\d)\d{1,2}[·•・‧]\d{1,2}(?!\d)"),
    # 1+9+N (a spaced " +28" is a signed change)
    (_DIGIT, r"(?<!\d)\d+(?:\.\d+)?(?=\+)|(?<=\+)\d+(?:\.\d+)?"),
    # 〔2023〕
    (r"\[〔【［(", r"[\[〔【［(] ?(?:19|20)\d{2} ?[\]〕】］)]"),
    # 三位一体, 一户一策
    (IDIOM_FIRSTS, "|".join(IDIOMS) + r"|一[\u4e00-\u9fff]一[策档码表案品]"),
)
# The lookahead on a match's first character lets the engine pass over all other positions quickly
# instead of trying every family at each one (ten times faster on a report; the matches are the same).
BLOCKED_RE = re.compile(
    "(?=[" + "".join(first for first, _ in BLOCKED_FAMILIES) + "])"
    "(?:" + "|".join(family for _, family in BLOCKED_FAMILIES) + ")"
)


@lru_cache(maxsize=1)
def _width_forms() -> tuple[dict[str, str], re.Pattern]:
    """Single characters whose NFKC form is one other character (full-width ASCII, Kangxi radicals), with
    that form; and a pattern finding them."""
    table = {"\u3000": " ", "\xa0": " "}
    for lo, hi in ((0xFF01, 0xFF5E), (0x2F00, 0x2FD5), (0xF900, 0xFAFF)):
        for cp in range(lo, hi + 1):
            nfkc = unicodedata.normalize("NFKC", chr(cp))
            if len(nfkc) == 1 and nfkc != chr(cp):
                table[chr(cp)] = nfkc
    return table, one_of(table)


def plain_forms(text: str) -> str:
    """`text` with those characters in their plain form, one character for one: spans hold. A regex finds
    the few a stored text has left (str.translate would look every character up)."""
    table, found = _width_forms()
    return found.sub(lambda m: table[m.group()], text)
