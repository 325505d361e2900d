"""Why no issuing area was found: what the text names and the reader did not understand, said in one line.

A refusal is only useful when it says what was found (a bureau named in passing, a document number whose
prefix is ambiguous, 我县 alone) and ends with the way out (the manifest). Split from etl/authors.py, which
reads the clues; the name helpers both need live here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from etl.areas import Area, AreaTable
from etl.metadata_patterns import (
    BUREAU_NAMED,
    DOC_NUMBER_LINE,
    NO_AREA_OPTIONS,
    OUR_BODY,
    RELATIVE_SIGNATURE,
    TITLE_RELATIVE_BODY,
)

if TYPE_CHECKING:
    from etl.authors import _Page


def body_tail(body: str, areas: AreaTable) -> str:
    """The longest tail of a body's name that names an area (…部署的阳朔县 -> 阳朔县), or ""."""
    return next((body[start:] for start in range(len(body) - 1) if areas.named(body[start:])), "")


def parent_name(area: Area, areas: AreaTable) -> str:
    parent = areas.by_code(area.parent_code or "")
    return parent.name if parent else ""


def why_no_area(page: _Page) -> str:
    """What was found and not understood, strongest first, with the way out."""
    for explain in NO_AREA_EXPLANATIONS:
        if reason := explain(page):
            return f"{reason}; give the area in manifest.csv"
    return (
        "looked for an issuing body in the title, headline, byline, speaker line, source line, signature, "
        "填报单位, yearbook title and document number; give the area in manifest.csv"
    )


def _unread_document_number(page: _Page) -> str | None:
    """鄞应急〔2023〕21号 whose prefix names no area, or names a province, or too many areas."""
    match = next((m for line in page.lines if (m := DOC_NUMBER_LINE.fullmatch(line))), None)
    if not match:
        return None
    prefix = match.group("abbr")
    if province := page.areas.abbreviated_province(prefix):
        return f"the document number {match.group(0).strip()} is a province's ({province.name})"
    options = page.areas.starting_with(prefix) if len(prefix) == 1 else []
    if not options:
        return f"the document number's prefix {prefix} names no known area"
    listed = ", ".join(f"{parent_name(a, page.areas)}{a.name}" for a in options[:NO_AREA_OPTIONS])
    more = "…" if len(options) > NO_AREA_OPTIONS else ""
    return f"the document number's prefix {prefix} may stand for {listed}{more}; the text does not settle it"


def _bureau_in_passing(page: _Page) -> str | None:
    """A bureau the text names in a sentence or as its recipient: never the author by itself."""
    for match in BUREAU_NAMED.finditer(page.text):
        if tail := body_tail(match.group("body"), page.areas):
            named = tail + match.group(0)[len(match.group("body")) :]
            return f"the text names {named} only in passing or as the recipient, not as its author"
    return None


def _bureau_by_rank_only(page: _Page) -> str | None:
    """县应急管理局 as the title's or the signature's body, with no area name to complete it."""
    closing = (RELATIVE_SIGNATURE.fullmatch(line) for line in reversed(page.tail))
    match = TITLE_RELATIVE_BODY.search(page.title) or next((m for m in closing if m), None)
    return f"the text names its bureau only as {match.group(0).strip()}, with no area name" if match else None


def _says_only_our_area(page: _Page) -> str | None:
    match = OUR_BODY.search(page.text)
    return f"the text says only {match.group(0)}" if match else None


NO_AREA_EXPLANATIONS: tuple[Callable[[_Page], str | None], ...] = (
    _unread_document_number,
    _bureau_in_passing,
    _bureau_by_rank_only,
    _says_only_our_area,
)
