"""What extraction costs next to reading a report: per seed report, the time to ingest it (decode,
strip furniture, normalise: the floor) and the time to extract its facts, measured in the same run.

Run: `.venv/bin/python -m tests.bench_extract [--rounds N]`. Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from statistics import median

from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.extract import extract_facts
from etl.ingest import ingest
from etl.metadata import describe

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"


def timed(fn, rounds: int) -> tuple[float, object]:
    """Median wall time of `fn()` over `rounds` calls, and its last result."""
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="calls per measurement (default 20)")
    rounds = parser.parse_args().rounds
    catalog, areas = load_catalog(), AreaTable.load()
    extract_facts(describe(ingest(next(REPORTS.glob("*.txt"))), areas), catalog)  # compile the rules once
    print(f"{'report':40s} {'KB':>5s} {'ingest ms':>10s} {'extract ms':>11s} {'ratio':>6s}")
    for path in sorted(REPORTS.glob("*.txt")):
        floor, doc = timed(lambda p=path: ingest(p), rounds)
        doc = describe(doc, areas)
        cost, facts = timed(lambda d=doc: extract_facts(d, catalog), rounds)
        kb = path.stat().st_size / 1024
        print(f"{path.name:40s} {kb:5.1f} {floor * 1000:10.2f} {cost * 1000:11.2f} {cost / floor:6.1f}x")


if __name__ == "__main__":
    main()
