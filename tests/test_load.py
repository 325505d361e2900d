"""load.py on synthetic records: round trip, atomic swap, concurrent readers, stale temp files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.load import LoadError, Previous, QuarantineEntry, build_database, read_previous
from etl.model import Document
from etl.resolve import resolve

META = {"etl_version": "test", "catalog_sha256": "c" * 64}


@pytest.fixture(scope="module")
def areas() -> pd.DataFrame:
    return AreaTable.load().as_dataframe()


def make_document(doc_id: str, **overrides) -> Document:
    fields = dict(
        id=doc_id,
        file_name=f"{doc_id[:4]}.txt",
        path=f"/reports/{doc_id[:4]}.txt",
        text="发现隐患200处,整改150处。",
        title="深圳市应急管理局2023年工作总结",
        area_code="440300",
        area="深圳",
        year=2023,
        doc_type="work_summary",
        published="2024-01-15",
    )
    return Document(**(fields | overrides))


@pytest.fixture
def records(make_fact):
    """Two documents: one with counts (so a derived rate), one with dims, a narrower scope and flags."""
    first, second = make_document("a" * 64), make_document("b" * 64, published=None, doc_type=None)
    first_facts = resolve(
        [
            make_fact("hazards_found", 200, doc_id=first.id, doc=first.file_name, start=4, end=7),
            make_fact("hazards_rectified", 150, doc_id=first.id, doc=first.file_name, start=11, end=14),
        ]
    )
    second_facts = [
        make_fact(
            "rescue_teams", 51, doc_id=second.id, doc=second.file_name, dims={"level": "city"}, unit="支"
        ),
        make_fact(
            "suggestions",
            29,
            doc_id=second.id,
            doc=second.file_name,
            dims={"kind": "npc", "role": "lead"},
            unit="件",
            approx="more_than",
            flags=["unit_inferred"],
            scope="campaign",
            period="partial",
            period_note="截至8月",
        ),
    ]
    return [first, second], first_facts + second_facts


def build(db_path, areas, documents, facts, quarantine=(), meta=META):
    build_database(db_path, load_catalog(), areas, documents, facts, list(quarantine), meta)


def table_rows(db_path: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return sorted(con.execute("SELECT * FROM " + table).fetchall(), key=repr)


def test_round_trip(tmp_path, areas, records):
    documents, facts = records
    quarantine = [QuarantineEntry("x.doc", "/reports/x.doc", "unsupported type .doc")]
    build(tmp_path / "e.duckdb", areas, documents, facts, quarantine)
    previous = read_previous(tmp_path / "e.duckdb")
    assert previous.documents == {doc.id: doc for doc in documents}
    assert sorted(sum(previous.facts.values(), []), key=repr) == sorted(facts, key=repr)
    assert previous.meta.keys() == {"etl_version", "catalog_sha256", "built_at"}
    assert table_rows(tmp_path / "e.duckdb", "quarantine") == [
        ("x.doc", "/reports/x.doc", "unsupported type .doc")
    ]


def test_catalog_tables(tmp_path, areas):
    build(tmp_path / "e.duckdb", areas, [], [])
    catalog = load_catalog()
    with duckdb.connect(str(tmp_path / "e.duckdb"), read_only=True) as con:
        indicators = con.execute("SELECT id, dims, is_rate FROM indicators ORDER BY sort_order").fetchall()
        dim_values = con.execute("SELECT dim, value FROM dim_values ORDER BY dim, sort_order").fetchall()
        n_areas = con.execute("SELECT count(*) FROM areas").fetchone()[0]
    assert indicators == [(i.id, list(i.dims), i.unit == "%") for i in catalog.indicators]
    assert dim_values == [
        (d.id, v) for d in sorted(catalog.dims.values(), key=lambda d: d.id) for v in d.values
    ]
    assert n_areas == len(areas)


def test_n_facts_and_published(tmp_path, areas, records):
    documents, facts = records
    build(tmp_path / "e.duckdb", areas, documents, facts)
    with duckdb.connect(str(tmp_path / "e.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT id, n_facts, CAST(published AS VARCHAR) FROM documents ORDER BY id"
        ).fetchall()
    assert rows == [("a" * 64, 3, "2024-01-15"), ("b" * 64, 2, None)]


def test_missing_database_reads_as_empty(tmp_path):
    assert read_previous(tmp_path / "none.duckdb") == Previous()


def test_failed_build_leaves_previous_database(tmp_path, areas, records, make_fact):
    documents, facts = records
    db_path = tmp_path / "e.duckdb"
    build(db_path, areas, documents, facts)
    before = {table: table_rows(db_path, table) for table in ("documents", "facts", "quarantine")}
    bad_fact = make_fact("rescue_teams", 1, dims={"colour": "red"})
    with pytest.raises(LoadError, match="colour"):
        build(db_path, areas, documents[:1], [bad_fact])
    assert {table: table_rows(db_path, table) for table in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.duckdb"]


def test_open_reader_does_not_block_a_build(tmp_path, areas, records):
    documents, facts = records
    db_path = tmp_path / "e.duckdb"
    build(db_path, areas, documents[:1], [f for f in facts if f.doc_id == documents[0].id])
    with duckdb.connect(str(db_path), read_only=True) as reader:
        build(db_path, areas, documents, facts)
        assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 1  # its snapshot
    assert len(table_rows(db_path, "documents")) == 2


def test_temp_of_a_killed_build_is_removed(tmp_path, areas):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_temp = tmp_path / f"e.duckdb.tmp-{dead.stdout.strip()}"
    live_temp = tmp_path / f"e.duckdb.tmp-{os.getppid()}"
    for temp in (dead_temp, live_temp):
        temp.write_bytes(b"half-built")
    build(tmp_path / "e.duckdb", areas, [], [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.duckdb", live_temp.name]
