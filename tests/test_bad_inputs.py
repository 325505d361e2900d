"""A folder of bad inputs beside the seed reports: each quarantined with its reason, the run goes on."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED_REPORTS, run_etl

OVER_LIMIT_BYTES = 21 * 1024 * 1024
# file name -> (bytes, a words the one-line reason must contain)
BAD_INPUTS: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty"),
    "binary.txt": (bytes(range(256)) * 64, "binary"),
    "undecodable.txt": (b"\xff\xfe\xfd\x81\x30" * 2000, "undecodable"),
    "old-word.doc": ("深圳市应急管理局".encode(), ".doc"),
    "wps-office.wps": ("深圳市应急管理局".encode(), ".wps"),
    "scan.ofd": (b"PK\x03\x04", ".ofd"),
    "no-area.txt": ("2023年,我局共组织应急演练12场次,发现隐患300处,已整改290处。".encode(), "area"),
    "no-year.txt": ("深圳市应急管理局工作总结\n全市组织应急演练12场次。\n深圳市应急管理局".encode(), "year"),
}
HUGE = "huge.txt"  # a sparse file over the 20 MB limit


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_inputs")
    reports = root / "reports"
    shutil.copytree(SEED_REPORTS, reports)
    bad = reports / "bad"
    bad.mkdir()
    for name, (content, _) in BAD_INPUTS.items():
        (bad / name).write_bytes(content)
    with open(bad / HUGE, "wb") as huge:
        huge.truncate(OVER_LIMIT_BYTES)
    db_path = root / "e.duckdb"
    return run_etl("run", "--reports", reports, "--db", db_path), bad, db_path


def test_run_finishes_with_exit_3(bad_run):
    result, _, _ = bad_run
    assert result.returncode == 3, result.stdout + result.stderr


def test_quarantine_table_holds_exactly_the_bad_files(bad_run):
    _, bad, db_path = bad_run
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT file_name, path, reason FROM quarantine").fetchall()
    assert sorted(name for name, _, _ in rows) == sorted([*BAD_INPUTS, HUGE])
    assert {Path(path).parent for _, path, _ in rows} == {bad}


@pytest.mark.parametrize(("name", "word"), [(n, w) for n, (_, w) in BAD_INPUTS.items()] + [(HUGE, "20 MB")])
def test_summary_lists_the_file_with_its_reason(bad_run, name, word):
    result, bad, _ = bad_run
    [line] = [line for line in result.stdout.splitlines() if str(bad / name) in line]
    assert word in line


def test_seed_reports_are_loaded(bad_run):
    _, _, db_path = bad_run
    with duckdb.connect(str(db_path), read_only=True) as con:
        loaded = sorted(row[0] for row in con.execute("SELECT file_name FROM documents").fetchall())
        n_facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert loaded == sorted(p.name for p in SEED_REPORTS.iterdir())
    assert n_facts > 0
