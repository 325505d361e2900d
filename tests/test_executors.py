"""The per-document step behind each executor gives exactly the same documents and facts."""

from __future__ import annotations

from contextlib import closing
from dataclasses import asdict

import duckdb
import pytest

from etl import pipeline
from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.executors import DaskExecutor, InProcess, LocalPool
from etl.reader import ReportReader
from etl.scan import scan
from tests.conftest import REPO_ROOT, SEED_REPORTS, run_etl

FOLDERS = [SEED_REPORTS, REPO_ROOT / "tests" / "corpus-dev"]


@pytest.fixture(scope="module")
def reader_and_reports() -> tuple[ReportReader, list]:
    found = scan(FOLDERS)
    return ReportReader(load_catalog(), AreaTable.load(), found.manifests), found.reports


def results(executor, reports) -> list[tuple]:
    """(path, document fields, fact fields) or (path, refusal reason) per report, as the executor gives."""
    with closing(executor):
        return [
            (path, asdict(result[0]), [asdict(f) for f in result[1]])
            if isinstance(result, tuple)
            else (path, result.reason)
            for path, result in executor.map(reports)
        ]


def test_local_pool_gives_what_reading_in_process_gives(reader_and_reports):
    reader, reports = reader_and_reports
    pool = LocalPool(reader, jobs=2, budget_s=pipeline.REPORT_BUDGET_S, memory_mb=pipeline.REPORT_MEMORY_MB)
    in_pool = results(pool, reports)
    assert in_pool == results(InProcess(reader), reports)
    assert [path for path, *_ in in_pool] == reports, "in the order given"
    assert sum(len(r[2]) for r in in_pool if len(r) == 3) > 100


def test_dask_on_a_local_cluster_gives_exactly_the_default_facts(reader_and_reports):
    import distributed  # the cluster extra, in dev: `make test` installs it

    reader, reports = reader_and_reports
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        on_dask = results(DaskExecutor(reader, jobs=2, address=cluster.scheduler_address), reports)
    pool = LocalPool(reader, jobs=2, budget_s=pipeline.REPORT_BUDGET_S, memory_mb=pipeline.REPORT_MEMORY_MB)
    assert on_dask == results(pool, reports)
    assert sum(len(r[2]) for r in on_dask if len(r) == 3) > 100


def test_run_with_the_dask_executor_builds_the_same_database(tmp_path, seed_db):
    result = run_etl("run", "--reports", SEED_REPORTS, "--db", tmp_path / "e.duckdb", "--executor", "dask")
    assert result.returncode == 0, result.stdout + result.stderr
    assert table_rows(tmp_path / "e.duckdb", "facts") == table_rows(seed_db, "facts")
    assert table_rows(tmp_path / "e.duckdb", "documents") == table_rows(seed_db, "documents")


def table_rows(db_path, table: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return sorted(con.table(table).fetchall(), key=repr)
