"""The ETL run: walk report folders, read the new or changed reports, update one database.

Each file is read on its own: a bad one is quarantined with one line and the run goes on. So is every
file or folder the walk cannot read, follow or resolve (etl/scan.py): nothing is skipped without a row.
Reports are read by an executor (etl/executors.py: a pool of worker processes by default, each report
within a time and memory budget) and streamed into the new database in batches, so memory does not grow
with the corpus; a thread of its own writes them, so the workers are not kept waiting through a write.
The new database starts as a copy of the previous one when its work can be reused (etl/incremental.py
says which reports must be read), and is swapped in atomically (etl/load.py). It ends up holding exactly
the reports under the folders given; a report that was loaded before and is now unreadable keeps its old
document and facts (and is listed in quarantine).
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from etl.areas import DEFAULT_REF_DIR, AreaTable
from etl.catalog import Catalog, load_catalog
from etl.executors import Executor, make_executor
from etl.incremental import Plan, scan_started_meta
from etl.load import (
    SCHEMA_VERSION,
    DatabaseBuild,
    Location,
    QuarantineEntry,
    quarantine_frame,
    read_locations,
    read_meta,
)
from etl.model import Document, Fact, Quarantined
from etl.reader import ReportReader
from etl.review_apply import orphan_reasons
from etl.scan import Scan, file_sha256, files_sha256, has_reports, scan, walk

__all__ = ["RunSummary", "extract_paths", "is_area_value", "run", "scan", "walk"]

CODE_FILES = ("*.py", "*.sql", "*.yaml")  # what makes up "the ETL code" for reuse (catalog counted apart)
# The meta a previous database must share with this run for its work on unchanged documents to be reused.
REUSE_KEYS = ("etl_version", "catalog_sha256", "reference_sha256", "manifests_sha256")

# Wall-clock seconds one report may take to be read and extracted (README, "The ETL"): the slowest real
# report takes well under a second, so 30 s only ever stops a hostile or broken one.
REPORT_BUDGET_S = 30.0
REPORT_MEMORY_MB = 500  # what the reading process may grow by while it reads one report
BATCH_DOCUMENTS = 200  # documents appended to the database at a time
BATCH_FACTS = 20_000  # ... or facts, whichever fills first
WRITE_AHEAD_BATCHES = 2  # batches waiting for the writer thread: bounds the memory it may hold

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file name)


class RowSink(Protocol):
    """Where read documents and facts go: a database build (etl/load.py) or Parquet parts (etl/parquet.py)."""

    def insert(self, documents: list[Document], facts: list[Fact], stats: dict[str, Location]) -> None: ...


@dataclass
class RunSummary:
    """What a run did, for the CLI's summary table and exit status."""

    db_path: Path
    files_read: int = 0
    extracted: int = 0  # documents read and extracted in this run
    reused: int = 0  # unchanged documents whose facts were taken from the previous database
    kept: int = 0  # unreadable now, loaded before: old document and facts kept
    documents: int = 0  # documents in the database built
    facts_per_indicator: dict[str, int] = field(default_factory=dict)
    quarantined: list[QuarantineEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # copies loaded once
    warnings: list[str] = field(default_factory=list)  # folders without reports
    parts: int | None = None  # load-parquet: the Parquet parts the documents came from
    review_orphans: dict[str, int] = field(default_factory=dict)  # decisions to re-review: reason -> how many

    @property
    def exit_code(self) -> int:
        return 3 if self.quarantined else 0


@dataclass
class RunOptions:
    """How reports are read: by which executor, in how many processes, within what budget."""

    executor: str = "local"  # local | dask (etl/executors.py)
    jobs: int | None = None  # processes (default: the machine's cores)
    budget_s: float | None = REPORT_BUDGET_S  # None: read in this process, without a budget
    memory_mb: float = REPORT_MEMORY_MB
    scheduler: str | None = None  # a Dask scheduler's address (default: a local cluster)

    def executor_for(self, reader: ReportReader) -> Executor:
        return make_executor(reader, self.executor, self.jobs, self.budget_s, self.memory_mb, self.scheduler)


def run(
    report_dirs: Iterable[Path],
    db_path: Path,
    catalog_path: Path | None = None,
    progress: Progress | None = None,
    budget_s: float | None = REPORT_BUDGET_S,
    options: RunOptions | None = None,
) -> RunSummary:
    """Make the database at `db_path` hold every report under `report_dirs` (see the module doc);
    `budget_s` is each report's time budget (None: read in this process, without one); `options` (which
    overrides it) says how reports are read."""
    options = options or RunOptions(budget_s=budget_s)
    report_dirs, db_path = [Path(d) for d in report_dirs], Path(db_path)
    catalog = load_catalog(catalog_path)
    started = scan_started_meta()
    found = scan(report_dirs)
    reader = ReportReader(catalog, AreaTable.load(), found.manifests)
    meta = run_meta(catalog, found.manifests)
    plan = _plan(db_path, meta, found)
    summary = RunSummary(db_path, files_read=len(found.reports))
    summary.warnings += [f"no reports found in {d}" for d in report_dirs if not has_reports(found.reports, d)]
    with DatabaseBuild(db_path, db_path if plan.reusable else None) as build:
        with closing(options.executor_for(reader)) as executor:
            read_into(found, plan, executor, build, summary, progress)
        if not plan.reusable:  # a reusable copy holds them already (same catalog, reference data and code)
            build.write_catalog(catalog, reader.areas.as_dataframe())
        _settle_stored(plan, build, db_path, summary)
        finish_summary(summary, found, plan, reader)
        build.replace_rows("quarantine", quarantine_frame(summary.quarantined))
        build.write_meta(meta | started)
        summary.documents, summary.facts_per_indicator = build.counts()
        build.commit()  # applies the review desk's decisions (etl/review_apply.py)
    summary.review_orphans = orphan_reasons(db_path)
    return summary


def _plan(db_path: Path, meta: dict[str, str], found: Scan) -> Plan:
    """The run's plan against the previous database: its work is reusable when it was built by the same
    code, catalog, reference data and manifests, in this schema."""
    previous_meta = read_meta(db_path)
    reusable = previous_meta.get("schema_version") == SCHEMA_VERSION and all(
        previous_meta.get(key) == meta[key] for key in REUSE_KEYS
    )
    refused = [Path(entry.path) for entry in found.refused]
    return Plan(read_locations(db_path), reusable, previous_meta, refused=refused)


def read_into(
    found: Scan,
    plan: Plan,
    executor: Executor,
    sink: RowSink,
    summary: RunSummary,
    progress: Progress | None,
) -> None:
    """Read the reports the plan says must be read and append them to `sink` (the database, or Parquet
    parts), a batch at a time."""
    done = 0

    def settle(path: Path, refused: Quarantined | None) -> None:
        nonlocal done
        done += 1
        if refused is not None:
            summary.quarantined.append(QuarantineEntry(path.name, str(path), refused.reason))
        if progress:
            progress(done, len(found.reports), path.name)

    batch = _Batch()
    with _WriterThread(sink) as writer:
        for path, result in executor.map(plan.to_read(found.reports, settle)):
            if isinstance(result, Quarantined):
                settle(path, plan.refuse(path, result))
                continue
            if plan.accept(path, result[0].id):
                batch.add(*result)
                summary.extracted += 1
            settle(path, None)
            if batch.full():
                batch.flush(writer, plan)
        batch.flush(writer, plan)


def finish_summary(summary: RunSummary, found: Scan, plan: Plan, reader: ReportReader) -> None:
    """The run's notes, and its quarantine in the order the database lists it."""
    summary.notes = found.notes + plan.notes
    summary.quarantined = reader.manifest_errors + found.refused + sorted(summary.quarantined, key=_by_path)


@dataclass
class _Batch:
    """Documents and facts read and not yet appended to the database."""

    documents: list[Document] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def add(self, doc: Document, facts: list[Fact]) -> None:
        self.documents.append(doc)
        self.facts += facts

    def full(self) -> bool:
        return len(self.documents) >= BATCH_DOCUMENTS or len(self.facts) >= BATCH_FACTS

    def flush(self, sink: RowSink, plan: Plan) -> None:
        if self.documents:  # the batch's own stats: the plan's go on growing while the writer writes
            stats = {doc.path: plan.stats[doc.path] for doc in self.documents if doc.path in plan.stats}
            sink.insert(self.documents, self.facts, stats)
        self.documents, self.facts = [], []


class _WriterThread:
    """A sink that appends batches to `sink` in a thread of its own, in the order given, so the executor's
    loop goes on handing reports to the workers while a batch is written (else both workers wait idle
    through every write). At most WRITE_AHEAD_BATCHES wait. Leaving the block waits for the last batch and
    raises the first error writing met (`insert` raises it too, as soon as it is known, to stop the run);
    leaving it on an error of the loop's own stops the writing and lets that error through."""

    def __init__(self, sink: RowSink):
        self.sink = sink
        self.error: BaseException | None = None
        self._todo: queue.Queue = queue.Queue(maxsize=WRITE_AHEAD_BATCHES)
        self._thread = threading.Thread(target=self._write, name="etl-writer", daemon=True)

    def __enter__(self) -> _WriterThread:
        self._thread.start()
        return self

    def __exit__(self, _type, exc, _tb) -> None:
        if exc is not None:
            self.error = self.error or exc  # the batches still queued are dropped, not written
        self._todo.put(None)
        self._thread.join()
        if exc is None and self.error is not None:
            raise self.error

    def insert(self, documents: list[Document], facts: list[Fact], stats: dict[str, Location]) -> None:
        if self.error is not None:
            raise self.error
        self._todo.put((documents, facts, stats))

    def _write(self) -> None:
        while (rows := self._todo.get()) is not None:
            if self.error is None:  # after an error, batches are only taken off the queue: none blocks
                try:
                    self.sink.insert(*rows)
                except BaseException as error:
                    self.error = error


def _settle_stored(plan: Plan, build: DatabaseBuild, db_path: Path, summary: RunSummary) -> None:
    """Move the reused documents found elsewhere, delete those gone, keep (or copy over) those refused."""
    kept = plan.kept()
    build.relocate(plan.moved_frame())
    build.delete(plan.gone())
    if not plan.reusable:
        build.copy_documents(db_path, kept)
    summary.reused, summary.kept = plan.reused, len(kept)


def _by_path(entry: QuarantineEntry) -> Path:
    return Path(entry.path)


def run_meta(catalog: Catalog, manifests: list[Path]) -> dict[str, str]:
    """What the database's work depends on: the ETL code, the catalog, the reference data, the manifests."""
    return {
        "etl_version": etl_version(),
        "catalog_sha256": file_sha256(Path(catalog.path)),
        "reference_sha256": files_sha256(sorted(DEFAULT_REF_DIR.glob("*.csv"))),
        "manifests_sha256": files_sha256(manifests),
    }


def extract_paths(
    paths: Iterable[Path],
    catalog_path: Path | None = None,
    include_all: bool = False,
    budget_s: float | None = REPORT_BUDGET_S,
    options: RunOptions | None = None,
) -> Iterator[tuple[Document | None, list[Fact], QuarantineEntry | None]]:
    """Per report under `paths` (files or folders), in order: its document and facts, or why it was refused
    (so is each file or folder the walk could not read or follow, and each bad manifest row).

    Without `include_all`, only the facts the document gives as its area's values (no narrower scope,
    nothing derived); nothing is chosen between documents and nothing is written.
    """
    options = options or RunOptions(budget_s=budget_s)
    found = scan(paths)
    reader = ReportReader(load_catalog(catalog_path), AreaTable.load(), found.manifests)
    with closing(options.executor_for(reader)) as executor:
        for path, result in executor.map(found.reports):
            if isinstance(result, Quarantined):
                yield None, [], QuarantineEntry(path.name, str(path), result.reason)
                continue
            doc, facts = result
            yield doc, facts if include_all else [f for f in facts if is_area_value(f)], None
    yield from ((None, [], entry) for entry in found.refused + reader.manifest_errors)


def is_area_value(fact: Fact) -> bool:
    """A figure the document gives as its area's value for its year: whole area, reported, not cumulative."""
    return fact.scope == "area" and not fact.derived and fact.period != "cumulative"


@cache
def etl_version() -> str:
    """A digest of the ETL's own code: work done by other code is not reused."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for source in sorted(
        p for pattern in CODE_FILES for p in package.glob(pattern) if p.name != "catalog.yaml"
    ):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return "src-" + digest.hexdigest()[:16]
