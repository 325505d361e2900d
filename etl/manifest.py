"""manifest.csv: what the text of a report cannot say (a reply letter that only says 我县, a lost date).

One row per report of the manifest's own folder, keyed by file base name. A blank cell means "detect".
A bad row is not applied: it comes back as a one-line error naming the file, the line and the reason.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from etl.areas import AreaTable
from etl.metadata_patterns import DOC_TYPES, YEARS

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("file", "area", "year")
OPTIONAL_COLUMNS = ("doc_type", "published")
ENCODINGS = ("utf-8-sig", "gb18030")  # Excel on Chinese Windows saves GBK
DATE_CELL = re.compile(r"(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})日?")


@dataclass(frozen=True)
class ManifestRow:
    """What a manifest states about one report; None = detect from the text."""

    file: str
    area_code: str | None = None
    year: int | None = None
    doc_type: str | None = None
    published: str | None = None  # ISO date


class RowError(ValueError):
    """A manifest cell that cannot be used; the message is the reason."""


def read_manifest(folder: Path, areas: AreaTable) -> tuple[dict[str, ManifestRow], list[str]]:
    """The rows of `folder/manifest.csv` by file name, and one error line per row that was not applied."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}, []
    text = decode(path.read_bytes())
    if text is None:
        return {}, [f"{path}: cannot be decoded as UTF-8 or GB18030; save it as CSV UTF-8"]
    reader = csv.DictReader(io.StringIO(text))
    columns = [name.strip() for name in reader.fieldnames or [] if name and name.strip()]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        problem = f"missing columns {missing}" if missing else f"unknown columns {unknown}"
        return {}, [f"{path}: line 1: {problem}; expected {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}"]
    rows: dict[str, ManifestRow] = {}
    errors: list[str] = []
    for record in reader:
        line = reader.line_num
        cells = {(key or "").strip(): (value or "").strip() for key, value in record.items() if key}
        if not any(cells.values()):
            continue
        try:
            row = parse_row(cells, areas)
            if row.file in rows:
                raise RowError(f"{row.file} is listed twice")
        except RowError as error:
            errors.append(f"{path}: line {line}: {error}")
            continue
        rows[row.file] = row
    return rows, errors


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
    file_name = Path(cells["file"]).name
    if not file_name:
        raise RowError("the file cell is blank")
    return ManifestRow(
        file=file_name,
        area_code=_area_code(cells["area"], areas),
        year=_year(cells["year"]),
        doc_type=_doc_type(cells.get("doc_type", "")),
        published=_published(cells.get("published", "")),
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
