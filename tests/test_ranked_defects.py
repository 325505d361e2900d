"""Issue #9's chart defects seen in screenshots of ranked bars, and issue #10's review status in chart hovers,
on databases the ETL's writer built (tests/scale_db.py: 300 areas; the seed reports with a real review
store's correction): the home area keeps its breakdowns' colours, the rest note's range reads 至, and a
chart point's hover says its review status only where reviewers are at work."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dash import dcc

from dashboard import queries
from dashboard.figures import HOME_MARK
from dashboard.i18n import t
from dashboard.ranked_figures import rest_note
from dashboard.shaping import RankedRest
from tests.rendered_panel import rendered_panel
from tests.scale_db import build_scale_db
from tests.test_review_apply import build, reviewed  # noqa: F401 (the fixture)

LUOHE = "411100"
STATUS_LABEL = t("rv_mark_label", "zh")


@pytest.fixture(scope="module")
def scale_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_scale_db(tmp_path_factory.mktemp("scale") / "scale.duckdb")


def figures(tree: object) -> list[dict]:
    """The figures of every graph in a panel body, as sent to the browser."""
    found: list[dict] = []

    def walk(component: object) -> None:
        if isinstance(component, dcc.Graph):
            found.append(component.figure.to_plotly_json())
            return
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children] if children is not None else []:
            walk(child)

    walk(tree)
    return found


def home_bars(figure: dict, name: str) -> list[tuple[str, str, float]]:
    """(trace colour of the other bars, the home bar's fill, its outline width) per breakdown trace."""
    found = []
    for trace in figure["data"]:
        labels = trace.get("y") or []
        if trace.get("type") != "bar" or HOME_MARK + name not in labels:
            continue
        at = labels.index(HOME_MARK + name)
        others = {c for i, c in enumerate(trace["marker"]["color"]) if i != at}
        found.append((others, trace["marker"]["color"][at], trace["marker"]["line"]["width"][at]))
    return found


def test_the_home_areas_breakdowns_keep_their_colours_in_ranked_bars(scale_db: Path) -> None:
    with duckdb.connect(str(scale_db), read_only=True) as con:
        codes = [r[0] for r in con.execute("SELECT DISTINCT area_code FROM documents ORDER BY 1").fetchall()]
    home = codes[100]
    name = queries.areas(scale_db).set_index("code").loc[home, "short_name"]
    body = rendered_panel(scale_db, "rescue", f"?home={home}&year=2024&cat=rescue")
    grouped = [bars for f in figures(body) if len(bars := home_bars(f, name)) >= 2]
    assert grouped, "no ranked chart of two breakdowns shows the home area"
    for bars in grouped:
        fills = [fill for _, fill, _ in bars]
        assert len(set(fills)) == len(fills)  # 市级 and 县级 told apart
        for others, fill, outline in bars:
            assert others == {fill} and outline > 0  # its breakdown's colour, outlined


@pytest.mark.parametrize(("lang", "word"), [("zh", " 至 "), ("en", " to ")])
def test_the_rest_notes_range_does_not_read_as_minus_minus(lang: str, word: str) -> None:
    note = rest_note(RankedRest(n=272, median=14800.0, low=-38300.0, high=36300.0), "处", lang)
    assert word in note and "–" not in note


def hover_lines(db: Path, search: str, category: str) -> list[str]:
    return [
        text
        for f in figures(rendered_panel(db, category, search))
        for tr in f["data"]
        for text in tr.get("hovertext") or []
    ]


def test_a_charts_hover_says_a_corrected_values_status(reviewed) -> None:  # noqa: F811
    reports, db, _ = reviewed
    build(reports, db)  # the decisions apply on this run
    hovers = hover_lines(db, f"?area={LUOHE}&cat=plans", "plans")
    corrected = [h for h in hovers if ": 41 " in h]
    assert corrected and all(STATUS_LABEL + t("rv_status_corrected", "zh") in h for h in corrected)
    unreviewed = [h for h in hovers if ": 1,138 " in h]
    assert unreviewed and all(STATUS_LABEL + t("rv_status_extracted", "zh") in h for h in unreviewed)


def test_without_review_no_hover_says_a_status(seed_db: Path) -> None:
    hovers = hover_lines(seed_db, "?cat=plans", "plans")
    assert hovers and not any(STATUS_LABEL in h for h in hovers)
    words = [t(f"rv_status_{s}", "zh") for s in ("extracted", "accepted", "corrected", "manual")]
    assert not any(word in h for h in hovers for word in words)
