"""Facts from a document's stored text, each with its evidence and span.

For every quantity in the text (etl/quantities.py) the engine looks at its sentence: the text before the
figure (`left`) and after its unit (`right`), with the sentence's other figures masked as '#' runs. The
first catalog rule whose `before`/`after` regexes fit gives the indicator; dims, scope, period and year
come from words the catalog lists. No indicator, phrase or unit is named here: they are catalog data.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from etl.catalog import Catalog, Dim
from etl.model import Document, Fact
from etl.quantities import Quantity, find_quantities
from etl.rules import CompiledCatalog, IndicatorRules, Rule, compile_catalog
from etl.tables import table_cells

SENTENCE_END = "。！？；;!?\n"
CLAUSE_END = SENTENCE_END + "，,：:"
QUOTES = (("“", "”", 40), ("《", "》", 80), ("「", "」", 40), ('"', '"', 40))
# a year the sentence states for its figures: `2022年,全市…` opening the sentence, or in the figure's clause
STATED_YEAR = re.compile(
    r"(?<![较比与同\d])(20\d{2})年(?:度)?(?!以来|底|初|末|中|\d|(?:工作)?(?:计划|目标))(?P<comma>[，,])?"
)
_compiled: dict[int, tuple[Catalog, CompiledCatalog]] = {}  # by id; holding the catalog keeps its id unique


@dataclass(frozen=True)
class Match:
    rules: IndicatorRules
    rule: Rule
    before: re.Match | None
    after: re.Match | None
    factor: float
    flags: tuple[str, ...]


def extract_facts(doc: Document, catalog: Catalog) -> list[Fact]:
    """Every figure the document gives, including narrower-scope ones (`scope != "area"`)."""
    cc = _compiled_rules(catalog)
    text = doc.text
    quantities = [q for q in find_quantities(text) if not q.is_range]
    masked = _mask(text, quantities)
    sentence_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in SENTENCE_END]
    blocked = _quoted_spans(text) + _plan_sections(text, cc)
    facts = []
    cells = table_cells(text, quantities)
    in_table = {c.quantity.start for c in cells}
    for cell in cells:
        match = _first_match(cc, cell.quantity, cell.label, "", cell.label)
        if match:
            facts.append(_fact(doc, cc, cell.quantity, match, cell.label, cell.label, cell.row, cell.year))
    for q in quantities:
        if q.start in in_table or any(a <= q.start < b for a, b in blocked) or _cut_short(text, q):
            continue
        s_start = sentence_starts[bisect_right(sentence_starts, q.start) - 1]
        s_end = _next_boundary(text, q.end, SENTENCE_END)
        left, right = masked[s_start : q.start], masked[q.end : s_end]
        clause_left = left[_last_boundary(left) :]
        if any(w in clause_left for w in cc.veto_words):
            continue
        match = _first_match(cc, q, left, right, clause_left)
        if match:
            span = _evidence_span(text, q, match, s_start, left)
            facts.append(_fact(doc, cc, q, match, left, clause_left, span, _year(cc, doc, left)))
    return _settle(facts)


def _compiled_rules(catalog: Catalog) -> CompiledCatalog:
    """The catalog's rules compiled once, not once per document."""
    if id(catalog) not in _compiled:
        _compiled[id(catalog)] = (catalog, compile_catalog(catalog))
    return _compiled[id(catalog)][1]


def _cut_short(text: str, q: Quantity) -> bool:
    """A unit-less figure where a scraped text stops may have lost digits too (面积37|36)."""
    return q.unit is None and not text[q.end :].strip()


def _mask(text: str, quantities: list[Quantity]) -> str:
    chars = list(text)
    for q in quantities:
        chars[q.start : q.end] = "#" * (q.end - q.start)
    return "".join(chars)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Slogans, names and titles: “十五条硬措施”, 《…12个部门…》 carry no figures."""
    spans = []
    for open_, close, limit in QUOTES:
        for m in re.finditer(
            re.escape(open_) + f"[^{re.escape(close)}\n]{{0,{limit}}}" + re.escape(close), text
        ):
            spans.append((m.start(), m.end()))
    return spans


def _plan_sections(text: str, cc: CompiledCatalog) -> list[tuple[int, int]]:
    """Sections headed 下一步/工作计划: everything in them is a plan, not a result."""
    heading = re.compile(r"^\s*[一二三四五六七八九十]+、", re.M)
    spans = []
    for m in cc.plan_headings.finditer(text):
        nxt = heading.search(text, m.end())
        spans.append((m.start(), nxt.start() if nxt else len(text)))
    return spans


def _next_boundary(text: str, pos: int, ends: str) -> int:
    for i in range(pos, len(text)):
        if text[i] in ends:
            return i
    return len(text)


def _last_boundary(s: str) -> int:
    """Index just after the last clause boundary in `s` (0 when there is none)."""
    return max((s.rfind(ch) for ch in CLAUSE_END), default=-1) + 1


def _first_match(cc: CompiledCatalog, q: Quantity, left: str, right: str, clause_left: str) -> Match | None:
    for ir in cc.indicators:
        if ir.context and not ir.context.search(left):
            continue
        if any(w in clause_left for w in ir.exclude):
            continue
        for rule in ir.rules:
            factor, flags = _unit_factor(ir, rule, q)
            if factor is None or (rule.context and not rule.context.search(left)):
                continue
            before = rule.before.search(left) if rule.before else None
            after = rule.after.match(right) if rule.after else None
            if (rule.before and not before) or (rule.after and not after):
                continue
            return Match(ir, rule, before, after, factor, flags)
    return None


def _unit_factor(ir: IndicatorRules, rule: Rule, q: Quantity) -> tuple[float | None, tuple[str, ...]]:
    if q.unit is None:
        return (1.0, ("unit_inferred",)) if rule.unitless else (None, ())
    if q.unit not in ir.units or (rule.units and q.unit not in rule.units):
        return None, ()
    return ir.units[q.unit], (("loose_unit",) if q.unit in ir.loose_units else ())


def _evidence_span(text: str, q: Quantity, m: Match, s_start: int, left: str) -> tuple[int, int]:
    """The clause(s) from the rule's noun to the figure (and what the `after` rule read)."""
    start = s_start + (m.before.start() if m.before else len(left))
    start = s_start + _last_boundary(text[s_start:start])
    after_len = len(m.after.group(0)) if m.after else 0
    return start, _next_boundary(text, q.end + after_len, CLAUSE_END)


def _fact(
    doc: Document,
    cc: CompiledCatalog,
    q: Quantity,
    m: Match,
    left: str,
    clause_left: str,
    evidence: tuple[int, int],
    year: int,
) -> Fact:
    ind = m.rules.indicator
    before_text = m.before.group(0) if m.before else ""
    right_clause = doc.text[q.end : _next_boundary(doc.text, q.end, CLAUSE_END + "、(（")]
    after_text = m.after.group(0) if m.after else right_clause
    named = {
        name: _dim_value(cc.catalog.dims[name], before_text, after_text, left, clause_left)
        for name in ind.dims
    }
    dims = {name: value or cc.catalog.dims[name].default for name, value in named.items()}
    ev_start, ev_end = evidence
    period, note = _period(cc, left, doc.year)
    return Fact(
        doc=doc.file_name,
        doc_id=doc.id,
        area=doc.area or "",
        area_code=doc.area_code or "",
        year=year,
        indicator=ind.id,
        dims=dims,
        value=round(q.value * m.factor, 6),
        unit=ind.unit,
        approx=q.approx,
        evidence=doc.text[ev_start:ev_end],
        evidence_start=ev_start,
        start=q.start,
        end=q.end,
        rule=m.rule.id,
        flags=list(m.flags),
        period=period,
        period_note=note,
        scope=m.rule.scope or _scope(cc, m.rules, left, clause_left, unnamed=not any(named.values())),
    )


def _nearest(words: dict[str, tuple[str, ...]], text: str, from_right: bool) -> str | None:
    """The value whose word stands nearest the figure in `text` (longest word on a tie)."""
    best, best_key = None, None
    for value, ws in words.items():
        for w in ws:
            pos = text.rfind(w) if from_right else text.find(w)
            if pos < 0:
                continue
            key = (pos + len(w), len(w)) if from_right else (-pos, len(w))
            if best_key is None or key > best_key:
                best, best_key = value, key
    return best


def _dim_value(dim: Dim, before: str, after: str, left: str, clause_left: str) -> str | None:
    """The dim value the words around the figure name, or None where none is named."""
    window = left if dim.window == "sentence" else clause_left
    return (
        _nearest(dim.words, before, from_right=True)
        or _nearest(dim.words, after, from_right=False)
        or _nearest(dim.words, window, from_right=True)
    )


def _scope(cc: CompiledCatalog, ir: IndicatorRules, left: str, clause_left: str, unnamed: bool) -> str:
    """A narrower scope named to the left of the figure; `part` for a `其中…` figure whose dims name
    nothing that tells it apart from the total it breaks down (其中专业队伍45支 is not the area's teams)."""
    for name, words in (*ir.scope_words.items(), *cc.scopes.items()):
        if name not in ir.ignore_scopes and any(w in left for w in words):
            return name
    if unnamed and any(w in clause_left for w in cc.breakdown_words):
        return "part"
    return "area"


def _period(cc: CompiledCatalog, left: str, doc_year: int | None) -> tuple[str, str | None]:
    """Cumulative (2021年以来 in a 2023 report), partial (截至8月) or the whole year."""
    for name, pattern in (("cumulative", cc.cumulative), ("partial", cc.partial)):
        m = pattern.search(left)
        since = m and m.groupdict().get("since")
        if m and not (since and doc_year and int(since) >= doc_year):
            return name, m.group(0)
    return "year", None


def _year(cc: CompiledCatalog, doc: Document, left: str) -> int:
    clause_start = _last_boundary(left)
    stated = [m for m in STATED_YEAR.finditer(left) if m.group("comma") or m.start() >= clause_start]
    if stated:
        return int(stated[-1].group(1))
    if cc.year_before.search(left) and doc.year:
        # 去年 counts back from when the report was written (a January summary's 去年 is its own year)
        return int(doc.published[:4]) - 1 if doc.published else doc.year - 1
    return doc.year or 0


def _settle(facts: list[Fact]) -> list[Fact]:
    """A document that gives one key twice: the widest (largest) count is the area's, the rest are parts.

    A sub-unit figure (市局, 我局) is the area's only when the document gives no whole-area one.
    """
    groups: dict[tuple, list[Fact]] = {}
    for f in facts:
        if f.scope in ("area", "subunit"):
            groups.setdefault((f.indicator, tuple(sorted(f.dims.items())), f.year, f.period), []).append(f)
    for group in groups.values():
        whole = [f for f in group if f.scope == "area"] or group
        is_rate = group[0].unit == "%"
        keep = whole[0] if is_rate else max(whole, key=lambda f: f.value)
        for f in group:
            if f is keep:
                f.scope = "area"
            elif f.scope == "area":
                f.scope = "repeat" if f.value == keep.value else "part"
    return facts
