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
# What the content area shows: the panels of charts (the default, never written in a link), one table, or
# each area's change since the year before (dashboard/change_view/)
CHARTS, TABLE, CHANGE = "charts", "table", "change"
VIEWS = (CHARTS, TABLE, CHANGE)
LATEST = "latest"
# `2022` or `2021-2023` (hyphen, en dash or tilde between the years); ASCII digits only (`\d` takes ²)
YEAR_PATTERN = re.compile(r"(?P<first>[0-9]{4})(?:\s*[-–~]\s*(?P<last>[0-9]{4}))?")
FIRST_YEAR, LAST_YEAR = 1949, 2100  # a year outside these is a typo (`0000`), never a report's year
# A character offset in a `/doc/<id>?start=&end=` link: ASCII digits, at most 9 of them (no 5,000 nines)
OFFSET_PATTERN = re.compile(r"[0-9]{1,9}")
# At most this many areas in one view: each costs a row in every chart, table and the coverage matrix
MAX_AREAS = 60
MAX_PARAM_NOTICES = 20  # unknown parameters named in notices
MAX_NOTICE_VALUE_CHARS = 40  # a pasted value is quoted back in its notice only this far
AREA_SEPARATORS = re.compile(r"[,，、\s]+")
PARAMS = ("area", "group", "level", "year", "cat", "per", "home", "lang", "target", "view", "reviewed")
# `reviewed=1`: only values a reviewer accepted, corrected or added (the review desk: dashboard/review/)
REVIEWED_VALUES = ("1",)
# Groups an `area` link may name instead of areas: every city, or every area of one province (`prov:44`,
# the province code's first two digits). A group is drawn ranked (top and bottom, the rest summarised), so
# its size costs nothing per chart; named areas are all drawn, so they are capped at MAX_AREAS.
GROUP_CITIES = "cities"
PROVINCE_GROUP = re.compile(r"prov:(?P<code>[0-9]{2})")
# Peer groups of the home area (`group=`): the areas of its province, of its level, or of its level with a
# population within ±PEER_POPULATION_SHARE of its own. Drawn ranked like a group, the home area among them.
PEER_GROUPS = ("province", "level", "peers")
PEER_POPULATION_SHARE = 0.3

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
    if not FIRST_YEAR <= min(first, last) <= max(first, last) <= LAST_YEAR:
        return None
    return YearSpec(min(first, last), max(first, last))


def parse_offset(text: str | None) -> int | None:
    """A character offset from a URL parameter, or None when it is not a plain small number."""
    if text is None or not OFFSET_PATTERN.fullmatch(text):
        return None
    return int(text)


def shortened(text: str) -> str:
    """A user-typed value as a notice quotes it: cut, so a pasted megabyte is not echoed back."""
    if len(text) <= MAX_NOTICE_VALUE_CHARS:
        return text
    return text[: MAX_NOTICE_VALUE_CHARS - 1] + "…"


def too_many_areas(n: int) -> Notice:
    return ("notice_too_many_areas", {"cap": str(MAX_AREAS), "n": str(n)})


@dataclass(frozen=True)
class ViewState:
    """What the page shows. Empty `areas` means every area with a loaded report (of `group` when one is
    chosen), drawn ranked."""

    areas: tuple[str, ...] = ()
    group: str | None = None
    peers: str | None = None  # a peer group of the home area (PEER_GROUPS); replaces areas and group
    level: str | None = None
    year: YearSpec = field(default_factory=YearSpec)
    cat: str | None = None
    per: str | None = None
    home: str | None = None
    lang: str = DEFAULT_LANG
    target: float | None = None
    view: str | None = None  # TABLE or CHANGE for those views; None for the charts
    reviewed: str | None = None  # "1": only values a reviewer accepted, corrected or added

    @property
    def only_reviewed(self) -> bool:
        return self.reviewed is not None

    @property
    def ranked(self) -> bool:
        """Areas not named one by one (all, or a group): charts show the top and bottom, not every one."""
        return not self.areas


class AreaIndex:
    """Resolves what a user may type for an area (code, full name, short name) to its code."""

    def __init__(self, areas: pd.DataFrame):
        self._by_key: dict[str, list[str]] = {}
        self._names = dict(zip(areas["code"], areas["short_name"], strict=True))
        self._full_names = dict(zip(areas["code"], areas["name"], strict=True))
        self._levels = dict(zip(areas["code"], areas["level"], strict=True)) if "level" in areas else {}
        has_provinces = {"province_code", "province"} <= set(areas.columns)
        self.provinces = (  # `44` -> 广东省, for `prov:44` links
            dict(zip(areas["province_code"].str[:2], areas["province"], strict=True)) if has_provinces else {}
        )
        for code, name, short in zip(areas["code"], areas["name"], areas["short_name"], strict=True):
            for key in {code, name, short}:
                self._by_key.setdefault(key, []).append(code)

    def resolve(self, text: str) -> tuple[str | None, Notice | None]:
        """The code `text` names, or None with a notice saying why (unknown, or ambiguous)."""
        codes = self._by_key.get(text.strip(), [])
        if len(codes) == 1:
            return codes[0], None
        if not codes:
            return None, ("notice_unknown_area", {"value": shortened(text)})
        choices = ", ".join(f"{self._full_names[c]} {c}" for c in codes)
        return None, ("notice_ambiguous_area", {"value": shortened(text), "choices": choices})

    def group(self, text: str) -> str | None:
        """`cities` or `prov:NN` of a known province as written in a link; None for anything else."""
        match = PROVINCE_GROUP.fullmatch(text.strip())
        if match and match["code"] in self.provinces:
            return match.group(0)
        return GROUP_CITIES if text.strip() == GROUP_CITIES else None

    def level(self, code: str) -> str | None:
        return self._levels.get(code)

    def url_name(self, code: str) -> str:
        """The short name when it names only this area, else the code."""
        short = self._names.get(code, code)
        return short if self._by_key.get(short) == [code] else code


def parse_target(value: object) -> float | None:
    """A percentage 0–100 from a URL parameter or the target control; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        target = float(value)
    except ValueError:
        return None
    return target if 0 <= target <= 100 else None


def parse_query(search: str, index: AreaIndex, category_ids: list[str]) -> tuple[ViewState, list[Notice]]:
    """The view a URL query string asks for, and a notice for each value that was ignored."""
    notices: list[Notice] = []
    params = dict(parse_qsl(search.lstrip("?"), keep_blank_values=False))
    values: dict[str, object] = {}

    def bad(param: str) -> None:
        shown = "group" if param == "peers" else param
        notices.append(("notice_bad_param", {"param": shown, "value": shortened(params[param])}))

    for param in sorted(params.keys() - set(PARAMS))[:MAX_PARAM_NOTICES]:
        notices.append(("notice_unknown_param", {"param": shortened(param)}))
    areas, group, area_notices = parse_areas(params.get("area", ""), index)
    notices += area_notices
    values["group"] = group
    if "home" in params:
        home, notice = index.resolve(params["home"])
        if notice:
            notices.append(notice)
        else:
            values["home"] = home
    values["areas"] = areas
    simple_choices = {
        "peers": PEER_GROUPS,  # the `group` parameter: a peer group of the home area
        "level": LEVELS,
        "cat": category_ids,
        "per": PER_VALUES,
        "lang": LANGS,
        "view": VIEWS,
        "reviewed": REVIEWED_VALUES,
    }
    params = {("peers" if key == "group" else key): value for key, value in params.items()}
    for param, choices in simple_choices.items():
        if param in params:
            if params[param] in choices:
                values[param] = params[param]
            else:
                bad(param)
    if values.get("view") == CHARTS:  # the default, as a link may spell it out
        del values["view"]
    for param, parse in (("year", parse_year), ("target", parse_target)):
        if param in params:
            parsed = parse(params[param])
            if parsed is None:
                bad(param)
            else:
                values[param] = parsed
    state, peer_notices = with_peer_group(ViewState(**values))
    notices += peer_notices
    state, level_notices = without_other_level(with_home_selected(state), index)
    state, cap_notices = within_cap(state)
    already_said = any(key == "notice_too_many_areas" for key, _ in notices)
    return state, notices + level_notices + ([] if already_said else cap_notices)


def parse_areas(text: str, index: AreaIndex) -> tuple[tuple[str, ...], str | None, list[Notice]]:
    """The codes of the areas named in `text`, in order (only the first MAX_AREAS names are read), or the
    group it names instead (a group with names beside it: the names are ignored, with a notice)."""
    tokens = list(dict.fromkeys(filter(None, AREA_SEPARATORS.split(text))))
    groups = [group for group in map(index.group, tokens) if group]
    if groups:
        ignored = [token for token in tokens if not index.group(token)][:MAX_PARAM_NOTICES]
        return (), groups[-1], [("notice_group_alone", {"value": shortened(token)}) for token in ignored]
    notices: list[Notice] = []
    if len(tokens) > MAX_AREAS:
        notices.append(too_many_areas(len(tokens)))
        tokens = tokens[:MAX_AREAS]
    areas: list[str] = []
    for token in tokens:
        code, notice = index.resolve(token)
        if notice:
            notices.append(notice)
        elif code not in areas:
            areas.append(code)
    return tuple(areas), None, notices


def within_cap(state: ViewState) -> tuple[ViewState, list[Notice]]:
    """At most MAX_AREAS selected areas (the first ones, and the home area), with a notice when cut."""
    if len(state.areas) <= MAX_AREAS:
        return state, []
    kept = state.areas[:MAX_AREAS]
    if state.home and state.home not in kept:
        kept = (*kept[: MAX_AREAS - 1], state.home)
    return replace(state, areas=kept), [too_many_areas(len(state.areas))]


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
    elif state.group:
        params["area"] = state.group
    if state.peers:
        params["group"] = state.peers
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
    if state.view:
        params["view"] = state.view
    if state.reviewed:
        params["reviewed"] = state.reviewed
    return "?" + urlencode(params, safe=",")


def with_peer_group(state: ViewState) -> tuple[ViewState, list[Notice]]:
    """A peer group is the home area's: without a home area it is dropped (with a notice); with one, it
    replaces the areas or group the link also names."""
    if not state.peers:
        return state, []
    if not state.home:
        return replace(state, peers=None), [("notice_group_needs_home", {"value": state.peers})]
    return replace(state, areas=(), group=None), []


def within_years(state: ViewState, years: list[int]) -> tuple[ViewState, list[Notice]]:
    """A year or range cut to the `years` loaded, with a notice, so a followed link shows (and its year
    picker names) what it says; with none of them loaded, each area's latest year, with a notice."""
    spec = state.year
    if spec.is_latest or not years:
        return state, []
    inside = [year for year in years if spec.first <= year <= spec.last]
    loaded = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    if not inside:
        return replace(state, year=YearSpec()), [
            ("notice_year_not_loaded", {"value": str(spec), "loaded": loaded})
        ]
    shown = YearSpec(inside[0], inside[-1])
    if shown == spec:
        return state, []
    notice = ("notice_year_clamped", {"value": str(spec), "shown": str(shown), "loaded": loaded})
    return replace(state, year=shown), [notice]


def with_home_selected(state: ViewState) -> ViewState:
    """The home area is always among the selected areas (when any are chosen explicitly)."""
    if state.home and state.areas and state.home not in state.areas:
        return replace(state, areas=(*state.areas, state.home))
    return state
