"""Peer context drawn by plotly.js in a real headless Chromium (issue #9, item 2 and defect 9): on a small
database of six cities (five in 广东) written by the ETL's own writer, the home area's rank is under the
chart, the median and the province's median are dashed lines labelled inside the plot, and a part-year
value and a figure from a reply to a proposal carry their footnote marks on the bar, under the chart and
in the table."""

from __future__ import annotations

import hashlib

import pytest

from etl.areas import AreaTable
from etl.catalog import load_catalog
from etl.load import build_database
from etl.model import Document, Fact
from tests.browser import WAIT_MS, chromium_browser, live_dashboard

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

# code: (drills held in 2023, period note of a part-year figure, document type)
DRILLS = {
    "440100": (120, None, "work_summary"),  # 广州
    "440300": (80, None, "work_summary"),  # 深圳, the home area: 2nd of 6
    "440400": (80, "截至2023年8月", "work_summary"),  # 珠海: tied with 深圳, part-year
    "440600": (40, None, "suggestion_reply"),  # 佛山: from a reply to a proposal
    "441500": (20, None, "work_summary"),  # 汕尾
    "411100": (10, None, "work_summary"),  # 漯河, 河南
}
VIEW = "/?area=广州,深圳,珠海,佛山,汕尾,漯河&home=深圳&year=2023&cat=drills"


def report(area, note: str | None, doc_type: str, value: int) -> tuple[Document, Fact]:
    text = f"{area['name']}应急管理局2023年工作情况\n2023年，组织应急演练{value}场次。"
    start = text.index(str(value))
    doc = Document(
        hashlib.sha256(text.encode()).hexdigest(), f"{area['code']}.txt", f"/p/{area['code']}.txt", text
    )
    doc.title, doc.area_code, doc.area, doc.year = (
        text.splitlines()[0],
        area["code"],
        area["short_name"],
        2023,
    )
    doc.doc_type, doc.published = doc_type, "2024-01-15"
    sentence_start = text.index("2023年，")
    fact = Fact(
        doc=doc.file_name,
        doc_id=doc.id,
        area=doc.area,
        area_code=doc.area_code,
        year=2023,
        indicator="drills",
        dims={},
        value=float(value),
        unit="场次",
        approx=None,
        evidence=text[sentence_start:],
        evidence_start=sentence_start,
        start=start,
        end=start + len(str(value)),
        rule="test",
        period="partial" if note else "year",
        period_note=note,
    )
    return doc, fact


@pytest.fixture(scope="module")
def peer_db(tmp_path_factory):
    table = AreaTable.load().as_dataframe().set_index("code", drop=False)
    built = [report(table.loc[code], note, kind, value) for code, (value, note, kind) in DRILLS.items()]
    path = tmp_path_factory.mktemp("peer") / "emergency.duckdb"
    documents, facts = [doc for doc, _ in built], [fact for _, fact in built]
    build_database(path, load_catalog(), AreaTable.load().as_dataframe(), documents, facts, [], {})
    return path


@pytest.fixture(scope="module")
def chart(peer_db, tmp_path_factory):
    with live_dashboard(peer_db) as base_url, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(base_url + VIEW)
        card = page.locator("#panel-drills .chart-card").first
        card.locator(".main-svg").first.wait_for(timeout=WAIT_MS)
        page.wait_for_timeout(500)  # the last relayout after the fonts arrived
        page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "peer.png"), full_page=True)
        yield page, card


def test_the_home_areas_rank_is_under_the_chart(chart):
    _, card = chart
    assert card.locator(".caption .rank").inner_text() == "★ 深圳排名：第2/6（同级地区中）"  # tied with 珠海


def test_the_median_lines_are_drawn_and_labelled_inside_the_plot(chart):
    _, card = chart
    plot = card.locator(".nsewdrag").first.bounding_box()
    for text in ("中位数 60", "广东省中位数 80"):
        label = card.locator(".shape-label-text", has_text=text)
        assert label.count() == 1, text
        box = label.bounding_box()
        assert plot["x"] <= box["x"] and box["x"] + box["width"] <= plot["x"] + plot["width"] + 1
        assert plot["y"] <= box["y"] + box["height"] / 2 <= plot["y"] + plot["height"]
    dashed = card.locator(".shapelayer path[style*='stroke-dasharray']")
    assert dashed.count() == 2


def test_values_measured_differently_carry_their_marks_to_the_bar_the_footnote_and_the_table(chart):
    page, card = chart
    bar_texts = card.locator(".bartext").all_text_contents()
    assert any(text.startswith("80†") for text in bar_texts)  # 珠海's part-year figure
    assert any(text.startswith("40‡") for text in bar_texts)  # 佛山's figure from a reply
    notes = card.locator(".caption .footnote").all_inner_texts()
    assert notes == [
        "† 截至2023年8月（非全年）：珠海 2023",
        "‡ 口径：来自建议提案答复，非全局合计：佛山 2023",
    ]
    table = page.locator("#panel-drills .dash-spreadsheet")
    assert table.get_by_text("† 截至2023年8月（非全年）").count() == 1


def test_an_exported_chart_carries_its_footnotes_in_its_footer(peer_db):
    from dashboard.chart_frame import FOOTER_TEXT
    from dashboard.export import dashboard_charts
    from dashboard.view import load_state

    state, notices, _, areas = load_state(peer_db, VIEW.removeprefix("/"))
    assert not notices
    footers = [chart.footer for chart in dashboard_charts(peer_db, state, areas)]
    assert any("†" in footer for footer in footers) and any("‡" in footer for footer in footers)
    marked = next(footer for footer in footers if "†" in footer)
    assert marked.index("†") < marked.index(FOOTER_TEXT["zh"].split("{")[0])  # notes, then the sources
