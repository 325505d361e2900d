"""The header lines of flattened tables: what each column holds (label, unit, a year's or a role's value,
nothing), read from one header line or from two (merged cells).

A header cell names a year (`2022年`, `2023年实际`), a role or level (`主办(件)`, `市级`), a total, a
column of the report's own year (`本年处理决定数量`), the unit or serial column, or a column that holds no
result (增减, 同比, 目标, 计划). In a target table (目标值 beside 实际完成值, 计划 beside 完成) the actual
column is the report's year; its 完成情况 column may hold words (超额完成) and is never a value.

Two header lines come from merged cells (HTML rowspan/colspan, Word's vertical merge): `指标 | 年度 |
增减（%）` over `2022年 | 2023年`, `类别 | 承办方式 | 合计（件）` over `主办（件） | 协办（件）`. The one
group cell of the first line (年度, 承办方式: a column name that is no column of its own) stands for the
columns of the second, in order; cells left empty by the merge are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from etl.quantities import parse_quantity

MAX_TOKEN = 30  # a longer token is a sentence, never a label or a column name
Tok = tuple[int, int, str]  # start, end, text (spans index the document)

PUNCT = re.compile(r"[，,。；;！!？?：:“”\"《》]")
DIGIT = re.compile(r"\d")
CJK = re.compile(r"[\u4e00-\u9fff]")
VALUE_LIKE = re.compile(r"[≤≥<>＜＞约~～+\-−]?\d[\d,.]*(?:[%‰]|(?P<unit>[\u4e00-\u9fff]{1,4}))?")
PLACEHOLDERS = frozenset(
    {"", "—", "——", "-", "--", "－", "/", "／", "\\", "…", "……", "*", "×", "无", "空", "—/—"}
)
GROWTH = re.compile(r"增减|增幅|增长|增加|减少|同比|环比|比上年|较上年|比去年|较去年|变化|变动|升降|±")
TARGET = re.compile(r"目标|计划|预计|预期|任务|规划|力争")
YEAR_COL = re.compile(
    r"((?:19|20)\d{2})(?:年度?)?(?:数据|数|实际|实际完成|完成数?|完成情况|全年|快报数?|统计数?)?"
    r"(?P<paren>[（(][^()（）]{0,12}[)）])?"
)
PART_OF_YEAR = re.compile(
    r"(?:19|20)\d{2}年[^年]{0,8}(?:月|季度|半年)[^年]{0,4}"
)  # 2023年1-6月: not the year
BARE_YEAR = re.compile(r"(?:19|20)\d{2}")
UNIT_HEAD = re.compile(r"(?:计量|统计)?单位")
SERIAL_HEADS = frozenset({"序号", "编号", "序"})
# column words that name a dim (role, level): put before the row's label so the catalog's dim words see them
ROLE_WORDS = {"主办", "牵头办理", "牵头", "协办", "会办", "汇办", "参办", "分办", "配合办理", "承办"}
LEVEL_WORDS = {"市级", "市本级", "县级", "区级", "县区级", "区县级", "乡镇级", "乡镇", "街道", "镇街", "村级"}
DIM_WORDS = frozenset(ROLE_WORDS | LEVEL_WORDS | {"社区级", "社区", "村居"})
TOTAL_WORDS = frozenset({"合计", "小计", "总计", "共计", "总数", "合计数"})
# a column of the report's own year: 本年处理决定数量, 本年收费金额（单位：万元）; or a bare 数量
MEASURE = re.compile(r"(?:本年度?|今年|当年|全年)[\u4e00-\u9fff]{0,10}|数量|件数|次数|金额|数值|数据")
# the actual column of a target table (目标值 | 实际完成值); a result only beside a target column
ACTUAL = re.compile(r"(?:实际)?(?:完成|实现)(?:值|数|数值|情况值)?|实际(?:值|数|数值)?")
# a column of words about the row (完成情况 超额完成, 备注): never a value, may hold text
NOTE = re.compile(r"(?:完成|达标|进展|办理|落实)(?:情况|进度|状态)|完成率|达标率|备注|说明|进度|评价")
# the cell of a first header line that stands over the columns of the second (merged cells)
GROUP = re.compile(r"年度|年份|年度数据|统计年度|承办方式|承办数量|办理方式|办理数量|承办类型|数量|级别|层级")
PAREN_TAIL = re.compile(r"[（(]([^()（）]{0,12}(?:[（(][^()（）]{0,4}[)）])?)[)）]$")


@dataclass(frozen=True)
class Column:
    kind: str  # serial | label | unit | value | skip | note | actual (value beside a target column)
    year: int | None = None
    word: str = ""  # a dim word read with the label (主办)
    unit: tuple[float, str | None] | None = None  # from the header: 主办(件), 本年收费金额（单位：万元）


SERIAL_COL, LABEL_COL, UNIT_COL, SKIP_COL = Column("serial"), Column("label"), Column("unit"), Column("skip")
NOTE_COL = Column("note")


@lru_cache(maxsize=4096)
def norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip() if len(s) <= MAX_TOKEN else s


@lru_cache(maxsize=4096)
def value_like(s: str) -> bool:
    """A figure (`120`, `120场`), a signed change, a bound (≤90) or a placeholder: what a value cell holds."""
    if len(s) > MAX_TOKEN:
        return False
    m = VALUE_LIKE.fullmatch(norm(s))
    return s in PLACEHOLDERS or bool(m and (not m.group("unit") or unit_of(m.group("unit"))))


@lru_cache(maxsize=512)
def unit_of(s: str) -> tuple[float, str | None] | None:
    """`万件套` -> (10000, 件套), `（单位：万元）` -> (10000, 元), `%` -> (1, %); None for what is no unit."""
    s = norm(s).strip("()（）").removeprefix("单位").lstrip(":：").strip()
    s = re.sub(r"[()（）]", "", s)  # 件(套) is 件套
    if not s or len(s) > 6 or s in PLACEHOLDERS or DIGIT.search(s):
        return None
    q = parse_quantity("1" + s)
    if q is None or q.approx or q.start != 0 or (q.unit is None and q.value == 1):
        return None
    return q.value, q.unit


def split_paren(s: str) -> tuple[str, tuple[float, str | None] | None]:
    """`排查隐患(项)` -> (排查隐患, (1, 项)); a bracket that is no unit stays in the name (队伍（市级）)."""
    m = PAREN_TAIL.search(s)
    unit = unit_of(m.group(1)) if m else None
    return (s[: m.start()].rstrip(), unit) if m and unit else (s, None)


@lru_cache(maxsize=4096)
def column(text: str) -> Column | None:
    """What a header cell says its column holds; None for what is no column name (a figure, a sentence)."""
    s = norm(text)
    if BARE_YEAR.fullmatch(s):
        return Column("value", year=int(s))
    if not s or len(s) > 20 or PUNCT.search(s.replace("：", "").replace(":", "")) or value_like(s):
        return None
    if GROWTH.search(s) or TARGET.search(s) or PART_OF_YEAR.fullmatch(s):
        return SKIP_COL
    m = YEAR_COL.fullmatch(s)
    if m:
        return Column(
            "value", year=int(m.group(1)), unit=unit_of(m.group("paren")) if m.group("paren") else None
        )
    if s in SERIAL_HEADS:
        return SERIAL_COL
    if UNIT_HEAD.fullmatch(s):
        return UNIT_COL
    word, unit = split_paren(s)
    if word in DIM_WORDS:
        return Column("value", word=word, unit=unit)
    if word in TOTAL_WORDS:
        return Column("value", unit=unit)
    if MEASURE.fullmatch(word):
        return Column("value", unit=unit or _measure_unit(word))
    if ACTUAL.fullmatch(word):
        return Column("actual", unit=unit)
    if NOTE.fullmatch(word):
        return NOTE_COL
    return SKIP_COL if CJK.search(s) and not DIGIT.search(s) and len(s) <= 12 else None


def _measure_unit(word: str) -> tuple[float, str | None] | None:
    """本年处理决定数量 counts decisions (件); 件数, 次数 say their unit; 金额 without a unit says none."""
    if "决定" in word or "件" in word:
        return 1.0, "件"
    return (1.0, "次") if "次数" in word else None


def header(toks: list[Tok], pipe: bool) -> list[Column] | None:
    """The columns of a header line; None for a line that is not one."""
    if not 2 <= len(toks) <= 16:
        return None
    cols: list[Column] = []
    i = 0
    if norm(toks[0][2]) in SERIAL_HEADS:
        cols.append(SERIAL_COL)
        i = 1
    head = column(toks[i][2]) if i < len(toks) else None
    if i < len(toks) and ((pipe and not toks[i][2]) or (head is SKIP_COL and len(norm(toks[i][2])) <= 8)):
        cols.append(LABEL_COL)
        i += 1
    rest = [column(t[2]) for t in toks[i:]]
    if not rest or any(c is None or c.kind in ("serial", "label") for c in rest):
        return None
    targets = any(TARGET.search(norm(t[2])) for t in toks[i:])
    years = any(c and c.year is not None for c in rest)
    rest = [_actual(c, targets and not years) for c in rest if c]
    values = [c for c in rest if c.kind == "value"]
    if LABEL_COL not in cols:
        if sum(c.year is not None for c in values) < 2:
            return None  # no label head (项目): only a line of years is a header
        cols.append(LABEL_COL)
    skips = sum(c.kind in ("skip", "note") for c in rest)
    if not values or skips > len(values) + 1:
        return None
    found = [settled(c, rest) for c in rest]
    return cols + found if any(c.kind == "value" for c in found) else None


def _actual(col: Column, beside_target: bool) -> Column:
    """实际完成值 beside a target column (and no year column) is the report's year's result; alone it
    says too little."""
    if col.kind != "actual":
        return col
    return Column("value", unit=col.unit) if beside_target else SKIP_COL


def settled(col: Column, row: list[Column | None]) -> Column:
    """A total beside year columns sums the years; two 本年 columns (制发, 废止) say different things:
    neither is a year's figure, so both are skipped."""
    if col.kind != "value" or col.year is not None or col.word:
        return col
    plain = [c for c in row if c and c.kind == "value" and c.year is None and not c.word]
    has_years = any(c and c.year is not None for c in row)
    return SKIP_COL if has_years or len(plain) > 1 else col


def two_row_header(first: list[Tok], second: list[Tok], pipe: bool) -> list[Column] | None:
    """The columns of a header over two lines (merged cells): the one group cell of `first` (年度,
    承办方式) is replaced by the cells of `second`, each a year, a role or level, or a total; None where
    the two lines are not such a header."""
    subs = [t for t in second if t[2]]
    sub_cols = [column(t[2]) for t in subs]
    if not 2 <= len(subs) <= 12 or any(c is None or c.kind != "value" for c in sub_cols):
        return None
    if not any(c and (c.year is not None or c.word) for c in sub_cols):
        return None
    groups = [k for k, t in enumerate(first) if _group(t[2])]
    if len(groups) != 1 or groups[0] == 0:
        return None
    g = groups[0]
    _, group_unit = split_paren(norm(first[g][2]))
    merged = header(first[:g] + subs + first[g + 1 :], pipe)
    if merged is None or group_unit is None:
        return merged
    return [Column(c.kind, c.year, c.word, c.unit or group_unit) if c.kind == "value" else c for c in merged]


def _group(text: str) -> bool:
    word, _ = split_paren(norm(text))
    return bool(GROUP.fullmatch(word))
