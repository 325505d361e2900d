"""A document's facts as the review view handles them: each fact's key on the page, its reference in the
review store, the fields a decision records, the reviewers' pending decisions laid over the database's
status, and a reviewer's typed values checked (pure functions: no I/O)."""

from __future__ import annotations

import math
import re
import unicodedata

import pandas as pd

from review.store import FactRef, dims_pairs

DIM_COLUMNS = ("level", "field", "kind", "role")
SHOWN_FIELDS = ("value", "indicator", *DIM_COLUMNS, "year", "area_code", "unit")
SENTENCE_END = re.compile(r"[。；！？!?;\n]")
FIRST_YEAR, LAST_YEAR = 1949, 2100
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
MAX_SENTENCE_CHARS = 400  # a manual fact's evidence: the sentence around it, at most this long each side


def plain(value: object) -> object:
    """A frame cell as JSON-safe Python: NaN/NA -> None, numpy scalars -> int/float/str."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def fact_dims(row: dict) -> dict[str, str]:
    return {dim: row[dim] for dim in DIM_COLUMNS if plain(row.get(dim)) is not None}


def fact_key(indicator: str, dims: dict[str, str], start: int) -> str:
    """A fact's key on the page and among the store's decisions: indicator, dims and span start."""
    return "|".join([indicator, *(f"{dim}={value}" for dim, value in dims_pairs(dims)), str(int(start))])


def row_key(row: dict) -> str:
    return fact_key(row["indicator"], fact_dims(row), row["start"])


def fact_ref(path: str, row: dict) -> FactRef:
    return FactRef(
        path,
        row["doc_id"],
        row["indicator"],
        dims_pairs(fact_dims(row)),
        int(row["start"]),
        int(row["end"]),
        row["evidence"],
    )


def shown_fields(row: dict) -> dict:
    """What a decision records as `before`: the fact's fields as the page showed them."""
    return {name: plain(row.get(name)) for name in SHOWN_FIELDS}


def pending_decisions(decisions: list[dict], path: str) -> dict[str, dict]:
    """The store's current decision per fact key, for the document at `path`."""
    return {fact_key(d["indicator"], d["dims"], d["start"]): d for d in decisions if d["path"] == path}


def evidence_around(text: str, start: int, end: int) -> str:
    """The sentence holding [start, end) of `text` (to the nearest 。；！？ or line end each side)."""
    before = [m.end() for m in SENTENCE_END.finditer(text, max(0, start - MAX_SENTENCE_CHARS), start)]
    after = SENTENCE_END.search(text, end, end + MAX_SENTENCE_CHARS)
    first = before[-1] if before else max(0, start - MAX_SENTENCE_CHARS)
    last = after.end() if after else min(len(text), end + MAX_SENTENCE_CHARS)
    return text[first:last].strip() or text[start:end]


def parse_number(text: object) -> float | None:
    """A typed value: `1,234.5`, full-width digits; None when it is no finite number."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        number = float(text)
    elif isinstance(text, str):
        cleaned = unicodedata.normalize("NFKC", text).replace(",", "").strip()
        try:
            number = float(cleaned)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def number_in(text: str) -> str:
    """The first number written in digits in a selected text (`1300` of `1300余件`, `8,364` of
    `8,364家次`), as the add form's value; the text itself when it has none (一百三十二). Never scaled by
    a 万 after it: whether 万 is the indicator's unit (万元) or a factor is the reviewer's call."""
    found = NUMBER.search(unicodedata.normalize("NFKC", text))
    return found.group(0) if found else text.strip()


def parse_year(value: object) -> int | None:
    number = parse_number(value)
    if number is None or number != int(number) or not FIRST_YEAR <= number <= LAST_YEAR:
        return None
    return int(number)


def typed_text(value: object, max_chars: int = 60) -> str | None:
    """A typed short text (a dim value, an area code), stripped; None when empty or not text."""
    return value.strip()[:max_chars] or None if isinstance(value, str) else None


def checked_fields(
    form: dict,
    indicators: dict[str, tuple[str, bool]],
    known_dims: set[tuple[str, str]],
    known_areas: set[str],
) -> tuple[dict, str | None]:
    """A fact's fields as a reviewer typed them, checked: (fields, None), or ({}, the i18n key of the
    first problem). `indicators`: id -> (unit, is_rate); the unit is always the indicator's."""
    value, indicator = parse_number(form.get("value")), form.get("indicator")
    year, area = parse_year(form.get("year")), typed_text(form.get("area_code"))
    dims = {dim: typed_text(form.get(dim)) for dim in DIM_COLUMNS}
    problems = [
        ("rv_bad_value", value is None),
        ("rv_bad_indicator", indicator not in indicators),
        (
            "rv_bad_rate",
            value is not None and indicator in indicators and indicators[indicator][1] and value > 100,
        ),
        ("rv_bad_year", year is None),
        ("rv_bad_area", area not in known_areas),
        ("rv_bad_dims", any(v is not None and (d, v) not in known_dims for d, v in dims.items())),
    ]
    problem = next((key for key, failed in problems if failed), None)
    if problem:
        return {}, problem
    return {
        "value": value,
        "indicator": indicator,
        **dims,
        "year": year,
        "area_code": area,
        "unit": indicators[indicator][0],
    }, None


def correction(row: dict, fields: dict) -> dict:
    """The fields a correction changes (compared with the fact as shown)."""
    old = shown_fields(row)
    return {name: value for name, value in fields.items() if value != old.get(name)}


def manual_fact(text: str, start: int, end: int, fields: dict) -> dict:
    """A fact added by hand at [start, end) of `text`: its checked fields, dims apart, and its sentence."""
    return {
        **{name: fields[name] for name in ("indicator", "value", "unit", "year", "area_code")},
        "dims": {dim: fields[dim] for dim in DIM_COLUMNS if fields[dim] is not None},
        "evidence": evidence_around(text, start, end),
    }
