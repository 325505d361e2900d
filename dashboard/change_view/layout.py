"""The change view's page: a section per category (the one chosen, or all), a card per indicator and
breakdown with its diverging bars and the areas it could not draw, named; clicking a bar opens the
evidence of the latest value (its graph id is a `chart` one, which callbacks.EVIDENCE_CLICK_JS reads)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from dash import dcc, html

from dashboard import queries
from dashboard.cache import per_database
from dashboard.change_view.figures import change_figure, change_unit, ranked_changes
from dashboard.change_view.frame import CHANGED, COLUMNS, NO_PREVIOUS, NOT_COMPARABLE, change_frame
from dashboard.figures import graph_config
from dashboard.i18n import t
from dashboard.panels import is_ranked, named_list
from dashboard.ranked_figures import rest_note
from dashboard.shaping import localized, missing_areas, unit_label
from dashboard.state import ViewState
from dashboard.table_view.rows import view_frame
from dashboard.tables import AREA_CODE
from dashboard.view import selected_areas

KEY_PREFIX = "change-"  # a chart's graph id: {"type": "chart", "indicator": "change-<indicator>-<n>"}
# Frames are cached with the table view's (table_view.rows.view_frame); pages by count (a page of
# every category is ~0.3 MB)
PAGE_CACHE_SIZE = 32


@per_database(PAGE_CACHE_SIZE)
def change_view_page(db_path: Path, state: ViewState) -> html.Div:
    """The whole view for `state`: built at once, each chart a few dozen bars whatever the areas; kept
    per (database file, view), so a view seen before costs nothing (the tree is shared: never changed)."""
    selected = selected_areas(queries.areas(db_path), state)
    codes = tuple(selected["code"])
    frame = view_changes(
        db_path,
        codes,
        state.year.first,
        state.year.last,
        state.cat,
        state.per,
        state.lang,
        state.only_reviewed,
    )
    frame = frame.assign(is_home=frame[AREA_CODE] == state.home if state.home else False)
    categories = queries.categories(db_path)
    if state.cat:
        categories = categories[categories["id"] == state.cat]
    indicators = queries.indicators(db_path)
    by_indicator = dict(tuple(frame.groupby("indicator", sort=False)))
    sections = [
        category_section(
            category, indicators[indicators["category"] == category["id"]], by_indicator, selected, state
        )
        for _, category in categories.iterrows()
    ]
    intro = html.Div(
        [
            html.H2(t("change_view_title", state.lang)),
            html.P(t("change_view_hint", state.lang), className="hint"),
        ],
        className="page",
    )
    return html.Div([intro, *sections], id="change-view")


def view_changes(
    db_path: Path,
    codes: tuple[str, ...],
    first: int | None,
    last: int | None,
    cat: str | None,
    per: str | None,
    lang: str,
    reviewed: bool,
) -> pd.DataFrame:
    """Every row of the change view (no home area: it only marks bars), cached with the table view's."""
    return view_frame(db_path, change_frame, codes, first, last, cat, per, lang, reviewed)


def category_section(
    category: pd.Series,
    indicators: pd.DataFrame,
    by_indicator: Mapping[str, pd.DataFrame],
    selected: pd.DataFrame,
    state: ViewState,
) -> html.Section:
    """A category's cards, in catalog order; `by_indicator` holds each indicator's rows of the view."""
    empty = pd.DataFrame(columns=list(COLUMNS))
    cards = [
        card
        for _, indicator in indicators.iterrows()
        for card in indicator_cards(indicator, by_indicator.get(indicator["id"], empty), selected, state)
    ]
    return html.Section(
        [
            html.Div(html.H2(localized(category, "name", state.lang)), className="panel-head"),
            html.Div(cards, className="chart-grid"),
        ],
        id=f"change-{category['id']}",
        className="panel",
    )


def indicator_cards(
    indicator: pd.Series, rows: pd.DataFrame, selected: pd.DataFrame, state: ViewState
) -> list[html.Div]:
    """A card per breakdown with a change to draw; one card without a chart when there is none."""
    lang = state.lang
    name = localized(indicator, "name", lang)
    unit = unit_label(indicator, lang, state.per)
    missing = missing_areas(rows, selected)
    by_series = [(series, group) for series, group in rows.groupby("series_order", sort=True)]
    drawn = [(group, group["series"].iloc[0]) for _, group in by_series if (group["status"] == CHANGED).any()]
    if not drawn:
        notes = [html.P(t("change_none" if len(rows) else "no_data", lang))]
        return [
            html.Div(
                [html.H4(name), *notes, caption(rows, missing, unit, lang)], className="chart-card no-change"
            )
        ]
    cards = []
    for n, (group, series) in enumerate(drawn):
        title = f"{name} · {series}" if series else name
        changed = group[group["status"] == CHANGED]
        is_rate, ranked = bool(indicator["is_rate"]), is_ranked(state, len(selected))
        figure = change_figure(
            changed, title, unit, is_rate, indicator["higher_is_better"], lang, ranked, state.home
        )
        graph = dcc.Graph(
            id={"type": "chart", "indicator": f"{KEY_PREFIX}{indicator['id']}-{n}"},
            figure=figure,
            config=graph_config(f"{title}_{state.year}", lang),
        )
        _, rest = ranked_changes(changed, ranked, state.home)
        summary = rest_note(rest, change_unit(unit, is_rate, lang), lang) if rest else None
        cards.append(html.Div([graph, caption(group, missing, unit, lang, summary)], className="chart-card"))
    return cards


def caption(
    rows: pd.DataFrame, missing: list[str], unit: str, lang: str, rest: str | None = None
) -> html.Div:
    """The unit, the summary of the areas a ranked chart leaves out (`rest`: too long for its row on a
    phone), and the selected areas no bar stands for, by why: no value the year before (无上年数据), a
    figure that is not a whole year's, or no value at all (未报告). Never drawn as 0."""
    lines = [html.Span(t("caption_unit", lang, unit=unit), className="unit")]
    if rest:
        lines.append(html.Span(rest, className="rest"))
    for status, key in ((NO_PREVIOUS, "change_no_previous"), (NOT_COMPARABLE, "change_not_comparable")):
        names = list(dict.fromkeys(rows.loc[rows["status"] == status, "area"]))
        if names:
            lines.append(
                html.Span(t(key, lang, names=named_list(names, lang)), className=f"missing {status}")
            )
    if missing:
        lines.append(
            html.Span(t("caption_missing", lang, names=named_list(missing, lang)), className="missing")
        )
    return html.Div(lines, className="caption")
