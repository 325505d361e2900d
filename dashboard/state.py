"""The view state and its URL form: a copied link reopens the same view.

Parsing never fails: an unknown or ambiguous value is dropped and reported as a notice, so a mistyped
link still opens a page. Areas are kept as codes (names collide: four 朝阳) and written back as short
names where those are unique, so links stay readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

import pandas as pd

from dashboard.i18n import DEFAULT_LANG, LANGS

LEVELS = ("city", "county")
PER_VALUES = ("10k",)
LATEST = "latest"
# `2022` or `2021-2023` (hyphen, en dash or tilde between the years)
YEAR_PATTERN = re.compile(r"(?P<first>\d{4})(?:\s*[-–~]\s*(?P<last>\d{4}))?")
AREA_SEPARATORS = re.compile(r"[,，、\s]+")
PARAMS = ("area", "level", "year", "cat", "per", "home", "lang", "target")

Notice = tuple[str, dict[str, str]]  # (i18n key, values to fill in)


@dataclass(frozen=True)
class YearSpec:
    """A year range; (None, None) is `latest`: each area's most recent reported year."""

    first: int | None = None
    last: int | None = None

    @property
    def is_latest(self) -> bool:
        return self.first is None

    @property
    def is_trend(self) -> bool:
        return self.first is not None and self.last != self.first

    def __str__(self) -> str:
        if self.is_latest:
            return LATEST
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


def parse_year(text: str) -> YearSpec | None:
    """`latest`, `2022` or `2021-2023` as a YearSpec; None when the text is none of these."""
    text = text.strip().lower()
    if text == LATEST:
        return YearSpec()
    match = YEAR_PATTERN.fullmatch(text)
    if not match:
        return None
    first = int(match["first"])
    last = int(match["last"] or first)
    return YearSpec(min(first, last), max(first, last))


@dataclass(frozen=True)
class ViewState:
    """What the page shows. Empty `areas` means the default: every area with a loaded report."""

    areas: tuple[str, ...] = ()
    level: str | None = None
    year: YearSpec = field(default_factory=YearSpec)
    cat: str | None = None
    per: str | None = None
    home: str | None = None
    lang: str = DEFAULT_LANG
    target: float | None = None


class AreaIndex:
    """Resolves what a user may type for an area (code, full name, short name) to its code."""

    def __init__(self, areas: pd.DataFrame):
        self._by_key: dict[str, list[str]] = {}
        self._names = dict(zip(areas["code"], areas["short_name"], strict=True))
        self._full_names = dict(zip(areas["code"], areas["name"], strict=True))
        self._levels = dict(zip(areas["code"], areas["level"], strict=True)) if "level" in areas else {}
        for code, name, short in zip(areas["code"], areas["name"], areas["short_name"], strict=True):
            for key in {code, name, short}:
                self._by_key.setdefault(key, []).append(code)

    def resolve(self, text: str) -> tuple[str | None, Notice | None]:
        """The code `text` names, or None with a notice saying why (unknown, or ambiguous)."""
        codes = self._by_key.get(text.strip(), [])
        if len(codes) == 1:
            return codes[0], None
        if not codes:
            return None, ("notice_unknown_area", {"value": text})
        choices = ", ".join(f"{self._full_names[c]} {c}" for c in codes)
        return None, ("notice_ambiguous_area", {"value": text, "choices": choices})

    def level(self, code: str) -> str | None:
        return self._levels.get(code)

    def url_name(self, code: str) -> str:
        """The short name when it names only this area, else the code."""
        short = self._names.get(code, code)
        return short if self._by_key.get(short) == [code] else code


def _parse_target(text: str) -> float | None:
    try:
        target = float(text)
    except ValueError:
        return None
    return target if 0 <= target <= 100 else None


def parse_query(search: str, index: AreaIndex, category_ids: list[str]) -> tuple[ViewState, list[Notice]]:
    """The view a URL query string asks for, and a notice for each value that was ignored."""
    notices: list[Notice] = []
    params = dict(parse_qsl(search.lstrip("?"), keep_blank_values=False))
    values: dict[str, object] = {}

    def bad(param: str) -> None:
        notices.append(("notice_bad_param", {"param": param, "value": params[param]}))

    for param in params.keys() - set(PARAMS):
        notices.append(("notice_unknown_param", {"param": param}))
    areas: list[str] = []
    for token in filter(None, AREA_SEPARATORS.split(params.get("area", ""))):
        code, notice = index.resolve(token)
        if notice:
            notices.append(notice)
        elif code not in areas:
            areas.append(code)
    if "home" in params:
        home, notice = index.resolve(params["home"])
        if notice:
            notices.append(notice)
        else:
            values["home"] = home
    values["areas"] = tuple(areas)
    simple_choices = {"level": LEVELS, "cat": category_ids, "per": PER_VALUES, "lang": LANGS}
    for param, choices in simple_choices.items():
        if param in params:
            if params[param] in choices:
                values[param] = params[param]
            else:
                bad(param)
    for param, parse in (("year", parse_year), ("target", _parse_target)):
        if param in params:
            parsed = parse(params[param])
            if parsed is None:
                bad(param)
            else:
                values[param] = parsed
    state, level_notices = without_other_level(with_home_selected(ViewState(**values)), index)
    return state, notices + level_notices


def without_other_level(state: ViewState, index: AreaIndex) -> tuple[ViewState, list[Notice]]:
    """With a level chosen, selected areas of the other level are dropped (compare like with like),
    each with a notice; so is a home area of the other level."""
    if not state.level:
        return state, []
    other = [code for code in (*state.areas, state.home) if code and index.level(code) != state.level]
    notices: list[Notice] = [
        (f"notice_not_{state.level}", {"value": index.url_name(code)}) for code in dict.fromkeys(other)
    ]
    kept = tuple(code for code in state.areas if code not in other)
    return replace(state, areas=kept, home=None if state.home in other else state.home), notices


def to_query(state: ViewState, index: AreaIndex) -> str:
    """The URL query string for a view (`?` included), leaving out what is at its default."""
    default = ViewState()
    params: dict[str, str] = {}
    if state.areas:
        params["area"] = ",".join(index.url_name(code) for code in state.areas)
    if state.level:
        params["level"] = state.level
    params["year"] = str(state.year)
    if state.cat:
        params["cat"] = state.cat
    if state.per:
        params["per"] = state.per
    if state.home:
        params["home"] = index.url_name(state.home)
    if state.lang != default.lang:
        params["lang"] = state.lang
    if state.target is not None:
        params["target"] = f"{state.target:g}"
    return "?" + urlencode(params, safe=",")


def with_home_selected(state: ViewState) -> ViewState:
    """The home area is always among the selected areas (when any are chosen explicitly)."""
    if state.home and state.areas and state.home not in state.areas:
        return replace(state, areas=(*state.areas, state.home))
    return state
