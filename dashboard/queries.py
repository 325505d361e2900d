"""All SQL the dashboard runs. Each call takes its own read-only cursor of the file as it is now (attached
once per file identity), so when the ETL swaps in a rebuilt file (os.replace) the next call reads the new
data without a restart; the ETL writes a new file beside it, so it never waits for the dashboard's lock."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.cache import LruCache, db_identity, per_database

DEFAULT_DB = Path("data/emergency.duckdb")
# Never fetch or load an extension: a SQLite (or other foreign) file given as the database would make
# DuckDB download its scanner from the internet, and the dashboard fetches nothing from outside.
CONNECT_CONFIG = {"autoload_known_extensions": False, "autoinstall_known_extensions": False}
SCHEMA_VERSION_KEY = "schema_version"  # in `meta`, when the ETL writes one
SUPPORTED_SCHEMA_VERSIONS = ("1",)
MAX_DETAIL_CHARS = 200
DUCKDB_MAGIC, DUCKDB_MAGIC_START, DUCKDB_MAGIC_END = b"DUCK", 8, 12
TEXT, INT, NUMBER, BOOL, DATE, LIST = "text", "integer", "number", "boolean", "date", "list"
# Every relation and column the queries below read, with its type family (etl/schema.sql is the contract)
SCHEMA: dict[str, dict[str, str]] = {
    "areas": {
        "code": TEXT,
        "name": TEXT,
        "short_name": TEXT,
        "level": TEXT,
        "province_code": TEXT,
        "province": TEXT,
        "population": NUMBER,
        "population_source": TEXT,
        "pinyin": TEXT,
    },
    "categories": {"id": TEXT, "name_zh": TEXT, "name_en": TEXT, "sort_order": NUMBER},
    "indicators": {
        "id": TEXT,
        "name_zh": TEXT,
        "name_en": TEXT,
        "category": TEXT,
        "unit": TEXT,
        "unit_en": TEXT,
        "is_rate": BOOL,
        "per_capita": BOOL,
        "definition_zh": TEXT,
        "definition_en": TEXT,
        "higher_is_better": BOOL,
        "dims": LIST,
        "ratio_of": LIST,
        "sort_order": NUMBER,
    },
    "dim_values": {"dim": TEXT, "value": TEXT, "name_zh": TEXT, "name_en": TEXT, "sort_order": NUMBER},
    "documents": {
        "id": TEXT,
        "file_name": TEXT,
        "area_code": TEXT,
        "year": INT,
        "doc_type": TEXT,
        "published": DATE,
        "title": TEXT,
        "text": TEXT,
        "n_facts": NUMBER,
    },
    "facts": {},
    "quarantine": {"file_name": TEXT, "path": TEXT, "reason": TEXT},
    "indicator_values": {
        "area_code": TEXT,
        "year": INT,
        "indicator": TEXT,
        "level": TEXT,
        "field": TEXT,
        "kind": TEXT,
        "role": TEXT,
        "value": NUMBER,
        "unit": TEXT,
        "approx": TEXT,
        "evidence": TEXT,
        "evidence_start": INT,
        "start": INT,
        "end": INT,
        "flags": LIST,
        "period": TEXT,
        "period_note": TEXT,
        "scope": TEXT,
        "derived": BOOL,
        "doc_id": TEXT,
        "title": TEXT,
        "published": DATE,
        "doc_type": TEXT,
        "file_name": TEXT,
        "status": TEXT,
    },
}
REQUIRED_TABLES = tuple(SCHEMA)
INTEGER_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
)


class DbProblem(str):
    """Why a database cannot be shown: compares equal to its kind (`missing`, `unreadable`, `empty`,
    `schema`), and says what exactly in `detail`."""

    detail: str

    def __new__(cls, kind: str, detail: str = "") -> DbProblem:
        problem = super().__new__(cls, kind)
        problem.detail = detail
        return problem

    @property
    def kind(self) -> str:
        return str(self)


ATTACHED_FILES = 2  # attached files kept per process: the current one and the one just swapped out


class _Attached:
    """An in-memory DuckDB with one database file attached read-only. Attaching costs ~25 ms (DuckDB
    reads the file's catalog), a cursor on an attached file ~0.5 ms, so one is kept per file identity
    and every query takes its own cursor of it (cursors, unlike one shared connection, may run in
    several threads at once). Not opened by `duckdb.connect(path)`: DuckDB shares one open database per
    path within a process, so while any thread still read the file the ETL replaced, a new connection
    would get that old file under the new file's identity."""

    def __init__(self, db_path: Path | str):
        self._con = duckdb.connect(":memory:", config=CONNECT_CONFIG)
        self._lock = threading.Lock()
        try:
            self._con.execute("ATTACH $path AS dashboard_db (READ_ONLY)", {"path": str(db_path)})
        except BaseException:
            self._con.close()
            raise

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            cursor = self._con.cursor()
        cursor.execute("USE dashboard_db")
        return cursor


_attached = LruCache(ATTACHED_FILES)  # an evicted file is closed when its last cursor is
_inherited: list[LruCache] = []  # a forked child's copies of its parent's: never used, never closed


def _forget_attached_in_child() -> None:
    """A forked process (a gunicorn worker of a preloaded app) must not use its parent's DuckDB instances
    (their threads did not come along) nor destroy them (that waits for those threads): they are set
    aside, and the child attaches its own."""
    global _attached
    _inherited.append(_attached)
    _attached = LruCache(ATTACHED_FILES)


os.register_at_fork(after_in_child=_forget_attached_in_child)


def _attached_file(db_path: Path | str) -> _Attached:
    """The attached database for the file at `db_path` now. Cached only when the file's identity is the
    same before and after attaching, so a file swapped in meanwhile is never kept under the old one's."""
    identity = db_identity(db_path)
    found, attached = _attached.get(identity) if identity else (False, None)
    if found:
        return attached
    attached = _Attached(db_path)
    if identity is not None and db_identity(db_path) == identity:
        _attached.put(identity, attached)
    return attached


@contextmanager
def _connect(db_path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection (a cursor) to the file at `db_path` now: a file the ETL has swapped in
    since the last call is attached afresh, without a restart."""
    cursor = _attached_file(db_path).cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _frame(db_path: Path | str, sql: str, params: dict | None = None) -> pd.DataFrame:
    """The result as a DataFrame, text columns as plain Python strings: the figure and table builders walk
    them value by value, and pandas' string arrays box each value on the way (eight times slower)."""
    with _connect(db_path) as con:
        frame = con.execute(sql, params or {}).df()
    text = [column for column, dtype in frame.dtypes.items() if isinstance(dtype, pd.StringDtype)]
    return frame.astype(dict.fromkeys(text, object)) if text else frame


@per_database()
def db_problem(db_path: Path | str) -> DbProblem | None:
    """Why the database cannot be shown, or None when it can. Checked on every open: the file may have
    been swapped for another since the last request."""
    if not Path(db_path).is_file():
        return DbProblem("missing")
    if not _is_duckdb_file(Path(db_path)):
        return DbProblem("unreadable", "not a DuckDB file")
    try:
        with _connect(db_path) as con:
            found = relation_columns(con)
            if not found:  # a fresh file: nothing built into it yet
                return DbProblem("empty")
            problem = schema_problem(con, found)
            if problem:
                return DbProblem("schema", problem)
            n_documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except duckdb.Error as error:
        return DbProblem("unreadable", _one_line(str(error)))
    return None if n_documents else DbProblem("empty")


def _is_duckdb_file(path: Path) -> bool:
    """DuckDB files carry `DUCK` at byte 8; anything else (SQLite, text) is never handed to DuckDB."""
    try:
        with path.open("rb") as file:
            return file.read(DUCKDB_MAGIC_END)[DUCKDB_MAGIC_START:] == DUCKDB_MAGIC
    except OSError:
        return False


def _one_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= MAX_DETAIL_CHARS else line[: MAX_DETAIL_CHARS - 1] + "…"


def relation_columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Table or view -> column -> type, as a query binds them (a view over changed tables is read as it
    is now, not as it was created), for the relations the queries read."""
    names = {
        row[0]
        for row in con.execute(
            """SELECT table_name FROM information_schema.tables
               WHERE table_schema = current_schema() AND table_catalog = current_database()"""
        ).fetchall()
    }
    found: dict[str, dict[str, str]] = dict.fromkeys(names, {})
    for relation in names & {*SCHEMA, "meta"}:
        description = con.execute(f'SELECT * FROM "{relation}" LIMIT 0').description
        found[relation] = {column[0]: str(column[1]) for column in description}
    return found


def schema_problem(con: duckdb.DuckDBPyConnection, found: dict[str, dict[str, str]]) -> str | None:
    """What in the file differs from what the queries read (a relation, a column, a column's type, the
    schema version), or None."""
    for relation, columns in SCHEMA.items():
        problem = _relation_problem(relation, columns, found.get(relation))
        if problem:
            return problem
    return _version_problem(con, found)


def _relation_problem(relation: str, expected: dict[str, str], found: dict[str, str] | None) -> str | None:
    if found is None:
        return f"no {relation}"
    for column, family in expected.items():
        if column not in found:
            return f"{relation} has no column {column}"
        if not _is_family(found[column], family):
            return f"{relation}.{column} is {found[column]}, not {family}"
    return None


def _is_family(data_type: str, family: str) -> bool:
    data_type = data_type.upper()
    if family == LIST:
        return data_type.endswith("[]")
    if family == INT:
        return data_type in INTEGER_TYPES
    if family == NUMBER:
        return data_type in (*INTEGER_TYPES, "FLOAT", "DOUBLE") or data_type.startswith("DECIMAL")
    if family == DATE:
        return data_type == "DATE" or data_type.startswith("TIMESTAMP")
    return data_type == {TEXT: "VARCHAR", BOOL: "BOOLEAN"}[family]


def _version_problem(con: duckdb.DuckDBPyConnection, found: dict[str, dict[str, str]]) -> str | None:
    """A schema version this dashboard does not read, when the ETL wrote one in `meta`."""
    if not {"key", "value"} <= set(found.get("meta", {})):
        return None
    row = con.execute("SELECT value FROM meta WHERE key = $key", {"key": SCHEMA_VERSION_KEY}).fetchone()
    if row is None or str(row[0]) in SUPPORTED_SCHEMA_VERSIONS:
        return None
    readable = ", ".join(SUPPORTED_SCHEMA_VERSIONS)
    return f"schema version {_one_line(str(row[0]))}, this dashboard reads {readable}"


@per_database()
def categories(db_path: Path | str) -> pd.DataFrame:
    return _frame(db_path, "SELECT id, name_zh, name_en FROM categories ORDER BY sort_order, id")


@per_database()
def indicators(db_path: Path | str) -> pd.DataFrame:
    return _frame(
        db_path,
        """SELECT i.id, i.name_zh, i.name_en, i.category, i.unit, i.unit_en, i.is_rate, i.per_capita,
                  i.definition_zh, i.definition_en, i.higher_is_better, i.dims, i.ratio_of
           FROM indicators i JOIN categories c ON c.id = i.category
           ORDER BY c.sort_order, i.sort_order, i.id""",
    )


@per_database()
def dim_values(db_path: Path | str) -> pd.DataFrame:
    return _frame(
        db_path, "SELECT dim, value, name_zh, name_en, sort_order FROM dim_values ORDER BY dim, sort_order"
    )


@per_database()
def areas(db_path: Path | str) -> pd.DataFrame:
    """Every area, with whether it has a loaded report (the default selection)."""
    return _frame(
        db_path,
        """SELECT a.code, a.name, a.short_name, a.level, a.province_code, a.province, a.pinyin, a.population,
                  a.population_source,
                  EXISTS (SELECT 1 FROM documents d WHERE d.area_code = a.code) AS has_reports
           FROM areas a ORDER BY a.province_code, a.code""",
    )


@per_database()
def report_years(db_path: Path | str) -> list[int]:
    rows = _frame(db_path, "SELECT DISTINCT year FROM indicator_values ORDER BY year")
    return [int(y) for y in rows["year"]]


def indicator_values(
    db_path: Path | str,
    area_codes: list[str],
    first_year: int | None,
    last_year: int | None,
    reviewed: bool = False,
) -> pd.DataFrame:
    """The resolved values of the areas in a year range; with no range, each area's latest reported year
    of each indicator (areas report in different years); `reviewed`: only values a reviewer accepted,
    corrected or added."""
    return _frame(
        db_path,
        """SELECT v.area_code, a.short_name AS area, a.name AS area_name, a.level AS area_level,
                  a.population, a.population_source, v.year, v.indicator,
                  v.level, v.field, v.kind, v.role, v.value, v.unit, v.approx, v.evidence,
                  v.evidence_start, v.start, v."end", v.flags, v.period, v.period_note, v.scope,
                  v.derived, v.doc_id, v.title, v.published, v.doc_type, v.file_name, v.status
           FROM indicator_values v JOIN areas a ON a.code = v.area_code
           WHERE ($areas IS NULL OR list_contains($areas, v.area_code))
             AND v.year BETWEEN coalesce($first, 0) AND coalesce($last, 9999)
             AND (NOT $reviewed OR v.status <> 'extracted')
           QUALIFY $first IS NOT NULL
                OR v.year = max(v.year) OVER (PARTITION BY v.area_code, v.indicator)
           ORDER BY v.indicator, v.area_code, v.year""",
        {"areas": area_codes, "first": first_year, "last": last_year, "reviewed": reviewed},
    )


@per_database()
def _valued_areas(db_path: Path | str) -> frozenset[str]:
    return frozenset(_frame(db_path, "SELECT DISTINCT area_code FROM indicator_values")["area_code"])


def area_filter(db_path: Path | str, area_codes: tuple[str, ...] | list[str]) -> list[str] | None:
    """The codes a query keeps rows of, or None (keep all) when they take in every area with a value, as
    the default view of all areas does: testing each row against a list of 300 codes costs ~10 ms."""
    return None if _valued_areas(db_path) <= set(area_codes) else list(area_codes)


@per_database()
def overview_counts(db_path: Path | str) -> dict[str, int]:
    """Counts for the headline cards that do not depend on the selection."""
    with _connect(db_path) as con:
        documents, quarantined = con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM quarantine)"
        ).fetchone()
    return {"documents": documents, "quarantined": quarantined}


# A value's flags only where it has any (NULL otherwise): most have none, and an empty list costs as much
# to hand to pandas as a full one (a third of the query's time at 300 areas × 10 years)
_PANEL_VALUES = """SELECT v.area_code, v.year, v.indicator, v.level, v.field, v.kind, v.role, v.value,
                         v.approx, CASE WHEN len(v.flags) > 0 THEN v.flags END AS flags, v.period,
                         v.period_note, v.derived, v.doc_id, v.start, v.evidence, v.scope, v.file_name,
                         v.doc_type, v.status
                  FROM indicator_values v
                  WHERE ($areas IS NULL OR list_contains($areas, v.area_code))
                    AND list_contains($indicators, v.indicator)
                    AND (NOT $reviewed OR v.status <> 'extracted')"""
# Each area's latest year of each indicator, or a year range: two statements, so each plan stays simple
# Ordered: DuckDB's threads return rows in any order, and the table's default order and each breakdown's
# years follow the order rows come in, so the same view must get them in the same order every time.
_PANEL_ORDER = " ORDER BY v.indicator, v.area_code, v.year, v.level, v.field, v.kind, v.role, v.start"
PANEL_VALUES_LATEST = (
    _PANEL_VALUES
    + " QUALIFY v.year = max(v.year) OVER (PARTITION BY v.area_code, v.indicator)"
    + _PANEL_ORDER
)
PANEL_VALUES_IN_RANGE = _PANEL_VALUES + " AND v.year BETWEEN $first AND $last" + _PANEL_ORDER


def panel_values(
    db_path: Path | str,
    area_codes: tuple[str, ...],
    first_year: int | None,
    last_year: int | None,
    indicator_ids: tuple[str, ...],
    reviewed: bool = False,
) -> pd.DataFrame:
    """What one panel draws and tabulates: the values of its indicators for the areas in a year range
    (none: each area's latest year of each indicator), with only the columns its charts, table and
    evidence clicks need (the area's names and population are joined from the cached area table; a fact
    is found again by doc id, indicator and start: see `fact`); `reviewed`: reviewed values only."""
    params = {
        "areas": area_filter(db_path, area_codes),
        "indicators": list(indicator_ids),
        "reviewed": reviewed,
    }
    if first_year is None:
        return _frame(db_path, PANEL_VALUES_LATEST, params)
    return _frame(db_path, PANEL_VALUES_IN_RANGE, params | {"first": first_year, "last": last_year})


@per_database()
def coverage_by_province(
    db_path: Path | str,
    area_codes: tuple[str, ...],
    first_year: int | None,
    last_year: int | None,
    reviewed: bool = False,
) -> pd.DataFrame:
    """Per province and indicator: how many of the areas reported it, and how many values are derived,
    flagged or reviewed; the row with NULL province and indicator counts the areas with any value and all
    values. `reviewed`: only reviewed values count."""
    return _frame(
        db_path,
        """WITH v AS (
               SELECT v.area_code, v.indicator, v.derived, len(v.flags) > 0 AS flagged,
                      v.status <> 'extracted' AS is_reviewed
               FROM indicator_values v
               WHERE ($areas IS NULL OR list_contains($areas, v.area_code))
                 AND v.year BETWEEN coalesce($first, 0) AND coalesce($last, 9999)
                 AND (NOT $reviewed OR v.status <> 'extracted')
               QUALIFY $first IS NOT NULL
                    OR v.year = max(v.year) OVER (PARTITION BY v.area_code, v.indicator)
           )
           SELECT a.province_code, a.province, v.indicator,
                  count(DISTINCT v.area_code) AS areas, count(*) AS n_values,
                  count(*) FILTER (WHERE v.derived) AS derived, count(*) FILTER (WHERE v.flagged) AS flagged,
                  count(*) FILTER (WHERE v.is_reviewed) AS reviewed
           FROM v JOIN areas a ON a.code = v.area_code
           GROUP BY GROUPING SETS ((a.province_code, a.province, v.indicator), ())
           ORDER BY a.province_code, v.indicator""",
        {
            "areas": area_filter(db_path, area_codes),
            "first": first_year,
            "last": last_year,
            "reviewed": reviewed,
        },
    )


def fact(db_path: Path | str, doc_id: str, indicator: str, start: int) -> dict | None:
    """The sentence and spans of one area value, found by what a chart point or table row carries; the
    value `indicator_values` holds when a document gives two at the same place."""
    rows = _frame(
        db_path,
        """SELECT f.doc_id, f.evidence, f.evidence_start, f.start, f."end", f.value, f.status, f.extracted
           FROM facts f
           WHERE f.doc_id = $doc_id AND f.indicator = $indicator AND f.start = $start AND f.scope = 'area'
           ORDER BY f.derived, (f.period <> 'year')
           LIMIT 1""",
        {"doc_id": doc_id, "indicator": indicator, "start": start},
    )
    if rows.empty:
        return None
    record = rows.iloc[0].to_dict()
    return {k: (None if pd.isna(v) else v) for k, v in record.items()}


def document(db_path: Path | str, doc_id: str) -> dict | None:
    """One stored document with its area's short name, or None when the id is unknown. `d.*`: the
    citation's `url` and `publisher` are there in a database built since they were added, absent before."""
    rows = _frame(
        db_path,
        """SELECT d.*, a.short_name AS area
           FROM documents d LEFT JOIN areas a ON a.code = d.area_code
           WHERE d.id = $doc_id""",
        {"doc_id": doc_id},
    )
    return None if rows.empty else rows.iloc[0].to_dict()


def documents(db_path: Path | str) -> pd.DataFrame:
    """Every document but its text, with its area's short name (and `url`, `publisher` where stored)."""
    return _frame(
        db_path,
        """SELECT d.* EXCLUDE (text), a.short_name AS area
           FROM documents d LEFT JOIN areas a ON a.code = d.area_code
           ORDER BY a.province_code, d.area_code, d.year, d.file_name""",
    )


def document_sources(db_path: Path | str, doc_ids: list[str] | None) -> pd.DataFrame:
    """What a citation of each document names (title, file_name, published, and `url`, `publisher`
    where stored): the sources footer of an exported chart; `doc_ids` None: every document."""
    return _frame(
        db_path,
        "SELECT d.* EXCLUDE (text) FROM documents d WHERE $ids IS NULL OR list_contains($ids, d.id)",
        {"ids": None if doc_ids is None else list(doc_ids)},
    )


def quarantine(db_path: Path | str) -> pd.DataFrame:
    return _frame(db_path, "SELECT file_name, path, reason FROM quarantine ORDER BY file_name")


# The table view and the change view: each area's values of its latest year (of the range) with the same
# area's value for the same indicator and dims in the year before, both with their period and approx mark
# (a part-year or cumulative figure is never compared with a whole year's).
TABLE_VIEW_VALUES = """
    WITH chosen AS (
        SELECT v.area_code, v.year, v.indicator, v.level, v.field, v.kind, v.role, v.value, v.approx,
               v.period, v.derived, v.doc_id, v.start, v.status
        FROM indicator_values v
        WHERE ($areas IS NULL OR list_contains($areas, v.area_code))
          AND list_contains($indicators, v.indicator)
          AND v.year BETWEEN coalesce($first, 0) AND coalesce($last, 9999)
          AND (NOT $reviewed OR v.status <> 'extracted')
        QUALIFY v.year = max(v.year) OVER (PARTITION BY v.area_code, v.indicator)
    )
    SELECT c.*, p.value AS previous_value, p.approx AS previous_approx, p.period AS previous_period
    FROM chosen c LEFT JOIN indicator_values p
      ON p.area_code = c.area_code AND p.indicator = c.indicator AND p.year = c.year - 1
     AND p.level IS NOT DISTINCT FROM c.level AND p.field IS NOT DISTINCT FROM c.field
     AND p.kind IS NOT DISTINCT FROM c.kind AND p.role IS NOT DISTINCT FROM c.role
     AND (NOT $reviewed OR p.status <> 'extracted')
    ORDER BY c.indicator, c.area_code, c.level, c.field, c.kind, c.role"""


@per_database(size=32)
def table_view_values(
    db_path: Path | str,
    area_codes: tuple[str, ...],
    first_year: int | None,
    last_year: int | None,
    indicator_ids: tuple[str, ...],
    reviewed: bool = False,
) -> pd.DataFrame:
    """One row per (area, indicator, dims) of the table and change views: the value of the area's latest
    year of the indicator (within the range, when one is given), its period and approx mark, and the same
    of the year before (`previous_value`, `previous_period`, `previous_approx`; NULL when it has none);
    `reviewed`: reviewed values only, on both sides."""
    params = {"areas": area_filter(db_path, area_codes), "indicators": list(indicator_ids)}
    return _frame(
        db_path, TABLE_VIEW_VALUES, params | {"first": first_year, "last": last_year, "reviewed": reviewed}
    )


# The review desk (dashboard/review/): documents to review and a document's facts with their status.
def review_documents(db_path: Path | str) -> pd.DataFrame:
    """Every stored document with its path (what review decisions are keyed by) and fact counts."""
    return _frame(
        db_path,
        """SELECT d.id, d.path, d.file_name, d.title, a.short_name AS area, d.area_code, d.year, d.doc_type,
                  d.n_facts
           FROM documents d LEFT JOIN areas a ON a.code = d.area_code
           ORDER BY d.path""",
    )


def review_document(db_path: Path | str, doc_id: str) -> dict | None:
    """One document as the review view shows it: text, path, area, year, type; None when unknown."""
    rows = _frame(
        db_path,
        """SELECT d.id, d.path, d.file_name, d.title, d.text, d.area_code, a.short_name AS area, d.year,
                  d.doc_type
           FROM documents d LEFT JOIN areas a ON a.code = d.area_code
           WHERE d.id = $doc_id""",
        {"doc_id": doc_id},
    )
    return None if rows.empty else rows.iloc[0].to_dict()


def review_facts(db_path: Path | str, doc_id: str) -> pd.DataFrame:
    """The facts of a document with a span in its text, in text order, with their review `status`
    ('extracted' where the database predates review statuses)."""
    rows = _frame(
        db_path,
        """SELECT f.* EXCLUDE (flags), a.short_name AS area
           FROM facts f LEFT JOIN areas a ON a.code = f.area_code
           WHERE f.doc_id = $doc_id AND f.start IS NOT NULL
           ORDER BY f.start, f."end", f.indicator, f.level, f.field, f.kind, f.role""",
        {"doc_id": doc_id},
    )
    return rows if "status" in rows.columns else rows.assign(status="extracted")


def area_codes_known(db_path: Path | str, codes: list[str]) -> set[str]:
    """Those of `codes` the area table holds (a reviewer's typed area code is checked against it)."""
    rows = _frame(db_path, "SELECT code FROM areas WHERE list_contains($codes, code)", {"codes": codes})
    return set(rows["code"])


def document_ids(db_path: Path | str) -> set[str]:
    """The ids (sha256 of the file) of every stored document: an upload of one is recognised."""
    return set(_frame(db_path, "SELECT id FROM documents")["id"])


def document_path(db_path: Path | str, doc_id: str) -> str | None:
    """A document's path (what review decisions are keyed by), or None when the id is unknown."""
    rows = _frame(db_path, "SELECT path FROM documents WHERE id = $doc_id", {"doc_id": doc_id})
    return None if rows.empty else rows["path"].iloc[0]


@per_database()
def has_reviewed_values(db_path: Path | str) -> bool:
    """Whether any value shown was reviewed (accepted, corrected or added by a reviewer): where none was,
    the dashboard does not mark every value unreviewed (dashboard/review/marks.py)."""
    sql = "SELECT EXISTS (SELECT 1 FROM indicator_values WHERE status <> 'extracted') AS any"
    rows = _frame(db_path, sql)
    return bool(rows["any"].iloc[0])
