"""Refusal reasons in the manager's language (issue 9): the ETL writes why it refused a file in English; the
Chinese UI shows each reason form in Chinese, keeping the technical bits (file names, sizes, codes), and the
English UI shows it as written.

Three guards: a real reason of every form translates; every reason literal in etl/ is covered by a sample
here (so a new ETL message cannot reach the page untranslated unnoticed); and the reasons a real ETL run
writes for real bad files reach the /reports page in Chinese in zh and in English in en.
"""

from __future__ import annotations

import ast
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from dash import dash_table

from dashboard.refusal_reasons import REASONS, UNKNOWN_FORM, chinese, reason_in
from dashboard.reports import report_frames, reports_page
from etl.author_refusals import NO_AREA_EXPLANATIONS
from etl.manifest import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from etl.metadata_patterns import DOC_TYPES
from review.template import COLUMNS as TEMPLATE_COLUMNS
from tests.conftest import REPO_ROOT, run_etl
from tests.fixtures_build import write_image_pdf

# One real reason per form, as the ETL writes it (the f-strings of etl/, filled as a run fills them)
SAMPLES = (
    # review/template.py: an import template's refused rows
    "import template with no valid rows: row 2: unknown indicator 'x'; row 3: missing value, unit; …",
    "row 4: unit '个' does not match '支', the unit of 'rescue_teams'",
    "row 5: a rate over 100 (120)",
    "row 6: value 'abc' is not a number",
    "row 7: value '-3' is not a count or amount",
    "row 8: bad year '23': expected a year such as 2023",
    "row 9: unknown area '某市': use a short name, full name or 6-digit code",
    "row 10: ambiguous area '朝阳' (110105, 220104): use the 6-digit code",
    "row 11: 'plans' has no level",
    "row 12: unknown level 'town'",
    "row 13: rows 13, 14 give the same figure different values (12, 13): none loaded",
    "row 15: repeats row 13 (loaded once)",
    # etl/ingest.py
    "unsupported type .xls (convert to .docx or .pdf)",
    "unsupported type .png",
    "file over 20 MB",
    "empty file",
    "no body text after stripping page furniture",
    "docx is not a valid zip",
    "docx has a broken word/document.xml",
    "docx XML nested deeper than 200 levels",
    "docx has no word/document.xml",
    "docx word/document.xml inflates past 50 MB (zip bomb?)",
    "docx is encrypted (a password is needed to read it)",
    "docx word/document.xml uses an unsupported compression (12)",
    "docx has a damaged word/document.xml (bad zip data)",
    "docx word/document.xml has over 2,000,000 XML tags",
    "PDF is encrypted (a password is needed to read its text)",
    "not a readable PDF",
    "PDF has no text layer (scanned; no OCR offline)",
    "undecodable text",
    "binary file (not text)",
    # etl/extract.py, etl/workers.py, etl/reader.py
    "more than 20,000 figures: no bureau report holds that many",
    "the reading process ended while reading it (exit status -9)",
    "the reading process ended while reading it (exit status None)",
    "over the memory budget: reading it took more than 500 MB",
    "over the time budget: not read and extracted within 0.001 s",
    "internal error: RecursionError: maximum recursion depth exceeded while calling a Python object",
    # etl/scan.py, etl/incremental.py
    "cannot read the file: Permission denied",
    "cannot read the folder: Permission denied; its reports were not read",
    "not a regular file (a pipe, socket or device): not read",
    "symbolic link pointing outside the reports folder: refused, not read",
    "symbolic link to something that is not a regular file: not read",
    "dangling symbolic link: its target does not exist",
    "symbolic link loop: it never reaches a file",
    "cannot follow the symbolic link: Too many levels of symbolic links",
    # etl/metadata.py
    "no detectable year: no year in the title or opening and no date (page label, dateline, signature); "
    "give the year in manifest.csv",
    # etl/authors.py, etl/author_refusals.py
    "no detectable area: 朝阳区应急管理局 is ambiguous (110105 北京市朝阳区, 220104 长春市朝阳区); "
    "give the code in manifest.csv",
    "no detectable area: the document number 粤应急〔2023〕1号 is a province's (广东省); give the area in manifest.csv",
    "no detectable area: the document number's prefix 鑫 names no known area; give the area in manifest.csv",
    "no detectable area: the document number's prefix 朝 may stand for 北京市朝阳区, 辽宁省朝阳市, 朝阳市朝阳县, "
    "长春市朝阳区…; the text does not settle it; give the area in manifest.csv",
    "no detectable area: the text names 南山区应急管理局 only in passing or as the recipient, not as its author; "
    "give the area in manifest.csv",
    "no detectable area: the text names its bureau only as 县应急管理局, with no area name; "
    "give the area in manifest.csv",
    "no detectable area: the text says only 我县; give the area in manifest.csv",
    "no detectable area: looked for an issuing body in the title, headline, byline, speaker line, source line, "
    "signature, 填报单位, yearbook title and document number; give the area in manifest.csv",
    # etl/manifest.py (the reader strips the manifest's path: the row names the manifest)
    "2 manifests in one folder (MANIFEST.CSV, manifest.csv): none applied; keep one",
    "cannot be decoded as UTF-8 or GB18030; save it as CSV UTF-8",
    "line 1: missing columns ['area']; expected file, area, year, doc_type, published",
    "line 1: unknown columns ['colour']; expected file, area, year, doc_type, published",
    "line 11: broken CSV quoting (unexpected end of data): this line is not applied",
    "line 10: g.txt is listed twice",
    "line 8: the file cell is blank",
    "line 7: the file cell '../f.txt' is a path: give the file's base name only",
    "line 2: unknown area '火星': use a short name, full name or 6-digit code",
    "line 3: ambiguous area '朝阳' (110105 北京市朝阳区, 211300 辽宁省朝阳市): use the 6-digit code",
    "line 4: bad year '1850': expected a year such as 2023",
    "line 5: unknown doc_type 'memo': expected one of rule_of_law_report, suggestion_reply, work_summary, other",
    "line 6: bad published date '2023-13-45': expected YYYY-MM-DD",
    "line 7: bad url 'javascript:alert(1)': expected an http:// or https:// address without spaces",
    "line 8: bad publisher '应急\\x07局': expected a name of at most 80 characters",
)

# What a Chinese reason keeps in Latin letters because the user types or sees it so
TECHNICAL = (
    *TEMPLATE_COLUMNS,
    "manifest.csv",
    "word/document.xml",
    "YYYY-MM-DD",
    "http://",
    "https://",
    "UTF-8",
    "GB18030",
    "docx",
    "zip",
    "PDF",
    "OCR",
    "XML",
    "CSV",
    "NUL",
    "MB",
    *REQUIRED_COLUMNS,
    *OPTIONAL_COLUMNS,
    *DOC_TYPES,
)
QUOTED = re.compile(
    r"'[^']*'"  # a manifest cell, as repr() writes it
    r"|\b[A-Z]\w*Error[:：].*$"  # an internal error's type and message, as Python prints them
    r"|[\w.-]+\.(?:txt|docx|pdf|html?|xls|png|csv|CSV)\b"  # a file name
    r"|\.(?:docx|pdf|xls|png)\b"  # an extension
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def english_left(text: str) -> list[str]:
    """The English words of 3+ letters a Chinese reason holds beyond what it quotes."""
    text = QUOTED.sub(" ", text)
    for token in sorted(TECHNICAL, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(token)}(?![A-Za-z])", " ", text)
    return re.findall(r"[A-Za-z]{3,}", text)


def assert_in_chinese(reason: str) -> None:
    translated = chinese(reason)
    assert translated != UNKNOWN_FORM.format(reason=reason), f"no entry for: {reason}"
    assert CJK.search(translated) and not english_left(translated), (reason, translated)


# --- every form ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", SAMPLES)
def test_every_reason_form_reads_in_chinese(reason: str) -> None:
    assert_in_chinese(reason)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("file over 20 MB", "文件超过 20 MB"),
        (
            "unsupported type .xls (convert to .docx or .pdf)",
            "不支持的文件类型 .xls（请转换为 .docx 或 .pdf）",
        ),
        (
            "internal error: RecursionError: maximum recursion depth exceeded",
            "内部错误：RecursionError：maximum recursion depth exceeded",
        ),
        ("line 10: g.txt is listed twice", "第 10 行：g.txt 出现了两次"),
        (
            "no detectable area: the document number 粤应急〔2023〕1号 is a province's (广东省); "
            "give the area in manifest.csv",
            "无法识别发文地区：文号 粤应急〔2023〕1号 是省级（广东省）的文号；请在 manifest.csv 中填写地区",
        ),
        ("cannot read the file: Stale file handle", "无法读取该文件：文件句柄已失效"),
        (
            "the reading process ended while reading it (exit status -9)",
            "读取进程在读取该文件时退出（退出状态 -9）",
        ),
    ],
)
def test_the_technical_bits_are_kept_inside_the_sentence(reason: str, expected: str) -> None:
    assert chinese(reason) == expected


def test_every_entry_has_a_sample() -> None:
    """An entry no reason form uses is dead, or its form lost its sample."""
    unused = [pattern.pattern for pattern, _ in REASONS if not any(pattern.search(s) for s in SAMPLES)]
    assert unused == []


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("a reason a later ETL writes", "未能入库：a reason a later ETL writes"),
        ("line 4: a new manifest problem", "第 4 行：a new manifest problem"),
        (
            "no detectable area: a new clue; give the area in manifest.csv",
            "无法识别发文地区：a new clue；请在 manifest.csv 中填写地区",
        ),
        ("cannot read the file: Broken pipe", "无法读取该文件：Broken pipe"),
        ("", "未能入库："),
    ],
)
def test_an_unknown_form_is_shown_in_english_never_dropped(reason: str, expected: str) -> None:
    assert chinese(reason) == expected


@pytest.mark.parametrize("reason", SAMPLES[:5] + ("a reason a later ETL writes",))
def test_the_english_ui_shows_the_reason_as_written(reason: str) -> None:
    assert reason_in(reason, "en") == reason
    assert reason_in(reason, "zh") == chinese(reason)


# --- the ETL's reason literals ---------------------------------------------------------------------

SCANNED = (REPO_ROOT / "etl", REPO_ROOT / "review")  # the ETL, and the import template it reads
REASON_CALLS = {"Quarantined", "RowError", "refuse"}  # whose string arguments are reasons
REASON_FUNCTIONS = {  # functions whose strings are (parts of) reasons: the calls above take their result
    "_docx_too_big",
    "_link_problem",
    "why_no_area",
    *(explain.__name__ for explain in NO_AREA_EXPLANATIONS),
    "read_manifest",
    "_read_rows",
    "_header_problem",
    "no_valid_rows",
    "_duplicates",
    "_checked_row",
    "_number",
    "_year",
    "_area_code",
    "_dims",
}


def _literals(node: ast.AST) -> Iterator[ast.Constant | ast.JoinedStr]:
    """The string literals under `node`, an f-string as one (not its pieces); docstrings excluded."""
    if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        yield node
        return
    for child in ast.iter_child_nodes(node):
        if not (isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant)):
            yield from _literals(child)


def _fixed_pattern(literal: ast.Constant | ast.JoinedStr) -> str:
    """A regex of the literal's fixed words, each `{value}` between them any text. A value opening it (the
    manifest's path, which the reader strips) and its separator are dropped, and so is one closing it."""
    parts = list(literal.values) if isinstance(literal, ast.JoinedStr) else [literal]
    while parts and not isinstance(parts[0], ast.Constant):
        parts.pop(0)
    while parts and not isinstance(parts[-1], ast.Constant):
        parts.pop()
    pieces = [re.escape(part.value) if isinstance(part, ast.Constant) else ".+?" for part in parts]
    return re.escape(parts[0].value.lstrip(":; ")) + "".join(pieces[1:]) if parts else ""


def _name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def reason_literals() -> Iterator[tuple[str, str]]:
    """(module:line, pattern) of every reason literal in etl/*.py and review/*.py that holds a phrase of
    fixed words."""
    for path in sorted(path for folder in SCANNED for path in folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node) in REASON_CALLS:
                found = [literal for arg in node.args for literal in _literals(arg)]
            elif isinstance(node, ast.FunctionDef) and node.name in REASON_FUNCTIONS:
                found = list(_literals(node))
            else:
                continue
            for literal in found:
                pattern = _fixed_pattern(literal)
                if re.search(r"[A-Za-z]{3,}\\? ", pattern):  # words, not a group name or a joiner
                    yield f"{path.name}:{literal.lineno}", pattern


def test_the_scan_finds_the_reason_literals() -> None:
    """The scan sees the forms it must (else the test below would pass on nothing)."""
    found = {where.split(":")[0] for where, _ in reason_literals()}
    assert {"ingest.py", "scan.py", "manifest.py", "authors.py", "author_refusals.py", "metadata.py"} <= found
    assert len(list(reason_literals())) >= len(SAMPLES) - 5


@pytest.mark.parametrize(("where", "pattern"), sorted(set(reason_literals())))
def test_every_reason_literal_in_the_etl_has_a_sample(where: str, pattern: str) -> None:
    """A new reason form in etl/ must get a sample above, which then must translate."""
    assert any(re.search(pattern, sample) for sample in SAMPLES), f"{where}: no sample of {pattern!r}"


# --- a real run ------------------------------------------------------------------------------------

DATED = "\n2023年5月1日"
WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BAD_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b"  \r\n\n ",
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4,
    "garbage.txt": b"\x80\xff\x81" * 64,
    "table.xls": b"\xd0\xcf\x11\xe0" + b"x" * 64,
    "photo.png": b"x" * 64,
    "fake.docx": "不是压缩包".encode(),
    "fake.pdf": b"%PDF-1.4 broken",
    "nav.html": "<html><body><nav><a>首页</a></nav><p>返回顶部</p></body></html>".encode(),
    "no-year.txt": "今年以来…\n汕尾市应急管理局\n5月14日\n".encode(),
    "our-county.txt": ("今年以来,我县共排查隐患120处。" + DATED).encode(),
    "province-number.txt": ("粤应急〔2023〕1号\n正文" + DATED).encode(),
    "unknown-prefix.txt": ("鑫应急〔2023〕1号\n正文" + DATED).encode(),
    "one-char-prefix.txt": ("朝应急〔2023〕1号\n正文" + DATED).encode(),
    "in-passing.txt": ("会同南山区应急管理局开展检查。" + DATED).encode(),
    "rank-only.txt": ("正文。\n县应急管理局" + DATED).encode(),
    "no-clue.txt": ("正文。" + DATED).encode(),
    "ambiguous.txt": "正文\n朝阳区应急管理局\n2023年1月9日".encode(),
}
MANIFEST = (
    "file,area,year,doc_type,published\n"
    "a.txt,火星,2023,,\nb.txt,朝阳,2023,,\nc.txt,深圳,1850,,\nd.txt,深圳,2023,memo,\n"
    'e.txt,深圳,2023,,2023-13-45\n../f.txt,深圳,2023,,\n,深圳,2023,,\ng.txt,深圳,2023,,\ng.txt,深圳,2023,,\n"h.txt\n'
)
BAD_MANIFESTS = {
    "missing": b"file,year\n",
    "unknown": b"file,area,year,colour\n",
    "undecodable": b"\xff\xfe\x80abc",
}


def _write_docx(path: Path, document_xml: bytes, method: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if document_xml:
            archive.writestr("word/document.xml", document_xml)


def _write_bad_docx(folder: Path) -> None:
    """No document.xml, broken XML, bzip2, nested too deep, and stored data whose CRC no longer matches."""
    deep = f"<w:document {WORD}><w:body>{'<w:sdt>' * 300}{'</w:sdt>' * 300}</w:body></w:document>"
    _write_docx(folder / "no-xml.docx", b"")
    _write_docx(folder / "broken-xml.docx", b"<w:document")
    _write_docx(folder / "bzip.docx", b"<x/>", zipfile.ZIP_BZIP2)
    _write_docx(folder / "deep.docx", deep.encode())
    _write_docx(folder / "damaged.docx", b"<w:document>CORRUPTED-HERE</w:document>", zipfile.ZIP_STORED)
    damaged = folder / "damaged.docx"
    damaged.write_bytes(damaged.read_bytes().replace(b"CORRUPTED-HERE", b"corrupted-here"))


def _write_encrypted_pdf(path: Path) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    sheet = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="o"))
    sheet.drawString(100, 700, "12 drills")
    sheet.showPage()
    sheet.save()


def _write_unreadable_entries(folder: Path, outside: Path) -> None:
    """Links the walk cannot follow or must refuse, a pipe, a file past the size cap."""
    (folder / "dangling.txt").symlink_to(outside / "nowhere.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (outside / "secret.txt").write_text("正文", encoding="utf-8")
    (folder / "escape.txt").symlink_to(outside / "secret.txt")
    os.mkfifo(folder / "pipe.txt")
    with (folder / "huge.txt").open("wb") as huge:
        huge.truncate(21 * 1024 * 1024)


def _write_manifests(folder: Path) -> None:
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    for name, content in BAD_MANIFESTS.items():
        (folder / name).mkdir()
        (folder / name / "manifest.csv").write_bytes(content)
    (folder / "two").mkdir()
    for name in ("manifest.csv", "MANIFEST.CSV"):
        (folder / "two" / name).write_text("file,area,year\n", encoding="utf-8")


@pytest.fixture(scope="module")
def refused_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database the real ETL builds from a folder of files it must refuse, each for its own reason."""
    base = tmp_path_factory.mktemp("refused")
    reports, outside = base / "reports", base / "outside"
    reports.mkdir()
    outside.mkdir()
    for name, content in BAD_FILES.items():
        (reports / name).write_bytes(content)
    _write_bad_docx(reports)
    write_image_pdf(reports / "scan.pdf")
    _write_encrypted_pdf(reports / "locked.pdf")
    _write_unreadable_entries(reports, outside)
    _write_manifests(reports)
    result = run_etl("run", "--reports", reports, "--db", base / "e.duckdb")
    assert result.returncode == 3, result.stdout + result.stderr
    return base / "e.duckdb"


def _stored_reasons(db_path: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute("SELECT file_name, reason FROM quarantine ORDER BY file_name, reason").fetchall()


def test_every_reason_a_real_run_writes_reads_in_chinese(refused_db: Path) -> None:
    stored = _stored_reasons(refused_db)
    forms = {pattern.pattern for _, reason in stored for pattern, _ in REASONS if pattern.search(reason)}
    assert len(forms) >= 44, "each bad file is refused for the reason it was made for (nested forms count)"
    for _, reason in stored:
        assert_in_chinese(reason)


def _table_rows(component: object, table_id: str) -> list[dict]:
    """The rows the DataTable `table_id` of a component tree first shows."""
    if isinstance(component, dash_table.DataTable) and component.id["table"] == table_id:
        return component.data
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if rows := _table_rows(child, table_id):
            return rows
    return []


PAGE_REASONS = {
    "zh": {"empty.txt": "空文件", "locked.pdf": "PDF 已加密（需要密码才能读取文字）"},
    "en": {
        "empty.txt": "empty file",
        "locked.pdf": "PDF is encrypted (a password is needed to read its text)",
    },
}


@pytest.mark.parametrize("lang", PAGE_REASONS)
def test_the_reports_page_shows_the_reasons_in_the_ui_language(refused_db: Path, lang: str) -> None:
    frame = report_frames(refused_db, lang)["quarantine-table"]
    stored = [reason for _, reason in _stored_reasons(refused_db)]
    assert sorted(frame["reason"]) == sorted(reason_in(reason, lang) for reason in stored)
    page = reports_page(refused_db, lang)
    shown = {row["file"]: row["reason"] for row in _table_rows(page, "quarantine-table")}
    assert {name: shown[name] for name in PAGE_REASONS[lang]} == PAGE_REASONS[lang]
