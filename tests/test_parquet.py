"""The Parquet route: `extract --parquet` on one or several machines, then `load-parquet`, gives the
database `run` gives on the same reports; bad parts are refused with one line and change nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import parquet, pipeline
from etl.cli import main
from etl.pipeline import RunOptions
from tests.conftest import REPO_ROOT, SEED_REPORTS, run_etl
from tests.db_rows import CONTENT_TABLES, table_rows

CORPUS_DEV = REPO_ROOT / "tests" / "corpus-dev"
TABLES = (*CONTENT_TABLES, "areas", "categories", "indicators", "dim_values")
BUILD_META = {"built_at", "scan_started_ns"}  # when a database was built: differs between any two builds
SMALL_BATCH = 4  # documents per part in the tests that want several parts


def assert_same_database(built: Path, expected: Path) -> None:
    for table in TABLES:
        assert table_rows(built, table) == table_rows(expected, table), table
    meta = {k: v for k, v in table_rows(built, "meta") if k not in BUILD_META}
    assert meta == {k: v for k, v in table_rows(expected, "meta") if k not in BUILD_META}


def extract_in_process(paths: list[Path], out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`extract --parquet` in this process (no budget, no pool), SMALL_BATCH documents a part."""
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", SMALL_BATCH)
    parquet.extract_parquet(paths, out_dir, options=RunOptions(budget_s=None))


def etl(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """`python -m etl ARGS` in this process (no interpreter start-up): exit status, stdout, stderr."""
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def run_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`etl run` on the seed reports and the dev corpus."""
    db = tmp_path_factory.mktemp("run") / "run.duckdb"
    result = run_etl("run", "--reports", SEED_REPORTS, CORPUS_DEV, "--db", db, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`etl extract --parquet` on the same reports."""
    out = tmp_path_factory.mktemp("parts") / "parts"
    result = run_etl("extract", SEED_REPORTS, CORPUS_DEV, "--parquet", out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"parts: {out}\n")
    return out


def test_parts_load_into_the_database_run_builds(run_db, parts, tmp_path):
    db = tmp_path / "loaded.duckdb"
    result = run_etl("load-parquet", parts, "--db", db)
    assert result.returncode == 0, result.stderr
    assert "documents: 29 loaded from 1 Parquet parts" in result.stdout
    assert len(table_rows(db, "documents")) == 29 and len(table_rows(db, "facts")) > 200
    assert_same_database(db, run_db)


def test_a_run_after_load_parquet_reuses_every_document(parts, tmp_path, capsys):
    db = tmp_path / "loaded.duckdb"
    assert etl(capsys, "load-parquet", parts, "--db", db)[0] == 0
    code, out, err = etl(capsys, "run", "--reports", SEED_REPORTS, CORPUS_DEV, "--db", db, "--jobs", "1")
    assert code == 0, err
    assert "29 loaded (0 extracted, 29 reused, 0 kept from before)" in out


def test_parts_of_two_machines_load_as_one_run(tmp_path, monkeypatch, capsys):
    """The reports split over two folders (one report in both, and a file that is no report): each
    extracted on its own, in parts of SMALL_BATCH documents, and loaded together, equal one run over both
    folders; the copy loads once, the other file is quarantined."""
    reports = sorted([*SEED_REPORTS.iterdir(), *CORPUS_DEV.iterdir()])
    first, second = tmp_path / "machine-a", tmp_path / "machine-b"
    for folder, half in ((first, reports[::2]), (second, [*reports[1::2], reports[0]])):
        folder.mkdir()
        for report in half:
            shutil.copy2(report, folder / report.name)
    (second / "no-area.txt").write_text("你好", encoding="utf-8")
    run_db = tmp_path / "run.duckdb"
    assert pipeline.run([first, second], run_db, options=RunOptions(budget_s=None)).exit_code == 3
    extract_in_process([first], tmp_path / "parts-a", monkeypatch)
    extract_in_process([second], tmp_path / "parts-b", monkeypatch)
    db = tmp_path / "loaded.duckdb"
    code, out, err = etl(capsys, "load-parquet", tmp_path / "parts-a", tmp_path / "parts-b", "--db", db)
    assert code == 3, err
    assert f"{second / 'no-area.txt'}  no detectable area" in out
    assert f"note: {second / reports[0].name}: same content as {first / reports[0].name}" in out
    assert len(list((tmp_path / "parts-a").glob("facts-*.parquet"))) == 4  # 15 documents, 4 a part
    assert len(table_rows(db, "documents")) == 29
    assert_same_database(db, run_db)


def _truncate(part: Path) -> Path:
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2])
    return part


def _foreign(part: Path) -> Path:
    with duckdb.connect() as con:
        con.sql("SELECT 1 AS id, 'x' AS path").write_parquet(str(part))
    return part


def _stray(part: Path) -> Path:
    stray = part.with_name("stray.parquet")
    shutil.copy(part, stray)
    return stray


def _other_code(part: Path) -> Path:
    listing = part.with_name(parquet.PARTS_META)
    listing.write_text(listing.read_text().replace('"src-', '"src-other-'))
    return listing


def _unfinished(part: Path) -> Path:
    part.with_name(parquet.PARTS_META).unlink()
    return part.parent


@pytest.mark.parametrize(
    ("spoil", "part", "reason"),
    [
        (_truncate, "facts-00000.parquet", "not a readable Parquet file"),
        (_foreign, "documents-00000.parquet", "not a documents part"),
        (_stray, "facts-00000.parquet", "not listed in parts.json"),
        (_other_code, "documents-00000.parquet", "etl_version src-other-"),
        (_unfinished, "documents-00000.parquet", "no parts.json"),
    ],
    ids=["corrupt", "foreign", "unlisted", "other-code", "unfinished"],
)
def test_bad_parts_fail_in_one_line_and_change_nothing(spoil, part, reason, run_db, parts, tmp_path, capsys):
    spoiled = tmp_path / "parts"
    shutil.copytree(parts, spoiled)
    named = spoil(spoiled / part)
    db = tmp_path / "emergency.duckdb"
    shutil.copy(run_db, db)
    before = sha256(db)
    code, out, err = etl(capsys, "load-parquet", spoiled, "--db", db)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {named}") and err.count("\n") == 1, err
    assert reason in err
    assert sha256(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emergency.duckdb", "parts"]


def test_extract_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "kept.txt").write_text("mine", encoding="utf-8")
    code, _, err = etl(capsys, "extract", SEED_REPORTS, "--parquet", tmp_path, "--jobs", "1")
    assert code == 1
    assert err == f"error: {tmp_path}: not empty (parts go to a new or empty folder)\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.txt"]
