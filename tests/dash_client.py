"""A client that loads the dashboard and fires its callbacks as the browser's Dash renderer does, with the
same HTTP requests, so load tests and benchmarks put real traffic on a server without a browser.

It knows no callback of this app: it reads the callback graph from `/_dash-dependencies` and the
components from `/_dash-layout`, and follows the renderer's rules (read in dash-renderer 4.4, checked
against a recorded Chromium session by tests/test_dash_client.py): on page load every callback with an
output in the layout fires unless `prevent_initial_call`; `dcc.Location` then sets pathname, search,
href and hash; a call waits while a pending or unanswered one may still change one of its inputs; the
ready ones are sent at once; returned props trigger the callbacks reading them; a returned component
tree starts the callbacks whose outputs it holds and, whatever `prevent_initial_call` says, the ones
outside it reading an input inside it or an ALL input it replaced. Pattern ids (MATCH, ALL) are
resolved against the current layout.

Not modelled: clientside callbacks (JavaScript) and ALLSMALLER. Requests go one at a time, answers in the
order they were sent: a page's time here is the sum of its callbacks' times, and a callback that several
answers trigger is sent once per answer (the renderer merges the triggers of answers arriving together).
Callbacks read only by click counts still at 0/None are not called on page load.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from tests.dash_graph import (
    Callback,
    CallKey,
    ComponentId,
    Dep,
    Page,
    Pending,
    id_key,
    parse_id,
    walk_components,
)

OK_STATUSES = (200, 204)  # 204: the callback raised PreventUpdate; the renderer changes nothing
CLICK_PROPS = frozenset({"n_clicks", "n_clicks_timestamp"})
LOCATION_PROPS = ("pathname", "search", "href", "hash")
MAX_CALLS_PER_OPEN = 500  # a callback loop would otherwise never end
DEFAULT_TIMEOUT_S = 60.0
# What the browser leaves unescaped in a query: printable ASCII but space, ", #, <, >, ' (WHATWG URL).
URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "\"#<>'")
CONFIG_SCRIPT = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)


@dataclass(frozen=True)
class Timing:
    """One HTTP request: what it was for (`page`, `layout`, `dependencies` or a callback's outputs), its
    status (0: no answer), wall time and response size."""

    name: str
    status: int
    seconds: float
    bytes: int

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES


def js_number(text: str) -> int | float:
    """A JSON number as JavaScript keeps it: 500.0 is 500, so the client sends it back as the renderer."""
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def split_target(target: str) -> tuple[str, str]:
    """`?area=..`, `/reports` or `/doc/ID?start=1` -> (pathname, search) as the browser's location has
    them: percent-encoded, search empty or starting with `?`."""
    parts = urlsplit(target)
    path = quote(parts.path or "/", safe=URL_SAFE)
    return path, f"?{quote(parts.query, safe=URL_SAFE)}" if parts.query else ""


class DashClient:
    """One browser tab on a Dash app: `open` navigates it and returns the requests it made. Not
    thread-safe: give each concurrent user its own client."""

    def __init__(
        self, base_url: str, timeout: float = DEFAULT_TIMEOUT_S, leave: threading.Event | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.leave = leave  # once set, no more requests: the user closed the tab (a bounded load test)
        self.session = requests.Session()
        self.page: Page | None = None
        self.prefix = "/"
        self.end_id: str | None = None
        self.referer = self.base_url + "/"

    def open(self, target: str, reload: bool = False) -> list[Timing]:
        """Go to `target` (`?area=深圳&year=latest`, `/reports`, `/doc/ID`): the first time (or with
        `reload`) as a page load, after that as an in-page navigation (a dcc.Link, back/forward), which
        sets the Location's props and fires what they trigger. Any status but 200/204 is a failure."""
        path, search = split_target(target)
        timings: list[Timing] = []
        pending: Pending = {}
        if self.page is None or reload:
            timings = self._load(path, search)
            if self.page is None:
                return timings
            pending = self._chunk_calls(self.page.tree, whole_layout=True)
        self._trigger(pending, self._set_location(path, search), source=None)
        return timings + self._run(pending)

    def click(self, component_id: ComponentId) -> list[Timing]:
        """Click a button of the loaded page (html.Button sets n_clicks and its timestamp) and fire what
        that triggers; the returned props are then in `page.props`."""
        if self.page is None:
            raise RuntimeError("open a page before clicking on it")
        key = id_key(component_id)
        props = self.page.props[key]
        props["n_clicks"] = (props.get("n_clicks") or 0) + 1
        props["n_clicks_timestamp"] = int(time.time() * 1000)
        pending: Pending = {}
        self._trigger(pending, [f"{key}.n_clicks", f"{key}.n_clicks_timestamp"], source=None)
        return self._run(pending)

    def close(self) -> None:
        self.session.close()

    # --- HTTP -------------------------------------------------------------------------------------
    def _request(self, name: str, method: str, url: str, body: Any = None) -> tuple[Timing, Any]:
        """One request as the renderer sends it; (timing, parsed JSON or page text, None unless 200)."""
        headers = {"Referer": self.referer, "Accept": "application/json", "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            response = self.session.request(method, url, json=body, headers=headers, timeout=self.timeout)
            content = response.content
        except requests.RequestException:
            return Timing(name, 0, time.perf_counter() - started, 0), None
        timing = Timing(name, response.status_code, time.perf_counter() - started, len(content))
        if response.status_code != 200:
            return timing, None
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        return timing, response.json(parse_float=js_number) if is_json else response.text

    def _load(self, path: str, search: str) -> list[Timing]:
        """The page, its layout and callback graph, as the browser fetches them on a page load."""
        self.page = None
        self.referer = self.base_url + path + search
        page, html = self._request("page", "GET", self.referer)
        if html is None:
            return [page]
        found = CONFIG_SCRIPT.search(html)
        if found is None:
            raise ValueError(f"{self.referer}: no _dash-config in the page: is it a Dash app?")
        config = json.loads(found.group(1))
        self.prefix, self.end_id = config.get("requests_pathname_prefix") or "/", config.get("end_id")
        layout, tree = self._request("layout", "GET", self._url("_dash-layout"))
        graph, dependencies = self._request("dependencies", "GET", self._url("_dash-dependencies"))
        if tree is not None and dependencies is not None:
            server_side = [d for d in dependencies if not d.get("clientside_function")]
            self.page = Page(tree, [Callback.from_dependency(d) for d in server_side])
        return [page, layout, graph]

    def _url(self, endpoint: str) -> str:
        return f"{self.base_url}{self.prefix}{endpoint}"

    # --- the renderer's rules ---------------------------------------------------------------------
    def _set_location(self, path: str, search: str) -> list[str]:
        """What dcc.Location does on mount and on navigation: set the props that differ from the URL."""
        assert self.page is not None
        url = {"pathname": path, "search": search, "href": self.base_url + path + search, "hash": ""}
        self.referer = url["href"]
        changed = []
        for key in self.page.locations:
            props = self.page.props[key]
            for prop in LOCATION_PROPS:
                if props.get(prop) != url[prop] or prop not in props:
                    props[prop] = url[prop]
                    changed.append(f"{key}.{prop}")
        return changed

    def _instances(
        self, index: int, dep: Dep, component_id: ComponentId
    ) -> list[tuple[tuple[str, Any], ...]]:
        """The MATCH values of the calls a changed input starts: its own, or for an input without MATCH
        of a MATCH callback, one call per matching output in the layout."""
        assert self.page is not None
        own = dep.match_values(component_id)
        first_output = self.page.callbacks[index].outputs[0]
        if own or isinstance(first_output.id, str) or ["MATCH"] not in first_output.id.values():
            return [own]
        return sorted({first_output.match_values(cid) for cid in self.page.resolve(first_output)}, key=repr)

    def _trigger(self, pending: Pending, changed: list[str], source: int | None) -> None:
        """Add the calls reading a changed prop (never the callback that changed it)."""
        assert self.page is not None
        for prop_key in changed:
            key, _, prop = prop_key.rpartition(".")
            component_id = self.page.ids.get(key, parse_id(key))
            for index, callback in enumerate(self.page.callbacks):
                if index == source:
                    continue
                for dep in callback.inputs:
                    if dep.prop.split("@")[0] == prop and dep.matches(component_id):
                        for match in self._instances(index, dep, component_id):
                            pending.setdefault((index, match), {})[prop_key] = None

    def _chunk_calls(self, chunk: Any, whole_layout: bool = False) -> Pending:
        """The calls a new layout chunk starts: callbacks with an output in it (initial calls, unless
        `prevent_initial_call` or only idle click counts); for a chunk a response returned, also those
        reading an input in it whose outputs lie (partly) outside it, whatever `prevent_initial_call`."""
        assert self.page is not None
        chunk_ids = {
            id_key(c["props"]["id"]): c["props"]["id"] for c in walk_components(chunk) if "id" in c["props"]
        }
        pending: Pending = {}
        for index, callback in enumerate(self.page.callbacks):
            for key, component_id in chunk_ids.items():
                if not callback.prevent_initial_call:
                    for dep in callback.outputs:
                        if not dep.matches(component_id):
                            continue
                        call = (index, dep.match_values(component_id))
                        if not self._idle_clicks(call):
                            pending.setdefault(call, {})
                if whole_layout:
                    continue
                for dep in callback.inputs:
                    if not dep.matches(component_id):
                        continue
                    for match in self._instances(index, dep, component_id):
                        if not self.page.id_keys(callback.outputs, dict(match)) <= chunk_ids.keys():
                            pending.setdefault((index, match), {})[f"{key}.{dep.prop}"] = None
        return pending

    def _idle_clicks(self, call: CallKey) -> bool:
        """A callback read only by buttons never clicked: the brief's client skips its initial call."""
        assert self.page is not None
        index, match = call
        inputs = self.page.callbacks[index].inputs
        if not all(dep.prop in CLICK_PROPS for dep in inputs):
            return False
        values = [
            self.page.props[id_key(cid)].get(dep.prop)
            for dep in inputs
            for cid in self.page.resolve(dep, dict(match))
        ]
        return all(value in (0, None) for value in values)

    def _ready(self, pending: Pending, in_flight: list[CallKey]) -> list[CallKey]:
        """The pending calls none of whose inputs (other than their own outputs) a pending or unanswered
        call may still change, directly or through the callbacks it triggers; with nothing in flight and
        a cycle blocking all, the first pending one."""
        assert self.page is not None
        touched: set[str] = set()
        for index, match in [*pending, *in_flight]:
            touched |= self.page.keys(self.page.callbacks[index].outputs, dict(match))
        grown = True
        while grown:
            grown = False
            for callback in self.page.callbacks:
                if self.page.keys(callback.inputs) & touched:
                    more = self.page.keys(callback.outputs) - touched
                    touched |= more
                    grown = grown or bool(more)
        ready = []
        for index, match in pending:
            callback, bound = self.page.callbacks[index], dict(match)
            own_inputs = self.page.keys(callback.inputs, bound) - self.page.keys(callback.outputs, bound)
            if not own_inputs & touched:
                ready.append((index, match))
        return ready or ([] if in_flight else [next(iter(pending))])

    def _run(self, pending: Pending) -> list[Timing]:
        """Fire pending calls until none is left, as the renderer does with answers arriving in the order
        it sent the requests: every ready call is sent at once (its body built from the layout as it is
        then); after each answer, the calls it made ready are sent."""
        assert self.page is not None
        timings: list[Timing] = []
        in_flight: list[tuple[CallKey, dict[str, Any] | None]] = []
        while (pending or in_flight) and not (self.leave is not None and self.leave.is_set()):
            for call in self._ready(pending, [call for call, _ in in_flight]):
                in_flight.append((call, self._payload(call, pending.pop(call))))
            (index, _), payload = in_flight.pop(0)
            if payload is None:
                continue
            if len(timings) >= MAX_CALLS_PER_OPEN:
                raise RuntimeError(f"more than {MAX_CALLS_PER_OPEN} callbacks for one page: a loop?")
            url = self._url("_dash-update-component") + (f"?endId={self.end_id}" if self.end_id else "")
            timing, answer = self._request(self.page.callbacks[index].name, "POST", url, payload)
            timings.append(timing)
            if answer is not None:
                self._apply({**answer.get("response", {}), **answer.get("sideUpdate", {})}, index, pending)
        return timings

    def _payload(self, call: CallKey, changed: dict[str, None]) -> dict[str, Any] | None:
        """The request body the renderer sends for a call; None when an input, state or output it needs
        is missing from the layout (the renderer would report an error and send nothing)."""
        assert self.page is not None
        index, match = call
        callback, bound = self.page.callbacks[index], dict(match)
        outputs = [self._spec(dep, bound, with_value=False) for dep in callback.outputs]
        inputs = [self._spec(dep, bound, with_value=True) for dep in callback.inputs]
        state = [self._spec(dep, bound, with_value=True) for dep in callback.state]
        if any(spec is None for spec in [*outputs, *inputs, *state]):
            return None
        payload = {
            "output": callback.output,
            "outputs": outputs if callback.multi_output else outputs[0],
            "inputs": inputs,
            "changedPropIds": list(changed),
            "parsedChangedPropsIds": [
                parse_id(k.rpartition(".")[0]) if k.startswith("{") else k for k in changed
            ],
        }
        if state:
            payload["state"] = state
        return payload

    def _spec(self, dep: Dep, bound: dict[str, Any], with_value: bool) -> dict | list | None:
        """A dep as the request carries it: `{id, property[, value]}`, a list of them for ALL; a prop the
        component lacks has no `value` key (JSON drops the renderer's undefined)."""
        assert self.page is not None
        items = []
        for component_id in self.page.resolve(dep, bound):
            item = {"id": component_id, "property": dep.prop}
            props = self.page.props[id_key(component_id)]
            if with_value and dep.prop in props:
                item["value"] = props[dep.prop]
            items.append(item)
        if dep.is_multi:
            return items
        return items[0] if len(items) == 1 else None

    def _apply(self, updates: dict[str, dict[str, Any]], source: int, pending: Pending) -> None:
        """Set the returned props; trigger their readers, the calls the returned components start and
        the ALL readers of the components they replaced."""
        assert self.page is not None
        changed, chunks, replaced = [], [], []
        for raw_key, props in updates.items():
            key = id_key(parse_id(raw_key))
            target = self.page.props.get(key)
            if target is None:
                continue
            for prop, value in props.items():
                prop = prop.split("@")[0]
                replaced.append(target.get(prop))
                target[prop] = value
                changed.append(f"{key}.{prop}")
                chunks.append(value)
        self.page.reindex()
        for chunk in replaced:
            for call in self._removal_calls(chunk):
                pending.setdefault(call, {})
        self._trigger(pending, changed, source)
        for chunk in chunks:
            for call, props in self._chunk_calls(chunk).items():
                pending.setdefault(call, {}).update(props)

    def _removal_calls(self, chunk: Any) -> set[CallKey]:
        """Callbacks reading an ALL input that a removed component was part of: the renderer calls them
        with no changed prop (whatever `prevent_initial_call`), while their outputs are still there."""
        assert self.page is not None
        removed = [c["props"]["id"] for c in walk_components(chunk) if "id" in c["props"]]
        return {
            (index, ())
            for index, callback in enumerate(self.page.callbacks)
            if self.page.id_keys(callback.outputs)
            and any(dep.is_multi and dep.matches(cid) for dep in callback.inputs for cid in removed)
        }
