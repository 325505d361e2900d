"""Write the database: a complete new file built beside the target, then swapped in with `os.replace`.

A run that fails or is killed at any point leaves the previous database as it was; a dashboard holding a
read-only connection keeps reading the old file until it reopens. Values go in as registered DataFrames,
never as SQL text.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.catalog import Catalog
from etl.model import Document, Fact

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = "1"  # written to `meta`; the dashboard refuses a database of a version it does not know
META_DDL = "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"
TEMP_MARK = ".tmp-"  # <db>.tmp-<pid>: a build in progress (or killed) by that process
DIM_COLUMNS = ("level", "field", "kind", "role")  # the facts table's dim columns (etl/schema.sql)
TABLES_IN_ORDER = (
    "areas",
    "categories",
    "indicators",
    "dim_values",
    "documents",
    "facts",
    "quarantine",
    "meta",
)

READ_DOCUMENTS_SQL = """
SELECT d.id, d.file_name, d.path, d.text, d.title, d.area_code, a.short_name AS area, d.year,
       d.doc_type, CAST(d.published AS VARCHAR) AS published
FROM documents d LEFT JOIN areas a ON a.code = d.area_code
"""
READ_FACTS_SQL = """
SELECT d.file_name AS doc, f.doc_id, a.short_name AS area, f.* EXCLUDE (doc_id)
FROM facts f JOIN documents d ON d.id = f.doc_id LEFT JOIN areas a ON a.code = f.area_code
ORDER BY f.doc_id, f.start NULLS LAST, f.indicator
"""
READ_META_SQL = "SELECT key, value FROM meta"
TABLE_COLUMNS_SQL = """
SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position
"""


class LoadError(Exception):
    """The database could not be read or written; the previous one is unchanged."""


@dataclass(frozen=True)
class QuarantineEntry:
    """An input refused in this run, with the one-line reason."""

    file_name: str
    path: str
    reason: str


@dataclass
class Previous:
    """What the current database holds, for reuse by the next run."""

    documents: dict[str, Document] = field(default_factory=dict)  # by id
    facts: dict[str, list[Fact]] = field(default_factory=dict)  # by doc id
    meta: dict[str, str] = field(default_factory=dict)


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
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(db_path)
    temp_path = db_path.with_name(f"{db_path.name}{TEMP_MARK}{os.getpid()}")
    try:
        frames = _frames(catalog, areas, documents, facts, quarantine, meta)
        _write(temp_path, frames)
        os.replace(temp_path, db_path)
    except (duckdb.Error, OSError, KeyError, ValueError) as error:
        raise LoadError(f"could not build {db_path}: {error}") from error
    finally:
        _remove(temp_path)


def _frames(
    catalog: Catalog,
    areas: pd.DataFrame,
    documents: list[Document],
    facts: list[Fact],
    quarantine: list[QuarantineEntry],
    meta: dict[str, str],
) -> dict[str, pd.DataFrame]:
    """Every table's rows, by table name."""
    built_at = datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "areas": areas,
        "categories": categories_frame(catalog),
        "indicators": indicators_frame(catalog),
        "dim_values": dim_values_frame(catalog),
        "documents": documents_frame(documents, facts),
        "facts": facts_frame(facts),
        "quarantine": pd.DataFrame([asdict(q) for q in quarantine], columns=["file_name", "path", "reason"]),
        "meta": pd.DataFrame(
            (meta | {"built_at": built_at, "schema_version": SCHEMA_VERSION}).items(),
            columns=["key", "value"],
        ),
    }


def _write(temp_path: Path, frames: dict[str, pd.DataFrame]) -> None:
    """Create the schema in a fresh file, fill every table, and flush it to disk."""
    _remove(temp_path)
    with duckdb.connect(str(temp_path)) as con:
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        con.execute(META_DDL)
        for table in TABLES_IN_ORDER:
            columns = [row[0] for row in con.execute(TABLE_COLUMNS_SQL, [table]).fetchall()]
            con.from_df(frames[table][columns]).insert_into(table)
        con.execute("CHECKPOINT")
    with open(temp_path, "rb+") as written:
        os.fsync(written.fileno())


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


def categories_frame(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"id": c.id, "name_zh": c.zh, "name_en": c.en, "sort_order": order}
            for order, c in enumerate(catalog.categories)
        ]
    )


def indicators_frame(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": ind.id,
                "name_zh": ind.zh,
                "name_en": ind.en,
                "category": ind.category,
                "unit": ind.unit,
                "unit_en": ind.unit_en,
                "is_rate": ind.is_rate,
                "definition_zh": ind.definition_zh,
                "definition_en": ind.definition_en,
                "higher_is_better": ind.higher_is_better,
                "dims": list(ind.dims),
                "ratio_of": ind.raw.get("derive", {}).get("ratio"),  # the catalog's `derive: {ratio: [...]}`
                "sort_order": order,
            }
            for order, ind in enumerate(catalog.indicators)
        ]
    )


def dim_values_frame(catalog: Catalog) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "dim": dim.id,
                "value": value,
                "name_zh": names["zh"],
                "name_en": names["en"],
                "sort_order": order,
            }
            for dim in catalog.dims.values()
            for order, (value, names) in enumerate(dim.values.items())
        ]
    )


def documents_frame(documents: list[Document], facts: list[Fact]) -> pd.DataFrame:
    n_facts: dict[str, int] = {}
    for fact in facts:
        n_facts[fact.doc_id] = n_facts.get(fact.doc_id, 0) + 1
    return pd.DataFrame(
        [
            {
                "id": doc.id,
                "file_name": doc.file_name,
                "path": doc.path,
                "area_code": doc.area_code,
                "year": doc.year,
                "doc_type": doc.doc_type,
                "published": _iso_date_or_none(doc.published),
                "title": doc.title,
                "text": doc.text,
                "n_facts": n_facts.get(doc.id, 0),
            }
            for doc in documents
        ],
        columns=[
            "id",
            "file_name",
            "path",
            "area_code",
            "year",
            "doc_type",
            "published",
            "title",
            "text",
            "n_facts",
        ],
    )


def _iso_date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def facts_frame(facts: list[Fact]) -> pd.DataFrame:
    """One row per fact, dims spread over the dim columns (an unknown dim is an error, not a silent drop)."""
    rows = []
    for fact in facts:
        unknown = set(fact.dims) - set(DIM_COLUMNS)
        if unknown:
            raise ValueError(f"{fact.doc}: {fact.indicator} has dims the schema lacks: {sorted(unknown)}")
        row = asdict(fact)
        row.update({dim: fact.dims.get(dim) for dim in DIM_COLUMNS})
        rows.append(row)
    columns = [f for f in Fact.__dataclass_fields__ if f not in ("doc", "area", "dims")] + list(DIM_COLUMNS)
    return pd.DataFrame(rows, columns=columns).astype(
        {"start": "Int64", "end": "Int64", "evidence_start": "Int64"}
    )


def read_previous(db_path: Path) -> Previous:
    """Documents, facts and meta of the database at `db_path` (empty when there is none yet)."""
    if not Path(db_path).exists():
        return Previous()
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            documents = [Document(**row) for row in _records(con, READ_DOCUMENTS_SQL)]
            facts = [_fact_from_row(row) for row in _records(con, READ_FACTS_SQL)]
            meta = dict(con.execute(READ_META_SQL).fetchall())
    except duckdb.Error as error:
        raise LoadError(f"cannot read the previous database {db_path}: {error}") from error
    by_doc: dict[str, list[Fact]] = {}
    for fact in facts:
        by_doc.setdefault(fact.doc_id, []).append(fact)
    return Previous({doc.id: doc for doc in documents}, by_doc, meta)


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _fact_from_row(row: dict) -> Fact:
    dims = {dim: row.pop(dim) for dim in DIM_COLUMNS}
    row["dims"] = {dim: value for dim, value in dims.items() if value is not None}
    row["area"] = row["area"] or row["area_code"]
    return Fact(**row)
