"""The catalog's extraction section compiled into regexes, once per catalog.

Rules are data (etl/catalog.yaml); this module only expands `{piece}` names and compiles. A `before`
regex is anchored at the figure's start, an `after` regex at its unit's end (see etl/extract.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.catalog import Catalog, Indicator
from etl.text_search import EndAnchored, LineAnchored, WordFinder, any_word

PIECE = re.compile(r"\{([a-z_]+)\}")
BROKEN_PIECE = re.compile(r"\{[a-z_]+[^a-z_}]")  # `{gap_short, …}`: a piece name that does not close


@dataclass(frozen=True)
class Rule:
    id: str
    before: EndAnchored | None
    after: re.Pattern | None
    unitless: bool  # the figure may have lost its unit (面积3736的): the catalog's unit is then certain
    units: frozenset[str] | None  # narrows the indicator's units for this rule
    scope: str | None  # a rule that by itself names a narrower scope (专项预案)
    context: re.Pattern | None  # what the sentence must carry before the figure (演练 for 参与)


@dataclass(frozen=True)
class IndicatorRules:
    indicator: Indicator
    units: dict[str, float]  # counting word -> factor to the canonical unit
    loose_units: frozenset[str]  # units that fit the indicator loosely (家 for 家次): flagged
    context: re.Pattern | None
    exclude: tuple[str, ...]
    scope_words: dict[str, re.Pattern]  # scope -> any of its words
    ignore_scopes: frozenset[str]
    rules: tuple[Rule, ...]
    unless: re.Pattern | None  # in the figure's clause: the figure counts something else
    nouns: tuple[str, ...]  # concept words: what the indicator counts (etl/concepts.py)
    noun_context: re.Pattern | None  # what the sentence must carry for a noun to count (储备 for 价值)
    follows: str | None  # the indicator whose figure this one's may directly follow (队伍51支|2744人)
    by_concept: Rule  # the rule id a concept or continuation reading reports


@dataclass(frozen=True)
class CompiledCatalog:
    catalog: Catalog
    indicators: tuple[IndicatorRules, ...]
    veto_words: re.Pattern  # any of the catalog's veto words
    plan_opening: re.Pattern
    plan_headings: LineAnchored
    plan_lead: LineAnchored
    # word lists as patterns finding any of their words (one search, not a loop of `in`)
    scopes: dict[str, re.Pattern]
    breakdown_words: re.Pattern
    clause_scopes: dict[str, re.Pattern]
    whole_period: re.Pattern  # 全年…: a clause naming the whole year is narrowed only by its own words
    event_opening: re.Pattern
    sector_opening: re.Pattern  # 建设施工，检查…: the sentence is about one sector
    sector_named: re.Pattern  # 煤矿领域排查隐患…: the clause is about one sector
    partial: re.Pattern
    cumulative: re.Pattern
    year_before: re.Pattern
    other_area: WordFinder[str]  # whole-area words -> their kind: wider | wider_than_a_city | own...
    comparisons: dict[str, EndAnchored]  # rises_to | old_value | change | base
    continues: dict[str, re.Pattern]  # breakdown | bracket | next_item | total | list | pair
    concept_words: tuple[tuple[str, IndicatorRules | None], ...]  # nouns and blockers (None), longest first
    concept_gap: int
    bare_clause: re.Pattern  # a clause of link words only: the concept noun may stand in the one before
    topic: int  # a figure-less clause this short may name the noun of the clause after it
    counts_places: re.Pattern  # text right after a figure's unit saying it counts places, not the noun
    # unit (None: a figure without one) -> the indicators that can count it, in catalog order: the only ones
    # whose rules a figure in that unit needs to try
    counting: dict[str | None, tuple[IndicatorRules, ...]]
    # lookups the extractor derives from the above on first use (per unit, per set of indicators), kept here
    # so they are built once per catalog, not once per figure
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def concept_words_for(self, competing: frozenset[str]) -> WordFinder[IndicatorRules | None]:
        """The concept words of the `competing` indicators (by id) and the blockers (None)."""
        key = ("concept words", competing)
        if key not in self.memo:
            self.memo[key] = WordFinder(
                (w, ir) for w, ir in self.concept_words if ir is None or ir.indicator.id in competing
            )
        return self.memo[key]


def expand(pattern: str, pieces: dict[str, str]) -> str:
    """Replace `{name}` by its piece (pieces may use other pieces); unknown names are an error."""

    if BROKEN_PIECE.search(pattern):
        raise ValueError(f"unclosed regex piece in {pattern!r}")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name not in pieces:
            raise ValueError(f"unknown regex piece {{{name}}} in {pattern!r}")
        return "(?:" + expand(pieces[name], pieces) + ")"

    return PIECE.sub(sub, pattern)


def _rule(spec: dict, pieces: dict[str, str]) -> Rule:
    before = spec.get("before")
    after = spec.get("after")
    if not before and not after:
        raise ValueError(f"rule {spec.get('id')}: needs `before` or `after`")
    return Rule(
        id=spec["id"],
        before=EndAnchored(re.compile("(?:" + expand(before, pieces) + ")$")) if before else None,
        after=re.compile(expand(after, pieces)) if after else None,
        unitless=bool(spec.get("unitless", False)),
        units=frozenset(spec["units"]) if spec.get("units") else None,
        scope=spec.get("scope"),
        context=_optional_regex(spec.get("context")),
    )


def _optional_regex(pattern: str | None) -> re.Pattern | None:
    return re.compile(pattern) if pattern else None


def dim_pieces(catalog: Catalog) -> dict[str, str]:
    """`{dim_role}`, `{dim_level}`…: the words that name a dim value other than its default, so a rule
    can ask for "a role word" without repeating the dim's word list."""
    return {
        f"dim_{dim.id}": "|".join(
            sorted(
                (re.escape(w) for v, ws in dim.words.items() if v != dim.default for w in ws),
                key=len,
                reverse=True,
            )
        )
        for dim in catalog.dims.values()
    }


def _indicator_rules(ind: Indicator, pieces: dict[str, str]) -> IndicatorRules:
    raw = ind.raw
    concept = raw.get("concept") or {}
    return IndicatorRules(
        indicator=ind,
        units={str(k): float(v) for k, v in raw["units"].items()},
        loose_units=frozenset(raw.get("loose_units") or ()),
        context=_optional_regex(raw.get("context")),
        exclude=tuple(raw.get("exclude") or ()),
        scope_words={k: any_word(v) for k, v in (raw.get("scope_words") or {}).items()},
        ignore_scopes=frozenset(raw.get("ignore_scopes") or ()),
        rules=tuple(_rule(r, pieces) for r in raw["rules"]),
        unless=_optional_regex(raw.get("unless")),
        nouns=tuple(concept.get("nouns") or ()),
        noun_context=_optional_regex(concept.get("context")),
        follows=concept.get("follows"),
        by_concept=Rule(f"{ind.id}.concept", None, None, False, None, None, None),
    )


def compile_catalog(catalog: Catalog) -> CompiledCatalog:
    ex = catalog.raw["extraction"]
    pieces = ex["pieces"] | dim_pieces(catalog)
    indicators = tuple(_indicator_rules(ind, pieces) for ind in catalog.indicators)
    words = [(n, ir) for ir in indicators for n in ir.nouns] + [(b, None) for b in ex["concepts"]["blockers"]]
    return CompiledCatalog(
        catalog=catalog,
        indicators=indicators,
        veto_words=any_word(ex["veto_words"]),
        plan_opening=re.compile(ex["plan_opening"]),
        plan_headings=LineAnchored(re.compile(ex["plan_headings"], re.M)),
        plan_lead=LineAnchored(re.compile(ex["plan_lead"], re.M)),
        scopes={k: any_word(v) for k, v in ex["scopes"].items()},
        breakdown_words=any_word(ex["breakdown_words"]),
        clause_scopes={k: any_word(v) for k, v in ex["clause_scopes"].items()},
        whole_period=any_word(ex["whole_period"]),
        event_opening=re.compile(ex["event_opening"]),
        sector_opening=re.compile(expand(ex["sectors"]["opening"], pieces)),
        sector_named=re.compile(expand(ex["sectors"]["named"], pieces)),
        partial=re.compile(ex["periods"]["partial"]),
        cumulative=re.compile(ex["periods"]["cumulative"]),
        year_before=re.compile(ex["year_before"]),
        other_area=_area_words(ex["other_area"]),
        comparisons={k: EndAnchored(re.compile(v)) for k, v in ex["comparisons"].items()},
        continues={k: re.compile(v) for k, v in ex["continues"].items()},
        concept_words=tuple(sorted(words, key=lambda w: -len(w[0]))),
        concept_gap=int(ex["concepts"]["gap"]),
        counts_places=re.compile(ex["concepts"]["counts_places"]),
        bare_clause=re.compile(ex["concepts"]["bare_clause"]),
        topic=int(ex["concepts"]["topic"]),
        counting=_counting(indicators),
    )


def _area_words(other_area: dict[str, list[str]]) -> WordFinder[str]:
    """Whole-area words by kind; a word listed under two kinds counts as the kind that sorts last."""
    pairs = [(word, kind) for kind, words in other_area.items() for word in words]
    return WordFinder(sorted(pairs, key=lambda pair: pair[1], reverse=True))


def _counting(indicators: tuple[IndicatorRules, ...]) -> dict[str | None, tuple[IndicatorRules, ...]]:
    units = {unit for ir in indicators for unit in ir.units}
    counting = {unit: tuple(ir for ir in indicators if unit in ir.units) for unit in units}
    counting[None] = tuple(ir for ir in indicators if any(rule.unitless for rule in ir.rules))
    return counting
