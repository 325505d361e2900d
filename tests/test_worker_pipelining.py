"""The local pool sends each child the next report before it answers the last (etl/workers.py), and the
run writes its batches in a thread of its own (etl/pipeline.py): neither may lose, reorder or change a
result, and a child that dies or a write that fails must still come out as before."""

from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path

import pytest

from etl import pipeline
from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.executors import InProcess, LocalPool
from etl.incremental import Plan
from etl.model import Quarantined
from etl.reader import ReportReader
from etl.scan import scan
from tests.conftest import SEED_REPORTS

SEEDS = sorted(SEED_REPORTS.iterdir())


class DyingReader(ReportReader):
    """Reads reports as the ETL does, except that the child reading `fatal` ends at once (exit status 7),
    as a child killed by the system would."""

    fatal = ""

    def read(self, path: Path, row=None):
        if path.name == self.fatal:
            os._exit(7)
        return super().read(path, row)


def test_reports_queued_behind_one_whose_child_dies_are_read_by_a_fresh_child(tmp_path):
    fatal = tmp_path / "fatal.txt"
    fatal.write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    reader = DyingReader(load_catalog(), AreaTable.load())
    reader.fatal = fatal.name
    paths = [SEEDS[0], fatal, *SEEDS[1:], fatal, SEEDS[0]]
    with closing(LocalPool(reader, jobs=1, budget_s=60, memory_mb=500)) as pool:
        results = list(pool.map(paths))
    assert [path for path, _ in results] == paths
    died = Quarantined("the reading process ended while reading it (exit status 7)").reason
    for path, result in results:
        if path == fatal:
            assert isinstance(result, Quarantined) and result.reason == died
        else:
            assert result == reader.result(path), path.name


def test_a_pool_of_two_gives_each_report_what_reading_in_process_gives():
    reader = ReportReader(load_catalog(), AreaTable.load())
    paths = SEEDS * 3
    with closing(LocalPool(reader, jobs=2, budget_s=60, memory_mb=500)) as pool:
        results = list(pool.map(paths))
    assert results == [(path, reader.result(path)) for path in paths]


class FailingSink:
    """Keeps the batches it is given, and fails on the second, as a full disk would."""

    def __init__(self):
        self.batches: list[list[str]] = []

    def insert(self, documents, facts, stats) -> None:
        if self.batches:
            raise OSError("No space left on device")
        self.batches.append([doc.file_name for doc in documents])


def test_a_failing_write_stops_the_run_with_its_error(monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 1)
    found = scan([SEED_REPORTS])
    reader = ReportReader(load_catalog(), AreaTable.load(), found.manifests)
    sink, summary = FailingSink(), pipeline.RunSummary(Path("unused.duckdb"))
    with pytest.raises(OSError, match="No space left on device"):
        pipeline.read_into(found, Plan({}, False), InProcess(reader), sink, summary, None)
    assert sink.batches == [[SEEDS[0].name]]
