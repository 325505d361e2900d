"""The seed reports and the development set in every format the ETL reads, extracted by the CLI and
scored against their gold.

Each report becomes, at test time: a government-site HTML page (UTF-8), the same page as GBK bytes that
declare gb2312, the .txt in GBK, a .docx and a PDF that Chromium prints from the page. A file keeps the
report's stem, so its facts map back to its gold lines; no manifest is given anywhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from etl.areas import AreaTable
from etl.ingest import ingest
from etl.score import read_jsonl, score
from tests.fixtures_build import html_page, write_docx
from tests.test_accuracy import SETS as ACCURACY_SETS

ROOT = Path(__file__).resolve().parents[1]
SETS = {name: sorted(s.reports.glob("*.txt")) for name, s in ACCURACY_SETS.items()}  # same bars as there
GOLD = {name: read_jsonl(str(s.gold)) for name, s in ACCURACY_SETS.items()}
ALL_GOLD = [line for lines in GOLD.values() for line in lines]
PRINT_BATCH = 4  # Chromium processes printing at once (2 cores)
EXTRACT_TIMEOUT_S = 60
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PRINT_COMMAND = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu"]
PRINT_TIMEOUT_S = 60
UNTITLED = "建议提案办理情况总结"  # a page title that names neither area nor year, for a seed without one
# Characters GBK lacks, as a GBK text file writes them.
GBK_STANDINS = str.maketrans({"\xa0": " ", "•": "·"})


@cache
def _site_name(seed: Path) -> str:
    """The government site of the seed's gold area (a real page names its site; it settles nothing here)."""
    code = next(g["area_code"] for g in ALL_GOLD if g["doc"] == seed.name)
    return f"{AreaTable.load().by_code(code).name}人民政府门户网站"


def _page(seed: Path, charset: str) -> str:
    """The seed's lines as the article of a page on its area's government site."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    site = _site_name(seed)
    title = ingest(seed).title or UNTITLED
    return html_page(title, [line for line in lines if line.strip()], charset, site=site, info="来源:本网")


def _html_utf8(seed: Path, folder: Path) -> None:
    (folder / f"{seed.stem}.html").write_text(_page(seed, "utf-8"), encoding="utf-8")


def _html_gbk(seed: Path, folder: Path) -> None:
    page = _page(seed, "gb2312").encode("gbk", errors="xmlcharrefreplace")  # &#160; as editors save it
    (folder / f"{seed.stem}.html").write_bytes(page)


def _txt_gbk(seed: Path, folder: Path) -> None:
    text = seed.read_text(encoding="utf-8").translate(GBK_STANDINS)
    (folder / seed.name).write_bytes(text.encode("gbk"))


def _docx(seed: Path, folder: Path) -> None:
    lines = [line for line in seed.read_text(encoding="utf-8").split("\n") if line.strip()]
    write_docx(folder / f"{seed.stem}.docx", lines, [["附表", "说明"]])


FORMATS: dict[str, Callable[[Path, Path], None]] = {
    "html-utf8": _html_utf8,
    "html-gbk": _html_gbk,
    "txt-gbk": _txt_gbk,
    "docx": _docx,
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """One folder per set and format holding the set's reports in it (built once for the module)."""
    built = {}
    for set_name, reports in SETS.items():
        for name, write in FORMATS.items():
            built[set_name, name] = tmp_path_factory.mktemp(f"{set_name}-{name}")
            for report in reports:
                write(report, built[set_name, name])
    return built


def _extract_and_score(folder: Path, set_name: str) -> None:
    """Run `python -m etl extract` on the folder, map each doc back to its seed, assert P and R."""
    result = subprocess.run(
        [sys.executable, "-m", "etl", "extract", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=EXTRACT_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stderr
    assert not result.stderr.strip(), result.stderr  # nothing quarantined
    facts = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    for fact in facts:
        fact["doc"] = f"{Path(fact['doc']).stem}.txt"
    scored = score(GOLD[set_name], facts)
    assert scored.precision >= ACCURACY_SETS[set_name].min_precision, scored.false_positives
    assert scored.recall >= ACCURACY_SETS[set_name].min_recall, scored.false_negatives


@pytest.mark.parametrize("set_name", SETS)
@pytest.mark.parametrize("format_name", FORMATS)
def test_format_scores_like_the_text(folders: dict[tuple[str, str], Path], format_name: str, set_name: str):
    _extract_and_score(folders[set_name, format_name], set_name)


@pytest.mark.browser
@pytest.mark.timeout(PRINT_TIMEOUT_S * 8)
@pytest.mark.parametrize("set_name", SETS)
def test_pdf_printed_by_chromium_scores_like_the_text(
    tmp_path: Path, folders: dict[tuple[str, str], Path], set_name: str
) -> None:
    """Chromium's default print: page header (date, title) and footer (address, page N/M) on every page."""
    pages = sorted(folders[set_name, "html-utf8"].glob("*.html"))
    for start in range(0, len(pages), PRINT_BATCH):
        printing = [
            subprocess.Popen(
                [*PRINT_COMMAND, f"--print-to-pdf={tmp_path / page.with_suffix('.pdf').name}", page.as_uri()],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for page in pages[start : start + PRINT_BATCH]
        ]
        for process in printing:
            process.wait(timeout=PRINT_TIMEOUT_S)
    assert len(list(tmp_path.glob("*.pdf"))) == len(pages)
    _extract_and_score(tmp_path, set_name)
