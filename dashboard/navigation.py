"""Navigation that keeps the manager's view: the links between the dashboard, the reports page and a
report's full text lead back to the view they left (its areas, years, category, language), not to a bare
`/`, and a report's full text opens scrolled to the highlighted figure.

A link carries the view as the dashboard's own query string, re-written from its parsed state before it
is put into a link, so only a valid view ever travels (a forged `view=` is a default view, never markup).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

from dash import Dash, Input, Output, State

from dashboard.state import to_query
from dashboard.view import load_state

VIEW_PARAM = "view"  # the query parameter of a /doc link that holds the view it came from
KEPT_VIEW = "kept-view"  # the session store of the dashboard view last shown in this tab

# In the browser: remember the dashboard's query string while on `/`, and point the header's links at
# it: 指标面板 goes back to that view, 报告 keeps its language. Runs in the page: no request per navigation.
NAV_LINKS_JS = """
function (pathname, search, kept) {
    const onDashboard = !pathname || pathname === "/";
    const view = onDashboard ? (search || "") : (kept || "");
    const english = new URLSearchParams(onDashboard ? view : (search || "")).get("lang") === "en";
    return [
        onDashboard ? view : window.dash_clientside.no_update,
        "/" + (view || (english ? "?lang=en" : "")),
        "/reports" + (english ? "?lang=en" : ""),
    ];
}
"""

# In the browser: a report's full text opens at its highlighted figure (a link changes the page in place,
# so the browser's own scroll to an anchor never happens). Tried each frame until the page is drawn.
SCROLL_TO_FIGURE_JS = """
function (children) {
    let tries = 0;
    const scroll = () => {
        const mark = document.querySelector("#doc-text mark");
        if (mark) { mark.scrollIntoView({block: "center"}); }
        else if (tries++ < 60) { window.requestAnimationFrame(scroll); }
    };
    if (window.location.pathname.startsWith("/doc/")) { window.requestAnimationFrame(scroll); }
    return window.dash_clientside.no_update;
}
"""


# In the browser: 复制链接 puts the page's address (the whole view: areas, years, group, language) on the
# clipboard and says so beside the button (its title holds the word, in the page's language).
COPY_LINK_JS = """
function (clicks, done) {
    if (!clicks) { return window.dash_clientside.no_update; }
    const url = window.location.href;
    if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url);
    } else {
        const box = document.createElement("textarea");
        box.value = url;
        document.body.appendChild(box);
        box.select();
        document.execCommand("copy");
        box.remove();
    }
    return done;
}
"""


def kept_view(db_path: Path, view: object) -> str:
    """The dashboard query string (`?...`, or '' for the default view) a link may carry back: `view`
    parsed as a view and written out again, so what is not a valid view is left out."""
    if not isinstance(view, str) or not view.strip("?"):
        return ""
    state, _, index, _ = load_state(db_path, "?" + view.lstrip("?"))
    return to_query(state, index)


def back_href(db_path: Path, doc_search: str | None, lang: str) -> str:
    """Where a report's full-text page leads back to: the view its link came from, else the dashboard
    in the page's language."""
    view = dict(parse_qsl((doc_search or "").lstrip("?"))).get(VIEW_PARAM)
    return "/" + (kept_view(db_path, view) or ("?lang=en" if lang == "en" else ""))


def register(app: Dash) -> None:
    app.clientside_callback(
        NAV_LINKS_JS,
        Output(KEPT_VIEW, "data"),
        Output("nav-dashboard", "href"),
        Output("nav-reports", "href"),
        Input("url", "pathname"),
        Input("url", "search"),
        State(KEPT_VIEW, "data"),
    )
    app.clientside_callback(
        COPY_LINK_JS,
        Output("copy-link-status", "children"),
        Input("copy-link", "n_clicks"),
        State("copy-link-status", "title"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        SCROLL_TO_FIGURE_JS,
        Output("doc-scrolled", "data"),
        Input("content", "children"),
        prevent_initial_call=True,
    )
