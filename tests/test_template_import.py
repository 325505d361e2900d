"""The structured-import template: rows validated one by one against the real catalog and area table, CSV
(UTF-8, GBK) and XLSX read alike, and a real ETL run loading a template's valid rows as facts whose
evidence is their row, exact in the document's text."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.template_reader import area_finder, catalog_indicators, dim_values
from review.template import COLUMNS, TemplateError, document_text, read_rows, validate
from tests.conftest import REPO_ROOT, SEED_REPORTS, run_etl

PUBLISHED = REPO_ROOT / "data" / "templates" / "indicator_template.csv"
HEADER = ",".join(COLUMNS)
GOOD = (
    "440300,2023,rescue_teams,city,,,,51,支,深圳市2023年工作总结",
    '汕尾市,2022,hazards_found,,,,,"1,204",处,',
    "411100,2022,hazard_closure_rate,,,,,99.5,%,整改报告",
)
# (row, expected message) for each bad row, written after the good ones (rows 5 on)
BAD = (
    ("440300,2023,fire_engines,,,,,3,辆,", "row 5: unknown indicator 'fire_engines'"),
    (
        "440300,2023,rescue_personnel,city,,,,51,支,",
        "row 6: unit '支' does not match '人', the unit of 'rescue_personnel'",
    ),
    ("440300,2023,suggestion_satisfaction,,,,,120,%,", "row 7: a rate over 100 (120)"),
    ("440300,1850,drills,,,,,12,场次,", "row 8: bad year '1850': expected a year such as 2023"),
    (
        "火星,2023,drills,,,,,12,场次,",
        "row 9: unknown area '火星': use a short name, full name or 6-digit code",
    ),
    ("440300,2023,drills,,,,,十二,场次,", "row 10: value '十二' is not a number"),
    ("440300,2023,drills,,,,,,场次,", "row 11: missing value"),
    ("440300,2023,drills,city,,,,12,场次,", "row 12: 'drills' has no level"),
    ("440300,2023,plans,galaxy,,,,12,个,", "row 13: unknown level 'galaxy'"),
    ("440300,2023,penalties,,,,,7,次,", None),  # rows 14 and 15 give two values for one figure: neither loads
    ("440300,2023,penalties,,,,,8,次,", None),
    ("440300,2023,rescue_teams,city,,,,51,支,重复", "row 16: repeats row 2 (loaded once)"),
)
CONFLICT = "rows 14, 15 give the same figure different values (7, 8): none loaded"


def template_csv(rows: tuple[str, ...] = GOOD + tuple(row for row, _ in BAD)) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


@pytest.fixture(scope="module")
def checks() -> dict:
    catalog = load_catalog()
    areas = AreaTable.load()
    return {
        "indicators": catalog_indicators(catalog),
        "find_area": area_finder(areas),
        "dim_values": dim_values(catalog),
    }


def test_each_bad_row_gets_one_clear_message_and_good_rows_pass(checks) -> None:
    valid, errors = validate(read_rows(template_csv().encode(), "csv"), **checks)
    assert [(row.row, row.area_code, row.year, row.indicator, row.dims, row.value) for row in valid] == [
        (2, "440300", 2023, "rescue_teams", {"level": "city"}, 51.0),
        (3, "441500", 2022, "hazards_found", {}, 1204.0),
        (4, "411100", 2022, "hazard_closure_rate", {}, 99.5),
    ]
    expected = [message for _, message in BAD if message]
    expected[9:9] = [f"row 14: {CONFLICT}", f"row 15: {CONFLICT}"]
    assert errors == expected


def test_gbk_csv_and_xlsx_read_as_the_utf8_csv() -> None:
    text = template_csv()
    book = openpyxl.Workbook()
    for line in text.splitlines():
        cells = next(csv.reader([line]))
        book.active.append([float(c) if c.replace(".", "").isdigit() and len(c) < 6 else c for c in cells])
    xlsx = io.BytesIO()
    book.save(xlsx)
    utf8 = read_rows(text.encode(), "csv")
    assert read_rows(text.encode("gbk"), "csv") == utf8
    assert read_rows(xlsx.getvalue(), "xlsx") == utf8


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"file,area,year\na.txt,440300,2023\n", "csv"),
        (b"\xff\xfe\x00garbage", "csv"),
        (b"PK\x03\x04xx", "xlsx"),
    ],
    ids=["another header", "undecodable", "damaged xlsx"],
)
def test_what_is_not_a_template_is_refused(raw: bytes, kind: str) -> None:
    with pytest.raises(TemplateError):
        read_rows(raw, kind)


def xlsx_with_doctype(doctype: str, note: str) -> bytes:
    """A template XLSX whose sheet XML declares `doctype` and holds `note` (an entity) in a cell."""
    book = openpyxl.Workbook()
    book.active.append(list(COLUMNS))
    book.active.append(["440300", "2023", "drills", "", "", "", "", "12", "场次", "NOTE"])
    plain = io.BytesIO()
    book.save(plain)
    sheet = "xl/worksheets/sheet1.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == sheet:
                xml = data.decode()
                body = xml[xml.index("<worksheet") :]
                data = (doctype + body.replace("NOTE", note)).encode()
            target.writestr(name, data)
    return out.getvalue()


LAUGHS = "".join(f'<!ENTITY l{i + 1} "{f"&l{i};" * 10}">' for i in range(9))


@pytest.mark.parametrize(
    ("doctype", "note"),
    [
        ('<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
        (f'<!DOCTYPE worksheet [<!ENTITY l0 "ha">{LAUGHS}]>', "&l9;"),
    ],
    ids=["external entity", "billion laughs"],
)
def test_a_hostile_xlsx_is_refused_without_reading_files_or_expanding(doctype: str, note: str) -> None:
    assert (
        read_rows(xlsx_with_doctype("", "plain"), "xlsx")[0]["source_note"] == "plain"
    )  # the same file, tame
    with pytest.raises(TemplateError, match="not a readable XLSX"):
        read_rows(xlsx_with_doctype(doctype, note), "xlsx")


def test_the_text_holds_each_row_on_its_line_with_its_value_span() -> None:
    rows = read_rows(template_csv().encode(), "csv")
    text, spans = document_text(rows)
    assert text.count("\n") == len(rows) - 1
    for row in rows:
        line_start, line_end, start, end = spans[row["row"]]
        assert text[line_start:line_end].startswith(f"row {row['row']} | area: ")
        assert text[start:end] == row["value"] and line_start <= start <= end <= line_end


def test_the_published_template_is_valid(checks) -> None:
    valid, errors = validate(read_rows(PUBLISHED.read_bytes(), "csv"), **checks)
    assert errors == [] and len(valid) == 2


def test_an_etl_run_loads_the_valid_rows_as_facts_with_their_rows_as_evidence(tmp_path: Path) -> None:
    reports, db = tmp_path / "reports", tmp_path / "emergency.duckdb"
    reports.mkdir()
    shutil.copy(SEED_REPORTS / "shenzhen-2023-renda-jianyi.txt", reports)
    (reports / "a1b2c3.csv").write_text(template_csv(), encoding="utf-8")
    (reports / "all-bad.csv").write_text(template_csv(tuple(row for row, _ in BAD[:2])), encoding="gbk")
    (reports / "other.csv").write_text("name,count\nx,1\n", encoding="utf-8")
    result = run_etl("run", "--reports", reports, "--db", db, "--jobs", "1")
    assert result.returncode == 3, (
        result.stdout + result.stderr
    )  # the all-bad and the foreign CSV: quarantined
    with duckdb.connect(str(db), read_only=True) as con:
        facts = con.execute(
            """SELECT f.indicator, f.area_code, f.year, f.value, f.evidence, f.evidence_start, f.start, f."end",
                      d.text, d.doc_type FROM facts f JOIN documents d ON d.id = f.doc_id
               WHERE f.rule = 'import:template' ORDER BY f.start"""
        ).fetchall()
        quarantined = dict(con.execute("SELECT file_name, reason FROM quarantine").fetchall())
        closure = con.execute(
            "SELECT value, rule FROM indicator_values WHERE area_code = '411100' AND indicator = 'hazard_closure_rate'"
        ).fetchall()
    assert [(f[0], f[1], f[2], f[3]) for f in facts] == [
        ("rescue_teams", "440300", 2023, 51.0),
        ("hazards_found", "441500", 2022, 1204.0),
        ("hazard_closure_rate", "411100", 2022, 99.5),
    ]
    for *_, evidence, evidence_start, start, end, text, doc_type in facts:
        assert text[evidence_start : evidence_start + len(evidence)] == evidence and "\n" not in evidence
        assert evidence_start <= start and end <= evidence_start + len(evidence)
        assert doc_type == "import"
    assert [text[start:end] for *_, start, end, text, _ in facts] == ["51", "1,204", "99.5"]
    assert closure == [(99.5, "import:template")]
    assert quarantined["all-bad.csv"].startswith(
        "import template with no valid rows: row 2: unknown indicator"
    )
    assert quarantined["other.csv"] == "unsupported type .csv"
