"""No raw code on screen (issue 9, defect 5): every code the ETL can store (document types, value flags,
population sources) has words in both languages, the part-year note reads in English in the English UI,
and the chart toolbar speaks Chinese in the Chinese UI. The codes are read from the ETL and the reference
data themselves, so a new one without words fails here."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.code_words import flag_words, period_note_words, population_source_words
from dashboard.figures import graph_config
from dashboard.i18n import LANGS, doc_type_name
from dashboard.reports import reports_page
from etl.catalog import load_catalog
from etl.metadata_patterns import DOC_TYPES
from etl.resolve import FLAG_RATE_MISMATCH, FLAG_RATE_OVER_100, ratios_of
from tests.browser import chromium_browser, live_dashboard, wait_for_charts
from tests.conftest import REPO_ROOT
from tests.scale_db import build_scale_db

CJK = re.compile(r"[\u4e00-\u9fff]")
EXTRACTION_FLAGS = ("unit_inferred", "loose_unit")  # etl/extract.py _unit_factor


def etl_flags() -> list[str]:
    ratios = ratios_of(load_catalog())
    return [FLAG_RATE_MISMATCH, FLAG_RATE_OVER_100, *EXTRACTION_FLAGS, *(r.over_flag for r in ratios)]


@pytest.mark.parametrize("lang", LANGS)
def test_every_document_type_has_a_name(lang):
    for doc_type in DOC_TYPES:
        name = doc_type_name(doc_type, lang)
        assert name != doc_type and "_" not in name
        assert bool(CJK.search(name)) == (lang == "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_every_flag_the_etl_writes_has_words(lang):
    for flag in etl_flags():
        words = flag_words(flag, lang)
        assert words != flag and "_" not in words.split("（")[0]
        assert bool(CJK.search(words)) == (lang == "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_every_population_source_has_words(lang):
    sources = pd.read_csv(REPO_ROOT / "data/reference/population_2020.csv")["source"].dropna().unique()
    assert len(sources) >= 1
    for source in sources:
        words = population_source_words(source, lang)
        assert words != source and bool(CJK.search(words)) == (lang == "zh")


@pytest.mark.parametrize(
    ("note", "english"),
    [
        ("截至2023年8月", "to end of Aug 2023"),
        ("截至8月底", "to end of Aug"),
        ("1-8月", "Jan–Aug"),
        ("2023年1—9月", "Jan–Sep 2023"),
        ("上半年", "first half"),
        ("今年以来", "partial year"),  # a form not known: the period's kind, never Chinese
        ("截至2023年13月", "partial year"),
    ],
)
def test_a_part_year_note_reads_in_english_in_the_english_ui(note, english):
    assert period_note_words(note, "partial", "en") == english
    assert period_note_words(note, "partial", "zh") == note  # the report's own words in Chinese


def test_the_chart_toolbar_asks_for_the_pages_language():
    assert graph_config("x", "zh")["locale"] == "zh-CN"
    assert graph_config("x", "en")["locale"] == "en"
    assert (REPO_ROOT / "assets/plotly-locale-zh-cn.js").is_file()


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_the_toolbar_tooltips_are_chinese_in_the_chinese_ui(tmp_path):
    db = build_scale_db(tmp_path / "emergency.duckdb", areas=4, years=(2024, 2024))
    with live_dashboard(db) as base_url, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(base_url + "/?cat=hazards")
        page.wait_for_selector("#panel-hazards .modebar-btn", state="attached", timeout=20_000)
        wait_for_charts(page)
        titles = page.locator("#panel-hazards .modebar-btn").evaluate_all(
            "buttons => buttons.map(b => b.getAttribute('data-title'))"
        )
        assert "下载图表为PNG格式" in titles and "Download plot as a png" not in titles
        assert all(CJK.search(title) for title in titles if title)


@pytest.mark.parametrize(("lang", "prompt"), [("zh", "筛选…"), ("en", "filter…")])
def test_server_paged_tables_prompt_in_the_pages_language(seed_db, lang, prompt):
    page = reports_page(seed_db, lang)
    tables = [c for c in _walk(page) if getattr(c, "filter_action", None) == "custom"]
    assert tables and all(c.filter_options == {"placeholder_text": prompt} for c in tables)


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        yield from _walk(child)
