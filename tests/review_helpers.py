"""Helpers of the review desk's tests (tests/test_review_*.py): a database of their own beside which the
review store and uploads live, a reviewer, and the HTTP requests the browser's Dash renderer sends."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import requests

from review.store import ReviewStore, store_path

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'"(?:value|data)":"([A-Za-z0-9_-]{40,})"')


def review_db(folder: Path, seed_db: Path) -> Path:
    """A copy of the seed database in `folder` (the store, uploads and secret go beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(seed_db, folder / "emergency.duckdb"))


def add_reviewer(db_path: Path, name: str = "alice", password: str = PASSWORD) -> ReviewStore:
    store = ReviewStore(store_path(db_path))
    store.add_user(name, password)
    return store


def rid(name: str) -> dict[str, str]:
    """A review page component's id (dashboard/review/ids.py)."""
    return {"rv": name}


def id_text(component_id: str | dict) -> str:
    """An id as the renderer writes it in a callback's output and changed props."""
    return (
        component_id
        if isinstance(component_id, str)
        else json.dumps(component_id, separators=(",", ":"), sort_keys=True)
    )


def call(
    session: requests.Session,
    base: str,
    outputs: list[tuple],
    inputs: list[tuple],
    state=(),
    changed: int = 0,
) -> requests.Response:
    """One callback request as dash-renderer sends it: outputs (id, prop), inputs and state (id, prop,
    value); `changed`: the input that triggered it."""
    outs = [{"id": i, "property": p} for i, p in outputs]
    names = [f"{id_text(o['id'])}.{o['property']}" for o in outs]
    body = {
        "output": ".." + "...".join(names) + ".." if len(names) > 1 else names[0],
        "outputs": outs[0] if len(outs) == 1 else outs,
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{id_text(inputs[changed][0])}.{inputs[changed][1]}"],
    }
    return session.post(base + "/_dash-update-component", json=body, timeout=60)


def render(session: requests.Session, base: str, path: str, search: str = "") -> str:
    """The page content a path shows (the JSON of the content callback's answer)."""
    response = call(
        session,
        base,
        [("content", "children"), ("filter-bar", "style")],
        [("url", "pathname", path), ("url", "search", search)],
    )
    response.raise_for_status()
    return response.text


def page_token(session: requests.Session, base: str, path: str) -> str:
    """The CSRF token a page carries (its forms' hidden field, or its token store)."""
    found = TOKEN.search(render(session, base, path))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(
    session: requests.Session, base: str, name: str = "alice", password: str = PASSWORD
) -> requests.Response:
    token = page_token(session, base, "/login")
    form = {"csrf_token": token, "name": name, "password": password, "lang": "en"}
    return session.post(base + "/auth/login", data=form, allow_redirects=False, timeout=60)


def upload(
    session: requests.Session, base: str, files: list[tuple[str, bytes]], token: str | None
) -> requests.Response:
    """The desk's upload callback with `files` as dcc.Upload sends them."""
    contents = [
        f"data:application/octet-stream;base64,{base64.b64encode(data).decode()}" for _, data in files
    ]
    return call(
        session,
        base,
        [(rid("upload-result"), "children")],
        [(rid("upload"), "contents", contents)],
        [
            (rid("upload"), "filename", [name for name, _ in files]),
            (rid("csrf"), "data", token),
            ("url", "search", "?lang=en"),
        ],
    )
