"""Reading a built database back for comparison in tests: rows in a stable order, facts per report."""

from __future__ import annotations

from pathlib import Path

import duckdb

CONTENT_TABLES = ("documents", "facts", "quarantine", "indicator_values")  # what a run puts in (and derives)


def table_rows(db_path: Path, table: str) -> list[tuple]:
    """Every row of `table`, sorted, so two builds compare equal whatever their insertion order."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return sorted(con.table(table).fetchall(), key=repr)


def contents(db_path: Path) -> dict[str, list[tuple]]:
    return {table: table_rows(db_path, table) for table in CONTENT_TABLES}


def facts_by_file(db_path: Path) -> dict[str, list[tuple]]:
    """Fact rows (without doc_id, which follows the content) by the file name of their document."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        found = con.execute(
            "SELECT d.file_name, f.* EXCLUDE (doc_id) FROM facts f JOIN documents d ON d.id = f.doc_id"
        ).fetchall()
    grouped: dict[str, list[tuple]] = {}
    for file_name, *fact in found:
        grouped.setdefault(file_name, []).append(tuple(fact))
    return {name: sorted(facts, key=repr) for name, facts in grouped.items()}
