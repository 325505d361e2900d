"""All SQL the dashboard runs. Each call opens its own read-only connection, so when the ETL swaps in a
rebuilt file (os.replace) the next call reads the new data without a restart, and the dashboard never
holds a lock the ETL would wait for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

DEFAULT_DB = Path("data/emergency.duckdb")
REQUIRED_TABLES = ("areas", "categories", "indicators", "dim_values", "documents", "facts", "quarantine")


@contextmanager
def _connect(db_path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _frame(db_path: Path | str, sql: str, params: dict | None = None) -> pd.DataFrame:
    with _connect(db_path) as con:
        return con.execute(sql, params or {}).df()


def db_problem(db_path: Path | str) -> str | None:
    """Why the database cannot be shown (`missing`, `unreadable`, `empty`), or None when it can."""
    if not Path(db_path).is_file():
        return "missing"
    try:
        with _connect(db_path) as con:
            tables = {
                row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
            }
            if not set(REQUIRED_TABLES) <= tables:
                return "empty"
            n_documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except duckdb.Error:
        return "unreadable"
    return None if n_documents else "empty"


def categories(db_path: Path | str) -> pd.DataFrame:
    return _frame(db_path, "SELECT id, name_zh, name_en FROM categories ORDER BY sort_order, id")


def indicators(db_path: Path | str) -> pd.DataFrame:
    return _frame(
        db_path,
        """SELECT i.id, i.name_zh, i.name_en, i.category, i.unit, i.unit_en, i.is_rate,
                  i.definition_zh, i.definition_en, i.higher_is_better, i.dims, i.ratio_of
           FROM indicators i JOIN categories c ON c.id = i.category
           ORDER BY c.sort_order, i.sort_order, i.id""",
    )


def dim_values(db_path: Path | str) -> pd.DataFrame:
    return _frame(
        db_path, "SELECT dim, value, name_zh, name_en, sort_order FROM dim_values ORDER BY dim, sort_order"
    )


def areas(db_path: Path | str) -> pd.DataFrame:
    """Every area, with whether it has a loaded report (the default selection)."""
    return _frame(
        db_path,
        """SELECT a.code, a.name, a.short_name, a.level, a.province, a.pinyin, a.population,
                  a.population_source,
                  EXISTS (SELECT 1 FROM documents d WHERE d.area_code = a.code) AS has_reports
           FROM areas a ORDER BY a.province_code, a.code""",
    )


def report_years(db_path: Path | str) -> list[int]:
    rows = _frame(db_path, "SELECT DISTINCT year FROM indicator_values ORDER BY year")
    return [int(y) for y in rows["year"]]


def indicator_values(
    db_path: Path | str, area_codes: list[str], first_year: int | None, last_year: int | None
) -> pd.DataFrame:
    """The resolved values of the areas in a year range; with no range, each area's latest reported year
    of each indicator (areas report in different years)."""
    return _frame(
        db_path,
        """SELECT v.area_code, a.short_name AS area, a.name AS area_name, a.level AS area_level,
                  a.population, a.population_source, v.year, v.indicator,
                  v.level, v.field, v.kind, v.role, v.value, v.unit, v.approx, v.evidence,
                  v.evidence_start, v.start, v."end", v.flags, v.period, v.period_note, v.scope,
                  v.derived, v.doc_id, v.title, v.published, v.doc_type, v.file_name
           FROM indicator_values v JOIN areas a ON a.code = v.area_code
           WHERE list_contains($areas, v.area_code)
             AND v.year BETWEEN coalesce($first, 0) AND coalesce($last, 9999)
           QUALIFY $first IS NOT NULL
                OR v.year = max(v.year) OVER (PARTITION BY v.area_code, v.indicator)
           ORDER BY v.indicator, v.area_code, v.year""",
        {"areas": area_codes, "first": first_year, "last": last_year},
    )


def overview_counts(db_path: Path | str) -> dict[str, int]:
    """Counts for the headline cards that do not depend on the selection."""
    with _connect(db_path) as con:
        documents, quarantined = con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM quarantine)"
        ).fetchone()
    return {"documents": documents, "quarantined": quarantined}


def document(db_path: Path | str, doc_id: str) -> dict | None:
    """One stored document with its area's short name, or None when the id is unknown."""
    rows = _frame(
        db_path,
        """SELECT d.id, d.file_name, d.title, d.published, d.doc_type, d.year, d.text,
                  a.short_name AS area
           FROM documents d LEFT JOIN areas a ON a.code = d.area_code
           WHERE d.id = $doc_id""",
        {"doc_id": doc_id},
    )
    return None if rows.empty else rows.iloc[0].to_dict()


def documents(db_path: Path | str) -> pd.DataFrame:
    return _frame(
        db_path,
        """SELECT d.id, a.short_name AS area, d.area_code, d.year, d.doc_type, d.published, d.title,
                  d.file_name, d.n_facts
           FROM documents d LEFT JOIN areas a ON a.code = d.area_code
           ORDER BY a.province_code, d.area_code, d.year, d.file_name""",
    )


def quarantine(db_path: Path | str) -> pd.DataFrame:
    return _frame(db_path, "SELECT file_name, path, reason FROM quarantine ORDER BY file_name")
