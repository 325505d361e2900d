"""Review decisions and what is built on them, by the real ETL run: a derived rate follows a corrected
count and goes with a rejected one, a stated rate keeps its value (its check against the counts follows),
a withdrawn decision brings the extracted rate back, and a document nobody changed derives as extraction
did; a renamed file keeps its document override; orphaned decisions are counted in the run's summary."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import duckdb
import pytest

from review.store import ReviewStore, store_path
from tests.conftest import REPO_ROOT, SEED_REPORTS, run_etl
from tests.test_review_apply import build, ref_of, rows, shown

SHENZHEN, SHANWEI = "440300", "441500"
DERIVED = (
    "深圳市应急管理局2023年工作总结\n\n2023年，全市共排查安全隐患1000项，已整改950项。开展应急演练120场次。\n"
)
STATED = "汕尾市应急管理局2022年工作总结\n\n2022年，全市共排查安全隐患2000项，已整改1900项，整改率95%。\n"
CLOSURE = "hazard_closure_rate"
FACT_SQL = """
SELECT d.path, f.doc_id, f.indicator, f.level, f.field, f.kind, f.role, f.start, f."end", f.evidence,
       f.value, f.unit, f.year, f.area_code
FROM facts f JOIN documents d ON d.id = f.doc_id
WHERE d.file_name = ? AND f.indicator = ? AND f.scope = 'area' AND f.derived = ?
"""
FACT_NAMES = (
    *("path", "doc_id", "indicator", "level", "field", "kind", "role", "start", "end", "evidence"),
    *("value", "unit", "year", "area_code"),
)
FIRST_FACTS_SQL = f"""
SELECT {", ".join(f'f."{name}"' if name != "path" else "d.path" for name in FACT_NAMES)}
FROM facts f JOIN documents d ON d.id = f.doc_id WHERE NOT f.derived
QUALIFY row_number() OVER (PARTITION BY f.doc_id ORDER BY f.start, f.indicator, f.value) = 1
"""
# every column a build writes, but the review's own (status, note, the fields as extracted)
ALL_FACTS_SQL = """
SELECT d.file_name, f.* EXCLUDE (doc_id, status, review_note, extracted)
FROM facts f JOIN documents d ON d.id = f.doc_id
ORDER BY d.file_name, f.start, f.indicator, f.derived, f.level, f.field, f.kind, f.role, f.value
"""


def fact(db: Path, file_name: str, indicator: str, derived: bool = False) -> dict:
    """The one whole-area fact of this indicator in the document, as the review page shows it."""
    [row] = rows(db, FACT_SQL, [file_name, indicator, derived])
    return dict(zip(FACT_NAMES, row, strict=True))


def closure(db: Path, area_code: str) -> list[tuple]:
    """The area's closure rate as the dashboard reads it: value, derived, status, flags."""
    sql = "SELECT value, derived, status, flags FROM indicator_values WHERE indicator = ? AND area_code = ?"
    return rows(db, sql, [CLOSURE, area_code])


def flags(db: Path, file_name: str, indicator: str) -> list[str]:
    sql = """SELECT f.flags FROM facts f JOIN documents d ON d.id = f.doc_id
             WHERE d.file_name = ? AND f.indicator = ? AND f.scope = 'area' AND NOT f.derived"""
    [(found,)] = rows(db, sql, [file_name, indicator])
    return found


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, ReviewStore]:
    """Two small reports built once: Shenzhen's closure rate derived from its counts, Shanwei's stated."""
    reports, db = tmp_path / "reports", tmp_path / "db" / "emergency.duckdb"
    reports.mkdir()
    (reports / "sz-2023.txt").write_text(DERIVED, encoding="utf-8")
    (reports / "sw-2022.txt").write_text(STATED, encoding="utf-8")
    build(reports, db)
    return reports, db, ReviewStore(store_path(db))


def test_a_corrected_count_recomputes_the_rate_and_a_withdrawn_correction_restores_it(built) -> None:
    reports, db, store = built
    assert closure(db, SHENZHEN) == [(95.0, True, "extracted", [])]
    rectified = fact(db, "sz-2023.txt", "hazards_rectified")
    store.decide("wang", ref_of(rectified), "corrected", shown(rectified), {"value": 900}, note="per annex")
    for _ in range(2):  # the second run starts from the first's copy: undone and applied again
        build(reports, db)
        assert closure(db, SHENZHEN) == [(90.0, True, "extracted", [])]
        assert (
            fact(db, "sz-2023.txt", CLOSURE, derived=True)["evidence"]
            == "全市共排查安全隐患1000项 … 已整改950项"
        )
    store.decide("wang", ref_of(rectified), "accepted", shown(rectified), note="the report was right")
    build(reports, db)
    assert closure(db, SHENZHEN) == [(95.0, True, "extracted", [])]


def test_a_rejected_count_takes_the_rate_built_on_it_away(built) -> None:
    reports, db, store = built
    found = fact(db, "sz-2023.txt", "hazards_found")
    store.decide("wang", ref_of(found), "rejected", shown(found), note="a campaign's count, not the year's")
    for _ in range(2):
        build(reports, db)
        assert closure(db, SHENZHEN) == []
        assert rows(
            db, "SELECT count(*) FROM facts WHERE indicator = ? AND area_code = ?", [CLOSURE, SHENZHEN]
        ) == [(0,)]
    store.decide("wang", ref_of(found), "accepted", shown(found))
    build(reports, db)
    assert closure(db, SHENZHEN) == [(95.0, True, "extracted", [])]


def test_a_stated_rate_keeps_its_value_and_its_check_follows_the_corrected_counts(built) -> None:
    reports, db, store = built
    assert closure(db, SHANWEI) == [(95.0, False, "extracted", [])]
    rectified = fact(db, "sw-2022.txt", "hazards_rectified")
    store.decide("wang", ref_of(rectified), "corrected", shown(rectified), {"value": 2100})
    build(reports, db)
    assert closure(db, SHANWEI) == [(95.0, False, "extracted", ["rate_mismatch"])]  # 105% computed
    assert flags(db, "sw-2022.txt", "hazards_rectified") == ["rectified_gt_found"]
    assert rows(db, "SELECT count(*) FROM facts WHERE derived AND area_code = ?", [SHANWEI]) == [(0,)]
    store.decide("wang", ref_of(rectified), "accepted", shown(rectified))
    build(reports, db)
    assert closure(db, SHANWEI) == [(95.0, False, "extracted", [])]
    assert flags(db, "sw-2022.txt", "hazards_rectified") == []


def test_a_decision_on_the_derived_rate_itself_wins_over_the_recomputation(built) -> None:
    reports, db, store = built
    rate, rectified = (
        fact(db, "sz-2023.txt", CLOSURE, derived=True),
        fact(db, "sz-2023.txt", "hazards_rectified"),
    )
    store.decide("wang", ref_of(rectified), "corrected", shown(rectified), {"value": 900})
    store.decide("li", ref_of(rate), "corrected", shown(rate), {"value": 93}, note="the bureau's own figure")
    build(reports, db)
    assert closure(db, SHENZHEN) == [(93.0, True, "corrected", [])]
    assert rows(db, "SELECT count(*) FROM review_orphans") == [(0,)]


def test_reviewed_documents_derive_exactly_as_extraction_did(tmp_path: Path) -> None:
    """A correction that changes nothing on every document of the seed, the development set and the two
    small reports: every fact, derived value and flag is as a build without review gives it, in the run
    that applies the corrections and in the one that undoes them."""
    reports = tmp_path / "reports"
    shutil.copytree(SEED_REPORTS, reports / "seed")
    shutil.copytree(REPO_ROOT / "tests" / "corpus-dev", reports / "dev")
    (reports / "sz-2023.txt").write_text(DERIVED, encoding="utf-8")
    (reports / "sw-2022.txt").write_text(STATED, encoding="utf-8")
    plain, db = tmp_path / "plain" / "emergency.duckdb", tmp_path / "reviewed" / "emergency.duckdb"
    build(reports, plain)
    build(reports, db)
    store = ReviewStore(store_path(db))
    firsts = [dict(zip(FACT_NAMES, row, strict=True)) for row in rows(db, FIRST_FACTS_SQL)]
    assert len(firsts) == 31
    for first in firsts:
        store.decide("wang", ref_of(first), "corrected", shown(first), {"value": first["value"]})
    build(reports, db)
    expected = rows(plain, ALL_FACTS_SQL)
    assert rows(db, "SELECT count(DISTINCT doc_id) FROM facts WHERE status = 'corrected'") == [(len(firsts),)]
    assert rows(db, ALL_FACTS_SQL) == expected
    for first in firsts:
        store.decide("wang", ref_of(first), "accepted", shown(first))
    build(reports, db)
    assert rows(db, ALL_FACTS_SQL) == expected


def test_a_renamed_file_keeps_its_document_override(built) -> None:
    reports, db, store = built
    sz = fact(db, "sz-2023.txt", "hazards_found")
    store.correct_document("li", sz["path"], sz["doc_id"], {"year": 2022}, note="the 2022 report")
    evidence = "开展应急演练120场次"
    at = DERIVED.index(evidence)  # a plain UTF-8 .txt: its stored text is the file's text
    added = {
        "indicator": "penalties", "value": 120, "unit": "次", "year": 2023, "area_code": SHENZHEN, "dims": {},
        "evidence": evidence, "evidence_start": at,
    }  # fmt: skip
    store.add_manual("li", sz["path"], sz["doc_id"], at + 6, at + 9, added)
    build(reports, db)
    assert rows(db, "SELECT count(*) FROM facts WHERE rule = 'manual'") == [(1,)]
    (reports / "moved").mkdir()
    (reports / "sz-2023.txt").rename(reports / "moved" / "shenzhen.txt")
    build(reports, db)
    assert rows(db, "SELECT path, year FROM documents WHERE id = ?", [sz["doc_id"]]) == [
        (str(reports / "moved" / "shenzhen.txt"), 2022)
    ]
    years = "SELECT DISTINCT year, status FROM indicator_values WHERE area_code = ? ORDER BY year"
    assert rows(db, years, [SHENZHEN]) == [(2022, "extracted"), (2023, "manual")]  # the derived rate too
    assert rows(db, "SELECT count(*) FROM review_orphans") == [(0,)]  # nor is the added figure lost
    # a changed file at the old path takes the override again by its path (a new file, a new hash)
    (reports / "sz-2023.txt").write_text(DERIVED.replace("120场次", "121场次"), encoding="utf-8")
    build(reports, db)
    assert rows(db, "SELECT file_name, year FROM documents WHERE area_code = ? ORDER BY 1", [SHENZHEN]) == [
        ("shenzhen.txt", 2023),
        ("sz-2023.txt", 2022),
    ]


def test_a_store_from_before_override_hashes_still_applies_its_overrides(tmp_path: Path) -> None:
    """A store written before overrides kept the document's hash: its rows apply by path, new ones keep
    the hash."""
    path = tmp_path / "review.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE document_overrides (path TEXT PRIMARY KEY, changes TEXT NOT NULL)")
        con.execute("INSERT INTO document_overrides VALUES ('a.txt', '{\"year\": 2021}')")
    store = ReviewStore(path)
    store.correct_document("li", "b.txt", "b" * 64, {"area_code": "440300"})
    assert store.document_corrections() == [
        {"path": "a.txt", "doc_id": None, "changes": {"year": 2021}},
        {"path": "b.txt", "doc_id": "b" * 64, "changes": {"area_code": "440300"}},
    ]
    assert ReviewStore(path).document_overrides() == {
        "a.txt": {"year": 2021},
        "b.txt": {"area_code": "440300"},
    }


def test_the_run_summary_counts_the_decisions_to_review_again(built) -> None:
    reports, db, store = built
    result = run_etl("run", "--reports", reports, "--db", db, "--jobs", "1")
    assert result.returncode == 0 and "re-review" not in result.stdout
    drills = fact(db, "sz-2023.txt", "drills")
    store.decide("wang", ref_of(drills), "corrected", shown(drills), {"value": 121})
    store.decide("wang", ref_of(drills | {"start": 1, "evidence": "无此句"}), "accepted", shown(drills))
    store.correct_document("li", "/no/such/report.txt", "c" * 64, {"year": 2020})
    (reports / "sz-2023.txt").write_text(DERIVED.replace("开展应急演练120场次。", ""), encoding="utf-8")
    result = run_etl("run", "--reports", reports, "--db", db, "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "review: 3 decisions need re-review (2 the evidence is gone: no such figure in any document; "
        "1 no document at this path or with this content)"
    ) in result.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM review_orphans").fetchone() == (3,)
