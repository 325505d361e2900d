"""The ETL run: walk report folders, read each report (or reuse last run's work), load one database.

Each file is read on its own: a bad one is quarantined with one line and the run goes on. So is every
file or folder the walk cannot read, follow or resolve (an unreadable folder, a dangling link, a link loop,
a link out of the reports folders): nothing is skipped without a row. Each report is read in a worker
process with a time budget (REPORT_BUDGET_S). The database ends up holding exactly the reports under the
folders given; a report that was loaded before and is now unreadable keeps its old document and facts
(and is listed in quarantine).
"""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import signal
import stat
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from etl.areas import DEFAULT_REF_DIR, AreaTable
from etl.catalog import Catalog, load_catalog
from etl.extract import extract_facts
from etl.ingest import ingest
from etl.load import Previous, QuarantineEntry, build_database, read_previous
from etl.manifest import ManifestRow, is_manifest, manifests_in, read_manifest
from etl.metadata import describe
from etl.model import Document, Fact, Quarantined
from etl.places import Places
from etl.resolve import resolve

CODE_FILES = ("*.py", "*.sql", "*.yaml")  # what makes up "the ETL code" for reuse (catalog counted apart)
# The meta a previous database must share with this run for its work on unchanged documents to be reused.
REUSE_KEYS = ("etl_version", "catalog_sha256", "reference_sha256", "manifests_sha256")

# Wall-clock seconds one report may take to be read and extracted (README, "The ETL"): the slowest real
# report takes well under a second, so 30 s only ever stops a hostile or broken one.
REPORT_BUDGET_S = 30.0
REPORT_MEMORY_MB = 500  # what the reading process may grow by while it reads one report
POLL_S = 0.05  # how often the run looks at a report being read (its time and its memory)

Progress = Callable[[int, int, str], None]  # (files done, files in all, current file name)


@dataclass
class RunSummary:
    """What a run did, for the CLI's summary table and exit status."""

    db_path: Path
    files_read: int = 0
    extracted: int = 0  # documents read and extracted in this run
    reused: int = 0  # unchanged documents whose facts were taken from the previous database
    kept: int = 0  # unreadable now, loaded before: old document and facts kept
    documents: list[Document] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    quarantined: list[QuarantineEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # copies loaded once
    warnings: list[str] = field(default_factory=list)  # folders without reports

    @property
    def facts_per_indicator(self) -> dict[str, int]:
        return dict(sorted(Counter(f.indicator for f in self.facts).items()))

    @property
    def exit_code(self) -> int:
        return 3 if self.quarantined else 0


@dataclass
class _Loaded:
    """The documents and facts gathered so far in a run, one entry per document id."""

    documents: dict[str, Document] = field(default_factory=dict)
    facts: dict[str, list[Fact]] = field(default_factory=dict)
    source: dict[str, Path] = field(default_factory=dict)  # doc id -> the file it was first found at

    def add(self, doc: Document, facts: list[Fact], path: Path) -> None:
        self.documents[doc.id] = doc
        self.facts[doc.id] = facts
        self.source[doc.id] = path


class ReportReader:
    """Reads report files into described documents and resolved facts, applying each folder's manifest.

    Manifests are read in full when the reader is made, so their errors are reported on every run, even
    one that reuses all its work.
    """

    def __init__(self, catalog: Catalog, areas: AreaTable, manifests: Iterable[Path] = ()):
        self.catalog = catalog
        self.areas = areas
        self.places = Places(areas)
        self.manifest_errors: list[QuarantineEntry] = []
        self._manifests: dict[Path, dict[str, ManifestRow]] = {}
        by_folder: dict[Path, list[Path]] = defaultdict(list)
        for manifest in manifests:
            by_folder[manifest.parent].append(manifest)
        for folder, found in sorted(by_folder.items()):
            self._read_manifest(folder, found)

    def read(self, path: Path, row: ManifestRow | None = None) -> tuple[Document, list[Fact]]:
        """The document at `path` (described with its manifest `row`) and all the facts it gives;
        raises Quarantined with the reason."""
        try:
            doc = replace(ingest(path), file_name=path.name, path=str(path))
            doc = describe(doc, self.areas, row)
            return doc, resolve(extract_facts(doc, self.catalog, self.places), self.catalog)
        except Quarantined:
            raise
        except Exception as error:  # one report must not stop the run: it is quarantined with the error
            message = " ".join(str(error).split())
            raise Quarantined(f"internal error: {type(error).__name__}: {message}") from error

    def manifest_row(self, path: Path) -> ManifestRow | None:
        """The row of the manifest beside `path` that names it."""
        return self._manifests.get(path.parent, {}).get(path.name)

    def _read_manifest(self, folder: Path, found: list[Path]) -> None:
        rows, errors = read_manifest(folder, self.areas, found)
        for error in errors:
            manifest = next(p for p in found if error.startswith(f"{p}: "))
            self.manifest_errors.append(
                QuarantineEntry(manifest.name, str(manifest), error.removeprefix(f"{manifest}: "))
            )
        self._manifests[folder] = rows


class Worker:
    """Reads reports one at a time in a child process, each within `budget_s` seconds of wall time and
    `memory_mb` megabytes of growth of the child's resident memory (read from /proc where there is one).

    Why a process, not a thread or SIGALRM: a child can be killed at any point, even inside C code (a
    regex, zlib, a parser) that a signal handler only reaches when it returns, and nothing it half-built
    (a cache, an open file) survives into the next report, which gets a fresh child. It is forked, so it
    starts in milliseconds with the catalog and area table already loaded, and it hands back the very
    records the main process would have built: the run's output is the same. Without fork (Windows) or
    with `budget_s=None`, reports are read in this process, without a budget.
    """

    def __init__(
        self,
        reader: ReportReader,
        budget_s: float | None = REPORT_BUDGET_S,
        memory_mb: float = REPORT_MEMORY_MB,
    ):
        self.reader = reader
        self.budget_s = budget_s if "fork" in multiprocessing.get_all_start_methods() else None
        self.memory_mb = memory_mb
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: multiprocessing.connection.Connection | None = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def read(self, path: Path) -> tuple[Document, list[Fact]]:
        """As ReportReader.read, with the manifest row; over budget or a dead child is Quarantined."""
        row = self.reader.manifest_row(path)
        if self.budget_s is None:
            return self.reader.read(path, row)
        conn = self._connection()
        start_mb = self._resident_mb()
        conn.send((path, row))
        self._wait(conn, time.monotonic() + self.budget_s, start_mb)
        try:
            status, *result = conn.recv()
        except (EOFError, OSError):
            code = self._exit_code()
            self.stop()
            raise Quarantined(f"the reading process ended while reading it (exit status {code})") from None
        if status == "refused":
            raise Quarantined(result[0])
        return result[0], result[1]

    def _wait(
        self, conn: multiprocessing.connection.Connection, deadline: float, start_mb: float | None
    ) -> None:
        """Until the child answers; over its time or memory budget, it is killed and the report refused."""
        while not conn.poll(max(0.0, min(POLL_S, deadline - time.monotonic()))):
            grown = (self._resident_mb() or 0.0) - start_mb if start_mb is not None else 0.0
            if grown > self.memory_mb:
                self.stop()
                raise Quarantined(f"over the memory budget: reading it took more than {self.memory_mb:g} MB")
            if time.monotonic() > deadline:
                self.stop()
                raise Quarantined(f"over the time budget: not read and extracted within {self.budget_s:g} s")

    def _resident_mb(self) -> float | None:
        """The child's resident memory in MB (None where /proc does not tell)."""
        try:
            status = Path(f"/proc/{self._process.pid}/status").read_text() if self._process else ""
        except OSError:
            return None
        line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), None)
        return int(line.split()[1]) / 1024 if line else None

    def stop(self) -> None:
        """End the child (killed: it may be stuck in C code) and forget it; the next read forks anew."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.kill()
            self._process.join()
        self._process = self._conn = None

    def _connection(self) -> multiprocessing.connection.Connection:
        if self._conn is None:
            context = multiprocessing.get_context("fork")
            ours, theirs = context.Pipe()
            self._process = context.Process(target=_serve, args=(theirs, ours, self.reader), daemon=True)
            with warnings.catch_warnings():  # 3.12+ warns of forking with threads: the child uses none
                warnings.simplefilter("ignore", DeprecationWarning)
                self._process.start()
            theirs.close()
            self._conn = ours
        return self._conn

    def _exit_code(self) -> int | None:
        assert self._process is not None
        self._process.join(timeout=1)
        return self._process.exitcode


def _serve(
    conn: multiprocessing.connection.Connection,
    parent_end: multiprocessing.connection.Connection,
    reader: ReportReader,
) -> None:
    """The worker's loop: (path, row) in, ("ok", doc, facts) or ("refused", reason) out, until EOF."""
    parent_end.close()  # else the parent's death would never reach this end as EOF
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it kills us
    while True:
        try:
            path, row = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", *reader.read(path, row)))
        except Quarantined as refused:
            conn.send(("refused", refused.reason))


def run(
    report_dirs: Iterable[Path],
    db_path: Path,
    catalog_path: Path | None = None,
    progress: Progress | None = None,
    budget_s: float | None = REPORT_BUDGET_S,
) -> RunSummary:
    """Build the database at `db_path` from every report under `report_dirs` (see the module doc);
    `budget_s` is each report's time budget (None: read in this process, without one)."""
    report_dirs = [Path(d) for d in report_dirs]
    catalog = load_catalog(catalog_path)
    found = scan(report_dirs)
    reader = ReportReader(catalog, AreaTable.load(), found.manifests)
    meta = {
        "etl_version": etl_version(),
        "catalog_sha256": file_sha256(Path(catalog.path)),
        "reference_sha256": _files_sha256(sorted(DEFAULT_REF_DIR.glob("*.csv"))),
        "manifests_sha256": _files_sha256(found.manifests),
    }
    previous = read_previous(Path(db_path))
    reusable = all(previous.meta.get(key) == meta[key] for key in REUSE_KEYS)
    summary = RunSummary(Path(db_path), files_read=len(found.reports))
    summary.warnings += [
        f"no reports found in {d}" for d in report_dirs if not _has_reports(found.reports, d)
    ]
    summary.notes += found.notes
    with Worker(reader, budget_s) as worker:
        loaded = _gather(found.reports, worker, previous, reusable, summary, progress)
    for refused in found.refused:
        _keep_previous(Path(refused.path), previous, loaded, summary)
    summary.quarantined = reader.manifest_errors + found.refused + summary.quarantined
    summary.documents = list(loaded.documents.values())
    summary.facts = [fact for facts in loaded.facts.values() for fact in facts]
    build_database(
        Path(db_path),
        catalog,
        reader.areas.as_dataframe(),
        summary.documents,
        summary.facts,
        summary.quarantined,
        meta,
    )
    return summary


def _gather(
    reports: list[Path],
    worker: Worker,
    previous: Previous,
    reusable: bool,
    summary: RunSummary,
    progress: Progress | None,
) -> _Loaded:
    """Each report's document and facts: reused when unchanged, kept when now unreadable, else read."""
    loaded = _Loaded()
    reusable_work = previous if reusable else Previous()
    for done, path in enumerate(reports, start=1):
        if progress:
            progress(done, len(reports), path.name)
        try:
            _gather_one(path, worker, reusable_work, loaded, summary)
        except Quarantined as refused:
            summary.quarantined.append(QuarantineEntry(path.name, str(path), refused.reason))
            _keep_previous(path, previous, loaded, summary)
    return loaded


def _keep_previous(refused: Path, previous: Previous, loaded: _Loaded, summary: RunSummary) -> None:
    """Keep the previous run's documents found at `refused` (a file, or a folder and all below it):
    a report that cannot be read now is not dropped from the database."""
    for old in previous.documents.values():
        if Path(old.path).is_relative_to(refused) and old.id not in loaded.documents:
            loaded.add(old, previous.facts.get(old.id, []), Path(old.path))
            summary.kept += 1


def _gather_one(path: Path, worker: Worker, reusable: Previous, loaded: _Loaded, summary: RunSummary) -> None:
    """Add one report to `loaded`: once per content, from `reusable` work when there, else read it."""
    try:
        doc_id = file_sha256(path)
    except OSError as error:
        raise Quarantined(f"cannot read the file: {error.strerror}") from error
    if doc_id in loaded.documents:
        summary.notes.append(f"{path}: same content as {loaded.source[doc_id]}, loaded once")
    elif doc_id in reusable.documents:
        doc = replace(reusable.documents[doc_id], file_name=path.name, path=str(path))
        loaded.add(doc, [replace(f, doc=path.name) for f in reusable.facts.get(doc_id, [])], path)
        summary.reused += 1
    else:
        loaded.add(*worker.read(path), path)
        summary.extracted += 1


def extract_paths(
    paths: Iterable[Path],
    catalog_path: Path | None = None,
    include_all: bool = False,
    budget_s: float | None = REPORT_BUDGET_S,
) -> Iterator[tuple[Document | None, list[Fact], QuarantineEntry | None]]:
    """Per report under `paths` (files or folders): its document and facts, or why it was refused
    (so is each file or folder the walk could not read or follow, and each bad manifest row).

    Without `include_all`, only the facts the document gives as its area's values (no narrower scope,
    nothing derived); nothing is chosen between documents and nothing is written.
    """
    found = scan(paths)
    reader = ReportReader(load_catalog(catalog_path), AreaTable.load(), found.manifests)
    with Worker(reader, budget_s) as worker:
        for path in found.reports:
            try:
                doc, facts = worker.read(path)
            except Quarantined as refused:
                yield None, [], QuarantineEntry(path.name, str(path), refused.reason)
                continue
            if not include_all:
                facts = [f for f in facts if is_area_value(f)]
            yield doc, facts, None
    for entry in found.refused + reader.manifest_errors:
        yield None, [], entry


def is_area_value(fact: Fact) -> bool:
    """A figure the document gives as its area's value for its year: whole area, reported, not cumulative."""
    return fact.scope == "area" and not fact.derived and fact.period != "cumulative"


@dataclass
class Scan:
    """What is under the report folders: reports and manifests (absolute, sorted), the files and folders
    that could not be read, followed or resolved, each with its reason, and notes."""

    reports: list[Path] = field(default_factory=list)
    manifests: list[Path] = field(default_factory=list)
    refused: list[QuarantineEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def refuse(self, path: Path, reason: str) -> None:
        self.refused.append(QuarantineEntry(path.name, str(path), reason))

    def add(self, path: Path) -> None:
        (self.manifests if is_manifest(path) else self.reports).append(path)


def scan(paths: Iterable[Path]) -> Scan:
    """Everything under `paths` (folders, recursively, or single files); names starting with a dot are
    ignored. A symbolic link is followed only to a file inside one of the folders given: a link out of
    them is refused (a report folder must not read any file on the host), and a link to a folder is not
    entered (its reports are read where they are). Nothing unreadable is skipped without an entry."""
    given = [Path(p).absolute() for p in paths]
    roots = tuple(p.resolve() for p in given if p.is_dir())
    found = Scan()
    for root in given:
        if root.is_dir():
            _scan_folder(root, roots, found)
        else:
            found.add(root)  # named on the command line: the user chose it, link or not
            for manifest in manifests_in(root.parent):
                _scan_entry(manifest, (root.parent.resolve(),), found)
    found.reports = sorted(set(found.reports))
    found.manifests = sorted(set(found.manifests))
    return found


def _scan_folder(folder: Path, roots: tuple[Path, ...], found: Scan) -> None:
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as error:
        found.refuse(folder, f"cannot read the folder: {error.strerror}; its reports were not read")
        return
    for name in names:
        if not name.startswith("."):
            _scan_entry(folder / name, roots, found)


def _scan_entry(path: Path, roots: tuple[Path, ...], found: Scan) -> None:
    try:
        mode = path.lstat().st_mode
    except OSError as error:  # gone since the folder was listed, or cannot be looked at
        found.refuse(path, f"cannot read the file: {error.strerror}")
        return
    if stat.S_ISLNK(mode):
        _scan_link(path, roots, found)
    elif stat.S_ISDIR(mode):
        _scan_folder(path, roots, found)
    elif stat.S_ISREG(mode):
        found.add(path)
    else:
        found.refuse(path, "not a regular file (a pipe, socket or device): not read")


def _scan_link(path: Path, roots: tuple[Path, ...], found: Scan) -> None:
    try:
        mode = path.stat().st_mode
    except OSError as error:
        found.refuse(path, _link_problem(error))
        return
    target = Path(os.path.realpath(path))
    if not any(target.is_relative_to(root) for root in roots):
        found.refuse(path, "symbolic link pointing outside the reports folder: refused, not read")
    elif stat.S_ISDIR(mode):
        found.notes.append(f"{path}: a link to the folder {target}; its reports are read there")
    elif stat.S_ISREG(mode):
        found.add(path)
    else:
        found.refuse(path, "symbolic link to something that is not a regular file: not read")


def _link_problem(error: OSError) -> str:
    """The one-line reason a symbolic link cannot be followed."""
    if error.errno == errno.ENOENT:
        return "dangling symbolic link: its target does not exist"
    if error.errno == errno.ELOOP:
        return "symbolic link loop: it never reaches a file"
    return f"cannot follow the symbolic link: {error.strerror}"


def walk(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(reports, manifests) under `paths`, as `scan` finds them."""
    found = scan(paths)
    return found.reports, found.manifests


def _has_reports(reports: list[Path], folder: Path) -> bool:
    return any(report.is_relative_to(folder.absolute()) for report in reports)


def file_sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes: a document's identity."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _files_sha256(paths: list[Path]) -> str:
    """One digest over files that change what a report's text means (manifests, the area table)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path}\0{file_sha256(path)}\0".encode())
    return digest.hexdigest()


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
