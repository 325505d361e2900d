"""A chart framed to stand alone in someone else's report: a title naming the filter, a footer naming the
source reports, text sized for the report (Word page, slide), rendered to image files.

Shared by the `export` command, the export menu and the report pack (dashboard/report_pack.py).
"""

from __future__ import annotations

import html
import io
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from pypdf import PdfReader, PdfWriter

from dashboard.citation import cite_line
from dashboard.filenames import safe_filename, unique_names
from dashboard.render import CJK_FONT_FAMILY, ImageRenderer
from dashboard.report_sizes import DEFAULT_REPORT_SIZE, REPORT_SIZES, ReportSize

FOOTER_TEXT = {"zh": "数据来源：{names}", "en": "Source: {names}"}
MORE_SOURCES_TEXT = {"zh": "等{n}份报告", "en": " and {more} more ({n} reports)"}
SOURCE_JOINER = {"zh": "；", "en": "; "}
MORE_CITED_TEXT = {"zh": "另有{more}份报告（共{n}份）", "en": "and {more} more reports ({n} in all)"}
# An annotation does not wrap: two names of at most 28 characters fit one line of an 800 px chart.
MAX_SOURCES_NAMED = 2
MAX_SOURCE_CHARS = 28
# A cited footer is broken into lines instead: ems a line at the footer's 10 px, within the 800 px of the
# narrowest size (a slide's larger text has 1280 px)
FOOTER_LINE_EM = 74
FOOTER_FONT = {"size": 10, "color": "#495057"}
FOOTER_HEIGHT_PX = 30
FOOTER_LINE_PX = 14  # each further line of a footer broken with <br>
EDGE_PX = 10
# The legend sits between the title (pinned to the top edge) and the plot, in as many rows as its entries
# need at the narrowest export (the Word size's 800 px at 13 px labels; a slide's 1280 px has 18 px
# labels, the same 61 ems). Plotly lays a wrapped legend out in columns as wide as its widest entry, each
# entry its text and LEGEND_ENTRY_PX (symbol and gaps); a row is LEGEND_ROW_EM of the legend's text tall.
NARROWEST_EXPORT_PX = 800
LEGEND_ENTRY_PX = 45
LEGEND_ROW_EM = 1.5
LEGEND_GAP_PX = 10
# Past this many rows the legend would squash the plot (32 lines of 16 areas over a year range): it is left
# out, and a line in its place says where the series are named (the page's legend, the table view)
MAX_LEGEND_ROWS = 4
LEGEND_LEFT_OUT_TEXT = {
    "zh": "图例共 {n} 项，此处从略：请见网页图表或表格视图",
    "en": "The legend's {n} entries are left out here: see the chart on the dashboard or the table view",
}
DEFAULT_MARGIN_PX = 80  # plotly's own margin, where a figure sets none
BASE_FONT_PX = 13  # the dashboard's label size (figures.layout_spec), what `zoomed` scales from
FONT_KEYS = {"font", "textfont", "tickfont", "insidetextfont", "outsidetextfont"}
SHIFT_KEYS = {"xshift", "yshift"}
MARGIN_SIDES = ("l", "r", "t", "b")


@dataclass(frozen=True)
class ExportChart:
    """One chart as the dashboard draws it, with what its file name, footer and report pack need."""

    figure: go.Figure
    stem: str
    title: str  # the chart's name and unit, then the view's words
    footer: str  # one line naming the first sources, for the image itself
    lang: str = "zh"
    view: tuple[str, ...] = ()  # the filter in words: areas, years, per 10k
    definitions: tuple[str, ...] = ()  # 口径 of each indicator drawn
    notes: tuple[str, ...] = ()  # unit, who reported, who did not, population source
    sources: tuple[str, ...] = ()  # every report the values come from, each once
    citations: tuple[str, ...] = ()  # the same reports cited in full (publisher《title》，date，address)


def sources_footer(
    source_names: Sequence[str], lang: str, named: int = MAX_SOURCES_NAMED, max_chars: int = MAX_SOURCE_CHARS
) -> str:
    """One line naming the reports the values come from: the first few, each cut to fit the width."""
    unique = list(dict.fromkeys(source_names))
    shown = [_shortened(name, max_chars) for name in unique[:named]]
    text = SOURCE_JOINER[lang].join(shown)
    if len(unique) > named:
        text += MORE_SOURCES_TEXT[lang].format(n=len(unique), more=len(unique) - named)
    return FOOTER_TEXT[lang].format(names=text)


def cited_footer(
    citations: Sequence[str], lang: str, named: int = MAX_SOURCES_NAMED, notes: Sequence[str] = ()
) -> str:
    """The picture's footer when the reports are cited: the chart's footnotes (`notes`: † part-year, ‡
    narrower 口径, which must travel with the values they mark), then the first few citations (publisher
    《title》，date，address), never cut (a cut address leads nowhere) but broken into lines of the
    chart's width, as annotation text (escaped, lines joined with <br>)."""
    unique = list(dict.fromkeys(citations))
    text = SOURCE_JOINER[lang].join(unique[:named])
    if len(unique) > named:
        text += MORE_SOURCES_TEXT[lang].format(n=len(unique), more=len(unique) - named)
    lines = [*(line for note in notes for line in wrap(note, FOOTER_LINE_EM))]
    lines += wrap(FOOTER_TEXT[lang].format(names=text), FOOTER_LINE_EM)
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def cited_lines(citations: Sequence[str], lang: str, named: int) -> list[str]:
    """The first `named` citations, a 出处： line each, never cut, then how many more reports the values
    come from."""
    unique = list(dict.fromkeys(citations))
    lines = [cite_line(body, lang) for body in unique[:named]]
    if len(unique) > named:
        lines.append(MORE_CITED_TEXT[lang].format(n=len(unique), more=len(unique) - named))
    return lines


def _shortened(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def text_em(text: str) -> float:
    """The width of `text` in ems: a CJK character 1 em, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55 for char in text)


def wrap(text: str, width_em: float) -> list[str]:
    """`text` broken into lines of at most `width_em` ems (a CJK character 1 em, others about half)."""
    lines, line, used = [], "", 0.0
    for char in text:
        em = text_em(char)
        if used + em > width_em:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += em
    return [*lines, line]


def legend_names(fig: go.Figure) -> list[str]:
    """The names the chart's legend shows (none when plotly draws no legend)."""
    if fig.layout.showlegend is False:
        return []
    names = [trace.name or "" for trace in fig.data if trace.showlegend is not False]
    return names if fig.layout.showlegend or len(names) > 1 else []


def legend_rows(names: Sequence[str], width_px: float, font_px: float) -> int:
    """How many rows plotly breaks a horizontal legend of `names` into within `width_px`: one when every
    entry fits side by side, else columns as wide as the widest entry."""
    if not names:
        return 0
    widths = [text_em(name) * font_px + LEGEND_ENTRY_PX for name in names]
    if sum(widths) <= width_px:
        return 1
    return math.ceil(len(names) / max(1, int(width_px // max(widths))))


def legend_font_px(fig: go.Figure) -> float:
    return fig.layout.legend.font.size or fig.layout.font.size or BASE_FONT_PX


def legend_at_bottom(fig: go.Figure) -> bool:
    """Whether the chart puts its legend at the picture's bottom edge (a small-multiples grid)."""
    return fig.layout.legend.yref == "container"


def title_lang(title: str) -> str:
    """The language of an export title: it starts with the chart's name, Chinese on a zh page."""
    return "zh" if title and unicodedata.east_asian_width(title[0]) in "WF" else "en"


def frame_changes(
    margin: Mapping[str, Any],
    title: str,
    footer: str,
    legend: Sequence[str],
    font_px: float,
    lang: str,
    legend_at_bottom: bool = False,
) -> dict[str, Any]:
    """The layout changes that frame a chart (`margin`: its own; `legend`: the names its legend shows) as
    plain data, so the browser's toolbar PNG can apply them too: the title pinned to the top edge, the
    legend under it in the rows it needs (or left out, with a note, past MAX_LEGEND_ROWS), the sources
    footer at the bottom edge (lines broken with <br>); `annotations` are to add to the chart's own. A
    small-multiples grid names its areas just above its panels: its legend stays at the picture's bottom
    (`legend_at_bottom`, where the grid put it), under the footer."""
    top, bottom, left, right = (margin.get(side, DEFAULT_MARGIN_PX) for side in ("t", "b", "l", "r"))
    rows = legend_rows(legend, NARROWEST_EXPORT_PX - left - right, font_px)
    left_out = rows > MAX_LEGEND_ROWS
    legend_px = LEGEND_GAP_PX + (1 if left_out else max(rows, 1)) * math.ceil(LEGEND_ROW_EM * font_px)
    notes = [_note(footer, 0, "top", -bottom, left)]
    if left_out:
        notes.append(_note(LEGEND_LEFT_OUT_TEXT[lang].format(n=len(legend)), 1, "bottom", EDGE_PX, left))
    footer_px = FOOTER_HEIGHT_PX + FOOTER_LINE_PX * footer.count("<br>")
    changes = {
        "title": {"text": title, "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": EDGE_PX}},
        "font": {"family": CJK_FONT_FAMILY},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom"},
        "margin": {"t": top + legend_px, "b": bottom + footer_px},
        "annotations": notes,
    }
    if legend_at_bottom and legend and not left_out:
        changes["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom"}
        changes["margin"] = {"t": top + LEGEND_GAP_PX, "b": bottom + footer_px + legend_px}
    return changes | {"showlegend": False} if left_out else changes


def _note(text: str, y: float, anchor: str, yshift: float, left: float) -> dict[str, Any]:
    """Text at the left edge of the picture, `yshift` px off the plot's bottom (0) or top (1)."""
    return {
        "text": text,
        "showarrow": False,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": y,
        "xanchor": "left",
        "yanchor": anchor,
        "xshift": EDGE_PX - left,
        "yshift": yshift,
        "align": "left",
        "font": dict(FOOTER_FONT),
    }


def standalone(
    fig: go.Figure | dict[str, Any], title: str, footer: str, lang: str | None = None
) -> go.Figure:
    """A copy of the chart that explains itself outside the dashboard: a title naming the filter and a
    footer naming the source reports (lines broken with <br>), in a Simplified Chinese face; the legend
    between them (`frame_changes`). `lang`: of the note on a legend left out (else the title's)."""
    framed = go.Figure(fig)
    margin = {
        side: value for side, value in framed.layout.margin.to_plotly_json().items() if value is not None
    }
    legend, font_px = legend_names(framed), legend_font_px(framed)
    at_bottom = legend_at_bottom(framed)
    changes = frame_changes(margin, title, footer, legend, font_px, lang or title_lang(title), at_bottom)
    framed.update_layout({key: value for key, value in changes.items() if key != "annotations"})
    for note in changes["annotations"]:
        framed.add_annotation(note)
    return framed


def zoomed(fig: go.Figure, font_px: int) -> go.Figure:
    """A copy whose text is `font_px / 13` times larger, with margins and annotation offsets grown alike:
    a slide is read from across a room, so its labels must be larger than on a page."""
    factor = font_px / BASE_FONT_PX
    spec = fig.to_dict()
    _scale_text(spec, factor)
    margin = spec["layout"].setdefault("margin", {})
    for side in MARGIN_SIDES:
        if side in margin:
            margin[side] = round(margin[side] * factor)
    spec["layout"].setdefault("font", {})["size"] = font_px
    return go.Figure(spec)


def _scale_text(node: Any, factor: float) -> None:
    """Every explicit font size and annotation offset below `node`, multiplied in place."""
    if isinstance(node, list):
        for item in node:
            _scale_text(item, factor)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in FONT_KEYS and isinstance(value, dict) and isinstance(value.get("size"), int | float):
            value["size"] = value["size"] * factor
        elif key in SHIFT_KEYS and isinstance(value, int | float):
            node[key] = value * factor
        _scale_text(value, factor)


def sized(fig: go.Figure | dict[str, Any], size: ReportSize) -> go.Figure | dict[str, Any]:
    """The figure with its text at the report size's label size, if the size sets one."""
    return zoomed(go.Figure(fig), size.font_px) if size.font_px else fig


def render_files(
    figs: Mapping[str, go.Figure | dict[str, Any]],
    renderer: ImageRenderer,
    fmt: str = "png",
    size: ReportSize = REPORT_SIZES[DEFAULT_REPORT_SIZE],
) -> dict[str, bytes]:
    """File name -> image bytes for each chart; keys of `figs` are file stems (see `chart_stem`)."""
    names = unique_names([safe_filename(f"{stem}.{fmt}") for stem in figs])
    return {
        name: renderer.to_image(sized(fig, size), fmt, size.width, size.height, size.scale)
        for name, fig in zip(names, figs.values(), strict=True)
    }


def framed_figures(charts: Sequence[ExportChart]) -> dict[str, go.Figure]:
    """File stem -> the chart framed to stand alone (title naming the filter, footer naming sources)."""
    return {chart.stem: standalone(chart.figure, chart.title, chart.footer) for chart in charts}


def merge_pdfs(pages: Sequence[bytes]) -> bytes:
    """One PDF with the pages of each given PDF in order (kaleido makes one single-page PDF a chart)."""
    writer = PdfWriter()
    for document in pages:
        writer.append(PdfReader(io.BytesIO(document)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
