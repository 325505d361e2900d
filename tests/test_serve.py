"""`make serve`: gunicorn with several workers on 127.0.0.1 and one export service for all of them.
Exports clicked in several workers at once all come back, rendered by the server's one Chromium."""

from __future__ import annotations

import base64
import importlib
import io
import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dashboard.export_service import process_tree
from dashboard.report_sizes import DEFAULT_REPORT_SIZE, REPORT_SIZES
from tests.dash_client import DashClient
from tests.gunicorn_server import gunicorn
from tests.test_export_service import browsers_under
from tests.test_render import png_pixel_size

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

VIEW = "?area=深圳,漯河&year=latest"
CATEGORIES = ("plans", "drills", "suggestions")  # the panels with the fewest charts: 1-2 each


def export_panel(base_url: str, category: str) -> tuple[str, bytes, str]:
    """Open the view, click the category's export button: (file name, bytes, notice shown)."""
    client = DashClient(base_url, timeout=120)
    client.open(VIEW)
    timings = client.click({"type": "export", "scope": category})
    assert timings and all(t.ok for t in timings), timings
    props = client.page.props
    data = props[f'{{"scope":"{category}","type":"export-download"}}'].get("data") or {}
    notice = props[f'{{"scope":"{category}","type":"export-notice"}}'].get("children")
    return data.get("filename", ""), base64.b64decode(data.get("content", "")), notice


def images_in(name: str, content: bytes) -> list[bytes]:
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [archive.read(member) for member in archive.namelist()]
    return [content]


def test_exports_from_several_workers_share_the_servers_one_browser(seed_db, tmp_path):
    db_path = tmp_path / "emergency.duckdb"
    shutil.copyfile(seed_db, db_path)
    size = REPORT_SIZES[DEFAULT_REPORT_SIZE]
    with gunicorn(db_path, workers=3, threads=2, env={"DASHBOARD_EXPORT_BROWSERS": "1"}) as server:
        with ThreadPoolExecutor(max_workers=len(CATEGORIES)) as pool:
            exports = list(pool.map(lambda category: export_panel(server.base_url, category), CATEGORIES))
        (service,) = [
            pid
            for pid in process_tree(server.master.pid)
            if b"--socket" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        # the server's one browser is the export service's: none in the workers
        assert len(browsers_under(server.master.pid)) == len(browsers_under(service)) == 1
    for name, content, notice in exports:
        assert notice == "", notice
        assert name.endswith((".png", ".zip")), name
        images = images_in(name, content)
        assert images
        assert all(
            png_pixel_size(image) == (size.width * size.scale, size.height * size.scale) for image in images
        )
    assert len({name for name, _, _ in exports}) == len(CATEGORIES)  # each click got its own panel's file


def test_the_server_binds_loopback_unless_host_says_otherwise(monkeypatch):
    for name in ("HOST", "PORT", "WORKERS", "THREADS"):
        monkeypatch.delenv(name, raising=False)
    conf = importlib.reload(importlib.import_module("dashboard.gunicorn_conf"))
    assert conf.bind == ["127.0.0.1:8050"]
    assert conf.workers > 1 and conf.worker_class == "gthread"
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9000")
    assert importlib.reload(conf).bind == ["0.0.0.0:9000"]
