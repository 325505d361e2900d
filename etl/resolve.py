"""Derived values and consistency flags for the facts of ONE document.

A rate the report does not state is computed from the counts it does state (closure rate = rectified /
found), and labelled as derived; a stated rate is checked against the counts instead. Which rates are
ratios of which counts is declared in the catalog (`derive: {ratio: [numerator, denominator]}`).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace

from etl.catalog import Catalog, load_catalog
from etl.model import Fact

PERCENT = "%"
MISMATCH_TOLERANCE_PP = 1.0  # a stated rate further than this from the computed one is flagged
RATE_CEILING = 100.0
EVIDENCE_JOINER = " … "
FLAG_RATE_MISMATCH = "rate_mismatch"
FLAG_RATE_OVER_100 = "rate_over_100"


@dataclass(frozen=True)
class Ratio:
    """`rate` = `numerator` / `denominator` * 100, all indicator ids."""

    rate: str
    numerator: str
    denominator: str

    @property
    def label(self) -> str:
        """Short names without the ids' shared prefix: hazards_rectified, hazards_found -> rectified/found."""
        prefix = os.path.commonprefix([self.numerator, self.denominator])
        return f"{self.numerator[len(prefix) :]}/{self.denominator[len(prefix) :]}"

    @property
    def rule(self) -> str:
        return f"derive:{self.label}"

    @property
    def over_flag(self) -> str:
        """The flag for numerator > denominator: rectified_gt_found."""
        return self.label.replace("/", "_gt_")


def ratios_of(catalog: Catalog) -> tuple[Ratio, ...]:
    """The ratio derivations the catalog declares."""
    return tuple(
        Ratio(ind.id, *ind.raw["derive"]["ratio"]) for ind in catalog.indicators if "derive" in ind.raw
    )


def resolve_flags(ratios: Iterable[Ratio]) -> set[str]:
    """The flags `resolve` sets: a fact's flags without them are its flags as extracted."""
    return {FLAG_RATE_MISMATCH, FLAG_RATE_OVER_100, *(ratio.over_flag for ratio in ratios)}


def resolve(facts: list[Fact], catalog: Catalog | None = None) -> list[Fact]:
    """The document's facts, flagged, plus the rates derivable from its counts (input is not mutated)."""
    return resolve_ratios(facts, ratios_of(catalog or load_catalog()))


def resolve_ratios(facts: list[Fact], ratios: Iterable[Ratio]) -> list[Fact]:
    """`resolve` with the ratios given: the one place rates are derived, at extraction and again once the
    review desk's decisions have changed a document's counts (etl/review_apply.py)."""
    resolved = [_copy(fact) for fact in facts]
    for ratio in ratios:
        resolved += _apply_ratio(ratio, resolved)
    for fact in resolved:
        if fact.unit == PERCENT and fact.value > RATE_CEILING:
            _flag(fact, FLAG_RATE_OVER_100)
    return resolved


def _copy(fact: Fact) -> Fact:
    """A copy whose flags can be added to: `dataclasses.replace` re-runs __init__ over every field, which
    costs twice as much (a report gives dozens of facts)."""
    twin = copy.copy(fact)
    twin.flags = list(fact.flags)
    return twin


def _apply_ratio(ratio: Ratio, facts: list[Fact]) -> list[Fact]:
    """Flag the counts and stated rates of each (year, period) group; return the rates it derives."""
    comparable = [f for f in facts if f.scope == "area" and not f.derived]
    derived: list[Fact] = []
    for group in {_group(f) for f in comparable if f.indicator == ratio.numerator}:
        in_group = [f for f in comparable if _group(f) == group]
        numerator = _unique(f for f in in_group if f.indicator == ratio.numerator)
        denominator = _unique(f for f in in_group if f.indicator == ratio.denominator)
        if numerator is None or denominator is None or denominator.value <= 0:
            continue
        if numerator.value > denominator.value:
            _flag(numerator, ratio.over_flag)
        computed = round(numerator.value / denominator.value * 100, 2)
        stated = [f for f in in_group if f.indicator == ratio.rate]
        for rate in stated:
            if abs(rate.value - computed) > MISMATCH_TOLERANCE_PP:
                _flag(rate, FLAG_RATE_MISMATCH)
        if not stated:
            derived.append(_derived_rate(ratio, computed, numerator, denominator))
    return derived


def _group(fact: Fact) -> tuple[str, int, str]:
    """Whole-area facts are compared only within one area, year and period."""
    return (fact.area_code, fact.year, fact.period)


def _unique(candidates: Iterable[Fact]) -> Fact | None:
    """The one figure of a group (the first where repeats agree); None when absent or contradictory."""
    found = list(candidates)
    if not found or len({f.value for f in found}) > 1:
        return None
    return min(found, key=lambda f: f.start)


def _derived_rate(ratio: Ratio, value: float, numerator: Fact, denominator: Fact) -> Fact:
    """The rate computed from two count facts, pointing at the numerator's figure."""
    by_evidence = {denominator.evidence: denominator.start, numerator.evidence: numerator.start}
    in_text_order = sorted(by_evidence, key=by_evidence.__getitem__)
    approx = "about" if numerator.approx or denominator.approx else None
    return replace(
        numerator,
        indicator=ratio.rate,
        value=value,
        unit=PERCENT,
        approx=approx,
        evidence=EVIDENCE_JOINER.join(in_text_order),
        evidence_start=None,
        rule=ratio.rule,
        flags=[],
        derived=True,
    )


def _flag(fact: Fact, flag: str) -> None:
    if flag not in fact.flags:
        fact.flags.append(flag)
