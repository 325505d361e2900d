"""The table behind each panel: what the sortable table view shows and what CSV/XLSX downloads hold
(units, approx marks, derived and scope flags, evidence). One frame serves both so they never disagree."""

from __future__ import annotations

import io

import pandas as pd

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


def csv_bytes(table: pd.DataFrame, lang: str) -> bytes:
    """UTF-8 with BOM, so Excel on Chinese Windows opens it without mojibake."""
    return download_frame(table, lang).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(table: pd.DataFrame, lang: str) -> bytes:
    buffer = io.BytesIO()
    download_frame(table, lang).to_excel(buffer, index=False, sheet_name="data")
    return buffer.getvalue()
