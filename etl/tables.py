"""Flattened tables: `指标 | 2023年 | 2022年` rows whose header gives each column's year and whose
label carries the unit (`应急演练(场次) | 120 | 98`). docx tables are ingested in this form.

A cell becomes a `Cell`: its quantity (with the label's unit where the cell has none), the label as the
noun the catalog's rules read, the column's year and the row's span for evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from etl.quantities import Quantity

ROW = re.compile(r"^[^\n|]*\|[^\n]*$", re.M)
YEAR_HEADER = re.compile(r"^\s*(20\d{2})\s*年?度?\s*$")
UNIT_IN_LABEL = re.compile(r"[（(]\s*([^()（）\s]+)\s*[)）]\s*$")


@dataclass(frozen=True)
class Cell:
    quantity: Quantity
    label: str
    year: int
    row: tuple[int, int]


def _cells(row: re.Match) -> list[tuple[int, int, str]]:
    out, start = [], row.start()
    for part in row.group(0).split("|"):
        out.append((start, start + len(part), part))
        start += len(part) + 1
    return out


def table_cells(text: str, quantities: list[Quantity]) -> list[Cell]:
    """The figures of every year-column table in `text`; rows of other tables are left to the prose rules."""
    found: list[Cell] = []
    years: list[int] | None = None
    last_end = -2
    for row in ROW.finditer(text):
        if row.start() != last_end + 1:
            years = None  # a line that is not a row ends the table
        last_end = row.end()
        parts = _cells(row)
        heads = [YEAR_HEADER.match(p[2]) for p in parts[1:]]
        if heads and all(heads):
            years = [int(h.group(1)) for h in heads]
            continue
        if not years or len(parts) - 1 != len(years):
            continue
        label = parts[0][2].strip()
        unit = UNIT_IN_LABEL.search(label)
        noun = label[: unit.start()] if unit else label
        for (start, end, _), year in zip(parts[1:], years, strict=True):
            inside = [q for q in quantities if start <= q.start < end]
            if len(inside) == 1:
                q = inside[0] if inside[0].unit or not unit else replace(inside[0], unit=unit.group(1))
                found.append(Cell(q, noun, year, (row.start(), row.end())))
    return found
