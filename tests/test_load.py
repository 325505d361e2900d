"""load.py on synthetic records: round trip, atomic swap, concurrent readers, stale temp files."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import pipeline
from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.load import LoadError, Previous, QuarantineEntry, build_database, read_previous
from etl.model import Document
from etl.resolve import resolve
from tests.conftest import CLI_TIMEOUT_S, REPO_ROOT, SEED_REPORTS, run_etl
from tests.db_rows import contents, facts_by_file, table_rows

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


def test_round_trip(tmp_path, areas, records):
    documents, facts = records
    quarantine = [QuarantineEntry("x.doc", "/reports/x.doc", "unsupported type .doc")]
    build(tmp_path / "e.duckdb", areas, documents, facts, quarantine)
    previous = read_previous(tmp_path / "e.duckdb")
    assert previous.documents == {doc.id: doc for doc in documents}
    assert sorted(sum(previous.facts.values(), []), key=repr) == sorted(facts, key=repr)
    assert previous.meta.keys() == {"etl_version", "catalog_sha256", "built_at", "schema_version"}
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


# --- whole runs over real reports: the database holds exactly the reports under the folder ---

SEEDS = sorted(SEED_REPORTS.iterdir())
KILL_VARIANTS = 200


@pytest.fixture
def reports(tmp_path) -> Path:
    """Three seed reports in a folder of their own."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder)
    return folder


def doc_ids(db_path: Path) -> dict[str, str]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return dict(con.execute("SELECT file_name, id FROM documents").fetchall())


def test_two_runs_give_identical_contents(tmp_path, reports):
    (reports / "empty.txt").write_bytes(b"")
    first = pipeline.run([reports], tmp_path / "e.duckdb")
    before = contents(tmp_path / "e.duckdb")
    second = pipeline.run([reports], tmp_path / "e.duckdb")
    assert contents(tmp_path / "e.duckdb") == before
    assert (first.extracted, first.reused, second.extracted, second.reused) == (3, 0, 0, 3)


def test_adding_a_report_adds_only_its_facts(tmp_path, reports):
    pipeline.run([reports], tmp_path / "e.duckdb")
    before = facts_by_file(tmp_path / "e.duckdb")
    shutil.copy(SEEDS[3], reports)
    pipeline.run([reports], tmp_path / "e.duckdb")
    after = facts_by_file(tmp_path / "e.duckdb")
    assert after.pop(SEEDS[3].name)
    assert after == before


def test_changed_report_replaces_its_facts(tmp_path, reports):
    changed = reports / "luohe-2022-pingyi-zhenggai.txt"
    pipeline.run([reports], tmp_path / "e.duckdb")
    old_ids, old_facts = doc_ids(tmp_path / "e.duckdb"), facts_by_file(tmp_path / "e.duckdb")
    changed.write_bytes(changed.read_bytes().replace("7314.45万元".encode(), "7315.45万元".encode()))
    pipeline.run([reports], tmp_path / "e.duckdb")
    new_ids, new_facts = doc_ids(tmp_path / "e.duckdb"), facts_by_file(tmp_path / "e.duckdb")
    assert new_ids.keys() == old_ids.keys() and new_ids[changed.name] != old_ids[changed.name]
    assert {k: v for k, v in new_facts.items() if k != changed.name} == {
        k: v for k, v in old_facts.items() if k != changed.name
    }
    with duckdb.connect(str(tmp_path / "e.duckdb"), read_only=True) as con:
        values_by_doc = dict(con.execute("SELECT doc_id, list(value) FROM facts GROUP BY doc_id").fetchall())
    assert old_ids[changed.name] not in values_by_doc
    assert 7315.45 in values_by_doc[new_ids[changed.name]]  # the changed figure
    assert 7314.45 not in values_by_doc[new_ids[changed.name]]


def test_removed_report_loses_its_facts(tmp_path, reports):
    pipeline.run([reports], tmp_path / "e.duckdb")
    before = facts_by_file(tmp_path / "e.duckdb")
    (reports / SEEDS[1].name).unlink()
    pipeline.run([reports], tmp_path / "e.duckdb")
    assert facts_by_file(tmp_path / "e.duckdb") == {k: v for k, v in before.items() if k != SEEDS[1].name}
    assert SEEDS[1].name not in doc_ids(tmp_path / "e.duckdb")


def test_renamed_report_keeps_its_id_and_facts(tmp_path, reports):
    pipeline.run([reports], tmp_path / "e.duckdb")
    before_ids, before_facts = doc_ids(tmp_path / "e.duckdb"), facts_by_file(tmp_path / "e.duckdb")
    (reports / SEEDS[2].name).rename(reports / "renamed.txt")
    summary = pipeline.run([reports], tmp_path / "e.duckdb")
    after_ids, after_facts = doc_ids(tmp_path / "e.duckdb"), facts_by_file(tmp_path / "e.duckdb")
    assert after_ids.pop("renamed.txt") == before_ids.pop(SEEDS[2].name)
    assert after_facts.pop("renamed.txt") == before_facts.pop(SEEDS[2].name)
    assert (after_ids, after_facts, summary.reused) == (before_ids, before_facts, 3)


def test_unreadable_report_keeps_old_facts_and_is_quarantined(tmp_path, reports):
    broken = reports / SEEDS[0].name
    pipeline.run([reports], tmp_path / "e.duckdb")
    before = {table: table_rows(tmp_path / "e.duckdb", table) for table in ("documents", "facts")}
    broken.write_bytes(b"")
    summary = pipeline.run([reports], tmp_path / "e.duckdb")
    assert {table: table_rows(tmp_path / "e.duckdb", table) for table in before} == before
    assert table_rows(tmp_path / "e.duckdb", "quarantine") == [(broken.name, str(broken), "empty file")]
    assert (summary.exit_code, summary.kept) == (3, 1)


def test_copy_of_a_report_is_loaded_once(tmp_path, reports):
    (reports / "copies").mkdir()
    shutil.copy(reports / SEEDS[0].name, reports / "copies" / "copy.txt")
    summary = pipeline.run([reports], tmp_path / "e.duckdb")
    assert sorted(doc_ids(tmp_path / "e.duckdb")) == sorted(s.name for s in SEEDS[:3])
    assert [note for note in summary.notes if "same content" in note] == [
        f"{reports / 'copies' / 'copy.txt'}: same content as {reports / SEEDS[0].name}, loaded once"
    ]


def test_hidden_files_and_manifest_are_not_reports(tmp_path, reports):
    (reports / ".hidden").mkdir()
    shutil.copy(SEEDS[3], reports / ".hidden")
    shutil.copy(SEEDS[4], reports / ".draft.txt")
    (reports / "manifest.csv").write_text("file,area,year\n", encoding="utf-8")
    found, manifests = pipeline.walk([reports])
    assert [p.name for p in found] == [s.name for s in SEEDS[:3]]
    assert manifests == [reports / "manifest.csv"]


def test_open_reader_does_not_block_a_cli_run(tmp_path, reports):
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    shutil.copy(SEEDS[3], reports)
    with duckdb.connect(str(db_path), read_only=True) as dashboard:
        result = run_etl("run", "--reports", reports, "--db", db_path)
        assert result.returncode == 0, result.stderr
        assert dashboard.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    assert len(doc_ids(db_path)) == 4


def test_sigkill_during_the_swap_leaves_the_previous_database(tmp_path, reports):
    """Kill -9 a run while its temp file exists: the old database opens and holds what it held."""
    db_path = tmp_path / "e.duckdb"
    pipeline.run([reports], db_path)
    before = contents(db_path)
    variants = tmp_path / "variants"
    variants.mkdir()
    for i in range(KILL_VARIANTS):
        seed = SEEDS[i % len(SEEDS)]
        (variants / f"{i:03d}-{seed.name}").write_bytes(seed.read_bytes() + f"\n{i}".encode())
    with subprocess.Popen(
        [sys.executable, "-m", "etl", "run", "--reports", str(variants), "--db", str(db_path)],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        killed_mid_build = _kill_when(
            process, lambda: any(tmp_path.glob("e.duckdb.tmp-*")), timeout_s=CLI_TIMEOUT_S
        )
        process.wait(timeout=10)
    assert killed_mid_build, "the run finished before its temp file was seen"
    assert process.returncode == -signal.SIGKILL
    assert contents(db_path) == before
    pipeline.run([reports], db_path)  # the next run clears what the killed one left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.duckdb", "reports", "variants"]


def _kill_when(process: subprocess.Popen, condition, timeout_s: float) -> bool:
    """SIGKILL `process` as soon as `condition()` holds; False if it ended (or timed out) first."""
    deadline = time.monotonic() + timeout_s
    while process.poll() is None and time.monotonic() < deadline:
        if condition():
            process.send_signal(signal.SIGKILL)
            return True
        time.sleep(0.001)
    process.kill()
    return False


LETTER = "2023年,我县共组织应急演练12场次,发现隐患300处,已整改290处。\n"  # names no area: needs a manifest


@pytest.fixture
def letters(tmp_path) -> Path:
    """The same letter in a folder with a manifest (one good row, one bad) and in one without."""
    (tmp_path / "letters" / "with").mkdir(parents=True)
    (tmp_path / "letters" / "without").mkdir()
    (tmp_path / "letters" / "with" / "letter.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "letters" / "without" / "letter.txt").write_text(LETTER + " ", encoding="utf-8")
    (tmp_path / "letters" / "with" / "manifest.csv").write_text(
        "file,area,year\nletter.txt,深圳,2023\nghost.txt,不存在的地方,2023\n", encoding="utf-8"
    )
    return tmp_path / "letters"


def test_manifest_applies_to_its_own_folder(tmp_path, letters):
    summary = pipeline.run([letters], tmp_path / "e.duckdb")
    with duckdb.connect(str(tmp_path / "e.duckdb"), read_only=True) as con:
        loaded = con.execute("SELECT path, area_code, year FROM documents").fetchall()
        quarantined = con.execute("SELECT path, reason FROM quarantine ORDER BY path").fetchall()
    assert loaded == [(str(letters / "with" / "letter.txt"), "440300", 2023)]
    assert [path for path, _ in quarantined] == [
        str(letters / "with" / "manifest.csv"),
        str(letters / "without" / "letter.txt"),
    ]
    assert quarantined[0][1].startswith("line 3: ")
    assert summary.exit_code == 3


def test_changed_manifest_is_applied_to_unchanged_reports(tmp_path, letters):
    pipeline.run([letters], tmp_path / "e.duckdb")
    (letters / "with" / "manifest.csv").write_text("file,area,year\nletter.txt,漯河,2022\n", encoding="utf-8")
    summary = pipeline.run([letters], tmp_path / "e.duckdb")
    with duckdb.connect(str(tmp_path / "e.duckdb"), read_only=True) as con:
        assert con.execute("SELECT area_code, year FROM documents").fetchall() == [("411100", 2022)]
        assert {row[0] for row in con.execute("SELECT area_code FROM facts").fetchall()} == {"411100"}
    assert summary.reused == 0


def test_the_database_names_its_schema_version_and_the_dashboard_reads_it(tmp_path):
    from dashboard.queries import SUPPORTED_SCHEMA_VERSIONS, db_problem

    db_path = tmp_path / "e.duckdb"
    pipeline.run([SEED_REPORTS], db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        (version,) = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version in SUPPORTED_SCHEMA_VERSIONS
    assert db_problem(db_path) is None
