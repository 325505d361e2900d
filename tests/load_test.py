"""Many managers at once: simulated users changing the dashboard's filters on the production server
(gunicorn, several workers, the shared export service) while the ETL rebuilds the database under it.

Each user is a tests/dash_client.DashClient: a page load, then in-page navigations to random views (all
areas, a few areas, a category, year ranges, per 10,000 residents, a home area, English, the reports
list, a document page), now and then a fresh page load. Every HTTP request counts; one that fails
(status other than 200/204, no answer, or a broken answer) fails the run. Loopback only, bounded in
time; it stops by itself.

Run: `make load-test`, i.e. `.venv/bin/python -m tests.load_test [--corpus DIR [--db BUILT]]
[--clients 20] [--seconds 60] [--rebuilds 2] [--workers 4] [--threads 4]`. Prints requests, failures, p50/p95/max per
request and per view, the largest payload and the slowest callbacks. Exit status 0: no request failed
and every rebuild was served without a restart.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from dashboard import queries
from tests.dash_client import DashClient, Timing
from tests.gunicorn_server import gunicorn

REPO = Path(__file__).resolve().parents[1]
SEED_REPORTS = REPO / "data" / "reports"
RELOAD_SHARE = 0.15  # views opened as a fresh page load rather than an in-page navigation
ETL_OK = (0, 3)  # 3: finished with quarantined inputs, still a usable database
ETL_TIMEOUT_S = 1800.0


@dataclass(frozen=True)
class ViewCatalog:
    """What random views are made of, read from the database before the run."""

    areas: list[str]
    categories: list[str]
    years: list[int]
    doc_ids: list[str]

    @classmethod
    def of(cls, db_path: Path) -> ViewCatalog:
        areas = queries.areas(db_path)
        reported = areas[areas["has_reports"]] if "has_reports" in areas else areas
        return cls(
            areas=reported["short_name"].tolist(),
            categories=queries.categories(db_path)["id"].tolist(),
            years=sorted(queries.report_years(db_path)),
            doc_ids=queries.documents(db_path)["id"].tolist(),
        )

    def random_view(self, rng: random.Random) -> str:
        """A link a manager might open: mostly dashboard views with a few filters, sometimes the
        reports list or a document."""
        roll = rng.random()
        if roll < 0.05:
            return "/reports"
        if roll < 0.12 and self.doc_ids:
            return f"/doc/{rng.choice(self.doc_ids)}"
        params: dict[str, str] = {}
        if self.areas and rng.random() < 0.6:  # else all reported areas
            params["area"] = ",".join(rng.sample(self.areas, min(len(self.areas), rng.randint(1, 6))))
        params["year"] = self._random_year(rng)
        if self.categories and rng.random() < 0.3:
            params["cat"] = rng.choice(self.categories)
        if rng.random() < 0.3:
            params["per"] = "10k"
        if self.areas and rng.random() < 0.2:
            params["home"] = rng.choice(self.areas)
        if rng.random() < 0.15:
            params["lang"] = "en"
        return "?" + urlencode(params, safe=",")

    def _random_year(self, rng: random.Random) -> str:
        if not self.years or rng.random() < 0.4:
            return "latest"
        first, last = sorted(rng.sample(self.years, 2)) if len(self.years) > 1 else (self.years[0],) * 2
        return str(first) if rng.random() < 0.5 else f"{first}-{last}"


@dataclass
class LoadResult:
    """Every request, every view's total time, and what went wrong (shared by the client threads)."""

    timings: list[Timing] = field(default_factory=list)
    views: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, target: str, timings: list[Timing], seconds: float | None) -> None:
        """A view's requests, and its time unless the run ended before it was complete (None)."""
        with self.lock:
            self.timings.extend(timings)
            if seconds is not None:
                self.views.append(seconds)
            self.errors.extend(f"{t.name} -> {t.status} ({target})" for t in timings if not t.ok)

    def add_error(self, target: str, error: Exception) -> None:
        with self.lock:
            self.errors.append(f"{target}: {error!r}")

    @property
    def failures(self) -> int:
        return len(self.errors)


def user(base_url: str, catalog: ViewCatalog, seed: int, done: threading.Event, result: LoadResult) -> None:
    """One manager: random views until the run is done, each timed."""
    rng = random.Random(seed)
    client = DashClient(base_url, leave=done)
    try:
        while not done.is_set():
            target = catalog.random_view(rng)
            started = time.perf_counter()
            try:
                timings = client.open(target, reload=rng.random() < RELOAD_SHARE)
            except Exception as error:  # a broken answer is a failed request: count it, go on
                result.add_error(target, error)
                client = DashClient(base_url, leave=done)
                continue
            result.add(target, timings, None if done.is_set() else time.perf_counter() - started)
    finally:
        client.close()


def run_load(
    base_url: str,
    catalog: ViewCatalog,
    clients: int,
    seconds: float,
    rebuilds: list[Callable[[], None]],
) -> LoadResult:
    """`clients` users for `seconds`, or until the last rebuild has finished if that is later; the
    rebuilds run one after another from this thread, the first right away, the others spread evenly
    over the time (a short run still ends soon after its one rebuild)."""
    result = LoadResult()
    done = threading.Event()
    started = time.monotonic()
    threads = [
        threading.Thread(target=user, args=(base_url, catalog, n, done, result), daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    try:
        for k, rebuild in enumerate(rebuilds, start=1):
            time.sleep(max(0.0, started + seconds * (k - 1) / len(rebuilds) - time.monotonic()))
            rebuild()
        time.sleep(max(0.0, started + seconds - time.monotonic()))
    finally:
        done.set()
        for thread in threads:
            thread.join()
    return result


def etl_run(reports: Path, db_path: Path) -> float:
    """`python -m etl run` as the operator runs it; its wall time. Raises on a failed run."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "etl", "run", "--reports", str(reports), "--db", str(db_path)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=ETL_TIMEOUT_S)
    if done.returncode not in ETL_OK:
        raise RuntimeError(f"ETL failed ({done.returncode}): {(done.stdout + done.stderr)[-1000:]}")
    return time.perf_counter() - started


def serves_report(base_url: str, file_name: str) -> bool:
    """Whether the server's reports page lists the file (the database it reads now holds it)."""
    client = DashClient(base_url)
    try:
        timings = client.open("/reports")
        assert client.page is not None and all(t.ok for t in timings), timings
        return file_name in str(client.page.tree)
    finally:
        client.close()


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def summary(result: LoadResult, seconds: float) -> list[str]:
    """The figures the run prints: requests, failures, latency, throughput, largest payload."""
    times = [t.seconds for t in result.timings]
    lines = [
        f"requests: {len(result.timings)} in {seconds:.0f} s ({len(result.timings) / seconds:.1f}/s), "
        f"views: {len(result.views)}, failures: {result.failures}",
        f"request seconds: p50 {quantile(times, 0.5):.3f}  p95 {quantile(times, 0.95):.3f}  max {max(times, default=0):.3f}",
        f"view seconds (all requests of one view, one after another): p50 {quantile(result.views, 0.5):.3f}  "
        f"p95 {quantile(result.views, 0.95):.3f}  max {max(result.views, default=0):.3f}",
    ]
    if result.timings:
        largest = max(result.timings, key=lambda t: t.bytes)
        lines.append(f"largest payload: {largest.bytes / 1024:.0f} KiB ({largest.name})")
    by_name: dict[str, list[float]] = {}
    for timing in result.timings:
        by_name.setdefault(timing.name, []).append(timing.seconds)
    slowest = sorted(by_name.items(), key=lambda item: -quantile(item[1], 0.95))[:5]
    lines.append("slowest requests by p95 (count, p50, p95 s):")
    lines += [
        f"  {len(v):6d} {quantile(v, 0.5):7.3f} {quantile(v, 0.95):7.3f}  {name[:90]}" for name, v in slowest
    ]
    lines += [f"failed: {error}" for error in result.errors[:20]]
    return lines


@dataclass
class Rebuilds:
    """ETL runs under the running server, each a real change: odd ones leave one report out, even ones
    put it back. After each, whether the server's reports page shows the change (no restart)."""

    reports: Path
    db_path: Path
    base_url: str = ""
    served: list[bool] = field(default_factory=list)
    away: Path | None = None  # the report left out, while it is

    @property
    def moved(self) -> Path:
        """The report that goes and comes back: the first file of a folder without a manifest."""
        files = sorted(p for p in self.reports.rglob("*") if p.is_file() and p.suffix.lower() != ".csv")
        return next(p for p in files if not any(p.parent.glob("[mM][aA][nN][iI][fF][eE][sS][tT].*")))

    def step(self, k: int) -> Callable[[], None]:
        def run() -> None:
            if k % 2:
                self.away = self.moved
                self.away.rename(self.db_path.parent / self.away.name)
            else:
                (self.db_path.parent / self.away.name).rename(self.away)
            seconds = etl_run(self.reports, self.db_path)
            self.served.append(serves_report(self.base_url, self.away.name) != bool(k % 2))
            change = "without" if k % 2 else "with"
            shown = "yes" if self.served[-1] else "NO"
            print(
                f"rebuild {k} ({change} {self.away.name}): {seconds:.1f} s; served without a restart: {shown}"
            )

        return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load_test", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus", type=Path, default=SEED_REPORTS, help="reports folder (default data/reports)"
    )
    parser.add_argument("--db", type=Path, help="start from a copy of this database, built from --corpus")
    parser.add_argument("--clients", type=int, default=20, help="simulated users at once (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the run (default 60)")
    parser.add_argument("--rebuilds", type=int, default=2, help="ETL runs during the load (default 2)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="load-test-") as tmp:
        rebuilds = Rebuilds(Path(tmp) / "reports", Path(tmp) / "emergency.duckdb")
        shutil.copytree(args.corpus, rebuilds.reports, ignore=shutil.ignore_patterns(".*"))
        if args.db:
            shutil.copyfile(args.db, rebuilds.db_path)
        else:
            seconds = etl_run(rebuilds.reports, rebuilds.db_path)
            print(f"building the database from {args.corpus}: {seconds:.1f} s")
        catalog = ViewCatalog.of(rebuilds.db_path)
        with gunicorn(rebuilds.db_path, args.workers, args.threads) as server:
            rebuilds.base_url = server.base_url
            print(
                f"gunicorn: {args.workers} workers × {args.threads} threads; {args.clients} users, {args.seconds:.0f} s"
            )
            started, cpu_started = time.monotonic(), time.process_time()
            steps = [rebuilds.step(k) for k in range(1, args.rebuilds + 1)]
            result = run_load(rebuilds.base_url, catalog, args.clients, args.seconds, steps)
            elapsed = time.monotonic() - started
            server_log = server.errors() if result.failures else ""
    print("\n".join(summary(result, elapsed)))
    if server_log:
        print(f"end of the server's log:\n{server_log}")
    print(
        f"client CPU (this process, all users): {time.process_time() - cpu_started:.1f} s in {elapsed:.0f} s"
    )
    return 0 if result.failures == 0 and all(rebuilds.served) else 1


if __name__ == "__main__":
    sys.exit(main())
