"""The Dash client sends what a real Chromium's Dash renderer sends: the same callbacks, in dependency order,
with the same inputs, state and changed props, on this dashboard and on a small app with MATCH/ALL
per-panel callbacks (the shape the dashboard's callbacks may take)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.browser import chromium_browser, free_port, live_dashboard, serve, wait_for_charts
from tests.dash_client import DashClient, Timing, split_target

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

MORE_OUTPUT = '{"i":["MATCH"],"type":"more"}.children'
SETTLE_MS = 1500  # after network idle: the renderer may still be sending a follow-up callback
# Per-panel callbacks: a MATCH callback per panel returned by another callback, and an ALL summary.
PANELS_APP = """
from sys import argv
from dash import ALL, MATCH, Dash, Input, Output, dcc, html
app = Dash(__name__, serve_locally=True)
app.layout = html.Div([dcc.Location(id="url", refresh=False), html.Div(id="panels"), html.Div(id="summary")])

@app.callback(Output("panels", "children"), Input("url", "search"))
def panels(search):
    count = 2 + len(search or "") % 3
    return [html.Div([html.H2(id={"type": "title", "i": i}), html.Button(id={"type": "more", "i": i})],
                     id={"type": "panel", "i": i}) for i in range(count)]

@app.callback(Output({"type": "title", "i": MATCH}, "children"), Input({"type": "panel", "i": MATCH}, "id"),
              Input("url", "search"))
def title(panel_id, search):
    return f"panel {panel_id['i']} of {search}"

@app.callback(Output("summary", "children"), Input({"type": "title", "i": ALL}, "children"))
def summary(titles):
    return " | ".join(t or "" for t in titles)

@app.callback(Output({"type": "more", "i": MATCH}, "children"), Input({"type": "more", "i": MATCH}, "n_clicks"))
def more(clicks):
    return f"clicked {clicks}"

app.run(host="127.0.0.1", port=int(argv[1]))
"""


class RecordingSession(requests.Session):
    """A real session that also keeps every callback request body the client sends."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[dict[str, Any]] = []

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        if kwargs.get("json") is not None:
            self.bodies.append(kwargs["json"])
        return super().request(method, url, **kwargs)


def call_of(body: dict[str, Any]) -> str:
    """Which callback instance a request is for (MATCH callbacks: one per matched component)."""
    return json.dumps([body["output"], body["outputs"]], sort_keys=True, ensure_ascii=False)


def values_of(body: dict[str, Any]) -> str:
    """Inputs and state; an ALL list as a set (the renderer lists components in the order they arrived)."""

    def as_set(spec: Any) -> Any:
        return (
            sorted(json.dumps(item, sort_keys=True, ensure_ascii=False) for item in spec)
            if isinstance(spec, list)
            else spec
        )

    specs = [[as_set(spec) for spec in body.get(part) or []] for part in ("inputs", "state")]
    return json.dumps(specs, sort_keys=True, ensure_ascii=False)


def calls(bodies: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for body in bodies:
        grouped.setdefault(call_of(body), []).append(body)
    return grouped


def assert_same_requests(browser: list[dict], client: list[dict]) -> None:
    """The same callbacks with the same inputs, state and changed props. A callback that several answers
    trigger one after another may be merged differently: the renderer merges the triggers of answers
    that arrive in the same tick, the client (answers one at a time) none; so for those, the client sends
    at least as many requests, the same changed props in all, and the same last request."""
    browser_calls, client_calls = calls(browser), calls(client)
    assert client_calls.keys() == browser_calls.keys()
    for call, sent in browser_calls.items():
        mine = client_calls[call]
        changed = [
            sorted({prop for body in group for prop in body["changedPropIds"]}) for group in (sent, mine)
        ]
        assert changed[0] == changed[1], call
        assert values_of(mine[-1]) == values_of(sent[-1]), call
        assert len(mine) >= len(sent), call
        if len(sent) == 1:
            assert len(mine) == 1, call


def browser_bodies(page, action) -> list[dict[str, Any]]:
    """The callback requests the page's renderer sends while `action` runs and the page settles."""
    bodies: list[dict[str, Any]] = []

    def record(request) -> None:
        if "_dash-update-component" in request.url:
            bodies.append(json.loads(request.post_data))

    page.on("request", record)
    action()
    page.wait_for_load_state("networkidle")
    wait_for_charts(page)  # a busy renderer may ask for the charts after the network went quiet
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(SETTLE_MS)
    page.remove_listener("request", record)
    return bodies


def client_bodies(client: DashClient, target: str) -> tuple[list[dict[str, Any]], list[Timing]]:
    session = RecordingSession()
    client.session = session
    timings = client.open(target)
    return session.bodies, timings


def first_output_index(bodies: list[dict], output_part: str) -> int:
    return next(n for n, body in enumerate(bodies) if output_part in body["output"])


@pytest.fixture(scope="module")
def chromium():
    with chromium_browser() as browser:
        yield browser


def test_dashboard_page_load_and_link_navigation_match_the_browser(chromium, seed_db):
    with live_dashboard(seed_db) as base_url:
        page = chromium.new_page()
        loaded = browser_bodies(page, lambda: page.goto(base_url + "/?area=深圳,漯河&year=latest"))
        navigated = browser_bodies(page, lambda: page.click("#nav-reports"))
        client = DashClient(base_url)
        client_loaded, timings = client_bodies(client, "/?area=深圳,漯河&year=latest")
        client_navigated, _ = client_bodies(client, "/reports")
        page.close()
    assert_same_requests(loaded, client_loaded)
    assert_same_requests(navigated, client_navigated)
    # the URL callback first: the content waits for the canonical URL it writes
    assert first_output_index(client_loaded, "url.search") < first_output_index(
        client_loaded, "content.children"
    )
    assert [t.name for t in timings[:3]] == ["page", "layout", "dependencies"]
    assert all(t.ok and t.seconds > 0 for t in timings), timings
    assert max(t.bytes for t in timings if "content.children" in t.name) > 10_000  # the charts came back


def test_pattern_matching_panels_match_the_browser(chromium, tmp_path):
    script = tmp_path / "panels_app.py"
    script.write_text(PANELS_APP, encoding="utf-8")
    port = free_port()
    with serve([str(script), str(port)], port) as base_url:
        page = chromium.new_page()
        loaded = browser_bodies(page, lambda: page.goto(base_url + "/?a=1"))
        summary = page.inner_text("#summary")
        page.close()
        client = DashClient(base_url)
        client_loaded, _ = client_bodies(client, "?a=1")
        client_summary = client.page.props["summary"]["children"]
    never_clicked = [body for body in loaded if body["output"] == MORE_OUTPUT]
    assert len(never_clicked) == 3  # the browser's initial calls of the buttons' callback
    assert_same_requests([body for body in loaded if body not in never_clicked], client_loaded)
    assert {body["output"] for body in client_loaded} == {
        "panels.children",
        '{"i":["MATCH"],"type":"title"}.children',
        "summary.children",
    }  # the client skips callbacks read only by click counts still at 0/None
    assert client_summary == summary == "panel 0 of ?a=1 | panel 1 of ?a=1 | panel 2 of ?a=1"


def test_a_server_that_does_not_answer_is_a_failed_request(seed_db):
    with live_dashboard(seed_db) as base_url:
        client = DashClient(base_url)
        assert all(t.ok for t in client.open("?year=latest"))
    (timing,) = client.open("?year=2022", reload=True)
    assert timing.name == "page"
    assert timing.status == 0
    assert not timing.ok


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("", ("/", "")),
        ("?area=深圳,漯河&year=latest", ("/", "?area=%E6%B7%B1%E5%9C%B3,%E6%BC%AF%E6%B2%B3&year=latest")),
        ("/reports", ("/reports", "")),
        ("/doc/ab12?start=3&end=9", ("/doc/ab12", "?start=3&end=9")),
        ("?q=a b\"c'", ("/", "?q=a%20b%22c%27")),
    ],
)
def test_targets_are_encoded_as_the_browser_location_has_them(target, expected):
    assert split_target(target) == expected
