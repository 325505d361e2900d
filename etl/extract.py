"""Facts from a document's stored text, each with its evidence and span.

Table cells first (etl/tables.py), then every other quantity in the text (etl/quantities.py), read in its
sentence: the text before the figure (`left`) and after its unit (`right`), with the sentence's other
figures masked as '#' runs. A figure is read, in order, as
1. no result: inside quotes or a plan section, after a plan word, an old value or a difference;
2. the first catalog rule whose `before`/`after` regexes fit;
3. the continuation of the figure before it (其中…, 共计…, 较2020年底的…, 队伍N支|M人: etl/concepts.py);
4. the indicator whose concept noun stands nearest, counted in the figure's unit (etl/concepts.py).
Dims (etl/dims.py), scope, period and year come from words the catalog lists. No indicator, phrase or
unit is named here: they are catalog data.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cache

from etl.catalog import Catalog
from etl.concepts import EXCLUSION_REACH, Previous, by_concept, continuation, latest_counting, shared_dims
from etl.dims import read_dim
from etl.model import Document, Fact, Quarantined
from etl.places import Places
from etl.quantities import Quantity, find_quantities
from etl.rules import CompiledCatalog, IndicatorRules, Rule, compile_catalog
from etl.tables import table_cells

SENTENCE_END = "。！？；;!?\n"
CLAUSE_END = SENTENCE_END + "，,：:"
LAST_CLAUSE_END = re.compile(f"(?s:.*)[{re.escape(CLAUSE_END)}]")  # .* backtracks from the end: read there
MAX_FIGURES = 20_000  # a long report holds a few thousand; more is a data dump or an attack
SENTENCE_REACH = 400  # characters of a sentence read on either side of a figure: a run-on text stays linear
COUNTY_RANKS = "县区旗"  # areas whose report calls the city around them 全市
PREVIOUS_YEAR = -1  # a comparison's base `较上年的N`: the year before the report's
FALLBACK_SCOPES = ("subunit", "kind")  # the area's figure only where the document gives no whole-area one
QUOTES = (("“", "”", 40), ("《", "》", 80), ("「", "」", 40), ('"', '"', 40))
QUOTED = tuple(
    re.compile(re.escape(open_) + f"[^{re.escape(close)}\n]{{0,{limit}}}" + re.escape(close))
    for open_, close, limit in QUOTES
)
ONLY_SPACE_LEFT = re.compile(r"\s*\Z")  # read in place: a copy of the rest of the text per figure is not
SECTION_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、", re.M)
# a year the sentence states for its figures: `2022年,全市…` opening the sentence, or in the figure's clause.
# The year's 2 comes before the test of the character before it (`(?<![较比与同\d]2)` after the 2 is
# `(?<![较比与同\d])` before it), so the search skips from one 2 to the next instead of trying every place.
STATED_YEAR = re.compile(
    r"(2(?<![较比与同\d]2)0\d{2})年(?:度)?(?!以来|底|初|末|中|\d|(?:工作)?(?:计划|目标))(?P<comma>[，,])?"
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


def extract_facts(doc: Document, catalog: Catalog, places: Places | None = None) -> list[Fact]:
    """Every figure the document gives, including narrower-scope ones (`scope != "area"`); with `places`,
    a figure whose clause names another place by its full name (翠屏区, 宜昌市) has scope `other_area`."""
    cc = _compiled_rules(catalog)
    text = doc.text
    quantities = [q for q in find_quantities(text) if not q.is_range]
    if len(quantities) > MAX_FIGURES:
        raise Quarantined(f"more than {MAX_FIGURES:,} figures: no bureau report holds that many")
    masked = _mask(text, quantities)
    sentence_ends = [m.start() for m in _any_of(SENTENCE_END).finditer(text)]
    sentence_starts = [0] + [end + 1 for end in sentence_ends]
    inside = _covered(len(text), _quoted_spans(text) + _plan_sections(text, cc))
    blocked = {q.start for q in quantities if inside[q.start]}
    facts, in_table = _table_facts(doc, cc, quantities)
    prev: Previous | None = None
    earlier: list[Previous] = []  # the facts of the current sentence
    for q in quantities:
        if q.start in in_table or q.start in blocked or _cut_short(text, q):
            continue
        s_start = max(sentence_starts[bisect_right(sentence_starts, q.start) - 1], q.start - SENTENCE_REACH)
        s_end = _sentence_end(text, sentence_ends, q.end)
        left, right = masked[s_start : q.start], masked[q.end : s_end]
        if prev is not None and prev.end < s_start:
            prev, earlier = None, []  # a figure continues only one of its own sentence
        segment = masked[prev.end : q.start] if prev else ""
        reading = _read(cc, q, left, right, prev, segment, earlier)
        if reading is None:
            continue
        match, read_left, clause_left, year, how = reading
        if year == PREVIOUS_YEAR:
            year = (doc.year or 0) - 1
        elif not year:
            year = _year(cc, doc, read_left, len(read_left) - len(clause_left))
        span = _evidence_span(masked, q, match, s_start, left)
        fact = _fact(doc, cc, q, match, read_left, clause_left, span, year)
        fact.dims = shared_dims(cc, prev, segment, match.rules, fact.dims)
        if fact.scope == "part" and (prev is None or prev.rules is not match.rules):
            fact.scope = "area"  # 隐患41,530条，其中41,102条已整改: a part only of a total of its own kind
        in_area = fact.scope in ("area", *FALLBACK_SCOPES)
        if in_area and _elsewhere(cc, places, doc.area_code or "", read_left, clause_left):
            fact.scope = "other_area"
        facts.append(fact)
        prev = Previous(match.rules, q.end, how, fact.dims, alone=left.count("#") == 0)
        earlier.append(prev)
    return _settle(facts)


def _table_facts(
    doc: Document, cc: CompiledCatalog, quantities: list[Quantity]
) -> tuple[list[Fact], set[int]]:
    """The facts of flattened tables' cells (the row label is the noun), and where every cell stands."""
    facts = []
    cells = table_cells(doc.text, quantities)
    for cell in cells:
        match = _first_match(cc, cell.quantity, cell.label, "", cell.label)
        if match:
            year = cell.year or doc.year or 0
            facts.append(_fact(doc, cc, cell.quantity, match, cell.label, cell.label, cell.row, year))
    return facts, {c.quantity.start for c in cells}


def _read(
    cc: CompiledCatalog,
    q: Quantity,
    left: str,
    right: str,
    prev: Previous | None,
    segment: str,
    earlier: list[Previous],
) -> tuple[Match, str, str, int | None, str] | None:
    """How a prose figure reads: its match, the left text as read and its last clause, a year it states,
    and how it was read.

    Comparisons first: an old value or a difference is no result; a base value (较2020年底的N) is its
    year's value of the indicator just before it; a new value (由35名扩充到87名) and an actual one beside
    its target (目标值95% 实际完成值97.8%) read as `达到 N`.
    Then the catalog's rules, the continuation of the figure before, and the nearest concept noun.
    """
    if q.unit not in cc.counting:
        return None  # no indicator counts in this unit: no rule, continuation or concept can take it
    actual = cc.comparisons["actual"].search(left)
    if actual:
        left = left[: actual.start()].rstrip(" \u3000") + "达到"
    clause_left = left[_last_boundary(left) :]
    if _no_result(cc, left, clause_left, right):
        return None
    compared, segment, year, after_base = _compared(cc, left, right, segment)
    if compared != left:  # a comparison cut the words before the figure: its last clause is read anew
        left, clause_left = compared, compared[_last_boundary(compared) :]
    clause = clause_left + right[: _first_boundary(right)]
    match = _first_match(cc, q, left, right, clause_left)
    if match:
        return (match, left, clause_left, year, "rule") if not _unless(match.rules, clause) else None
    follow = continuation(cc, prev, segment, q.unit, earlier)
    if not follow:
        concept = by_concept(cc, q.unit, _concept_window(cc, left, clause_left), right, left)
        follow = (concept, "concept") if concept else None  # blockers, not exclusions, bound a concept
    owner = latest_counting(earlier, q.unit) if after_base else None
    if not follow and owner:
        follow = (owner.rules, "base")  # 52件，与2021年办理的|47件|相比: the indicator before it
    if not follow or (follow[1] != "concept" and _excluded(follow[0], segment)) or _unless(follow[0], clause):
        return None
    rule = replace(follow[0].by_concept, id=f"{follow[0].indicator.id}.{follow[1]}")
    factor, flags = _unit_factor(follow[0], rule, q.unit)
    reading = Match(follow[0], rule, None, None, factor, flags)
    return (reading, left, clause_left, year, follow[1]) if factor else None


def _compared(cc: CompiledCatalog, left: str, right: str, segment: str) -> tuple[str, str, int | None, bool]:
    """The words before a figure as a comparison leaves them, the year it states, and whether the figure
    is a base standing right after the figure it compares with (52件，较上年的|47件).

    `较2020年底的|N` is dropped from the words (those before it name the indicator); `与2022年承办|N|相比`
    keeps them (承办 names it); `由35名扩充到|87名` reads as `达到`.
    """
    year, base = None, cc.comparisons["base"].search(left)
    around = cc.comparisons["base_close"].match(right) and cc.comparisons["base_open"].search(left)
    found = base or around
    if found:
        year = int(found.group("year")) if found.group("year") else PREVIOUS_YEAR
    if base:
        left = left[: base.start()]
    before_base = segment[: len(segment) - len(found.group(0))] if found else segment
    rises = cc.comparisons["rises_to"].search(left)
    if rises:
        left = left[: rises.start()] + "达到"
    return left, before_base if base else segment, year, bool(found) and before_base in ("", "，", ",")


def _no_result(cc: CompiledCatalog, left: str, clause_left: str, right: str) -> bool:
    """A plan (its clause or its sentence's opening says so), an old value (35名|扩充到) or a difference."""
    return (
        bool(cc.veto_words.search(clause_left))
        or bool(cc.plan_opening.match(left[: _first_boundary(left)]))
        or bool(cc.comparisons["old_value"].match(right))
        or bool(cc.comparisons["change"].search(clause_left))
    )


def _compiled_rules(catalog: Catalog) -> CompiledCatalog:
    """The catalog's rules compiled once, not once per document."""
    if id(catalog) not in _compiled:
        _compiled[id(catalog)] = (catalog, compile_catalog(catalog))
    return _compiled[id(catalog)][1]


def _cut_short(text: str, q: Quantity) -> bool:
    """A unit-less figure where a scraped text stops may have lost digits too (面积37|36)."""
    return q.unit is None and ONLY_SPACE_LEFT.match(text, q.end) is not None


def _mask(text: str, quantities: list[Quantity]) -> str:
    """The text with every figure a run of '#' as long as the figure (offsets hold), built from pieces:
    a list of its characters would make an object of each."""
    pieces, done = [], 0
    for start, end in sorted((q.start, q.end) for q in quantities):
        start = max(start, done)  # a figure inside one already masked adds only what sticks out
        if end > start:
            pieces += (text[done:start], "#" * (end - start))
            done = end
    return "".join(pieces) + text[done:]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Slogans, names and titles: “十五条硬措施”, 《…12个部门…》 carry no figures."""
    return [m.span() for quoted in QUOTED for m in quoted.finditer(text)]


def _plan_sections(text: str, cc: CompiledCatalog) -> list[tuple[int, int]]:
    """Sections headed 下一步/工作计划: everything in them is a plan, not a result."""
    spans = []
    for m in cc.plan_headings.finditer(text):
        nxt = SECTION_HEADING.search(text, m.end())
        spans.append((m.start(), nxt.start() if nxt else len(text)))
    for m in cc.plan_lead.finditer(text):  # 2024年主要目标：…；…；… (the paragraph it leads)
        spans.append((m.start(), _next_boundary(text, m.end(), "\n")))
    return spans


def _sentence_end(text: str, sentence_ends: list[int], pos: int) -> int:
    """Where the sentence holding `pos` ends (its end mark), at most SENTENCE_REACH on: a lookup in the
    text's sentence ends (`sentence_ends`, in order), not a search per figure."""
    stop = min(pos + SENTENCE_REACH, len(text))
    at = bisect_left(sentence_ends, pos)
    return sentence_ends[at] if at < len(sentence_ends) and sentence_ends[at] < stop else stop


@cache
def _any_of(chars: str) -> re.Pattern:
    """A pattern matching any one of `chars` (compiled once per set of boundary characters)."""
    return re.compile(f"[{re.escape(chars)}]")


def _next_boundary(text: str, pos: int, ends: str, limit: int | None = None) -> int:
    """Index of the first of `ends` at or after `pos` (before `limit`), else `limit` or the text's end."""
    stop = len(text) if limit is None else min(limit, len(text))
    found = _any_of(ends).search(text, pos, stop)
    return found.start() if found else stop


def _first_boundary(s: str) -> int:
    """Index of the first clause boundary in `s` (its length when there is none)."""
    found = _any_of(CLAUSE_END).search(s)
    return found.start() if found else len(s)


def _last_boundary(s: str) -> int:
    """Index just after the last clause boundary in `s` (0 when there is none)."""
    found = LAST_CLAUSE_END.match(s)
    return found.end() if found else 0


def _covered(length: int, spans: list[tuple[int, int]]) -> bytearray:
    """A mask of the text's positions inside any of `spans`: one lookup per figure, not a scan of them."""
    mask = bytearray(length + 1)
    for a, b in spans:
        mask[a:b] = b"\x01" * (b - a)
    return mask


def _first_match(cc: CompiledCatalog, q: Quantity, left: str, right: str, clause_left: str) -> Match | None:
    for ir, rules in _rules_for(cc, q.unit):
        if ir.context and not ir.context.search(left):
            continue
        for rule, factor, flags in rules:
            if rule.context and not rule.context.search(left):
                continue
            before = rule.before.search(left) if rule.before else None
            after = rule.after.match(right) if rule.after else None
            if (rule.before and not before) or (rule.after and not after):
                continue
            if _excluded(ir, left[max(0, before.start() - EXCLUSION_REACH) :] if before else clause_left):
                continue
            return Match(ir, rule, before, after, factor, flags)
    return None


def _rules_for(
    cc: CompiledCatalog, unit: str | None
) -> tuple[tuple[IndicatorRules, tuple[tuple[Rule, float, tuple[str, ...]], ...]], ...]:
    """The rules a figure counted in `unit` can match, each with the factor and flags the unit gets, by
    indicator in catalog order: worked out once per unit, not once per figure."""
    key = ("rules", unit)
    if key not in cc.memo:
        by_indicator = []
        for ir in cc.counting.get(unit, ()):
            fitting = [(rule, *_unit_factor(ir, rule, unit)) for rule in ir.rules]
            by_indicator.append((ir, tuple(fit for fit in fitting if fit[1] is not None)))
        cc.memo[key] = tuple(by_indicator)
    return cc.memo[key]


def _concept_window(cc: CompiledCatalog, left: str, clause_left: str) -> str:
    """The clause before the figure, and the one before it too where the figure's clause holds only a link
    word (，共计|58支) or the one before is a short topic (行政处罚案件，今年共办理了|208起)."""
    if len(left) == len(clause_left) or "#" in clause_left:
        return clause_left
    before = left[: len(left) - len(clause_left) - 1]
    topic = before[_last_boundary(before) :]
    if cc.bare_clause.match(clause_left) or (len(topic) <= cc.topic and "#" not in topic):
        return topic + left[len(before) :]
    return clause_left


def _unless(ir: IndicatorRules, clause: str) -> bool:
    """The figure's clause says it counts something else (17项问题已整改完成15项: a review's findings)."""
    return bool(ir.unless and ir.unless.search(clause))


def _excluded(ir: IndicatorRules, near: str) -> bool:
    """An exclusion word next to the words that named the figure (责令限期|整改, 应急物资|储备库)."""
    return any(w in near for w in ir.exclude)


def _unit_factor(ir: IndicatorRules, rule: Rule, unit: str | None) -> tuple[float | None, tuple[str, ...]]:
    if unit is None:
        return (1.0, ("unit_inferred",)) if rule.unitless else (None, ())
    if unit not in ir.units or (rule.units and unit not in rule.units):
        return None, ()
    return ir.units[unit], (("loose_unit",) if unit in ir.loose_units else ())


def _evidence_span(text: str, q: Quantity, m: Match, s_start: int, left: str) -> tuple[int, int]:
    """The clause(s) from the rule's noun to the figure (and what the `after` rule read). `text` is the
    masked text, so the comma inside `1,840人` is no clause boundary."""
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
        name: read_dim(cc.catalog.dims[name], before_text, after_text, left, clause_left) for name in ind.dims
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
        scope=m.rule.scope or _scope(cc, doc, m.rules, left, clause_left, unnamed=not any(named.values())),
    )


def _scope(
    cc: CompiledCatalog, doc: Document, ir: IndicatorRules, left: str, clause_left: str, unnamed: bool
) -> str:
    """A narrower scope named to the left of the figure; `part` for a `其中…` figure whose dims name
    nothing that tells it apart from the total it breaks down (其中专业队伍45支 is not the area's teams)."""
    for name, words in cc.clause_scopes.items():
        if words.search(clause_left):
            return name
    if cc.event_opening.match(left):
        return "event"
    if cc.sector_opening.match(left) or cc.sector_named.search(clause_left):
        return "sector"
    # 深入开展安全生产大检查，全年检查企业N家次: a clause saying 全年 is the year's, whatever came before it
    narrowing = clause_left if cc.whole_period.search(clause_left) else left
    for name, words in (*ir.scope_words.items(), *cc.scopes.items()):
        if name not in ir.ignore_scopes and words.search(narrowing):
            return name
    if unnamed and cc.breakdown_words.search(clause_left):
        return "part"
    return "area"


def _elsewhere(cc: CompiledCatalog, places: Places | None, code: str, left: str, clause_left: str) -> bool:
    """The figure is another area's: the nearest whole-area word names a wider one (全省; 全区 in a city's
    report; 全市 in a county's or district's, where a county-level 市 says 全市 of itself), or, with
    `places`, the clause names another place by its full name (翠屏区 in 宜宾's report)."""
    kind = _area_word(cc, left)
    if kind == "wider" or (kind == "wider_than_a_city" and code.endswith("00")):
        return True
    if places is None:
        return False
    county = kind == "wider_than_a_county" and places.rank(code) in COUNTY_RANKS
    return county or places.names_another(clause_left, code)


def _area_word(cc: CompiledCatalog, left: str) -> str | None:
    """The kind (own, wider…) of the whole-area word nearest the end of `left` (longest on a tie)."""
    found = cc.other_area.last(left)
    return found[0] if found else None


def _period(cc: CompiledCatalog, left: str, doc_year: int | None) -> tuple[str, str | None]:
    """Cumulative (2021年以来 in a 2023 report), partial (截至8月) or the whole year."""
    for name, pattern in (("cumulative", cc.cumulative), ("partial", cc.partial)):
        m = pattern.search(left)
        since = m and m.groupdict().get("since")
        if m and not (since and doc_year and int(since) >= doc_year):
            return name, m.group(0)
    return "year", None


def _year(cc: CompiledCatalog, doc: Document, left: str, clause_start: int) -> int:
    """The year a figure is given for: one its sentence states (opening it, or in its clause, which starts
    at `clause_start` in `left`), the year before the report's where it says 去年, else the report's."""
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
        if f.scope in ("area", *FALLBACK_SCOPES):
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
