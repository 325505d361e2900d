"""The structured-import template: a CSV (UTF-8 or GBK) or XLSX of figures, one a row, in the columns
COLUMNS. Read, validated row by row (each refused row one message with its row number; the valid rows
load, an invalid one loads nothing), and written out as the text of the document it becomes, each row a
line whose span is its fact's evidence.

Both sides use it: the ETL, which reads a template found among the reports (etl/template_reader.py), and
the review desk, which checks an upload before it is stored.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

COLUMNS = ("area", "year", "indicator", "level", "field", "kind", "role", "value", "unit", "source_note")
REQUIRED = ("area", "year", "indicator", "value", "unit")
DIMS = ("level", "field", "kind", "role")
MAX_ROWS = 10_000
YEARS = range(1949, 2101)
AREA_CODE = re.compile(r"\d{6}")
LINE_SEPARATOR = " | "
# indicator id -> (unit, is_rate, dims): what validation needs of the catalog (or of the indicators table)
Indicators = Mapping[str, tuple[str, bool, Collection[str]]]


class TemplateError(ValueError):
    """The file is not a readable import template (not CSV/XLSX, not its header, too many rows)."""


@dataclass(frozen=True)
class ImportRow:
    """A valid row: the figure it gives, with the row number it came from."""

    row: int
    area_code: str
    year: int
    indicator: str
    value: float
    unit: str
    dims: dict[str, str] = field(default_factory=dict)
    source_note: str = ""


def header_columns(cells: list[str]) -> list[str] | None:
    """The template's column of each header cell, or None when the cells are not the template's header
    (every required column, no unknown one)."""
    names = [cell.strip().strip("\ufeff").lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    if not set(REQUIRED) <= set(names) or not set(names) <= set(COLUMNS) or len(set(names)) < len(names):
        return None
    return names


def read_rows(raw: bytes, kind: str) -> list[dict[str, str]]:
    """The data rows of a template file (`kind` csv or xlsx) as {column: cell text, "row": number};
    blank rows skipped. TemplateError when it is not a template."""
    table = _xlsx_cells(raw) if kind == "xlsx" else _csv_cells(raw)
    if not table:
        raise TemplateError("empty file")
    columns = header_columns(table[0])
    if columns is None:
        raise TemplateError(f"not the import template's header (columns {', '.join(COLUMNS)})")
    if len(table) - 1 > MAX_ROWS:
        raise TemplateError(f"more than {MAX_ROWS:,} rows")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {name: _one_line(cells[i]) if i < len(cells) else "" for i, name in enumerate(columns)}
        if any(values.values()):
            rows.append({"row": number, **{name: values.get(name, "") for name in COLUMNS}})
    return rows


def _csv_cells(raw: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as error:
            raise TemplateError(f"broken CSV: {error}") from error
    raise TemplateError("cannot be decoded as UTF-8 or GBK")


def _xlsx_cells(raw: bytes) -> list[list[str]]:
    """The first sheet's cells as text (a whole number without its .0). Read-only: formulas give their
    cached values, nothing is evaluated, no entity is resolved (openpyxl's parsers)."""
    import openpyxl  # only an XLSX needs it

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            return _first_rows(book.worksheets[0])
        finally:
            book.close()
    except Exception as error:  # a damaged or hostile file: openpyxl and its XML parser raise many kinds
        raise TemplateError(f"not a readable XLSX: {type(error).__name__}") from error


def _first_rows(sheet) -> list[list[str]]:
    """The sheet's rows, up to one past the row limit (enough to say it is over)."""
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in row])
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _one_line(cell: str) -> str:
    return " ".join(cell.split())


def validate(
    rows: list[dict[str, str]],
    indicators: Indicators,
    find_area: Callable[[str], list[str]] | None = None,
    dim_values: Mapping[str, Collection[str]] | None = None,
) -> tuple[list[ImportRow], list[str]]:
    """The valid rows, and one message per refused row ("row 3: unknown indicator 'x'"), in row order.
    `find_area`: the codes an area cell may mean (None: the cell must be a 6-digit code); `dim_values`:
    each dim's allowed values (None: not checked). Rows giving the same area, year, indicator and dims
    different values are all refused (which is right is for the sender to say); a repeat of the same
    value loads once."""
    checked: list[ImportRow] = []
    errors: dict[int, str] = {}
    for cells in rows:
        try:
            checked.append(_checked_row(cells, indicators, find_area, dim_values))
        except ValueError as problem:
            errors[cells["row"]] = f"row {cells['row']}: {problem}"
    errors |= _duplicates(checked)
    valid = [row for row in checked if row.row not in errors]
    return valid, [errors[number] for number in sorted(errors)]


def _duplicates(checked: list[ImportRow]) -> dict[int, str]:
    """Row number -> message for rows giving a figure another row gives too: all of them when the values
    differ, the later ones when they repeat the first."""
    by_key: dict[tuple, list[ImportRow]] = {}
    for row in checked:
        key = (row.area_code, row.year, row.indicator, tuple(sorted(row.dims.items())))
        by_key.setdefault(key, []).append(row)
    messages = {}
    for same in by_key.values():
        conflict = len({row.value for row in same}) > 1
        numbers = ", ".join(str(row.row) for row in same)
        values = ", ".join(f"{row.value:g}" for row in same)
        for row in same if conflict else same[1:]:
            messages[row.row] = f"row {row.row}: " + (
                f"rows {numbers} give the same figure different values ({values}): none loaded"
                if conflict
                else f"repeats row {same[0].row} (loaded once)"
            )
    return messages


def _checked_row(
    cells: dict[str, str],
    indicators: Indicators,
    find_area: Callable[[str], list[str]] | None,
    dim_values: Mapping[str, Collection[str]] | None,
) -> ImportRow:
    """The row as an ImportRow, or ValueError with what is wrong with it."""
    missing = [name for name in REQUIRED if not cells[name]]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    indicator = cells["indicator"]
    if indicator not in indicators:
        raise ValueError(f"unknown indicator {indicator!r}")
    unit, is_rate, dims = indicators[indicator]
    if cells["unit"] != unit:
        raise ValueError(f"unit {cells['unit']!r} does not match {unit!r}, the unit of {indicator!r}")
    value = _number(cells["value"])
    if is_rate and value > 100:
        raise ValueError(f"a rate over 100 ({value:g})")
    return ImportRow(
        row=cells["row"],
        area_code=_area_code(cells["area"], find_area),
        year=_year(cells["year"]),
        indicator=indicator,
        value=value,
        unit=unit,
        dims=_dims(cells, indicator, dims, dim_values),
        source_note=cells["source_note"],
    )


def _number(cell: str) -> float:
    try:
        value = float(cell.replace(",", ""))
    except ValueError:
        raise ValueError(f"value {cell!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"value {cell!r} is not a count or amount")
    return value


def _year(cell: str) -> int:
    if not cell.isdigit() or int(cell) not in YEARS:
        raise ValueError(f"bad year {cell!r}: expected a year such as 2023")
    return int(cell)


def _area_code(cell: str, find_area: Callable[[str], list[str]] | None) -> str:
    codes = find_area(cell) if find_area else ([cell] if AREA_CODE.fullmatch(cell) else [])
    if not codes:
        raise ValueError(f"unknown area {cell!r}: use a short name, full name or 6-digit code")
    if len(codes) > 1:
        raise ValueError(f"ambiguous area {cell!r} ({', '.join(codes)}): use the 6-digit code")
    return codes[0]


def _dims(
    cells: dict[str, str],
    indicator: str,
    dims: Collection[str],
    dim_values: Mapping[str, Collection[str]] | None,
) -> dict[str, str]:
    given = {dim: cells[dim] for dim in DIMS if cells[dim]}
    extra = sorted(set(given) - set(dims))
    if extra:
        raise ValueError(f"{indicator!r} has no {', '.join(extra)}")
    for dim, value in given.items():
        if dim_values is not None and value not in dim_values.get(dim, ()):
            raise ValueError(f"unknown {dim} {value!r}")
    return given


def row_line(cells: dict[str, str]) -> tuple[str, int]:
    """A row written out as one line of the document's text (`row 2 | area: 440300 | … | value: 51 | …`),
    and where its value starts in that line."""
    parts, value_at, at = [f"row {cells['row']}"], 0, len(f"row {cells['row']}")
    for name in COLUMNS:
        if cells[name]:
            at += len(LINE_SEPARATOR) + len(f"{name}: ")
            value_at = at if name == "value" else value_at
            parts.append(f"{name}: {cells[name]}")
            at += len(cells[name])
    return LINE_SEPARATOR.join(parts), value_at


def document_text(rows: list[dict[str, str]]) -> tuple[str, dict[int, tuple[int, int, int, int]]]:
    """The text of an imported document, every row a line, and for each row number the spans of its line
    and of its value in that text: (line start, line end, value start, value end)."""
    lines, spans, at = [], {}, 0
    for cells in rows:
        line, value_at = row_line(cells)
        spans[cells["row"]] = (at, at + len(line), at + value_at, at + value_at + len(cells["value"]))
        lines.append(line)
        at += len(line) + 1
    return "\n".join(lines), spans


def no_valid_rows(errors: list[str]) -> str:
    """Why an import template gives nothing: its first problems, on one line."""
    shown = "; ".join(errors[:3]) + ("; …" if len(errors) > 3 else "")
    return f"import template with no valid rows: {shown or 'no rows'}"
