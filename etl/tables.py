"""Tables flattened into text: each cell a figure with its row's label, its column's year and unit.

Reports carry their tables as lines whose cells are split by pipes or by spaces (tabs, full-width
spaces). Three shapes are read, and only these, because a wrong year or figure is worse than a gap:
- a header line naming the columns, then one row a line: `项目 2018年 2019年 增幅` / `检查企业(家次) 68 82
  19.5%`; `序号 指标名称 计量单位 2020年 2021年 增减(%)` / `1 行政处罚 起 312 447 43.3`; `信息内容 本年处理
  决定数量` / `| 行政处罚 | 86 |`; `类别 主办(件) 协办(件) 合计(件)` / `人大代表建议 9 12 21`. Section lines
  (`一、安全生产`) inside the table do not end it; any other line that is not a row does.
  The header may stand over two lines (merged cells: `指标 | 年度 | 增减` over `2022年 | 2023年`) and a
  target table's 实际完成值 column is the report's year: `etl/table_headers.py` reads header lines.
  A PDF printed from a browser may put a row's figures on lines of their own after its label; such rows
  are kept only when every one in the table is whole (a scrambled table gives none).
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
from dataclasses import dataclass

from etl.quantities import Quantity
from etl.table_headers import (
    BARE_YEAR,
    CJK,
    DIGIT,
    GROWTH,
    LABEL_COL,
    PLACEHOLDERS,
    PUNCT,
    SKIP_COL,
    TARGET,
    Column,
    Tok,
    column,
    header,
    norm,
    settled,
    split_paren,
    two_row_header,
    unit_of,
    value_like,
)

MAX_LINE = 10_000  # a longer line is prose or page dump, never a table row

SPLIT_PIPES = re.compile(r"[|｜]")
WORD = re.compile(r"\S+")
SERIAL = re.compile(
    r"\d{1,3}[.、]?|[（(]?[\d一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.]"
)
SECTION = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）])[^\d，。；;]{0,24}"
)

PLAN_LABEL = re.compile(r"目标|计划|预计|预期|力争|同比|增幅|增减|增长率|比上年|较上年")
# heads of a label column that may open a table in the middle of a line (信息公开 tables run together)
LABEL_HEADS = frozenset(
    {"信息内容", "指标名称", "指标", "主要指标", "统计指标", "项目", "项目名称", "类别", "类型", "事项"}
)
HEAD_RE = re.compile(
    r"(?<![^\s|｜])(?:" + "|".join(sorted(LABEL_HEADS, key=len, reverse=True)) + r")(?=[\s|｜])"
)
WINDOW = 2_000  # how far a run-together table may reach after its label head on an unbroken line
MEASURE_HINT = re.compile(r"本年|今年|当年|全年|数量|件数|次数|金额|数值|数据|合计|小计|总计|共计|总数")


@dataclass(frozen=True)
class Cell:
    """One figure of a table: `year` None means the report's own year (本年, or no year column)."""

    quantity: Quantity
    label: str
    year: int | None
    row: tuple[int, int]


def table_cells(text: str, quantities: list[Quantity]) -> list[Cell]:
    """The figures of every table the text carries in one of the shapes above; other figures are prose."""
    by_start = {q.start: q for q in quantities}
    found: list[Cell] = []
    table: _Table | None = None  # the open table
    before: tuple[list[Tok], bool] | None = None  # the last line that was not blank: a header's first line?
    for line in re.finditer(r"[^\n]+", text):
        if len(line.group(0)) > MAX_LINE:
            found += table.close() if table else []
            table, before = None, None
            found += _long_line(line.group(0), line.start(), by_start)
            continue
        toks, pipe = _tokens(line.group(0), line.start())
        if not toks or (pipe and not any(t[2] for t in toks)):
            continue  # blank lines and empty rows keep the table open
        first, before = before, (toks, pipe) if len(toks) <= 16 else None
        if len(toks) == 1 and table is None:
            continue  # most lines, prose: no header (two cells at least), year pairs or run-together table
        cols = (first and first[1] == pipe and two_row_header(first[0], toks, pipe)) or header(toks, pipe)
        if cols:
            found += table.close() if table else []
            table = _Table(cols)
            continue
        if table:
            if table.take(toks, pipe, by_start, _line_span(line), found):
                continue
            found += table.close()
            table = None
        found += _year_pairs(toks, by_start, _line_span(line)) or _run_together(toks, by_start)
    return found + (table.close() if table else [])


class _Table:
    """An open table: its columns, and the rows a PDF printed across lines (`执法检查企业（家次） 2,105`,
    then `2,486`, then `+18.1%`), kept aside until the table ends. Those are read only where every such
    row is whole: a row cut short by the next label, a figure left over or a row that is not finished
    when the table ends means the PDF scrambled the table (column by column), and none of them is kept."""

    def __init__(self, cols: list[Column]):
        self.cols = cols
        at = cols.index(LABEL_COL)
        right = cols[at + 1 :]
        spreadable = at == 0 and all(c.kind in ("value", "skip") for c in right)
        self.need = len(right) if spreadable else 0  # values a row printed across lines must reach
        self.pending: tuple[list[Tok], list[Tok]] | None = None  # label and values of a row not yet whole
        self.spread: list[Cell] = []
        self.spread_rows = 0
        self.scrambled = False

    def take(
        self,
        toks: list[Tok],
        pipe: bool,
        by_start: dict[int, Quantity],
        span: tuple[int, int],
        found: list[Cell],
    ) -> bool:
        """Read one line as part of the table; False where the line ends it."""
        values_only = all(value_like(t[2]) for t in toks)
        if self.pending is not None:
            label, values = self.pending[0], self.pending[1] + toks
            if not values_only or pipe or len(values) > self.need:
                self.scrambled = True
                return False
            self.pending = (label, values) if len(values) < self.need else None
            if self.pending is None:
                self.spread_rows += 1
                self.spread += _row(label + values, self.cols, False, by_start, (label[0][0], span[1])) or []
            return True
        cells = _row(toks, self.cols, pipe, by_start, span)
        if cells is not None:
            found += cells
            return True
        if SECTION.fullmatch(" ".join(t[2] for t in toks)):
            return True
        if self.need and not pipe and not values_only:
            k = next((i for i, t in enumerate(toks) if value_like(t[2])), len(toks))
            label = _label(toks[:k])
            rest = toks[k:]
            if (
                label
                and not DIGIT.search(label)
                and len(rest) < self.need
                and all(value_like(t[2]) for t in rest)
            ):
                self.pending = (toks[:k], rest)
                return True
        if values_only and self.spread_rows:
            self.scrambled = True  # a figure left over after the rows printed across lines
        return False

    def close(self) -> list[Cell]:
        return [] if self.scrambled or self.pending is not None else self.spread


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


def _label(toks: list[Tok]) -> str | None:
    """The row's label as written (an exact slice of the text), or None where it cannot be one."""
    if not toks or any(value_like(t[2]) for t in toks):
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
    if left and (len(toks) < len(cols) if pipe else not SERIAL.fullmatch(norm(toks[0][2]))):
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
            unit = unit_of(tok[2])
            if unit is None and tok[2] not in PLACEHOLDERS:
                return None
        elif not value_like(tok[2]) and not (col.kind == "note" and _note(tok[2])):
            return None
    if PLAN_LABEL.search(label):
        return []  # a target or change row: a row of the table, but never a result
    if unit is None and len(label_toks) > 1 and unit_of(label_toks[-1][2]):
        unit, label = unit_of(label_toks[-1][2]), _label(label_toks[:-1]) or label  # 检查企业 家次 500 640
    noun, label_unit = split_paren(label)
    cells = []
    for col, tok in zip(right, values, strict=True):
        if col.kind == "value":
            q = _quantity(tok, by_start, unit or label_unit or col.unit)
            if q:
                cells.append(Cell(q, f"{col.word} {noun}" if col.word else noun, col.year, span))
    return cells


def _note(text: str) -> bool:
    """What a 完成情况 column holds: a few words (超额完成, 已完成), no figure."""
    return len(text) <= 8 and bool(CJK.search(text)) and not DIGIT.search(text) and not PUNCT.search(text)


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
    return q._replace(value=q.value * factor, unit=name)


def _year_pairs(toks: list[Tok], by_start: dict[int, Quantity], span: tuple[int, int]) -> list[Cell]:
    """`应急演练（场次） 2022年 8,640 2023年 9,215 2024年目标 9,500`: each value takes the year before it."""
    first = next((i for i in range(len(toks)) if _pair_head(toks[i][2])), -1)
    label = _label(toks[:first]) if first > 0 else None
    pairs = toks[first:]
    if label is None or len(pairs) < 4 or len(pairs) % 2:
        return []
    heads = [_pair_head(t[2]) for t in pairs[::2]]
    if not all(heads) or not all(value_like(t[2]) for t in pairs[1::2]) or PLAN_LABEL.search(label):
        return []
    if not any(h.kind == "value" for h in heads if h):
        return []
    noun, unit = split_paren(label)
    cells = []
    for head, tok in zip(heads, pairs[1::2], strict=True):
        if head and head.kind == "value":
            q = _quantity(tok, by_start, unit or head.unit)
            if q:
                cells.append(Cell(q, noun, head.year, span))
    return cells


def _pair_head(text: str) -> Column | None:
    """A year, target or change column name: what may stand before a value in a year-labelled row."""
    if value_like(text) and not BARE_YEAR.fullmatch(norm(text)):
        return None
    col = column(text)
    if col is SKIP_COL:
        return col if GROWTH.search(norm(text)) or TARGET.search(norm(text)) else None
    return col if col and col.kind == "value" and col.year is not None else None


def _run_together(toks: list[Tok], by_start: dict[int, Quantity]) -> list[Cell]:
    """A 信息公开 table whose header and rows share one line: `信息内容 本年处理决定数量 行政处罚 263`.

    Only columns of the report's own year, with no dim words: the text after a figure on such a line
    names other rows, which the extractor would read as that figure's dims.
    """
    n = len(toks)
    is_value = [value_like(t[2]) for t in toks]
    is_head = [not v and norm(t[2]) in LABEL_HEADS for t, v in zip(toks, is_value, strict=True)]
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
        found = [column(t[2]) for t in toks[i + 1 : j - 1]]
        cols = [settled(c, found) for c in found if c and c.kind in ("value", "skip")]
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
        noun, unit = split_paren(label)
        span = (toks[start][0], values[-1][1])
        for col, tok in zip(cols, values, strict=True):
            q = _quantity(tok, by_start, unit or col.unit) if col.kind == "value" else None
            if q and not PLAN_LABEL.search(label):
                cells.append(Cell(q, noun, None, span))
        k += len(cols)
    return k
