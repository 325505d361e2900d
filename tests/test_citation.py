"""Sources a reader can cite: the citation line (出处：…) built in one place, and where it shows — the evidence
panel, the document page, the reports page — from a real database built by the ETL, old ones included."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dash import dcc, html

from dashboard import queries
from dashboard.citation import citation, safe_url
from dashboard.evidence import document_page, evidence_panel
from dashboard.reports import report_frames
from tests.conftest import SEED_REPORTS, run_etl

SZ = "深圳市应急管理局"
TITLE = "深圳市应急管理局2023年工作总结"
URL = "https://yjgl.example.gov.cn/art/2024/1/5/art_1.html"
FULL = {"title": TITLE, "file_name": "sz.html", "publisher": SZ, "published": "2024-01-05", "url": URL}

CITATION_CASES = {
    "everything known": (FULL, "zh", f"出处：{SZ}《{TITLE}》，2024-01-05，{URL}"),
    "everything known, English": (FULL, "en", f"Source: {SZ}, “{TITLE}”, 2024-01-05, {URL}"),
    "no publisher": (FULL | {"publisher": None}, "zh", f"出处：《{TITLE}》，2024-01-05，{URL}"),
    "no publisher, English": (FULL | {"publisher": None}, "en", f"Source: “{TITLE}”, 2024-01-05, {URL}"),
    "no date, no address": (FULL | {"published": None, "url": None}, "zh", f"出处：{SZ}《{TITLE}》"),
    "a NaT date": (FULL | {"published": float("nan"), "url": None}, "en", f"Source: {SZ}, “{TITLE}”"),
    "no title: the file name": (FULL | {"title": None, "url": None}, "zh", f"出处：{SZ}sz.html，2024-01-05"),
    "an address that is no link is left out": (
        FULL | {"url": "javascript:alert(1)"},
        "zh",
        f"出处：{SZ}《{TITLE}》，2024-01-05",
    ),
    "a title on two lines stays one line": (
        FULL | {"title": "深圳市\n2023年 工作总结", "url": None},
        "zh",
        f"出处：{SZ}《深圳市 2023年 工作总结》，2024-01-05",
    ),  # fmt: skip
}


@pytest.mark.parametrize(("doc", "lang", "line"), CITATION_CASES.values(), ids=CITATION_CASES.keys())
def test_citation_line(doc: dict, lang: str, line: str) -> None:
    assert citation(doc, lang) == line


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        (URL, True),
        ("http://www.example.gov.cn/a?id=1", True),
        ("HTTPS://WWW.EXAMPLE.GOV.CN/", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//www.example.gov.cn/a", False),
        ("https://www.example.gov.cn/a b", False),
        ("https://www.example.gov.cn/\u202ea", False),  # a right-to-left override hides where it leads
        ("https://", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_addresses_are_links(url: str | None, linked: bool) -> None:
    assert safe_url(url) == (url if linked else None)


# --- a database with sources: a page's own <meta>, and a manifest's url and publisher --------------------
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ContentSource" content="{SZ}">
<meta name="Url" content="{URL}">
<title>{TITLE}_{SZ}网站</title></head>
<body><h1>{TITLE}</h1>
<p>2023年，全市开展应急演练120场次，检查企业3500家次，整改隐患1200处。</p>
<p>{SZ}</p><p>2024年1月5日</p></body></html>"""
LUOHE_URL = "https://www.example.gov.cn/luohe/2022/1020.html"
MANIFEST = (
    "file,area,year,url,publisher\n"
    f"luohe-2022-pingyi-zhenggai.txt,,,{LUOHE_URL},漯河市应急管理局\n"
    "shanwei-2022-fazhi-zhengfu.txt,,,javascript:alert(1),\n"  # a row error: not applied, run goes on
)


@pytest.fixture(scope="module")
def cited_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cited_db(tmp_path_factory.mktemp("cited_reports"))


def build_cited_db(reports: Path) -> Path:
    """The seed reports, a page with its own <meta>, and a manifest giving one report's url and publisher,
    built by the ETL's command into a database beside the folder."""
    for report in SEED_REPORTS.glob("*.txt"):
        shutil.copy(report, reports / report.name)
    (reports / "sz.html").write_text(PAGE, encoding="utf-8")
    (reports / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    db_path = reports.parent / "cited.duckdb"
    result = run_etl("run", "--reports", reports, "--db", db_path)
    assert result.returncode == 3, result.stdout + result.stderr  # the bad manifest row is reported
    assert "bad url 'javascript:alert(1)'" in result.stdout + result.stderr
    return db_path


def stored(db_path: Path) -> dict[str, tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT file_name, publisher, url FROM documents").fetchall()
    return {name: (publisher, url) for name, publisher, url in rows}


def test_the_etl_stores_url_and_publisher(cited_db: Path) -> None:
    assert stored(cited_db) == {
        "sz.html": (SZ, URL),  # the page's own <meta>
        "luohe-2022-pingyi-zhenggai.txt": ("漯河市应急管理局", LUOHE_URL),  # the manifest
        "shanwei-2022-fazhi-zhengfu.txt": (
            "汕尾市应急管理局",
            None,
        ),  # its signature; the bad row not applied
        "shenzhen-2023-renda-jianyi.txt": (SZ, None),  # 来源 : 深圳市应急管理局
        "shanghai-2024-jianyi-tian.txt": ("上海市应急管理局", None),
        "chongqing-2021-zhengxie-tian-0365.txt": ("重庆市应急管理局", None),
    }


def walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        yield from walk(child)


def by_id(components: list, wanted: str):
    return next(c for part in components for c in walk(part) if getattr(c, "id", None) == wanted)


def doc_id(db_path: Path, file_name: str) -> str:
    documents = queries.documents(db_path)
    return documents.loc[documents["file_name"] == file_name, "id"].iloc[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_evidence_panel_cites_the_report_and_links_its_address(cited_db: Path, lang: str) -> None:
    doc = queries.document(cited_db, doc_id(cited_db, "sz.html"))
    text = doc["text"]
    start = text.index("120")
    panel = evidence_panel(doc, text[start - 10 : start + 10], start - 10, start, start + 3, lang)
    line = (
        f"出处：{SZ}《{TITLE}》，2024-01-05，{URL}"
        if lang == "zh"
        else f"Source: {SZ}, “{TITLE}”, 2024-01-05, {URL}"
    )
    assert by_id(panel, "evidence-citation").children == line
    copy = by_id(panel, "evidence-citation-copy")
    assert isinstance(copy, dcc.Clipboard) and copy.content == line
    link = by_id(panel, "evidence-url")
    assert isinstance(link, html.A) and (link.href, link.children) == (URL, URL)
    assert link.rel == "noopener noreferrer" and link.target == "_blank"


def test_no_address_no_link(cited_db: Path) -> None:
    doc = queries.document(cited_db, doc_id(cited_db, "shenzhen-2023-renda-jianyi.txt"))
    page = document_page(doc, None, None, "zh")
    assert by_id([page], "doc-citation").children == (
        f"出处：{SZ}《深圳市应急管理局关于2023年人大代表建议办理工作的情况报告》，2023-12-11"
    )
    assert not [c for c in walk(page) if isinstance(c, html.A)]


def test_reports_page_lists_publisher_and_address(cited_db: Path) -> None:
    table = report_frames(cited_db, "zh")["documents-table"].set_index("file")
    assert table.loc["sz.html", ["publisher", "url"]].tolist() == [SZ, URL]
    assert table.loc["luohe-2022-pingyi-zhenggai.txt", "url"] == LUOHE_URL
    shanghai = table.loc["shanghai-2024-jianyi-tian.txt"]
    assert shanghai["publisher"] == "上海市应急管理局" and pd.isna(shanghai["url"])


# --- a database from elsewhere: built before the columns existed, or with an address that is no link -----
def altered(db_path: Path, tmp_path: Path, *statements: str) -> Path:
    copy = tmp_path / "altered.duckdb"
    shutil.copy(db_path, copy)
    with duckdb.connect(str(copy)) as con:
        for statement in statements:
            con.execute(statement)
    return copy


def test_a_database_from_before_the_columns_still_shows(cited_db: Path, tmp_path: Path) -> None:
    old = altered(
        cited_db, tmp_path, "ALTER TABLE documents DROP url", "ALTER TABLE documents DROP publisher"
    )
    assert queries.db_problem(old) is None
    doc = queries.document(old, doc_id(old, "sz.html"))
    panel = evidence_panel(doc, "x", 0, None, None, "zh")
    assert by_id(panel, "evidence-citation").children == f"出处：《{TITLE}》，2024-01-05"
    table = report_frames(old, "zh")["documents-table"]
    assert table["publisher"].isna().all() and table["url"].isna().all()


def test_a_stored_address_that_is_no_link_is_never_an_href(cited_db: Path, tmp_path: Path) -> None:
    hostile = altered(cited_db, tmp_path, "UPDATE documents SET url = 'javascript:alert(1)'")
    doc = queries.document(hostile, doc_id(hostile, "sz.html"))
    panel = evidence_panel(doc, "x", 0, None, None, "zh")
    assert not [c for part in panel for c in walk(part) if isinstance(c, html.A)]
    assert "javascript" not in by_id(panel, "evidence-citation").children
    assert report_frames(hostile, "zh")["documents-table"]["url"].isna().all()
