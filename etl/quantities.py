"""Chinese quantities: every figure in a text with its counting word, multiplier, qualifier and span.

`find_quantities(text)` returns one `Quantity` per figure, in text order; `parse_quantity(s)` reads a
string that is one figure and nothing else (`"10万多件"`). Spans index `text` itself. The tables it reads
(numerals, units, qualifiers, never-figure families) are in etl/quantity_tables.py.

Conventions
- `value`: 万/亿/千万/万亿 multiplied out; `unit`: the base counting word as written after the number
  (人, 人次, 家次, 场次, 件套, 元, %, 平方米 ...; the table is `UNITS`, matched longest first).
  So `281.48万元` -> 2814800 元, `1.5万名` -> 15000 名, `2.7亿元` -> 270000000 元.
  `个百分点` is reported as `百分点`, `百分之九十` as 90 `%`; full-width forms (`１２３`, `％`, `，`) count
  as their ASCII twins. A figure whose unit the scrape lost keeps `unit=None` (`面积3736的`, `案件93`).
- `approx`: `more_than` (余/多/逾/超过/超/以上, and 过 after a noun: `人数过3000`), `about`
  (约/大约/左右/上下), `nearly` (近/将近/接近/不足/不到/以下/以内). A leading qualifier is part of the
  span (`近30支`); so is one between multiplier and unit (`10万多件`, `3万余人`) or after the unit
  (`500人以上`, `100人左右`). `num_start`/`num_end` cover the numerals alone (both bounds of a range).
- A range (`1500—2800元`, `3至5支`, `3至5万元`, `5%—10%`) has `is_range`, `value` = lower bound and
  `upper` = upper bound; a multiplier written only after the upper bound applies to both.
- Numerals: Arabic with decimals; thousands separators only where every group after the first has three
  digits (`2,318`, `2，318`); Chinese (`一百二十`, `一千三百`, `两千`, `十五`, `一万五`); mixed (`3万余`).
  A Chinese numeral starts with a digit or 十: a bare 百/千/万 (`逾百`, `万人助万企`) is no number; nor are
  digit strings (`二〇二三`), 几/数 (`十几个`, `数十家`) or 半 (`1个半月` reads as 1 个).
- Kangxi radicals and compatibility ideographs (`⼆⼗⼈` from PDF text layers) read as the plain characters.
- A unit-less year-like number is dropped even where it was a count that lost its unit (`面积2000的`):
  a bare year is far more common in this genre.

What is never returned
- Dates and times, damaged ones included: a number followed by 年/月/日/号/时/点/季/世纪/届/级/楼/后
  (`2023年`, `514日`, `128号`, `第七届`), ISO-like dates (`2023-12-11`, `2023/1/3`, `2023.12.11`),
  clock times (`16:44`, `8时30分`), a unit-less number right after `N年`/`N月` (`2021年64`, `2023年1`),
  a unit-less 5-8 digit number that reads as year+month+day (`202313`), and a unit-less, unqualified
  whole number between 1980 and 2060 (a bare year: `2022,全市…`, `2025、2030`).
- Ordinals and markers: after 第 (`第五十次`, `第20230322号`); list markers (`1.` / `1、` / `1)` opening a
  line or after a colon, `(1)`); bracketed years (`〔2023〕`); session numbers (`五届四次会议`: N次 then
  会议 with 届 just before); attachment numbers (`附件3`).
- Codes: phone numbers (`0755-83071111`, 11-digit mobiles), numbers after a contact label
  (电话, 热线, 邮政编码, 标识码, ICP备, 公网安备 ...), hotlines (`12345热线`), any unit-less number of 7+
  digits, numbers touching ASCII letters or `@ _ / # .` (`5G`, `IPv6`, `12350yjjb@…`, `号-1`) or one
  space after letters (`ISO 9001`, `GB/T 29639-2020`).
- Names and slogans: numbers joined by `+` (`1+9+N`, `两委+4+11办`), dotted days (`7·20`, `5·12`), an
  Arabic number alone inside quotes (`“12345”`), a Chinese numeral right after an opening quote
  (`“三个必须”`, `“十五条”硬措施`), fixed phrases (`IDIOMS`: 三位一体, 最后一公里, 一户一策 ...),
  and a Chinese numeral + unit before a slogan word (`三个必须`).
- Chinese numerals count only when a unit follows (`三支`, `八百余次`), or, with a place value, a
  余/多 (`六百余`): so `一是`, `二十大`, `十四五`, `三级` are not figures. A bare `一`/`两` (no place value)
  is an article in this genre (`一支队伍`, `两位领导`) and is never a figure.
- Rates of change are figures (`下降2.1个百分点` -> 2.1 百分点); rejecting them is the extractor's job, as is
  reading context such as plans, scopes and `七十五条贯彻意见`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from etl.quantity_tables import (
    BLOCKED_RE,
    CLOSE_BRACKETS,
    CLOSE_QUOTES,
    CN_DIGITS,
    CN_FIGURE_NEXT,
    CN_PLACES,
    CN_SECTIONS,
    CN_ZEROS,
    CORE_RE,
    LEAD_QUALIFIER_ENDS,
    LEAD_QUALIFIERS,
    LIST_MARKS,
    MAX_CHINESE_NUMERAL_CHARS,
    MAX_FIGURE_DIGITS,
    MID_QUALIFIERS,
    MULTIPLIER_FIRSTS,
    MULTIPLIER_RE,
    MULTIPLIERS,
    NOT_A_UNIT_AFTER_FIRSTS,
    NOT_A_UNIT_AFTER_RE,
    NUMBER_TAIL_FIRSTS,
    OPEN_BRACKETS,
    OPEN_QUOTES,
    PLACE_CHARS,
    POST_FIRSTS,
    POST_NOT_BEFORE,
    POST_QUALIFIERS,
    POST_RE,
    RANGE_FIRSTS,
    RANGE_SEPARATOR_RE,
    REFUSED_BEFORE,
    SESSION_AFTER,
    SESSION_BEFORE,
    SLOGAN_TAILS,
    SPECIAL_MONTHS,
    UNIT_SPACES,
    UNITS_BY_FIRST,
    WHOLE_PERCENT,
    plain_forms,
)

# ----------------------------------------------------------------------------------------------------
# Public records and functions
# ----------------------------------------------------------------------------------------------------


class Quantity(NamedTuple):
    """One figure: `text[start:end]` is the whole expression, `text[num_start:num_end]` its numerals.
    (A named tuple: a report has hundreds, and a tuple is made several times faster than a frozen
    dataclass.)"""

    value: float  # multipliers applied; the lower bound of a range
    unit: str | None  # base counting word (元 for 万元); None where the text gives none
    approx: str | None  # None | more_than | about | nearly
    start: int
    end: int
    num_start: int
    num_end: int
    is_range: bool = False
    upper: float | None = None  # the upper bound of a range

    @property
    def percent(self) -> bool:
        return self.unit == "%"


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in `text`, in order (see the module docstring for what is and is not one)."""
    t = plain_forms(text)
    blocked = _blocked(t)
    found: list[Quantity] = []
    resume = 0
    for m in CORE_RE.finditer(t):
        if m.start() < resume or (m[1] is None and _unitless_chinese(t, m)):  # group 1: ar
            continue  # inside the last expression; or 一是, 二十大, 进一步: refused before it is read at all
        if _date_or_ordinal_after(t, m.end()):
            continue  # 2023年, 第七届
        core = _core(m)
        if core is None or blocked[core.start]:
            continue
        expr = _expression(t, core, blocked)
        resume = expr.end
        if expr.reason is None and _rejection(t, expr) is None:
            found.append(expr.quantity())
    return _with_whole_percent(t, found)


def _with_whole_percent(t: str, found: list[Quantity]) -> list[Quantity]:
    """`百分之百` is 100% (a bare 百 is no numeral, so the engine does not read it)."""
    matches = list(WHOLE_PERCENT.finditer(t))
    if not matches:
        return found
    taken = bytearray(len(t) + 1)  # a mask, not a scan of `found` per match: linear in the text
    for q in found:
        taken[q.start : q.end] = b"\x01" * (q.end - q.start)
    extra = [
        Quantity(100.0, "%", None, m.start(), m.end(), m.start() + 3, m.end())
        for m in matches
        if 1 not in taken[m.start() : m.end()]
    ]
    return sorted(found + extra, key=lambda q: q.start) if extra else found


def parse_quantity(s: str) -> Quantity | None:
    """The one figure that makes up the whole of `s` (surrounding spaces allowed), or None."""
    found = find_quantities(s)
    if len(found) != 1:
        return None
    q = found[0]
    return q if not s[: q.start].strip() and not s[q.end :].strip() else None


def chinese_numeral_value(s: str) -> int | None:
    """一百二十 -> 120, 两千 -> 2000, 十五 -> 15, 一千零五 -> 1005, 一万五 -> 15000; None if malformed."""
    total, section, digit = 0, 0, None
    last_place, zero_after_place, last_section = 10**13, False, 10**13
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None:
                return None  # 一一, 十四五
            digit = CN_DIGITS[ch]
        elif ch in CN_ZEROS:
            zero_after_place = True
        elif ch in CN_PLACES:
            place = CN_PLACES[ch]
            if place >= last_place or (digit is None and ch != "十"):
                return None
            section += (1 if digit is None else digit) * place
            digit, last_place, zero_after_place = None, place, False
        else:
            size = CN_SECTIONS[ch]
            section += digit or 0
            if section == 0 or (size == 10**4 and last_section <= size):  # 万万
                return None
            total = (total + section) * size if size > 10**4 else total + section * size
            section, digit, last_place, last_section = 0, None, size, size
            zero_after_place = False
    if digit is not None:  # 一万五 = 15000, 三千五 = 3500, 十五 = 15, 一千零五 = 1005
        step = 1 if zero_after_place or last_place > 10**12 else max(last_place // 10, 1)
        section += digit * step
    return total + section


# ----------------------------------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------------------------------


class _Core(NamedTuple):
    value: Decimal
    kind: str  # ar | cn
    start: int
    end: int
    has_place: bool  # a Chinese numeral with 十/百/千/万/亿 in it


@dataclass(slots=True)
class _Expr:
    value: Decimal
    kind: str
    start: int
    end: int
    num_start: int
    num_end: int
    unit: str | None = None
    approx: str | None = None
    upper: Decimal | None = None
    has_place: bool = False
    mid_qualified: bool = False  # 余/多 right after the numerals
    reason: str | None = None  # why it is not a figure, when the reading itself shows it

    def quantity(self) -> Quantity:
        upper = None if self.upper is None else float(self.upper)
        # positional: a named tuple made from keywords costs a third more, and reports have hundreds
        return Quantity(
            float(self.value), self.unit, self.approx, self.start, self.end, self.num_start, self.num_end,
            upper is not None, upper,
        )  # fmt: skip


def _unitless_chinese(t: str, m: re.Match) -> bool:
    """A Chinese numeral (no decimals: 二点五 reads like an Arabic one) with nothing after it that a figure
    needs (CN_FIGURE_NEXT) and no 百分之 before it. Reading it would refuse it (chinese_without_unit); most
    Chinese numerals in a report are such (一是, 进一步), and this refuses them at a fraction of the cost."""
    end = m.end()
    return (
        t[end : end + 1] not in CN_FIGURE_NEXT
        and not (m.start() >= 3 and t.startswith("百分之", m.start() - 3))  # as _read_unit asks it
        and "点" not in m.group("cn")
    )


def _blocked(t: str) -> bytearray:
    mask = bytearray(len(t) + 1)
    for m in BLOCKED_RE.finditer(t):
        mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return mask


def _core(m: re.Match) -> _Core | None:
    """The numeral a CORE_RE match holds; a malformed Chinese run is trimmed from the left (统一三个).

    An over-long numeral is None: it is never a figure, and refusing it up front keeps the work per run
    linear (the trimming below tries every suffix of a Chinese run).
    """
    arabic = m[1]  # group 1: ar
    if arabic:
        plain = arabic.replace(",", "") if "," in arabic else arabic
        if len(plain) > MAX_FIGURE_DIGITS and len(plain) - plain.count(".") > MAX_FIGURE_DIGITS:
            return None
        return _Core(Decimal(plain), "ar", m.start(), m.end(), False)
    chinese = m[2]  # group 2: cn
    if len(chinese) > MAX_CHINESE_NUMERAL_CHARS:
        return None
    run, _, decimals = chinese.partition("点")
    for i in range(len(run)):
        if run[i] not in CN_DIGITS and run[i] != "十":
            continue
        value = chinese_numeral_value(run[i:])
        if value is not None:
            has_place = not PLACE_CHARS.isdisjoint(run[i:])
            if not decimals:
                return _Core(Decimal(value), "cn", m.start() + i, m.end(), has_place)
            fraction = "".join(str(CN_DIGITS.get(ch, 0)) for ch in decimals)  # 零/〇 are 0
            # a decimal reads like an Arabic one: a multiplier may follow (二点五万元)
            return _Core(Decimal(f"{value}.{fraction}"), "ar", m.start() + i, m.end(), has_place)
    return None


def _skip_spaces(t: str, pos: int, limit: int = UNIT_SPACES) -> int:
    if t[pos : pos + 1] != " ":
        return pos  # most numbers: no space after them
    end = pos
    while end < len(t) and end - pos < limit and t[end] == " ":
        end += 1
    return end


def _starts_with_any(t: str, pos: int, words: tuple[str, ...]) -> bool:
    return t.startswith(words, pos)


def _date_or_ordinal_after(t: str, pos: int) -> bool:
    # most numbers: neither a space nor a date or ordinal word's first character after them
    return t[pos : pos + 1] in NOT_A_UNIT_AFTER_FIRSTS and NOT_A_UNIT_AFTER_RE.match(t, pos) is not None


def _unit_word(t: str, pos: int) -> bool:
    """Whether a unit word stands after at most two spaces from `pos`."""
    at = _skip_spaces(t, pos) if t[pos : pos + 1] == " " else pos
    return any(t.startswith(unit, at) for unit, *_ in UNITS_BY_FIRST.get(t[at : at + 1], ()))


def _unit_at(t: str, pos: int, kind: str) -> tuple[str, int] | None:
    """The longest unit after at most two spaces from `pos` that does not begin another word (3个队伍: 个,
    not 个队)."""
    at = _skip_spaces(t, pos) if t[pos : pos + 1] == " " else pos
    units = UNITS_BY_FIRST.get(t[at : at + 1])
    if units is None:
        return None  # most places: no unit starts there
    for unit, not_before, name, arabic_only in units:  # longest first
        if not t.startswith(unit, at) or (arabic_only and kind == "cn"):
            continue
        end = at + len(unit)
        nxt = t[end : end + 1]
        if not (nxt and nxt in not_before):
            return name, end
    return None


def _number_tail(t: str, pos: int, kind: str) -> tuple[int, str | None, int]:
    """Qualifier and multiplier after the numerals (810多万, 10万多, 3万余, 十余万): (factor, approx, pos)."""
    factor = 1
    approx = MID_QUALIFIERS.get(t[pos : pos + 1])
    if approx:
        pos += 1
    if t[pos : pos + 1] not in MULTIPLIER_FIRSTS:
        return factor, approx, pos  # most figures: no multiplier
    multiplier = (kind == "ar" or approx) and MULTIPLIER_RE.match(t, pos)
    if multiplier and not _unit_word(t, pos):  # 5千米 is a unit, 5千人 a multiplier
        factor, pos = MULTIPLIERS[multiplier.group()], multiplier.end()
        if not approx and t[pos : pos + 1] in MID_QUALIFIERS:
            approx, pos = MID_QUALIFIERS[t[pos]], pos + 1
    return factor, approx, pos


def _range_at(t: str, pos: int, blocked: bytearray) -> tuple[_Core, int, str | None, int] | None:
    """The upper bound after a range separator: `—2800`, `至5万`."""
    if t[pos : pos + 1] not in RANGE_FIRSTS:
        return None  # most figures: no separator after them
    sep = RANGE_SEPARATOR_RE.match(t, pos)  # the first separator listed that is there
    if sep is None:
        return None
    m = CORE_RE.match(t, sep.end())
    core = _core(m) if m else None
    if core is None or core.start != m.start() or blocked[core.start]:
        return None
    factor, approx, end = _number_tail(t, core.end, core.kind)
    return core, factor, approx, end


def _expression(t: str, core: _Core, blocked: bytearray) -> _Expr:
    """The figure read from `core` on (a date or ordinal right after it was refused before: 2023年)."""
    e = _Expr(core.value, core.kind, core.start, core.end, core.start, core.end, has_place=core.has_place)
    factor, after = 1, t[core.end : core.end + 1]
    if after in NUMBER_TAIL_FIRSTS:  # most figures: neither 余/多 nor a multiplier right after the numerals
        factor, e.approx, e.end = _number_tail(t, core.end, core.kind)
        e.mid_qualified = e.approx is not None and e.end > core.end and after in MID_QUALIFIERS
        e.value = core.value * factor
    upper = _range_at(t, e.end, blocked)
    if upper:
        _take_range(t, e, factor, upper)
        if e.reason:
            return e
    _read_unit(t, e, blocked)
    _read_lead(t, e)
    return e


def _take_range(t: str, e: _Expr, factor: int, upper: tuple[_Core, int, str | None, int]) -> None:
    core, upper_factor, approx, end = upper
    if factor == 1 and upper_factor != 1:  # 3至5万元: the multiplier is both bounds'
        e.value *= upper_factor
    e.upper = core.value * upper_factor
    e.approx = e.approx or approx
    e.num_end, e.end = core.end, end
    if _date_or_ordinal_after(t, core.end):
        e.reason = "date_or_ordinal"  # 2021至2025年, 1—9月


def _read_unit(t: str, e: _Expr, blocked: bytearray) -> None:
    """Unit, a range written with the unit on both bounds (5%—10%), then a trailing qualifier."""
    special = t[e.end : e.end + 1] in " 个" and SPECIAL_MONTHS.match(t, e.end)
    if special:
        e.unit, e.end = "个" + special.group("unit"), special.end()
        e.approx = e.approx or MID_QUALIFIERS[special.group("q")]
        return
    found = _unit_at(t, e.end, e.kind)
    if found:
        e.unit, e.end = found
        if e.upper is None:
            upper = _range_at(t, e.end, blocked)
            again = upper and _unit_at(t, upper[3], upper[0].kind)
            if upper and again and again[0] == e.unit:
                core, factor, approx, _ = upper
                e.upper, e.num_end, e.end = core.value * factor, core.end, again[1]
                e.approx = e.approx or approx
    elif e.start >= 3 and t.startswith("百分之", e.start - 3):  # (a negative start would wrap to the end)
        e.unit, e.start = "%", e.start - 3
    post = t[e.end : e.end + 1] in POST_FIRSTS and POST_RE.match(t, e.end)
    if post:
        word, nxt = post.group(0), t[post.end() : post.end() + 1]
        if not nxt or nxt not in POST_NOT_BEFORE.get(word, ""):  # 上下游 is no qualifier
            e.approx, e.end = e.approx or POST_QUALIFIERS[word], post.end()


def _read_lead(t: str, e: _Expr) -> None:
    if t[e.start - 1 : e.start] not in LEAD_QUALIFIER_ENDS:
        return  # most figures: no qualifier ends right before them
    for word, approx, not_after, only_after in LEAD_QUALIFIERS:
        at = e.start - len(word)
        if at < 0 or not t.startswith(word, at):
            continue
        prev = t[at - 1] if at > 0 else ""
        if prev and prev in not_after:
            continue
        if only_after is not None and _is_cjk(prev) and prev not in only_after:
            continue
        e.approx, e.start = approx, at  # a leading qualifier speaks first
        return


def _is_cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


# ----------------------------------------------------------------------------------------------------
# Why a reading is not a figure (None: it is one)
# ----------------------------------------------------------------------------------------------------


def _rejection(t: str, e: _Expr) -> str | None:
    return _context_rejection(t, e) or _chinese_rejection(t, e) or _unitless_rejection(t, e)


def _context_rejection(t: str, e: _Expr) -> str | None:
    prev = t[e.num_start - 1] if e.num_start > 0 else ""
    after = t[e.end] if e.end < len(t) else ""
    if prev == "第" or t.startswith("附件", e.num_start - 2) or t.startswith("附表", e.num_start - 2):
        return "ordinal"
    if prev and (prev.isascii() and prev.isalpha() or prev in REFUSED_BEFORE):
        return "code"  # IPv6, v2.5, a/3
    if prev == " " and e.num_start > 1 and t[e.num_start - 2].isascii() and t[e.num_start - 2].isalpha():
        return "code"  # GB/T 29639-2020, ISO 9001
    if (
        prev == "-"
        and e.num_start > 1
        and t[e.num_start - 2] not in " \n"
        and not t[e.num_start - 2].isdigit()
    ):
        return "code"  # 号-1, COVID-19
    if e.unit is None and after and ((after.isascii() and after.isalpha()) or after in "@_/\\"):
        return "code"  # 5G, 12350yjjb@
    if e.unit is None and prev and prev in OPEN_BRACKETS and after and after in CLOSE_BRACKETS:
        return "list_marker"  # (1), 〔2023〕
    if e.unit is None and after and after in LIST_MARKS and _opens_line(t, e.start):
        return "list_marker"  # 1.深入学习, 附件:1.建议
    if e.kind == "ar" and e.start > 0 and t[e.start - 1] in OPEN_QUOTES and after and after in CLOSE_QUOTES:
        return "name"  # “12345”
    if (
        e.unit == "次"
        and _starts_with_any(t, e.end, SESSION_AFTER)
        and SESSION_BEFORE.search(t, max(0, e.start - 10), e.start)
    ):
        return "session"  # 五届四次会议, 七届人大四次会议
    return None


def _opens_line(t: str, pos: int) -> bool:
    """Whether only spaces, or a colon, stand before `pos` on its line.

    Reads back over spaces only, not to the line start: on a line of 100,000 list-like numbers the
    work per number stays constant.
    """
    at = pos
    while at > 0 and t[at - 1] != "\n" and t[at - 1].isspace():
        at -= 1
    return at == 0 or t[at - 1] in "\n:"


def _chinese_rejection(t: str, e: _Expr) -> str | None:
    if e.kind != "cn":
        return None
    if e.start > 0 and t[e.start - 1] in OPEN_QUOTES:
        return "slogan"  # “三个必须”, “十五条”硬措施
    if e.unit is None and not (e.mid_qualified and e.has_place):
        return "chinese_without_unit"  # 一是, 二十大, 十四五
    if not e.has_place and e.value <= 2 and e.upper is None:
        return "article"  # 一支队伍, 两位领导
    if e.unit and _starts_with_any(t, e.end, SLOGAN_TAILS):
        return "slogan"  # 三个必须
    return None


def _unitless_rejection(t: str, e: _Expr) -> str | None:
    if e.unit is not None or e.kind != "ar":
        return None
    digits = t[e.num_start : e.num_end]
    plain = digits.isdigit()
    if e.approx is None and _year_like(e.value) and (e.upper is None or _year_like(e.upper)):
        return "year" if plain or e.upper is not None else None
    if e.approx is None and e.upper is None and plain:
        if e.num_start >= 2 and t[e.num_start - 1] in "年月" and _numeral_char(t[e.num_start - 2]):
            return "damaged_date"  # 2021年64, 2023年1
        if 5 <= len(digits) <= 8 and _reads_as_date(digits):
            return "damaged_date"  # 202313
        if len(digits) >= 7:
            return "code"
    return None


def _year_like(v: Decimal) -> bool:
    return v == v.to_integral_value() and 1980 <= v <= 2060


def _numeral_char(ch: str) -> bool:
    return ch.isdigit() or ch in CN_DIGITS or ch in CN_ZEROS or ch == "十"


def _reads_as_date(digits: str) -> bool:
    """20231211, 202313, 2023113: a year then a month and a day in any 1- or 2-digit split."""
    year, rest = int(digits[:4]), digits[4:]
    if not 1990 <= year <= 2060:
        return False
    for cut in (1, 2):
        month, day = rest[:cut], rest[cut:]
        if 1 <= len(day) <= 2 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return True
    return False
