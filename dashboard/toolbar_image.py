"""The chart toolbar's PNG, made to stand alone as the export menu's images do: the export title (the
chart's name and unit, the areas, the year(s)), a footer naming the source reports, the Word size of
report_sizes.py and a file name in the page's language without internal ids (`深圳-隐患整改率-2023.png`).

The server only puts the words and the layout changes in the graph's toolbar options (`graph_config`);
assets/toolbar_image.js applies them to a copy of the chart when the button is pressed, in the browser:
no server round trip, and nothing added to the page's figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dashboard.chart_frame import (
    BASE_FONT_PX,
    cited_footer,
    frame_changes,
    legend_at_bottom,
    legend_font_px,
    legend_names,
)
from dashboard.figures import graph_config
from dashboard.filenames import AREA_NAME_JOINER, safe_filename, view_file_stem
from dashboard.i18n import t
from dashboard.layout import province_short
from dashboard.state import GROUP_CITIES, ViewState

if TYPE_CHECKING:  # panels imports this module
    from dashboard.panels import PanelChart

TITLE_SEPARATOR = " · "
MAX_AREAS_IN_TITLE = 5  # named in an exported chart's title; past this, how many


def view_areas_name(state: ViewState, selected: pd.DataFrame) -> str:
    """The areas of the view as a title names them: the group (所有地区, 所有地级市, 广东全部地区), the
    areas named when there are few, else how many: a title never lists hundreds of names."""
    lang = state.lang
    if state.group == GROUP_CITIES or (state.level == "city" and not state.areas and not state.group):
        return t("group_cities", lang)
    if state.group:
        in_group = selected[selected["province_code"].str[:2] == state.group.removeprefix("prov:")]
        if len(in_group):
            return t("group_province", lang, province=province_short(in_group["province"].iloc[0]))
    if not state.areas and not state.group and not state.level:
        return t("view_all_areas", lang)
    if len(selected) <= MAX_AREAS_IN_TITLE:
        return AREA_NAME_JOINER.join(selected["short_name"])
    return t("view_n_areas", lang, n=len(selected))


def year_words(state: ViewState) -> str:
    return t("year_latest", state.lang) if state.year.is_latest else str(state.year)


def file_year_words(state: ViewState) -> str:
    """The year(s) in a file name: `2023`, `2021-2024`, or 最新 / latest (no internal id, no note)."""
    return t("file_latest", state.lang) if state.year.is_latest else str(state.year)


def filter_words(state: ViewState, areas_name: str) -> list[str]:
    """What the view is filtered to, in words: the areas (`view_areas_name`), the year(s), per 10k."""
    return [areas_name, year_words(state)] + [t("per_10k", state.lang)] * bool(state.per)


def export_title(figure_title: str, state: ViewState, areas_name: str) -> str:
    """`隐患整改率（%） · 深圳、漯河 · 2023`: the chart's name and unit, then the filter."""
    return TITLE_SEPARATOR.join([figure_title, *filter_words(state, areas_name)])


def source_docs(frames: Sequence[pd.DataFrame]) -> tuple[str, ...]:
    """The documents the values of each indicator's rows (`frames`, in id order) come from, each once, in
    the order the export reads them (indicator, area, year): the footer cites the first few."""
    docs: list[str] = []
    for rows in frames:
        # (area, year) as one integer: sorting strings costs several ms a chart at 300 areas x 10 years
        codes, areas = pd.factorize(rows["area_code"])  # hashed; only the few distinct codes are sorted
        area_rank = np.argsort(np.argsort(areas.to_numpy(dtype=str)))[codes].astype(np.int64)
        order = np.argsort(area_rank * 10_000 + rows["year"].to_numpy(dtype=np.int64), kind="stable")
        docs += pd.unique(rows["doc_id"].to_numpy()[order]).tolist()
    return tuple(dict.fromkeys(docs))


def frame_layout(
    margin: Mapping[str, Any],
    title: str,
    footer: str,
    legend: Sequence[str] = (),
    lang: str = "zh",
    font_px: float = BASE_FONT_PX,
    at_bottom: bool = False,
) -> dict[str, Any]:
    """The layout changes that frame a chart as chart_frame.standalone does, as plain data for the
    browser (`legend`: the names the chart's legend shows, in `font_px`; `at_bottom`: where a grid puts
    it): `annotations` are to add to the chart's own."""
    return frame_changes(margin, title, footer, legend, font_px, lang, at_bottom)


def area_file_names(selected: pd.DataFrame, lang: str) -> list[str]:
    """The selected areas' names in the page's language: 深圳, or Shenzhen (from the stored pinyin)."""
    if lang == "zh" or "pinyin" not in selected:
        return selected["short_name"].tolist()
    return [
        pinyin.split()[0].capitalize() if isinstance(pinyin, str) and pinyin else name
        for name, pinyin in zip(selected["short_name"], selected["pinyin"], strict=True)
    ]


def toolbar_filename(indicator_name: str, selected: pd.DataFrame, state: ViewState, areas_name: str) -> str:
    """`深圳、漯河-隐患整改率-2023`: areas, indicator and year(s) in the page's language, safe on Windows;
    a view of a group is named by it (`areas_name`, from `view_areas_name`)."""
    names = area_file_names(selected, state.lang) if state.areas else [areas_name]
    joiner = t("list_joiner", state.lang)
    return safe_filename(view_file_stem(names, indicator_name, file_year_words(state), joiner))


def toolbar_config(
    chart: PanelChart,
    shaped: Mapping[str, pd.DataFrame],
    selected: pd.DataFrame,
    state: ViewState,
    citations: Mapping[str, str],
    notes: Sequence[str] = (),
) -> dict:
    """The chart's dcc.Graph config: its toolbar PNG framed as the chart's export is, with the export title
    and footer: its footnotes (`notes`) and its reports' citations (`citations`: doc id -> citation).
    None on a chart with no value: it says so itself."""
    areas_name = view_areas_name(state, selected)
    filename = toolbar_filename(chart.name, selected, state, areas_name)
    frames = [shaped[i] for i in sorted(chart.indicator_ids) if i in shaped]
    if not any(len(rows) for rows in frames):
        return graph_config(filename, state.lang)
    title = export_title(chart.figure.layout.title.text, state, areas_name)
    # a document the map lacks: read from a file swapped in meanwhile (the next request has it)
    cited = [citations[doc] for doc in source_docs(frames) if doc in citations]
    footer = cited_footer(cited, state.lang, notes=notes)
    margin = chart.figure.layout.margin.to_plotly_json()
    legend = legend_names(chart.figure)
    font_px, at_bottom = legend_font_px(chart.figure), legend_at_bottom(chart.figure)
    frame = frame_layout(margin, title, footer, legend, state.lang, font_px, at_bottom)
    return graph_config(filename, state.lang, frame)
