"""A chart framed to stand alone in someone else's report: a title naming the filter, a footer naming the
source reports, text sized for the report (Word page, slide), rendered to image files.

Shared by the `export` command, the export menu and the report pack (dashboard/report_pack.py).
"""

from __future__ import annotations

import html
import io
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
LEGEND_HEIGHT_PX = 30
EDGE_PX = 10
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


def cited_footer(citations: Sequence[str], lang: str, named: int = MAX_SOURCES_NAMED) -> str:
    """The picture's footer when the reports are cited: the first few citations (publisher《title》，date，
    address), never cut (a cut address leads nowhere) but broken into lines of the chart's width, as
    annotation text (escaped, lines joined with <br>)."""
    unique = list(dict.fromkeys(citations))
    text = SOURCE_JOINER[lang].join(unique[:named])
    if len(unique) > named:
        text += MORE_SOURCES_TEXT[lang].format(n=len(unique), more=len(unique) - named)
    lines = wrap(FOOTER_TEXT[lang].format(names=text), FOOTER_LINE_EM)
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def cited_lines(citations: Sequence[str], lang: str, named: int) -> list[str]:
    """The first `named` citations, a 出处： line each, never cut, then how many more reports the values
    come from."""
    unique = list(dict.fromkeys(citations))
    lines = [cite_line(body, lang) for body in unique[:named]]
    if len(unique) > named:
        lines.append(MORE_CITED_TEXT[lang].format(n=len(unique), more=len(unique) - named))
    return lines


def wrap(text: str, width_em: float) -> list[str]:
    """`text` broken into lines of at most `width_em` ems (a CJK character 1 em, others about half)."""
    lines, line, used = [], "", 0.0
    for char in text:
        em = 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55
        if used + em > width_em:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += em
    return [*lines, line]


def _shortened(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def standalone(fig: go.Figure | dict[str, Any], title: str, footer: str) -> go.Figure:
    """A copy of the chart that explains itself outside the dashboard: a title naming the filter and a
    footer naming the source reports (lines broken with <br>), in a Simplified Chinese face. The legend
    moves under the title, so the footer at the bottom edge never runs into it whatever the export size."""
    framed = go.Figure(fig)
    margin = framed.layout.margin
    top = margin.t if margin.t is not None else 80
    bottom = margin.b if margin.b is not None else 80
    left = margin.l if margin.l is not None else 80
    framed.update_layout(
        title_text=title,
        font_family=CJK_FONT_FAMILY,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom"},
        margin_t=top + LEGEND_HEIGHT_PX,
        margin_b=bottom + FOOTER_HEIGHT_PX + FOOTER_LINE_PX * footer.count("<br>"),
    )
    framed.add_annotation(
        text=footer,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        xshift=EDGE_PX - left,
        yshift=-bottom,
        align="left",
        font=FOOTER_FONT,
    )
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
