"""The review store on a real SQLite file: accounts, decisions (latest wins), the audit, two writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from review.store import STATUSES, FactRef, ReviewStore, dims_pairs, store_path

REF = FactRef(
    path="data/reports/a.txt",
    doc_id="a" * 64,
    indicator="rescue_teams",
    dims=(("level", "city"),),
    start=120,
    end=123,
    evidence="全市共有救援队伍120支。",
)
BEFORE = {"value": 120.0, "unit": "支", "year": 2023, "area_code": "440300"}


@pytest.fixture
def store(tmp_path: Path) -> ReviewStore:
    return ReviewStore(store_path(tmp_path / "emergency.duckdb"))


def test_store_sits_beside_the_database_in_wal_mode(tmp_path: Path, store: ReviewStore) -> None:
    assert store.path == tmp_path / "review.sqlite"
    assert store.path.is_file()
    with sqlite3.connect(store.path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert STATUSES == ("extracted", "accepted", "corrected", "rejected", "manual")


def test_accounts_hash_passwords_and_refuse_bad_ones(store: ReviewStore) -> None:
    assert not store.has_users()
    store.add_user("wang", "correct horse")
    assert store.has_users() and store.users() == ["wang"]
    assert store.check_password("wang", "correct horse")
    assert not store.check_password("wang", "wrong horse!")
    assert not store.check_password("li", "correct horse")
    raw = store.path.read_bytes() + (
        Path(f"{store.path}-wal").read_bytes() if Path(f"{store.path}-wal").exists() else b""
    )
    assert b"correct horse" not in raw
    with pytest.raises(ValueError, match="exists"):
        store.add_user("wang", "another password")
    with pytest.raises(ValueError, match="at least 8"):
        store.add_user("li", "short")
    with pytest.raises(ValueError, match="name"):
        store.add_user("  ", "long enough")
    assert store.remove_user("wang") and not store.remove_user("wang")
    assert not store.has_users()


def test_failed_logins_are_counted_per_name_and_client_until_a_success(store: ReviewStore) -> None:
    for _ in range(3):
        store.note_login("wang", "10.0.0.1", ok=False)
    store.note_login("wang", "10.0.0.2", ok=False)
    assert store.recent_failures("wang", "10.0.0.1", 900) == 3
    assert store.recent_failures("wang", "10.0.0.2", 900) == 1
    assert store.recent_failures("li", "10.0.0.1", 900) == 0
    store.note_login("wang", "10.0.0.1", ok=True)
    assert store.recent_failures("wang", "10.0.0.1", 900) == 0


def test_latest_decision_on_a_fact_wins_and_each_is_audited(store: ReviewStore) -> None:
    store.decide("wang", REF, "accepted", BEFORE)
    store.decide("wang", REF, "corrected", BEFORE, {"value": 121.0}, note="typo in the report")
    other = FactRef(**{**REF.__dict__, "start": 300, "end": 302})
    store.decide("li", other, "rejected", BEFORE)
    decisions = store.decisions()
    assert [(d["start"], d["status"], d["after"], d["who"]) for d in decisions] == [
        (120, "corrected", {"value": 121.0}, "wang"),
        (300, "rejected", None, "li"),
    ]
    assert decisions[0]["dims"] == {"level": "city"} and decisions[0]["evidence"] == REF.evidence
    assert decisions[0]["note"] == "typo in the report"
    history = store.history(REF.path, REF.indicator, REF.start)
    assert [(e.action, e.who, e.before, e.after) for e in history] == [
        ("accept", "wang", BEFORE, {"status": "accepted"}),
        ("correct", "wang", BEFORE, {"value": 121.0}),
    ]
    assert [e.action for e in store.audit()] == ["reject", "correct", "accept"]
    assert all(e.at.endswith("+00:00") for e in store.audit())


def test_bad_decisions_are_refused_and_leave_nothing(store: ReviewStore) -> None:
    with pytest.raises(ValueError):
        store.decide("wang", REF, "manual", BEFORE)
    with pytest.raises(ValueError):
        store.decide("wang", REF, "corrected", BEFORE)
    with pytest.raises(ValueError, match="not correctable"):
        store.decide("wang", REF, "corrected", BEFORE, {"evidence": "x"})
    with pytest.raises(ValueError, match="needs"):
        store.add_manual("wang", REF.path, REF.doc_id, 5, 8, {"indicator": "rescue_teams"})
    assert store.decisions() == [] and store.manual_facts() == [] and store.audit() == []


def test_manual_facts_and_document_overrides(store: ReviewStore) -> None:
    fact = {
        "indicator": "rescue_teams",
        "value": 7.0,
        "unit": "支",
        "year": 2023,
        "area_code": "440300",
        "dims": {"level": "county"},
        "evidence": "区级队伍7支",
    }
    store.add_manual("wang", REF.path, REF.doc_id, 40, 41, fact, note="missed")
    [manual] = store.manual_facts()
    assert (manual["start"], manual["end"], manual["fact"], manual["who"]) == (40, 41, fact, "wang")
    store.correct_document("wang", REF.path, REF.doc_id, {"year": 2022}, before={"year": 2023})
    store.correct_document("li", REF.path, REF.doc_id, {"area_code": "440304"})
    assert store.document_overrides() == {REF.path: {"year": 2022, "area_code": "440304"}}
    with pytest.raises(ValueError):
        store.correct_document("li", REF.path, REF.doc_id, {"title": "x"})
    history = store.history(REF.path)
    assert [(e.action, e.before, e.after) for e in history] == [
        ("add", None, fact),
        ("document", {"year": 2023}, {"year": 2022}),
        ("document", {"year": 2022}, {"area_code": "440304"}),
    ]
    assert [e.action for e in store.history(REF.path, "rescue_teams", 40)] == ["add"]


def test_dims_pairs_are_sorted_without_unset_dims() -> None:
    assert dims_pairs({"role": "x", "level": "city", "kind": None}) == (("level", "city"), ("role", "x"))


def _write_many(path: str, who: str, count: int) -> None:
    store = ReviewStore(Path(path))
    for start in range(count):
        ref = FactRef(**{**REF.__dict__, "start": start, "end": start + 1})
        store.decide(who, ref, "accepted", BEFORE)


def test_two_processes_writing_at_once_both_succeed(store: ReviewStore) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(store.path), who, 40)) for who in ("wang", "li")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert len(store.audit(limit=1000)) == 80
    # the same 40 facts decided by both: one current decision each
    assert len(store.decisions()) == 40


def test_a_facts_history_follows_its_evidence_when_its_span_moves(store: ReviewStore) -> None:
    store.decide("wang", REF, "accepted", BEFORE)
    moved = FactRef(**{**REF.__dict__, "doc_id": "b" * 64, "start": 124, "end": 127})
    store.decide("li", moved, "corrected", BEFORE, {"value": 119.0})
    elsewhere = FactRef(**{**REF.__dict__, "start": 500, "end": 503, "evidence": "另一句话"})
    store.decide("li", elsewhere, "rejected", BEFORE)
    assert [(e.who, e.action) for e in store.fact_history(moved)] == [("wang", "accept"), ("li", "correct")]
    assert [e.action for e in store.fact_history(elsewhere)] == ["reject"]
