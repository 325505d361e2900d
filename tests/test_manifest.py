"""manifest.csv: read in the encoding Excel saved it in; bad rows come back as one clear line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.areas import AreaTable
from etl.manifest import ManifestRow, read_manifest

HEADER = "file,area,year,doc_type,published\n"


@pytest.fixture(scope="module")
def areas() -> AreaTable:
    return AreaTable.load()


def write_manifest(folder: Path, text: str, encoding: str = "utf-8") -> Path:
    path = folder / "manifest.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(tmp_path: Path, areas: AreaTable, encoding: str) -> None:
    write_manifest(tmp_path, HEADER + "江永回复.txt,江永县,2021,suggestion_reply,2021-06-04\n", encoding)
    rows, errors = read_manifest(tmp_path, areas)
    assert errors == []
    assert rows == {
        "江永回复.txt": ManifestRow("江永回复.txt", "431125", 2021, "suggestion_reply", "2021-06-04")
    }


ROW_CASES = {
    "short name": ("a.txt,深圳,2023,,", ManifestRow("a.txt", "440300", 2023)),
    "full name": ("a.txt,深圳市,2023,,", ManifestRow("a.txt", "440300", 2023)),
    "code": ("a.txt,411121,2022,,", ManifestRow("a.txt", "411121", 2022)),
    "qualified district": ("a.txt,广州市增城区,,,", ManifestRow("a.txt", "440118")),
    "blank area and year: detect": ("a.txt,,,,", ManifestRow("a.txt")),
    "only a year": ("a.txt,,2021,,", ManifestRow("a.txt", year=2021)),
    "Chinese date": ("a.txt,,,,2021年6月4日", ManifestRow("a.txt", published="2021-06-04")),
    "cells with spaces": (" a.txt , 漯河 , 2022 ,,", ManifestRow("a.txt", "411100", 2022)),
}


@pytest.mark.parametrize(("line", "row"), ROW_CASES.values(), ids=ROW_CASES.keys())
def test_rows(tmp_path: Path, areas: AreaTable, line: str, row: ManifestRow) -> None:
    write_manifest(tmp_path, HEADER + line + "\n")
    rows, errors = read_manifest(tmp_path, areas)
    assert (rows, errors) == ({row.file: row}, [])


ERROR_CASES = {
    "ambiguous short name": ("b.txt,朝阳,2023,,", "ambiguous area '朝阳'"),
    "ambiguous 长沙": ("b.txt,长沙,2023,,", "430100 湖南省长沙市, 430121 湖南省长沙县"),
    "unknown area": ("b.txt,火星,2023,,", "unknown area '火星'"),
    "a province is not an area": ("b.txt,广东省,2023,,", "unknown area '广东省'"),
    "bad year": ("b.txt,深圳,23年,,", "bad year '23年'"),
    "year out of range": ("b.txt,深圳,3136,,", "bad year '3136'"),
    "bad doc_type": ("b.txt,深圳,2023,letter,", "unknown doc_type 'letter'"),
    "bad date": ("b.txt,深圳,2023,,2023-13-01", "bad published date '2023-13-01'"),
    "blank file": (",深圳,2023,,", "the file cell is blank"),
    "a path": ("sub/b.txt,漯河,2022,,", "'sub/b.txt' is a path: give the file's base name only"),
    "a path up": ("../a.txt,漯河,2022,,", "'../a.txt' is a path"),
    "a Windows path": ("..\\a.txt,漯河,2022,,", "is a path"),
    "dot dot": ("..,漯河,2022,,", "is a path"),
}


@pytest.mark.parametrize(("line", "reason"), ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_bad_rows(tmp_path: Path, areas: AreaTable, line: str, reason: str) -> None:
    path = write_manifest(tmp_path, HEADER + "a.txt,深圳,2023,,\n" + line + "\n")
    rows, errors = read_manifest(tmp_path, areas)
    assert list(rows) == ["a.txt"], "a bad row is not applied, the good ones are"
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}: line 3: ")
    assert reason in errors[0]
    assert "\n" not in errors[0]


def test_duplicate_file(tmp_path: Path, areas: AreaTable) -> None:
    write_manifest(tmp_path, HEADER + "a.txt,深圳,2023,,\na.txt,汕尾,2022,,\n")
    rows, errors = read_manifest(tmp_path, areas)
    assert rows["a.txt"].area_code == "440300"
    assert errors == [f"{tmp_path / 'manifest.csv'}: line 3: a.txt is listed twice"]


@pytest.mark.parametrize(
    ("header", "reason"),
    [("file,area\n", "missing columns ['year']"), ("file,area,year,note\n", "unknown columns ['note']")],
)
def test_bad_header(tmp_path: Path, areas: AreaTable, header: str, reason: str) -> None:
    write_manifest(tmp_path, header + "a.txt,深圳,2023\n")
    rows, errors = read_manifest(tmp_path, areas)
    assert rows == {}
    assert len(errors) == 1 and reason in errors[0]


def test_optional_columns_and_blank_lines(tmp_path: Path, areas: AreaTable) -> None:
    write_manifest(tmp_path, "file,area,year\r\na.txt,上海,2024\r\n,,\r\n\r\nb.txt,重庆,2021\r\n")
    rows, errors = read_manifest(tmp_path, areas)
    assert errors == []
    assert rows == {
        "a.txt": ManifestRow("a.txt", "310000", 2024),
        "b.txt": ManifestRow("b.txt", "500000", 2021),
    }


def test_undecodable_and_missing(tmp_path: Path, areas: AreaTable) -> None:
    assert read_manifest(tmp_path, areas) == ({}, [])
    (tmp_path / "manifest.csv").write_bytes(b"file,area,year\n\x80\xff\xfe,1,2\n")
    rows, errors = read_manifest(tmp_path, areas)
    assert rows == {} and "cannot be decoded" in errors[0]


def test_broken_quote_is_an_error_on_its_line_and_later_rows_apply(tmp_path: Path, areas: AreaTable) -> None:
    path = write_manifest(tmp_path, HEADER + 'a.txt,深圳,2023,,\n"b.txt,汕尾,2022,,\nc.txt,上海,2024,,\n')
    rows, errors = read_manifest(tmp_path, areas)
    assert sorted(rows) == ["a.txt", "c.txt"]
    assert len(errors) == 1 and errors[0].startswith(f"{path}: line 3: broken CSV quoting")


@pytest.mark.parametrize("name", ["MANIFEST.CSV", "Manifest.csv"])
def test_name_in_any_case(tmp_path: Path, areas: AreaTable, name: str) -> None:
    (tmp_path / name).write_text(HEADER + "a.txt,深圳,2023,,\n", encoding="utf-8")
    rows, errors = read_manifest(tmp_path, areas)
    assert (list(rows), errors) == (["a.txt"], [])


def test_two_manifests_in_one_folder_apply_neither(tmp_path: Path, areas: AreaTable) -> None:
    write_manifest(tmp_path, HEADER + "a.txt,深圳,2023,,\n")
    (tmp_path / "MANIFEST.CSV").write_text(HEADER + "a.txt,汕尾,2022,,\n", encoding="utf-8")
    rows, errors = read_manifest(tmp_path, areas)
    assert rows == {} and len(errors) == 2
    assert all("2 manifests in one folder" in error for error in errors)


# --- url and publisher: what a citation of the report names -------------------------------------------
SOURCE_HEADER = "file,area,year,url,publisher\n"
SZ_URL = "https://yjgl.example.gov.cn/zwgk/content/post_11065551.html"


@pytest.mark.parametrize(
    ("cells", "url", "publisher"),
    [
        (f"{SZ_URL},深圳市应急管理局", SZ_URL, "深圳市应急管理局"),
        ("http://www.example.gov.cn/a?id=1&p=2,", "http://www.example.gov.cn/a?id=1&p=2", None),
        (",汕尾市应急管理局", None, "汕尾市应急管理局"),
        (" HTTPS://Example.gov.cn/x , ", "HTTPS://Example.gov.cn/x", None),
    ],
)
def test_url_and_publisher(tmp_path: Path, areas: AreaTable, cells: str, url, publisher) -> None:
    write_manifest(tmp_path, SOURCE_HEADER + f"a.txt,深圳,2023,{cells}\n")
    rows, errors = read_manifest(tmp_path, areas)
    assert errors == []
    assert (rows["a.txt"].url, rows["a.txt"].publisher) == (url, publisher)


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("javascript:alert(1),", "bad url 'javascript:alert(1)'"),
        ("ftp://example.gov.cn/a.pdf,", "bad url 'ftp://example.gov.cn/a.pdf'"),
        ("www.sz.gov.cn/a.html,", "bad url 'www.sz.gov.cn/a.html'"),
        ("https://sz.gov.cn/a b.html,", "bad url 'https://sz.gov.cn/a b.html'"),
        ("https://sz.gov.cn/a\x07.html,", "bad url"),
        ("https:///no-host,", "bad url"),
        (",深圳市\x1b[31m应急管理局", "bad publisher"),
    ],
)
def test_bad_url_or_publisher_is_a_row_error(
    tmp_path: Path, areas: AreaTable, cells: str, reason: str
) -> None:
    path = write_manifest(tmp_path, SOURCE_HEADER + "a.txt,深圳,2023,,\n" + f"b.txt,深圳,2023,{cells}\n")
    rows, errors = read_manifest(tmp_path, areas)
    assert list(rows) == ["a.txt"], "the bad row is not applied, the good one is"
    assert len(errors) == 1 and errors[0].startswith(f"{path}: line 3: ") and reason in errors[0]
    assert "\n" not in errors[0]
