"""Chart files that stand alone in someone else's report: at Word or slide sizes, with Windows-safe names
that say what is inside, a title naming the filter, a footer naming the source reports, ZIP bundles and
report packs (PDF, PPTX, DOCX: dashboard/report_pack.py).

The images come from dashboard.render; the charts themselves from the dashboard's own builders.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from dashboard import queries
from dashboard.chart_frame import (
    ExportChart,
    cited_footer,
    framed_figures,
    merge_pdfs,
    render_files,
    sources_footer,
    standalone,
)
from dashboard.citation import citation_body
from dashboard.filenames import chart_stem, safe_filename
from dashboard.i18n import t
from dashboard.panels import PanelChart, caption, panel_charts
from dashboard.peer_context import MARK_OF
from dashboard.render import (
    ChartRenderer,
    ImageRenderer,
    NoCjkFontError,
    RenderError,
    find_chromium,
    require_cjk_font,
)
from dashboard.report_sizes import DEFAULT_REPORT_SIZE, PACK_FORMATS, REPORT_SIZES, ReportSize
from dashboard.reports import problem_reason
from dashboard.shaping import localized, shape_all
from dashboard.state import AREA_SEPARATORS, ViewState
from dashboard.toolbar_image import (
    area_file_names,
    export_title,
    file_year_words,
    filter_words,
    view_areas_name,
)
from dashboard.view import load_state, selected_areas

# What tests and callers import from here; the frame itself lives in dashboard.chart_frame.
__all__ = ["ExportChart", "merge_pdfs", "sources_footer", "standalone", "export_zip", "chart_download"]
FILE_FORMATS = ("png", "svg")  # one file a chart; the PACK_FORMATS make one file of the whole view
EXPORT_FORMATS = (*FILE_FORMATS, *PACK_FORMATS)
FOOTNOTE_MARKS = tuple(MARK_OF.values())  # a caption line that starts with one is a footnote


def export_zip(
    figs: Mapping[str, go.Figure | dict[str, Any]],
    renderer: ImageRenderer,
    fmt: str = "png",
    size: ReportSize = REPORT_SIZES[DEFAULT_REPORT_SIZE],
) -> bytes:
    """ "Export all": every chart rendered into one ZIP (UTF-8 names, so Chinese survives on Windows)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, image in render_files(figs, renderer, fmt, size).items():
            archive.writestr(name, image)
    return buffer.getvalue()


# --- the `export` command ---------------------------------------------------------------------------
EXIT_WRITTEN, EXIT_FAILED, EXIT_USAGE, EXIT_NOTHING_MATCHED, EXIT_NO_CJK_FONT = 0, 1, 2, 3, 4
# CLI option -> URL parameter of the same view: the command renders what that link shows.
VIEW_OPTIONS = ("area", "level", "year", "cat", "per", "home", "target", "lang")
BUNDLE_LABEL = {"zh": "图表", "en": "charts"}  # a PDF or ZIP holding charts of several categories


def add_export_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The `export` subcommand: options mirror the dashboard's URL parameters."""
    parser = subparsers.add_parser(
        "export",
        help="write the dashboard's charts as image files (PNG, SVG) or one report (PDF, PPTX, DOCX)",
        description="Render the charts a dashboard link would show: png/svg one file per chart; pdf, pptx "
        "and docx one file of the whole view, a page or slide per chart with its 口径 and sources "
        "(--size does not apply to them). Exit status: "
        "0 files written, 1 failed (rendering, writing), 2 usage error (also an --out that is no writable "
        "folder), 3 nothing matched, 4 no CJK font installed.",
    )
    parser.add_argument(
        "--db", type=Path, default=queries.DEFAULT_DB, help="DuckDB built by `python -m etl run`"
    )
    parser.add_argument(
        "--area", required=True, help="codes, full or short names, comma-separated: 深圳,漯河"
    )
    parser.add_argument("--year", required=True, help="2022, 2021-2023 or latest")
    parser.add_argument("--level", help="city or county")
    parser.add_argument("--cat", help="one category id, e.g. hazards (default: all)")
    parser.add_argument("--per", help="10k: count indicators per 10,000 residents")
    parser.add_argument("--home", help="area highlighted in every chart")
    parser.add_argument("--target", help="closure-rate target line, in percent")
    parser.add_argument("--lang", default="zh", help="zh or en")
    parser.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="fmt")
    parser.add_argument("--size", default=DEFAULT_REPORT_SIZE, choices=sorted(REPORT_SIZES))
    parser.add_argument("--out", required=True, type=Path, help="folder for the files (created)")
    parser.add_argument("--chromium", help="Chromium executable (default /usr/bin/chromium)")
    parser.set_defaults(handler=run_export)
    return parser


def run_export(args: argparse.Namespace) -> int:
    """Write the files; the exit status says what happened (see EXIT_*), with one line on stderr."""
    try:
        require_cjk_font()
    except NoCjkFontError as error:
        return _fail(EXIT_NO_CJK_FONT, str(error))
    if find_chromium(args.chromium) is None:
        return _fail(EXIT_USAGE, f"--chromium {args.chromium}: not an executable file")
    problem = queries.db_problem(args.db)
    if problem:
        reason = problem_reason(problem, "en")
        return _fail(
            EXIT_USAGE, f"no usable database at {args.db} ({reason}): build it with `python -m etl run`"
        )
    if not AREA_SEPARATORS.sub("", args.area):
        return _fail(EXIT_USAGE, "--area names no area: give codes or names, comma-separated (深圳,漯河)")
    search = urlencode({o: getattr(args, o) for o in VIEW_OPTIONS if getattr(args, o) is not None})
    state, notices, _, areas = load_state(args.db, search, cut_years=False)  # the years as given: none -> 3
    if notices:
        return _fail(EXIT_USAGE, " ".join(t(key, args.lang, **values) for key, values in notices))
    charts = dashboard_charts(args.db, state, areas)
    if not charts:
        return _fail(EXIT_NOTHING_MATCHED, f"no reported values match {search}")
    out_problem = prepare_out(args.out)
    if out_problem:
        return _fail(EXIT_USAGE, f"--out {args.out}: {out_problem}")
    try:
        written = write_charts(charts, args.out, args.fmt, REPORT_SIZES[args.size], args.chromium, state.lang)
    except RenderError as error:
        return _fail(EXIT_FAILED, str(error))
    except OSError as error:
        return _fail(EXIT_FAILED, f"--out {args.out}: {error.strerror or error}")
    for path in written:
        print(path)
    return EXIT_WRITTEN


def prepare_out(out: Path) -> str | None:
    """Create the output folder; why it cannot hold the files (not a folder, not writable), or None."""
    if out.exists() and not out.is_dir():
        return "exists and is not a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"cannot be created ({error.strerror or error})"
    if not os.access(out, os.W_OK | os.X_OK):
        return "is not writable"
    return None


def _fail(status: int, reason: str) -> int:
    print(f"export: {reason}", file=sys.stderr)
    return status


def dashboard_charts(db_path: Path, state: ViewState, areas: pd.DataFrame) -> list[ExportChart]:
    """The charts the dashboard shows for this view, framed to stand alone; those with no value left out."""
    lang = state.lang
    selected = selected_areas(areas, state)
    area_names = area_file_names(selected, lang)
    categories = queries.categories(db_path)
    if state.cat:
        categories = categories[categories["id"] == state.cat]
    indicators = queries.indicators(db_path)
    dim_values = queries.dim_values(db_path)
    codes = selected["code"].tolist()
    values = queries.indicator_values(db_path, codes, state.year.first, state.year.last, state.only_reviewed)
    areas_name = view_areas_name(state, selected)
    charts = []
    shaped = shape_all(values, indicators, dim_values, lang, state.per)
    cited = document_citations(db_path, values["doc_id"].unique().tolist(), lang)
    for _, category in categories.iterrows():
        own = indicators[indicators["category"] == category["id"]]
        for chart in panel_charts(own, indicators, shaped, state, selected):
            shown = values[values["indicator"].isin(chart.indicator_ids)]
            if shown.empty:
                continue
            name = localized(category, "name", lang)
            stem = chart_stem(name, chart.name, area_names, file_year_words(state), t("list_joiner", lang))
            unit_title = chart.figure.layout.title.text  # the name with its unit, as on the page
            title = export_title(unit_title, state, areas_name)
            sources = tuple(dict.fromkeys(shown["title"].fillna(shown["file_name"])))
            definitions, notes = caption_text(chart, shaped, selected, state)
            citations = tuple(dict.fromkeys(cited[doc_id] for doc_id in shown["doc_id"]))
            footer = cited_footer(citations, lang, notes=[n for n in notes if n.startswith(FOOTNOTE_MARKS)])
            view = tuple(filter_words(state, areas_name))
            charts.append(
                ExportChart(
                    chart.figure, stem, title, footer, lang, view, definitions, notes, sources, citations
                )
            )
    return charts


def document_citations(db_path: Path, doc_ids: list[str], lang: str) -> dict[str, str]:
    """Doc id -> what its citation names (publisher《title》，date，address), for an exported chart's
    sources: its footer and the text beside it in a report pack."""
    sources = queries.document_sources(db_path, doc_ids)
    return {row["id"]: citation_body(row, lang) for row in sources.to_dict("records")}


def caption_text(
    chart: PanelChart, shaped: Mapping[str, pd.DataFrame], selected: pd.DataFrame, state: ViewState
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The chart's caption on the page as text: the 口径 of each indicator drawn, and the other lines
    (unit, who reported, who did not, population source). The caption puts the unit first, then one
    definition per indicator."""
    lines = tuple(span.children for span in caption(chart, shaped, selected, state).children)
    n = len(chart.indicators)
    return lines[1 : 1 + n], (lines[0], *lines[1 + n :])


def write_charts(
    charts: Sequence[ExportChart], out: Path, fmt: str, size: ReportSize, chromium: str | None, lang: str
) -> list[Path]:
    """One file per chart, or for a report format one file of the whole view; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    with ChartRenderer(chromium) as renderer:
        if fmt in PACK_FORMATS:
            name, content = pack_file(charts, renderer, fmt, BUNDLE_LABEL[lang])
            files = {name: content}
        else:
            files = render_files(framed_figures(charts), renderer, fmt, size)
    written = []
    for name, content in files.items():
        path = out / name
        path.write_bytes(content)
        written.append(path)
    return written


def pack_file(
    charts: Sequence[ExportChart], renderer: ImageRenderer, fmt: str, label: str
) -> tuple[str, bytes]:
    """The report pack's file name (what the view shows) and bytes. python-pptx and python-docx are
    loaded on the first pack, not when a server process starts."""
    from dashboard.report_pack import report_pack

    return safe_filename(f"{bundle_stem(label, charts)}.{fmt}"), report_pack(charts, renderer, fmt)


def bundle_stem(label: str, charts: Sequence[ExportChart]) -> str:
    """`<label>_<areas>_<year>`: a PDF or ZIP named for what its charts show."""
    return f"{label}_{charts[0].stem.split('_', 1)[1]}"


def chart_download(
    charts: Sequence[ExportChart], renderer: ImageRenderer, fmt: str, size: ReportSize, label: str
) -> tuple[str, bytes]:
    """What the dashboard's export menu sends: a report pack (pdf, pptx, docx) of every chart; else one
    chart as its image file, several as one ZIP."""
    if fmt in PACK_FORMATS:
        return pack_file(charts, renderer, fmt, label)
    figs = framed_figures(charts)
    if len(figs) == 1:
        ((name, image),) = render_files(figs, renderer, fmt, size).items()
        return name, image
    return safe_filename(f"{bundle_stem(label, charts)}.zip"), export_zip(figs, renderer, fmt, size)
