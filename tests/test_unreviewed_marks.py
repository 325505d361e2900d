"""The dashboard marks each value's review status (issue 10, item 3) only where a reviewer is at work: the
database holds a reviewed value, or the review store has a reviewer. Checked on databases the real ETL
built (the seed reports; a rebuild applying a real review store's correction, rejection and addition), in
the table view, the panel tables and their downloads, and the evidence panel through the app's callback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dashboard import page
from dashboard.app import create_app
from dashboard.i18n import t
from dashboard.review.marks import marks_shown, status_text
from dashboard.table_view.layout import table_view_page
from dashboard.table_view.rows import download_frame, view_table
from dashboard.tables import STATUS, csv_bytes
from dashboard.view import load_state
from tests.review_helpers import add_reviewer, review_db
from tests.test_review_apply import CITY_PLANS, MANUAL_EVIDENCE, build, reviewed  # noqa: F401 (the fixture)

LUOHE = "411100"
WORDS = {status: t(f"rv_status_{status}", "zh") for status in ("extracted", "corrected", "manual")}


def table_columns(db: Path, search: str) -> list[str]:
    """The column ids the table view's page shows."""
    table = table_view_page(db, load_state(db, search)[0]).children[-1]
    return [column["id"] for column in table.columns]


def evidence_panel_text(db: Path, fact_id: str) -> str:
    """The evidence panel's content for a clicked value, as the app's own callback answers the click."""
    client = create_app(db).server.test_client()
    response = client.post(
        "/_dash-update-component",
        json={
            "output": "..evidence-body.children...evidence-panel.className..",
            "outputs": [
                {"id": "evidence-body", "property": "children"},
                {"id": "evidence-panel", "property": "className"},
            ],
            "inputs": [
                {"id": "evidence-fact", "property": "data", "value": {"fact": fact_id, "at": 1}},
                {"id": "evidence-close", "property": "n_clicks", "value": None},
            ],
            "state": [{"id": "url", "property": "search", "value": ""}],
            "changedPropIds": ["evidence-fact.data"],
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    return json.dumps(response.get_json()["response"]["evidence-body"], ensure_ascii=False)


def luohe_fact_id(db: Path, category: str, status_word: str) -> str:
    """The fact id (doc/indicator/start) a table view row of Luohe carries, the one row with this status."""
    table = view_table(db, load_state(db, f"?view=table&area={LUOHE}&cat={category}")[0])
    [fact] = table.loc[table[STATUS] == status_word, "fact"]
    return fact


def panel_table_columns(body) -> list[str]:
    """The column ids of the DataTable in a panel body."""
    found = []

    def walk(component) -> None:
        if getattr(component, "page_action", None) == "custom":  # the panel's server-paged table
            found.extend(column["id"] for column in component.columns)
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children] if children is not None else []:
            walk(child)

    walk(body)
    return found


def test_a_deployment_without_review_marks_nothing(seed_db: Path) -> None:
    assert not marks_shown(seed_db)
    columns = panel_table_columns(page.panel_body(seed_db, "plans", "?cat=plans"))
    assert "value" in columns and STATUS not in columns
    assert STATUS not in table_columns(seed_db, "?view=table")
    frame = download_frame(view_table(seed_db, load_state(seed_db, "?view=table")[0]), None, "zh")
    assert t("col_status", "zh") not in frame.columns
    fact = view_table(seed_db, load_state(seed_db, "?view=table&cat=plans")[0])["fact"].iloc[0]
    panel = evidence_panel_text(seed_db, fact)
    assert "evidence-status" not in panel and WORDS["extracted"] not in panel


def test_a_reviewer_account_turns_the_marks_on(tmp_path: Path, seed_db: Path) -> None:
    db = review_db(tmp_path, seed_db)
    assert not marks_shown(db)
    add_reviewer(db)
    assert marks_shown(db)
    columns = table_columns(db, "?view=table")
    assert columns[columns.index("value") + 1] == STATUS
    table = view_table(db, load_state(db, "?view=table")[0])
    assert set(table[STATUS]) == {WORDS["extracted"]}  # nothing reviewed yet: every value 未审核
    panel = evidence_panel_text(db, table["fact"].iloc[0])
    assert t("rv_mark_label", "zh") + WORDS["extracted"] in panel


def test_reviewed_values_are_marked_with_their_status_everywhere(reviewed) -> None:  # noqa: F811
    reports, db, store = reviewed
    build(reports, db)  # the decisions apply on this run
    assert not store.has_users() and marks_shown(db)  # the database's reviewed values turn marks on
    state = load_state(db, f"?view=table&area={LUOHE}&cat=plans")[0]
    table = view_table(db, state)
    by_value = dict(zip(table["value_number"], table[STATUS], strict=True))
    assert by_value[41.0] == WORDS["corrected"] and by_value[77.0] == WORDS["extracted"]
    assert 40.0 not in by_value  # the corrected value is shown, not the extracted one

    panel_state = load_state(db, f"?area={LUOHE}&cat=plans")[0]
    panel_table = page.category_table(db, "plans", panel_state)
    marks = dict(zip(panel_table["value_number"], panel_table[STATUS], strict=True))
    assert marks[41.0] == WORDS["corrected"] and marks[1138.0] == WORDS["extracted"]
    rows = list(csv.reader(io.StringIO(csv_bytes(panel_table, "zh", marks=True).decode("utf-8-sig"))))
    header = rows[0]
    assert header[header.index(t("col_value", "zh")) + 1] == t("col_status", "zh")
    assert t("col_status", "zh") not in csv_bytes(panel_table, "zh").decode("utf-8-sig")
    body_columns = panel_table_columns(page.panel_body(db, "plans", f"?area={LUOHE}&cat=plans"))
    assert body_columns[body_columns.index("value") + 1] == STATUS  # the page's table says it too
    enforcement = page.category_table(db, "enforcement", panel_state)
    added = enforcement[enforcement["indicator"] == "行政处罚"]
    assert list(zip(added["value_number"], added[STATUS], strict=True)) == [(13.0, WORDS["manual"])]

    panel = evidence_panel_text(db, luohe_fact_id(db, "plans", WORDS["corrected"]))
    assert "已更正（原值 40 → 41，wang，" in panel  # the figure as extracted, who corrected it and when
    assert CITY_PLANS.removesuffix("40个") in panel  # the sentence, its figure as the report gives it
    panel = evidence_panel_text(db, luohe_fact_id(db, "enforcement", WORDS["manual"]))
    assert "人工添加（wang，" in panel and MANUAL_EVIDENCE.removeprefix("共设置13") in panel


@pytest.mark.parametrize(
    ("fact", "entries", "lang", "expected"),
    [
        ({"status": "extracted"}, None, "zh", "未审核"),
        ({"status": "corrected", "value": 900.0, "extracted": '{"value": 950.0}'}, None, "zh", "已更正（原值 950 → 900）"),
        ({"status": "corrected", "value": 900.0, "extracted": '{"value": 950.0}'}, None, "en", "corrected (was 950, now 900)"),
        ({"status": "accepted"}, None, "zh", "已确认"),
        ({"status": "manual"}, None, "en", "added by hand"),
    ],
)  # fmt: skip
def test_the_status_line_says_what_the_database_holds(fact, entries, lang, expected) -> None:
    assert status_text(fact, entries, lang) == expected
