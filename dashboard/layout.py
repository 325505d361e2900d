"""The page shell: header, filter bar, notices, content, evidence side panel. Built per request, so
area and year options follow the database after an ETL swap."""

from __future__ import annotations

from itertools import combinations

import pandas as pd
from dash import dcc, html

from dashboard.i18n import DROPDOWN_LABELS, t
from dashboard.shaping import localized

ALL = "all"  # the "no filter" choice of the level and category selectors


def province_short(province: str) -> str:
    """广东省 -> 广东, 广西壮族自治区 -> 广西: for the "广东 · 深圳" group labels."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if province.endswith(suffix) and len(province) > len(suffix) + 1:
            return province[: -len(suffix)]
    return province


def area_options(areas: pd.DataFrame, level: str | None = None) -> list[dict]:
    """Options grouped by province (sorted by code, labelled "广东 · 深圳"), searchable by name, pinyin
    and code; areas with reports first; only areas of `level` (city, county) when one is chosen."""
    if level:
        areas = areas[areas["level"] == level]
    ordered = areas.sort_values("has_reports", ascending=False, kind="stable")
    return [
        {
            "label": f"{province_short(row.province)} · {row.short_name}",
            "value": row.code,
            "search": f"{row.name} {row.short_name} {row.pinyin or ''} {row.province} {row.code}",
        }
        for row in ordered.itertuples()
    ]


def year_options(years: list[int], lang: str) -> list[dict]:
    options = [{"label": t("year_latest", lang), "value": "latest"}]
    options += [{"label": str(y), "value": str(y)} for y in years]
    options += [{"label": f"{a}–{b}", "value": f"{a}-{b}"} for a, b in combinations(years, 2)]
    return options


def _labelled(label: str, control, class_name: str = "control") -> html.Div:
    return html.Div([html.Label(label), control], className=class_name)


def filter_bar(areas: pd.DataFrame, years: list[int], categories: pd.DataFrame, lang: str) -> html.Div:
    options = area_options(areas)
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
                dcc.Dropdown(id="home-select", options=options, labels=DROPDOWN_LABELS[lang]),
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
        ],
        id="evidence-panel",
        className="evidence-panel closed",
    )


def shell(areas: pd.DataFrame, years: list[int], categories: pd.DataFrame, lang: str) -> html.Div:
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            header(lang),
            filter_bar(areas, years, categories, lang),
            html.Div(id="notices", className="notices"),
            html.Div(
                [html.Main(dcc.Loading(html.Div(id="content")), className="content"), evidence_aside(lang)],
                className="body",
            ),
        ],
        lang=lang,
    )
