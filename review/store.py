"""The review store: reviewers' accounts, their decisions on facts and documents, and the audit trail.

A SQLite file in WAL mode beside the ETL's DuckDB (`store_path`): the dashboard writes it while its reads
of the DuckDB stay read-only, and the ETL reads it on every build to apply the decisions. Every change is
also an audit entry (when, who, before, after, note); nothing is ever deleted from the audit.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

STATUSES = ("extracted", "accepted", "corrected", "rejected", "manual")
DECIDED = ("accepted", "rejected", "corrected")  # what a reviewer may set on an extracted fact
CORRECTABLE = ("value", "indicator", "level", "field", "kind", "role", "year", "area_code", "unit")
DOCUMENT_FIELDS = ("area_code", "year", "doc_type")
MANUAL_FIELDS = ("indicator", "value", "unit", "year", "area_code", "evidence")
MIN_PASSWORD = 8
STORE_NAME = "review.sqlite"
BUSY_TIMEOUT_S = 30.0  # a writer waits this long for another's transaction (two reviewers at once)

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS logins (
    name TEXT NOT NULL, client TEXT NOT NULL, ok INTEGER NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS logins_by_who ON logins (name, client, at);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, fact_key TEXT NOT NULL, path TEXT NOT NULL, doc_id TEXT NOT NULL,
    indicator TEXT NOT NULL, dims TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    evidence TEXT NOT NULL, status TEXT NOT NULL, before TEXT NOT NULL, after TEXT, who TEXT NOT NULL,
    at TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS manual_facts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, doc_id TEXT NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, fact TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS document_overrides (path TEXT PRIMARY KEY, changes TEXT NOT NULL, doc_id TEXT);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
    target TEXT NOT NULL, before TEXT, after TEXT, note TEXT NOT NULL,
    path TEXT, indicator TEXT, start INTEGER, evidence TEXT);
CREATE INDEX IF NOT EXISTS audit_by_path ON audit (path, indicator, start);
"""
INSERT_DECISION_SQL = """
INSERT INTO decisions (fact_key, path, doc_id, indicator, dims, start, "end", evidence, status, before, after,
                       who, at, note)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_AUDIT_SQL = """
INSERT INTO audit (at, who, action, target, before, after, note, path, indicator, start, evidence)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
FACT_HISTORY_SQL = """
SELECT * FROM audit WHERE path = ? AND indicator = ? AND (start = ? OR evidence = ?) ORDER BY id
"""
# A store written before overrides kept the document's hash (so a renamed file finds its override) gains
# the column; its rows, without a hash, apply by path only.
OVERRIDE_HASH_DDL = "ALTER TABLE document_overrides ADD COLUMN doc_id TEXT"
CURRENT_DECISIONS_SQL = (
    "SELECT * FROM decisions WHERE id IN (SELECT max(id) FROM decisions GROUP BY fact_key) ORDER BY id"
)


def store_path(db_path: Path) -> Path:
    """The store beside the ETL's database: <db dir>/review.sqlite."""
    return Path(db_path).parent / STORE_NAME


@dataclass(frozen=True)
class FactRef:
    """How a decision finds its fact again after re-extraction: by path and span, else by evidence."""

    path: str
    doc_id: str
    indicator: str
    dims: tuple[tuple[str, str], ...]
    start: int
    end: int
    evidence: str

    def key(self) -> str:
        """One fact's identity in the store: a later decision with the same key replaces an earlier one."""
        return json.dumps([self.path, self.indicator, list(self.dims), self.start], ensure_ascii=False)

    def target(self) -> str:
        """A readable name for the audit: path, indicator[dims] @ start."""
        dims = ",".join(f"{dim}={value}" for dim, value in self.dims)
        return f"{self.path} {self.indicator}{f'[{dims}]' if dims else ''} @{self.start}"


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change."""

    at: str
    who: str
    action: str
    target: str
    before: dict | None
    after: dict | None
    note: str


def dims_pairs(dims: dict[str, str | None]) -> tuple[tuple[str, str], ...]:
    """A fact's dims as FactRef holds them: sorted (dim, value) pairs, unset dims left out."""
    return tuple(sorted((dim, value) for dim, value in dims.items() if value is not None))


def _has_override_hashes(con: sqlite3.Connection) -> bool:
    return any(row[1] == "doc_id" for row in con.execute("PRAGMA table_info(document_overrides)"))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _loads(text: str | None) -> dict | None:
    return None if text is None else json.loads(text)


class ReviewStore:
    """The review store at `path` (created with its schema if absent). Each call opens its own connection,
    so one store object serves every thread of a server and several processes can write at once."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA)
            current = _has_override_hashes(con)
        if not current:
            with self._write() as con:  # checked again in the transaction: two processes may both upgrade
                if not _has_override_hashes(con):
                    con.execute(OVERRIDE_HASH_DDL)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            yield con
        finally:
            con.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken IMMEDIATE so two writers queue instead of deadlocking."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _rows(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._connect() as con:
            con.row_factory = sqlite3.Row
            return con.execute(sql, params).fetchall()

    # accounts
    def add_user(self, name: str, password: str) -> None:
        """A new reviewer; the password is stored only as a werkzeug hash."""
        name = name.strip()
        if not name:
            raise ValueError("a reviewer needs a name")
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"the password must have at least {MIN_PASSWORD} characters")
        with self._write() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise ValueError(f"the reviewer {name!r} exists already")
            con.execute(
                "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)",
                (name, generate_password_hash(password), _now()),
            )

    def remove_user(self, name: str) -> bool:
        with self._write() as con:
            return con.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0

    def users(self) -> list[str]:
        return [row["name"] for row in self._rows("SELECT name FROM users ORDER BY name")]

    def has_users(self) -> bool:
        return bool(self._rows("SELECT 1 FROM users LIMIT 1"))

    def check_password(self, name: str, password: str) -> bool:
        rows = self._rows("SELECT password_hash FROM users WHERE name = ?", (name,))
        return bool(rows) and check_password_hash(rows[0]["password_hash"], password)

    def note_login(self, name: str, client: str, ok: bool) -> None:
        with self._write() as con:
            con.execute(
                "INSERT INTO logins (name, client, ok, at) VALUES (?, ?, ?, ?)",
                (name, client, int(ok), time.time()),
            )

    def recent_failures(self, name: str, client: str, seconds: int) -> int:
        """Failed logins for this name from this client in the last `seconds`, since its last success."""
        since = time.time() - seconds
        rows = self._rows(
            "SELECT count(*) AS n FROM logins WHERE name = ? AND client = ? AND ok = 0 AND at >= ? AND at > "
            "coalesce((SELECT max(at) FROM logins WHERE name = ? AND client = ? AND ok = 1), 0)",
            (name, client, since, name, client),
        )
        return rows[0]["n"]

    # decisions
    def decide(
        self, who: str, ref: FactRef, status: str, before: dict, after: dict | None = None, note: str = ""
    ) -> None:
        """Accept, reject or correct an extracted fact; the latest decision on a fact wins."""
        if status not in DECIDED:
            raise ValueError(f"a decision is one of {', '.join(DECIDED)}, not {status!r}")
        if status == "corrected" and not after:
            raise ValueError("a correction needs the changed fields")
        unknown = set(after or {}) - set(CORRECTABLE)
        if unknown:
            raise ValueError(f"not correctable: {', '.join(sorted(unknown))}")
        after = after if status == "corrected" else None
        at = _now()
        with self._write() as con:
            con.execute(
                INSERT_DECISION_SQL,
                (
                    ref.key(),
                    ref.path,
                    ref.doc_id,
                    ref.indicator,
                    json.dumps(ref.dims, ensure_ascii=False),
                    ref.start,
                    ref.end,
                    ref.evidence,
                    status,
                    _dumps(before),
                    _dumps(after),
                    who,
                    at,
                    note,
                ),
            )
            action = {"accepted": "accept", "rejected": "reject", "corrected": "correct"}[status]
            entry = AuditEntry(at, who, action, ref.target(), before, after or {"status": status}, note)
            self._audit(con, entry, ref.path, ref)

    def add_manual(
        self, who: str, path: str, doc_id: str, start: int, end: int, fact: dict, note: str = ""
    ) -> None:
        """A figure the extraction missed, added by hand at [start, end) of the document's text. `fact`:
        indicator, value, unit, year, area_code, dims (a dict), evidence (the sentence around the span, an
        exact substring of the text) and, so the figure can be placed again once the file changes,
        evidence_start (where that sentence starts in the text)."""
        missing = [name for name in MANUAL_FIELDS if fact.get(name) in (None, "")]
        if missing:
            raise ValueError(f"a manual fact needs {', '.join(missing)}")
        if not 0 <= start < end:
            raise ValueError("a manual fact needs a span of the document's text")
        fact = {**fact, "dims": dict(fact.get("dims") or {})}
        at = _now()
        with self._write() as con:
            con.execute(
                'INSERT INTO manual_facts (path, doc_id, start, "end", fact, who, at, note) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (path, doc_id, start, end, _dumps(fact), who, at, note),
            )
            ref = FactRef(
                path, doc_id, fact["indicator"], dims_pairs(fact["dims"]), start, end, fact["evidence"]
            )
            self._audit(con, AuditEntry(at, who, "add", ref.target(), None, fact, note), path, ref)

    def correct_document(
        self, who: str, path: str, doc_id: str, changes: dict, note: str = "", *, before: dict | None = None
    ) -> None:
        """Override a document's detected area, year or type (over the manifest too), found by its path,
        else (renamed or moved) by its hash `doc_id`. `before`: what the page showed, for the audit
        (default: the previous override)."""
        unknown = set(changes) - set(DOCUMENT_FIELDS)
        if not changes or unknown:
            raise ValueError(f"a document correction changes some of {', '.join(DOCUMENT_FIELDS)}")
        at = _now()
        with self._write() as con:
            row = con.execute("SELECT changes FROM document_overrides WHERE path = ?", (path,)).fetchone()
            previous = json.loads(row[0]) if row else {}
            con.execute(
                "INSERT OR REPLACE INTO document_overrides (path, changes, doc_id) VALUES (?, ?, ?)",
                (path, _dumps(previous | changes), doc_id),
            )
            shown = before if before is not None else previous or None
            target = f"{path} ({doc_id[:12]})"
            self._audit(con, AuditEntry(at, who, "document", target, shown, changes, note), path)

    @staticmethod
    def _audit(con: sqlite3.Connection, entry: AuditEntry, path: str, ref: FactRef | None = None) -> None:
        """One audit row, keyed by the document's path and (for a fact) its indicator, start and evidence."""
        con.execute(
            INSERT_AUDIT_SQL,
            (
                *(entry.at, entry.who, entry.action, entry.target, _dumps(entry.before), _dumps(entry.after)),
                entry.note,
                path,
                *((ref.indicator, ref.start, ref.evidence) if ref else (None, None, None)),
            ),
        )

    def decisions(self) -> list[dict]:
        """The current decision per fact, oldest first: path, doc_id, indicator, dims (a dict), start, end,
        evidence, status, before, after, who, at, note."""
        rows = self._rows(CURRENT_DECISIONS_SQL)
        return [
            {
                **{
                    key: row[key]
                    for key in (
                        "path",
                        "doc_id",
                        "indicator",
                        "start",
                        "end",
                        "evidence",
                        "status",
                        "who",
                        "at",
                        "note",
                    )
                },
                "dims": dict(json.loads(row["dims"])),
                "before": _loads(row["before"]),
                "after": _loads(row["after"]),
            }
            for row in rows
        ]

    def manual_facts(self) -> list[dict]:
        """Every fact added by hand, oldest first: path, doc_id, start, end, fact (dict), who, at, note."""
        rows = self._rows("SELECT * FROM manual_facts ORDER BY id")
        return [{**dict(row), "fact": json.loads(row["fact"])} for row in rows]

    def document_overrides(self) -> dict[str, dict]:
        """path -> the reviewers' corrections of that document ({area_code?, year?, doc_type?})."""
        return {
            row["path"]: json.loads(row["changes"]) for row in self._rows("SELECT * FROM document_overrides")
        }

    def document_corrections(self) -> list[dict]:
        """The document overrides as the ETL applies them, oldest first: path, doc_id (the hash of the file
        corrected; None in a store from before hashes were kept), changes."""
        rows = self._rows("SELECT path, doc_id, changes FROM document_overrides ORDER BY rowid")
        return [{**dict(row), "changes": json.loads(row["changes"])} for row in rows]

    def history(self, path: str, indicator: str | None = None, start: int | None = None) -> list[AuditEntry]:
        """The audit of one document (and of one of its facts, given indicator and start), oldest first."""
        sql = "SELECT * FROM audit WHERE path = ?"
        params: list = [path]
        if indicator is not None:
            sql += " AND indicator = ?"
            params.append(indicator)
        if start is not None:
            sql += " AND start = ?"
            params.append(start)
        return [self._entry(row) for row in self._rows(sql + " ORDER BY id", tuple(params))]

    def fact_history(self, ref: FactRef) -> list[AuditEntry]:
        """The audit of one fact, oldest first: the entries at its span, and those made on the same
        evidence sentence before a re-extraction moved it."""
        rows = self._rows(
            FACT_HISTORY_SQL,
            (ref.path, ref.indicator, ref.start, ref.evidence),
        )
        return [self._entry(row) for row in rows]

    def audit(self, limit: int = 200) -> list[AuditEntry]:
        """The latest `limit` changes, newest first."""
        return [
            self._entry(row) for row in self._rows("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))
        ]

    @staticmethod
    def _entry(row: sqlite3.Row) -> AuditEntry:
        return AuditEntry(
            row["at"],
            row["who"],
            row["action"],
            row["target"],
            _loads(row["before"]),
            _loads(row["after"]),
            row["note"],
        )
