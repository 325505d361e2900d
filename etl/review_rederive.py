"""The rates of reviewed documents derived again from their facts as the review left them.

Extraction derives a rate the report does not state from the counts it does (etl/resolve.py), and flags
counts and stated rates that disagree. A reviewer's correction, rejection or added figure changes those
counts after the fact, so each changed document's derivation is run again here, by the same code, on its
facts as they now stand (rejected ones left out): a corrected count gives its rate the new value, a
rejected one takes the rate away, a stated rate keeps its value and only its check follows. Undoing a
review (etl/review_apply.py) runs it again on the facts as extracted, which gives extraction's own rates.
"""

from __future__ import annotations

import duckdb

from etl.frames import DIM_COLUMNS, facts_frame
from etl.model import Fact
from etl.resolve import Ratio, resolve_flags, resolve_ratios
from etl.template_reader import RULE as TEMPLATE_RULE

# the documents whose facts a review changed: a correction, rejection, added figure or document override
CHANGED_DOCUMENTS_SQL = """
SELECT DISTINCT doc_id FROM facts
WHERE status IN ('corrected', 'rejected', 'manual') OR extracted IS NOT NULL
UNION SELECT id FROM review_documents
"""
RATIOS_SQL = "SELECT id, ratio_of FROM indicators WHERE ratio_of IS NOT NULL ORDER BY sort_order"
FACT_COLUMNS = (
    *("doc_id", "area_code", "year", "indicator", *DIM_COLUMNS, "value", "unit", "approx", "evidence"),
    *("evidence_start", "start", "end", "rule", "flags", "period", "period_note", "scope", "derived"),
)
# what a document's rates are derived from: its reported facts but those rejected; a template's rows are
# figures as given, from which extraction derives nothing (etl/template_reader.py), nor does this
INPUT_SQL = f"""
SELECT rowid, {", ".join(f'"{name}"' for name in FACT_COLUMNS)} FROM facts
WHERE doc_id = ? AND NOT derived AND status IS DISTINCT FROM 'rejected' AND rule <> ?
ORDER BY start, rowid
"""
UPDATE_FLAGS_SQL = "UPDATE facts SET flags = ? WHERE rowid = ?"
FLAGS_AT = 1 + FACT_COLUMNS.index("flags")  # in a row of INPUT_SQL, after the rowid
DELETE_DERIVED_SQL = "DELETE FROM facts WHERE doc_id = ? AND derived"
INSERT_DERIVED_SQL = "INSERT INTO facts BY NAME SELECT * FROM derived_rates"


def changed_documents(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The ids of the documents whose facts the review applied in `con` changed (or added to)."""
    return sorted(row[0] for row in con.execute(CHANGED_DOCUMENTS_SQL).fetchall())


def rederive(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> None:
    """Replace the derived rates of these documents, and the flags derivation sets on their facts, with
    what derivation gives from their facts as they stand now."""
    ratios = [Ratio(rate, *of) for rate, of in con.execute(RATIOS_SQL).fetchall()]
    ours = resolve_flags(ratios)
    for doc_id in doc_ids:
        rows = con.execute(INPUT_SQL, [doc_id, TEMPLATE_RULE]).fetchall()
        facts = [_fact(row[1:], ours) for row in rows]
        resolved = resolve_ratios(facts, ratios)
        for row, fact in zip(rows, resolved[: len(facts)], strict=True):
            if fact.flags != row[FLAGS_AT]:
                con.execute(UPDATE_FLAGS_SQL, [fact.flags, row[0]])
        con.execute(DELETE_DERIVED_SQL, [doc_id])
        _insert(con, resolved[len(facts) :])


def _fact(row: tuple, ours: set[str]) -> Fact:
    """A stored fact as derivation takes it: its flags without those derivation sets."""
    fields = dict(zip(FACT_COLUMNS, row, strict=True))
    dims = {dim: value for dim in DIM_COLUMNS if (value := fields.pop(dim)) is not None}
    fields["flags"] = [flag for flag in fields["flags"] if flag not in ours]
    return Fact(doc="", area="", dims=dims, **fields)


def _insert(con: duckdb.DuckDBPyConnection, derived: list[Fact]) -> None:
    if derived:
        con.register("derived_rates", facts_frame(derived))
        con.execute(INSERT_DERIVED_SQL)
        con.unregister("derived_rates")
