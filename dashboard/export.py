"""Chart files that stand alone in someone else's report: sizes for Word and slides, Windows-safe names
that say what is inside, a title naming the filter, a footer naming the source reports, ZIP and
multi-page PDF bundles.

The images come from dashboard.render; the charts themselves from the dashboard's own builders.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from pypdf import PdfReader, PdfWriter

from dashboard.render import CJK_FONT_FAMILY, ChartRenderer


@dataclass(frozen=True)
class ReportSize:
    """An image size in layout pixels; the file has width × scale by height × scale pixels."""

    width: int
    height: int
    scale: float


# At 800 layout px across a 16 cm A4 text column, the charts' 13 px labels print at ≈7 pt (at 1600 px
# they would shrink below 4 pt); scale 3 gives 2400 px, ≈380 dpi. Slides: 16:9, 1920×1080 pixels.
REPORT_SIZES: dict[str, ReportSize] = {
    "word": ReportSize(width=800, height=500, scale=3),
    "slide": ReportSize(width=1280, height=720, scale=1.5),
}
DEFAULT_REPORT_SIZE = "word"

# --- file names -------------------------------------------------------------------------------------
MAX_FILENAME_CHARS = 120  # well inside Windows' 255, leaving room for the folder in MAX_PATH
WINDOWS_ILLEGAL_CHARS = re.compile(
    r"[<>:\"/\\|?*]"  # reserved by Windows in any file name
    r"|[\x00-\x1f\x7f]"  # control characters
)
WHITESPACE_RUN = re.compile(r"\s+")
# Device names Windows refuses as a file name, with or without an extension (CON.png is CON).
WINDOWS_RESERVED_STEMS = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{n}" for n in range(1, 10)]
    + [f"LPT{n}" for n in range(1, 10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
AREA_NAME_JOINER = "、"
MAX_AREAS_IN_NAME = 4  # past this the name says "+N"

# --- the stand-alone frame ------------------------------------------------------------------------
FOOTER_TEXT = {"zh": "数据来源：{names}", "en": "Source: {names}"}
MORE_SOURCES_TEXT = {"zh": "等{n}份报告", "en": " and {more} more ({n} reports)"}
SOURCE_JOINER = {"zh": "；", "en": "; "}
MAX_SOURCES_NAMED = 3
FOOTER_HEIGHT_PX = 36
FOOTER_FONT = {"size": 11, "color": "#495057"}


def safe_filename(name: str, max_chars: int = MAX_FILENAME_CHARS) -> str:
    """`name` made safe as a file name on Windows, keeping Chinese and the extension where it fits."""
    cleaned = WINDOWS_ILLEGAL_CHARS.sub("_", WHITESPACE_RUN.sub(" ", name)).strip()
    stem, dot, ext = cleaned.rpartition(".")
    if not dot or not stem or len(ext) > 5:
        stem, ext = cleaned, ""
    suffix = f".{ext}" if ext else ""
    stem = stem[: max(1, max_chars - len(suffix))].rstrip(" .")
    if not stem:
        stem = "_"
    if stem.split(".")[0].rstrip().upper() in WINDOWS_RESERVED_STEMS:
        stem = f"_{stem}"
    return stem + suffix


def chart_stem(category: str, indicator: str, areas: Sequence[str], year: str) -> str:
    """`<category>-<indicator>_<areas>_<year>`: what a chart file holds, before the extension."""
    named = AREA_NAME_JOINER.join(areas[:MAX_AREAS_IN_NAME])
    if len(areas) > MAX_AREAS_IN_NAME:
        named += f"+{len(areas) - MAX_AREAS_IN_NAME}"
    return f"{category}-{indicator}_{named}_{year}"


def chart_filename(category: str, indicator: str, areas: Sequence[str], year: str, ext: str) -> str:
    """The Windows-safe file name for one chart, e.g. `隐患排查整治-隐患整改率_深圳、漯河_2022.png`."""
    return safe_filename(f"{chart_stem(category, indicator, areas, year)}.{ext}")


def sources_footer(source_names: Sequence[str], lang: str) -> str:
    """One line naming the reports the values come from, the first few by name."""
    unique = list(dict.fromkeys(source_names))
    named = SOURCE_JOINER[lang].join(unique[:MAX_SOURCES_NAMED])
    if len(unique) > MAX_SOURCES_NAMED:
        more = MORE_SOURCES_TEXT[lang].format(n=len(unique), more=len(unique) - MAX_SOURCES_NAMED)
        named += more
    return FOOTER_TEXT[lang].format(names=named)


def standalone(fig: go.Figure | dict[str, Any], title: str, footer: str) -> go.Figure:
    """A copy of the chart that explains itself outside the dashboard: a title naming the filter and a
    footer line naming the source reports, in a Simplified Chinese face."""
    framed = go.Figure(fig)
    bottom = framed.layout.margin.b if framed.layout.margin.b is not None else 60
    framed.update_layout(
        title_text=title,
        font_family=CJK_FONT_FAMILY,
        margin_b=bottom + FOOTER_HEIGHT_PX,
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
        yshift=-bottom,
        align="left",
        font=FOOTER_FONT,
    )
    return framed


def unique_names(names: Sequence[str]) -> list[str]:
    """The names with a counter added to repeats (`a.png`, `a (2).png`), so no file overwrites another."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        stem, dot, ext = name.rpartition(".")
        unique.append(name if seen[name] == 1 else f"{stem} ({seen[name]}){dot}{ext}")
    return unique


def render_files(
    figs: Mapping[str, go.Figure | dict[str, Any]],
    renderer: ChartRenderer,
    fmt: str = "png",
    size: ReportSize = REPORT_SIZES[DEFAULT_REPORT_SIZE],
) -> dict[str, bytes]:
    """File name -> image bytes for each chart; keys of `figs` are file stems (see `chart_stem`)."""
    names = unique_names([safe_filename(f"{stem}.{fmt}") for stem in figs])
    return {
        name: renderer.to_image(fig, fmt, size.width, size.height, size.scale)
        for name, fig in zip(names, figs.values(), strict=True)
    }


def export_zip(
    figs: Mapping[str, go.Figure | dict[str, Any]],
    renderer: ChartRenderer,
    fmt: str = "png",
    size: ReportSize = REPORT_SIZES[DEFAULT_REPORT_SIZE],
) -> bytes:
    """ "Export all": every chart rendered into one ZIP (UTF-8 names, so Chinese survives on Windows)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, image in render_files(figs, renderer, fmt, size).items():
            archive.writestr(name, image)
    return buffer.getvalue()


def merge_pdfs(pages: Sequence[bytes]) -> bytes:
    """One PDF with the pages of each given PDF in order (kaleido makes one single-page PDF a chart)."""
    writer = PdfWriter()
    for document in pages:
        writer.append(PdfReader(io.BytesIO(document)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
