"""`make bench-etl`: the ETL on the scale corpus against a bare scan of the same files, in one run.

The floor is the bare scan (README, issue #8): read each report, decode it as UTF-8 and run
`re.finditer(r"\\d+(?:\\.\\d+)?")` over it, in one process, timed after one warm-up pass. Then, each as a
user runs it (`python -m etl run`, a subprocess, default jobs): a full build (wall time, documents/s, MB/s,
peak resident memory of the largest process and of the whole run, its ratio to the bare scan, and its CPU
time in all processes against the scan's, which other load on the machine inflates less), a re-run with
nothing changed, and a re-run with one new report (times, and ratios to the full build). Figures only:
no pass or fail.

    .venv/bin/python -m tests.bench_etl [--corpus DIR | --areas N --years A-B] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO_ROOT

NUMBER = re.compile(r"\d+(?:\.\d+)?")
# `python -m etl ARGS` as run by the user, which also writes the run's own CPU seconds and those of its
# workers (its reaped children) to the file named by ETL_BENCH_USAGE: how the CPU splits between them
RUN_ETL = """
import os, resource, runpy, sys
sys.argv[0] = "etl"
try:
    runpy.run_module("etl", run_name="__main__", alter_sys=True)
finally:
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    with open(os.environ["ETL_BENCH_USAGE"], "w") as usage:
        usage.write(f"{own.ru_utime + own.ru_stime} {children.ru_utime + children.ru_stime}")
"""
SAMPLE_S = 0.05  # how often the run's processes' resident memory is sampled
PAGE_KB = 4


@dataclass
class Timed:
    seconds: float
    cpu_seconds: (
        float  # user + system time of the run and all its workers: what a loaded machine can't inflate
    )
    parent_cpu_seconds: float  # ... of the run's own process (reading results, writing the database)
    peak_process_mb: float  # the largest single process (the run or one of its workers)
    peak_total_mb: float  # all of the run's processes at once
    stdout: str


def bare_scan(files: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds to read, decode and scan every file for numbers, after one warm-up pass."""
    _scan(files)
    started, cpu_started = time.perf_counter(), time.process_time()
    _scan(files)
    return time.perf_counter() - started, time.process_time() - cpu_started


def _scan(files: list[Path]) -> int:
    found = 0
    for path in files:
        for _match in NUMBER.finditer(path.read_bytes().decode("utf-8")):
            found += 1
    return found


def etl_run(args: list[str]) -> Timed:
    """`python -m etl run ARGS`, timed, with the peak resident memory of its process tree sampled."""
    handle, name = tempfile.mkstemp(prefix="etl-bench-usage-")
    os.close(handle)
    usage = Path(name)
    started, cpu_before = time.perf_counter(), _children_cpu()
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_ETL, "run", *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"ETL_BENCH_USAGE": str(usage)},
    )
    peaks = [0.0, 0.0]
    sampler = threading.Thread(target=_sample, args=(process, peaks), daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode not in (0, 3):
        raise SystemExit(f"etl run failed (exit {process.returncode}):\n{stdout}")
    parent_cpu = float(usage.read_text().split()[0])
    usage.unlink()
    return Timed(seconds, _children_cpu() - cpu_before, parent_cpu, peaks[0], peaks[1], stdout)


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (and theirs, once reaped): the run and its workers."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _sample(process: subprocess.Popen, peaks: list[float]) -> None:
    while process.poll() is None:
        sizes = [_resident_mb(pid) for pid in _tree(process.pid)]
        peaks[0] = max(peaks[0], *sizes, 0.0)
        peaks[1] = max(peaks[1], sum(sizes))
        time.sleep(SAMPLE_S)


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Linux /proc)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid, *(p for child in children for p in _tree(int(child)))]


def _resident_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB / 1024
    except (OSError, IndexError):
        return 0.0


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.txt") if not p.name.startswith("."))


def report(corpus: Path, jobs: list[str], work: Path) -> None:
    """Measure and print every figure (see the module doc)."""
    files = corpus_files(corpus)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    floor, floor_cpu = bare_scan(files)
    print(f"corpus: {corpus}: {len(files)} reports, {megabytes:.1f} MB")
    print(f"bare scan (1 process, warm): {floor:.2f} s ({floor_cpu:.2f} s CPU)")
    extra = work / "new"
    extra.mkdir()
    db_args = ["--reports", str(corpus), str(extra), "--db", str(work / "e.duckdb"), *jobs]
    full = etl_run(db_args)
    print(
        f"full build: {full.seconds:.1f} s = {full.seconds / floor:.1f}x the bare scan; "
        f"{len(files) / full.seconds:.0f} documents/s, {megabytes / full.seconds:.2f} MB/s; peak RSS "
        f"{full.peak_process_mb:.0f} MB largest process, {full.peak_total_mb:.0f} MB all processes"
    )
    print(
        f"  CPU: {full.cpu_seconds:.1f} s in all processes = {full.cpu_seconds / floor_cpu:.1f}x the bare "
        f"scan's CPU, so {full.cpu_seconds / floor_cpu / os.cpu_count():.1f}x it at best on {os.cpu_count()} "
        f"idle cores; the run's own process {full.parent_cpu_seconds:.1f} s, its workers "
        f"{full.cpu_seconds - full.parent_cpu_seconds:.1f} s"
    )
    print("  " + next(line for line in full.stdout.splitlines() if line.startswith("documents:")))
    unchanged = etl_run(db_args)
    print(
        f"re-run, nothing changed: {unchanged.seconds:.2f} s = {unchanged.seconds / full.seconds:.3f}x the full build"
    )
    new = files[len(files) // 2]
    (extra / f"new-{new.name}").write_bytes(new.read_bytes() + b"\n")
    one_new = etl_run(db_args)
    print(
        f"re-run, one new report: {one_new.seconds:.2f} s = {one_new.seconds / full.seconds:.3f}x the full build"
    )
    print("  " + next(line for line in one_new.stdout.splitlines() if line.startswith("documents:")))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.bench_etl", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, help="a corpus folder to use as it is (default: make one)")
    ap.add_argument("--areas", type=int, default=300, help="cities of the corpus made (default 300)")
    ap.add_argument("--years", default="2015-2024", help="years of the corpus made, A-B (default 2015-2024)")
    ap.add_argument("--jobs", type=int, help="passed to etl run (default: its own, the number of cores)")
    args = ap.parse_args(argv)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory(prefix="bench-etl-") as temp:
        work = Path(temp)
        corpus = args.corpus or _made_corpus(work / "corpus", args.areas, args.years)
        report(corpus, jobs, work)
    return 0


def _made_corpus(out: Path, areas: int, years: str) -> Path:
    from tests.make_corpus import make_corpus

    first, _, last = years.partition("-")
    started = time.perf_counter()
    info = make_corpus(out, areas, (int(first), int(last or first)))
    print(
        f"made the corpus: {info.files} reports, {info.bytes / 1e6:.1f} MB in {time.perf_counter() - started:.0f} s"
    )
    return out


if __name__ == "__main__":
    raise SystemExit(main())
