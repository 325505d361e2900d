"""Hostile report folders: nothing the run cannot read, follow or resolve is skipped without a quarantine
row, no manifest row reaches a report of another folder, no file name forges a line of output, and no
report holds up the run past its time budget."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.executors import LocalPool
from etl.model import Quarantined
from etl.reader import ReportReader
from tests.conftest import CLI_TIMEOUT_S, REPO_ROOT, SEED_REPORTS, run_etl

SEEDS = sorted(SEED_REPORTS.iterdir())
LUOHE = SEED_REPORTS / "luohe-2022-pingyi-zhenggai.txt"  # detected as 漯河 (411100) 2022
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """A report folder holding one seed report."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder)
    return folder


def documents(db_path: Path) -> dict[str, tuple[str, int]]:
    """file name -> (area code, year) of every document in the database."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT file_name, area_code, year FROM documents").fetchall()
    return {name: (area, year) for name, area, year in rows}


def quarantine(db_path: Path) -> dict[str, str]:
    """file name -> reason of every quarantine row in the database."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return dict(con.execute("SELECT file_name, reason FROM quarantine").fetchall())


# --- files the walk cannot read, follow or resolve -------------------------------------------------


def _without_root_read_rights() -> None:
    """In the child: as root, give up the rights to read any folder regardless of its mode bits."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_unprivileged(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python -m etl ARGS` as run_etl, but unable to read a folder of mode 000 even as root."""
    return subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        preexec_fn=_without_root_read_rights,
    )


def test_unreadable_subfolder_is_quarantined_and_its_old_reports_kept(tmp_path, reports):
    locked = reports / "locked"
    locked.mkdir()
    shutil.copy(SEEDS[1], locked)
    db_path = tmp_path / "e.duckdb"
    assert run_etl("run", "--reports", reports, "--db", db_path).returncode == 0
    locked.chmod(0)
    try:
        probe = run_unprivileged("-c", f"import os; os.listdir({str(locked)!r})")
        if probe.returncode == 0:
            pytest.skip("this process cannot make a folder unreadable to itself")
        result = run_unprivileged("-m", "etl", "run", "--reports", reports, "--db", db_path)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "cannot read the folder" in quarantine(db_path)["locked"]
    [line] = [line for line in result.stdout.splitlines() if str(locked) in line]
    assert "cannot read the folder" in line
    assert set(documents(db_path)) == {SEEDS[0].name, SEEDS[1].name}, "loaded before: kept"


def test_links_that_cannot_be_followed_are_quarantined(tmp_path, reports):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(SEEDS[1], outside / "secret.txt")
    (reports / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (reports / "loop.txt").symlink_to(reports / "loop.txt")
    (reports / "escape.txt").symlink_to(outside / "secret.txt")
    (reports / "escape-folder").symlink_to(outside)
    summary = pipeline.run([reports], tmp_path / "e.duckdb")
    reasons = quarantine(tmp_path / "e.duckdb")
    assert summary.exit_code == 3
    assert set(reasons) == {"dangling.txt", "loop.txt", "escape.txt", "escape-folder"}
    assert "dangling symbolic link" in reasons["dangling.txt"]
    assert "symbolic link loop" in reasons["loop.txt"]
    for name in ("escape.txt", "escape-folder"):
        assert "outside the reports folder: refused" in reasons[name]
    assert set(documents(tmp_path / "e.duckdb")) == {SEEDS[0].name}, "nothing read from outside"


def test_links_inside_the_folder_are_followed_and_a_folder_loop_ends(tmp_path, reports):
    (reports / "alias.txt").symlink_to(reports / SEEDS[0].name)
    (reports / "again").symlink_to(reports)  # a folder link back up: not entered, so no endless walk
    summary = pipeline.run([reports], tmp_path / "e.duckdb")
    assert summary.exit_code == 0 and summary.quarantined == []
    assert any("same content as" in note and "alias.txt" in note for note in summary.notes)
    assert any("a link to the folder" in note for note in summary.notes)


def test_a_pipe_is_quarantined_not_read(tmp_path, reports):
    os.mkfifo(reports / "pipe.txt")  # opening it would wait for a writer forever
    summary = pipeline.run([reports], tmp_path / "e.duckdb")
    assert [(q.file_name, "not a regular file" in q.reason) for q in summary.quarantined] == [
        ("pipe.txt", True)
    ]


# --- manifests --------------------------------------------------------------------------------------


def test_a_manifest_path_does_not_relabel_a_report_of_the_same_base_name(tmp_path, reports):
    shutil.copy(LUOHE, reports / "other.txt")
    (reports / "manifest.csv").write_text("file,area,year\n../other.txt,深圳,2023\n", encoding="utf-8")
    summary = pipeline.run([reports], tmp_path / "e.duckdb")
    assert documents(tmp_path / "e.duckdb")["other.txt"] == ("411100", 2022)
    assert summary.exit_code == 3
    assert "base name only" in quarantine(tmp_path / "e.duckdb")["manifest.csv"]


@pytest.mark.parametrize("name", ["MANIFEST.CSV", "Manifest.csv"])
def test_manifest_name_in_any_case_applies(tmp_path, reports, name):
    shutil.copy(LUOHE, reports / "letter.txt")
    (reports / name).write_text("file,area,year\nletter.txt,深圳,2023\n", encoding="utf-8")
    summary = pipeline.run([reports], tmp_path / "e.duckdb")
    assert summary.quarantined == []
    assert documents(tmp_path / "e.duckdb")["letter.txt"] == ("440300", 2023)


def test_manifest_errors_are_reported_on_a_run_that_reuses_everything(tmp_path, reports):
    (reports / "manifest.csv").write_text("file,area,year\nx.txt,火星,2023\n", encoding="utf-8")
    first = pipeline.run([reports], tmp_path / "e.duckdb")
    second = pipeline.run([reports], tmp_path / "e.duckdb")
    assert second.reused == 1
    assert first.exit_code == second.exit_code == 3


# --- file names printed -----------------------------------------------------------------------------

FORGING_NAME = "evil\n  forged.txt  all loaded.txt"
ESCAPE_NAME = "red\x1b[31m\x9bname.txt"


@pytest.fixture
def forged(reports: Path) -> Path:
    """The report folder with two empty (quarantined) files whose names hold a newline and escapes."""
    for name in (FORGING_NAME, ESCAPE_NAME):
        (reports / name).write_bytes(b"")
    return reports


def test_summary_escapes_control_characters_in_file_names(tmp_path, forged):
    result = run_etl("run", "--reports", forged, "--db", tmp_path / "e.duckdb")
    assert result.returncode == 3
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    assert not any(line.lstrip().startswith("forged.txt") for line in result.stdout.splitlines())
    assert "evil\\n  forged.txt" in result.stdout
    assert "red\\x1b[31m\\x9bname.txt" in result.stdout


def test_extract_escapes_control_characters_in_file_names(forged):
    result = run_etl("extract", forged)
    assert "\x1b" not in result.stderr and "\x9b" not in result.stderr
    quarantined = [line for line in result.stderr.splitlines() if line.startswith("quarantined: ")]
    assert len(quarantined) == 2
    assert not any(line.lstrip().startswith("forged.txt") for line in result.stderr.splitlines())


# --- time budget ------------------------------------------------------------------------------------


def test_report_over_budget_is_quarantined_and_the_run_goes_on(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    shutil.copy(SEEDS[1], reports)
    shutil.copy(SEEDS[2], reports)
    summary = pipeline.run([reports], db_path, budget_s=0.001)  # no seed is read and extracted in 1 ms
    assert summary.exit_code == 3
    assert {q.file_name: q.reason for q in summary.quarantined} == {
        SEEDS[1].name: "over the time budget: not read and extracted within 0.001 s",
        SEEDS[2].name: "over the time budget: not read and extracted within 0.001 s",
    }
    assert set(documents(db_path)) == {SEEDS[0].name}, "what was loaded before stays"
    assert pipeline.run([reports], db_path).exit_code == 0, "within the normal budget they load"
    assert len(documents(db_path)) == 3


def test_worker_gives_the_same_facts_as_reading_in_process():
    in_worker = list(pipeline.extract_paths([SEED_REPORTS], include_all=True))
    in_process = list(pipeline.extract_paths([SEED_REPORTS], include_all=True, budget_s=None))
    assert in_worker == in_process
    assert sum(len(facts) for _, facts, _ in in_worker) > 0


def test_report_over_the_memory_budget_is_quarantined(tmp_path):
    """A report whose reading grows the worker past its memory budget is refused with that reason (here a
    1 MB budget and an 8 MB report: decoding alone takes more)."""
    big = tmp_path / "big.txt"
    big.write_text(
        ("深圳市应急管理局2023年工作总结\n" + "全年开展应急演练12场次。" * 300_000), encoding="utf-8"
    )
    pool = LocalPool(ReportReader(load_catalog(), AreaTable.load()), jobs=1, budget_s=60, memory_mb=1)
    with closing(pool):
        [(path, result)] = list(pool.map([big]))
    assert (path, type(result)) == (big, Quarantined)
    assert result.reason == "over the memory budget: reading it took more than 1 MB"
