"""The indicator catalog is data: every entry is checked against a schema and against the gold contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from etl.catalog import load_catalog, validate
from etl.rules import compile_catalog

ROOT = Path(__file__).resolve().parent.parent
RAW = yaml.safe_load((ROOT / "etl" / "catalog.yaml").read_text(encoding="utf-8"))
CATALOG = load_catalog()
REQUIRED = {
    "id": str, "zh": str, "en": str, "category": str, "unit": str, "unit_en": str,
    "dims": list, "definition_zh": str, "definition_en": str, "units": dict, "rules": list,
    "per_capita": bool,
}  # fmt: skip
RULE_KEYS = {"id", "before", "after", "unitless", "units", "scope", "context"}


def contract_rows() -> list[tuple[str, str, str, str]]:
    """(category, indicator, unit, dims) from the table in tests/gold/README.md."""
    rows = []
    for line in (ROOT / "tests" / "gold" / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"[a-z_]+", cells[1]) and cells[0] != "category":
            rows.append((cells[0], cells[1], cells[3].split(" ")[0], cells[4]))
    return rows


@pytest.mark.parametrize("entry", RAW["indicators"], ids=lambda e: e.get("id", "?"))
def test_indicator_entry_has_every_field_with_its_type(entry):
    for key, kind in REQUIRED.items():
        assert isinstance(entry.get(key), kind), f"{entry.get('id')}: {key} must be a {kind.__name__}"
    assert entry.get("higher_is_better") in (True, False, None)
    assert entry["rules"], "an indicator needs at least one rule"
    for rule in entry["rules"]:
        assert set(rule) <= RULE_KEYS and ("before" in rule or "after" in rule), rule
        assert rule["id"].split(".")[0], rule
    assert all(isinstance(f, int | float) and f > 0 for f in entry["units"].values())


def test_catalog_matches_the_gold_contract():
    rows = contract_rows()
    assert len(rows) == 18
    for category, indicator, unit, dims in rows:
        ind = CATALOG.indicator(indicator)
        assert ind.category == category and ind.unit == unit
        assert set(ind.dims) == set(re.findall(r"\b(level|field|kind|role)\b", dims))


def test_rule_ids_are_unique_and_every_regex_compiles():
    ids = [r["id"] for e in RAW["indicators"] for r in e["rules"]]
    assert len(ids) == len(set(ids))
    compiled = compile_catalog(CATALOG)
    assert len(compiled.indicators) == len(CATALOG.indicators)


def test_every_category_and_dim_value_is_used_and_named():
    used = {i.category for i in CATALOG.indicators}
    assert used == {c.id for c in CATALOG.categories}
    for dim in CATALOG.dims.values():
        assert set(dim.words) <= set(dim.values), dim.id
        assert all(v["zh"] and v["en"] for v in dim.values.values())


def test_validate_reports_broken_cross_references(tmp_path):
    broken = dict(RAW, indicators=[dict(RAW["indicators"][0], category="nowhere", dims=["colour"])])
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown category nowhere.*unknown dim colour"):
        load_catalog(path)
    assert validate(CATALOG) == []


@pytest.mark.parametrize(
    ("before", "reason"),
    [("{nonesuch}", "nonesuch"), ("队伍{gap_short, units: [支]}{link}", "unclosed regex piece")],
    ids=["unknown piece", "piece that does not close"],
)
def test_a_broken_regex_piece_is_an_error(tmp_path, before, reason):
    entry = dict(RAW["indicators"][0], rules=[{"id": "x.y", "before": before}])
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(dict(RAW, indicators=[entry]), allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=reason):
        compile_catalog(load_catalog(path))


def test_validate_reports_unknown_units_concepts_and_list_words(tmp_path):
    entry = dict(
        RAW["indicators"][0],
        loose_units=["斤"],
        concept={"nouns": ["队伍"], "follows": "nowhere", "colour": 1},
    )
    dims = dict(RAW["dims"], level=dict(RAW["dims"]["level"], list_words={"galaxy": ["银河"]}))
    path = tmp_path / "catalog.yaml"
    path.write_text(
        yaml.safe_dump(dict(RAW, indicators=[entry], dims=dims), allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(ValueError) as error:
        load_catalog(path)
    for reason in (
        "unit 斤",
        "unknown concept key colour",
        "follows unknown indicator nowhere",
        "unknown value galaxy",
    ):
        assert reason in str(error.value)


@pytest.mark.parametrize(
    ("per_capita", "unit", "reason"),
    [
        (None, "支", "per_capita must be true or false, not None"),  # not stated: never guessed
        ("yes", "支", "per_capita must be true or false, not 'yes'"),
        (1, "支", "per_capita must be true or false, not 1"),
        (True, "%", "a rate is never divided by population"),
    ],
)
def test_per_capita_is_required_as_a_boolean_and_never_set_on_a_rate(tmp_path, per_capita, unit, reason):
    entry = {k: v for k, v in RAW["indicators"][0].items() if k != "per_capita"}
    entry |= {"unit": unit, "units": {unit: 1}, "rules": [{"id": "x.y", "before": "队伍"}]}
    if per_capita is not None:
        entry["per_capita"] = per_capita
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(dict(RAW, indicators=[entry]), allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(reason)):
        load_catalog(path)


def test_per_capita_divides_only_counts_that_grow_with_the_population():
    """The decisions per indicator: rates and counts that do not grow with the population are shown as
    they are under "per 10k residents"."""
    plain = {ind.id for ind in CATALOG.indicators if not ind.per_capita}
    assert plain == {
        "hazard_closure_rate",
        "suggestion_satisfaction",  # rates
        "plans",  # each level and risk has its plan, whatever the population
        "suggestions",  # what deputies send in
        "reserve_item_kinds",  # the breadth of the stock list
    }
    assert all(not ind.per_capita for ind in CATALOG.indicators if ind.is_rate)
