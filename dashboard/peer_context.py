"""Peer context of a chart, as pure functions of shaped rows (shaping.py) and the area table: the home
area's rank among the areas of its level, the median of the areas shown (and of the home area's
province) as reference lines, and the footnote marks of values measured differently from the rest.

A bureau chief reads "第2/5" and a median line faster than twenty bars; a bar whose figure covers eight
months, or comes from a reply to one proposal, must say so wherever it travels (chart, table, export).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.code_words import period_note_words
from dashboard.i18n import doc_type_name, t
from dashboard.numbers import format_number

MEDIAN_MIN_AREAS = 3  # a median of two is noise
PROVINCE_MIN_AREAS = 5  # a province's own median line from this many areas with values
# Documents whose figures are narrower than a bureau's totals (a reply counts what one proposal asked
# about): marked only beside figures from other documents, since some indicators come from them alone.
NARROW_DOC_TYPES = ("suggestion_reply", "suggestion_summary")
# A value's differences as bits of its `marks` (a small integer: cheap to store and compare on 11,000
# rows), each written as its footnote mark
PART_YEAR, NARROW_DOC, NARROW_SCOPE = 1, 2, 4
MARK_OF = {PART_YEAR: "†", NARROW_DOC: "‡", NARROW_SCOPE: "§"}  # in the order footnotes are listed
MARKS = np.array(["".join(m for bit, m in MARK_OF.items() if code & bit) for code in range(8)], dtype=object)
SCOPES = ("campaign", "season", "event", "subunit", "kind", "added", "other_area", "part", "repeat")
NOTE_COLUMNS = ("marks", "period", "period_note", "doc_type", "scope")  # what a value's notes are read from
NOTE_JOINER = {"zh": "；", "en": "; "}
MEDIAN_COLOUR = "#495057"
PROVINCE_MEDIAN_COLOUR = "#868e96"


@dataclass(frozen=True)
class Rank:
    """The home area's place: `rank` of `n` areas of its level with a value (ties share the better)."""

    rank: int
    n: int
    year: int | None = None  # the year ranked, in a year range


@dataclass(frozen=True)
class MedianLine:
    value: float
    label: str
    province: bool = False


@dataclass(frozen=True)
class Footnote:
    """One footnote under a chart: its mark, what differs, and the values it concerns (`深圳 2023`)."""

    mark: str
    note: str
    names: tuple[str, ...]


def direction(indicator: pd.Series | dict) -> bool | None:
    """Whether higher is better; None where the catalog gives no better direction (nothing to rank)."""
    better = indicator.get("higher_is_better")
    return None if better is None or pd.isna(better) else bool(better)


def area_values(rows: pd.DataFrame, year: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(area codes, values) of the areas with a value as the charts rank them: each area's largest
    `shown` (of its breakdowns, as the `rank_key` of a one-year view), in `year` only when given. In
    numpy: it runs for every chart of every cold panel."""
    codes, shown = rows["area_code"].to_numpy(), rows["shown"].to_numpy(dtype=float)
    if year is not None:
        kept = rows["year"].to_numpy() == year
        codes, shown = codes[kept], shown[kept]
    at, areas = pd.factorize(codes)
    largest = np.full(len(areas), np.nan)
    np.fmax.at(largest, at[at >= 0], shown[at >= 0])
    known = ~np.isnan(largest)
    return np.asarray(areas, dtype=object)[known], largest[known]


def area_attribute(areas: pd.DataFrame | None, code: str | None, column: str) -> object | None:
    """The `column` of the area `code` (its level, its province); None when it is not among `areas`."""
    if areas is None or not code:
        return None
    found = areas[column].to_numpy()[areas["code"].to_numpy() == code]
    return found[0] if len(found) and pd.notna(found[0]) else None


def among(codes: np.ndarray, areas: pd.DataFrame, column: str, value: object) -> np.ndarray:
    """Which of `codes` are of areas whose `column` is `value` (the home area's level, its province): a
    set look-up per area with a value, cheaper than pandas' isin on a few hundred codes."""
    kept = set(areas["code"].to_numpy()[areas[column].to_numpy() == value].tolist())
    return np.fromiter((code in kept for code in codes), bool, len(codes))


def home_rank(
    rows: pd.DataFrame, areas: pd.DataFrame, home: str | None, higher_is_better: bool | None, trend: bool
) -> Rank | None:
    """The home area's competition rank (1, 2, 2, 4) among the areas of `areas` of its level with a value;
    in a year range (`trend`), in the home area's last year with a value. None without a home area, a
    better direction or a value of the home area."""
    if higher_is_better is None or not home or rows.empty:
        return None
    level = area_attribute(areas, home, "level")
    if level is None:
        return None
    year = None
    if trend:
        own = (rows["area_code"].to_numpy() == home) & rows["shown"].notna().to_numpy()
        if not own.any():
            return None
        year = int(rows["year"].to_numpy()[own].max())
    codes, values = area_values(rows, year)
    own_values = values[codes == home]
    if not len(own_values):
        return None
    peers = values[among(codes, areas, "level", level)]
    better = peers > own_values[0] if higher_is_better else peers < own_values[0]
    return Rank(int(better.sum()) + 1, len(peers), year)


def median_lines(
    rows: pd.DataFrame, areas: pd.DataFrame | None, home: str | None, lang: str
) -> list[MedianLine]:
    """The median of the areas' values (`rows`: every area of the view, one year each) and, where the home
    area's province has PROVINCE_MIN_AREAS with values and is not the whole view, the province's; none
    with fewer than MEDIAN_MIN_AREAS values, nor on a chart of several breakdowns (a median across 市级
    and 县级 bars would compare neither)."""
    series = rows["series"].to_numpy()
    if not len(series) or (series != series[0]).any():
        return []
    codes, values = area_values(rows)
    if len(values) < MEDIAN_MIN_AREAS:
        return []
    median = float(np.median(values))
    lines = [MedianLine(median, t("median_line", lang, value=format_number(median, lang)))]
    province = area_attribute(areas, home, "province_code")
    if province is not None:
        own = values[among(codes, areas, "province_code", province)]
        if PROVINCE_MIN_AREAS <= len(own) < len(values):
            value = float(np.median(own))
            name = area_attribute(areas, home, "province")
            label = t("median_line_province", lang, province=name, value=format_number(value, lang))
            lines.append(MedianLine(value, label, province=True))
    return lines


def median_marks(lines: Sequence[MedianLine], upright: bool) -> tuple[list[dict], list[dict]]:
    """The median lines as dashed lines with their labels: (shapes, annotations). `upright`: bars rise;
    lines run across at y = median, each labelled at its right end by the shape's own label (the chart's
    annotations are its notes, 未报告 and the like). Else bars run across; lines rise at x = median,
    labelled above the plot (clear of the bars' labels) by annotations, which a shape's label is not: it
    is clipped at the plot's edge. Of two lines the higher's label sits above (right of) its line, the
    lower's below (left of) it, so close medians keep their labels apart. The lines are drawn under the
    bars (layer "below"; plotly.js 3.8 fails on "between" with a shape label): over the bars they struck
    through the bars' value labels."""
    shapes, annotations = [], []
    highest = max((line.value for line in lines), default=None)
    for line in lines:
        colour = PROVINCE_MEDIAN_COLOUR if line.province else MEDIAN_COLOUR
        stroke = {"color": colour, "dash": "dashdot" if line.province else "dash", "width": 1.5}
        outward = line.value == highest
        font = {"size": 11, "color": colour}
        if upright:
            place = {"xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": line.value, "y1": line.value}
            label = {"text": line.label, "textposition": "end", "font": font, "xanchor": "right"}
            place["label"] = label | {"yanchor": "bottom" if outward else "top"}
        else:
            place = {"xref": "x", "x0": line.value, "x1": line.value, "yref": "paper", "y0": 0, "y1": 1}
            annotations.append(
                {
                    "text": line.label,
                    "showarrow": False,
                    "font": font,
                    "xref": "x",
                    "x": line.value,
                    "xanchor": "left" if outward else "right",
                    "yref": "paper",
                    "y": 1,
                    "yanchor": "bottom",
                }
            )
        shapes.append({"type": "line", "layer": "below", "line": stroke} | place)
    return shapes, annotations


def value_marks(rows: pd.DataFrame) -> np.ndarray:
    """Each value's differences from the rest (`marks` bits, 0 for none): PART_YEAR (†) a part-year or
    cumulative period, NARROW_SCOPE (§) a scope narrower than the area, NARROW_DOC (‡) from replies to
    suggestions or proposals beside figures from other documents. Columns a frame lacks mark nothing."""
    n = len(rows)
    marks = np.zeros(n, np.int8)
    if "period" in rows:
        marks |= (rows["period"].to_numpy() != "year") * np.int8(PART_YEAR)
    if "scope" in rows:
        marks |= (rows["scope"].to_numpy() != "area") * np.int8(NARROW_SCOPE)
    if "doc_type" in rows:
        doc_types = rows["doc_type"].to_numpy()
        narrow = np.logical_or.reduce([doc_types == doc_type for doc_type in NARROW_DOC_TYPES], initial=False)
        if not narrow.all():  # every figure from such replies: measured alike
            marks |= narrow * np.int8(NARROW_DOC)
    return marks


def marked_texts(texts: list[str], rows: pd.DataFrame) -> list[str]:
    """Value labels with their footnote marks (`500+†`)."""
    marks = rows["marks"].to_numpy() if "marks" in rows else np.zeros(0, np.int8)
    if not marks.any():
        return texts
    return [text + mark for text, mark in zip(texts, MARKS[marks].tolist(), strict=True)]


def mark_notes(
    marks: int, period: str, period_note: str | None, doc_type: str, scope: str, lang: str
) -> list[tuple[str, str]]:
    """(mark, what differs) of each of a value's `marks` bits."""
    notes = []
    if marks & PART_YEAR:
        words, kind = period_note_words(period_note, period, lang), t(period, lang)
        notes.append((PART_YEAR, kind if words == kind else t("note_period", lang, note=words, kind=kind)))
    if marks & NARROW_DOC:
        notes.append((NARROW_DOC, t("note_doc_type", lang, doc=doc_type_name(doc_type, lang))))
    if marks & NARROW_SCOPE:
        words = t(f"scope_{scope}", lang) if scope in SCOPES else scope
        notes.append((NARROW_SCOPE, t("note_scope", lang, scope=words)))
    return [(MARK_OF[bit], note) for bit, note in notes]


def marked_cells(rows: pd.DataFrame, columns: Sequence[str]) -> tuple[list[int], list[list]]:
    """The positions of the rows with a footnote mark, and their cells of `columns` (a column the frame
    lacks reads empty): most rows have none, so only theirs are read."""
    if "marks" not in rows:
        return [], [[] for _ in columns]
    at = np.flatnonzero(rows["marks"].to_numpy())
    if not len(at):
        return [], [[] for _ in columns]
    cells = [rows[c].to_numpy()[at].tolist() if c in rows else [""] * len(at) for c in columns]
    return at.tolist(), cells


def notes_of(cells: list[list], lang: str) -> list[list[tuple[str, str]]]:
    """`mark_notes` of each marked row (`cells`: NOTE_COLUMNS), computed once per distinct combination."""
    found: dict[tuple, list[tuple[str, str]]] = {}
    return [
        found[key] if key in found else found.setdefault(key, mark_notes(*key, lang))
        for key in zip(*cells, strict=True)
    ]


def row_notes(rows: pd.DataFrame, lang: str) -> list[str]:
    """Each row's marks and what they say (`† 截至2023年8月（非全年）`), "" for a row measured as the
    rest: the table's column, the same words as the footnotes under the chart."""
    notes = [""] * len(rows)
    at, cells = marked_cells(rows, NOTE_COLUMNS)
    joiner = NOTE_JOINER.get(lang, NOTE_JOINER["zh"])
    for position, marks in zip(at, notes_of(cells, lang), strict=True):
        notes[position] = joiner.join(f"{mark} {note}" for mark, note in marks)
    return notes


def footnotes(frames: Sequence[pd.DataFrame], lang: str) -> list[Footnote]:
    """The footnotes of a chart's values (`frames`: every value of each of its indicators in the view), by
    mark then in order of first appearance, each naming the values it concerns (`深圳 2023`)."""
    found: dict[tuple[str, str], list[str]] = {}
    for rows in frames:
        _, (areas, years, *cells) = marked_cells(rows, ("area", "year", *NOTE_COLUMNS))
        for area, year, marks in zip(areas, years, notes_of(cells, lang), strict=True):
            for mark_note in marks:
                found.setdefault(mark_note, []).append(f"{area} {year}")
    order = list(MARK_OF.values())
    return [
        Footnote(mark, note, tuple(dict.fromkeys(names)))
        for (mark, note), names in sorted(found.items(), key=lambda item: order.index(item[0][0]))
    ]
