"""`python -m etl run|extract` as a user runs it: help, usage errors, exit codes, output formats."""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import pty
import shutil
import subprocess
import sys

import duckdb
import pytest

from etl.cli import PROGRESS_EVERY, PROGRESS_MIN_REPORTS, ProgressLines, build_parser
from tests.conftest import CLI_TIMEOUT_S, REPO_ROOT, SEED_REPORTS, run_etl

GOLD_KEYS = {"doc", "area", "area_code", "year", "indicator", "dims", "value", "unit", "approx", "evidence"}


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_every_command_and_option_has_help():
    parser = build_parser()
    commands = subparsers(parser)
    assert set(commands) == {"run", "extract", "load-parquet"}
    undocumented = [
        f"{name} {action.dest}"
        for name, command in commands.items()
        for action in command._actions
        if not action.help
    ]
    assert undocumented == []
    assert all(command.description for command in commands.values())


@pytest.mark.parametrize(
    "args", [["--help"], ["run", "--help"], ["extract", "--help"], ["load-parquet", "--help"]], ids=" ".join
)
def test_help_exits_0(args):
    result = run_etl(*args)
    assert (result.returncode, result.stdout.startswith("usage: python -m etl")) == (0, True)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="no-command"),
        pytest.param(["load"], id="unknown-command"),
        pytest.param(["run", "--bogus"], id="unknown-option"),
        pytest.param(["run", "--reports", "no/such/folder", "--db", "unused.duckdb"], id="missing-folder"),
        pytest.param(["run", "--reports"], id="reports-without-folder"),
        pytest.param(["run", "--catalog", "no/such.yaml"], id="missing-catalog"),
        pytest.param(["extract"], id="extract-without-paths"),
        pytest.param(["extract", "no/such/report.txt"], id="extract-missing-path"),
        pytest.param(["run", "--jobs", "0"], id="no-jobs"),
        pytest.param(["run", "--executor", "spark"], id="unknown-executor"),
        pytest.param(["run", "--scheduler", "tcp://127.0.0.1:8786"], id="scheduler-without-dask"),
        pytest.param(["extract", "data/reports", "--parquet", "unused", "--all"], id="parquet-with-all"),
        pytest.param(["load-parquet", "--db", "unused.duckdb"], id="load-parquet-without-folders"),
        pytest.param(["load-parquet", "no/such/parts", "--db", "unused.duckdb"], id="load-parquet-missing"),
    ],
)
def test_usage_errors_exit_2(args):
    result = run_etl(*args)
    assert result.returncode == 2, result.stderr
    assert "usage:" in result.stderr
    assert not (REPO_ROOT / "unused.duckdb").exists()
    assert not (REPO_ROOT / "unused").exists()


def test_run_on_seeds_summary(seed_db):
    with duckdb.connect(str(seed_db), read_only=True) as con:
        per_indicator = dict(
            con.execute("SELECT indicator, count(*) FROM facts GROUP BY indicator").fetchall()
        )
        n_documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert n_documents == len(list(SEED_REPORTS.iterdir()))
    assert per_indicator


def test_summary_table_counts_facts_per_indicator(tmp_path):
    result = run_etl("run", "--reports", SEED_REPORTS, "--db", tmp_path / "e.duckdb")
    with duckdb.connect(str(tmp_path / "e.duckdb"), read_only=True) as con:
        per_indicator = con.execute("SELECT indicator, count(*) FROM facts GROUP BY indicator").fetchall()
    lines = [line.split() for line in result.stdout.splitlines()]
    assert all([indicator, str(n)] in lines for indicator, n in per_indicator)
    assert "quarantined: 0" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_empty_folder_warns_and_exits_0(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_etl("run", "--reports", tmp_path / "empty", "--db", tmp_path / "e.duckdb")
    assert result.returncode == 0
    assert f"no reports found in {tmp_path / 'empty'}" in result.stdout


def test_failed_run_exits_1_and_keeps_the_database(tmp_path, seed_db):
    db_path = tmp_path / "e.duckdb"
    shutil.copy(seed_db, db_path)
    broken_catalog = tmp_path / "catalog.yaml"
    broken_catalog.write_text("categories: [\n", encoding="utf-8")
    result = run_etl("run", "--reports", SEED_REPORTS, "--db", db_path, "--catalog", broken_catalog)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert db_path.read_bytes() == seed_db.read_bytes()


def test_progress_bar_on_a_terminal(tmp_path):
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "etl",
            "run",
            "--reports",
            str(SEED_REPORTS),
            "--db",
            str(tmp_path / "e.duckdb"),
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    ) as process:
        os.close(terminal)
        assert process.wait(timeout=CLI_TIMEOUT_S) == 0
    shown = b""
    while chunk := _read_or_empty(controller):
        shown += chunk
    os.close(controller)
    n_reports = len(list(SEED_REPORTS.iterdir()))
    assert f"] {n_reports}/{n_reports} ".encode() in shown
    assert b"[" + b"#" * 30 + b"]" in shown


def test_progress_lines_without_a_terminal():
    """Without a terminal, a line every PROGRESS_EVERY reports (and every PROGRESS_INTERVAL_S seconds);
    none for a small run."""
    stream = io.StringIO()
    progress = ProgressLines(stream)
    for done in range(1, 2 * PROGRESS_EVERY + 2):
        progress(done, 2 * PROGRESS_EVERY + 1, f"{done}.txt")
    lines = stream.getvalue().splitlines()
    assert [line.split(" reports")[0] for line in lines] == [
        f"progress: {PROGRESS_EVERY}/{2 * PROGRESS_EVERY + 1}",
        f"progress: {2 * PROGRESS_EVERY}/{2 * PROGRESS_EVERY + 1}",
    ]
    small = io.StringIO()
    for done in range(1, PROGRESS_MIN_REPORTS):
        ProgressLines(small)(done, PROGRESS_MIN_REPORTS - 1, "x.txt")
    assert small.getvalue() == ""


def test_run_with_one_job_prints_the_same_summary(tmp_path):
    default = run_etl("run", "--reports", SEED_REPORTS, "--db", tmp_path / "default.duckdb")
    one = run_etl("run", "--reports", SEED_REPORTS, "--db", tmp_path / "one.duckdb", "--jobs", "1")
    assert (default.returncode, one.returncode) == (0, 0)
    assert one.stdout.replace("one.duckdb", "default.duckdb") == default.stdout


def _read_or_empty(fd: int) -> bytes:
    try:
        return os.read(fd, 4096)
    except OSError:  # the terminal closed: everything was read
        return b""


def extract_lines(*args) -> tuple[list[dict], subprocess.CompletedProcess[str]]:
    result = run_etl("extract", *args)
    return [json.loads(line) for line in result.stdout.splitlines()], result


def test_extract_prints_area_facts_as_json_lines():
    facts, result = extract_lines(SEED_REPORTS)
    assert result.returncode == 0
    assert facts and all(GOLD_KEYS | {"start", "end", "rule", "flags"} <= fact.keys() for fact in facts)
    assert not [f for f in facts if "scope" in f or "derived" in f]
    assert "\\u" not in result.stdout  # Chinese printed as itself
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEED_REPORTS.iterdir()}
    assert all(fact["doc"] in texts for fact in facts)


def test_extract_prints_document_by_document():
    facts, _ = extract_lines(SEED_REPORTS)
    runs = [doc for doc, _ in itertools.groupby(fact["doc"] for fact in facts)]
    assert len(runs) == len(set(runs))  # each document's lines come together


def test_extract_all_adds_only_marked_facts():
    area_facts, _ = extract_lines(SEED_REPORTS)
    all_facts, result = extract_lines(SEED_REPORTS, "--all")
    extra = [f for f in all_facts if f not in area_facts]
    assert result.returncode == 0
    assert [f for f in all_facts if f in area_facts] == area_facts
    assert all("scope" in f or f.get("derived") for f in extra)


def test_extract_reports_quarantined_inputs_on_stderr(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    shutil.copy(SEED_REPORTS / "luohe-2022-pingyi-zhenggai.txt", tmp_path)
    facts, result = extract_lines(tmp_path)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [f"quarantined: {tmp_path / 'empty.txt'}: empty file"]
    assert {f["doc"] for f in facts} == {"luohe-2022-pingyi-zhenggai.txt"}


def test_extract_applies_the_manifest_beside_a_report(tmp_path):
    (tmp_path / "letter.txt").write_text("2023年,我县共组织应急演练12场次。\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,area,year\nletter.txt,440300,2023\n", encoding="utf-8")
    facts, result = extract_lines(tmp_path / "letter.txt")
    assert (result.returncode, result.stderr) == (0, "")
    assert [(f["area_code"], f["year"], f["indicator"], f["value"]) for f in facts] == [
        ("440300", 2023, "drills", 12.0)
    ]
