"""The ETL run: walk report folders, read each report (or reuse last run's work), load one database.

Each file is read on its own: a bad one is quarantined with one line and the run goes on. The database
ends up holding exactly the reports under the folders given; a report that was loaded before and is now
unreadable keeps its old document and facts (and is listed in quarantine).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from etl.areas import DEFAULT_REF_DIR, AreaTable
from etl.catalog import Catalog, load_catalog
from etl.extract import extract_facts
from etl.ingest import ingest
from etl.load import Previous, QuarantineEntry, build_database, read_previous
from etl.manifest import MANIFEST_NAME, ManifestRow, read_manifest
from etl.metadata import describe
from etl.model import Document, Fact, Quarantined
from etl.places import Places
from etl.resolve import resolve

CODE_FILES = ("*.py", "*.sql", "*.yaml")  # what makes up "the ETL code" for reuse (catalog counted apart)
# The meta a previous database must share with this run for its work on unchanged documents to be reused.
REUSE_KEYS = ("etl_version", "catalog_sha256", "reference_sha256", "manifests_sha256")

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
    """Reads report files into described documents and resolved facts, applying each folder's manifest."""

    def __init__(self, catalog: Catalog, areas: AreaTable):
        self.catalog = catalog
        self.areas = areas
        self.places = Places(areas)
        self.manifest_errors: list[QuarantineEntry] = []
        self._manifests: dict[Path, dict[str, ManifestRow]] = {}

    def read(self, path: Path) -> tuple[Document, list[Fact]]:
        """The document at `path` and all the facts it gives; raises Quarantined with the reason."""
        try:
            doc = replace(ingest(path), file_name=path.name, path=str(path))
            doc = describe(doc, self.areas, self._manifest_row(path))
            return doc, resolve(extract_facts(doc, self.catalog, self.places), self.catalog)
        except Quarantined:
            raise
        except Exception as error:  # one report must not stop the run: it is quarantined with the error
            message = " ".join(str(error).split())
            raise Quarantined(f"internal error: {type(error).__name__}: {message}") from error

    def _manifest_row(self, path: Path) -> ManifestRow | None:
        """The row of the manifest beside `path` that names it (each folder's manifest read once)."""
        folder = path.parent
        if folder not in self._manifests:
            rows, errors = read_manifest(folder, self.areas)
            manifest = folder / MANIFEST_NAME
            self.manifest_errors += [
                QuarantineEntry(MANIFEST_NAME, str(manifest), error.removeprefix(f"{manifest}: "))
                for error in errors
            ]
            self._manifests[folder] = rows
        return self._manifests[folder].get(path.name)


def run(
    report_dirs: Iterable[Path],
    db_path: Path,
    catalog_path: Path | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Build the database at `db_path` from every report under `report_dirs` (see the module doc)."""
    report_dirs = [Path(d) for d in report_dirs]
    catalog = load_catalog(catalog_path)
    reader = ReportReader(catalog, AreaTable.load())
    reports, manifests = walk(report_dirs)
    meta = {
        "etl_version": etl_version(),
        "catalog_sha256": file_sha256(Path(catalog.path)),
        "reference_sha256": _files_sha256(sorted(DEFAULT_REF_DIR.glob("*.csv"))),
        "manifests_sha256": _files_sha256(manifests),
    }
    previous = read_previous(Path(db_path))
    reusable = all(previous.meta.get(key) == meta[key] for key in REUSE_KEYS)
    summary = RunSummary(Path(db_path), files_read=len(reports))
    summary.warnings += [f"no reports found in {d}" for d in report_dirs if not _has_reports(reports, d)]
    loaded = _gather(reports, reader, previous, reusable, summary, progress)
    summary.quarantined = reader.manifest_errors + summary.quarantined
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
    reader: ReportReader,
    previous: Previous,
    reusable: bool,
    summary: RunSummary,
    progress: Progress | None,
) -> _Loaded:
    """Each report's document and facts: reused when unchanged, kept when now unreadable, else read."""
    loaded = _Loaded()
    previous_at = {doc.path: doc for doc in previous.documents.values()}
    reusable_work = previous if reusable else Previous()
    for done, path in enumerate(reports, start=1):
        if progress:
            progress(done, len(reports), path.name)
        try:
            _gather_one(path, reader, reusable_work, loaded, summary)
        except Quarantined as refused:
            summary.quarantined.append(QuarantineEntry(path.name, str(path), refused.reason))
            old = previous_at.get(str(path))
            if old is not None and old.id not in loaded.documents:
                loaded.add(old, previous.facts.get(old.id, []), path)
                summary.kept += 1
    return loaded


def _gather_one(
    path: Path, reader: ReportReader, reusable: Previous, loaded: _Loaded, summary: RunSummary
) -> None:
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
        loaded.add(*reader.read(path), path)
        summary.extracted += 1


def extract_paths(
    paths: Iterable[Path], catalog_path: Path | None = None, include_all: bool = False
) -> Iterator[tuple[Document | None, list[Fact], QuarantineEntry | None]]:
    """Per report under `paths` (files or folders): its document and facts, or why it was refused.

    Without `include_all`, only the facts the document gives as its area's values (no narrower scope,
    nothing derived); nothing is chosen between documents and nothing is written.
    """
    reader = ReportReader(load_catalog(catalog_path), AreaTable.load())
    reports, _ = walk(paths)
    for path in reports:
        try:
            doc, facts = reader.read(path)
        except Quarantined as refused:
            yield None, [], QuarantineEntry(path.name, str(path), refused.reason)
            continue
        if not include_all:
            facts = [f for f in facts if is_area_value(f)]
        yield doc, facts, None
    for entry in reader.manifest_errors:
        yield None, [], entry


def is_area_value(fact: Fact) -> bool:
    """A figure the document gives as its area's value for its year: whole area, reported, not cumulative."""
    return fact.scope == "area" and not fact.derived and fact.period != "cumulative"


def walk(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(reports, manifests) under `paths`, absolute and sorted; files and folders whose name starts
    with a dot are ignored, and a manifest.csv is never a report."""
    found: set[Path] = set()
    for given in map(Path, paths):
        root = given.absolute()
        candidates = root.rglob("*") if root.is_dir() else [root]
        found.update(
            c for c in candidates if c.is_file() and _visible(c, root if root.is_dir() else root.parent)
        )
    reports = sorted(p for p in found if p.name.lower() != MANIFEST_NAME)
    manifests = sorted(p for p in found if p.name.lower() == MANIFEST_NAME)
    return reports, manifests


def _visible(path: Path, root: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


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
