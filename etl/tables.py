"""Tables flattened into text: each cell a figure with its row's label, its column's year and unit.

Reports carry their tables as lines whose cells are split by pipes or by spaces (tabs, full-width
spaces). Three shapes are read, and only these, because a wrong year or figure is worse than a gap:
- a header line naming the columns, then one row a line: `项目 2018年 2019年 增幅` / `检查企业(家次) 68 82
  19.5%`; `序号 指标名称 计量单位 2020年 2021年 增减(%)` / `1 行政处罚 起 312 447 43.3`; `信息内容 本年处理
  决定数量` / `| 行政处罚 | 86 |`; `类别 主办(件) 协办(件) 合计(件)` / `人大代表建议 9 12 21`. Section lines
  (`一、安全生产`) inside the table do not end it; any other line that is not a row does.
- a row that names each value's year: `应急演练（场次） 2022年 8,640 2023年 9,215 2024年目标 9,500`;
- a 政府信息公开 table run into one line: `第二十条第（六）项 信息内容 本年处理决定数量 行政处罚 263`.
Growth (增减, 同比) and target (目标, 计划) columns are never values. A column of the report's own year
(本年…, 数量, or role columns without years) gives `year=None`: the extractor uses the document's year.

A `Cell` is a figure with the unit of its cell, else of the unit column, the label (`排查隐患(项)`,
`储备物资（万件套）`: 万 multiplies) or the column header; its `label` is the noun the catalog's rules read,
with a role or level column's word before it (`主办 人大代表建议`) so the dims are named too. Which rows
become facts is the catalog's call: it only knows its own nouns (行政处罚, never 行政许可).
Everything here is linear in the text: lines and tokens are scanned once, regexes run on short tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from etl.quantities import Quantity, parse_quantity

MAX_LINE = 10_000  # a longer line is prose or page dump, never a table row
MAX_TOKEN = 30  # a longer token is a sentence, never a label or a column name
Tok = tuple[int, int, str]  # start, end, text (spans index the document)

SPLIT_PIPES = re.compile(r"[|｜]")
WORD = re.compile(r"\S+")
PUNCT = re.compile(r"[，,。；;！!？?：:“”\"《》]")
DIGIT = re.compile(r"\d")
CJK = re.compile(r"[\u4e00-\u9fff]")
VALUE_LIKE = re.compile(r"[≤≥<>＜＞约~～+\-−]?\d[\d,.]*(?:[%‰]|(?P<unit>[\u4e00-\u9fff]{1,4}))?")
PLACEHOLDERS = frozenset(
    {"", "—", "——", "-", "--", "－", "/", "／", "\\", "…", "……", "*", "×", "无", "空", "—/—"}
)
SERIAL = re.compile(
    r"\d{1,3}[.、]?|[（(]?[\d一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.]"
)
SECTION = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）])[^\d，。；;]{0,24}"
)

GROWTH = re.compile(r"增减|增幅|增长|增加|减少|同比|环比|比上年|较上年|比去年|较去年|变化|变动|升降|±")
TARGET = re.compile(r"目标|计划|预计|预期|任务|规划|力争")
PLAN_LABEL = re.compile(r"目标|计划|预计|预期|力争|同比|增幅|增减|增长率|比上年|较上年")
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
# heads of a label column that may open a table in the middle of a line (信息公开 tables run together)
LABEL_HEADS = frozenset(
    {"信息内容", "指标名称", "指标", "主要指标", "统计指标", "项目", "项目名称", "类别", "类型", "事项"}
)
HEAD_RE = re.compile(
    r"(?<![^\s|｜])(?:" + "|".join(sorted(LABEL_HEADS, key=len, reverse=True)) + r")(?=[\s|｜])"
)
WINDOW = 2_000  # how far a run-together table may reach after its label head on an unbroken line
# column words that name a dim (role, level): put before the row's label so the catalog's dim words see them
ROLE_WORDS = {"主办", "牵头办理", "牵头", "协办", "会办", "汇办", "参办", "分办", "配合办理", "承办"}
LEVEL_WORDS = {"市级", "市本级", "县级", "区级", "县区级", "区县级", "乡镇级", "乡镇", "街道", "镇街", "村级"}
DIM_WORDS = frozenset(ROLE_WORDS | LEVEL_WORDS | {"社区级", "社区", "村居"})
TOTAL_WORDS = frozenset({"合计", "小计", "总计", "共计", "总数", "合计数"})
# a column of the report's own year: 本年处理决定数量, 本年收费金额（单位：万元）; or a bare 数量
MEASURE = re.compile(r"(?:本年度?|今年|当年|全年)[\u4e00-\u9fff]{0,10}|数量|件数|次数|金额|数值|数据")
MEASURE_HINT = re.compile(r"本年|今年|当年|全年|数量|件数|次数|金额|数值|数据|合计|小计|总计|共计|总数")
PAREN_TAIL = re.compile(r"[（(]([^()（）]{0,12}(?:[（(][^()（）]{0,4}[)）])?)[)）]$")


@dataclass(frozen=True)
class Cell:
    """One figure of a table: `year` None means the report's own year (本年, or no year column)."""

    quantity: Quantity
    label: str
    year: int | None
    row: tuple[int, int]


@dataclass(frozen=True)
class Column:
    kind: str  # serial | label | unit | value | skip
    year: int | None = None
    word: str = ""  # a dim word read with the label (主办)
    unit: tuple[float, str | None] | None = None  # from the header: 主办(件), 本年收费金额（单位：万元）


SERIAL_COL, LABEL_COL, UNIT_COL, SKIP_COL = Column("serial"), Column("label"), Column("unit"), Column("skip")


def table_cells(text: str, quantities: list[Quantity]) -> list[Cell]:
    """The figures of every table the text carries in one of the shapes above; other figures are prose."""
    by_start = {q.start: q for q in quantities}
    found: list[Cell] = []
    columns: list[Column] | None = None  # the open table's header
    for line in re.finditer(r"[^\n]+", text):
        if len(line.group(0)) > MAX_LINE:
            columns = None
            found += _long_line(line.group(0), line.start(), by_start)
            continue
        toks, pipe = _tokens(line.group(0), line.start())
        if not toks or (pipe and not any(t[2] for t in toks)):
            continue  # blank lines and empty rows keep the table open
        header = _header(toks, pipe)
        if header:
            columns = header
            continue
        if columns:
            cells = _row(toks, columns, pipe, by_start, _line_span(line))
            if cells is not None:
                found += cells
                continue
            if SECTION.fullmatch(" ".join(t[2] for t in toks)):
                continue
            columns = None
        found += _year_pairs(toks, by_start, _line_span(line)) or _run_together(toks, by_start)
    return found


def _long_line(line: str, base: int, by_start: dict[int, Quantity]) -> list[Cell]:
    """A page or a whole report without line breaks: only 信息公开 tables run together are looked for,
    in a window after each label head, and each stretch of the line is read once."""
    cells: list[Cell] = []
    m = HEAD_RE.search(line)
    while m:
        window = line[m.start() : m.start() + WINDOW]
        cut = max(window.rfind(" "), window.rfind("|"))
        window = window[:cut] if len(window) == WINDOW and cut > 0 else window
        if DIGIT.search(window) and MEASURE_HINT.search(window):
            cells += _run_together(_tokens(window, base + m.start())[0], by_start)
        m = HEAD_RE.search(line, m.start() + max(len(window), 1))
    return cells


def _line_span(line: re.Match) -> tuple[int, int]:
    s = line.group(0)
    return line.start() + len(s) - len(s.lstrip()), line.start() + len(s.rstrip())


def _tokens(line: str, base: int) -> tuple[list[Tok], bool]:
    """Cells split by pipes (a leading and a trailing pipe open and close the row) or by white space."""
    if not SPLIT_PIPES.search(line):
        return [(base + m.start(), base + m.end(), m.group(0)) for m in WORD.finditer(line)], False
    toks, pos = [], 0
    for part in SPLIT_PIPES.split(line):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        toks.append((base + pos + lead, base + pos + lead + len(stripped), stripped))
        pos += len(part) + 1
    if toks and not toks[0][2]:
        toks = toks[1:]
    if toks and not toks[-1][2]:
        toks = toks[:-1]
    return toks, True


@lru_cache(maxsize=4096)
def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip() if len(s) <= MAX_TOKEN else s


@lru_cache(maxsize=4096)
def _value_like(s: str) -> bool:
    """A figure (`120`, `120场`), a signed change, a bound (≤90) or a placeholder: what a value cell holds."""
    if len(s) > MAX_TOKEN:
        return False
    m = VALUE_LIKE.fullmatch(_norm(s))
    return s in PLACEHOLDERS or bool(m and (not m.group("unit") or _unit(m.group("unit"))))


@lru_cache(maxsize=512)
def _unit(s: str) -> tuple[float, str | None] | None:
    """`万件套` -> (10000, 件套), `（单位：万元）` -> (10000, 元), `%` -> (1, %); None for what is no unit."""
    s = _norm(s).strip("()（）").removeprefix("单位").lstrip(":：").strip()
    s = re.sub(r"[()（）]", "", s)  # 件(套) is 件套
    if not s or len(s) > 6 or s in PLACEHOLDERS:
        return None
    q = parse_quantity("1" + s)
    if q is None or q.approx or q.start != 0 or (q.unit is None and q.value == 1):
        return None
    return q.value, q.unit


def _split_paren(s: str) -> tuple[str, tuple[float, str | None] | None]:
    """`排查隐患(项)` -> (排查隐患, (1, 项)); a bracket that is no unit stays in the name (队伍（市级）)."""
    m = PAREN_TAIL.search(s)
    unit = _unit(m.group(1)) if m else None
    return (s[: m.start()].rstrip(), unit) if m and unit else (s, None)


@lru_cache(maxsize=4096)
def _column(text: str) -> Column | None:
    """What a header cell says its column holds; None for what is no column name (a figure, a sentence)."""
    s = _norm(text)
    if BARE_YEAR.fullmatch(s):
        return Column("value", year=int(s))
    if not s or len(s) > 20 or PUNCT.search(s.replace("：", "").replace(":", "")) or _value_like(s):
        return None
    if GROWTH.search(s) or TARGET.search(s) or PART_OF_YEAR.fullmatch(s):
        return SKIP_COL
    m = YEAR_COL.fullmatch(s)
    if m:
        return Column(
            "value", year=int(m.group(1)), unit=_unit(m.group("paren")) if m.group("paren") else None
        )
    if s in SERIAL_HEADS:
        return SERIAL_COL
    if UNIT_HEAD.fullmatch(s):
        return UNIT_COL
    word, unit = _split_paren(s)
    if word in DIM_WORDS:
        return Column("value", word=word, unit=unit)
    if word in TOTAL_WORDS:
        return Column("value", unit=unit)
    if MEASURE.fullmatch(word):
        return Column("value", unit=unit or _measure_unit(word))
    return SKIP_COL if CJK.search(s) and not re.search(r"\d", s) and len(s) <= 12 else None


def _measure_unit(word: str) -> tuple[float, str | None] | None:
    """本年处理决定数量 counts decisions (件); 件数, 次数 say their unit; 金额 without a unit says none."""
    if "决定" in word or "件" in word:
        return 1.0, "件"
    return (1.0, "次") if "次数" in word else None


def _header(toks: list[Tok], pipe: bool) -> list[Column] | None:
    """The columns of a header line; None for a line that is not one."""
    if not 2 <= len(toks) <= 16:
        return None
    cols: list[Column] = []
    i = 0
    if _norm(toks[0][2]) in SERIAL_HEADS:
        cols.append(SERIAL_COL)
        i = 1
    head = _column(toks[i][2]) if i < len(toks) else None
    if i < len(toks) and ((pipe and not toks[i][2]) or (head is SKIP_COL and len(_norm(toks[i][2])) <= 8)):
        cols.append(LABEL_COL)
        i += 1
    rest = [_column(t[2]) for t in toks[i:]]
    if not rest or any(c is None or c.kind in ("serial", "label") for c in rest):
        return None
    values = [c for c in rest if c and c.kind == "value"]
    if LABEL_COL not in cols:
        if sum(c.year is not None for c in values) < 2:
            return None  # no label head (项目): only a line of years is a header
        cols.append(LABEL_COL)
    skips = sum(c is SKIP_COL for c in rest)
    if not values or skips > len(values) + 1:
        return None
    settled = [_settled(c, rest) for c in rest if c]
    return cols + settled if any(c.kind == "value" for c in settled) else None


def _settled(col: Column, row: list[Column | None]) -> Column:
    """A total beside year columns sums the years; two 本年 columns (制发, 废止) say different things:
    neither is a year's figure, so both are skipped."""
    if col.kind != "value" or col.year is not None or col.word:
        return col
    plain = [c for c in row if c and c.kind == "value" and c.year is None and not c.word]
    has_years = any(c and c.year is not None for c in row)
    return SKIP_COL if has_years or len(plain) > 1 else col


def _label(toks: list[Tok]) -> str | None:
    """The row's label as written (an exact slice of the text), or None where it cannot be one."""
    if not toks or any(_value_like(t[2]) for t in toks):
        return None
    text = " ".join(t[2] for t in toks)
    if len(text) > 40 or not CJK.search(text) or PUNCT.search(text):
        return None
    return text


def _row(
    toks: list[Tok], cols: list[Column], pipe: bool, by_start: dict[int, Quantity], span: tuple[int, int]
) -> list[Cell] | None:
    """The cells of one row under `cols`; None where the line is not a row of this table."""
    at = cols.index(LABEL_COL)
    left, right = cols[:at], cols[at + 1 :]
    if left and (len(toks) < len(cols) if pipe else not SERIAL.fullmatch(_norm(toks[0][2]))):
        left = []  # a 合计 row has no serial number
    if len(toks) < len(left) + len(right) + 1:
        return None
    label_toks = toks[len(left) : len(toks) - len(right)]
    label = _label(label_toks)
    if label is None or (pipe and len(label_toks) != 1):
        return None
    values = toks[len(toks) - len(right) :]
    unit: tuple[float, str | None] | None = None
    for col, tok in zip(right, values, strict=True):
        if col.kind == "unit":
            unit = _unit(tok[2])
            if unit is None and tok[2] not in PLACEHOLDERS:
                return None
        elif not _value_like(tok[2]):
            return None
    if PLAN_LABEL.search(label):
        return []  # a target or change row: a row of the table, but never a result
    if unit is None and len(label_toks) > 1 and _unit(label_toks[-1][2]):
        unit, label = _unit(label_toks[-1][2]), _label(label_toks[:-1]) or label  # 检查企业 家次 500 640
    noun, label_unit = _split_paren(label)
    cells = []
    for col, tok in zip(right, values, strict=True):
        if col.kind == "value":
            q = _quantity(tok, by_start, unit or label_unit or col.unit)
            if q:
                cells.append(Cell(q, f"{col.word} {noun}" if col.word else noun, col.year, span))
    return cells


def _quantity(
    tok: Tok, by_start: dict[int, Quantity], unit: tuple[float, str | None] | None
) -> Quantity | None:
    """The figure that is the whole cell, with the row's or column's unit where the cell gives none."""
    q = by_start.get(tok[0])
    if q is None or q.end != tok[1]:
        return None
    if q.unit or unit is None:
        return q
    factor, name = unit
    return replace(q, value=q.value * factor, unit=name)


def _year_pairs(toks: list[Tok], by_start: dict[int, Quantity], span: tuple[int, int]) -> list[Cell]:
    """`应急演练（场次） 2022年 8,640 2023年 9,215 2024年目标 9,500`: each value takes the year before it."""
    first = next((i for i in range(len(toks)) if _pair_head(toks[i][2])), -1)
    label = _label(toks[:first]) if first > 0 else None
    pairs = toks[first:]
    if label is None or len(pairs) < 4 or len(pairs) % 2:
        return []
    heads = [_pair_head(t[2]) for t in pairs[::2]]
    if not all(heads) or not all(_value_like(t[2]) for t in pairs[1::2]) or PLAN_LABEL.search(label):
        return []
    if not any(h.kind == "value" for h in heads if h):
        return []
    noun, unit = _split_paren(label)
    cells = []
    for head, tok in zip(heads, pairs[1::2], strict=True):
        if head and head.kind == "value":
            q = _quantity(tok, by_start, unit or head.unit)
            if q:
                cells.append(Cell(q, noun, head.year, span))
    return cells


def _pair_head(text: str) -> Column | None:
    """A year, target or change column name: what may stand before a value in a year-labelled row."""
    if _value_like(text) and not BARE_YEAR.fullmatch(_norm(text)):
        return None
    col = _column(text)
    if col is SKIP_COL:
        return col if GROWTH.search(_norm(text)) or TARGET.search(_norm(text)) else None
    return col if col and col.kind == "value" and col.year is not None else None


def _run_together(toks: list[Tok], by_start: dict[int, Quantity]) -> list[Cell]:
    """A 信息公开 table whose header and rows share one line: `信息内容 本年处理决定数量 行政处罚 263`.

    Only columns of the report's own year, with no dim words: the text after a figure on such a line
    names other rows, which the extractor would read as that figure's dims.
    """
    n = len(toks)
    is_value = [_value_like(t[2]) for t in toks]
    is_head = [not v and _norm(t[2]) in LABEL_HEADS for t, v in zip(toks, is_value, strict=True)]
    next_value = [n] * (n + 1)
    for k in range(n - 1, -1, -1):
        next_value[k] = k if is_value[k] else next_value[k + 1]
    cells: list[Cell] = []
    i = 0
    while i < n:
        j = next_value[i + 1] if is_head[i] else n
        if j >= n or not 3 <= j - i <= 13:
            i += 1
            continue
        found = [_column(t[2]) for t in toks[i + 1 : j - 1]]
        cols = [_settled(c, found) for c in found if c and c.kind in ("value", "skip")]
        usable = len(cols) == len(found) and all(c.year is None and not c.word for c in cols)
        if not usable or not any(c.kind == "value" for c in cols):
            i += 1
            continue
        i = _rows_in_line(toks, j - 1, cols, by_start, is_value, is_head, cells)
    return cells


def _rows_in_line(
    toks: list[Tok],
    k: int,
    cols: list[Column],
    by_start: dict[int, Quantity],
    is_value: list[bool],
    is_head: list[bool],
    cells: list[Cell],
) -> int:
    """Read `label v1 … vN` rows from `toks[k]` on; returns where they stop (a new header, or no row)."""
    n = len(toks)
    while k < n:
        start = k
        while k < n and not is_value[k] and not is_head[k]:
            k += 1
        if k == start and k < n and is_head[k]:
            return k  # the next table's header
        values = toks[k : k + len(cols)]
        label = _label(toks[start:k])
        if label is None or len(values) < len(cols) or not all(is_value[k : k + len(cols)]):
            return max(k, start + 1)
        noun, unit = _split_paren(label)
        span = (toks[start][0], values[-1][1])
        for col, tok in zip(cols, values, strict=True):
            q = _quantity(tok, by_start, unit or col.unit) if col.kind == "value" else None
            if q and not PLAN_LABEL.search(label):
                cells.append(Cell(q, noun, None, span))
        k += len(cols)
    return k
