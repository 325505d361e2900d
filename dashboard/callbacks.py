"""Callbacks: each wires inputs -> queries -> builders and holds no logic of its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

import dash
import duckdb
from dash import ALL, MATCH, Dash, Input, Output, State, ctx, dcc, html

from dashboard import queries
from dashboard.change_view.layout import change_view_page
from dashboard.evidence import document_page, evidence_panel
from dashboard.export import BUNDLE_LABEL, chart_download, dashboard_charts
from dashboard.export_menu import EXPORT_ALL
from dashboard.filenames import safe_filename
from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.layout import ALL as NO_FILTER
from dashboard.layout import picker_options, remembered
from dashboard.navigation import back_href
from dashboard.page import category_table, chart, panel_body, skeleton, table_rows
from dashboard.render import RenderError, require_cjk_font, shared_renderer
from dashboard.report_sizes import REPORT_SIZES
from dashboard.reports import REPORT_TABLE, missing_db_page, report_frames, report_rows, reports_page
from dashboard.review.history import entries_list, value_entries
from dashboard.review.marks import marks_shown, status_line
from dashboard.review.pages import first_build_link, review_page
from dashboard.server_paging import paging_dependencies
from dashboard.shaping import localized
from dashboard.state import (
    CHANGE,
    CHARTS,
    LEVELS,
    PEER_GROUPS,
    REVIEWED_VALUES,
    TABLE,
    AreaIndex,
    Notice,
    ViewState,
    YearSpec,
    parse_offset,
    parse_target,
    parse_year,
    shortened,
    to_query,
    with_home_selected,
    with_peer_group,
    within_cap,
    without_other_level,
)
from dashboard.table_view.layout import TABLE_TYPE, table_view_page
from dashboard.tables import csv_bytes, xlsx_bytes
from dashboard.toolbar_image import file_year_words
from dashboard.view import load_state

HIDDEN = {"display": "none"}  # the filter bar's style off the dashboard page
CONTROLS = (
    "area-select",
    "level-select",
    "year-select",
    "cat-select",
    "home-select",
    "target-input",
    "per-select",
    "group-select",
    "reviewed-select",
    "view-select",
)


def query_lang(search: str | None) -> str:
    lang = dict(parse_qsl((search or "").lstrip("?"))).get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def state_from_controls(values: list, lang: str, index: AreaIndex) -> tuple[ViewState, list[Notice]]:
    """The view the controls show; a value no control could send (a forged request) is dropped, a group
    chosen in the area picker (all cities, a province) replaces the areas beside it, and more than
    MAX_AREAS areas are cut with a notice; a peer group without a home area is dropped with a notice."""
    area, level, year, cat, home, target, per, peers, reviewed, view = values
    areas = tuple(a for a in area if isinstance(a, str)) if isinstance(area, list) else ()
    groups = [group for group in map(index.group, areas) if group]
    state = ViewState(
        areas=() if groups else tuple(dict.fromkeys(areas)),
        group=groups[-1] if groups else None,
        level=level if level in LEVELS else None,
        year=(parse_year(year) if isinstance(year, str) else None) or YearSpec(),
        cat=cat if isinstance(cat, str) and cat != NO_FILTER else None,
        home=home if isinstance(home, str) and home else None,
        target=parse_target(target),
        per="10k" if per else None,
        peers=peers if peers in PEER_GROUPS else None,
        lang=lang,
        view=view if view in (TABLE, CHANGE) else None,
        reviewed=REVIEWED_VALUES[0] if reviewed == list(REVIEWED_VALUES) else None,
    )
    state, peer_notices = with_peer_group(state)
    state, cap_notices = within_cap(with_home_selected(state))
    return state, peer_notices + cap_notices


def controls_from_state(state: ViewState) -> list:
    return [
        [state.group] if state.group else list(state.areas),
        state.level or NO_FILTER,
        str(state.year),
        state.cat or NO_FILTER,
        state.home,
        state.target,
        ["10k"] if state.per else [],
        state.peers or NO_FILTER,
        [state.reviewed] if state.reviewed else [],
        state.view or CHARTS,
    ]


def require_usable_db(db_path: Path) -> None:
    """A callback that needs the database does nothing while it is unusable (the page says why)."""
    if queries.db_problem(db_path):
        raise dash.exceptions.PreventUpdate


def page_content(db_path: Path, pathname: str | None, search: str | None, lang: str) -> tuple[object, dict]:
    """The page a path shows, with the filter bar's style (shown on the dashboard only)."""
    if pathname == "/reports":
        return reports_page(db_path, lang), HIDDEN
    if pathname and pathname.startswith("/doc/"):
        return doc_content(db_path, pathname.removeprefix("/doc/"), search, lang), HIDDEN
    state, _, _, _ = load_state(db_path, search)
    if state.view == TABLE:
        return table_view_page(db_path, state), {}
    if state.view == CHANGE:
        return change_view_page(db_path, state), {}
    return skeleton(queries.categories(db_path), state, search or ""), {}


def doc_content(db_path: Path, doc_id: str, search: str | None, lang: str) -> html.Div:
    """A document page; a `start`/`end` that is no plain small number highlights nothing, with a notice."""
    params = dict(parse_qsl((search or "").lstrip("?")))
    start, end = (parse_offset(params.get(k)) for k in ("start", "end"))
    bad = [k for k, v in (("start", start), ("end", end)) if k in params and v is None]
    notices = [t("notice_bad_param", lang, param=k, value=shortened(params[k])) for k in bad]
    back_to = back_href(db_path, search, lang)
    return document_page(queries.document(db_path, doc_id), start, end, lang, notices, back_to)


# In the browser: a click on a bar, a point or a table cell -> the fact id it carries, into the
# `evidence-fact` store. Charts and tables arrive with each panel, and a server callback reading them
# (ALL) would be called for every panel drawn; this one runs in the page and sends nothing until a click
# carries a fact id. `at` makes a second click on the same value a change.
EVIDENCE_CLICK_JS = """
function (clicks, cells, viewCells, tables, viewTables) {
    const context = dash_clientside.callback_context;
    for (const trigger of context.triggered) {
        const value = trigger.value;
        if (!value) { continue; }
        const cut = trigger.prop_id.lastIndexOf(".");
        const property = trigger.prop_id.slice(cut + 1);
        let fact = null;
        if (property === "clickData") {
            fact = value.points && value.points[0] ? value.points[0].customdata : null;
        } else if (property === "active_cell") {
            const id = JSON.parse(trigger.prop_id.slice(0, cut));
            const kind = id.type === "table" ? 0 : 1;
            const at = context.states_list[kind].findIndex(state => state.id.cat === id.cat);
            const rows = at >= 0 ? [tables, viewTables][kind][at] : null;
            fact = rows && rows[value.row] ? rows[value.row].fact : null;
        }
        if (typeof fact === "string") { return {fact: fact, at: Date.now()}; }
    }
    return dash_clientside.no_update;
}
"""


def clicked_fact(click: object) -> tuple[str, str, int] | None:
    """(doc id, indicator, start) of the fact id a click put in the `evidence-fact` store; None when it
    holds none (a forged request)."""
    try:
        doc_id, indicator, start = click["fact"].rsplit("/", 2)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    offset = parse_offset(start)
    return None if offset is None else (doc_id, indicator, offset)


def register(app: Dash, db_path: Path) -> None:
    @app.callback(
        Output("url", "search"),
        *(Output(c, "value") for c in CONTROLS),
        Output("notices", "children"),
        Output("lang-link", "href"),
        Output("area-select", "options", allow_duplicate=True),
        Input("url", "search"),
        *(Input(c, "value") for c in CONTROLS),
        State("url", "pathname"),
        State("area-picker-recent", "data"),
        prevent_initial_call="initial_duplicate",
    )
    def sync_url_and_controls(search: str | None, *control_values_path_recent):
        """One callback owns both directions, so URL -> controls -> URL never loops. Only on the
        dashboard page: the document page's query is its span, not a view. A view set from the URL (load,
        Back, Forward) sends the area picker's options with its value: the dropdown drops a value missing
        from its options, and options answered apart (by `area_picker_options`) could arrive after it."""
        *control_values, pathname, recent = control_values_path_recent
        if pathname not in (None, "/") or queries.db_problem(db_path):
            raise dash.exceptions.PreventUpdate
        lang = query_lang(search)
        state, notices, index, areas = load_state(db_path, search)
        if ctx.triggered_id in CONTROLS:
            state, cap_notices = state_from_controls(list(control_values), lang, index)
            state, notices = without_other_level(state, index)
            notices = cap_notices + notices
        other = "en" if lang == "zh" else "zh"
        lang_href = "/" + to_query(replace(state, lang=other), index)
        notes = [html.Div(t(key, lang, **values), className="notice") for key, values in notices]
        controls = controls_from_state(state)
        options = dash.no_update  # a control's own change: `area_picker_options` answers for it
        if ctx.triggered_id not in CONTROLS:
            chosen = remembered(controls[0], state.home, recent)
            options = picker_options(areas, state.level, controls[0], None, chosen, lang, lang)
        return to_query(state, index), *controls, notes, lang_href, options

    @app.callback(
        Output("area-select", "options"),
        Output("home-select", "options"),
        Output("area-picker-recent", "data"),
        Input("level-select", "value"),
        Input("area-select", "search_value"),
        Input("area-select", "value"),
        Input("home-select", "search_value"),
        Input("home-select", "value"),
        State("area-picker-recent", "data"),
        State("url", "search"),
    )
    def area_picker_options(level, area_search, area_value, home_search, home_value, recent, search):
        """Only areas of the chosen level to pick from (compare like with like), found on the server
        as the user types, with the selected and earlier chosen areas (an area with no report marked),
        and the groups (all cities, a province) in the area picker; only the picker that changed."""
        require_usable_db(db_path)
        level = level if level in LEVELS else None
        recent = remembered(area_value, home_value, recent)
        lang = query_lang(search)
        changed = {prop.split(".")[0] for prop in ctx.triggered_prop_ids}
        areas = queries.areas(db_path)
        return (
            dash.no_update
            if changed == {"home-select"}
            else picker_options(areas, level, area_value, area_search, recent, lang, lang),
            dash.no_update
            if changed == {"area-select"}
            else picker_options(areas, level, home_value, home_search, recent, lang=lang),
            recent,
        )

    @app.callback(
        Output("content", "children"),
        Output("filter-bar", "style"),
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def render_content(pathname: str | None, search: str | None):
        """The page for the path; the "no usable database" page when the file is missing or not one this
        dashboard reads (checked on every request: the file may have been swapped while serving), with
        the way to the review desk, which works before any database (its first upload builds one)."""
        lang = query_lang(search)
        problem = queries.db_problem(db_path)
        try:
            review = review_page(db_path, pathname, search, lang) if pathname else None
            if review is not None:
                return review, HIDDEN
            if not problem:
                return page_content(db_path, pathname, search, lang)
        except duckdb.Error as error:  # swapped for a bad file after the check
            problem = queries.DbProblem("unreadable", str(error).splitlines()[0])
        page = missing_db_page(db_path, problem, lang)
        if problem in ("missing", "empty"):  # a fresh page: the desk's link goes inside it
            page.children = [*page.children, *first_build_link(db_path, lang)]
        return page, HIDDEN

    app.clientside_callback(
        EVIDENCE_CLICK_JS,
        Output("evidence-fact", "data"),
        Input({"type": "chart", "indicator": ALL}, "clickData"),
        Input({"type": "table", "cat": ALL}, "active_cell"),
        Input({"type": TABLE_TYPE, "cat": ALL}, "active_cell"),
        State({"type": "table", "cat": ALL}, "data"),
        State({"type": TABLE_TYPE, "cat": ALL}, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("evidence-body", "children"),
        Output("evidence-panel", "className"),
        Input("evidence-fact", "data"),
        Input("evidence-close", "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def show_evidence(click, _close, search):
        """A clicked bar, point or table value (its fact id) -> its sentence, document and full-text link;
        its review status where reviewers are at work, and its history while the review desk is on."""
        lang = query_lang(search)
        trigger = ctx.triggered_id
        if trigger == "evidence-close" or trigger is None:
            return dash.no_update, "evidence-panel closed"
        clicked = clicked_fact(click)
        if clicked is None:
            raise dash.exceptions.PreventUpdate
        require_usable_db(db_path)
        fact = queries.fact(db_path, *clicked)
        if fact is None:  # a page older than a rebuilt database: that value is gone
            return [html.P(t("doc_not_found", lang))], "evidence-panel open"
        doc = queries.document(db_path, fact["doc_id"])
        entries = value_entries(db_path, *clicked)  # None while the review desk is off
        status = status_line(fact, entries, lang) if marks_shown(db_path) else None
        spans = fact["evidence_start"], fact["start"], fact["end"]
        panel = evidence_panel(doc, fact["evidence"], *spans, lang, search or "", status)
        history = [entries_list(entries, lang)] if entries is not None else []
        return [*panel, *history], "evidence-panel open"

    @app.callback(
        Output({"type": "panel-body", "cat": MATCH}, "children"),
        Input({"type": "panel-view", "cat": MATCH}, "data"),
    )
    def render_panel(search: str | None):
        """One panel's body for the page's view: its own request, so panels arrive side by side and each
        costs one query (or nothing, when the view was shown before)."""
        require_usable_db(db_path)
        try:
            return panel_body(db_path, ctx.outputs_list["id"]["cat"], search)
        except duckdb.Error:  # swapped for a bad file since the check: the page's content says why
            raise dash.exceptions.PreventUpdate from None

    @app.callback(
        Output({"type": "chart-body", "indicator": MATCH}, "children"),
        Input({"type": "chart-view", "indicator": MATCH}, "data"),
    )
    def render_chart(search: str | None):
        """One chart of a panel and its caption, on its own request once its panel has laid out its slot:
        a panel's charts are drawn side by side, each in bounded time."""
        require_usable_db(db_path)
        try:
            return chart(db_path, ctx.outputs_list["id"]["indicator"], search)
        except duckdb.Error:  # swapped for a bad file since the check: the page's content says why
            raise dash.exceptions.PreventUpdate from None

    @app.callback(
        Output({"type": "table", "cat": MATCH}, "data"),
        Input({"type": "table", "cat": MATCH}, "sort_by"),
        Input({"type": "table", "cat": MATCH}, "page_current"),
        State({"type": "panel-view", "cat": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def table_page(sort_by, page, search):
        """A page of the table, sorted over every row on the numbers behind "500+" and "1.5万"."""
        require_usable_db(db_path)
        return table_rows(db_path, ctx.outputs_list["id"]["cat"], search, sort_by, page)

    @app.callback(
        *paging_dependencies(REPORT_TABLE, "table"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def report_table_page(sort_by, filter_query, page, search):
        """A page of a reports table, filtered and sorted over every row."""
        require_usable_db(db_path)
        frames = report_frames(db_path, query_lang(search))
        table_id = ctx.outputs_list[0]["id"]["table"]
        if table_id not in frames:  # a forged id
            raise dash.exceptions.PreventUpdate
        return report_rows(frames[table_id], sort_by, filter_query, page)

    @app.callback(
        Output({"type": "download", "cat": MATCH}, "data"),
        Input({"type": "csv", "cat": MATCH}, "n_clicks"),
        Input({"type": "xlsx", "cat": MATCH}, "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def download_table(_csv, _xlsx, search):
        """The panel's table as CSV (UTF-8 with BOM) or XLSX, rebuilt from the URL's view."""
        category = ctx.triggered_id["cat"]
        kind = ctx.triggered_id["type"]
        require_usable_db(db_path)
        state, _, _, _ = load_state(db_path, search)
        if category not in set(queries.categories(db_path)["id"]):
            raise dash.exceptions.PreventUpdate
        table = category_table(db_path, category, state)
        title = localized(queries.categories(db_path).set_index("id").loc[category], "name", state.lang)
        name = safe_filename(f"{title}_{file_year_words(state)}.{kind}")  # the page's words, no internal id
        marks = marks_shown(db_path)  # the review status column where reviewers are at work
        data = csv_bytes(table, state.lang, marks) if kind == "csv" else xlsx_bytes(table, state.lang, marks)
        return dcc.send_bytes(data, name)

    @app.callback(
        Output({"type": "export-download", "scope": MATCH}, "data"),
        Output({"type": "export-notice", "scope": MATCH}, "children"),
        Input({"type": "export", "scope": MATCH}, "n_clicks"),
        State({"type": "export-format", "scope": MATCH}, "value"),
        State({"type": "export-size", "scope": MATCH}, "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def download_charts(_clicks, fmt: str, size_name: str, search: str | None):
        """A panel's charts (or every chart of the view) as `python -m dashboard export` renders them:
        one image file, or a ZIP of several. No Chromium or CJK font: a notice, never a broken page."""
        scope = ctx.triggered_id["scope"]
        require_usable_db(db_path)
        state, _, _, areas = load_state(db_path, search)
        label = BUNDLE_LABEL[state.lang]
        if scope != EXPORT_ALL:
            state = replace(state, cat=scope)
            categories = queries.categories(db_path).set_index("id", drop=False)
            if scope not in categories.index:
                raise dash.exceptions.PreventUpdate
            label = localized(categories.loc[scope], "name", state.lang)
        charts = dashboard_charts(db_path, state, areas)
        if not charts:
            return dash.no_update, t("export_nothing", state.lang)
        try:
            require_cjk_font()
            name, data = chart_download(charts, shared_renderer(), fmt, REPORT_SIZES[size_name], label)
        except RenderError as error:
            return dash.no_update, t("export_unavailable", state.lang, reason=error)
        return dcc.send_bytes(data, name), ""
