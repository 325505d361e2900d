"""The page shell: header, filter bar, notices, content, evidence side panel. Built per request, so
area and year options follow the database after an ETL swap."""

from __future__ import annotations

import json
from itertools import combinations

import pandas as pd
from dash import dcc, html

from dashboard.i18n import DEFAULT_LANG, DROPDOWN_LABELS, t
from dashboard.navigation import KEPT_VIEW
from dashboard.shaping import localized
from dashboard.state import CHARTS, GROUP_CITIES, PEER_GROUPS, REVIEWED_VALUES, VIEWS

ALL = "all"  # the "no filter" choice of the level and category selectors
SEARCH_LIMIT = 50  # areas an area picker offers for what the user typed
MAX_SEARCH_LENGTH = 40  # characters of a search the server reads (no area name is longer)
MAX_SELECTED = 200  # selected areas an area picker keeps among its options (a view shows at most 60)


def province_short(province: str) -> str:
    """广东省 -> 广东, 广西壮族自治区 -> 广西: for the "广东 · 深圳" group labels."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if province.endswith(suffix) and len(province) > len(suffix) + 1:
            return province[: -len(suffix)]
    return province


def labelled_areas(areas: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[dict]:
    """One option per area, in the frame's order: labelled "广东 · 深圳" (an area with no report loaded
    says so: nothing to show for it yet), searchable by name, pinyin and code."""
    no_reports = t("picker_no_reports", lang)
    return [
        {
            "label": f"{province_short(row.province)} · {row.short_name}"
            + ("" if row.has_reports else no_reports),
            "value": row.code,
            "search": f"{row.name} {row.short_name} {row.pinyin or ''} {row.province} {row.code}",
        }
        for row in areas.itertuples()
    ]


def area_options(areas: pd.DataFrame, level: str | None = None, lang: str = DEFAULT_LANG) -> list[dict]:
    """Options grouped by province (sorted by code, labelled "广东 · 深圳"), searchable by name, pinyin
    and code; areas with reports first; only areas of `level` (city, county) when one is chosen."""
    if level:
        areas = areas[areas["level"] == level]
    return labelled_areas(areas.sort_values("has_reports", ascending=False, kind="stable"), lang)


def search_areas(areas: pd.DataFrame, search: str) -> pd.DataFrame:
    """The areas whose name, short name, pinyin, province or code hold every word of `search` (in any
    case), best first: the search as a whole name, code or pinyin word, then as the start of one, then
    anywhere; areas with reports first within each; at most SEARCH_LIMIT."""
    words = search.lower().split()
    if not words or areas.empty:
        return areas.head(0)
    fields = {
        "short_name": areas["short_name"],
        "name": areas["name"],
        "code": areas["code"],
        "pinyin": areas["pinyin"].fillna(""),
        "province": areas["province"],
    }
    fields = {key: values.astype(str).str.lower() for key, values in fields.items()}
    text = fields["name"] + " " + fields["short_name"] + " " + fields["pinyin"] + " " + fields["province"]
    text = text + " " + fields["code"]
    found = pd.Series(True, index=areas.index)
    for word in words:
        found &= text.str.contains(word, regex=False)
    whole = " ".join(words)
    names = [fields[key][found] for key in ("short_name", "name", "code", "pinyin")]
    exact = [name == whole for name in names[:3]] + [names[3].str.split().map(lambda w: whole in w)]
    prefix = [name.str.startswith(whole) for name in names]
    rank = 2 - pd.concat(exact, axis=1).any(axis=1).astype(int) - pd.concat(prefix, axis=1).any(axis=1)
    hits = areas[found].assign(_rank=rank, _later=~areas.loc[found, "has_reports"].astype(bool))
    ordered = hits.sort_values(["_rank", "_later"], kind="stable").head(SEARCH_LIMIT)
    return ordered.drop(columns=["_rank", "_later"])


def area_codes(value: object) -> list[str]:
    """The codes in a picker's value (one code, a list, or None) or in the remembered list, in order,
    once each, at most MAX_SELECTED; anything a picker could not have sent is dropped."""
    values = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(v for v in values[:MAX_SELECTED] if isinstance(v, str)))


def remembered(*values: object) -> list[str]:
    """The areas chosen in the pickers during this page's life, latest first, at most MAX_SELECTED."""
    return area_codes([code for value in values for code in area_codes(value)])


def picker_options(
    areas: pd.DataFrame,
    level: str | None = None,
    selected: object = None,
    search: object = None,
    recent: object = None,
    groups_lang: str | None = None,
    lang: str = DEFAULT_LANG,
) -> list[dict]:
    """What an area picker sends to the browser, never the whole reference table: the areas (of `level`)
    matching what the user typed (found here on the server by name, pinyin or code), or with nothing
    typed the areas with reports; then the selected areas (of any level) and the `recent` ones (of
    `level`) not among them; with `groups_lang`, the groups (all cities, a province's areas) first. A
    value missing from a dropdown's options is dropped by the dropdown when it is set (from the URL: page
    load, back, forward), so every area and group chosen on the page stays offered."""
    chosen = areas[areas["level"] == level] if level else areas
    typed = search.strip()[:MAX_SEARCH_LENGTH] if isinstance(search, str) else ""
    if typed:
        options = labelled_areas(search_areas(chosen, typed), lang)
    else:
        options = area_options(chosen[chosen["has_reports"].astype(bool)], lang=lang)
    by_code = areas.set_index("code", drop=False)
    earlier = by_code.reindex(area_codes(recent)).dropna(subset=["code"])
    if level:
        earlier = earlier[earlier["level"] == level]
    if groups_lang:
        options = group_options(areas, level, typed, area_codes(selected), groups_lang) + options
    offered = {option["value"] for option in options}
    kept = [code for code in dict.fromkeys([*area_codes(selected), *earlier["code"]]) if code not in offered]
    return options + labelled_areas(by_code.reindex(kept).dropna(subset=["code"]), lang)


def group_options(
    areas: pd.DataFrame, level: str | None, search: str, kept: list[str], lang: str
) -> list[dict]:
    """The groups an area picker offers instead of a select-all of thousands: all cities, and all areas
    of each province that has reports (of `level`), each with how many have reports; those whose label
    holds what the user typed, and the `kept` ones (chosen) whatever was typed."""
    reporting = areas[areas["has_reports"].astype(bool)]
    if level:
        reporting = reporting[reporting["level"] == level]
    groups = []
    cities = int((reporting["level"] == "city").sum())
    if cities:
        groups.append((GROUP_CITIES, t("group_cities", lang), cities))
    for code, rows in reporting.groupby(reporting["province_code"].str[:2], sort=True):
        label = t("group_province", lang, province=province_short(rows["province"].iloc[0]))
        groups.append((f"prov:{code}", label, len(rows)))
    typed = search.lower()
    return [
        {"label": t("group_count", lang, label=label, n=n), "value": value, "search": f"{label} {value}"}
        for value, label, n in groups
        if typed in label.lower() or typed in value or value in kept
    ]


def peer_options(lang: str) -> list[dict]:
    """The home area's peer groups, one click each (`group=` in the URL; dashboard/view.py)."""
    return [{"label": t("peers_none", lang), "value": ALL}] + [
        {"label": t(f"peers_{group}", lang), "value": group} for group in PEER_GROUPS
    ]


def year_options(years: list[int], lang: str) -> list[dict]:
    options = [{"label": t("year_latest", lang), "value": "latest"}]
    options += [{"label": str(y), "value": str(y)} for y in years]
    options += [{"label": f"{a}–{b}", "value": f"{a}-{b}"} for a, b in combinations(years, 2)]
    return options


def _labelled(label: str, control, class_name: str = "control") -> html.Div:
    return html.Div([html.Label(label), control], className=class_name)


def filter_bar(
    areas: pd.DataFrame, years: list[int], categories: pd.DataFrame, lang: str, selected: list[str] = ()
) -> html.Div:
    """The controls; the area pickers start with the areas with reports and the `selected` ones (the
    page URL's `area` and `home`), which must be among the options before the URL sets them as values,
    or the dropdown drops them."""
    options = picker_options(areas, None, list(selected), groups_lang=lang, lang=lang)
    home_options = picker_options(areas, None, list(selected), lang=lang)
    level_options = [{"label": t(f"level_{v}", lang), "value": v} for v in (ALL, "city", "county")]
    category_options = [{"label": t("category_all", lang), "value": ALL}] + [
        {"label": localized(c, "name", lang), "value": c["id"]} for _, c in categories.iterrows()
    ]
    return html.Div(
        [
            _labelled(
                t("areas", lang),
                dcc.Dropdown(
                    id="area-select",
                    options=options,
                    multi=True,
                    placeholder=t("areas_placeholder", lang),
                    labels=DROPDOWN_LABELS[lang],
                ),
                "control wide",
            ),
            _labelled(
                t("level", lang),
                dcc.RadioItems(id="level-select", options=level_options, value=ALL, inline=True),
            ),
            _labelled(
                t("year", lang),
                dcc.Dropdown(
                    id="year-select",
                    options=year_options(years, lang),
                    value="latest",
                    clearable=False,
                    labels=DROPDOWN_LABELS[lang],
                ),
            ),
            _labelled(
                t("category", lang),
                dcc.Dropdown(
                    id="cat-select",
                    options=category_options,
                    value=ALL,
                    clearable=False,
                    labels=DROPDOWN_LABELS[lang],
                ),
            ),
            _labelled(
                t("home", lang),
                dcc.Dropdown(id="home-select", options=home_options, labels=DROPDOWN_LABELS[lang]),
            ),
            _labelled(
                t("peers", lang),
                dcc.RadioItems(id="group-select", options=peer_options(lang), value=ALL, inline=True),
            ),
            _labelled(
                t("target", lang), dcc.Input(id="target-input", type="number", min=0, max=100, debounce=True)
            ),
            _labelled(
                "",
                dcc.Checklist(
                    id="per-select", options=[{"label": t("per_10k", lang), "value": "10k"}], value=[]
                ),
            ),
            _labelled(
                "",
                dcc.Checklist(
                    id="reviewed-select",
                    options=[{"label": t("reviewed_only", lang), "value": REVIEWED_VALUES[0]}],
                    value=[],
                ),
            ),
            _labelled(
                t("view", lang),
                dcc.RadioItems(
                    id="view-select",
                    options=[{"label": t(f"view_{v}", lang), "value": v} for v in VIEWS],
                    value=CHARTS,
                    inline=True,
                ),
            ),
        ],
        id="filter-bar",
        className="filter-bar",
    )


def header(lang: str) -> html.Header:
    other = "en" if lang == "zh" else "zh"
    return html.Header(
        [
            html.H1(t("title", lang)),
            html.Nav(
                [
                    dcc.Link(t("nav_dashboard", lang), href="/", id="nav-dashboard"),
                    dcc.Link(t("nav_reports", lang), href="/reports", id="nav-reports"),
                    html.A(t("language", lang), href=f"/?lang={other}", id="lang-link"),
                    html.Button(t("copy_link", lang), id="copy-link", className="link-button"),
                    html.Span(
                        id="copy-link-status", title=t("copy_link_done", lang), className="copy-status"
                    ),
                    html.Span(id="review-nav", className="review-nav"),  # dashboard/review/callbacks.py
                ]
            ),
        ],
        className="header",
    )


def evidence_aside(lang: str) -> html.Aside:
    return html.Aside(
        [
            html.Div(
                [
                    html.H3(t("evidence_title", lang)),
                    html.Button("×", id="evidence-close", title=t("close", lang)),
                ],
                className="aside-head",
            ),
            html.Div(html.P(t("evidence_hint", lang)), id="evidence-body"),
            dcc.Store(id="evidence-fact"),  # the fact id of the last click (see callbacks.EVIDENCE_CLICK_JS)
        ],
        id="evidence-panel",
        className="evidence-panel closed",
    )


def shell(
    areas: pd.DataFrame, years: list[int], categories: pd.DataFrame, lang: str, selected: list[str] = ()
) -> html.Div:
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="area-picker-recent", data=list(selected)),
            dcc.Store(id=KEPT_VIEW, storage_type="session"),  # see dashboard/navigation.py
            dcc.Store(id="doc-scrolled"),
            header(lang),
            filter_bar(areas, years, categories, lang, selected),
            html.Div(id="notices", className="notices"),
            html.Div(
                [html.Main(own_loading(html.Div(id="content")), className="content"), evidence_aside(lang)],
                className="body",
            ),
        ],
        lang=lang,
    )


def own_loading(component: html.Div) -> dcc.Loading:
    """A spinner while the component's own children load (a new page, view or panel), not while a chart
    or a table page inside it does: those have their own, and a cover over the whole page hid what was
    drawn already (and blurred a review form being typed in). Dash names a dict id by its JSON, keys
    sorted."""
    cid = component.id
    name = cid if isinstance(cid, str) else json.dumps(cid, sort_keys=True, separators=(",", ":"))
    return dcc.Loading(component, target_components={name: "children"})
