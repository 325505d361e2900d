"""Uploads to the review desk: the type told from the content (never the name), the limits, storage by
content hash (the same file twice recognised, a refused one leaving nothing), and over HTTP an upload by a
signed-in reviewer stored and run through the real ETL in the background into the dashboard's database."""

from __future__ import annotations

import io
import json
import time
import zipfile

import duckdb
import pytest
import requests

from dashboard.review.etl_runs import REPORTS_ENV, EtlRuns
from dashboard.review.uploads import MAX_BYTES, MAX_FILES, sniff, store_upload, store_uploads, uploaded_names
from tests.browser import live_dashboard
from tests.conftest import SEED_REPORTS, run_etl
from tests.fixtures_build import html_page, write_docx, write_pdf
from tests.review_helpers import add_reviewer, call, page_token, rid, sign_in, upload

pytestmark = pytest.mark.timeout(240)
SHANWEI = SEED_REPORTS / "shanwei-2022-fazhi-zhengfu.txt"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
TEMPLATE_CSV = (
    "area,year,indicator,level,field,kind,role,value,unit,source_note\n440300,2023,drills,,,,,12,场次,x\n"
)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_kind_is_told_from_the_content(tmp_path):
    docx = write_docx(
        tmp_path / "a.docx", ["汕尾市应急管理局2022年工作总结"], [["项目", "数量"]]
    ).read_bytes()
    pdf = write_pdf(tmp_path / "a.pdf", "汕尾市应急管理局", ["2022年开展演练12场次。"]).read_bytes()
    page = html_page("汕尾市应急管理局2022年法治政府建设年度报告", ["开展演练12场次。"], charset="gbk")
    assert sniff(SHANWEI.read_bytes()) == "txt"
    assert sniff(SHANWEI.read_text(encoding="utf-8").encode("gb18030")) == "txt"
    assert sniff(page.encode("gbk")) == "html"
    assert sniff(docx) == "docx"
    assert sniff(pdf) == "pdf"
    assert sniff(TEMPLATE_CSV.encode()) == "csv"
    assert sniff(zip_of({"xl/workbook.xml": b"<workbook/>"})) == "xlsx"


@pytest.mark.parametrize(
    "data",
    [
        PNG,  # an image
        b"MZ\x90\x00\x03\x00\x00\x00" + bytes(100),  # a Windows executable
        zip_of({"payload.exe": b"MZ"}),  # a zip that is no docx or xlsx
        b"PK\x03\x04 not really a zip",
        b"   \n\t ",  # blank text
        "汕尾".encode() + b"\x00\x01\x02",  # text with binary bytes
    ],
)
def test_what_is_no_report_is_refused_and_leaves_nothing(tmp_path, data):
    result = store_upload(tmp_path, "report.txt", data, set())  # the name says txt: the content decides
    assert result.outcome == "refused"
    assert list(tmp_path.iterdir()) == []


def test_a_report_is_stored_by_hash_and_recognised_twice(tmp_path):
    data = SHANWEI.read_bytes()
    first = store_upload(tmp_path, "../../etc/passwd\n汕尾.txt", data, set())
    assert first.outcome == "stored"
    stored = tmp_path / f"{first.sha256}.txt"
    assert stored.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == [stored.name]
    assert uploaded_names(tmp_path) == {first.sha256: "../../etc/passwd 汕尾.txt"}  # a label, never a path
    again = store_upload(tmp_path, "another name.txt", data, set())
    assert (again.outcome, again.detail) == ("known", stored.name)
    loaded = store_upload(tmp_path / "other", "x.txt", data, {first.sha256})  # in the database already
    assert loaded.outcome == "known"
    assert not (tmp_path / "other").exists() or not any((tmp_path / "other").glob("*.txt"))


def test_the_limits(tmp_path):
    too_big = store_upload(tmp_path, "big.txt", b"a" * (MAX_BYTES + 1), set())
    assert (too_big.outcome, too_big.detail) == ("refused", "too_big")
    files = [(f"{n}.txt", f"汕尾市应急管理局 第{n}号".encode()) for n in range(MAX_FILES + 1)]
    assert {r.detail for r in store_uploads(tmp_path, files, set())} == {"too_many"}
    assert list(tmp_path.iterdir()) == []
    assert {r.outcome for r in store_uploads(tmp_path, files[:MAX_FILES], set())} == {"stored"}


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A live dashboard over a database of four seed reports (the fifth is uploaded), one reviewer."""
    folder = tmp_path_factory.mktemp("review_upload")
    reports = folder / "reports"
    reports.mkdir()
    for path in SEED_REPORTS.glob("*.txt"):
        if path != SHANWEI:
            (reports / path.name).write_bytes(path.read_bytes())
    db_path = folder / "emergency.duckdb"
    assert run_etl("run", "--reports", reports, "--db", db_path).returncode == 0
    add_reviewer(db_path)
    with live_dashboard(db_path, env={"DASHBOARD_REPORTS": str(reports)}) as base_url:
        yield base_url, db_path


def wait_for_run(session: requests.Session, base: str, token: str, timeout: float = 120) -> str:
    """Poll the run's status as the page does until a run has finished; its status text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = call(
            session,
            base,
            [(rid("run-status"), "children"), (rid("documents"), "children"), (rid("run-seen"), "data")],
            [(rid("run-poll"), "n_intervals", 1), (rid("rebuild"), "n_clicks", None)],
            [(rid("run-seen"), "data", None), (rid("csrf"), "data", token), ("url", "search", "?lang=en")],
        )
        assert response.status_code == 200
        if "rv-finished" in response.text:
            return response.text
        time.sleep(0.5)
    raise TimeoutError("the ETL run did not finish")


def test_an_upload_is_stored_and_loaded_by_the_etl_in_the_background(desk):
    base, db_path = desk
    session = requests.Session()
    sign_in(session, base)
    token = page_token(session, base, "/review")
    started = time.monotonic()
    response = upload(session, base, [("汕尾 2022.txt", SHANWEI.read_bytes()), ("logo.png", PNG)], token)
    assert response.status_code == 200
    assert time.monotonic() - started < 10  # answered before the ETL ends: the run is in the background
    assert "rv-upload-stored" in response.text and "rv-upload-refused" in response.text
    status = wait_for_run(session, base, token)
    assert "everything loaded" in status
    uploads = db_path.parent / "uploads"
    with duckdb.connect(str(db_path), read_only=True) as con:
        paths = [
            row[0] for row in con.execute("SELECT path FROM documents WHERE path LIKE '%uploads%'").fetchall()
        ]
        n_facts = con.execute(
            "SELECT count(*) FROM facts f JOIN documents d ON d.id = f.doc_id WHERE d.path LIKE '%uploads%'"
        ).fetchone()[0]
    assert [p.rsplit("/", 1)[-1] for p in paths] == [next(uploads.glob("*.txt")).name]
    assert n_facts > 0
    again = upload(session, base, [("same again.txt", SHANWEI.read_bytes())], token)
    assert "rv-upload-known" in again.text and "rv-upload-stored" not in again.text
    assert len(list(uploads.glob("*.txt"))) == 1
    listed = call(
        session,
        base,
        [(rid("run-status"), "children"), (rid("documents"), "children"), (rid("run-seen"), "data")],
        [(rid("run-poll"), "n_intervals", 2), (rid("rebuild"), "n_clicks", None)],
        [(rid("run-seen"), "data", "an older run"), (rid("csrf"), "data", token), ("url", "search", "")],
    )
    assert "汕尾 2022.txt" in json.dumps(listed.json(), ensure_ascii=False)  # listed by its uploaded name


TEMPLATE_ROWS = """area,year,indicator,level,field,kind,role,value,unit,source_note
440300,2019,drills,,,,,12,场次,good
440300,2019,hazard_closure_rate,,,,,101,%,a rate over 100
440300,2019,no_such_indicator,,,,,5,个,unknown
440300,2019,rescue_teams,city,,,,7,人,wrong unit
440300,2019,fines,,,,,3,万元,same figure
440300,2019,fines,,,,,4,万元,same figure, another value
"""


def test_a_template_is_checked_row_by_row_and_its_valid_rows_load(desk):
    base, db_path = desk
    session = requests.Session()
    sign_in(session, base)
    token = page_token(session, base, "/review")
    nothing_valid = "\n".join(TEMPLATE_ROWS.splitlines()[:1] + TEMPLATE_ROWS.splitlines()[2:4]).encode()
    refused = upload(session, base, [("bad.csv", nothing_valid)], token)
    assert "rv-upload-refused" in refused.text and "rv-upload-stored" not in refused.text
    assert not list((db_path.parent / "uploads").glob("*.csv"))
    response = upload(session, base, [("深圳 2019.csv", TEMPLATE_ROWS.encode("gb18030"))], token)
    shown = json.dumps(response.json(), ensure_ascii=False)
    assert "rv-upload-stored" in shown
    for row, reason in [
        (3, "rate over 100"),
        (4, "unknown indicator"),
        (5, "does not match"),
        (6, "different value"),
        (7, "different value"),
    ]:
        assert f"row {row}: " in shown and reason in shown
    assert "row 2:" not in shown
    wait_for_run(session, base, token)
    with duckdb.connect(str(db_path), read_only=True) as con:
        loaded = con.execute(
            "SELECT indicator, value FROM facts WHERE area_code = '440300' AND year = 2019 ORDER BY indicator"
        ).fetchall()
    assert loaded == [("drills", 12.0)]


def test_one_run_at_a_time(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / SHANWEI.name).write_bytes(SHANWEI.read_bytes())
    monkeypatch.setenv(REPORTS_ENV, str(reports))
    runs = EtlRuns(tmp_path / "emergency.duckdb", tmp_path / "uploads")
    assert runs.state() == {} and not runs.running()
    assert runs.start()
    assert runs.running()
    assert not runs.start()  # refused while the first runs
    assert not EtlRuns(tmp_path / "emergency.duckdb", tmp_path / "uploads").start()  # from anywhere
    deadline = time.monotonic() + 120
    while (runs.running() or "returncode" not in runs.state()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert runs.state()["returncode"] == 0
    assert "documents: 1 files read, 1 loaded" in runs.output_tail()
