"""resolve(): derived closure rates and consistency flags, as tables of facts -> outcome."""

from __future__ import annotations

import pytest

from etl.catalog import load_catalog
from etl.resolve import Ratio, ratios_of, resolve

CLOSURE = "hazard_closure_rate"


def derived_rates(facts):
    return [(f.year, f.value) for f in resolve(facts) if f.derived]


def flags_by_indicator(facts):
    return {f.indicator: f.flags for f in resolve(facts) if not f.derived and f.flags}


def test_catalog_declares_the_closure_rate_ratio():
    assert ratios_of(load_catalog()) == (Ratio(CLOSURE, "hazards_rectified", "hazards_found"),)


def test_derived_rate_carries_rule_evidence_and_the_rectified_span(make_fact):
    found = make_fact("hazards_found", 1744, evidence="发现隐患1744处", start=10, end=14)
    rectified = make_fact("hazards_rectified", 1700, evidence="整改隐患1700处", start=30, end=34)
    [rate] = [f for f in resolve([rectified, found]) if f.derived]
    assert (rate.indicator, rate.value, rate.unit, rate.rule) == (
        CLOSURE,
        97.48,
        "%",
        "derive:rectified/found",
    )
    assert rate.evidence == "发现隐患1744处 … 整改隐患1700处"
    assert (rate.start, rate.end, rate.evidence_start, rate.flags) == (30, 34, None, [])


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(
            [("hazards_found", 200, {}), ("hazards_rectified", 150, {})], [(2023, 75.0)], id="only-counts"
        ),
        pytest.param(
            [("hazards_found", 200, {}), ("hazards_rectified", 150, {}), (CLOSURE, 75.0, {})],
            [],
            id="rate-reported",
        ),
        pytest.param(
            [("hazards_found", 200, {}), ("hazards_rectified", 150, {"year": 2022})], [], id="other-year"
        ),
        pytest.param(
            [("hazards_found", 200, {"scope": "campaign"}), ("hazards_rectified", 150, {})], [], id="campaign"
        ),
        pytest.param(
            [("hazards_found", 200, {}), ("hazards_rectified", 150, {"period": "partial"})], [], id="partial"
        ),
        pytest.param([("hazards_found", 0, {}), ("hazards_rectified", 0, {})], [], id="zero-found"),
        pytest.param([("hazards_rectified", 150, {})], [], id="no-found"),
        pytest.param(
            [("hazards_found", 200, {}), ("hazards_found", 300, {}), ("hazards_rectified", 150, {})],
            [],
            id="contradictory-found",
        ),
        pytest.param(
            [("hazards_found", 200, {}), ("hazards_found", 200, {}), ("hazards_rectified", 150, {})],
            [(2023, 75.0)],
            id="repeated-found",
        ),
        pytest.param(
            [
                *[("hazards_found", 200, {"year": y}) for y in (2022, 2023)],
                *[("hazards_rectified", r, {"year": y}) for y, r in ((2022, 100), (2023, 199))],
            ],
            [(2022, 50.0), (2023, 99.5)],
            id="two-years",
        ),
    ],
)
def test_derivation(make_fact, facts, expected):
    built = [make_fact(indicator, value, **extra) for indicator, value, extra in facts]
    assert sorted(derived_rates(built)) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(
            [("hazards_found", 1000), ("hazards_rectified", 900), (CLOSURE, 90.8)], {}, id="within-1pp"
        ),
        pytest.param(
            [("hazards_found", 1000), ("hazards_rectified", 900), (CLOSURE, 95.0)],
            {CLOSURE: ["rate_mismatch"]},
            id="mismatch",
        ),
        pytest.param(
            [("hazards_found", 100), ("hazards_rectified", 120)],
            {"hazards_rectified": ["rectified_gt_found"]},
            id="rectified-gt-found",
        ),
        pytest.param(
            [("hazards_found", 100), ("hazards_rectified", 120), (CLOSURE, 120.0)],
            {"hazards_rectified": ["rectified_gt_found"], CLOSURE: ["rate_over_100"]},
            id="both",
        ),
        pytest.param([(CLOSURE, 100.5)], {CLOSURE: ["rate_over_100"]}, id="rate-over-100"),
        pytest.param(
            [("suggestion_satisfaction", 101.0)],
            {"suggestion_satisfaction": ["rate_over_100"]},
            id="any-rate",
        ),
        pytest.param([(CLOSURE, 100.0), ("hazards_found", 100)], {}, id="exactly-100"),
    ],
)
def test_flags(make_fact, facts, expected):
    assert flags_by_indicator([make_fact(indicator, value) for indicator, value in facts]) == expected


def test_derived_rate_over_100_is_flagged(make_fact):
    facts = [make_fact("hazards_found", 100), make_fact("hazards_rectified", 120)]
    [rate] = [f for f in resolve(facts) if f.derived]
    assert (rate.value, rate.flags) == (120.0, ["rate_over_100"])


def test_input_facts_are_not_mutated(make_fact):
    facts = [make_fact("hazards_found", 100), make_fact("hazards_rectified", 120), make_fact(CLOSURE, 130.0)]
    resolve(facts)
    assert [f.flags for f in facts] == [[], [], []]
