""" "Per 10,000 residents" divides only the indicators the catalog marks `per_capita` (issue #9): plans,
suggestions handled and rates keep their plain value and unit, and the caption says so. On the database
the ETL builds from the seed reports."""

from __future__ import annotations

import duckdb
import pytest

from dashboard import page, queries
from dashboard.i18n import t
from dashboard.shaping import PER_10K, unit_label
from dashboard.view import load_state
from tests.rendered_panel import rendered_panel

PER_VIEW = "?area=深圳,漯河,汕尾,上海,重庆&per=10k"


def texts(component: object) -> list[str]:
    """Every string in a Dash component tree."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list | tuple):
        return [text for child in component for text in texts(child)]
    return texts(getattr(component, "children", None) or [])


def shaped(db_path, category: str, query: str) -> dict:
    state, _, _, _ = load_state(db_path, query)
    return page.category_shaped(db_path, category, *page.base_view(db_path, state))


def test_the_catalog_flag_is_stored_and_read(seed_db):
    with duckdb.connect(str(seed_db), read_only=True) as con:
        stored = dict(con.execute("SELECT id, per_capita FROM indicators").fetchall())
    assert stored["plans"] is False and stored["rescue_teams"] is True
    read = queries.indicators(seed_db).set_index("id")["per_capita"]
    assert read.to_dict() == stored


@pytest.mark.parametrize("indicator, category", [("plans", "plans"), ("suggestions", "suggestions")])
def test_a_count_that_does_not_grow_with_the_population_keeps_its_value(seed_db, indicator, category):
    rows = shaped(seed_db, category, PER_VIEW)[indicator]
    assert len(rows) > 0 and rows["population"].notna().all()
    assert rows["shown"].tolist() == rows["value"].tolist()


def test_a_count_that_grows_with_the_population_is_divided(seed_db):
    rows = shaped(seed_db, "rescue", PER_VIEW)["rescue_teams"]
    assert len(rows) > 0
    expected = (rows["value"] / rows["population"] * PER_10K).tolist()
    assert rows["shown"].tolist() == pytest.approx(expected)
    assert (rows["shown"] != rows["value"]).all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_unit_says_per_10k_only_where_divided(seed_db, lang):
    indicators = queries.indicators(seed_db).set_index("id", drop=False)
    plans, teams = indicators.loc["plans"], indicators.loc["rescue_teams"]
    assert unit_label(plans, lang, "10k") == unit_label(plans, lang, None)
    assert unit_label(teams, lang, "10k") == t("per_10k_unit", lang, unit=unit_label(teams, lang, None))


def test_the_caption_says_which_charts_are_not_divided(seed_db):
    plans = texts(rendered_panel(seed_db, "plans", PER_VIEW))
    rescue = texts(rendered_panel(seed_db, "rescue", PER_VIEW))
    not_divided = t("caption_not_per_capita", "zh")
    assert not_divided in plans and not_divided not in rescue
    assert not any(text.startswith("人口：") for text in plans)
    assert any(text.startswith("人口：") for text in rescue)
    assert not_divided not in texts(rendered_panel(seed_db, "plans", PER_VIEW.replace("&per=10k", "")))
