"""The records that flow between ETL steps: a document read from disk, and a fact taken from it.

Every step takes and returns these; none of them knows about files or DuckDB except ingest and load.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Quarantined(Exception):
    """An input the ETL refuses, with a one-line reason meant for the run summary."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Document:
    """A report as stored: `text` is the exact string every offset and evidence refers to."""

    id: str  # sha256 of the raw bytes: a renamed file is the same document
    file_name: str
    path: str
    text: str
    title: str | None = None
    area_code: str | None = None
    area: str | None = None  # short name, for display
    year: int | None = None
    doc_type: str | None = None  # work_summary | rule_of_law_report | suggestion_reply | ...
    published: str | None = None  # ISO date
    site: str | None = None  # the web site's name from the page title: a tie-breaker for the area
    url: str | None = None  # its original address, where the manifest or the document states one
    publisher: str | None = None  # who issued it, as stated (来源, 发文机关, signature); never guessed
    detected_by: dict[str, str] = field(default_factory=dict)  # what -> how (title, signature, manifest...)


@dataclass
class Fact:
    """One figure a document gives for one indicator, with where it stands in the stored text."""

    doc: str  # file name
    doc_id: str
    area: str
    area_code: str
    year: int
    indicator: str
    dims: dict[str, str]
    value: float
    unit: str
    approx: str | None  # None | more_than | about | nearly
    evidence: str  # exact substring of the stored text
    evidence_start: int | None  # None for a derived fact, whose evidence joins two clauses
    start: int  # the figure's own span
    end: int
    rule: str
    flags: list[str] = field(default_factory=list)
    period: str = "year"  # year | partial | cumulative
    period_note: str | None = None  # the words that set a partial or cumulative period
    scope: str = "area"  # area | a narrower scope: campaign, season, event, subunit, kind
    derived: bool = False

    def to_json(self) -> dict:
        """The fields of the gold contract plus span, rule and flags (what `extract` prints)."""
        out = {
            "doc": self.doc,
            "area": self.area,
            "area_code": self.area_code,
            "year": self.year,
            "indicator": self.indicator,
            "dims": self.dims,
            "value": self.value,
            "unit": self.unit,
            "approx": self.approx,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "flags": self.flags,
        }
        if self.period != "year":
            out["period"] = self.period
        if self.scope != "area":
            out["scope"] = self.scope
        if self.derived:
            out["derived"] = True
        return out
