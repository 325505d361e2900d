"""Write the database: a new file built beside the target, then swapped in with `os.replace`.

The new file starts as a copy of the previous database (when its work can be reused) or empty; rows are
deleted and appended in batches, so a run holds a batch of documents in memory, never all of them. A run
that fails or is killed at any point leaves the previous database as it was; a dashboard holding a
read-only connection keeps reading the old file until it reopens. Values go in as registered DataFrames,
never as SQL text.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.catalog import Catalog
from etl.frames import (
    DIM_COLUMNS,
    categories_frame,
    dim_values_frame,
    documents_frame,
    facts_frame,
    indicators_frame,
)
from etl.model import Document, Fact
from etl.review_apply import apply_review
from review.store import store_path

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
INDICATOR_VALUES_PATH = Path(__file__).with_name("indicator_values.sql")  # derived from facts at commit
SCHEMA_VERSION = "1"  # written to `meta`; the dashboard refuses a database of a version it does not know
META_DDL = "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"
TEMP_MARK = ".tmp-"  # <db>.tmp-<pid>: a build in progress (or killed) by that process
MEMORY_LIMIT = "128MB"  # DuckDB's buffer pool in a run: flat whatever the corpus size
# DuckDB's threads while rows stream in: one, as the worker processes have the cores and a batch is too
# small to split (more threads cost the run's parent ~0.1 ms of CPU a report); commit resets it
BUILD_THREADS = 1
FAILURES = (duckdb.Error, OSError, KeyError, ValueError)  # what makes a build fail with a LoadError

READ_DOCUMENTS_SQL = """
SELECT d.id, d.file_name, d.path, d.text, d.title, d.area_code, a.short_name AS area, d.year,
       d.doc_type, CAST(d.published AS VARCHAR) AS published
FROM documents d LEFT JOIN areas a ON a.code = d.area_code
"""
READ_FACTS_SQL = """
SELECT d.file_name AS doc, f.doc_id, a.short_name AS area,
       f.* EXCLUDE (doc_id, status, review_note, extracted)
FROM facts f JOIN documents d ON d.id = f.doc_id LEFT JOIN areas a ON a.code = f.area_code
ORDER BY f.doc_id, f.start NULLS LAST, f.indicator
"""
READ_META_SQL = "SELECT key, value FROM meta"
LOCATION_COLUMNS = ("id", "path", "size", "mtime_ns")  # a database from before size and mtime has id, path
TABLE_COLUMNS_SQL = """
SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position
"""
LIST_TYPE = "VARCHAR[]"  # the schema's list columns (facts.flags, indicators.dims, ...)
LIST_END = "\x1f"  # ends each item of a list cell on its way in (append_rows); SQL splits on chr(31)
DELETE_FACTS_SQL = "DELETE FROM facts WHERE doc_id IN (SELECT id FROM gone)"
DELETE_DOCUMENTS_SQL = "DELETE FROM documents WHERE id IN (SELECT id FROM gone)"
RELOCATE_SQL = """
UPDATE documents SET file_name = moved.file_name, path = moved.path, size = moved.size,
       mtime_ns = moved.mtime_ns
FROM moved WHERE documents.id = moved.id
"""
KEPT_DOCUMENTS_SQL = "SELECT * FROM documents WHERE list_contains(?, id)"
KEPT_FACTS_SQL = "SELECT * FROM facts WHERE list_contains(?, doc_id)"
FACTS_PER_INDICATOR_SQL = "SELECT indicator, count(*) FROM facts GROUP BY indicator ORDER BY indicator"
COUNT_DOCUMENTS_SQL = "SELECT count(*) FROM documents"


ColumnCache = dict[str, list[tuple[str, str]]]  # table -> its (column name, type)s, in schema order


class LoadError(Exception):
    """The database could not be read or written; the previous one is unchanged."""


@dataclass(frozen=True)
class QuarantineEntry:
    """An input refused in this run, with the one-line reason."""

    file_name: str
    path: str
    reason: str


@dataclass(frozen=True)
class Location:
    """Where a stored document was found, and the file's size and mtime then (None: not recorded)."""

    path: str
    size: int | None
    mtime_ns: int | None


@dataclass
class Previous:
    """What a database holds, as records (tests compare runs by it)."""

    documents: dict[str, Document] = field(default_factory=dict)  # by id
    facts: dict[str, list[Fact]] = field(default_factory=dict)  # by doc id
    meta: dict[str, str] = field(default_factory=dict)


class DatabaseBuild:
    """A database built at `<db>.tmp-<pid>` and swapped in by `commit`; unless committed, the temp file is
    removed on exit and the database at `db_path` stays as it was. Starts as a copy of `start_from`, else
    with an empty schema. Errors of DuckDB or the disk come out as LoadError naming the database."""

    def __init__(self, db_path: Path, start_from: Path | None = None):
        self.db_path = Path(db_path)
        self.temp_path = self.db_path.with_name(f"{self.db_path.name}{TEMP_MARK}{os.getpid()}")
        with _failing_as(f"could not build {self.db_path}"):
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temps(self.db_path)
            _remove(self.temp_path)
            try:
                self.con = self._open(start_from)
            except BaseException:
                _remove(self.temp_path)
                raise
        self._columns: ColumnCache = {}
        # indicator_values must be derived again at commit: always in a new database, in a copy only once
        # its documents or facts change (a re-run that changes nothing keeps the copied table)
        self._values_stale = start_from is None

    def _open(self, start_from: Path | None) -> duckdb.DuckDBPyConnection:
        if start_from is not None:
            shutil.copyfile(start_from, self.temp_path)
        con = duckdb.connect(str(self.temp_path))
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")  # constants: no value in SQL text
        con.execute(f"SET threads = {BUILD_THREADS}")
        if start_from is None:
            create_schema(con)
        return con

    def __enter__(self) -> DatabaseBuild:
        return self

    def __exit__(self, _type, exc, _tb) -> None:
        self.con.close()
        _remove(self.temp_path)
        if isinstance(exc, FAILURES) and not isinstance(exc, LoadError):
            raise LoadError(f"could not build {self.db_path}: {exc}") from exc

    def write_catalog(self, catalog: Catalog, areas: pd.DataFrame) -> None:
        """The catalog's tables and the area table, replaced whole (they are small)."""
        for table, frame in (
            ("areas", areas),
            ("categories", categories_frame(catalog)),
            ("indicators", indicators_frame(catalog)),
            ("dim_values", dim_values_frame(catalog)),
        ):
            self.replace_rows(table, frame)

    def insert(self, documents: list[Document], facts: list[Fact], stats: dict[str, Location]) -> None:
        """Append documents (with their files' `stats` by path) and their facts."""
        self._values_stale = True
        self._append("documents", documents_frame(documents, facts, stats))
        self._append("facts", facts_frame(facts))

    def relocate(self, moved: pd.DataFrame) -> None:
        """Give stored documents (by id) the file name, path, size and mtime they are now found with."""
        if len(moved):
            self._values_stale = True
            self.con.register("moved", moved)
            self.con.execute(RELOCATE_SQL)
            self.con.unregister("moved")

    def delete(self, ids: list[str]) -> None:
        """Remove these documents and their facts."""
        if ids:
            self._values_stale = True
            self.con.register("gone", pd.DataFrame({"id": ids}))
            self.con.execute(DELETE_FACTS_SQL)
            self.con.execute(DELETE_DOCUMENTS_SQL)
            self.con.unregister("gone")

    def copy_documents(self, source: Path, ids: list[str]) -> None:
        """Copy these documents and their facts from the database at `source` (a rebuild keeping them)."""
        if ids:
            self._values_stale = True
            with duckdb.connect(str(source), read_only=True) as old:
                documents = old.execute(KEPT_DOCUMENTS_SQL, [ids]).df()
                facts = old.execute(KEPT_FACTS_SQL, [ids]).df()
            self._append("documents", documents)
            self._append("facts", facts)

    def replace_rows(self, table: str, frame: pd.DataFrame) -> None:
        self.con.execute(f"DELETE FROM {table}")  # a table name of ours, never a value
        self._append(table, frame)

    def write_meta(self, meta: dict[str, str]) -> None:
        built_at = datetime.now(UTC).isoformat(timespec="seconds")
        rows = meta | {"built_at": built_at, "schema_version": SCHEMA_VERSION}
        self.replace_rows("meta", pd.DataFrame(rows.items(), columns=["key", "value"]))

    def counts(self) -> tuple[int, dict[str, int]]:
        """Documents stored, and facts per indicator."""
        (n_documents,) = self.con.execute(COUNT_DOCUMENTS_SQL).fetchone()
        return n_documents, dict(self.con.execute(FACTS_PER_INDICATOR_SQL).fetchall())

    def commit(self) -> None:
        """Derive `indicator_values` from the final facts (unless they are the copied ones), flush the new
        file to disk and swap it in for the database: a reader never sees facts without their values."""
        with _failing_as(f"could not build {self.db_path}"):
            self.con.execute("RESET threads")  # the workers are done: the derived tables get every core
            self._values_stale |= apply_review(self.con, store_path(self.db_path))
            if self._values_stale:
                write_indicator_values(self.con)
            self.con.execute("CHECKPOINT")
            self.con.close()
            with open(self.temp_path, "rb+") as written:
                os.fsync(written.fileno())
            os.replace(self.temp_path, self.db_path)

    def _append(self, table: str, frame: pd.DataFrame) -> None:
        append_rows(self.con, table, frame, self._columns)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The database's tables (etl/schema.sql, an empty indicator_values) and its meta table, in an empty
    database."""
    con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
    write_indicator_values(con)
    con.execute(META_DDL)


def write_indicator_values(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the `indicator_values` table from the facts and documents now in the database."""
    con.execute(INDICATOR_VALUES_PATH.read_text(encoding="utf-8"))


def append_rows(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, columns: ColumnCache
) -> None:
    """Append `frame` to `table` by column name, cast to the schema's types (`columns`: a cache of each
    table's columns and types, filled on first use).

    A list cell goes in as text, each item ended by LIST_END, and is split again in SQL: DuckDB types a
    column of Python lists from its first thousand rows, so a batch whose first thousand facts had no flag
    typed `flags` as a list of NULLs and failed the run at the first flag after them (it is faster, too)."""
    if table not in columns:
        columns[table] = con.execute(TABLE_COLUMNS_SQL, [table]).fetchall()
    frame = frame.reindex(columns=[name for name, _ in columns[table]])
    lists = [name for name, kind in columns[table] if kind == LIST_TYPE]
    for name in lists:
        frame[name] = [_list_text(items) for items in frame[name]]
    relation = con.from_df(frame)
    if lists:  # names and types of the schema's own columns, never values
        relation = relation.project(", ".join(_column_sql(name, kind) for name, kind in columns[table]))
    relation.insert_into(table)


def _list_text(items: Collection[str] | None) -> str | None:
    """A list cell as text, each item ended by LIST_END (None stays None); an item holding LIST_END would
    not come back whole, so it is an error."""
    if items is None or (isinstance(items, float) and items != items):  # None, or NaN: a missing column
        return None
    text = LIST_END.join(items) + LIST_END if len(items) else ""
    if text.count(LIST_END) != len(items):
        raise ValueError(f"a list item holds the separator {LIST_END!r}: {list(items)}")
    return text


def _column_sql(name: str, kind: str) -> str:
    """The column `name` of a frame for append_rows, a list cell split back into its items."""
    if kind == LIST_TYPE:
        return f'string_split(CAST("{name}" AS VARCHAR), chr(31))[:-2] AS "{name}"'
    return f'"{name}"'


@contextmanager
def _failing_as(message: str) -> Iterator[None]:
    """Turns DuckDB's and the disk's errors inside the block into one LoadError: `message: error`."""
    try:
        yield
    except LoadError:
        raise
    except FAILURES as error:
        raise LoadError(f"{message}: {error}") from error


@contextmanager
def _read_only(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with (
        _failing_as(f"cannot read the previous database {db_path}"),
        duckdb.connect(str(db_path), read_only=True) as con,
    ):
        yield con


def build_database(
    db_path: Path,
    catalog: Catalog,
    areas: pd.DataFrame,
    documents: list[Document],
    facts: list[Fact],
    quarantine: list[QuarantineEntry],
    meta: dict[str, str],
) -> None:
    """Replace the database at `db_path` with one holding exactly these rows, or leave it untouched."""
    with DatabaseBuild(db_path) as build:
        build.write_catalog(catalog, areas)
        build.insert(documents, facts, {})
        build.replace_rows("quarantine", quarantine_frame(quarantine))
        build.write_meta(meta)
        build.commit()


def quarantine_frame(quarantine: list[QuarantineEntry]) -> pd.DataFrame:
    return pd.DataFrame([asdict(q) for q in quarantine], columns=["file_name", "path", "reason"])


def read_meta(db_path: Path) -> dict[str, str]:
    """The meta of the database at `db_path` (empty when there is none yet)."""
    if not Path(db_path).exists():
        return {}
    with _read_only(db_path) as con:
        return dict(con.execute(READ_META_SQL).fetchall())


def read_locations(db_path: Path) -> dict[str, Location]:
    """Where each document of the database at `db_path` was found, by id (none when there is none)."""
    if not Path(db_path).exists():
        return {}
    with _read_only(db_path) as con:
        stored = {row[0] for row in con.execute(TABLE_COLUMNS_SQL, ["documents"]).fetchall()}
        columns = ", ".join(c for c in LOCATION_COLUMNS if c in stored)  # names of ours, never values
        rows = _records(con, f"SELECT {columns} FROM documents")
    return {row["id"]: Location(row["path"], row.get("size"), row.get("mtime_ns")) for row in rows}


def read_previous(db_path: Path) -> Previous:
    """Documents, facts and meta of the database at `db_path` (empty when there is none yet)."""
    if not Path(db_path).exists():
        return Previous()
    with _read_only(db_path) as con:
        meta = dict(con.execute(READ_META_SQL).fetchall())
        documents = [Document(**row) for row in _records(con, READ_DOCUMENTS_SQL)]
        facts = [_fact_from_row(row) for row in _records(con, READ_FACTS_SQL)]
    by_doc: dict[str, list[Fact]] = {}
    for fact in facts:
        by_doc.setdefault(fact.doc_id, []).append(fact)
    return Previous({doc.id: doc for doc in documents}, by_doc, meta)


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def remove_stale_temps(db_path: Path) -> None:
    """Delete the half-built files of runs that were killed (their process is gone)."""
    for temp in db_path.parent.glob(f"{db_path.name}{TEMP_MARK}*"):
        pid = temp.name.removeprefix(db_path.name + TEMP_MARK).removesuffix(".wal")
        if pid.isdigit() and not _process_alive(int(pid)):
            temp.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _fact_from_row(row: dict) -> Fact:
    dims = {dim: row.pop(dim) for dim in DIM_COLUMNS}
    row["dims"] = {dim: value for dim, value in dims.items() if value is not None}
    row["area"] = row["area"] or row["area_code"]
    return Fact(**row)
