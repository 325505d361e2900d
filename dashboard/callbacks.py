"""Callbacks: each wires inputs -> queries -> builders and holds no logic of its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

import dash
import pandas as pd
from dash import ALL, MATCH, Dash, Input, Output, State, ctx, dcc, html

from dashboard import queries
from dashboard.evidence import document_page, evidence_panel
from dashboard.export import BUNDLE_LABEL, chart_download, dashboard_charts
from dashboard.export_menu import EXPORT_ALL, export_menu
from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.layout import ALL as NO_FILTER
from dashboard.layout import area_options
from dashboard.overview import overview_panel
from dashboard.panels import category_panel
from dashboard.render import RenderError, require_cjk_font, shared_renderer
from dashboard.report_sizes import REPORT_SIZES
from dashboard.reports import missing_db_page, reports_page
from dashboard.shaping import localized
from dashboard.state import ViewState, parse_year, to_query, with_home_selected, without_other_level
from dashboard.tables import csv_bytes, panel_table, xlsx_bytes
from dashboard.view import load_state, selected_areas

CONTROLS = (
    "area-select",
    "level-select",
    "year-select",
    "cat-select",
    "home-select",
    "target-input",
    "per-select",
)


def query_lang(search: str | None) -> str:
    lang = dict(parse_qsl((search or "").lstrip("?"))).get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def state_from_controls(values: list, lang: str) -> ViewState:
    area, level, year, cat, home, target, per = values
    return with_home_selected(
        ViewState(
            areas=tuple(area or ()),
            level=None if level in (None, NO_FILTER) else level,
            year=parse_year(year or "latest"),
            cat=None if cat in (None, NO_FILTER) else cat,
            home=home or None,
            target=float(target) if target is not None else None,
            per="10k" if per else None,
            lang=lang,
        )
    )


def controls_from_state(state: ViewState) -> list:
    return [
        list(state.areas),
        state.level or NO_FILTER,
        str(state.year),
        state.cat or NO_FILTER,
        state.home,
        state.target,
        ["10k"] if state.per else [],
    ]


def dashboard_page(db_path: Path, state: ViewState, areas: pd.DataFrame) -> list:
    selected = selected_areas(areas, state)
    categories = queries.categories(db_path)
    indicators = queries.indicators(db_path)
    dim_values = queries.dim_values(db_path)
    values = queries.indicator_values(db_path, selected["code"].tolist(), state.year.first, state.year.last)
    if state.cat:
        categories = categories[categories["id"] == state.cat]
    panels = [
        category_panel(category, indicators, values, selected, dim_values, state)
        for _, category in categories.iterrows()
    ]
    if not state.cat:
        counts = queries.overview_counts(db_path)
        panels.insert(0, overview_panel(values, indicators, selected, counts, state.lang))
    return [export_menu(EXPORT_ALL, state.lang), *panels]


def register(app: Dash, db_path: Path) -> None:
    @app.callback(
        Output("url", "search"),
        *(Output(c, "value") for c in CONTROLS),
        Output("notices", "children"),
        Output("lang-link", "href"),
        Input("url", "search"),
        *(Input(c, "value") for c in CONTROLS),
        State("url", "pathname"),
    )
    def sync_url_and_controls(search: str | None, *control_values_and_path):
        """One callback owns both directions, so URL -> controls -> URL never loops. Only on the
        dashboard page: the document page's query is its span, not a view."""
        *control_values, pathname = control_values_and_path
        if pathname not in (None, "/") or queries.db_problem(db_path):
            raise dash.exceptions.PreventUpdate
        lang = query_lang(search)
        state, notices, index, _ = load_state(db_path, search)
        if ctx.triggered_id in CONTROLS:
            state, notices = without_other_level(state_from_controls(list(control_values), lang), index)
        other = "en" if lang == "zh" else "zh"
        lang_href = "/" + to_query(replace(state, lang=other), index)
        notes = [html.Div(t(key, lang, **values), className="notice") for key, values in notices]
        return to_query(state, index), *controls_from_state(state), notes, lang_href

    @app.callback(
        Output("area-select", "options"),
        Output("home-select", "options"),
        Input("level-select", "value"),
    )
    def narrow_area_options(level: str | None):
        """Only areas of the chosen level to pick from: compare like with like."""
        if queries.db_problem(db_path):
            raise dash.exceptions.PreventUpdate
        options = area_options(queries.areas(db_path), None if level in (None, NO_FILTER) else level)
        return options, options

    @app.callback(
        Output("content", "children"),
        Output("filter-bar", "style"),
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def render_content(pathname: str | None, search: str | None):
        lang = query_lang(search)
        problem = queries.db_problem(db_path)
        if problem:
            return missing_db_page(db_path, problem, lang), {"display": "none"}
        hidden = {"display": "none"}
        if pathname == "/reports":
            return reports_page(db_path, lang), hidden
        if pathname and pathname.startswith("/doc/"):
            params = dict(parse_qsl((search or "").lstrip("?")))
            start, end = (int(params[k]) if params.get(k, "").isdigit() else None for k in ("start", "end"))
            doc = queries.document(db_path, pathname.removeprefix("/doc/"))
            return document_page(doc, start, end, lang), hidden
        state, _, _, areas = load_state(db_path, search)
        return dashboard_page(db_path, state, areas), {}

    @app.callback(
        Output("evidence-body", "children"),
        Output("evidence-panel", "className"),
        Input({"type": "chart", "indicator": ALL}, "clickData"),
        Input({"type": "table", "cat": ALL}, "active_cell"),
        Input("evidence-close", "n_clicks"),
        State({"type": "table", "cat": ALL}, "data"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def show_evidence(_clicks, _cells, _close, tables, search):
        """A clicked bar, point or table value -> its sentence, document and full-text link."""
        lang = query_lang(search)
        trigger = ctx.triggered_id
        if trigger == "evidence-close" or trigger is None:
            return dash.no_update, "evidence-panel closed"
        point = ctx.triggered[0]["value"]
        if not point:
            raise dash.exceptions.PreventUpdate
        if trigger["type"] == "chart":
            doc_id, evidence_start, start, end, evidence = point["points"][0]["customdata"]
        else:
            position = [item["id"] for item in ctx.inputs_list[1]].index(trigger)
            row = tables[position][point["row"]]
            doc_id, evidence_start, start, end, evidence = (
                row[k] for k in ("doc_id", "evidence_start", "start", "end", "evidence")
            )
        doc = queries.document(db_path, doc_id)
        return evidence_panel(doc, evidence, evidence_start, start, end, lang), "evidence-panel open"

    @app.callback(
        Output({"type": "table", "cat": MATCH}, "data"),
        Input({"type": "table", "cat": MATCH}, "sort_by"),
        State({"type": "table", "cat": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def sort_table(sort_by, rows):
        """Sort on the numbers behind "500+" and "1.5万", not on their text."""
        if not sort_by:
            raise dash.exceptions.PreventUpdate
        column = sort_by[0]["column_id"]
        key = "value_number" if column == "value" else column
        present = [r for r in rows if r.get(key) is not None]
        absent = [r for r in rows if r.get(key) is None]
        return sorted(present, key=lambda r: r[key], reverse=sort_by[0]["direction"] == "desc") + absent

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
        state, _, _, areas = load_state(db_path, search)
        selected = selected_areas(areas, state)
        indicators = queries.indicators(db_path)
        values = queries.indicator_values(
            db_path, selected["code"].tolist(), state.year.first, state.year.last
        )
        table = panel_table(
            values,
            indicators[indicators["category"] == category],
            queries.dim_values(db_path),
            state.lang,
            state.per,
            state.home,
        )
        name = f"{category}_{str(state.year)}.{kind}"
        data = csv_bytes(table, state.lang) if kind == "csv" else xlsx_bytes(table, state.lang)
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
        state, _, _, areas = load_state(db_path, search)
        label = BUNDLE_LABEL[state.lang]
        if scope != EXPORT_ALL:
            state = replace(state, cat=scope)
            categories = queries.categories(db_path).set_index("id", drop=False)
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
