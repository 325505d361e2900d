"""Import templates on the desk: an uploaded CSV/XLSX of figures checked row by row against the database's
indicators, areas and dims (review/template.py) before it is stored, and the published template served
for download. The ETL reads the stored file the same way (etl/template_reader.py): valid rows load."""

from __future__ import annotations

from pathlib import Path

import flask

from dashboard import queries
from dashboard.review.uploads import TemplateCheck
from review.template import TemplateError, read_rows, validate

TEMPLATE_FILE = Path(__file__).resolve().parents[2] / "data" / "templates" / "indicator_template.csv"
TEMPLATE_URL = "/review/indicator_template.csv"


def template_check(db_path: Path) -> TemplateCheck:
    """The row-by-row check of an uploaded template against the database's catalog and area tables."""
    indicators = queries.indicators(db_path)
    table = {row.id: (row.unit, bool(row.is_rate), list(row.dims)) for row in indicators.itertuples()}
    dims = queries.dim_values(db_path).groupby("dim")["value"].apply(set).to_dict()
    areas = queries.areas(db_path)
    codes: dict[str, list[str]] = {}
    for row in areas.itertuples():
        for key in {row.code, row.name, row.short_name}:
            codes.setdefault(key, []).append(row.code)

    def check(data: bytes, kind: str) -> tuple[int, list[str]]:
        try:
            rows = read_rows(data, kind)
        except TemplateError as error:
            return 0, [str(error)]
        valid, errors = validate(rows, table, lambda cell: sorted(set(codes.get(cell, []))), dims)
        return len(valid), errors

    return check


def register_template_route(server: flask.Flask) -> None:
    @server.get(TEMPLATE_URL)
    def indicator_template() -> flask.Response:
        """The published template (open to all, like the rest of viewing)."""
        return flask.send_file(TEMPLATE_FILE, mimetype="text/csv", as_attachment=True)
