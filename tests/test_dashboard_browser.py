"""The dashboard in a real headless Chromium (Debian's, via Playwright), on a database the ETL built.

One tab per module: every new tab compiles plotly.js again (≈3 s)."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.export import REPORT_SIZES
from dashboard.filenames import safe_filename
from tests.browser import REPO, WAIT_MS, free_port, live_dashboard, serve, wait_for_charts
from tests.conftest import run_etl
from tests.test_render import png_pixel_size, write_fontless_fontconfig

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

CLOUD_BUTTON = re.compile(r"share chart|cloud|chart studio", re.IGNORECASE)  # Dash 4: "Share chart..."
# A graph left with plotly's default config, for the positive control of the "share chart" check
DEFAULT_GRAPH_APP = """
from sys import argv
from dash import Dash, dcc
app = Dash(__name__, serve_locally=True)
app.layout = dcc.Graph(id="g", figure={"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}]})
app.run(host="127.0.0.1", port=int(argv[1]))
"""


@pytest.fixture(scope="module")
def base_url(seed_db):
    with live_dashboard(seed_db) as url:
        yield url


@pytest.fixture(scope="module")
def tab(browser):
    """One page for the module, recording console errors and every request's host; requests that
    would leave 127.0.0.1 are recorded and aborted."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.console_errors = []
    page.request_hosts = set()
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))

    def route(request_route):
        host = urlparse(request_route.request.url).hostname
        page.request_hosts.add(host)
        if host == "127.0.0.1":
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    yield page
    context.close()


def open_view(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=WAIT_MS)
    wait_for_charts(page)
    page.wait_for_load_state("networkidle")


def chart_areas(page, indicator: str) -> list[str]:
    """The areas with a bar in an indicator's chart (a selected area with no value has an axis label
    marked 未报告 but no bar)."""
    graph = page.locator(f'[id*=\'"indicator":"{indicator}"\'] .js-plotly-plot')
    return graph.evaluate(
        "g => [...new Set(g.data.flatMap(t => Array.from(t.x || [])).filter(x => x !== null))]"
    )


def not_reported_areas(page, indicator: str) -> list[str]:
    graph = page.locator(f'[id*=\'"indicator":"{indicator}"\'] .js-plotly-plot')
    return graph.evaluate("g => (g.layout.annotations || []).map(a => a.x)")


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_page_loads_without_console_errors_or_outside_requests(tab, base_url):
    open_view(tab, base_url + "/")
    assert tab.locator("#panel-overview").is_visible()
    assert tab.locator(".panel").count() >= 8  # overview + one per catalog category
    assert tab.console_errors == []
    assert tab.request_hosts == {"127.0.0.1"}


def test_choosing_areas_and_years_changes_the_charts(tab, base_url):
    open_view(tab, base_url + "/?cat=hazards")
    assert sorted(chart_areas(tab, "hazards_found")) == ["汕尾", "漯河"]
    assert sorted(not_reported_areas(tab, "hazards_found")) == ["上海", "深圳", "重庆"]
    tab.locator("#area-select").click()
    tab.locator("input.dash-dropdown-search").fill("shanwei")  # pinyin finds 汕尾
    tab.locator(".dash-options-list-option-checkbox[value='441500']").click()
    tab.keyboard.press("Escape")
    tab.wait_for_function("() => decodeURIComponent(location.search).includes('area=汕尾')", timeout=WAIT_MS)
    tab.wait_for_function(
        """() => [...document.querySelectorAll('[id*="hazards_found"] .xtick text')]
                 .map(t => t.textContent).join() === '汕尾'""",
        timeout=WAIT_MS,
    )
    open_view(tab, base_url + "/?cat=hazards&year=2023")
    assert tab.get_by_text("所选地区均未报告此指标").count() >= 1
    assert tab.console_errors == []


def test_url_round_trips_through_reload_and_back(tab, base_url):
    link = "/?area=汕尾,漯河&year=2022&cat=hazards&home=漯河&target=95"
    open_view(tab, base_url + link)
    expected = {
        "area": ["汕尾,漯河"],
        "year": ["2022"],
        "cat": ["hazards"],
        "home": ["漯河"],
        "target": ["95"],
    }
    assert query_of(tab) == expected
    assert "★ 漯河" in chart_areas(tab, "hazards_found")
    tab.reload()
    tab.wait_for_selector(".js-plotly-plot .xtick", timeout=WAIT_MS)
    assert query_of(tab) == expected
    assert tab.locator("#target-input").input_value() == "95"
    tab.locator("#per-select input").check()
    tab.wait_for_function("() => location.search.includes('per=10k')", timeout=WAIT_MS)
    tab.go_back()
    tab.wait_for_function("() => !location.search.includes('per=10k')", timeout=WAIT_MS)
    tab.wait_for_function("() => !document.querySelector('#per-select input').checked", timeout=WAIT_MS)


def test_bad_parameters_give_notices_not_errors(tab, base_url):
    open_view(tab, base_url + "/?area=朝阳,汕尾&year=soon")
    notices = tab.locator(".notice").all_inner_texts()
    assert any("朝阳" in n and "代码" in n for n in notices)
    assert any("year=soon" in n for n in notices)
    assert chart_areas(tab, "hazards_found") == ["汕尾"]


def test_level_filter_drops_the_other_level_and_narrows_the_options(tab, base_url):
    open_view(tab, base_url + "/?level=city&area=深圳,鲤城")
    assert any("鲤城" in n and "市级" in n for n in tab.locator(".notice").all_inner_texts())
    tab.wait_for_function("() => !decodeURIComponent(location.search).includes('鲤城')", timeout=WAIT_MS)
    assert query_of(tab)["area"] == ["深圳"]
    tab.locator("#area-select").click()
    search = tab.locator("input.dash-dropdown-search")
    search.fill("licheng")
    assert tab.locator(".dash-options-list-option-checkbox[value='350502']").count() == 0
    tab.keyboard.press("Escape")
    tab.locator("#level-select input[value='county']").check()  # the same search now finds it
    tab.wait_for_function("() => location.search.includes('level=county')", timeout=WAIT_MS)
    assert "area" not in query_of(tab)  # 深圳 is a city: dropped
    tab.locator("#area-select").click()
    search.fill("licheng")
    tab.locator(".dash-options-list-option-checkbox[value='350502']").wait_for(timeout=WAIT_MS)
    tab.keyboard.press("Escape")


def test_an_area_without_reports_is_found_as_typed_and_kept_through_back_forward_and_reload(tab, base_url):
    """The picker holds only the reporting and chosen areas; 宜宾 (no report) is found on the server, and
    stays selected when the URL sets it again (the dropdown drops a value missing from its options)."""
    in_url = "() => decodeURIComponent(location.search).includes('area=宜宾')"
    shown = "() => (document.querySelector('#area-select')?.innerText || '').includes('四川 · 宜宾')"
    open_view(tab, base_url + "/?cat=hazards")
    tab.locator("#area-select").click()
    tab.locator("input.dash-dropdown-search").fill("yibin")
    tab.locator(".dash-options-list-option-checkbox[value='511500']").click()
    tab.keyboard.press("Escape")
    tab.wait_for_function(in_url, timeout=WAIT_MS)
    for move in (tab.go_back, tab.go_forward, tab.reload):
        move()
        # the URL is set before its callbacks run (an in-page move makes no request to wait for): wait for
        # the picker to follow it, and fail if it never does (a value dropped for want of its option: the
        # URL -> controls callback sends the picker's options with its value, so none is ever missing)
        if move == tab.go_back:
            tab.wait_for_function(f"() => !({in_url})() && !({shown})()", timeout=WAIT_MS)
            continue
        tab.wait_for_function(f"() => ({in_url})() && ({shown})()", timeout=WAIT_MS)
        assert query_of(tab)["area"] == ["宜宾"]
    assert tab.console_errors == []


def test_clicking_a_bar_shows_its_evidence_sentence(tab, base_url):
    open_view(tab, base_url + "/?area=汕尾&cat=hazards")
    bar = tab.locator("[id*='hazards_found'] .point path").first
    bar.scroll_into_view_if_needed()  # below the closure-rate row
    box = bar.bounding_box()
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.wait_for_selector(".evidence-panel.open", timeout=WAIT_MS)
    assert "1744" in tab.locator(".evidence").inner_text()
    assert tab.locator(".evidence mark").inner_text().startswith("1744")
    tab.locator("#evidence-doc-link").click()
    tab.wait_for_selector("#doc-text mark", timeout=WAIT_MS)
    assert tab.locator("#doc-text mark").inner_text().startswith("1744")


def test_clicking_a_table_value_shows_its_evidence(tab, base_url):
    open_view(tab, base_url + "/?area=漯河&cat=drills")
    tab.locator("#panel-drills td[data-dash-column='value']").first.click()
    tab.wait_for_selector(".evidence-panel.open", timeout=WAIT_MS)
    assert "500" in tab.locator(".evidence mark").inner_text()


def download_from_menu(page, menu, fmt: str, size_name: str):
    """Choose format and size in an export menu (a panel's, or the "export all" bar), click download."""
    if menu.locator("summary").count():
        menu.locator("summary").click()
    menu.locator(f"input[value='{fmt}']").check()
    menu.locator(f"input[value='{size_name}']").check()
    with page.expect_download(timeout=WAIT_MS) as download_info:
        menu.locator("button").click()
    download = download_info.value
    return download.suggested_filename, download.path().read_bytes()


@pytest.mark.parametrize("size_name", sorted(REPORT_SIZES))
def test_panel_menu_png_has_the_chosen_report_size(tab, base_url, size_name):
    open_view(tab, base_url + "/?cat=plans&area=漯河,汕尾")  # one chart with values: one image, not a ZIP
    name, data = download_from_menu(tab, tab.locator("#panel-plans .export-menu"), "png", size_name)
    size = REPORT_SIZES[size_name]
    assert png_pixel_size(data) == (round(size.width * size.scale), round(size.height * size.scale))
    assert name == safe_filename(name) and name.endswith("_漯河、汕尾_最新.png")


def test_panel_menu_svg_holds_chinese_title_and_sources(tab, base_url):
    open_view(tab, base_url + "/?cat=plans&area=漯河,汕尾")
    name, data = download_from_menu(tab, tab.locator("#panel-plans .export-menu"), "svg", "word")
    svg = data.decode("utf-8")
    assert name.endswith(".svg") and "<svg" in svg
    assert "漯河、汕尾 · 最新" in svg and "数据来源：" in svg


def test_export_all_zips_every_visible_chart(tab, base_url):
    open_view(tab, base_url + "/?area=漯河,汕尾&cat=hazards")
    graphs = tab.locator("#panel-hazards .js-plotly-plot")
    with_values = graphs.count() - tab.locator("#panel-hazards").get_by_text("所选地区均未报告此指标").count()
    name, data = download_from_menu(tab, tab.locator(".export-all"), "png", "word")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert name.endswith(".zip") and len(names) == with_values >= 2
    assert all(n == safe_filename(n) and n.endswith("_漯河、汕尾_最新.png") for n in names)
    assert all(archive.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in names)
    assert tab.console_errors == []


def test_export_without_a_cjk_font_is_a_notice_and_the_page_keeps_serving(tab, seed_db, tmp_path):
    fontless = {"FONTCONFIG_FILE": str(write_fontless_fontconfig(tmp_path))}
    with live_dashboard(seed_db, env=fontless) as url:
        open_view(tab, url + "/?cat=plans&area=漯河")
        menu = tab.locator("#panel-plans .export-menu")
        menu.locator("summary").click()
        menu.locator("button").click()
        notice = menu.locator(".export-notice")
        notice.wait_for(timeout=WAIT_MS)  # hidden while empty (CSS :empty)
        assert "fonts-noto-cjk" in notice.inner_text()
        open_view(tab, url + "/?cat=hazards")  # still serving
        assert chart_areas(tab, "hazards_found")


def test_no_share_chart_button(tab, base_url):
    open_view(tab, base_url + "/")
    titles = tab.locator(".modebar-btn").evaluate_all("buttons => buttons.map(b => b.dataset.title)")
    assert titles and not [title for title in titles if CLOUD_BUTTON.search(title or "")]


def test_share_chart_check_finds_the_button_on_a_default_graph(tab):
    port = free_port()
    with serve(["-c", DEFAULT_GRAPH_APP, str(port)], port) as url:
        tab.goto(url)
        tab.wait_for_selector(".modebar-btn", state="attached", timeout=WAIT_MS)
        titles = tab.locator(".modebar-btn").evaluate_all("buttons => buttons.map(b => b.dataset.title)")
    assert [title for title in titles if CLOUD_BUTTON.search(title or "")]


def test_missing_database_page_says_how_to_build_it(tab, tmp_path):
    with live_dashboard(tmp_path / "nothing.duckdb") as url:
        tab.goto(url)
        tab.wait_for_selector("#missing-db", timeout=WAIT_MS)
        assert "python -m etl run" in tab.locator("#missing-db").inner_text()


def test_reports_page_lists_documents(tab, base_url):
    tab.goto(base_url + "/reports")
    tab.wait_for_selector("#documents-table", timeout=WAIT_MS)
    text = tab.locator("#documents-table").inner_text()
    assert "汕尾" in text and "shanwei-2022-fazhi-zhengfu.txt" in text
    assert "manifest.csv" in tab.locator(".how-to").inner_text()
    area_filter = tab.locator("#documents-table th.dash-filter input[type=text]").first
    area_filter.fill("漯河")
    area_filter.press("Enter")  # filtered on the server: only 漯河's reports come back
    # waits for the filtered page itself: the table is briefly empty while the server answers
    tab.wait_for_function(
        """() => {
            const text = document.querySelector('#documents-table').innerText;
            return !text.includes('shanwei') && text.includes('luohe-2022');
        }""",
        timeout=WAIT_MS,
    )
    assert "漯河" in tab.locator("#documents-table tbody").inner_text()


def test_an_indicator_added_to_the_catalog_is_rendered(tab, tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(
        (REPO / "etl" / "catalog.yaml").read_text(encoding="utf-8") + NEW_INDICATOR, encoding="utf-8"
    )
    db = tmp_path / "extended.duckdb"
    result = run_etl("run", "--reports", REPO / "data" / "reports", "--db", db, "--catalog", catalog)
    assert result.returncode == 0, result.stdout + result.stderr
    with live_dashboard(db) as url:
        open_view(tab, url + "/?cat=hazards&area=深圳")
        assert tab.get_by_text("检查安全培训机构").count() >= 1
        assert chart_areas(tab, "training_institution_checks") == ["深圳"]


NEW_INDICATOR = """
  - id: training_institution_checks
    zh: 检查安全培训机构
    en: Training institutions checked
    category: hazards
    unit: 家次
    unit_en: checks
    higher_is_better: true
    per_capita: true
    dims: []
    definition_zh: 检查安全生产培训机构的家次（测试用）。
    definition_en: Checks of safety training institutions (test only).
    units: {家次: 1}
    rules:
      - {id: training.noun_first, before: '培训机构'}
"""
