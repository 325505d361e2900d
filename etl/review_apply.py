"""The review desk's decisions applied to a database being built (one call in DatabaseBuild.commit).

A build starts from a copy of the previous database, which holds the previous build's application: so
each build first undoes it (fields a correction or override replaced are restored from `extracted`,
manual facts deleted, statuses reset, the changed documents' rates derived again from their facts as
extracted), then applies what the store holds now, in this order: document overrides (area, year, type:
over the manifest and the detection), manual facts, each decision on a reported fact, oldest first, so
the latest wins; then the changed documents' rates are derived again from their facts as reviewed
(etl/review_rederive.py), and last come the decisions on derived rates, which win over the derivation.
A document override or manual fact finds its document by path, else (a renamed or moved file) by hash. A
decision finds its fact again by the document's hash and the figure's span; else, the file having
changed, by the evidence sentence in the document at the same path; else by the evidence sentence in any
document. What finds nothing goes to `review_orphans` for re-review: a decision is never dropped, and
the run's summary counts them (`orphan_reasons`).
"""

from __future__ import annotations

import json
from operator import itemgetter
from pathlib import Path

import duckdb

from etl.review_rederive import changed_documents, rederive
from review.store import ReviewStore

DIMS = ("level", "field", "kind", "role")
FACT_FIELDS = ("value", "indicator", *DIMS, "year", "area_code", "unit")  # what a correction may change
DOCUMENT_FIELDS = ("area_code", "year", "doc_type")
STATUS_AFTER = {"accepted": "accepted", "rejected": "rejected", "corrected": "corrected"}
KEEP_ON_ACCEPT = ("corrected", "manual")  # accepting a corrected or added fact keeps what it says

REVIEWED_SQL = """
SELECT (SELECT count(*) FROM facts WHERE status IS DISTINCT FROM 'extracted' OR extracted IS NOT NULL)
     + (SELECT count(*) FROM review_documents) + (SELECT count(*) FROM review_orphans)
"""
DELETE_MANUAL_SQL = "DELETE FROM facts WHERE rule = 'manual'"
CHANGED_FACTS_SQL = "SELECT rowid, extracted FROM facts WHERE extracted IS NOT NULL"
RESET_STATUS_SQL = """
UPDATE facts SET status = 'extracted', review_note = NULL
WHERE status IS DISTINCT FROM 'extracted' OR review_note IS NOT NULL
"""
CHANGED_DOCUMENTS_SQL = "SELECT id, extracted FROM review_documents"
DOCUMENT_AT_SQL = "SELECT id, area_code, year, doc_type, text FROM documents WHERE path = ?"
DOCUMENT_WITH_HASH_SQL = "SELECT id, area_code, year, doc_type, text FROM documents WHERE id = ?"
NO_DOCUMENT = "no document at this path or with this content"
ORPHAN_REASONS_SQL = (
    "SELECT reason, count(*) AS n FROM review_orphans GROUP BY reason ORDER BY n DESC, reason"
)
KNOWN_AREA_SQL = "SELECT count(*) FROM areas WHERE code = ?"
INDICATOR_UNIT_SQL = "SELECT unit FROM indicators WHERE id = ?"
FACT_ROW_SQL = (
    "SELECT value, indicator, level, field, kind, role, year, area_code, unit, extracted FROM facts "
)
MATCH_DIMS = (  # a reported or a derived fact (derived = ?) of the indicator and dims
    "derived = ? AND indicator = ? AND level IS NOT DISTINCT FROM ? AND field IS NOT DISTINCT FROM ? "
    "AND kind IS NOT DISTINCT FROM ? AND role IS NOT DISTINCT FROM ?"
)
BY_SPAN_SQL = (
    f'SELECT rowid FROM facts WHERE doc_id = ? AND {MATCH_DIMS} AND start = ? ORDER BY "end" = ? DESC'
)
BY_EVIDENCE_AT_PATH_SQL = f"""
SELECT f.rowid FROM facts f JOIN documents d ON d.id = f.doc_id
WHERE d.path = ? AND {MATCH_DIMS} AND f.evidence = ?
ORDER BY f.value IS NOT DISTINCT FROM ? DESC, abs(f.start - ?)
"""
BY_EVIDENCE_SQL = f"""
SELECT rowid FROM facts WHERE {MATCH_DIMS} AND evidence = ?
ORDER BY value IS NOT DISTINCT FROM ? DESC, doc_id, start
"""
INSERT_MANUAL_SQL = """
INSERT INTO facts (doc_id, area_code, year, indicator, level, field, kind, role, value, unit, approx,
                   evidence, evidence_start, start, "end", rule, flags, period, scope, derived, status,
                   review_note)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual', [], 'year', 'area', false, 'manual', ?)
"""
INSERT_ORPHAN_SQL = "INSERT INTO review_orphans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def apply_review(con: duckdb.DuckDBPyConnection, store_file: Path) -> bool:
    """Undo the copied application and apply the store at `store_file` (if there is one); True when the
    facts or documents may differ from before, so indicator_values must be derived again."""
    (reviewed,) = con.execute(REVIEWED_SQL).fetchone()
    if reviewed:
        _undo(con)
    if not Path(store_file).is_file():
        return bool(reviewed)
    store = ReviewStore(store_file)
    overrides, manual, decisions = store.document_corrections(), store.manual_facts(), store.decisions()
    _override_documents(con, overrides)
    for added in manual:
        _add_manual(con, added)
    on_derived = [decision for decision in decisions if not _apply_decision(con, decision, derived=False)]
    rederive(con, changed_documents(con))
    for decision in on_derived:
        if not _apply_decision(con, decision, derived=True):
            _orphan(con, "decision", decision, "the evidence is gone: no such figure in any document")
    return bool(reviewed or overrides or manual or decisions)


def orphan_reasons(db_path: Path) -> dict[str, int]:
    """Why decisions need re-review after the build of the database at `db_path`: reason -> how many."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return dict(con.execute(ORPHAN_REASONS_SQL).fetchall())


def _undo(con: duckdb.DuckDBPyConnection) -> None:
    """The facts and documents as extracted: the previous build's review undone."""
    changed = changed_documents(con)
    con.execute(DELETE_MANUAL_SQL)
    for rowid, extracted in con.execute(CHANGED_FACTS_SQL).fetchall():
        _update(con, "facts", "rowid", rowid, json.loads(extracted) | {"extracted": None})
    con.execute(RESET_STATUS_SQL)
    for doc_id, extracted in con.execute(CHANGED_DOCUMENTS_SQL).fetchall():
        _update(con, "documents", "id", doc_id, json.loads(extracted))
    con.execute("DELETE FROM review_documents")
    con.execute("DELETE FROM review_orphans")
    rederive(con, changed)


def _update(con: duckdb.DuckDBPyConnection, table: str, key: str, key_value, changes: dict) -> None:
    """Set `changes` on one row; column names come from this module's own lists, values are bound."""
    allowed = {"facts": (*FACT_FIELDS, "extracted", "status", "review_note"), "documents": DOCUMENT_FIELDS}
    columns = [column for column in allowed[table] if column in changes]
    assignments = ", ".join(f'"{column}" = ?' for column in columns)
    con.execute(
        f'UPDATE {table} SET {assignments} WHERE "{key}" = ?', [*(changes[c] for c in columns), key_value]
    )


def _set_fact(con: duckdb.DuckDBPyConnection, rowid: int, changes: dict, status: str, note: str) -> None:
    """Change a fact's fields, keeping what they were as extracted (the first time) in `extracted`."""
    row = con.execute(FACT_ROW_SQL + "WHERE rowid = ?", [rowid]).fetchone()
    current = dict(zip(FACT_FIELDS, row[:-1], strict=True))
    extracted = json.loads(row[-1]) if row[-1] else {}
    extracted |= {name: current[name] for name in changes if name not in extracted}
    fields = {**changes, "status": status, "review_note": note or None}
    _update(con, "facts", "rowid", rowid, fields | {"extracted": json.dumps(extracted, ensure_ascii=False)})


def _document(con: duckdb.DuckDBPyConnection, path: str, doc_id: str | None) -> tuple | None:
    """The document at `path`, else the one with the hash `doc_id` (the same file renamed or moved)."""
    return con.execute(DOCUMENT_AT_SQL, [path]).fetchone() or _with_hash(con, doc_id)


def _with_hash(con: duckdb.DuckDBPyConnection, doc_id: str | None) -> tuple | None:
    return con.execute(DOCUMENT_WITH_HASH_SQL, [doc_id]).fetchone() if doc_id else None


def _override_documents(con: duckdb.DuckDBPyConnection, overrides: list[dict]) -> None:
    """Each override on its document (by path, else by hash); where two find the same document (one at its
    old path, one at its new), the one at its path has the last word."""
    targets = [target for override in overrides if (target := _target(con, override))]
    documents: dict[str, tuple] = {}
    merged: dict[str, dict] = {}
    for _at_path, found, changes in sorted(targets, key=itemgetter(0)):  # those found by hash first
        documents[found[0]] = found
        merged[found[0]] = merged.get(found[0], {}) | changes
    for doc_id, changes in merged.items():
        _override_document(con, documents[doc_id], changes)


def _target(con: duckdb.DuckDBPyConnection, override: dict) -> tuple[bool, tuple, dict] | None:
    """(found at its path, the document, the typed changes) of an override; None (orphaned) when it finds no
    document or cannot apply."""
    path, changes = override["path"], override["changes"]
    at_path = con.execute(DOCUMENT_AT_SQL, [path]).fetchone()
    found, typed = at_path or _with_hash(con, override["doc_id"]), _typed(changes)
    problem = (
        "the year is not a number" if typed is None
        else NO_DOCUMENT if found is None
        else "unknown area code" if "area_code" in typed and not _known_area(con, typed["area_code"])
        else None
    )  # fmt: skip
    if problem:
        _orphan(con, "document", {"path": path, "doc_id": override["doc_id"], **changes}, problem)
        return None
    return at_path is not None, found, typed


def _override_document(con: duckdb.DuckDBPyConnection, found: tuple, changes: dict) -> None:
    """A reviewer's area, year or type for the document `found`, and its facts' area and year."""
    doc_id, area_code, year, doc_type, _text = found
    detected = {"area_code": area_code, "year": year, "doc_type": doc_type}
    con.execute(
        "INSERT INTO review_documents VALUES (?, ?)", [doc_id, json.dumps(detected, ensure_ascii=False)]
    )
    _update(con, "documents", "id", doc_id, changes)
    for name in ("area_code", "year"):
        if name in changes:  # facts of the document's own area and year follow it; others keep theirs
            rows = con.execute(
                f'SELECT rowid FROM facts WHERE doc_id = ? AND "{name}" = ?', [doc_id, detected[name]]
            )
            for (rowid,) in rows.fetchall():
                _set_fact(con, rowid, {name: changes[name]}, "extracted", "")


def _add_manual(con: duckdb.DuckDBPyConnection, added: dict) -> None:
    """A fact added by hand, placed where its evidence sentence stands in the document's text now."""
    fact, start, end = added["fact"], added["start"], added["end"]
    found = _document(con, added["path"], added["doc_id"])
    reason = _manual_problem(con, fact) if found else NO_DOCUMENT
    placed = _place_manual(found, added) if found and not reason else None
    if reason or placed is None:
        return _orphan(con, "manual", added, reason or "the evidence sentence is not in the document")
    doc_id, evidence_start, start, end = placed
    dims = fact.get("dims") or {}
    con.execute(
        INSERT_MANUAL_SQL,
        [
            doc_id,
            fact["area_code"],
            int(fact["year"]),
            fact["indicator"],
            *(dims.get(d) for d in DIMS),
            float(fact["value"]),
            fact["unit"],
            fact.get("approx"),
            fact["evidence"],
            evidence_start,
            start,
            end,
            added["note"] or None,
        ],
    )


def _manual_problem(con: duckdb.DuckDBPyConnection, fact: dict) -> str | None:
    if _typed({"value": fact["value"], "year": fact["year"]}) is None:
        return "the value or year is not a number"
    if con.execute(INDICATOR_UNIT_SQL, [fact["indicator"]]).fetchone() is None:
        return "unknown indicator"
    if not _known_area(con, fact["area_code"]):
        return "unknown area code"
    return None


def _place_manual(found: tuple, added: dict) -> tuple[str, int, int, int] | None:
    """(doc id, evidence start, start, end) of a manual fact in the document's text now, or None. In the
    same document: where the evidence covers the span; in a changed one: the evidence found again, the
    figure at the same offset in it (which needs the fact's `evidence_start` from when it was added)."""
    doc_id, *_, text = found
    evidence, start, end = added["fact"]["evidence"], added["start"], added["end"]
    if doc_id == added["doc_id"]:
        at = text.rfind(evidence, max(0, end - len(evidence)), start + len(evidence))
        return (doc_id, at, start, end) if at >= 0 and at <= start and end <= at + len(evidence) else None
    given = added["fact"].get("evidence_start")
    at = text.find(evidence)
    if at < 0 or given is None or not 0 <= start - given <= end - given <= len(evidence):
        return None
    return doc_id, at, at + start - given, at + end - given


def _apply_decision(con: duckdb.DuckDBPyConnection, decision: dict, derived: bool) -> bool:
    """Find the decision's fact among the reported (or the derived) ones and set its status (and,
    corrected, its new fields; a correction that cannot apply is orphaned); False when none is found."""
    rowid = _find_fact(con, decision, derived)
    if rowid is None:
        return False
    status, note, changes = decision["status"], decision["note"], _typed(decision["after"] or {})
    if status == "corrected":
        problem = (
            _correction_problem(con, changes) if changes is not None else "the value or year is not a number"
        )
        if problem:
            _orphan(con, "decision", decision, problem)
        else:
            _set_fact(con, rowid, changes, "corrected", note)
        return True
    (now,) = con.execute("SELECT status FROM facts WHERE rowid = ?", [rowid]).fetchone()
    keep = status == "accepted" and now in KEEP_ON_ACCEPT
    _update(con, "facts", "rowid", rowid, {"status": now if keep else status, "review_note": note or None})
    return True


def _find_fact(con: duckdb.DuckDBPyConnection, decision: dict, derived: bool) -> int | None:
    """The fact's row: by hash and span, by evidence in the document at its path, by evidence anywhere."""
    dims = [derived, decision["indicator"], *(decision["dims"].get(d) for d in DIMS)]
    value = (decision["before"] or {}).get("value")
    for sql, params in (
        (BY_SPAN_SQL, [decision["doc_id"], *dims, decision["start"], decision["end"]]),
        (BY_EVIDENCE_AT_PATH_SQL, [decision["path"], *dims, decision["evidence"], value, decision["start"]]),
        (BY_EVIDENCE_SQL, [*dims, decision["evidence"], value]),
    ):
        row = con.execute(sql, params).fetchone()
        if row is not None:
            return row[0]
    return None


def _correction_problem(con: duckdb.DuckDBPyConnection, changes: dict) -> str | None:
    """Why a correction cannot apply (unknown indicator or area), else None; a new indicator without a
    unit takes the indicator's own unit."""
    if "indicator" in changes:
        unit = con.execute(INDICATOR_UNIT_SQL, [changes["indicator"]]).fetchone()
        if unit is None:
            return "unknown indicator"
        changes.setdefault("unit", unit[0])
    if "area_code" in changes and not _known_area(con, changes["area_code"]):
        return "unknown area code"
    return None


def _typed(changes: dict) -> dict | None:
    """A reviewer's changes with the schema's types (a form may send the year or value as text, a cleared
    dim as ""); None when a year or value is not a number."""
    casts = {"year": int, "value": float}
    try:
        typed = {name: casts[name](value) if name in casts else value for name, value in changes.items()}
    except (TypeError, ValueError):
        return None
    return {name: None if name in DIMS and value == "" else value for name, value in typed.items()}


def _known_area(con: duckdb.DuckDBPyConnection, code: str) -> bool:
    return con.execute(KNOWN_AREA_SQL, [code]).fetchone()[0] > 0


def _orphan(con: duckdb.DuckDBPyConnection, kind: str, decision: dict, reason: str) -> None:
    """Keep a decision that applies to nothing in this build, with why, for re-review."""
    fact = decision.get("fact") or {}
    con.execute(
        INSERT_ORPHAN_SQL,
        [
            kind,
            decision["path"],
            decision.get("doc_id"),
            decision.get("indicator", fact.get("indicator")),
            decision.get("start"),
            decision.get("status", "manual" if kind == "manual" else None),
            decision.get("who", ""),
            decision.get("at", ""),
            reason,
            json.dumps(decision, ensure_ascii=False, default=str),
        ],
    )
