"""The table behind each panel: what the sortable table view shows and what CSV/XLSX downloads hold
(units, approx marks, derived and scope flags, evidence). One frame serves both so they never disagree."""

from __future__ import annotations

import io
import math

import pandas as pd
from openpyxl import Workbook

from dashboard.i18n import APPROX_WORDS, t
from dashboard.shaping import localized, shape_values, unit_label

# Columns shown in the table view, in order (ids; headers come from i18n `col_<id>`)
SHOWN_COLUMNS = (
    "area",
    "year",
    "indicator",
    "dims",
    "value",
    "unit",
    "approx",
    "derived",
    "flags",
    "evidence",
)
# Columns only downloads carry: the number itself, sortable in Excel, and where it comes from
DOWNLOAD_COLUMNS = (*SHOWN_COLUMNS, "value_number", "period", "scope", "source")
# What a spreadsheet takes for the start of a formula (OWASP CSV injection), and the mark that makes
# such a cell text
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
# Columns the page needs but never shows: to sort, to highlight the home row, to open the evidence
HIDDEN_COLUMNS = ("value_number", "is_home", "doc_id", "evidence_start", "start", "end")


def panel_table(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    dim_values: pd.DataFrame,
    lang: str,
    per: str | None,
    home: str | None,
) -> pd.DataFrame:
    """One row per value of the panel's indicators, in catalog order, best-ranked areas first."""
    frames = []
    for _, indicator in indicators.iterrows():
        rows = shape_values(values, indicator, dim_values, lang, per, home)
        if rows.empty:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "area": rows["area"],
                    "year": rows["year_label"],
                    "indicator": localized(indicator, "name", lang),
                    "dims": rows["series"],
                    "value": rows["text"],
                    "unit": unit_label(indicator, lang, per),
                    "approx": [APPROX_WORDS[a][lang] if pd.notna(a) else "" for a in rows["approx"]],
                    "derived": [t("yes", lang) if d else "" for d in rows["derived"]],
                    "flags": [", ".join(f) for f in rows["flags"]],
                    "evidence": rows["evidence"],
                    "value_number": rows["shown"].round(4),
                    "period": rows["period"],
                    "scope": rows["scope"],
                    "source": rows["file_name"],
                    "is_home": rows["is_home"],
                    "doc_id": rows["doc_id"],
                    "evidence_start": rows["evidence_start"].astype("Int64"),
                    "start": rows["start"].astype("Int64"),
                    "end": rows["end"].astype("Int64"),
                }
            )
        )
    columns = list(dict.fromkeys(DOWNLOAD_COLUMNS + HIDDEN_COLUMNS))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def table_records(table: pd.DataFrame) -> list[dict]:
    """JSON-safe rows for dash_table (NA -> None)."""
    return table.astype(object).where(table.notna(), None).to_dict("records")


def download_frame(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The download's columns with translated headers."""
    return table[list(DOWNLOAD_COLUMNS)].rename(columns={c: t(f"col_{c}", lang) for c in DOWNLOAD_COLUMNS})


def is_formula_like(value: object) -> bool:
    """Text a spreadsheet would read as a formula (OWASP CSV injection: = + - @ tab CR first)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_text_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as the text it is: formula-like text behind a single quote."""
    return TEXT_MARK + value if is_formula_like(value) else value


def csv_bytes(table: pd.DataFrame, lang: str) -> bytes:
    """UTF-8 with BOM, so Excel on Chinese Windows opens it without mojibake; text that would start a
    formula is quoted, numbers stay numbers."""
    frame = download_frame(table, lang)
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame = frame.assign(**{c: frame[c].map(as_text_cell) for c in text_columns})
    # CRLF rows (RFC 4180): a cell holding a bare CR is then quoted, instead of breaking its row
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame, lang: str) -> bytes:
    """One sheet; every text cell is a string cell (never a formula, whatever it starts with), numbers
    are number cells."""
    frame = download_frame(table, lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(list(frame.columns))
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":  # openpyxl takes text starting with = for a formula
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sorted_rows(sort_by: object, rows: object) -> list[dict] | None:
    """The table's rows sorted as `sort_by` asks, on the numbers behind "500+" and "1.5万"; rows without
    a value last. None when there is nothing to sort by or the payload is no table's (a forged request)."""
    if not isinstance(sort_by, list) or not sort_by or not isinstance(sort_by[0], dict):
        return None
    column, direction = sort_by[0].get("column_id"), sort_by[0].get("direction", "asc")
    if column not in SHOWN_COLUMNS or direction not in ("asc", "desc"):
        return None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return None
    key = "value_number" if column == "value" else column
    present = [r for r in rows if _sort_key(r.get(key)) is not None]
    absent = [r for r in rows if _sort_key(r.get(key)) is None]
    return sorted(present, key=lambda r: _sort_key(r[key]), reverse=direction == "desc") + absent


def _sort_key(value: object) -> tuple[int, float | str] | None:
    """Numbers before text, each in its own order; anything else (None, NaN, lists) has no place."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return (0, value)
    if isinstance(value, str):
        return (1, value)
    return None
