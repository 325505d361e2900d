"""What extraction costs next to reading a report: per seed report, the time to ingest it (decode,
strip furniture, normalise: the floor) and the time to extract its facts, measured in the same run.
The extract/ingest ratio travels between machines better than milliseconds, so each is printed beside the
committed baseline (tests/bench_extract_baseline.json) and flagged when more than 1.5x slower than it.
Times are this process's CPU time (time.process_time): on a machine other processes keep busy, wall time
counts the time they took the CPU (a 3 ms extraction measured at 30-50 ms); CPU time does not.

Run: `.venv/bin/python -m tests.bench_extract [--rounds N] [--save-baseline]`. Not a test: pytest does
not collect it. --save-baseline measures 3 times and writes the median ratio per report as the baseline.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

from etl.areas import AreaTable
from etl.catalog import Catalog, load_catalog
from etl.extract import extract_facts
from etl.ingest import ingest
from etl.metadata import describe
from etl.model import Document
from etl.places import Places
from etl.quantities import find_quantities
from etl.tables import table_cells

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
BASELINE = Path(__file__).resolve().parent / "bench_extract_baseline.json"
BAR = 1.5  # a ratio more than 1.5x its baseline is a slowdown worth a look
RUN_ON_REPEATS = 500  # ~10,000 characters without a sentence end
BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")  # the bare scan of issue 8
BASELINE_RUNS = 3  # one run can catch a busy machine; the median of three rarely does


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, object]:
    """Median CPU time of `fn()` over `rounds` calls, and its last result."""
    times, result = [], None
    for _ in range(rounds):
        started = time.process_time()
        result = fn()
        times.append(time.process_time() - started)
    return median(times), result


def measure(catalog: Catalog, areas: AreaTable, rounds: int) -> dict[str, tuple[float, float, float]]:
    """Per seed report: (KB, ingest seconds, extract seconds), extraction as the pipeline runs it."""
    rows, places = {}, Places(areas)
    for path in sorted(REPORTS.glob("*.txt")):
        floor, doc = timed(lambda p=path: ingest(p), rounds)
        doc = describe(doc, areas)
        cost, _facts = timed(lambda d=doc: extract_facts(d, catalog, places), rounds)
        rows[path.name] = (path.stat().st_size / 1024, floor, cost)
    return rows


def verdict(ratio: float, baseline: float | None) -> str:
    """`ok` within BAR times the baseline, else how many times slower (the baseline is itself a ratio)."""
    if baseline is None:
        return "no baseline"
    return "ok" if ratio <= BAR * baseline else f"SLOWER: {ratio / baseline:.1f}x the baseline"


def print_table(rows: dict[str, tuple[float, float, float]], baseline: dict[str, float]) -> None:
    print(
        f"{'report':40s} {'KB':>5s} {'ingest ms':>10s} {'extract ms':>11s} {'ratio':>6s} {'baseline':>8s}"
        f"  within {BAR}x"
    )
    for name, (kb, floor, cost) in rows.items():
        ratio, base = cost / floor, baseline.get(name)
        base_text = f"{base:7.2f}x" if base is not None else f"{'-':>8s}"
        print(
            f"{name:40s} {kb:5.1f} {floor * 1000:10.2f} {cost * 1000:11.2f} {ratio:5.2f}x {base_text}"
            f"  {verdict(ratio, base)}"
        )


def read_baseline() -> dict[str, float]:
    """Report name -> extract/ingest ratio; empty when no baseline was saved yet."""
    if not BASELINE.exists():
        return {}
    return json.loads(BASELINE.read_text(encoding="utf-8"))["extract_over_ingest"]


def save_baseline(runs: list[dict[str, tuple[float, float, float]]], rounds: int) -> None:
    """Write the median ratio per report over `runs` (rounded: the bar is 1.5x, not 1%)."""
    ratios = {name: round(median(run[name][2] / run[name][1] for run in runs), 2) for name in runs[0]}
    about = f"extract time / ingest time per seed report: median of {len(runs)} runs of --rounds {rounds}"
    BASELINE.write_text(
        json.dumps({"about": about, "extract_over_ingest": ratios}, indent=2) + "\n", encoding="utf-8"
    )
    print(f"baseline written to {BASELINE.name}: {about}")


def print_run_on_growth(catalog: Catalog) -> None:
    """A text with no sentence end, at two lengths: extraction time should grow with the length, not its
    square (each figure reads a bounded window of its sentence)."""
    unit = "全市开展应急演练12场次，参演人员300人"
    seconds = []
    for repeats in (RUN_ON_REPEATS, RUN_ON_REPEATS * 4):
        doc = Document(
            id="r", file_name="r.txt", path="r.txt", text=unit * repeats, area_code="990100", year=2023
        )
        seconds.append(timed(lambda d=doc: extract_facts(d, catalog), 3)[0])
    print(f"run-on text without a sentence end: 4x the length takes {seconds[1] / seconds[0]:.1f}x the time")


def print_table_growth() -> None:
    """A flattened table of short lines, at two lengths: reading its cells should grow with the lines."""
    rows = "项目 2022年 2023年\n应急演练（场次） 80 90\n"
    seconds = []
    for repeats in (500, 500 * 8):
        text = rows * repeats
        quantities = find_quantities(text)
        seconds.append(timed(lambda t=text, q=quantities: table_cells(t, q), 3)[0])
    print(f"table of short lines: 8x the lines takes {seconds[1] / seconds[0]:.1f}x the time")


def print_figure_scan_cost() -> None:
    """Finding the figures of 20 KB of seed text beside the bare scan of the same text (decode and
    re.finditer over digits, as in bench_etl): the cost of reading units, ranges and Chinese numerals."""
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(REPORTS.glob("*.txt")))
    sample = text.encode()[:20_480].decode(errors="ignore")
    raw = sample.encode()
    find_quantities(sample)  # warm the lazy tables
    floor = timed(lambda: sum(1 for _ in BARE_NUMBER.finditer(raw.decode("utf-8"))), 20)[0]
    cost = timed(lambda: find_quantities(sample), 20)[0]
    print(
        f"figures of 20 KB: {cost * 1000:.1f} ms = {cost / floor:.0f}x the bare scan ({floor * 1000:.2f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="calls per measurement (default 20)")
    parser.add_argument(
        "--save-baseline",
        action="store_true",
        help=f"measure {BASELINE_RUNS} times and rewrite {BASELINE.name} with the median ratios",
    )
    args = parser.parse_args()
    catalog, areas = load_catalog(), AreaTable.load()
    extract_facts(describe(ingest(next(REPORTS.glob("*.txt"))), areas), catalog)  # compile the rules once
    baseline, runs = read_baseline(), []
    for _ in range(BASELINE_RUNS if args.save_baseline else 1):
        runs.append(measure(catalog, areas, args.rounds))
        print_table(runs[-1], baseline)
    if args.save_baseline:
        save_baseline(runs, args.rounds)
    print_run_on_growth(catalog)
    print_table_growth()
    print_figure_scan_cost()


if __name__ == "__main__":
    main()
