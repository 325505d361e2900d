"""Reviewers' decisions applied by the real ETL run: a correction, a rejection and a manual fact survive
re-runs, re-attach by evidence when the file changes, are orphaned (not dropped) when the evidence goes,
and a document's area/year override applies to the document and its facts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from review.store import FactRef, ReviewStore, dims_pairs, store_path
from tests.conftest import SEED_REPORTS, run_etl

LUOHE = "luohe-2022-pingyi-zhenggai.txt"
CITY_PLANS = "指导各级各部门修订完善市级预案40个"  # plans[level=city] 40: corrected to 41
COUNTY_PLANS = "县级预案44个"  # plans[level=county] 44: rejected
MANUAL_EVIDENCE = "共设置13个演练现场、53个演练科目"  # 13 added by hand as penalties (any unextracted figure)


def build(reports: Path, db: Path) -> None:
    result = run_etl("run", "--reports", reports, "--db", db, "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def luohe_fact(db: Path, evidence: str) -> dict:
    """The luohe fact with this evidence, as the review page would show it."""
    sql = """SELECT d.path, f.doc_id, f.indicator, f.level, f.field, f.kind, f.role, f.start, f."end",
                    f.evidence, f.value, f.unit, f.year, f.area_code
             FROM facts f JOIN documents d ON d.id = f.doc_id WHERE d.file_name = ? AND f.evidence = ?"""
    [row] = rows(db, sql, [LUOHE, evidence])
    names = [
        "path",
        "doc_id",
        "indicator",
        "level",
        "field",
        "kind",
        "role",
        "start",
        "end",
        "evidence",
        "value",
        "unit",
        "year",
        "area_code",
    ]
    return dict(zip(names, row, strict=True))


def ref_of(fact: dict) -> FactRef:
    dims = dims_pairs({dim: fact[dim] for dim in ("level", "field", "kind", "role")})
    return FactRef(
        fact["path"], fact["doc_id"], fact["indicator"], dims, fact["start"], fact["end"], fact["evidence"]
    )


def shown(fact: dict) -> dict:
    return {key: fact[key] for key in ("value", "unit", "year", "area_code")}


def luohe_values(db: Path, indicator: str) -> list[tuple]:
    sql = """SELECT level, value, status FROM indicator_values
             WHERE area_code = '411100' AND indicator = ? ORDER BY level"""
    return rows(db, sql, [indicator])


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, Path, ReviewStore]:
    """A copy of the seed reports built once, and a store holding a correction, a rejection and a fact
    added by hand on the luohe report."""
    reports, db = tmp_path / "reports", tmp_path / "db" / "emergency.duckdb"
    shutil.copytree(SEED_REPORTS, reports)
    build(reports, db)
    store = ReviewStore(store_path(db))
    city, county = luohe_fact(db, CITY_PLANS), luohe_fact(db, COUNTY_PLANS)
    store.decide(
        "wang", ref_of(city), "corrected", shown(city), {"value": 41}, note="市级预案 41 per the annex"
    )
    store.decide("wang", ref_of(county), "rejected", shown(county), note="double-counted")
    [(text,)] = rows(db, "SELECT text FROM documents WHERE file_name = ?", [LUOHE])
    start = text.index("13个演练现场")
    manual = {
        "indicator": "penalties", "value": 13, "unit": "次", "year": 2022, "area_code": "411100", "dims": {},
        "evidence": MANUAL_EVIDENCE, "evidence_start": text.index(MANUAL_EVIDENCE),
    }  # fmt: skip
    store.add_manual("wang", city["path"], city["doc_id"], start, start + 2, manual, note="missed")
    return reports, db, store


def test_decisions_apply_on_a_rerun_and_again_on_the_next(reviewed) -> None:
    reports, db, store = reviewed
    for _ in range(2):  # the second run starts from the first's copy: undone and applied again, not twice
        build(reports, db)
        assert luohe_values(db, "plans") == [
            ("city", 41.0, "corrected"), ("township", 77.0, "extracted"), ("village", 1138.0, "extracted")
        ]  # fmt: skip
        assert luohe_values(db, "penalties") == [(None, 13.0, "manual")]
        [(evidence, start, end, text)] = rows(
            db,
            """SELECT f.evidence, f.start, f."end", d.text FROM facts f JOIN documents d ON d.id = f.doc_id
               WHERE f.rule = 'manual'""",
        )
        assert (evidence, text[start:end]) == (MANUAL_EVIDENCE, "13")
        assert rows(db, "SELECT status, review_note FROM facts WHERE evidence = ?", [COUNTY_PLANS]) == [
            ("rejected", "double-counted")
        ]
        assert rows(db, "SELECT extracted FROM facts WHERE evidence = ?", [CITY_PLANS]) == [
            ('{"value": 40.0}',)
        ]
        assert rows(db, "SELECT count(*) FROM review_orphans") == [(0,)]
    assert [entry.action for entry in store.audit()] == ["add", "reject", "correct"]


def test_a_changed_file_keeps_its_decisions_by_evidence_and_a_lost_sentence_is_orphaned(reviewed) -> None:
    reports, db, store = reviewed
    luohe = reports / LUOHE
    text = luohe.read_text(encoding="utf-8")
    luohe.write_text(text.replace("二是强化应急预案体系。", "二是进一步强化应急预案体系。"), encoding="utf-8")
    build(reports, db)  # a new hash, every offset after the edit moved by 3
    assert luohe_values(db, "plans")[0] == ("city", 41.0, "corrected")
    assert ("county", 44.0, "extracted") not in luohe_values(db, "plans")
    [(start, end, doc_text)] = rows(
        db, 'SELECT f.start, f."end", d.text FROM facts f JOIN documents d ON d.id = f.doc_id WHERE rule = ?',
        ["manual"],
    )  # fmt: skip
    assert doc_text[start:end] == "13" and start == store.manual_facts()[0]["start"] + 3

    luohe.write_text(text.replace(CITY_PLANS + ",", ""), encoding="utf-8")
    build(reports, db)
    # without that sentence the 市级46个专项预案 figure becomes the city's value: the correction is not its
    assert luohe_values(db, "plans")[0] == ("city", 46.0, "extracted")
    [(kind, status, who, reason)] = rows(db, "SELECT kind, status, who, reason FROM review_orphans")
    assert (kind, status, who) == ("decision", "corrected", "wang") and "evidence is gone" in reason
    assert len(store.decisions()) == 2  # kept in the store for re-review

    luohe.write_text(text, encoding="utf-8")  # the sentence is back: so is the correction
    build(reports, db)
    assert luohe_values(db, "plans")[0] == ("city", 41.0, "corrected")
    assert rows(db, "SELECT count(*) FROM review_orphans") == [(0,)]


def test_a_document_override_moves_the_document_and_its_facts(reviewed) -> None:
    reports, db, store = reviewed
    path = luohe_fact(db, CITY_PLANS)["path"]
    store.correct_document(
        "li", path, "x", {"year": "2021", "doc_type": "work_summary"}, before={"year": 2022}
    )
    build(reports, db)
    assert rows(db, "SELECT year, doc_type FROM documents WHERE path = ?", [path]) == [(2021, "work_summary")]
    years = "SELECT DISTINCT year FROM indicator_values WHERE area_code = '411100' AND rule <> 'manual'"
    assert rows(db, years) == [(2021,)]
    assert rows(db, "SELECT count(*) FROM review_documents") == [(1,)]
    manual_year = rows(db, "SELECT year FROM facts WHERE rule = 'manual'")
    assert manual_year == [(2022,)]  # a fact added by hand keeps the year the reviewer gave it


def test_without_a_store_every_fact_is_extracted(seed_db: Path) -> None:
    assert not store_path(seed_db).exists()
    assert rows(seed_db, "SELECT DISTINCT status FROM facts") == [("extracted",)]
    assert rows(seed_db, "SELECT count(*) FROM review_orphans") == [(0,)]


def test_the_default_run_reads_the_uploads_beside_the_reports(tmp_path: Path) -> None:
    """`python -m etl run` with no --reports (as `make etl`): data/reports and data/uploads; given
    --reports alone, only those folders."""
    reports, uploads = tmp_path / "data" / "reports", tmp_path / "data" / "uploads"
    reports.mkdir(parents=True)
    uploads.mkdir()
    shutil.copy(SEED_REPORTS / LUOHE, reports)
    shutil.copy(SEED_REPORTS / "shenzhen-2023-renda-jianyi.txt", uploads / "63e8cfa81d06.txt")

    def run(*args: str) -> list[tuple]:
        result = subprocess.run(
            [sys.executable, "-m", "etl", "run", "--jobs", "1", *args],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        return rows(tmp_path / "data" / "emergency.duckdb", "SELECT file_name FROM documents ORDER BY 1")

    assert run() == [("63e8cfa81d06.txt",), (LUOHE,)]
    assert run("--reports", "data/reports") == [(LUOHE,)]
    assert run("--reports", "data/reports", "--uploads", "data/uploads") == [("63e8cfa81d06.txt",), (LUOHE,)]


def test_a_decision_that_cannot_apply_is_orphaned_and_the_build_goes_on(reviewed) -> None:
    reports, db, store = reviewed
    fact = luohe_fact(db, "村级预案1138个")
    store.decide("li", ref_of(fact), "corrected", shown(fact), {"year": "二〇二二"})
    store.decide("li", ref_of(fact), "corrected", shown(fact), {"indicator": "fire_engines"})  # latest wins
    store.correct_document("li", "/no/such/report.txt", "y" * 64, {"area_code": "440300"})
    build(reports, db)
    orphans = rows(db, "SELECT kind, path, reason FROM review_orphans ORDER BY kind")
    assert orphans == [
        ("decision", fact["path"], "unknown indicator"), ("document", "/no/such/report.txt", "no document at this path or with this content")
    ]  # fmt: skip
    assert ("village", 1138.0, "extracted") in luohe_values(db, "plans")
    assert luohe_values(db, "plans")[0] == ("city", 41.0, "corrected")


def test_facts_kept_from_a_database_built_before_review_statuses_are_extracted(tmp_path: Path) -> None:
    """An older database (no status columns, other code) and a report unreadable now: its kept facts
    are copied over and given the status 'extracted', the run does not fail."""
    reports, db = tmp_path / "reports", tmp_path / "emergency.duckdb"
    shutil.copytree(SEED_REPORTS, reports)
    build(reports, db)
    with duckdb.connect(str(db)) as con:
        for column in ("status", "review_note", "extracted"):
            con.execute(f"ALTER TABLE facts DROP COLUMN {column}")
        con.execute("UPDATE meta SET value = 'src-older' WHERE key = 'etl_version'")
    (reports / LUOHE).write_bytes(b"\x80\xff\x81" * 64)
    result = run_etl("run", "--reports", reports, "--db", db, "--jobs", "1")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "kept from before" in result.stdout and "1 kept" in result.stdout
    assert rows(db, "SELECT DISTINCT status FROM facts") == [("extracted",)]
    assert ("city", 40.0, "extracted") in luohe_values(db, "plans")
