"""The Dash app: served locally (no CDN), assets from the repository's top-level assets/ folder."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import flask
import pandas as pd
from dash import Dash

from dashboard import callbacks, navigation, queries
from dashboard.i18n import DEFAULT_LANG, LANGS, t
from dashboard.layout import shell
from dashboard.review import auth as review_auth
from dashboard.review import callbacks as review_callbacks
from dashboard.state import AreaIndex, parse_query
from dashboard.table_view import callbacks as table_view_callbacks

ASSETS = Path(__file__).resolve().parent.parent / "assets"
# What the filter bar is built from while there is no database: the content then explains how to build it
NO_AREAS = pd.DataFrame(
    columns=["code", "name", "short_name", "level", "province_code", "province", "pinyin", "has_reports"]
)
NO_CATEGORIES = pd.DataFrame(columns=["id", "name_zh", "name_en"])


def page_search() -> str:
    """The query string of the page being laid out: Dash asks for the layout in a request of its own,
    whose referrer is the page's URL."""
    return urlparse(flask.request.referrer or "").query if flask.has_request_context() else ""


def page_lang() -> str:
    """The `lang` of the page being laid out."""
    if not flask.has_request_context():
        return DEFAULT_LANG
    page_query = parse_qs(page_search())
    lang = flask.request.args.get("lang") or page_query.get("lang", [DEFAULT_LANG])[0]
    return lang if lang in LANGS else DEFAULT_LANG


def create_app(db_path: Path | str = queries.DEFAULT_DB) -> Dash:
    db_path = Path(db_path)
    app = Dash(__name__, assets_folder=str(ASSETS), serve_locally=True, title=t("title", DEFAULT_LANG))

    def layout():
        """Built per page load, so options follow a database rebuilt while the server runs."""
        lang = page_lang()
        if not queries.db_problem(db_path):
            try:
                areas, categories = queries.areas(db_path), queries.categories(db_path)
                state, _ = parse_query(page_search(), AreaIndex(areas), categories["id"].tolist())
                selected = [*state.areas, *([state.home] if state.home else [])]
                return shell(areas, queries.report_years(db_path), categories, lang, selected)
            except duckdb.Error:  # swapped for a bad file since the check: the content says why
                pass
        return shell(NO_AREAS, [], NO_CATEGORIES, lang)

    app.layout = layout
    callbacks.register(app, db_path)
    table_view_callbacks.register(app, db_path)
    navigation.register(app)
    review_auth.configure(app.server, db_path)
    review_callbacks.register(app, db_path)
    return app
