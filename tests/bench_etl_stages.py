"""What a worker spends per report, stage by stage: ingest, describe, extract, resolve, in CPU milliseconds
(time.process_time, this process only: the machine's other load counts far less than in wall time), the
minimum of several runs over the same reports, after one warm-up pass (lazy tables are built once).

Run: `.venv/bin/python -m tests.bench_etl_stages [--corpus DIR] [--every N] [--runs N]` (default: every 20th
report of /tmp/scale-corpus, with the seed and development reports). Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from etl.areas import AreaTable
from etl.catalog import Catalog, load_catalog
from etl.extract import extract_facts
from etl.ingest import ingest
from etl.metadata import describe
from etl.model import Quarantined
from etl.places import Places
from etl.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("ingest", "describe", "extract", "resolve")


def reports(corpus: Path, every: int) -> list[Path]:
    """Every `every`-th report of the corpus, and the seed and development reports."""
    sample = sorted(corpus.glob("*.txt"))[::every] if corpus.is_dir() else []
    return (
        sorted((ROOT / "tests" / "corpus-dev").glob("*"))
        + sorted((ROOT / "data" / "reports").glob("*"))
        + sample
    )


def one_run(paths: list[Path], catalog: Catalog, areas: AreaTable, places: Places) -> dict[str, float]:
    """CPU seconds per stage over `paths`, each report read as a worker reads it (etl/reader.py)."""
    spent = dict.fromkeys(STAGES, 0.0)
    for path in paths:
        try:
            started = time.process_time()
            doc = replace(ingest(path), file_name=path.name, path=str(path))
            ingested = time.process_time()
            doc = describe(doc, areas)
            described = time.process_time()
            facts = extract_facts(doc, catalog, places)
            extracted = time.process_time()
            resolve(facts, catalog)
            now = time.process_time()
        except Quarantined:
            continue  # a refused report (none in these sets) is left out
        spent["ingest"] += ingested - started
        spent["describe"] += described - ingested
        spent["extract"] += extracted - described
        spent["resolve"] += now - extracted
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/scale-corpus"), help="the scale corpus")
    parser.add_argument("--every", type=int, default=20, help="read every Nth report of it (default 20)")
    parser.add_argument("--runs", type=int, default=3, help="runs; the minimum per stage counts (default 3)")
    args = parser.parse_args()
    catalog, areas = load_catalog(), AreaTable.load()
    places, paths = Places(areas), reports(args.corpus, args.every)
    one_run(paths, catalog, areas, places)  # warm-up: lazy tables and the file cache
    runs = [one_run(paths, catalog, areas, places) for _ in range(args.runs)]
    best = {stage: min(run[stage] for run in runs) for stage in STAGES}
    per_report = " ".join(f"{stage} {best[stage] / len(paths) * 1000:.2f}" for stage in STAGES)
    total = sum(best.values()) / len(paths) * 1000
    print(
        f"{len(paths)} reports, CPU ms per report (min of {args.runs} runs): {per_report}; total {total:.2f}"
    )


if __name__ == "__main__":
    main()
