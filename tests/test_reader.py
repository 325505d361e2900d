"""Reading one report: the warm-up a pool runs before forking its workers (etl/reader.py)."""

from __future__ import annotations

from etl import extract
from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.reader import WARM_UP_TEXT, ReportReader
from tests.conftest import SEED_REPORTS


def test_the_warm_up_text_is_read_into_facts(tmp_path):
    """The built-in text goes through ingest, area detection, the catalog's rules and concepts, so what
    they build on first use is built by `warm`, not by each forked worker."""
    path = tmp_path / "warm-up.txt"
    path.write_text(WARM_UP_TEXT, encoding="utf-8")
    doc, facts = ReportReader(load_catalog(), AreaTable.load()).result(path)
    assert (doc.area_code, doc.year) == ("440300", 2023)
    assert len({fact.indicator for fact in facts}) >= 8
    assert any(fact.dims for fact in facts), "the dims' word lists are read too"


def test_warm_compiles_the_catalog_in_this_process_and_changes_no_result():
    catalog = load_catalog()
    warmed = ReportReader(catalog, AreaTable.load())
    assert id(catalog) not in extract._compiled
    warmed.warm()
    assert id(catalog) in extract._compiled, "compiled before the fork: each worker inherits it"
    cold = ReportReader(load_catalog(), AreaTable.load())
    for path in sorted(SEED_REPORTS.iterdir()):
        assert warmed.result(path) == cold.result(path)
