"""Parquet parts: the rows a run would load, written where the reports are read, and loaded into DuckDB
elsewhere, so reading a large corpus (on a cluster) and writing the database are two steps.

A parts folder holds, per batch of documents, `documents-NNNNN.parquet` and `facts-NNNNN.parquet` (the
frames of etl/frames.py cast to the database's own columns and types by an in-memory DuckDB of the
schema), `quarantine.parquet`, and last `parts.json`: the meta the database's work depends on and the
list of parts (a folder without it is an extract that did not finish). `load-parquet` builds the
database from one or more such folders with DuckDB's `read_parquet`, swapped in as a run's (etl/load.py);
a document found in several parts is loaded once, from the first path, as a run over all the reports
would load it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

import duckdb
import pandas as pd

from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.frames import documents_frame, facts_frame
from etl.incremental import SCAN_META_KEY, Plan, scan_started_meta
from etl.load import (
    FACTS_PER_INDICATOR_SQL,
    SCHEMA_VERSION,
    ColumnCache,
    DatabaseBuild,
    Location,
    QuarantineEntry,
    append_rows,
    create_schema,
    quarantine_frame,
)
from etl.model import Document, Fact
from etl.pipeline import Progress, RunOptions, RunSummary, finish_summary, read_into, run_meta
from etl.reader import ReportReader
from etl.review_apply import orphan_reasons
from etl.scan import has_reports, scan

PARTS_META = "parts.json"
PART_TABLES = ("documents", "facts")
QUARANTINE_PART = "quarantine.parquet"
# The meta parts must share with the code loading them: its catalog and area tables must be theirs.
SAME_KEYS = ("schema_version", "etl_version", "catalog_sha256", "reference_sha256")

# A document id found in several parts is loaded from its first path (by path components, as the walk
# sorts), so parts from several machines load as one run over all the reports would.
DOCUMENTS_SQL = """
INSERT INTO documents BY NAME
SELECT * EXCLUDE (filename, part) FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY string_split(path, '/'), filename) AS part
    FROM read_parquet(?, filename = true)
) WHERE part = 1
"""
FACTS_SQL = """
INSERT INTO facts BY NAME
SELECT f.* EXCLUDE (filename)
FROM read_parquet(?, filename = true) f
JOIN parts p ON p.facts_file = f.filename
JOIN (
    SELECT id, filename FROM read_parquet(?, filename = true)
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY string_split(path, '/'), filename) = 1
) d ON d.id = f.doc_id AND d.filename = p.documents_file
"""
COPIES_SQL = """
SELECT path, first_value(path) OVER (PARTITION BY id ORDER BY string_split(path, '/'), filename) AS first
FROM read_parquet(?, filename = true)
QUALIFY row_number() OVER (PARTITION BY id ORDER BY string_split(path, '/'), filename) > 1
ORDER BY string_split(path, '/')
"""
QUARANTINE_SQL = "INSERT INTO quarantine BY NAME SELECT * FROM read_parquet(?)"


class PartsError(Exception):
    """A parts folder or file that cannot be written or loaded; the message names it."""


class PartWriter:
    """Writes each batch a run would append to the database as a pair of Parquet parts in `out_dir`."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        if self.out_dir.exists() and any(self.out_dir.iterdir()):
            raise PartsError(f"{self.out_dir}: not empty (parts go to a new or empty folder)")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect()
        create_schema(self.con)
        self._columns: ColumnCache = {}
        self.parts: list[dict[str, str]] = []
        self.documents = 0
        self.facts_per_indicator: dict[str, int] = {}

    def insert(self, documents: list[Document], facts: list[Fact], stats: dict[str, Location]) -> None:
        """One part per table: the documents (with their files' `stats` by path) and their facts."""
        append_rows(self.con, "documents", documents_frame(documents, facts, stats), self._columns)
        append_rows(self.con, "facts", facts_frame(facts), self._columns)
        for indicator, count in self.con.execute(FACTS_PER_INDICATOR_SQL).fetchall():
            self.facts_per_indicator[indicator] = self.facts_per_indicator.get(indicator, 0) + count
        self.documents += len(documents)
        names = {table: f"{table}-{len(self.parts):05d}.parquet" for table in PART_TABLES}
        for table, name in names.items():
            self.con.table(table).write_parquet(str(self.out_dir / name))
            self.con.execute(f"DELETE FROM {table}")  # a table name of ours, never a value
        self.parts.append(names)

    def finish(self, quarantine: list[QuarantineEntry], meta: dict[str, str]) -> None:
        """The quarantine part, then `parts.json` (written whole and renamed: its presence says done)."""
        append_rows(self.con, "quarantine", quarantine_frame(quarantine), self._columns)
        self.con.table("quarantine").write_parquet(str(self.out_dir / QUARANTINE_PART))
        record = meta | {"schema_version": SCHEMA_VERSION, "parts": self.parts}
        temp = self.out_dir / f".{PARTS_META}.tmp"
        temp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temp, self.out_dir / PARTS_META)
        self.con.close()


def extract_parquet(
    paths: Iterable[Path],
    out_dir: Path,
    catalog_path: Path | None = None,
    progress: Progress | None = None,
    options: RunOptions | None = None,
) -> RunSummary:
    """Read every report under `paths` as `run` would and write what it would load as parts in `out_dir`
    (written here, by the caller's process, as results stream in from the executor)."""
    options, paths = options or RunOptions(), [Path(p) for p in paths]
    catalog = load_catalog(catalog_path)
    started = scan_started_meta()
    found = scan(paths)
    reader = ReportReader(catalog, AreaTable.load(), found.manifests)
    plan = Plan({}, reusable=False)
    summary = RunSummary(Path(out_dir), files_read=len(found.reports))
    summary.warnings += [f"no reports found in {p}" for p in paths if not has_reports(found.reports, p)]
    writer = PartWriter(out_dir)
    with closing(options.executor_for(reader)) as executor:
        read_into(found, plan, executor, writer, summary, progress)
    finish_summary(summary, found, plan, reader)
    summary.documents, summary.facts_per_indicator = (
        writer.documents,
        dict(sorted(writer.facts_per_indicator.items())),
    )
    writer.finish(summary.quarantined, run_meta(catalog, found.manifests) | started)
    return summary


def load_parquet(dirs: Iterable[Path], db_path: Path, catalog_path: Path | None = None) -> RunSummary:
    """Replace the database at `db_path` with one built from the parts folders `dirs`, or leave it as it
    was: parts of other code, catalog or reference data than this one's are refused, as is any file that
    is not a part of this schema."""
    dirs, db_path = [Path(d) for d in dirs], Path(db_path)
    catalog = load_catalog(catalog_path)
    expected = run_meta(catalog, []) | {"schema_version": SCHEMA_VERSION}
    metas = [_read_parts_meta(d, expected) for d in dirs]
    parts = pd.DataFrame(
        [
            {f"{table}_file": str(d / names[table]) for table in PART_TABLES}
            for d, meta in zip(dirs, metas, strict=True)
            for names in meta["parts"]
        ],
        columns=[f"{table}_file" for table in PART_TABLES],
    )
    documents, facts = list(parts["documents_file"]), list(parts["facts_file"])
    quarantine = [str(d / QUARANTINE_PART) for d in dirs]
    summary = RunSummary(db_path, parts=len(parts))
    with DatabaseBuild(db_path) as build:
        _check_parts(build.con, documents, facts, quarantine)
        build.write_catalog(catalog, AreaTable.load().as_dataframe())
        build.con.register("parts", parts)
        if documents:
            build.con.execute(DOCUMENTS_SQL, [documents])
            build.con.execute(FACTS_SQL, [facts, documents])
            copies = build.con.execute(COPIES_SQL, [documents]).fetchall()
            summary.notes = [_copy_note(path, first) for path, first in copies]
        build.con.execute(QUARANTINE_SQL, [quarantine])
        summary.quarantined = [QuarantineEntry(*row) for row in build.con.table("quarantine").fetchall()]
        build.write_meta(_merged_meta(metas))
        summary.documents, summary.facts_per_indicator = build.counts()
        build.commit()  # applies the review desk's decisions, as a run does
    summary.review_orphans = orphan_reasons(db_path)
    return summary


def _copy_note(path: str, first: str) -> str:
    if path == first:  # the same report in two parts folders: extracts over overlapping folders
        return f"{path}: in more than one parts folder, loaded once"
    return f"{path}: same content as {first}, loaded once"


def _read_parts_meta(folder: Path, expected: dict[str, str]) -> dict:
    """The folder's `parts.json`, checked against this code's meta, every part it lists present and
    no other Parquet file beside them."""
    meta_path = folder / PARTS_META
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        listed = {name for names in meta["parts"] for name in names.values()} | {QUARANTINE_PART}
    except FileNotFoundError:
        raise PartsError(f"{folder}: no {PARTS_META}: not a finished `extract --parquet` folder") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise PartsError(f"{meta_path}: not a parts list: {error}") from None
    for key, value in expected.items():
        if meta.get(key) != value:
            raise PartsError(
                f"{meta_path}: {key} {meta.get(key)} is not this code's {value}: extract again with this "
                "code and catalog"
            )
    present = {p.name for p in folder.glob("*.parquet")}
    if missing := sorted(listed - present):
        raise PartsError(f"{folder / missing[0]}: listed in {PARTS_META} but missing")
    if foreign := sorted(present - listed):
        raise PartsError(f"{folder / foreign[0]}: not listed in {PARTS_META} (not a part of this extract)")
    return meta


def _check_parts(con: duckdb.DuckDBPyConnection, *groups: list[str]) -> None:
    """Each file a Parquet file with exactly its table's columns and types."""
    for table, files in zip((*PART_TABLES, "quarantine"), groups, strict=True):
        want = list(zip(con.table(table).columns, map(str, con.table(table).types), strict=True))
        for file in files:
            try:
                part = con.read_parquet(file)
                got = list(zip(part.columns, map(str, part.types), strict=True))
            except duckdb.Error as error:
                raise PartsError(
                    f"{file}: not a readable Parquet file: {' '.join(str(error).split())}"
                ) from None
            if got != want:
                raise PartsError(f"{file}: not a {table} part: its columns are {got}, the schema's {want}")


def _merged_meta(metas: list[dict]) -> dict[str, str]:
    """The meta a run over all the parts' reports would write, as near as parts tell: the shared keys,
    the earliest scan start, and the manifests' digest (a digest of the folders' digests where they
    differ, which a later run does not mistake for its own)."""
    manifests = sorted({meta["manifests_sha256"] for meta in metas})
    merged = {key: metas[0][key] for key in SAME_KEYS if key != "schema_version"}
    merged["manifests_sha256"] = (
        manifests[0] if len(manifests) == 1 else hashlib.sha256("\n".join(manifests).encode()).hexdigest()
    )
    merged[SCAN_META_KEY] = min((meta[SCAN_META_KEY] for meta in metas), key=int)
    return merged
