"""`make bench-dash`: the dashboard at 300 areas × 10 years, driven over real HTTP the way the browser
drives it. Builds the scale database (tests/scale_db.py) in a temporary folder, serves the real app on
loopback in a subprocess, and makes 200 filter changes across the views a manager opens (all areas, a
category, a year range, per 10k, a home area, English, a province, named areas) with tests/dash_client.py,
which fires every callback a URL change fires. Prints server time per callback (p50/p95, per view and
overall; a view's first visit apart from repeats, which the per-view cache serves), and the largest
payload. Figures, not pass/fail.

    .venv/bin/python -m tests.bench_dash [--areas 300] [--changes 200] [--db existing.duckdb]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from tests.browser import free_port, serve
from tests.dash_client import DashClient, Timing
from tests.scale_db import build_scale_db

CATEGORIES = ("rescue", "reserves", "drills", "hazards", "suggestions", "enforcement", "plans")
YEARS = ("latest", "2024", "2015-2024", "2020-2024")
CALLBACK_BUDGET_S, PAYLOAD_BUDGET = 0.1, 1_000_000  # the bar: printed beside the figures
PAGE_REQUESTS = {"page", "layout", "dependencies"}  # fetched once per page load, not per filter change


def views(area_names: list[str], province: str) -> dict[str, callable]:
    """View kind -> a random query string of that kind (the kinds the issue names, and a group)."""
    home = lambda rng: rng.choice(area_names)  # noqa: E731
    year = lambda rng: rng.choice(YEARS)  # noqa: E731
    return {
        "all areas": lambda rng: f"?year={year(rng)}",
        "category": lambda rng: f"?year={year(rng)}&cat={rng.choice(CATEGORIES)}",
        "year range": lambda rng: f"?year={rng.choice(YEARS[2:])}",
        "per 10k": lambda rng: f"?year={year(rng)}&per=10k",
        "home area": lambda rng: f"?year={year(rng)}&home={home(rng)}",
        "English": lambda rng: f"?year={year(rng)}&lang=en",
        "province": lambda rng: f"?area={province}&year={year(rng)}",
        "named areas": lambda rng: "?area=" + ",".join(rng.sample(area_names, 8)) + f"&year={year(rng)}",
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def drive(base_url: str, kinds: dict, changes: int, seed: int) -> list[tuple[str, bool, Timing]]:
    """(view kind, first visit of that exact view, timing) of every callback of `changes` filter changes."""
    rng = random.Random(seed)
    client = DashClient(base_url)
    client.open("/")  # the page load: layout and dependencies once, as a browser tab does
    seen: set[str] = set()
    out = []
    for _ in range(changes):
        kind = rng.choice(list(kinds))
        search = kinds[kind](rng)
        first = search not in seen
        seen.add(search)
        for timing in client.open("/" + search):
            if timing.name not in PAGE_REQUESTS:
                out.append((kind, first, timing))
    return out


def report(results: list[tuple[str, bool, Timing]]) -> None:
    failed = [t for _, _, t in results if not t.ok]
    print(f"{len(results)} callbacks, {len(failed)} failed")
    for timing in failed[:5]:
        print(f"  failed: {timing.status} {timing.name[:80]}")
    print(f"{'view':14} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'first-visit p95':>16} {'max kB':>8}")
    groups: dict[str, list] = defaultdict(list)
    for kind, first, timing in results:
        groups[kind].append((first, timing))
    for kind, rows in [*groups.items(), ("overall", [(f, t) for _, f, t in results])]:
        seconds = [t.seconds * 1000 for _, t in rows]
        first = [t.seconds * 1000 for f, t in rows if f]
        largest = max(t.bytes for _, t in rows) / 1000
        print(
            f"{kind:14} {len(rows):6} {percentile(seconds, 0.5):8.1f} {percentile(seconds, 0.95):8.1f} "
            f"{percentile(first, 0.95):16.1f} {largest:8.1f}"
        )
    print(f"{'callback':40} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8}")
    by_callback: dict[str, list[float]] = defaultdict(list)
    for _, _, timing in results:
        by_callback[timing.name.split(" ")[0][:40]].append(timing.seconds * 1000)
    for name, seconds in sorted(by_callback.items(), key=lambda item: -len(item[1])):
        print(f"{name:40} {len(seconds):6} {percentile(seconds, 0.5):8.1f} {percentile(seconds, 0.95):8.1f}")
    biggest = max(results, key=lambda r: r[2].bytes)[2]
    overall = percentile([t.seconds for _, _, t in results], 0.95)
    print(
        f"largest payload: {biggest.bytes / 1000:.1f} kB ({biggest.name[:60]}) "
        f"= {biggest.bytes / PAYLOAD_BUDGET:.2f} of the 1 MB budget; "
        f"overall p95 = {overall / CALLBACK_BUDGET_S:.2f} of the 100 ms budget"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench_dash", description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=300)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", type=Path, help="an existing database instead of a fresh scale one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        db = args.db or build_scale_db(Path(folder) / "scale.duckdb", areas=args.areas)
        print(
            f"database: {db} ({time.perf_counter() - started:.1f} s to build)"
            if not args.db
            else f"database: {db}"
        )
        area_names, province = sample_areas(db)
        port = free_port()
        with serve(["-m", "dashboard", "--db", str(db), "--port", str(port)], port) as base_url:
            report(drive(base_url, views(area_names, province), args.changes, args.seed))
    return 0


def sample_areas(db: Path) -> tuple[list[str], str]:
    """Codes of areas with reports (to name and to take as home) and the province group with most."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT DISTINCT d.area_code, a.province_code FROM documents d JOIN areas a ON a.code = d.area_code"
        ).fetchall()
    provinces = [province[:2] for _, province in rows]
    return sorted(code for code, _ in rows), "prov:" + statistics.mode(provinces)


if __name__ == "__main__":
    sys.exit(main())
