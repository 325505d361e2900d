"""List columns (facts.flags) on their way into DuckDB: whatever the rows before them, every list comes back
as it went in, and an item that could not come back whole stops the build instead of being altered."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.load import LIST_END, LoadError, build_database
from tests.test_load import META, make_document


@pytest.fixture(scope="module")
def areas() -> pd.DataFrame:
    return AreaTable.load().as_dataframe()


def stored_flags(db_path) -> list[list[str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return [row[0] for row in con.execute("SELECT flags FROM facts ORDER BY start").fetchall()]


def test_flags_after_a_thousand_facts_without_any(tmp_path, areas, make_fact):
    """DuckDB types a column of Python lists from its first thousand rows: this batch once failed the run."""
    doc = make_document("a" * 64)
    flags = [[] for _ in range(1500)] + [["unit_inferred"], ["rate_mismatch", "unit_inferred"], [""], []]
    facts = [
        make_fact("hazards_found", n, doc_id=doc.id, doc=doc.file_name, start=n, end=n + 1, flags=list(f))
        for n, f in enumerate(flags)
    ]
    build_database(tmp_path / "e.duckdb", load_catalog(), areas, [doc], facts, [], META)
    assert stored_flags(tmp_path / "e.duckdb") == flags


def test_a_flag_holding_the_separator_stops_the_build(tmp_path, areas, make_fact):
    doc = make_document("a" * 64)
    fact = make_fact("hazards_found", 1, doc_id=doc.id, doc=doc.file_name, flags=[f"odd{LIST_END}flag"])
    with pytest.raises(LoadError, match="separator"):
        build_database(tmp_path / "e.duckdb", load_catalog(), areas, [doc], [fact], [], META)
    assert not (tmp_path / "e.duckdb").exists()
