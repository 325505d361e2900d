"""The indicator catalog (catalog.yaml) as typed objects.

The catalog is the one place that says what an indicator is: names, unit, category, definition, direction,
dims and the phrase rules the extractor runs. Code refers to indicator ids only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from etl.text_search import WordFinder

DEFAULT_PATH = Path(__file__).with_name("catalog.yaml")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's where it is built: ~10x faster
CONCEPT_KEYS = {"nouns", "context", "follows"}  # an indicator's concept: see etl/concepts.py


@dataclass(frozen=True)
class Category:
    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class Dim:
    id: str
    default: str
    values: dict[str, dict[str, str]]  # value -> {zh, en}
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # value -> words that set it
    window: str = "clause"  # where to look for those words: clause | clause_or_paren | sentence
    list_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # items of a 分别为 list (区、街道)

    @cached_property
    def word_finder(self) -> WordFinder[str]:
        """`words` compiled once to find the value whose word stands nearest a figure (etl/dims.py)."""
        return WordFinder((word, value) for value, words in self.words.items() for word in words)


@dataclass(frozen=True)
class Indicator:
    id: str
    zh: str
    en: str
    category: str
    unit: str
    unit_en: str
    higher_is_better: bool | None
    dims: tuple[str, ...]
    definition_zh: str
    definition_en: str
    per_capita: bool  # divided by population under "per 10k residents" (a count that grows with it)
    raw: dict = field(repr=False, compare=False, default_factory=dict)  # rules etc., read by the extractor

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"


@dataclass(frozen=True)
class Catalog:
    categories: tuple[Category, ...]
    dims: dict[str, Dim]
    indicators: tuple[Indicator, ...]
    raw: dict = field(repr=False, compare=False, default_factory=dict)
    path: str = ""

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)


def load_catalog(path: Path | str | None = None) -> Catalog:
    """Read and type the catalog; structural validation lives in tests/test_catalog.py and `validate`."""
    path = Path(path) if path else DEFAULT_PATH
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    categories = tuple(Category(c["id"], c["zh"], c["en"]) for c in raw["categories"])
    dims = {
        name: Dim(
            id=name,
            default=spec["default"],
            values={v: {"zh": n["zh"], "en": n["en"]} for v, n in spec["values"].items()},
            words={v: tuple(w) for v, w in (spec.get("words") or {}).items()},
            window=spec.get("window", "clause"),
            list_words={v: tuple(w) for v, w in (spec.get("list_words") or {}).items()},
        )
        for name, spec in raw["dims"].items()
    }
    indicators = tuple(
        Indicator(
            id=i["id"],
            zh=i["zh"],
            en=i["en"],
            category=i["category"],
            unit=i["unit"],
            unit_en=i["unit_en"],
            higher_is_better=i.get("higher_is_better"),
            dims=tuple(i.get("dims") or ()),
            definition_zh=i["definition_zh"],
            definition_en=i["definition_en"],
            per_capita=i.get("per_capita"),
            raw=i,
        )
        for i in raw["indicators"]
    )
    catalog = Catalog(categories, dims, indicators, raw=raw, path=str(path))
    errors = validate(catalog)
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    return catalog


def validate(catalog: Catalog) -> list[str]:
    """Cross-references the YAML cannot check by itself: categories, dims, unique ids, per_capita."""
    errors: list[str] = []
    cat_ids = {c.id for c in catalog.categories}
    seen: set[str] = set()
    for ind in catalog.indicators:
        if ind.id in seen:
            errors.append(f"duplicate indicator id {ind.id}")
        seen.add(ind.id)
        if ind.category not in cat_ids:
            errors.append(f"{ind.id}: unknown category {ind.category}")
        errors += [f"{ind.id}: unknown dim {d}" for d in ind.dims if d not in catalog.dims]
        errors += _unit_errors(ind) + _per_capita_errors(ind)
        concept = ind.raw.get("concept") or {}
        errors += [f"{ind.id}: unknown concept key {k}" for k in concept if k not in CONCEPT_KEYS]
        if concept.get("follows") and concept["follows"] not in {i.id for i in catalog.indicators}:
            errors.append(f"{ind.id}: follows unknown indicator {concept['follows']}")
    for dim in catalog.dims.values():
        if dim.default not in dim.values:
            errors.append(f"dim {dim.id}: default {dim.default} is not one of its values")
        errors += [
            f"dim {dim.id}: list word of unknown value {v}" for v in dim.list_words if v not in dim.values
        ]
    return errors


def _per_capita_errors(ind: Indicator) -> list[str]:
    """`per_capita` must be stated, true or false: whether a count grows with the population is a
    judgement per indicator (plans or suggestions handled do not), never guessed from its unit."""
    if not isinstance(ind.per_capita, bool):
        return [f"{ind.id}: per_capita must be true or false, not {ind.per_capita!r}"]
    if ind.per_capita and ind.is_rate:
        return [f"{ind.id}: a rate is never divided by population (per_capita: false)"]
    return []


def _unit_errors(ind: Indicator) -> list[str]:
    """Loose units and a rule's units must be counting words the indicator has."""
    units = set(ind.raw.get("units") or ())
    narrowed = [set(ind.raw.get("loose_units") or ())] + [set(r.get("units") or ()) for r in ind.raw["rules"]]
    return [f"{ind.id}: unit {u} is not one of its units" for some in narrowed for u in sorted(some - units)]
