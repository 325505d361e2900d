"""Re-runs over real reports: an unchanged report costs nothing, a new one costs one report, and the
database after a re-run holds what a fresh build would, whatever the number of worker processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from tests.conftest import CLI_TIMEOUT_S, REPO_ROOT, SEED_REPORTS
from tests.db_rows import contents, facts_by_file, table_rows

SEEDS = sorted(SEED_REPORTS.iterdir())
DEV = sorted((REPO_ROOT / "tests" / "corpus-dev").iterdir())
LONG_AGO_NS = 1_600_000_000 * 10**9  # September 2020: far from any run's scan


@pytest.fixture
def reports(tmp_path) -> Path:
    """Three seed reports and three development reports in a folder of their own."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for report in SEEDS[:3] + DEV[:3]:
        shutil.copy(report, folder)
    return folder


def test_unchanged_run_reads_nothing_and_keeps_the_same_rows(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    first = pipeline.run([reports], db_path)
    before = contents(db_path)
    second = pipeline.run([reports], db_path)
    assert (first.extracted, second.extracted, second.reused) == (6, 0, 6)
    assert contents(db_path) == before
    assert (second.documents, second.facts_per_indicator) == (first.documents, first.facts_per_indicator)


def test_one_new_report_is_the_only_one_read(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    before = facts_by_file(db_path)
    shutil.copy(DEV[3], reports)
    summary = pipeline.run([reports], db_path)
    after = facts_by_file(db_path)
    assert (summary.extracted, summary.reused) == (1, 6)
    assert after.pop(DEV[3].name)
    assert after == before


def test_changed_report_is_read_again_and_its_old_facts_are_gone(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    changed = reports / "luohe-2022-pingyi-zhenggai.txt"
    changed.write_bytes(changed.read_bytes().replace("7314.45万元".encode(), "7315.45万元".encode()))
    summary = pipeline.run([reports], db_path)
    values = {fact[7] for fact in facts_by_file(db_path)[changed.name]}  # facts.value
    assert (summary.extracted, summary.reused) == (1, 5)
    assert 7315.45 in values and 7314.45 not in values
    assert len(table_rows(db_path, "documents")) == 6


def test_removed_report_loses_its_rows(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    before = facts_by_file(db_path)
    (reports / DEV[0].name).unlink()
    summary = pipeline.run([reports], db_path)
    assert facts_by_file(db_path) == {k: v for k, v in before.items() if k != DEV[0].name}
    assert (summary.documents, summary.extracted) == (5, 0)


def test_a_report_turned_into_a_dangling_link_keeps_its_rows(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    before = facts_by_file(db_path)
    gone = reports / SEEDS[0].name
    gone.unlink()
    gone.symlink_to(tmp_path / "nowhere.txt")
    summary = pipeline.run([reports], db_path)
    assert facts_by_file(db_path) == before
    assert (summary.kept, summary.exit_code) == (1, 3)
    assert "dangling symbolic link" in summary.quarantined[0].reason


def test_a_rebuild_keeps_the_rows_of_a_report_refused_now(tmp_path, reports):
    """A changed manifest means every report is read again; one unreadable now still keeps its rows,
    copied from the previous database."""
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    before = facts_by_file(db_path)
    (reports / "manifest.csv").write_text("file,area,year\n", encoding="utf-8")
    (reports / SEEDS[1].name).write_bytes(b"")
    summary = pipeline.run([reports], db_path)
    assert (summary.reused, summary.extracted, summary.kept) == (0, 5, 1)
    assert facts_by_file(db_path) == before


def test_moved_and_touched_reports_are_reused_with_their_new_path_and_stat(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    (reports / "sub").mkdir()
    (reports / SEEDS[0].name).rename(reports / "sub" / "moved.txt")
    os.utime(reports / SEEDS[1].name, ns=(LONG_AGO_NS, LONG_AGO_NS))
    summary = pipeline.run([reports], db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        stored = {
            r[0]: r[1:] for r in con.execute("SELECT file_name, path, mtime_ns FROM documents").fetchall()
        }
    assert (summary.extracted, summary.reused) == (0, 6)
    assert stored["moved.txt"][0] == str(reports / "sub" / "moved.txt")
    assert stored[SEEDS[1].name][1] == LONG_AGO_NS


def test_same_size_and_old_mtime_is_taken_as_unchanged_without_reading(tmp_path, reports):
    """The stat check: a file at its stored path with its stored size and an mtime well before the last
    scan is not even hashed (as make and rsync do) ..."""
    db_path = tmp_path / "e.duckdb"
    target = reports / "luohe-2022-pingyi-zhenggai.txt"
    os.utime(target, ns=(LONG_AGO_NS, LONG_AGO_NS))
    pipeline.run([reports], db_path)
    target.write_bytes(target.read_bytes().replace("7314.45万元".encode(), "7315.45万元".encode()))
    os.utime(target, ns=(LONG_AGO_NS, LONG_AGO_NS))
    summary = pipeline.run([reports], db_path)
    assert (summary.extracted, summary.reused) == (0, 6)


def test_an_edit_in_the_same_clock_tick_as_the_last_scan_is_still_seen(tmp_path, reports):
    """... but one whose mtime is close to the last scan may have been edited right after it, within the
    filesystem's timestamp granularity: it is hashed."""
    db_path = tmp_path / "e.duckdb"
    target = reports / "luohe-2022-pingyi-zhenggai.txt"
    pipeline.run([reports], db_path)
    stat = target.stat()
    target.write_bytes(target.read_bytes().replace("7314.45万元".encode(), "7315.45万元".encode()))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    summary = pipeline.run([reports], db_path)
    assert (summary.extracted, summary.reused) == (1, 5)


def test_one_or_two_processes_or_none_give_the_same_database(tmp_path, reports):
    shutil.copy(reports / SEEDS[0].name, reports / "copy.txt")  # a copy: which path is kept must not vary
    (reports / "empty.txt").write_bytes(b"")
    built = {}
    for name, options in {
        "in-process": pipeline.RunOptions(budget_s=None),
        "one": pipeline.RunOptions(jobs=1),
        "two": pipeline.RunOptions(jobs=2),
    }.items():
        summary = pipeline.run([reports], tmp_path / f"{name}.duckdb", options=options)
        built[name] = (contents(tmp_path / f"{name}.duckdb"), summary.notes, summary.quarantined)
    assert built["one"] == built["two"] == built["in-process"]
    assert len(built["two"][0]["facts"]) > 0


def test_a_killed_rerun_leaves_the_database_and_no_worker_behind(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    before = db_path.read_bytes()
    for i, report in enumerate(DEV * 4):
        (reports / f"{i:03d}-{report.name}").write_bytes(report.read_bytes() + f"\n{i}".encode())
    with subprocess.Popen(
        [sys.executable, "-m", "etl", "run", "--reports", str(reports), "--db", str(db_path), "--jobs", "2"],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        workers = _children_once_reading(process, timeout_s=CLI_TIMEOUT_S)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert workers, "no worker was seen reading"
    assert db_path.read_bytes() == before
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "workers outlived the run"
    summary = pipeline.run([reports], db_path)
    assert (summary.extracted, summary.reused) == (len(DEV) * 4, 6)


def _children_once_reading(process: subprocess.Popen, timeout_s: float) -> list[int]:
    """The run's child processes, once its temp database exists and it has forked its workers."""
    deadline = time.monotonic() + timeout_s
    children_file = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    while process.poll() is None and time.monotonic() < deadline:
        children = [int(pid) for pid in children_file.read_text().split()] if children_file.exists() else []
        if len(children) >= 2:
            return children
        time.sleep(0.005)
    return []
