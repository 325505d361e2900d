"""The rows of each table as DataFrames, in the schema's column names (etl/schema.sql)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from operator import attrgetter

import pandas as pd

from etl.catalog import Catalog
from etl.model import Document, Fact

DIM_COLUMNS = ("level", "field", "kind", "role")  # the facts table's dim columns (etl/schema.sql)
FACT_FIELDS = [f for f in Fact.__dataclass_fields__ if f not in ("doc", "area", "dims")]
_fact_fields = attrgetter(*FACT_FIELDS)  # one C call per fact, not one getattr per field
_doc_id = attrgetter("doc_id")
DOCUMENT_FIELDS = (
    *("id", "file_name", "path", "area_code", "year", "doc_type", "title", "text"),
    *("url", "publisher"),
)


def categories_frame(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"id": c.id, "name_zh": c.zh, "name_en": c.en, "sort_order": order}
            for order, c in enumerate(catalog.categories)
        ]
    )


def indicators_frame(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": ind.id,
                "name_zh": ind.zh,
                "name_en": ind.en,
                "category": ind.category,
                "unit": ind.unit,
                "unit_en": ind.unit_en,
                "is_rate": ind.is_rate,
                "per_capita": ind.per_capita,
                "definition_zh": ind.definition_zh,
                "definition_en": ind.definition_en,
                "higher_is_better": ind.higher_is_better,
                "dims": list(ind.dims),
                "ratio_of": ind.raw.get("derive", {}).get("ratio"),  # the catalog's `derive: {ratio: [...]}`
                "sort_order": order,
            }
            for order, ind in enumerate(catalog.indicators)
        ]
    )


def dim_values_frame(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "dim": dim.id,
                "value": value,
                "name_zh": names["zh"],
                "name_en": names["en"],
                "sort_order": order,
            }
            for dim in catalog.dims.values()
            for order, (value, names) in enumerate(dim.values.items())
        ]
    )


def documents_frame(documents: list[Document], facts: list[Fact], stats: dict) -> pd.DataFrame:
    """One row per document, with its count of facts and its file's size and mtime (`stats` by path,
    each with `.size` and `.mtime_ns`; a path not in it has neither)."""
    n_facts = Counter(map(_doc_id, facts))
    columns: dict[str, list] = {name: [getattr(doc, name) for doc in documents] for name in DOCUMENT_FIELDS}
    columns["published"] = [_iso_date_or_none(doc.published) for doc in documents]
    columns["n_facts"] = [n_facts.get(doc.id, 0) for doc in documents]
    found = [stats.get(doc.path) for doc in documents]
    columns["size"] = pd.array([s.size if s else None for s in found], dtype="Int64")
    columns["mtime_ns"] = pd.array([s.mtime_ns if s else None for s in found], dtype="Int64")
    return pd.DataFrame(columns)


def _iso_date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def facts_frame(facts: list[Fact]) -> pd.DataFrame:
    """One row per fact, dims spread over the dim columns (an unknown dim is an error, not a silent drop).

    Built from attribute tuples: `dataclasses.asdict` deep-copies every fact, which costs more than the
    load itself on a large corpus. Dims are spread by visiting only the dims a fact has (most have none)."""
    spread: dict[str, list[str | None]] = {dim: [None] * len(facts) for dim in DIM_COLUMNS}
    for row, fact in enumerate(facts):
        for dim, value in fact.dims.items():
            if dim not in spread:
                unknown = sorted(set(fact.dims) - set(DIM_COLUMNS))
                raise ValueError(f"{fact.doc}: {fact.indicator} has dims the schema lacks: {unknown}")
            spread[dim][row] = value
    frame = pd.DataFrame.from_records(list(map(_fact_fields, facts)), columns=FACT_FIELDS, nrows=len(facts))
    for name in ("start", "end", "evidence_start"):
        frame[name] = frame[name].astype("Int64")
    for dim, values in spread.items():
        frame[dim] = values
    frame["status"] = "extracted"  # unreviewed: etl/review_apply.py applies the review desk's decisions
    return frame
