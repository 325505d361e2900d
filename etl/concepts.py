"""Figures no phrase rule names: attached by concept, or as the continuation of the figure before them.

Concept: each indicator's catalog `concept.nouns` say what it counts. A figure takes the indicator whose noun
stands nearest on its left within the clause (at most `gap` characters between them, no other figure), else
the one whose noun opens the text right after its unit (`31支应急救援队伍`). Only indicators that count in
the figure's unit compete, so the counting word decides between them; a blocker word (a counted thing that
is no indicator: 储备库, 隐患点, 执法人员) nearer than any noun means the figure is none of them.

Continuation: the text between a figure of an indicator and the next figure can say that the next one
continues it: a breakdown (其中…), a bracket (9件(主办…), the next item of a breakdown, a total after a list
(，共计…), a comparison base (较2020年底的…), or a pair the catalog names (`follows`: 队伍51支|2744人).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.rules import CompiledCatalog, IndicatorRules
from etl.text_search import WordFinder

CLAUSE_OR_BRACKET = re.compile(r"[。！？；;!?\n，,：:、()（）]")
RIGHT_REACH = 6  # a noun after the figure must start within this many characters of its unit
EXCLUSION_REACH = 4  # an indicator's exclusion word counts this close before its noun
MAX_WORD = 8  # no concept word or blocker is longer: only this much text around a figure is read


@dataclass(frozen=True)
class Previous:
    """The last figure of the sentence that became a fact, and how it was read."""

    rules: IndicatorRules
    end: int  # where its figure ends in the text
    how: str  # rule | concept | breakdown | bracket | next_item | total | list | pair | base
    dims: dict[str, str]
    alone: bool  # its sentence's first figure: a pair after it shares its dims (乡镇救援队18支,队员540人)


def by_concept(
    cc: CompiledCatalog, unit: str | None, clause_left: str, right: str, sentence_left: str
) -> IndicatorRules | None:
    """The indicator whose noun stands nearest the figure (None also where a blocker stands nearer, or
    where one of the indicator's exclusion words stands just before its noun: 抽调|专家26名)."""
    if unit is None:
        return None
    reach = cc.concept_gap + MAX_WORD
    clause_left, right = clause_left[-reach:], right[: RIGHT_REACH + MAX_WORD]
    competing = frozenset(
        ir.indicator.id for ir in cc.counting.get(unit, ()) if _competes(ir, unit, sentence_left)
    )
    if not competing:
        return None
    words = cc.concept_words_for(competing)
    left, around = _nearest_left(words, clause_left, cc.concept_gap)
    if left is not None:
        return None if any(w in around for w in left.exclude) else left
    right = CLAUSE_OR_BRACKET.split(right, maxsplit=1)[0]
    return None if cc.counts_places.match(right) else _nearest_right(words, right)


def _competes(ir: IndicatorRules, unit: str, sentence_left: str) -> bool:
    return (
        unit in ir.units
        and unit not in ir.loose_units
        and (ir.context is None or ir.context.search(sentence_left) is not None)
        and (ir.noun_context is None or ir.noun_context.search(sentence_left) is not None)
    )


def _nearest_left(
    words: WordFinder[IndicatorRules | None], clause_left: str, gap: int
) -> tuple[IndicatorRules | None, str]:
    """The nearest word's indicator (None for a blocker, or for no word in reach), and the words around
    it: a few characters before it and all after it, the noun itself left out (折合资金 is no 资金).
    Out of reach (too far, or another figure after it) the nearest word is, so is every other."""
    found = words.last(clause_left)
    if found is None or len(clause_left) - found[2] > gap or "#" in clause_left[found[2] :]:
        return None, ""
    ir, pos, end = found
    return ir, clause_left[max(0, pos - EXCLUSION_REACH) : pos] + clause_left[end:]


def _nearest_right(words: WordFinder[IndicatorRules | None], right: str) -> IndicatorRules | None:
    found = words.first(right)
    if found is None or found[1] > RIGHT_REACH or "#" in right[: found[1]]:
        return None
    return found[0]


def shared_dims(
    cc: CompiledCatalog, prev: Previous | None, segment: str, rules: IndicatorRules, dims: dict[str, str]
) -> dict[str, str]:
    """The dims of a figure that names none and follows the figure it pairs with: right after it
    (县级队伍96支|4,210人), or where that figure is the first of its sentence (乡镇救援队18支，队员540人)."""
    defaults = {name: cc.catalog.dims[name].default for name in dims}
    right_after = bool(cc.continues["pair"].match(segment))
    paired = prev is not None and rules.follows == prev.rules.indicator.id and (prev.alone or right_after)
    if prev and paired and dims == defaults:
        return {name: prev.dims.get(name, value) for name, value in dims.items()}
    return dims


def latest_counting(earlier: list[Previous], unit: str | None) -> Previous | None:
    """The sentence's last figure counted in `unit` (队伍41支、1,280人，其中县级9支: the teams)."""
    return next((p for p in reversed(earlier) if unit in p.rules.units), None)


def continuation(
    cc: CompiledCatalog, prev: Previous | None, segment: str, unit: str | None, earlier: list[Previous]
) -> tuple[IndicatorRules, str] | None:
    """The indicator a figure continues from `prev` (or, for a breakdown, from the sentence's last figure
    counted in its unit), given the text between them, and how."""
    if prev is None or unit is None:
        return None
    for how in ("breakdown", "bracket", "next_item", "total", "list"):
        if how == "next_item" and prev.how not in ("breakdown", "bracket", "next_item"):
            continue
        owner = (
            prev
            if unit in prev.rules.units
            else latest_counting(earlier, unit)
            if how == "breakdown"
            else None
        )
        if cc.continues[how].match(segment) and owner:
            return owner.rules, how
    if cc.continues["pair"].match(segment):
        for ir in cc.indicators:
            if ir.follows == prev.rules.indicator.id and unit in ir.units:
                return ir, "pair"
    return None
