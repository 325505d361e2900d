"""Chinese quantities: numbers with their counting word, multiplier and qualifier, and where they stand.

`find_quantities(text)` returns every quantity expression (`近500余场次`, `10万多件`, `1.5万名`,
`281.48万元`, `八百余次`, `98.79%`) with its span in `text`. Conventions:
- `value` has 万/亿 multiplied out and `unit` is the counting word as written (元, not 万元);
- `approx`: more_than (余/多/逾/以上/超过), about (约/左右/上下), nearly (近/将近/不足/不到);
- a range (`1500—2800元`, `2至4辆`) is returned with `is_range` and its lower bound, so callers skip it;
- a number with no counting word after it keeps `unit=None` (the scrape may have lost it: `面积3736的`).
Never quantities: dates and times (`2023年`, `5月14日`, damaged `514日`), ordinals (`第五十次`),
numbers in `〔2023〕60号`-style document numbers, and a bare Chinese `一`/`两` (一支队伍 is prose).
What the rules in etl/catalog.yaml do with a quantity is their business, not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# counting words and units, longest first so 人次 wins over 人 and 平方米 over 平米
UNIT_TEXT = """
人次 家次 场次 批次 篇次 件次 架次 人天 件套 个品种 个百分点 百分点 平方米 平米 ㎡ m² m2 公里 立方米 吨
支 个队 人 名 位 种 类 件 套 个 场 次 家 处 项 条 起 宗 部 台 元 % 份 期 栋 户 辆 座 所 批 艘 万 亩
"""
UNIT_WORDS = sorted(set(UNIT_TEXT.split()), key=len, reverse=True)
CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_POWERS = {"十": 10, "百": 100, "千": 1000}
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
APPROX_WORDS = {
    "余": "more_than", "多": "more_than", "逾": "more_than", "以上": "more_than", "超过": "more_than",
    "约": "about", "大约": "about", "左右": "about", "上下": "about",
    "近": "nearly", "将近": "nearly", "接近": "nearly", "不足": "nearly", "不到": "nearly",
}  # fmt: skip
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千]+"
NUMBER = rf"(?:{ARABIC}|{CHINESE})"
QUANTITY = re.compile(
    rf"""
    (?P<pre>将近|接近|大约|超过|不足|不到|近|约|逾)?
    (?P<num>{NUMBER})
    (?:(?P<dash>[—–\-~～至到])(?P<num2>{NUMBER}))?     # a range: 1500—2800元, 2至4辆
    (?P<q1>余|多)?
    (?P<mult>万|亿)?
    (?P<q2>余|多)?
    (?P<unit>{"|".join(re.escape(u) for u in UNIT_WORDS)})?
    (?P<post>以上|左右|上下|多)?
    """,
    re.X,
)
# what may not stand right after a number that is a figure: dates, times, document and session numbers
NOT_A_FIGURE_AFTER = re.compile(r"[年月日号时点届]|:\d|/\d")
NOT_A_FIGURE_BEFORE = re.compile(r"(?:第|〔|\[|【|No\.?|[A-Za-z])$")


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None
    approx: str | None
    start: int  # the whole expression: qualifier + number + multiplier + unit
    end: int
    num_start: int  # the number alone
    num_end: int
    is_range: bool = False


def chinese_to_number(s: str) -> int:
    """一百二十 -> 120, 十五 -> 15, 八百 -> 800, 两千 -> 2000 (no 万/亿 inside: those are multipliers)."""
    total, digit = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            total += (digit or 1) * CN_POWERS[ch]
            digit = 0
    return total + digit


def _number(s: str) -> float:
    if s[0].isdigit():
        return float(s.replace(",", ""))
    return float(chinese_to_number(s))


def _approx(m: re.Match) -> str | None:
    for group in ("pre", "q1", "q2", "post"):
        word = m.group(group)
        if word:
            return APPROX_WORDS[word]
    return None


def _is_figure(text: str, m: re.Match) -> bool:
    num = m.group("num")
    chinese = not num[0].isdigit()
    if chinese and (num in ("一", "两") or not m.group("unit") or m.group("unit") in ("万", "点")):
        return False  # 一是, 二十大, 十四五, 一支队伍: prose, not figures
    if NOT_A_FIGURE_BEFORE.search(text[max(0, m.start("num") - 3) : m.start("num")]):
        return False
    end_of_number = m.end("num2") if m.group("num2") else m.end("num")
    return not (not m.group("unit") and NOT_A_FIGURE_AFTER.match(text, end_of_number))


def find_quantities(text: str) -> list[Quantity]:
    """All quantity expressions in `text`, in order, with spans into `text` itself."""
    probe = text.translate(FULL_WIDTH_DIGITS)  # same length: spans hold
    out = []
    for m in QUANTITY.finditer(probe):
        if not _is_figure(probe, m):
            continue
        unit = m.group("unit")
        mult = MULTIPLIERS.get(m.group("mult") or "", 1)
        if unit == "万" and not m.group("mult"):  # 400多万 (元 lost): 万 is a multiplier, not a unit
            unit, mult = None, 10_000
        out.append(
            Quantity(
                value=_number(m.group("num")) * mult,
                unit=unit,
                approx=_approx(m),
                start=m.start(),
                end=m.end(),
                num_start=m.start("num"),
                num_end=m.end("num"),
                is_range=bool(m.group("num2")),
            )
        )
    return out


def parse_quantity(s: str) -> Quantity | None:
    """The quantity that makes up the whole of `s` ("10万多件"), or None."""
    found = find_quantities(s)
    return found[0] if len(found) == 1 and found[0].start == 0 and found[0].end == len(s) else None
