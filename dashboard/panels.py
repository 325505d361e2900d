"""A panel per catalog category, built from the `categories` and `indicators` tables: one chart per
indicator (each with its own unit, so never two units on one axis), a caption, and the table view.
An indicator added to the catalog appears here after `etl run` without a code change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from dash import dash_table, dcc, html

from dashboard.code_words import population_source_words
from dashboard.figures import HOME_MARK, bar_figure, empty_figure, trend_figure
from dashboard.i18n import t
from dashboard.peer_context import (
    MedianLine,
    area_attribute,
    direction,
    footnotes,
    home_rank,
    median_lines,
)
from dashboard.ranked_figures import ranked_bar_figure, ranked_trend_figure
from dashboard.review.marks import status_words
from dashboard.shaping import (
    RANKED_EACH_END,
    labelled,
    localized,
    missing_areas,
    named_series,
    ranked_rows,
    ranks_ascending,
    ratio_of,
    trend_leaders,
    unit_label,
    with_home,
)
from dashboard.small_multiples import SMALL_MULTIPLES_FROM, small_multiples_figure
from dashboard.state import ViewState
from dashboard.tables import TABLE_PAGE_ROWS, first_page, shown_columns
from dashboard.toolbar_image import toolbar_config

RANKED_FROM = 2 * RANKED_EACH_END + 2  # areas from which a view of all areas or a group is drawn ranked
MAX_NAMES_IN_CAPTION = 12  # of the areas that did not report: past this, "and N more"

COUNTS_KEY_SUFFIX = "-counts"  # the key of a derived rate's counts chart: `<rate id>-counts`
HOME_ROW_STYLE = {
    "if": {"filter_query": "{is_home} = true"},
    "backgroundColor": "#fff3bf",
    "fontWeight": "bold",
}
VALUE_CELL_STYLE = {
    "if": {"column_id": "value"},
    "color": "#1864ab",
    "cursor": "pointer",
    "textAlign": "right",
}


@dataclass(frozen=True)
class ChartPlan:
    """A chart of a panel before it is drawn: the page lays out a slot per plan and draws each chart on
    its own request."""

    key: str  # unique on the page: the graph id's `indicator`, the toolbar file name
    name: str  # the chart's title without its unit
    indicators: tuple[pd.Series, ...]  # what it plots; the first gives the caption's unit

    @property
    def indicator_ids(self) -> list[str]:
        return [indicator["id"] for indicator in self.indicators]

    @property
    def is_counts(self) -> bool:
        return self.key.endswith(COUNTS_KEY_SUFFIX)


@dataclass(frozen=True)
class PanelChart(ChartPlan):
    """One chart of a panel, as the page shows it and as `python -m dashboard export` frames it."""

    figure: go.Figure


def panel_charts(
    own: pd.DataFrame,
    indicators: pd.DataFrame,
    shaped: Mapping[str, pd.DataFrame],
    state: ViewState,
    selected: pd.DataFrame | None = None,
) -> list[PanelChart]:
    """The charts of a category's indicators (`own`), in the order `chart_plans` gives, from their rows
    shaped without the home area (`shaping.shape_all`: own indicators and the counts of their rates). The
    `selected` areas that gave no value keep their place in a bar chart, marked 未报告."""
    return [
        drawn_chart(plan, shaped, state, selected)
        for plan in chart_plans(own, indicators, shaped, state.lang)
    ]


def chart_plans(
    own: pd.DataFrame, indicators: pd.DataFrame, shaped: Mapping[str, pd.DataFrame], lang: str
) -> list[ChartPlan]:
    """A chart per indicator of `own`, in catalog order; a rate the catalog derives from two counts
    (`ratio_of`) comes first, beside a chart of those counts per area (found vs rectified), when both
    counts are shaped and share a unit (one unit on one axis)."""
    by_id = indicators.set_index("id", drop=False)
    paired: list[ChartPlan] = []
    single: list[ChartPlan] = []
    for _, indicator in own.iterrows():
        plan = ChartPlan(indicator["id"], localized(indicator, "name", lang), (indicator,))
        parts = ratio_of(indicator)  # (numerator, denominator): drawn denominator first
        counts = tuple(by_id.loc[part] for part in reversed(parts or ()) if part in shaped)
        if len(counts) == 2 and counts[0]["unit"] == counts[1]["unit"]:
            names = [localized(count, "name", lang) for count in counts]
            name = t("counts_title", lang, first=names[0], second=names[1])
            paired += [ChartPlan(f"{indicator['id']}{COUNTS_KEY_SUFFIX}", name, counts), plan]
        else:
            single.append(plan)
    return paired + single


def drawn_chart(
    plan: ChartPlan, shaped: Mapping[str, pd.DataFrame], state: ViewState, selected: pd.DataFrame | None
) -> PanelChart:
    """The chart a plan asks for, drawn from the shaped rows."""
    names = [] if selected is None else selected["short_name"].tolist()
    if plan.is_counts:
        figure = counts_figure(plan, shaped, state, names)
    else:
        figure = indicator_figure(plan.indicators[0], shaped[plan.key], state, names, selected)
    return PanelChart(plan.key, plan.name, plan.indicators, figure)


def counts_figure(
    plan: ChartPlan, shaped: Mapping[str, pd.DataFrame], state: ViewState, area_names: Sequence[str] = ()
) -> go.Figure:
    """The counts a rate is derived from, grouped per area, one colour per count."""
    lang = state.lang
    counts = plan.indicators
    kept, band = ranked_trend_rows(shaped[counts[0]["id"]], counts[0], state, area_names)
    rows = pd.concat(
        [
            named_series(
                with_home(kept_rows(shaped[ind["id"]], kept), state.home), localized(ind, "name", lang), lang
            )
            for ind in counts
        ]
    )
    unit = unit_label(counts[0], lang, state.per)
    ascending = ranks_ascending(counts[0])
    return view_figure(rows, plan.name, unit, state, area_names=area_names, ascending=ascending, band=band)


def caption(
    chart: PanelChart,
    shaped: Mapping[str, pd.DataFrame],
    selected: pd.DataFrame,
    state: ViewState,
    notes: Sequence[str] | None = None,
) -> html.Div:
    """Unit, definition (口径) of each indicator shown, how many selected areas reported the first, who
    did not report each, the home area's rank and the footnotes (`notes`: `footnote_lines`, when the
    caller has them already)."""
    lang = state.lang
    first = chart.indicators[0]
    several = len(chart.indicators) > 1
    lines = [html.Span(t("caption_unit", lang, unit=unit_label(first, lang, state.per)), className="unit")]
    for indicator in chart.indicators:
        text = localized(indicator, "definition", lang)
        name = localized(indicator, "name", lang)
        key = "caption_definition_of" if several else "caption_definition"
        lines.append(html.Span(t(key, lang, name=name, text=text)))
    missing_of = [missing_areas(shaped[indicator["id"]], selected) for indicator in chart.indicators]
    n_reported = len(selected) - len(missing_of[0])
    lines.append(html.Span(t("caption_reported", lang, n=n_reported, m=len(selected)), className="reported"))
    for indicator, missing in zip(chart.indicators, missing_of, strict=True):
        if missing:
            key = "caption_missing_of" if several else "caption_missing"
            name = localized(indicator, "name", lang)
            lines.append(
                html.Span(t(key, lang, name=name, names=named_list(missing, lang)), className="missing")
            )
    rank = rank_line(chart, shaped, selected, state)
    lines += [html.Span(rank, className="rank")] if rank else []
    notes = footnote_lines(chart, shaped, lang) if notes is None else notes
    lines += [html.Span(line, className="footnote") for line in notes]
    if state.per and first["per_capita"]:
        sources = sorted({population_source_words(s, lang) for s in selected["population_source"].dropna()})
        lines.append(html.Span(t("caption_population", lang, source=", ".join(sources))))
        no_population = selected.loc[selected["population"].isna(), "short_name"].tolist()
        if no_population:
            lines.append(html.Span(t("caption_no_population", lang, names=named_list(no_population, lang))))
    elif state.per:
        lines.append(html.Span(t("caption_not_per_capita", lang), className="not-per-capita"))
    return html.Div(lines, className="caption")


def rank_line(
    chart: PanelChart, shaped: Mapping[str, pd.DataFrame], selected: pd.DataFrame, state: ViewState
) -> str | None:
    """`★ 深圳排名：第2/5（同级地区中）` under a chart of one indicator with a better direction and a value
    of the home area; in a year range, its rank in its last year with a value."""
    if len(chart.indicators) > 1 or not state.home:
        return None
    rows = shaped[chart.indicators[0]["id"]]
    rank = home_rank(rows, selected, state.home, direction(chart.indicators[0]), state.year.is_trend)
    if rank is None:
        return None
    home = HOME_MARK + str(area_attribute(selected, state.home, "short_name"))
    series = rows["series"].to_numpy()
    among = t("rank_among_breakdowns" if (series != series[0]).any() else "rank_among", state.lang)
    key = "caption_rank" if rank.year is None else "caption_rank_year"
    return t(key, state.lang, home=home, rank=rank.rank, n=rank.n, year=rank.year, among=among)


def indicator_figure(
    indicator: pd.Series,
    shaped: pd.DataFrame,
    state: ViewState,
    area_names: Sequence[str] = (),
    areas: pd.DataFrame | None = None,
) -> go.Figure:
    """The chart of one indicator from its shaped rows; the target line only on a rate derived from
    counts (a closure rate), not on every percentage (a satisfaction rate has no such target); on bars,
    the median of every area of the view (and of the home area's province, from `areas`)."""
    kept, band = ranked_trend_rows(shaped, indicator, state, area_names)
    rows = with_home(kept_rows(shaped, kept), state.home)
    target = state.target if ratio_of(indicator) else None
    title = localized(indicator, "name", state.lang)
    unit = unit_label(indicator, state.lang, state.per)
    medians = [] if state.year.is_trend else median_lines(shaped, areas, state.home, state.lang)
    ascending = ranks_ascending(indicator)
    return view_figure(rows, title, unit, state, target, area_names, ascending, band, medians)


def ranked_trend_rows(
    rows: pd.DataFrame, indicator: pd.Series, state: ViewState, area_names: Sequence[str]
) -> tuple[list[str] | None, pd.DataFrame | None]:
    """In a ranked trend, the codes of the leading areas and the home area (what is drawn line by line)
    and the band of every area; elsewhere None (every area drawn) and no band."""
    if not (is_ranked(state, len(area_names)) and state.year.is_trend):
        return None, None
    return trend_leaders(rows, indicator, state.home)


def kept_rows(rows: pd.DataFrame, kept: list[str] | None) -> pd.DataFrame:
    return rows if kept is None else rows[rows["area_code"].isin(kept)]


def view_figure(
    rows: pd.DataFrame,
    title: str,
    unit: str,
    state: ViewState,
    target: float | None = None,
    area_names: Sequence[str] = (),
    ascending: bool = False,
    band: pd.DataFrame | None = None,
    medians: Sequence[MedianLine] = (),
) -> go.Figure:
    """Bars (latest or one year) or a trend (a year range) of shaped rows; a frame saying so when empty.
    Of `area_names` (the areas named), those with no row are marked 未报告 on a bar chart. A view of all
    areas or a group is drawn ranked: the same few bars or lines whatever the number of areas. Bars get
    the `medians` as reference lines."""
    lang = state.lang
    if rows.empty:
        return empty_figure(title, t("no_data", lang))
    if is_ranked(state, len(area_names)):
        return ranked_figure(rows, title, unit, state, target, ascending, band, medians)
    rows = labelled(rows, lang)  # every row drawn
    missing = [name for name in area_names if name not in set(rows["area"])]
    if state.year.is_trend:
        years = (state.year.first, state.year.last)
        if len(area_names) >= SMALL_MULTIPLES_FROM:  # four lines or more would cross: a chart per area
            return small_multiples_figure(rows, title, unit, lang, years, target, missing)
        return trend_figure(rows, title, unit, lang, target, years=years)
    return bar_figure(
        rows,
        title,
        unit,
        lang,
        label_years=state.year.is_latest,
        target=target,
        missing=missing,
        medians=medians,
    )


def is_ranked(state: ViewState, n_areas: int) -> bool:
    """Drawn ranked: a view of all areas or a group too large to draw every area legibly."""
    return state.ranked and n_areas >= RANKED_FROM


def ranked_figure(
    rows: pd.DataFrame,
    title: str,
    unit: str,
    state: ViewState,
    target: float | None,
    ascending: bool,
    band: pd.DataFrame | None,
    medians: Sequence[MedianLine] = (),
) -> go.Figure:
    """The ranked bars (best, worst, home, the rest in one row) or the trend of the leaders and the home
    area (`rows`) against the median and middle half of all (`band`); only the rows drawn are labelled;
    the `medians` of all areas (the rest too) as lines up the bars."""
    if state.year.is_trend and band is not None:
        chosen = (state.year.first, state.year.last)
        return ranked_trend_figure(labelled(rows, state.lang), band, title, unit, state.lang, target, chosen)
    ordered = rows.sort_values("rank_key", ascending=ascending, kind="stable")
    kept, rest = ranked_rows(ordered, state.home)
    kept = labelled(kept, state.lang)
    return ranked_bar_figure(kept, title, unit, state.lang, state.year.is_latest, rest, target, medians)


def named_list(names: list[str], lang: str) -> str:
    """Names joined the reader's way, cut after MAX_NAMES_IN_CAPTION with how many more."""
    shown = t("list_joiner", lang).join(names[:MAX_NAMES_IN_CAPTION])
    more = len(names) - MAX_NAMES_IN_CAPTION
    return shown + (t("and_more", lang, n=more) if more > 0 else "")


def footnote_lines(chart: PanelChart, shaped: Mapping[str, pd.DataFrame], lang: str) -> list[str]:
    """`† 截至2023年8月（非全年）：深圳 2023`: a line per footnote mark of the chart's values, for its caption
    and its picture's footer alike."""
    return [
        t("footnote", lang, mark=note.mark, note=note.note, names=named_list(list(note.names), lang))
        for note in footnotes([shaped[indicator["id"]] for indicator in chart.indicators], lang)
    ]


def chart_slot(key: str, query: str) -> html.Div:
    """A chart's place in its panel, filled on its own request (`query`: the view's query string, whose
    arrival asks for it): a panel of many charts is never one long request, and its charts arrive side
    by side."""
    return html.Div(
        [
            dcc.Loading(
                html.Div(html.Div(className="chart-pending"), id={"type": "chart-body", "indicator": key})
            ),
            dcc.Store(id={"type": "chart-view", "indicator": key}, data=query),
        ],
        className="chart-card",
    )


def table_view(
    category_id: str, first_rows: list[dict], n_pages: int, lang: str, marks: bool = False
) -> html.Div:
    """The table beside the charts, every area of the view, sorted and paged on the server (a page is
    what the browser holds): sent with its first page (`tables.first_page`, the home area's rows marked);
    clicking a value opens its evidence."""
    return html.Div(
        [
            html.Div(
                [
                    html.Span(t("table_hint", lang), className="hint"),
                    html.Button(t("download_csv", lang), id={"type": "csv", "cat": category_id}),
                    html.Button(t("download_xlsx", lang), id={"type": "xlsx", "cat": category_id}),
                    dcc.Download(id={"type": "download", "cat": category_id}),
                ],
                className="table-tools",
            ),
            dash_table.DataTable(
                id={"type": "table", "cat": category_id},
                columns=[{"name": t(f"col_{c}", lang), "id": c} for c in shown_columns(marks)],
                data=first_rows,
                sort_action="custom",
                sort_by=[],
                page_action="custom",
                page_current=0,
                page_size=TABLE_PAGE_ROWS,
                page_count=n_pages,
                style_table={"overflowX": "auto"},
                style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto", "fontSize": 13},
                style_cell_conditional=[{"if": {"column_id": "evidence"}, "minWidth": "260px"}],
                style_data_conditional=[HOME_ROW_STYLE, VALUE_CELL_STYLE],
                style_header={"fontWeight": "bold", "backgroundColor": "#f1f3f5"},
            ),
        ],
        className="table-view",
    )


def category_body(
    category: pd.Series,
    indicators: pd.DataFrame,
    shaped: Mapping[str, pd.DataFrame],
    state: ViewState,
    query: str,
    marks: bool = False,
) -> html.Div:
    """A category panel's chart slots (each chart drawn on its own request for the view's `query`) and
    its table of every area, the home area's rows marked on the page sent (the panel's head is part of
    the page skeleton); with `marks`, the table's review status column."""
    own = indicators[indicators["category"] == category["id"]]
    slots = [chart_slot(plan.key, query) for plan in chart_plans(own, indicators, shaped, state.lang)]
    first_rows, n_pages = first_page(shaped, own, state.lang, state.per, state.home)
    return html.Div(
        [
            html.Div(slots, className="chart-grid"),
            table_view(category["id"], first_rows, n_pages, state.lang, marks),
        ]
    )


def chart_body(
    plan: ChartPlan,
    shaped: Mapping[str, pd.DataFrame],
    selected: pd.DataFrame,
    state: ViewState,
    citations: Mapping[str, str],
    marks: bool = False,
) -> list:
    """What fills a chart's slot: the chart (with `marks`, each point's review status in its hover), its
    toolbar PNG framed as an export (`citations`: doc id -> citation, for the footer), and its caption."""
    drawn = with_review_words(shaped, plan, state.lang) if marks else shaped
    chart = drawn_chart(plan, drawn, state, selected)
    notes = footnote_lines(chart, drawn, state.lang)
    return [
        dcc.Graph(
            id={"type": "chart", "indicator": chart.key},
            figure=chart.figure,
            config=toolbar_config(chart, drawn, selected, state, citations, notes),
        ),
        caption(chart, drawn, selected, state, notes),
    ]


def with_review_words(
    shaped: Mapping[str, pd.DataFrame], plan: ChartPlan, lang: str
) -> dict[str, pd.DataFrame]:
    """The rows of the plan's indicators with each value's review status in words (`review`, read by
    figures.hover_texts), as new frames: the shaped frames are shared from a cache."""
    return {
        key: rows.assign(review=status_words(rows["status"], lang)) if key in plan.indicator_ids else rows
        for key, rows in shaped.items()
    }
