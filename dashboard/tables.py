"""The table behind each panel: what the sortable table view shows and what CSV/XLSX downloads hold
(units, approx marks, derived and scope flags, evidence). One frame serves both so they never disagree."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence

import pandas as pd
from openpyxl import Workbook

from dashboard.code_words import flags_words
from dashboard.i18n import APPROX_WORDS, t
from dashboard.numbers import format_values
from dashboard.peer_context import row_notes
from dashboard.review.marks import status_words
from dashboard.shaping import fact_ids, localized, per_distinct, period_marks, unit_label

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
    "note",  # what a value's footnote marks say (part-year, narrower 口径): dashboard/peer_context.py
    "evidence",
)
STATUS = "status"  # each value's review status, shown after its value where reviewers are at work
# Columns only downloads carry: the number itself, sortable in Excel, and where it comes from
DOWNLOAD_COLUMNS = (*SHOWN_COLUMNS, "value_number", "period", "scope", "source")
# What a spreadsheet takes for the start of a formula (OWASP CSV injection), and the mark that makes
# such a cell text
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
# Columns the page needs but never shows: to sort, to highlight the home row, to open the evidence
HIDDEN_COLUMNS = ("value_number", "is_home", "fact")
AREA_CODE = "area_code"  # kept beside the table (never sent): what marks the home area's rows
TABLE_PAGE_ROWS = 25  # rows the browser holds: the table keeps every area, a page at a time


def panel_table(
    shaped: Mapping[str, pd.DataFrame], indicators: pd.DataFrame, lang: str, per: str | None
) -> pd.DataFrame:
    """One row per value of the panel's indicators (`shaping.shape_all`), in catalog order, best-ranked
    areas first; no home area (see `with_home_rows`)."""
    frames = []
    for _, indicator in indicators.iterrows():
        rows = shaped[indicator["id"]]
        if rows.empty:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "area": rows["area"],
                    "year": period_marks(rows, lang),
                    "indicator": localized(indicator, "name", lang),
                    "dims": rows["series"],
                    # every digit, as the charts label them: 6.89万 found and 6.89万 rectified would
                    # hide the 76 hazards left open
                    "value": format_values(rows["shown"], rows["approx"].tolist(), lang, exact=True),
                    STATUS: status_words(rows["status"], lang),
                    "unit": unit_label(indicator, lang, per),
                    "approx": per_distinct(
                        lambda a: APPROX_WORDS[a][lang] if pd.notna(a) else "", rows["approx"]
                    ),
                    "derived": per_distinct(lambda d: t("yes", lang) if d else "", rows["derived"]),
                    "flags": flag_texts(rows, lang),
                    "note": row_notes(rows, lang),
                    "evidence": rows["evidence"],
                    "value_number": rows["shown"].round(4),
                    "period": rows["period"],
                    "scope": rows["scope"],
                    "source": rows["file_name"],
                    "is_home": False,
                    "fact": fact_ids(rows),
                    AREA_CODE: rows["area_code"],
                }
            )
        )
    columns = list(dict.fromkeys((*DOWNLOAD_COLUMNS, STATUS, *HIDDEN_COLUMNS, AREA_CODE)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def flag_texts(rows: pd.DataFrame, lang: str) -> list[str]:
    """Each shaped row's flags in words, joined; most rows have none (`flagged` says which do)."""
    return [
        flags_words(flags, lang) if flagged else ""
        for flags, flagged in zip(rows["flags"].tolist(), rows["flagged"].tolist(), strict=True)
    ]


def with_home_rows(table: pd.DataFrame, home: str | None) -> pd.DataFrame:
    """The table with the home area's rows marked (a new frame: the table is shared from a cache)."""
    return table.assign(is_home=(table[AREA_CODE] == home) if home else False)


def table_records(table: pd.DataFrame) -> list[dict]:
    """JSON-safe rows for dash_table (NA -> None), without the columns kept for the server alone: built
    from one array of the page's cells (a page is 25 rows: pandas' per-column steps cost more here)."""
    table = table.drop(columns=[AREA_CODE], errors="ignore")
    cells = table.astype(object).to_numpy(copy=True)
    cells[table.isna().to_numpy()] = None
    columns = table.columns.tolist()
    return [dict(zip(columns, row, strict=True)) for row in cells.tolist()]


def page_count(n_rows: int) -> int:
    return max(1, math.ceil(n_rows / TABLE_PAGE_ROWS))


def first_page(
    shaped: Mapping[str, pd.DataFrame], indicators: pd.DataFrame, lang: str, per: str | None, home: str | None
) -> tuple[list[dict], int]:
    """The rows `table_page` gives of `panel_table` unsorted, and its page count, built from the first
    rows of each indicator only: a panel is sent with its first page, and the whole table (every row
    formatted, ~30 ms at 300 areas × 10 years) waits for a sort, another page or a download."""
    heads, wanted = {}, TABLE_PAGE_ROWS
    for indicator in indicators["id"]:  # the page's rows come from the first indicators with values
        heads[indicator] = shaped[indicator].iloc[:wanted]
        wanted -= len(heads[indicator])
    n_rows = sum(len(shaped[indicator]) for indicator in heads)
    return table_page(panel_table(heads, indicators, lang, per), [], 0, home), page_count(n_rows)


def table_page(table: pd.DataFrame, sort_by: object, page: object, home: str | None = None) -> list[dict]:
    """One page of the table's rows, sorted over every row as `sort_by` asks (see sort_order), blanks
    last; a page number the pager could not have sent gives the first page. Only the page is converted
    for the browser, and only its rows are marked for the `home` area (a table of every area is shared:
    see `with_home_rows`)."""
    order = sort_order(sort_by)
    if order is not None:
        column, ascending = order
        blank = table[column].isna() | (table[column] == "")
        table = pd.concat(
            [table[~blank].sort_values(column, ascending=ascending, kind="stable"), table[blank]]
        )
    page = page if isinstance(page, int) and not isinstance(page, bool) and page >= 0 else 0
    rows = table.iloc[page * TABLE_PAGE_ROWS : (page + 1) * TABLE_PAGE_ROWS]
    return table_records(with_home_rows(rows, home) if home else rows)


def shown_columns(marks: bool = False, columns: Sequence[str] = SHOWN_COLUMNS) -> list[str]:
    """`columns` with the review status after the value where reviewers are at work (`marks`:
    dashboard/review/marks.py `marks_shown`)."""
    if not marks:
        return list(columns)
    after = list(columns).index("value") + 1
    return [*columns[:after], STATUS, *columns[after:]]


def download_frame(table: pd.DataFrame, lang: str, marks: bool = False) -> pd.DataFrame:
    """The download's columns (the review status with `marks`) with translated headers."""
    columns = shown_columns(marks, DOWNLOAD_COLUMNS)
    return table[columns].rename(columns={c: t(f"col_{c}", lang) for c in columns})


def is_formula_like(value: object) -> bool:
    """Text a spreadsheet would read as a formula (OWASP CSV injection: = + - @ tab CR first)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_text_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as the text it is: formula-like text behind a single quote."""
    return TEXT_MARK + value if is_formula_like(value) else value


def csv_bytes(table: pd.DataFrame, lang: str, marks: bool = False) -> bytes:
    """A panel's table as CSV (see `csv_of`)."""
    return csv_of(download_frame(table, lang, marks))


def xlsx_bytes(table: pd.DataFrame, lang: str, marks: bool = False) -> bytes:
    """A panel's table as XLSX (see `xlsx_of`)."""
    return xlsx_of(download_frame(table, lang, marks))


def csv_of(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel on Chinese Windows opens it without mojibake; text that would start a
    formula is quoted, numbers stay numbers."""
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame = frame.assign(**{c: frame[c].map(as_text_cell) for c in text_columns})
    # CRLF rows (RFC 4180): a cell holding a bare CR is then quoted, instead of breaking its row
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_of(frame: pd.DataFrame) -> bytes:
    """One sheet; every text cell is a string cell (never a formula, whatever it starts with), numbers
    are number cells."""
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


def sort_order(sort_by: object, columns: Sequence[str] = SHOWN_COLUMNS) -> tuple[str, bool] | None:
    """(column to sort on, ascending) of a table's `sort_by`, one of `columns`: the number behind "500+"
    and "1.5万" for the value column; None when there is nothing to sort by or the payload is no table's
    (a forged request)."""
    if not isinstance(sort_by, list) or not sort_by or not isinstance(sort_by[0], dict):
        return None
    column, direction = sort_by[0].get("column_id"), sort_by[0].get("direction", "asc")
    if not isinstance(column, str) or column not in columns or direction not in ("asc", "desc"):
        return None
    return ("value_number" if column == "value" else column), direction == "asc"
