"""Shared Playwright helpers: Debian's Chromium headless (works offline; `playwright install` does not),
and a live dashboard in a subprocess on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parent.parent
SERVER_START_TIMEOUT = 30.0


def _xdist_worker() -> tuple[int, int]:
    """(index, count) of this pytest-xdist worker; (0, 1) outside xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw")), int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))


def free_port() -> int:
    """A loopback port nothing listens on. The kernel may hand the same port to two workers whose servers
    are still starting, and one would then test the other's server: so under pytest-xdist each worker
    keeps only ports of its own class (port // 2, as the kernel prefers one parity) modulo the workers."""
    index, count = _xdist_worker()
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port // 2 % count == index:
            return port


def wait_until_answering(
    url: str, process: subprocess.Popen, log, timeout: float = SERVER_START_TIMEOUT
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def _tail(log) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-2000:]


@contextmanager
def serve(args: list[str], port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `python <args>` (a server on `port`) until the block ends; yield its base URL. The server
    leads its own process group, so the Chromium an export started ends with it."""
    # A file, not a pipe: a server logging every request would fill a pipe and stall
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_answering(base_url + "/", process, log)
            yield base_url
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def live_dashboard(db_path: Path | str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`python -m dashboard --db db_path` on a free port (with `env` added to the environment); yields
    the base URL, kills it afterwards."""
    port = free_port()
    with serve(["-m", "dashboard", "--db", str(db_path), "--port", str(port)], port, env) as base_url:
        yield base_url


@contextmanager
def chromium_browser():
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# every panel's body came (its slots and table) and every chart slot holds its chart
CHARTS_DRAWN = "() => document.querySelector('.panel-body:empty, .chart-pending') === null"
# How long a browser test waits for what a page shows: only a failing test waits this long, and a page's
# ~50 requests and plotly's drawing took 20 s on a CI machine whose two cores ran two test workers
WAIT_MS = 60_000


def wait_for_charts(page, timeout: float = WAIT_MS) -> None:
    """Until every panel's body came and every chart slot holds its chart: a panel lays out its slots and
    each chart arrives on its own request, so a test reading a panel's charts waits for its panel (the
    page's content), then this."""
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout)
