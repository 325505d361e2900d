"""Who issued a report: the area of its issuing body, found from the clues the text gives.

The area is the ISSUING body (title, signature, source line, document number, speaker line), never a
place named in passing or a letter's recipient. Clue finders run strongest first; where the clues are
missing or ambiguous the document is quarantined with the reason rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from etl.areas import Area, AreaTable
from etl.author_refusals import body_tail, parent_name, why_no_area
from etl.metadata_patterns import (
    ASSEMBLY,
    ASSEMBLY_LINE,
    DOC_NUMBER_LINE,
    FOOTERS,
    GOVERNMENT_SIGNATURE_LINE,
    HEAD_LINES,
    HEADLINE_NAME_ENDS,
    HEADLINE_NAME_MAX,
    HEADLINE_PREFIX,
    LEAD_CHARS,
    NAMED_BODY,
    NEWS_FURNITURE,
    NEWS_HEAD_LINES,
    NEWS_SOURCES,
    NOT_A_HEADLINE,
    OPENING_SUBJECT,
    OUR_AREA,
    OWN_MEDIA_SOURCE,
    OWN_RANK,
    RANK_LEVEL,
    RELATIVE_BODIES,
    RELATIVE_SIGNATURE,
    SIGNATURE_LINE,
    SIGNATURE_TAIL_LINES,
    SOURCE_LINE,
    SPEAKER_HEAD_LINES,
    SPEAKER_LINE,
    SUBTITLE_MARK,
    TITLE_BODY,
    TITLE_RELATIVE_BODY,
    UNDER_TITLE_LINES,
    YEARBOOK,
)
from etl.model import Quarantined

BUREAU_WORD = "应急"  # in every bureau name (应急管理局, 应急局) and its document numbers (深应急〔2023〕5号)


@dataclass(frozen=True)
class Clue:
    """One place the text names an issuing body, with the areas that body may be."""

    how: str
    said: str
    candidates: tuple[Area, ...]
    supporting: bool = False  # agrees with another clue; never overrides a stronger one


def detect_area(text: str, title: str | None, areas: AreaTable, site: str | None = None) -> tuple[Area, str]:
    """The issuing area and how it was found; Quarantined when no clue names one unambiguously.

    The page's site name is no clue of its own (a city's site publishes its districts' reports): it
    settles 我市/我区/我县 and breaks a tie between areas of the same name.
    """
    page = _Page(text, title or "", site or "", areas)
    clues = [clue for clue in _area_clues(page) if clue.candidates]
    if not clues:
        raise Quarantined("no detectable area: " + why_no_area(page))
    first = clues[0]
    chosen = _disambiguate(first, clues[1:], [f"{title or ''} {site or ''}", text], areas)
    more_specific = [
        clue.candidates[0]
        for clue in clues[1:]
        if not clue.supporting and len(clue.candidates) == 1 and areas.is_within(clue.candidates[0], chosen)
    ]
    if more_specific:
        return more_specific[0], f"{first.how} + more specific body: {first.said}"
    return chosen, f"{first.how}: {first.said}"


@dataclass(frozen=True)
class _Page:
    """What the clue finders read: the text, its lines, the title and the site's name."""

    text: str
    title: str
    site: str
    areas: AreaTable

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def bureau_lines(self) -> list[str]:
        """The lines that say 应急, in order: the only ones a bureau's signature or document number
        (深应急〔2023〕5号) can fill, so the only ones those patterns are tried on."""
        return [line for line in self.lines if BUREAU_WORD in line]

    @cached_property
    def tail(self) -> list[str]:
        """The last non-empty lines, where a signature block sits (never the first line: a banner)."""
        return self.filled[1:][-SIGNATURE_TAIL_LINES:]

    @cached_property
    def filled(self) -> list[str]:
        """The non-empty lines: blank lines say nothing of where a line stands under the title."""
        return [line for line in self.lines if line.strip()]

    @cached_property
    def head(self) -> list[str]:
        """Where a speech's speaker line sits: the first lines, and the lines right under the title
        (banners and menus may push the title down)."""
        title = self.title.strip()
        at = next((i for i, line in enumerate(self.filled) if title and line.strip() == title), None)
        under = self.filled[at + 1 : at + 1 + UNDER_TITLE_LINES] if at is not None else []
        return list(dict.fromkeys([*self.filled[:SPEAKER_HEAD_LINES], *under]))

    @cached_property
    def context(self) -> str:
        """Everything that may name a city or province: the title, the site's name and the text."""
        return f"{self.title}\n{self.site}\n{self.text}"

    @cached_property
    def ranks(self) -> set[str]:
        """The ranks the text gives its own area (全区, 我县, 本市 -> 区, 县, 市)."""
        return set(OWN_RANK.findall(self.text))

    @cached_property
    def assemblies(self) -> list[Area]:
        """The areas whose assemblies the text names (漯河市第七届人民代表大会), in text order: read once
        for all the speaker clues that ask."""
        return [
            area for m in ASSEMBLY.finditer(self.text) for area in resolve_body(m.group("body"), self.areas)
        ]

    @cached_property
    def title_context(self) -> str:
        """Where the full name of 我市 (市应急管理局) may stand: the title, the site's name, the headline."""
        return f"{self.title} {self.site} {_headline_text(self)}"

    @cached_property
    def named_in_title(self) -> list[Area]:
        """The areas whose full names the title context holds, in order (of start, then end): read once
        for all the clues. Only the few places where a full name's last character (市, 县…) stands are
        tried as ends, not every pair of positions."""
        title, ends = self.title_context, self.areas.full_name_ends
        found = [
            (start, end, area)
            for end in range(2, len(title) + 1)
            if title[end - 1] in ends
            for start in range(max(0, end - 12), end - 1)
            for area in self.areas.fully_named(title[start:end])
        ]
        return [area for _, _, area in sorted(found, key=lambda hit: hit[:2])]


def _area_clues(page: _Page) -> Iterator[Clue]:
    """Every clue to the issuing body, strongest first (generated lazily)."""
    for finder in AREA_CLUE_FINDERS:
        yield from finder(page)


def _title_clues(page: _Page) -> Iterator[Clue]:
    if match := TITLE_BODY.search(page.title):
        yield _body_clue("title", match, page.text, page.areas)


def _signature_clues(page: _Page) -> Iterator[Clue]:
    """Bureau names alone on a line (last first), then a government's name in the signature block."""
    for line in reversed(page.bureau_lines):
        if match := SIGNATURE_LINE.fullmatch(line):
            yield _body_clue("signature", match, page.text, page.areas)
    for line in reversed(page.tail):
        if match := GOVERNMENT_SIGNATURE_LINE.fullmatch(line):
            yield _body_clue("signature", match, page.text, page.areas)


def _source_clues(page: _Page) -> Iterator[Clue]:
    """来源/发布机构/填报单位 …: XX应急管理局; then the byline of a news item."""
    if match := SOURCE_LINE.search(page.text):
        yield _body_clue("source line", match, page.text, page.areas)
    for pattern in NEWS_SOURCES:
        if match := pattern.search(page.text[:LEAD_CHARS]):
            yield _body_clue("news source", match, page.text, page.areas)


def _document_number_clues(page: _Page) -> Iterator[Clue]:
    for line in page.bureau_lines:
        if match := DOC_NUMBER_LINE.fullmatch(line):
            areas = tuple(_abbreviation_areas(match, page))
            yield Clue("document number", match.group(0).strip(), areas)


def _yearbook_clues(page: _Page) -> Iterator[Clue]:
    """《常德年鉴（2022）》 names the area; a closing （市应急管理局） says which level of that name."""
    head = "\n".join([page.title, *page.lines[:HEAD_LINES]])
    if not (match := YEARBOOK.search(head)):
        return
    found = resolve_body(match.group("body"), page.areas)
    if rank := _relative_signature_rank(page):
        found = [area for area in found if area.level == RANK_LEVEL[rank]] or found
    yield Clue("yearbook", match.group(0), tuple(found))


def _relative_signature_rank(page: _Page) -> str | None:
    match = next((m for line in reversed(page.tail) if (m := RELATIVE_SIGNATURE.fullmatch(line))), None)
    return match.group("rank") if match else None


def _speaker_line_clues(page: _Page) -> Iterator[Clue]:
    """绵阳市人民政府副市长 张伟 under a speech's title: the speaker's bureau or government."""
    for line in page.head:
        if match := SPEAKER_LINE.fullmatch(line):
            yield _body_clue("speaker line", match, page.text, page.areas)


def _speaker_clues(page: _Page) -> Iterator[Clue]:
    for pattern in RELATIVE_BODIES:
        if match := pattern.search(page.text):
            yield _assembly_clue(match, page)


def _headline_clues(page: _Page) -> Iterator[Clue]:
    """The title's (or the first line's) opening name, then the opening sentence's subject."""
    yield _headline_clue(_headline_text(page), page.areas)
    if match := OPENING_SUBJECT.search(page.text[:LEAD_CHARS]):
        yield _body_clue("opening", match, page.text, page.areas)


def _own_media_headline_clues(page: _Page) -> Iterator[Clue]:
    """A headline (or its subtitle after ——) opening with an area's full name, from that area's own
    media (来源:都江堰市融媒体中心): the area, whichever site hosts the page."""
    if not (source := OWN_MEDIA_SOURCE.search(page.text)):
        return
    media = {area.code for area in resolve_body(source.group("body"), page.areas)}
    for headline in (page.title, _news_headline(page)):
        for part in SUBTITLE_MARK.split(headline):
            found = [
                area for area in _headline_clue(part.strip(), page.areas).candidates if area.code in media
            ]
            if found:
                yield Clue("headline + own media", f"{part.strip()} + {source.group(0)}", tuple(found))
                return


def _news_headline(page: _Page) -> str:
    """The first of the top lines below the banners, menus and breadcrumbs, if it is no dateline."""
    top = page.filled[:NEWS_HEAD_LINES]
    return next((line.strip() for line in top if not NEWS_FURNITURE.search(line)), "")


def _assembly_clues(page: _Page) -> Iterator[Clue]:
    """——在昆山市第十七届人民代表大会常务委员会…会议上 under the title, where the text also names that
    area's bureau or government (受昆山市人民政府委托): supporting evidence, never alone."""
    lines = (line for line in page.head if ASSEMBLY_LINE.fullmatch(line))
    if not (assembly := next((m for line in lines if (m := ASSEMBLY.search(line))), None)):
        return
    named = {
        area.code
        for m in NAMED_BODY.finditer(page.text)
        for area in resolve_body(m.group("body"), page.areas)
    }
    held = [area for area in resolve_body(assembly.group("body"), page.areas) if area.code in named]
    yield Clue("assembly + its own body", assembly.group(0), tuple(held), supporting=True)


def _headline_text(page: _Page) -> str:
    """The title, else the first line of the text (a news headline); a recipient line is neither."""
    first = page.title or _first_line(page.text)
    return "" if NOT_A_HEADLINE.search(first) else first


def _relative_clues(page: _Page) -> Iterator[Clue]:
    """市应急管理局 in the title, 我市/我州 in the text, （市应急管理局） closing it: + a full name."""
    relative = (TITLE_RELATIVE_BODY.search(page.title), OUR_AREA.search(page.text))
    closing = [RELATIVE_SIGNATURE.fullmatch(line) for line in page.tail]
    for match in (*relative, *closing):
        if match:
            yield _title_area_clue(match, page)


def _footer_clues(page: _Page) -> Iterator[Clue]:
    for pattern in FOOTERS:
        if match := pattern.search(page.text):
            yield _body_clue("site footer", match, page.text, page.areas)


AREA_CLUE_FINDERS: tuple[Callable[[_Page], Iterator[Clue]], ...] = (
    _title_clues,
    _signature_clues,
    _source_clues,
    _speaker_line_clues,
    _document_number_clues,
    _yearbook_clues,
    _speaker_clues,
    _own_media_headline_clues,
    _headline_clues,
    _relative_clues,
    _assembly_clues,
    _footer_clues,
)


def _body_clue(how: str, match: re.Match[str], text: str, areas: AreaTable) -> Clue:
    return Clue(how, match.group(0).strip(), tuple(resolve_body(match.group("body"), areas)))


def resolve_body(body: str, areas: AreaTable) -> list[Area]:
    """The most specific unit a body's name ends with (广州市增城区 -> 增城区), narrowed by what precedes."""
    if not (tail := body_tail(body, areas)):
        return []
    candidates = areas.named(tail)
    return areas.narrow_by_ancestors(candidates, body[: -len(tail)]) or candidates


def _abbreviation_areas(match: re.Match[str], page: _Page) -> list[Area]:
    """深应急 -> 深圳; try the longest tail of the characters before 应急 (根据深应急 -> 深); a single
    character outside the table may still be an area's first character (鄞应急 -> 鄞州区)."""
    abbreviation = match.group("abbr")
    for start in range(len(abbreviation)):
        if found := page.areas.by_abbreviation(abbreviation[start:]):
            return found
    if len(abbreviation) == 1 and not page.areas.in_abbreviation_table(abbreviation):
        return _first_character_areas(abbreviation, page)
    return []


def _first_character_areas(char: str, page: _Page) -> list[Area]:
    """The one area a prefix outside the table can mean, or none: many areas share a first character
    (章贡区, 章丘区) and cities use other characters (新余 -> 余), so the text's own rank (全区) must fit,
    and the area must be the only fitting one the text names (itself, its city or its province), or
    the only area anywhere with that character in its name."""
    fitting = [area for area in page.areas.starting_with(char) if area.name[-1] in page.ranks]
    named = [area for area in fitting if _named_with_ancestors(area, page)]
    if len(named) == 1:
        return named
    if len(fitting) == 1 and len(page.areas.containing(char)) == 1:
        return fitting
    return []


def _named_with_ancestors(area: Area, page: _Page) -> bool:
    return any(unit.name in page.context for unit in (area, *page.areas.ancestors(area)))


def _assembly_clue(match: re.Match[str], page: _Page) -> Clue:
    """市应急管理局局长 + 漯河市第七届人民代表大会: the area whose assembly the bureau reports to."""
    level = RANK_LEVEL[match.group("rank")]
    named = {area.code: area for area in page.assemblies if area.level == level}
    said = f"{match.group(0).strip()} + assembly"
    return Clue("speaker line", said, tuple(named.values()) if len(named) == 1 else ())


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _headline_clue(title: str, areas: AreaTable) -> Clue:
    """The area whose full name opens the title; a name right after it within it is more specific
    (广州市增城区今年以来…: 增城区)."""
    if NOT_A_HEADLINE.search(title):
        return Clue("headline", title, ())
    prefix = HEADLINE_PREFIX.match(title)
    found, end = _full_name_at(title, prefix.end() if prefix else 0, areas)
    if found:
        inner, inner_end = _full_name_at(title, end, areas)
        inner = [area for area in inner if any(areas.is_within(area, outer) for outer in found)]
        found, end = (inner, inner_end) if inner else (found, end)
    return Clue("headline", title[:end], tuple(found))


def _full_name_at(text: str, start: int, areas: AreaTable) -> tuple[list[Area], int]:
    """(the areas whose full name starts at `start`, longest name first; where the name ends)."""
    for end in range(min(len(text), start + HEADLINE_NAME_MAX), start + 1, -1):
        name = text[start:end]
        if name[-1] in HEADLINE_NAME_ENDS and (found := areas.fully_named(name)):
            return found, end
    return [], start


def _title_area_clue(match: re.Match[str], page: _Page) -> Clue:
    """我市 (or 市应急管理局) + the one city whose full name is in the title or the site's name."""
    level = RANK_LEVEL[match.group("rank")]
    named = {area.code: area for area in page.named_in_title if area.level == level}
    candidates = tuple(named.values()) if len(named) == 1 else ()
    return Clue(f"{match.group(0).strip()} + title", page.title_context, candidates)


def _disambiguate(first: Clue, others: list[Clue], contexts: list[str], areas: AreaTable) -> Area:
    """One area for the strongest clue: its own, or narrowed by the other clues, else by the contexts."""
    if len(first.candidates) == 1:
        return first.candidates[0]
    named_elsewhere = " ".join(area.name for clue in others for area in clue.candidates)
    for context in (named_elsewhere, *contexts):
        narrowed = areas.narrow_by_ancestors(list(first.candidates), context, full_names_only=True)
        if len(narrowed) == 1:
            return narrowed[0]
    options = ", ".join(f"{a.code} {parent_name(a, areas)}{a.name}" for a in first.candidates)
    raise Quarantined(
        f"no detectable area: {first.said} is ambiguous ({options}); give the code in manifest.csv"
    )
