"""A dashboard-scale database in seconds: 300 areas × 10 years of synthetic reports, written by the ETL's own
writer (`etl.load.build_database`) with the real catalog and area table, so the dashboard reads exactly
the schema a real run produces, independent of how fast extraction is.

`python -m tests.scale_db OUT.duckdb [--areas N] [--years A-B] [--seed S]` writes one from the shell.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.areas import AreaTable
from etl.catalog import Catalog, load_catalog
from etl.load import build_database
from etl.model import Document, Fact

# indicator -> (low, high) of a plausible whole-area value (rates handled apart)
VALUE_RANGES: dict[str, tuple[float, float]] = {
    "rescue_teams": (20, 300),
    "rescue_personnel": (500, 20_000),
    "rescue_experts": (10, 200),
    "reserve_value": (100, 5_000),
    "reserve_warehouse_area": (1_000, 50_000),
    "reserve_item_kinds": (20, 200),
    "reserve_items": (10_000, 500_000),
    "drills": (50, 2_000),
    "drill_participants": (1_000, 500_000),
    "inspections": (500, 50_000),
    "hazards_found": (500, 30_000),
    "penalties": (10, 1_000),
    "fines": (10, 2_000),
    "suggestions": (20, 400),
    "suggestion_satisfaction": (95, 100),
    "plans": (10, 500),
}
# dims written for an indicator: each combination is one fact
DIM_CHOICES: dict[str, list[dict[str, str]]] = {
    "rescue_teams": [{"level": "city"}, {"level": "county"}],
    "rescue_personnel": [{"level": "all"}],
    "rescue_experts": [{"field": "all"}],
    "suggestions": [{"kind": k, "role": "all"} for k in ("npc", "cppcc")],
    "plans": [{"level": "all"}],
}
CITY_SHARE = 0.4  # of the areas: cities; the rest districts and counties
MISSING_YEAR_SHARE = 0.05  # area-years with no report
MISSING_INDICATOR_SHARE = 0.03  # area × indicator never reported
PARTIAL_SHARE, APPROX_SHARE = 0.02, 0.05


@dataclass
class ScaleInfo:
    path: Path
    areas: list[str]
    documents: int
    facts: int


def pick_areas(table: pd.DataFrame, n: int, rng: random.Random) -> pd.DataFrame:
    """`n` areas spread over provinces: cities and districts/counties, the same for the same seed."""
    n_cities = round(n * CITY_SHARE)
    cities = table[table["level"] == "city"].sample(frac=1, random_state=rng.randrange(2**31))
    counties = table[table["level"] == "county"].sample(frac=1, random_state=rng.randrange(2**31))
    chosen = pd.concat([cities.head(n_cities), counties.head(n - n_cities)])
    return chosen.sort_values("code")


def sentence_and_fact(
    area: pd.Series,
    year: int,
    indicator: str,
    dims: dict[str, str],
    value: float,
    catalog: Catalog,
    rng: random.Random,
) -> tuple[str, dict]:
    """A report sentence giving `value`, and the fact fields that point into it (offsets in the sentence)."""
    approx = "more_than" if rng.random() < APPROX_SHARE else None
    shown = f"{value:g}" + ("余" if approx else "")
    words = "、".join(catalog.dims[d].values[v]["zh"] for d, v in dims.items())
    prefix = f"{year}年，{area['short_name']}{catalog.indicator(indicator).zh}{words}"
    sentence = f"{prefix}{shown}。"
    partial = rng.random() < PARTIAL_SHARE
    fact = {
        "indicator": indicator,
        "dims": dims,
        "value": value,
        "approx": approx,
        "start": len(prefix),
        "end": len(prefix) + len(f"{value:g}"),
        "period": "partial" if partial else "year",
        "period_note": "截至9月" if partial else None,
    }
    return sentence, fact


def area_year_values(indicator_ids: list[str], rng: random.Random, never: set[str]) -> list[tuple]:
    """(indicator, dims, value) of one report; the closure rate is derived from found and rectified."""
    out = []
    for indicator in indicator_ids:
        if indicator in never or indicator not in VALUE_RANGES:
            continue
        low, high = VALUE_RANGES[indicator]
        for dims in DIM_CHOICES.get(indicator, [{}]):
            value = round(rng.uniform(low, high), 1 if indicator == "suggestion_satisfaction" else 0)
            out.append((indicator, dims, value))
            if indicator == "hazards_found" and "hazards_rectified" not in never:
                out.append(("hazards_rectified", {}, round(value * rng.uniform(0.85, 1.0))))
    return out


def area_report(
    area: pd.Series,
    year: int,
    indicator_ids: list[str],
    catalog: Catalog,
    rng: random.Random,
    never: set[str],
) -> tuple[Document, list[Fact]]:
    """One synthetic work summary of an area for a year, and its facts with real spans into its text."""
    text, pending = f"{area['name']}应急管理局{year}年工作总结\n", []
    for indicator, dims, value in area_year_values(indicator_ids, rng, never):
        sentence, fields = sentence_and_fact(area, year, indicator, dims, value, catalog, rng)
        pending.append((len(text), sentence, fields))
        text += sentence
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    name = f"{area['code']}-{year}.txt"
    doc = Document(doc_id, name, f"/scale/{name}", text, f"{area['name']}应急管理局{year}年工作总结")
    doc.area_code, doc.area, doc.year = area["code"], area["short_name"], year
    doc.doc_type, doc.published = "work_summary", f"{year + 1}-01-{rng.randint(10, 28)}"
    facts = [fact(doc, offset, sentence, fields, catalog) for offset, sentence, fields in pending]
    return doc, facts + derived_rate(doc, facts)


def fact(doc: Document, offset: int, sentence: str, fields: dict, catalog: Catalog) -> Fact:
    return Fact(
        doc=doc.file_name,
        doc_id=doc.id,
        area=doc.area,
        area_code=doc.area_code,
        year=doc.year,
        unit=catalog.indicator(fields["indicator"]).unit,
        evidence=sentence,
        evidence_start=offset,
        rule="scale",
        **{**fields, "start": offset + fields["start"], "end": offset + fields["end"]},
    )


def derived_rate(doc: Document, facts: list[Fact]) -> list[Fact]:
    """The closure rate from the hazard counts, as resolve derives it (no evidence offset)."""
    by_id = {f.indicator: f for f in facts}
    found, fixed = by_id.get("hazards_found"), by_id.get("hazards_rectified")
    if not (found and fixed):
        return []
    return [
        Fact(
            **{
                **fixed.__dict__,
                "indicator": "hazard_closure_rate",
                "value": round(fixed.value / found.value * 100, 2),
                "unit": "%",
                "approx": None,
                "evidence": f"{found.evidence}{fixed.evidence}",
                "evidence_start": None,
                "rule": "derive:ratio",
                "derived": True,
            }
        )
    ]


def build_scale_db(
    path: Path, areas: int = 300, years: tuple[int, int] = (2015, 2024), seed: int = 0
) -> Path:
    """Write a database of `areas` areas × the `years` range at `path` (replaced if there) and return it."""
    return build_scale(path, areas, years, seed).path


def build_scale(path: Path, areas: int, years: tuple[int, int], seed: int) -> ScaleInfo:
    rng = random.Random(seed)
    catalog = load_catalog()
    table = AreaTable.load().as_dataframe()
    chosen = pick_areas(table, areas, rng)
    indicator_ids = [i.id for i in catalog.indicators]
    documents, facts = [], []
    for _, area in chosen.iterrows():
        never = {i for i in indicator_ids if rng.random() < MISSING_INDICATOR_SHARE}
        for year in range(years[0], years[1] + 1):
            if rng.random() < MISSING_YEAR_SHARE and year != years[1]:
                continue
            doc, doc_facts = area_report(area, year, indicator_ids, catalog, rng, never)
            documents.append(doc)
            facts += doc_facts
    build_database(Path(path), catalog, table, documents, facts, [], {"source": "tests.scale_db"})
    return ScaleInfo(Path(path), chosen["code"].tolist(), len(documents), len(facts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.scale_db", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the DuckDB file to write")
    parser.add_argument("--areas", type=int, default=300)
    parser.add_argument("--years", default="2015-2024", help="first-last, e.g. 2015-2024")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    first, _, last = args.years.partition("-")
    started = time.perf_counter()
    info = build_scale(args.out, args.areas, (int(first), int(last or first)), args.seed)
    seconds = time.perf_counter() - started
    print(
        f"{info.path}: {len(info.areas)} areas, {info.documents} documents, {info.facts} facts, {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
