"""manifest.csv: what the text of a report cannot say (a reply letter that only says 我县, a lost date).

One row per report of the manifest's own folder, keyed by file base name (a path in the file cell is an
error: `../other.txt` must not label this folder's other.txt). The file is found in any letter case. A
blank cell means "detect". A bad row is not applied: it comes back as a one-line error naming the file,
the line and the reason. `url` (http or https) and `publisher` give what a citation of the report names,
where the text does not say.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from etl.areas import AreaTable
from etl.metadata_patterns import DOC_TYPES, MAX_PUBLISHER_CELL_CHARS, YEARS
from etl.provenance import checked_url

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("file", "area", "year")
OPTIONAL_COLUMNS = ("doc_type", "published", "url", "publisher")
ENCODINGS = ("utf-8-sig", "gb18030")  # Excel on Chinese Windows saves GBK
PATH_MARKS = ("/", "\\")  # a cell with these names a path: its base name may be another folder's report
DATE_CELL = re.compile(r"(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})日?")


@dataclass(frozen=True)
class ManifestRow:
    """What a manifest states about one report; None = detect from the text."""

    file: str
    area_code: str | None = None
    year: int | None = None
    doc_type: str | None = None
    published: str | None = None  # ISO date
    url: str | None = None  # the report's original address (http or https)
    publisher: str | None = None  # who issued it, as a citation names it


class RowError(ValueError):
    """A manifest cell that cannot be used; the message is the reason."""


def manifests_in(folder: Path) -> list[Path]:
    """The files in `folder` named manifest.csv in any case (Excel and Windows write MANIFEST.CSV)."""
    try:
        return sorted(p for p in folder.iterdir() if is_manifest(p) and p.is_file())
    except OSError:
        return []


def is_manifest(path: Path) -> bool:
    """Whether `path` is named manifest.csv, compared case-insensitively."""
    return path.name.lower() == MANIFEST_NAME


def read_manifest(
    folder: Path, areas: AreaTable, found: list[Path] | None = None
) -> tuple[dict[str, ManifestRow], list[str]]:
    """The rows of the folder's manifest by file name, and one error line per row that was not applied.

    `found` is the folder's manifest files when the caller has listed them (default: look in the folder).
    Two of them (manifest.csv and MANIFEST.CSV) are an error on each: guessing which one is meant could
    label every report of the folder from the wrong one.
    """
    found = manifests_in(folder) if found is None else sorted(found)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        return {}, [
            f"{p}: {len(found)} manifests in one folder ({names}): none applied; keep one" for p in found
        ]
    if not found:
        return {}, []
    path = found[0]
    text = decode(path.read_bytes())
    if text is None:
        return {}, [f"{path}: cannot be decoded as UTF-8 or GB18030; save it as CSV UTF-8"]
    rows, errors = _read_rows(text.split("\n"), areas)
    return rows, [f"{path}: {error}" for error in errors]


def _read_rows(lines: list[str], areas: AreaTable) -> tuple[dict[str, ManifestRow], list[str]]:
    """Rows by file name and `line N: reason` errors, one physical line per row.

    A row never spans lines (no cell holds a line break), so each line is parsed on its own: a broken
    quote is an error on its line alone, and the lines after it are still read, not swallowed as one cell.
    """
    numbered = [(n, line.removesuffix("\r")) for n, line in enumerate(lines, start=1)]
    numbered = [(n, line) for n, line in numbered if line.strip()]
    if not numbered:
        return {}, []
    (header_line, header), *records = numbered
    try:
        columns = [name.strip() for name in _cells(header)]
    except RowError as error:
        return {}, [f"line {header_line}: {error}"]
    problem = _header_problem(columns)
    if problem:
        return {}, [f"line {header_line}: {problem}"]
    rows: dict[str, ManifestRow] = {}
    errors: list[str] = []
    for line_number, line in records:
        try:
            row = _record(columns, line, areas)
            if row and row.file in rows:
                raise RowError(f"{row.file} is listed twice")
        except RowError as error:
            errors.append(f"line {line_number}: {error}")
            continue
        if row:
            rows[row.file] = row
    return rows, errors


def _header_problem(columns: list[str]) -> str | None:
    """What is wrong with the header line, or None."""
    named = [name for name in columns if name]
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    unknown = [name for name in named if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if not missing and not unknown:
        return None
    problem = f"missing columns {missing}" if missing else f"unknown columns {unknown}"
    return f"{problem}; expected {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}"


def _record(columns: list[str], line: str, areas: AreaTable) -> ManifestRow | None:
    """The row one line states, None for a line of blank cells; RowError names what is wrong."""
    values = _cells(line)
    cells = {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(columns) if name}
    if not any(cells.values()):
        return None
    return parse_row(cells, areas)


def _cells(line: str) -> list[str]:
    """The CSV cells of one line; a quote opened and never closed is a RowError, not a silent merge."""
    try:
        return next(csv.reader([line], strict=True), [])
    except csv.Error as error:
        raise RowError(f"broken CSV quoting ({error}): this line is not applied") from None


def decode(raw: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030, which reads GBK and GB2312 too; None if neither."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def parse_row(cells: dict[str, str], areas: AreaTable) -> ManifestRow:
    """One manifest row, checked; RowError names the first bad cell."""
    file_name = cells["file"]
    if not file_name:
        raise RowError("the file cell is blank")
    if any(mark in file_name for mark in PATH_MARKS) or file_name in {".", ".."}:
        raise RowError(f"the file cell {file_name!r} is a path: give the file's base name only")
    return ManifestRow(
        file=file_name,
        area_code=_area_code(cells["area"], areas),
        year=_year(cells["year"]),
        doc_type=_doc_type(cells.get("doc_type", "")),
        published=_published(cells.get("published", "")),
        url=_url(cells.get("url", "")),
        publisher=_publisher(cells.get("publisher", "")),
    )


def _area_code(cell: str, areas: AreaTable) -> str | None:
    if not cell:
        return None
    found = areas.find(cell)
    if not found:
        raise RowError(f"unknown area {cell!r}: use a short name, full name or 6-digit code")
    if len(found) > 1:
        options = ", ".join(f"{area.code} {area.province}{area.name}" for area in found)
        raise RowError(f"ambiguous area {cell!r} ({options}): use the 6-digit code")
    return found[0].code


def _year(cell: str) -> int | None:
    if not cell:
        return None
    if not cell.isdigit() or int(cell) not in YEARS:
        raise RowError(f"bad year {cell!r}: expected a year such as 2023")
    return int(cell)


def _doc_type(cell: str) -> str | None:
    if cell and cell not in DOC_TYPES:
        raise RowError(f"unknown doc_type {cell!r}: expected one of {', '.join(DOC_TYPES)}")
    return cell or None


def _published(cell: str) -> str | None:
    if not cell:
        return None
    match = DATE_CELL.fullmatch(cell)
    try:
        if not match:
            raise ValueError
        return date(*(int(match.group(part)) for part in ("year", "month", "day"))).isoformat()
    except ValueError:
        raise RowError(f"bad published date {cell!r}: expected YYYY-MM-DD") from None


def _url(cell: str) -> str | None:
    if cell and not checked_url(cell):
        raise RowError(f"bad url {cell!r}: expected an http:// or https:// address without spaces")
    return cell or None


def _publisher(cell: str) -> str | None:
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in cell) or len(cell) > MAX_PUBLISHER_CELL_CHARS:
        raise RowError(
            f"bad publisher {cell!r}: expected a name of at most {MAX_PUBLISHER_CELL_CHARS} characters"
        )
    return cell or None
