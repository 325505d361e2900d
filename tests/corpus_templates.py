"""Seed reports as templates for the scale corpus: each cut ONCE into literal text and slots.

A slot is what changes from one generated report to the next: the home city's and province's names,
a year, or a figure. Figures are found where the real ETL finds them (its spans point into the text it
stores, which is the raw file normalised, so they are carried over to the raw file through the evidence)
and where the seed gold's optional lines point. A generated report is then a join of strings, so
thousands are written in seconds, and its gold lines are the seed gold's with the same slots filled.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from etl.areas import Area, AreaTable
from etl.model import Document, Fact
from etl.pipeline import extract_paths

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = REPO_ROOT / "data" / "reports"
SEED_GOLD = REPO_ROOT / "tests" / "gold" / "seeds.jsonl"

NUMBER = re.compile(r"(?<![\d.])(?P<digits>\d+(?:\.\d+)?)(?P<mult>[万亿])?")
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}
YEAR = re.compile(r"(?<![\d.])20[12]\d")  # every 2010-2029 in the templates is a year (checked by hand)
CN_DIGITS = "〇一二三四五六七八九"
CN_YEAR = re.compile(r"二〇[一二][〇一二三四五六七八九]")
SENTENCE_ENDS = re.compile(r"[。；;\n]")
# What a city calls itself and an autonomous prefecture says with 州 (我州, 全州, 州应急管理局).
RANK_WORDS = ("市应急管理局", "市人大常委会", "我市", "全市", "市级")
PERCENT = "%"


@dataclass(frozen=True)
class TemplateSpec:
    """A seed report and the phrases in it that name places which are not the author's."""

    file: str  # under data/reports
    name: str  # what generated file names carry after the year
    keep: tuple[str, ...] = ()  # named on purpose (another city's disaster, a national plan): left as is
    local: tuple[tuple[str, str], ...] = ()  # the home city's own places -> wording for the target


TEMPLATES = (
    TemplateSpec("luohe-2022-pingyi-zhenggai.txt", "pingyi-zhenggai", keep=("河南郑州", "河南理工大学")),
    TemplateSpec(
        "shanwei-2022-fazhi-zhengfu.txt",
        "fazhi-zhengfu",
        keep=("(2021-2025)",),
        local=(("城区红草镇", "{district}一个镇"), ("粤东", "区域")),
    ),
)


@dataclass(frozen=True)
class Slot:
    kind: str  # name | year | cn_year | figure
    key: str | int  # the name as written, the year, or the figure's index


@dataclass(frozen=True)
class Figure:
    """A number as the template writes it; figures of one group are scaled by the same factor."""

    digits: str
    rate: bool
    group: int

    @property
    def decimals(self) -> int:
        return len(self.digits.partition(".")[2])


@dataclass
class GoldLine:
    line: dict
    evidence: list[str | Slot]
    figure: int


@dataclass
class Template:
    spec: TemplateSpec
    home: Area
    province: Area
    year: int  # the year the ETL gives the seed report
    pieces: list[str | Slot]
    figures: list[Figure]
    gold: list[GoldLine] = field(default_factory=list)

    @property
    def groups(self) -> int:
        return max((f.group for f in self.figures), default=-1) + 1


Span = tuple[int, int, Slot]


def load_templates(areas: AreaTable) -> list[Template]:
    """Every template, cut with the help of one ETL pass over the seed reports."""
    paths = [SEED_DIR / spec.file for spec in TEMPLATES]
    read = {}
    for doc, facts, refused in extract_paths(paths, budget_s=None):
        if refused:
            raise ValueError(f"{refused.path}: the ETL refuses the template: {refused.reason}")
        read[doc.file_name] = (doc, facts)
    gold = [line for line in map(json.loads, SEED_GOLD.read_text(encoding="utf-8").splitlines()) if line]
    return [
        _cut(spec, *read[spec.file], [g for g in gold if g["doc"] == spec.file], areas) for spec in TEMPLATES
    ]


def _cut(
    spec: TemplateSpec, doc: Document, facts: list[Fact], gold: list[dict], areas: AreaTable
) -> Template:
    raw = (SEED_DIR / spec.file).read_text(encoding="utf-8")
    home = areas.by_code(doc.area_code or "")
    province = areas.by_code(home.province_code) if home else None
    if home is None or province is None:
        raise ValueError(f"{spec.file}: the ETL gives no area for the template")
    figure_spans, gold_figures = _figure_spans(spec.file, raw, doc, facts, gold)
    figures = _figures(raw, figure_spans, gold, gold_figures)
    taken = [(start, end) for start, end in figure_spans] + _ranges(raw, spec.keep, spec.file)
    spans = [(s, e, Slot("figure", i)) for i, (s, e) in enumerate(figure_spans)]
    spans += _name_spans(raw, spec, home, province, taken)
    spans += _year_spans(raw, taken + [(s, e) for s, e, _ in spans])
    spans.sort(key=lambda span: span[0])
    _check_districts(raw, spec, home, areas)
    template = Template(spec, home, province, doc.year, _pieces(raw, spans, 0, len(raw)), figures)
    for line, figure in zip(gold, gold_figures, strict=True):
        start = _containing(raw, line["evidence"], figure_spans[figure])
        evidence = _pieces(raw, spans, start, start + len(line["evidence"]))
        template.gold.append(GoldLine(line, evidence, figure))
    return template


def _figure_spans(
    file: str, raw: str, doc: Document, facts: list[Fact], gold: list[dict]
) -> tuple[list[tuple[int, int]], list[int]]:
    """The raw spans of the figures' digits (ETL facts first, then the gold lines no fact gives), and
    for each gold line the index of its figure."""
    spans: list[tuple[int, int]] = []
    by_fact = {}
    for fact in facts:
        if (span := _raw_span(raw, doc.text, fact)) is not None:
            by_fact[(fact.indicator, json.dumps(fact.dims, sort_keys=True), fact.value)] = span
            spans.append(span)
    gold_figures = []
    for line in gold:
        key = (line["indicator"], json.dumps(line["dims"], sort_keys=True), float(line["value"]))
        span = by_fact.get(key) or _value_span(file, raw, line)
        if span not in spans:
            spans.append(span)
        gold_figures.append(span)
    spans.sort()
    return spans, [spans.index(span) for span in gold_figures]


def _raw_span(raw: str, text: str, fact: Fact) -> tuple[int, int] | None:
    """A fact's digits in the raw file: its span is in the stored text, found in the raw file by its
    evidence (None where the evidence is not there verbatim, or twice)."""
    if fact.evidence_start is None or raw.count(fact.evidence) != 1:
        return None
    start = raw.index(fact.evidence) + fact.start - fact.evidence_start
    digits = NUMBER.match(text, fact.start)
    return (start, start + len(digits.group("digits"))) if digits else None


def _value_span(file: str, raw: str, line: dict) -> tuple[int, int]:
    """The digits in a gold line's evidence that write its value (10万 for 100000, 7314.45 for 7314.45)."""
    start = raw.find(line["evidence"])
    if start < 0:
        raise ValueError(f"{file}: gold evidence not in the file: {line['evidence']}")
    for match in NUMBER.finditer(line["evidence"]):
        number = float(match.group("digits"))
        if float(line["value"]) in (number, number * MULTIPLIERS.get(match.group("mult") or "", 1)):
            return start + match.start("digits"), start + match.end("digits")
    raise ValueError(f"{file}: no figure {line['value']} in gold evidence {line['evidence']}")


def _containing(raw: str, evidence: str, span: tuple[int, int]) -> int:
    """Where the occurrence of `evidence` holding `span` starts (an evidence may be written twice)."""
    start = raw.find(evidence)
    while start >= 0 and not start <= span[0] < start + len(evidence):
        start = raw.find(evidence, start + 1)
    if start < 0:
        raise ValueError(f"the figure at {span[0]} is not in its gold evidence {evidence}")
    return start


def _figures(
    raw: str, spans: list[tuple[int, int]], gold: list[dict], gold_figures: list[int]
) -> list[Figure]:
    """The figures, grouped: one group per sentence, and figures of one indicator and dims (the area's
    count and a part of it) in one group, so scaling keeps rectified <= found and part <= whole."""
    sentence_of = [len(SENTENCE_ENDS.findall(raw, 0, start)) for start, _ in spans]
    parent = list(range(len(spans)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    by_key: dict[tuple, int] = {}
    by_sentence: dict[int, int] = {}
    for figure, line in zip(gold_figures, gold, strict=True):
        key = (line["indicator"], json.dumps(line["dims"], sort_keys=True))
        parent[root(figure)] = root(by_key.setdefault(key, figure))
    for i, sentence in enumerate(sentence_of):
        parent[root(i)] = root(by_sentence.setdefault(sentence, i))
    groups: dict[int, int] = {}
    rates = {figure for figure, line in zip(gold_figures, gold, strict=True) if line["unit"] == PERCENT}
    return [
        Figure(raw[start:end], i in rates, groups.setdefault(root(i), len(groups)))
        for i, (start, end) in enumerate(spans)
    ]


def _ranges(raw: str, phrases: tuple[str, ...], file: str) -> list[tuple[int, int]]:
    """Every occurrence of each phrase; a phrase not in the file is a stale template spec."""
    found = [(m.start(), m.end()) for phrase in phrases for m in re.finditer(re.escape(phrase), raw)]
    if missing := [p for p in phrases if p not in raw]:
        raise ValueError(f"{file}: template phrases not in the file: {', '.join(missing)}")
    return found


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def _name_spans(raw: str, spec: TemplateSpec, home: Area, province: Area, taken: list) -> list[Span]:
    """The home city's and province's names (full and short), its local places and its rank words."""
    names = {home.name, home.short_name, province.name, province.short_name, *RANK_WORDS}
    names |= {phrase for phrase, _ in spec.local}
    pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    return [
        (m.start(), m.end(), Slot("name", m.group(0)))
        for m in pattern.finditer(raw)
        if not _overlaps(m.start(), m.end(), taken)
    ]


def _year_spans(raw: str, taken: list) -> list[Span]:
    spans = [(m.start(), m.end(), Slot("year", int(m.group(0)))) for m in YEAR.finditer(raw)]
    spans += [
        (m.start(), m.end(), Slot("cn_year", int("".join(str(CN_DIGITS.index(c)) for c in m.group(0)))))
        for m in CN_YEAR.finditer(raw)
    ]
    return [span for span in spans if not _overlaps(span[0], span[1], taken)]


def _check_districts(raw: str, spec: TemplateSpec, home: Area, areas: AreaTable) -> None:
    """A district of the home city named outside the local phrases would stay in every generated report
    and might be taken for its author: the template spec must say what it becomes."""
    text = raw
    for phrase, _ in spec.local:
        text = text.replace(phrase, "")
    named = [a.name for a in areas.areas if a.parent_code == home.code and a.name in text]
    if named:
        raise ValueError(f"{spec.file}: names districts of {home.name} outside its local phrases: {named}")


def _pieces(raw: str, spans: list[Span], lo: int, hi: int) -> list[str | Slot]:
    """raw[lo:hi] as literal strings and the slots inside it; a slot across either edge is an error."""
    pieces: list[str | Slot] = []
    at = lo
    for start, end, slot in spans:
        if end <= lo or start >= hi:
            continue
        if start < lo or end > hi:
            raise ValueError(f"slot {slot} crosses the edge of {raw[lo:hi]!r}")
        pieces += [raw[at:start], slot]
        at = end
    pieces.append(raw[at:hi])
    return [p for p in pieces if p != ""]
