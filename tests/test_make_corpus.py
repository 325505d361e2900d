"""The scale corpus maker: a small corpus (3 cities × 2 years) read back by the real ETL and scored."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from etl.areas import AreaTable
from etl.model import Document, Fact
from etl.pipeline import extract_paths
from etl.score import read_jsonl, score
from tests.conftest import REPO_ROOT
from tests.corpus_templates import TEMPLATES
from tests.make_corpus import CorpusInfo, make_corpus, pick_areas

AREAS, YEARS = 3, (2015, 2016)  # 2015: every year of the templates shifted by seven


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusInfo:
    return make_corpus(tmp_path_factory.mktemp("corpus"), AREAS, YEARS, seed=0)


@pytest.fixture(scope="module")
def extracted(corpus: CorpusInfo) -> list[tuple[Document, list[Fact]]]:
    """What the real ETL reads from the corpus: (document, area facts) per report; none refused."""
    read = list(extract_paths([corpus.out], budget_s=None))
    assert not [q for _d, _f, q in read if q]  # the hidden gold is not walked as a report
    return [(doc, facts) for doc, facts, _q in read if doc]


def _reports(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.txt"))}


def test_one_file_per_city_year_and_template(corpus: CorpusInfo) -> None:
    expected = {
        f"{code}-{year}-{spec.name}.txt"
        for code in corpus.areas
        for year in (2015, 2016)
        for spec in TEMPLATES
    }
    assert corpus.files == len(expected) == AREAS * 2 * len(TEMPLATES)
    assert set(_reports(corpus.out)) == expected
    assert corpus.bytes == sum(len(data) for data in _reports(corpus.out).values())
    assert corpus.years == [2015, 2016] and corpus.gold == corpus.out / ".gold.jsonl"


def test_same_seed_same_bytes_other_seed_other_figures(corpus: CorpusInfo, tmp_path: Path) -> None:
    again = make_corpus(tmp_path / "again", AREAS, YEARS, seed=0)
    assert _reports(again.out) == _reports(corpus.out)
    assert again.gold.read_bytes() == corpus.gold.read_bytes()
    other = make_corpus(tmp_path / "other", AREAS, YEARS, seed=1)
    assert set(_reports(other.out)) == set(_reports(corpus.out))
    changed = [name for name, data in _reports(other.out).items() if data != _reports(corpus.out)[name]]
    assert len(changed) == corpus.files
    values = {(g["doc"], g["indicator"], str(g["dims"]), g["value"]) for g in read_jsonl(str(corpus.gold))}
    other_values = {
        (g["doc"], g["indicator"], str(g["dims"]), g["value"]) for g in read_jsonl(str(other.gold))
    }
    assert len(values - other_values) > len(values) // 2


def test_the_etl_reads_each_report_as_its_city_and_year(corpus: CorpusInfo, extracted: list) -> None:
    read = {doc.file_name: doc for doc, _facts in extracted}
    assert set(read) == set(_reports(corpus.out))
    for name, doc in read.items():
        code, year = name.split("-")[:2]
        assert (doc.area_code, doc.year) == (code, int(year)), name


def test_no_trace_of_the_seed_cities_or_their_years(corpus: CorpusInfo) -> None:
    """Every 漯河/汕尾, 河南/广东 (but the named other places) and 2021-2023 is rewritten."""
    for name, data in _reports(corpus.out).items():
        text = data.decode("utf-8")
        assert not re.search("漯河|汕尾|广东|红草镇|粤", text), name
        assert text.count("河南") == text.count("河南郑州") + text.count("河南理工大学"), name
        assert set(re.findall(r"(?<![\d.])(20[12]\d)(?=年|-\d)", text.replace("(2021-2025)", ""))) <= {
            "2014",
            "2015",
            "2016",
            "2017",
        }


def test_gold_evidence_is_in_the_report_and_the_etl_scores_one(corpus: CorpusInfo, extracted: list) -> None:
    gold = read_jsonl(str(corpus.gold))
    reports = {name: data.decode("utf-8") for name, data in _reports(corpus.out).items()}
    assert {g["doc"] for g in gold} == set(reports)
    assert all(g["evidence"] in reports[g["doc"]] for g in gold)
    predictions = [
        f.to_json() for _doc, facts, _q in extract_paths([corpus.out], budget_s=None) for f in facts
    ]
    result = score(gold, predictions)
    assert (result.precision, result.recall) == (1.0, 1.0), result.false_positives + result.false_negatives
    assert result.tp == sum(g["status"] == "required" for g in gold)


def test_varied_figures_keep_their_relations(corpus: CorpusInfo) -> None:
    """Rates stay within 0-100 and rectified <= found, as in the templates."""
    by_doc: dict[str, dict[str, float]] = {}
    for g in read_jsonl(str(corpus.gold)):
        by_doc.setdefault(g["doc"], {})[g["indicator"]] = g["value"]
        assert g["value"] > 0
        if g["unit"] == "%":
            assert 0 < g["value"] <= 100
    assert all(
        d["hazards_rectified"] <= d["hazards_found"] for d in by_doc.values() if "hazards_rectified" in d
    )


def test_areas_are_spread_across_provinces_and_300_is_possible() -> None:
    table = AreaTable.load()
    picked = pick_areas(table, 300)
    assert len({a.code for a in picked}) == 300
    assert all(a.level == "city" and a.province_code != a.code for a in picked)
    first = pick_areas(table, 20)
    assert len({a.province_code for a in first}) == 20
    with pytest.raises(ValueError, match="--areas must be 1 to"):
        pick_areas(table, 1000)


def test_cli_prints_one_summary_line_and_refuses_a_bad_range(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "tests.make_corpus", *args, "--out", str(tmp_path)]
        return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)

    done = cli("--areas", "1", "--years", "2020")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"2 files, [\d.]+ MB, [\d.]+ s -> .*\n", done.stdout)
    refused = cli("--areas", "1", "--years", "2024-2015")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"make_corpus: {tmp_path}: --years 2024-2015: the first year is after the last"
    ]
