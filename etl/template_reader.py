"""A structured-import template among the reports (review/template.py): a CSV or XLSX recognised by its
header, not its name. It is a document like any other: its stored text is its rows written out, one a
line, and its facts are its valid rows, each with its row's line as evidence and the value's exact span.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from etl.areas import AreaTable
from etl.catalog import Catalog
from etl.ingest import MAX_BYTES
from etl.model import Document, Fact, Quarantined
from review.template import ImportRow, TemplateError, document_text, no_valid_rows, read_rows, validate

TEMPLATE_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx"}
RULE = "import:template"
DOC_TYPE = "import"


def read_template(path: Path, catalog: Catalog, areas: AreaTable) -> tuple[Document, list[Fact]] | None:
    """The document and facts of an import template at `path`; None when the file is not one (ingest
    then reads or refuses it as before). Quarantined when it is a template none of whose rows is valid."""
    kind = TEMPLATE_SUFFIXES.get(path.suffix.lower())
    if kind is None or not 0 < path.stat().st_size <= MAX_BYTES:
        return None
    raw = path.read_bytes()
    try:
        rows = read_rows(raw, kind)
    except TemplateError:
        return None
    valid, errors = validate(rows, catalog_indicators(catalog), area_finder(areas), dim_values(catalog))
    if not valid:
        raise Quarantined(no_valid_rows(errors))
    text, spans = document_text(rows)
    doc = _document(path, raw, text, valid, areas)
    return doc, [_fact(doc, row, text, spans[row.row], areas) for row in valid]


def catalog_indicators(catalog: Catalog) -> dict[str, tuple[str, bool, tuple[str, ...]]]:
    return {ind.id: (ind.unit, ind.is_rate, ind.dims) for ind in catalog.indicators}


def dim_values(catalog: Catalog) -> dict[str, set[str]]:
    return {dim: set(spec.values) for dim, spec in catalog.dims.items()}


def area_finder(areas: AreaTable):
    """The codes an area cell may mean: a code, a full, short or qualified name."""
    return lambda cell: [area.code for area in areas.find(cell)]


def _document(path: Path, raw: bytes, text: str, valid: list[ImportRow], areas: AreaTable) -> Document:
    """The imported document: its area and year are those most of its rows give (each fact keeps its
    own), its title says what it is."""
    area_code = Counter(row.area_code for row in valid).most_common(1)[0][0]
    year = Counter(row.year for row in valid).most_common(1)[0][0]
    area = areas.by_code(area_code)
    return Document(
        id=hashlib.sha256(raw).hexdigest(),
        file_name=path.name,
        path=str(path),
        text=text,
        title=f"import template: {len(valid)} rows",
        area_code=area_code,
        area=area.short_name if area else area_code,
        year=year,
        doc_type=DOC_TYPE,
        detected_by={"area": "import", "year": "import"},
    )


def _fact(
    doc: Document, row: ImportRow, text: str, span: tuple[int, int, int, int], areas: AreaTable
) -> Fact:
    line_start, line_end, start, end = span
    area = areas.by_code(row.area_code)
    return Fact(
        doc=doc.file_name,
        doc_id=doc.id,
        area=area.short_name if area else row.area_code,
        area_code=row.area_code,
        year=row.year,
        indicator=row.indicator,
        dims=row.dims,
        value=row.value,
        unit=row.unit,
        approx=None,
        evidence=text[line_start:line_end],
        evidence_start=line_start,
        start=start,
        end=end,
        rule=RULE,
    )
