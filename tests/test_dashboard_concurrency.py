"""One panel callback hammered from many threads over real HTTP, on the production server (gunicorn, 2
workers × 4 threads), while the database file is replaced under it again and again (a new file written
beside, then os.replace, as the ETL swaps): every answer is 200 or 204, never a server error, and the last
file written is the one served."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from pathlib import Path

import duckdb
import pytest
import requests

from dashboard import queries
from dashboard.cache import LruCache
from tests.gunicorn_server import gunicorn
from tests.scale_db import build_scale_db

pytestmark = pytest.mark.timeout(120)

THREADS, SWAPS = 12, 4
AREAS, YEARS = 40, (2021, 2024)
VIEWS = ("?year=2021-2024", "?year=2022-2024", "?year=2021-2024&per=10k", "?year=2022-2024&lang=en")
PANELS = ("rescue", "hazards", "overview")
OK_STATUSES = {200, 204}  # 204: the callback had nothing to update (PreventUpdate)


def reporting_names(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [
            row[0]
            for row in con.execute(
                "SELECT DISTINCT a.short_name FROM documents d JOIN areas a ON a.code = d.area_code"
            ).fetchall()
        ]


def panel_request(output: str, panel: str, search: str) -> dict:
    """What the renderer sends when a panel's store gets its view: the request of `render_panel`."""
    view_id = {"cat": panel, "type": "panel-view"}
    changed = json.dumps(view_id, separators=(",", ":"), sort_keys=True) + ".data"
    return {
        "output": output,
        "outputs": {"id": {"cat": panel, "type": "panel-body"}, "property": "children"},
        "inputs": [{"id": view_id, "property": "data", "value": search}],
        "changedPropIds": [changed],
        "parsedChangedPropsIds": [view_id],
    }


def hammer(base_url: str, output: str, names: list[str], stop: threading.Event, seed: int, out: list) -> None:
    """Panel requests, each a view this thread has likely not asked before (a new home area), until stopped."""
    rng = random.Random(seed)
    session = requests.Session()
    while not stop.is_set():
        search = f"{rng.choice(VIEWS)}&home={rng.choice(names)}"
        body = panel_request(output, rng.choice(PANELS), search)
        try:
            response = session.post(f"{base_url}/_dash-update-component", json=body, timeout=30)
            out.append(
                (response.status_code, search, response.text[:200] if response.status_code >= 300 else "")
            )
        except requests.RequestException as error:
            out.append((0, search, str(error)[:200]))


def test_a_panel_answers_every_request_while_the_database_is_replaced(tmp_path):
    served = tmp_path / "emergency.duckdb"
    build_scale_db(served, areas=AREAS, years=YEARS, seed=0)
    names = reporting_names(served)
    answers: list[tuple[int, str, str]] = []
    with gunicorn(served, workers=2, threads=4) as server:
        dependencies = requests.get(f"{server.base_url}/_dash-dependencies", timeout=30).json()
        output = next(d["output"] for d in dependencies if '"panel-body"' in d["output"])
        stop = threading.Event()
        threads = [
            threading.Thread(target=hammer, args=(server.base_url, output, names, stop, i, answers))
            for i in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        for seed in range(1, SWAPS + 1):  # each a new file beside the served one, swapped in whole
            time.sleep(0.4)
            build_scale_db(tmp_path / "next.duckdb", areas=AREAS, years=YEARS, seed=seed)
            os.replace(tmp_path / "next.duckdb", served)
        time.sleep(1.0)  # requests on the last file too
        shown = table_areas(server.base_url, output)  # asked while the threads still read
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
        log = server.errors()
    failed = [answer for answer in answers if answer[0] not in OK_STATUSES]
    assert len(answers) >= THREADS, f"only {len(answers)} requests"  # a slow machine answers fewer
    assert failed == [], f"{len(failed)} of {len(answers)} failed: {failed[:5]}\n{log}"
    assert shown and shown <= set(reporting_names(served))  # the last file's areas, not an older one's


def table_areas(base_url: str, output: str) -> set[str]:
    """The areas in the first page of a panel's table, for a view no thread asks for."""
    body = panel_request(output, "drills", "?year=2024")
    answer = requests.post(f"{base_url}/_dash-update-component", json=body, timeout=30).json()
    found, stack = set(), [answer]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            rows = node.get("data")
            if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "area" in rows[0]:
                found |= {row["area"] for row in rows}
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_a_file_swapped_in_while_a_reader_holds_the_old_one_is_read(tmp_path):
    """A request still reading the replaced file (a connection open on its inode) must not make the next
    connection read that old file too (DuckDB shares one open database per path in a process)."""
    served = tmp_path / "emergency.duckdb"
    build_scale_db(served, areas=20, years=(2024, 2024), seed=1)
    with queries._connect(served) as old_reader:
        old = set(queries.documents(served)["area_code"])
        build_scale_db(tmp_path / "next.duckdb", areas=20, years=(2024, 2024), seed=2)
        os.replace(tmp_path / "next.duckdb", served)
        new = set(queries.documents(served)["area_code"])
        assert old_reader.execute("SELECT count(*) FROM documents").fetchone()[0] == len(old)
    with duckdb.connect(str(served), read_only=True) as con:
        assert new == {row[0] for row in con.execute("SELECT area_code FROM documents").fetchall()} != old


def test_the_cache_keeps_its_bounds_under_threads():
    """Entries bounded by count and by total weight (rows), whatever the threads' interleaving; the entry
    just stored stays even when it alone weighs more than the budget."""
    cache = LruCache(size=50, weigh=len, budget=1_000)

    def churn(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(2_000):
            key = rng.randrange(200)
            cache.put(key, "x" * rng.randrange(1, 120))
            cache.get(rng.randrange(200))

    threads = [threading.Thread(target=churn, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = [cache.get(key)[1] for key in range(200) if cache.get(key)[0]]
    assert 0 < len(kept) <= 50 and cache.weight == sum(map(len, kept)) <= 1_000
    cache.put("big", "x" * 5_000)
    assert cache.get("big") == (True, "x" * 5_000) and len(cache) == 1
