"""A report's metadata, which every fact inherits: issuing area, year, document type and date; and where
it was published (address, publisher: etl/provenance.py), for citing it.

describe() puts them together, each with how it was found, so a wrong one can be traced to its clue.
The area comes from etl/authors.py; the date, year and type are read here. Where the text cannot settle
one, the document is quarantined rather than guessed, and a manifest row has the last word.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import TYPE_CHECKING

from etl.areas import Area, AreaTable
from etl.authors import detect_area
from etl.metadata_patterns import (
    CN_DIGIT_VALUES,
    DAMAGED_DATE_LINE,
    DATE_IN_LINE,
    DATELINE_FIELD,
    DATELINE_MAX_CHARS,
    DOC_TYPE_RULES,
    HEAD_DATE_LINES,
    HEAD_LINES,
    LABELLED_DATE,
    LEAD_CHARS,
    LEAD_LAST_YEAR,
    LEAD_YEARS,
    LOOKS_BACK,
    MEETING_TITLE,
    NOT_A_TITLE,
    PAGE_DATE_LINE,
    PERIOD_WORDS,
    SIGNATURE_DATE_LINE,
    SUMS_UP_PREVIOUS_YEAR_MONTHS,
    TITLE_MAX_CHARS,
    TITLE_WORDS,
    TITLE_YEAR,
    YEARBOOK,
    YEARS,
)
from etl.model import Document, Quarantined
from etl.provenance import detect_publisher, detect_url, page_meta

if TYPE_CHECKING:
    from etl.manifest import ManifestRow


def describe(doc: Document, areas: AreaTable, manifest: ManifestRow | None = None) -> Document:
    """A copy of `doc` with area, year, doc_type, published, url, publisher and how each was found."""
    title = doc.title or guess_title(doc.text)
    detected_by: dict[str, str] = {}
    found = _manifest_area(manifest, areas) or detect_area(doc.text, title, areas, doc.site)
    area, detected_by["area"] = found
    published, date_how, date_year = detect_published(doc.text)
    if manifest and manifest.published:
        published, date_how, date_year = manifest.published, "manifest", int(manifest.published[:4])
    detected_by["published"] = date_how
    if manifest and manifest.year:
        year, detected_by["year"] = manifest.year, "manifest"
    else:
        year, detected_by["year"] = detect_year(doc.text, title, published, date_year)
    doc_type, detected_by["doc_type"] = (
        (manifest.doc_type, "manifest")
        if manifest and manifest.doc_type
        else detect_doc_type(doc.text, title)
    )
    url, publisher = _provenance(doc, manifest, detected_by)
    return dataclasses.replace(
        doc,
        area_code=area.code,
        area=area.short_name,
        year=year,
        doc_type=doc_type,
        published=published,
        url=url,
        publisher=publisher,
        detected_by=detected_by,
    )


def _provenance(
    doc: Document, manifest: ManifestRow | None, detected_by: dict[str, str]
) -> tuple[str | None, str | None]:
    """(url, publisher): the manifest's, else what the document states; how each was found into
    `detected_by`. The page's head is read only when the manifest leaves one of them to detect."""
    stated = (manifest.url, manifest.publisher) if manifest else (None, None)
    page = page_meta(doc) if None in stated else {}
    found = []
    for what, value, detect in (("url", stated[0], detect_url), ("publisher", stated[1], detect_publisher)):
        value, detected_by[what] = (value, "manifest") if value else detect(doc, page)
        found.append(value)
    return found[0], found[1]


def _manifest_area(manifest: ManifestRow | None, areas: AreaTable) -> tuple[Area, str] | None:
    if manifest and manifest.area_code:
        area = areas.by_code(manifest.area_code)
        if area:
            return area, "manifest"
    return None


def guess_title(text: str) -> str | None:
    """The first short heading-like line of the text (used when ingest found no title)."""
    for line in text.splitlines()[:HEAD_LINES]:
        line = line.strip()
        if 6 <= len(line) <= TITLE_MAX_CHARS and TITLE_WORDS.search(line) and not NOT_A_TITLE.search(line):
            return line
    return None


# --- dates and year ---------------------------------------------------------------------------------------
def detect_published(text: str) -> tuple[str | None, str, int | None]:
    """(ISO date or None, how, year): page labels, then a page date line, then the signature date."""
    lines = text.splitlines()
    if match := LABELLED_DATE.search(text):
        return _iso(match), f"label {match.group('label')}", _year_of(_iso(match))
    for line in lines[:HEAD_LINES]:
        if match := PAGE_DATE_LINE.fullmatch(line):
            return _iso(match), "page date line", _year_of(_iso(match))
    for line in lines[:HEAD_LINES]:
        dateline = len(line.strip()) <= DATELINE_MAX_CHARS and DATELINE_FIELD.search(line)
        if dateline and (match := DATE_IN_LINE.search(line)):
            return _iso(match), "dateline", _year_of(_iso(match))
    for line in reversed(lines):
        if match := SIGNATURE_DATE_LINE.fullmatch(line):
            return _iso(match), "signature date", _year_of(_iso(match))
    for line in lines[:HEAD_LINES]:
        for pattern, how in HEAD_DATE_LINES:
            if match := pattern.fullmatch(line):
                return _iso(match), how, _year_of(_iso(match))
    for line in reversed(lines):
        match = DAMAGED_DATE_LINE.fullmatch(line)
        if match and int(match.group("year")) in YEARS:
            return None, f"damaged signature date {line.strip()}: year only", int(match.group("year"))
    return None, "none", None


def _iso(match: re.Match[str]) -> str | None:
    """The ISO date of a DATE or CN_DATE match; None for an impossible date (2023-13-01)."""
    if match.groupdict().get("cn_year"):
        parts = (_cn_number(match.group(name)) for name in ("cn_year", "cn_month", "cn_day"))
    else:
        parts = (int(match.group(name)) for name in ("year", "month", "day"))
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None


def _cn_number(digits: str) -> int:
    """二〇二四 -> 2024, 十一 -> 11, 十九 -> 19, 二十 -> 20."""
    if "十" in digits:
        tens, _, units = digits.partition("十")
        return CN_DIGIT_VALUES.get(tens, 1) * 10 + CN_DIGIT_VALUES.get(units, 0)
    return int("".join(str(CN_DIGIT_VALUES[ch]) for ch in digits))


def _year_of(iso: str | None) -> int | None:
    return int(iso[:4]) if iso else None


def detect_year(
    text: str, title: str | None, published: str | None, date_year: int | None
) -> tuple[int, str]:
    """The year the figures describe (gold README rule) and how it was found.

    A stated year (title, then opening) wins; a yearbook (2022) records the year before its own; else
    the date's year, or the year before where the opening says 去年 or the report is dated in January.
    """
    lead = text[:LEAD_CHARS]
    meeting = MEETING_TITLE.search(title or "")
    if meeting and _looks_back(lead, int(meeting.group("year"))):
        year = int(meeting.group("year")) - 1
        return year, f"a speech at a {year + 1} meeting that reviews {year}"
    for where, patterns, haystack in (("title", (TITLE_YEAR,), title or ""), ("opening", LEAD_YEARS, lead)):
        for pattern in patterns:
            year = next((y for m in pattern.finditer(haystack) if (y := _stated_year(m)) in YEARS), None)
            if year:
                return year, f"{where}: {year}"
    book = YEARBOOK.search(f"{title or ''}\n{lead}")
    if book and book.group("year") and int(book.group("year")) - 1 in YEARS:
        return int(book.group("year")) - 1, f"{book.group(0)}: a yearbook records the year before"
    if date_year is None:
        raise Quarantined(
            "no detectable year: no year in the title or opening and no date (page label, dateline, "
            "signature); give the year in manifest.csv"
        )
    if match := LEAD_LAST_YEAR.search(lead):
        return date_year - 1, f"opening {match.group(0).strip()} in a report dated {date_year}"
    if published and int(published[5:7]) in SUMS_UP_PREVIOUS_YEAR_MONTHS:
        return date_year - 1, f"published {published}: sums up the year before"
    if word := next((w for w in PERIOD_WORDS if w in text), None):
        return date_year, f"{word} in a report dated {date_year}"
    return date_year, f"dated {date_year}"


def _looks_back(lead: str, meeting_year: int) -> bool:
    """The opening reviews the year before the meeting's (过去的一年, 总结2023年工作)."""
    return any(word in lead for word in LOOKS_BACK) or f"{meeting_year - 1}年" in lead


def _stated_year(match: re.Match[str]) -> int:
    """The year of a YEAR_WORD match: 2023 or 二〇二三."""
    return int(match.group("year")) if match.group("year") else _cn_number(match.group("cn_year"))


# --- document type ----------------------------------------------------------------------------------------
def detect_doc_type(text: str, title: str | None) -> tuple[str, str]:
    """The first DOC_TYPE_RULES match in the title, else in the opening of the text."""
    for where, haystack in (("title", title or ""), ("opening", text[:LEAD_CHARS])):
        for doc_type, pattern in DOC_TYPE_RULES:
            if match := re.search(pattern, haystack):
                return doc_type, f"{where}: {match.group(0)}"
    return "other", "no rule matched"
