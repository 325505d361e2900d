"""The shared export service: real processes on a real Unix socket, real headless Chromium. Concurrent
requests get their own images from at most N browsers; a full queue and a stuck browser are one-line
answers, never a hung caller; nothing outlives the service."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard.export_service import process_tree
from dashboard.render import RenderError, ServiceRenderer
from tests.test_render import png_pixel_size

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

START_TIMEOUT_S = 15.0
CHROMIUM_EXE = "/usr/lib/chromium/chromium"  # what Debian's /usr/bin/chromium wrapper runs


@contextmanager
def export_service(folder: Path, *options: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """`python -m dashboard.export_service` on a socket in `folder`, until the block ends."""
    socket_path = folder / "export.sock"
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard.export_service", "--socket", str(socket_path), *options]
    )
    try:
        wait_for(socket_path.exists, "the service's socket")
        yield process, str(socket_path)
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_for(condition, what: str, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(0.05)


def browsers_under(pid: int) -> list[int]:
    """Chromium browser processes (not their renderer/GPU/zygote helpers) in a process tree."""
    found = []
    for child in process_tree(pid):
        try:
            args = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if args[0].decode(errors="replace").endswith(("chromium", "chrome")) and not any(
            a.startswith(b"--type=") for a in args
        ):
            found.append(child)
    return found


def titled_bar(n: int) -> go.Figure:
    return go.Figure(go.Bar(x=["深圳", "漯河"], y=[n, 7]), layout_title_text=f"图表{n}号")


def test_concurrent_exports_get_their_own_images_from_at_most_n_browsers(tmp_path):
    with export_service(tmp_path, "--browsers", "2", "--queue", "8") as (service, socket_path):
        renderer = ServiceRenderer(socket_path, timeout=60)

        def render(n: int) -> tuple[tuple[int, int], str]:
            png = renderer.to_image(titled_bar(n), "png", 300 + 10 * n, 200 + 5 * n, 1)
            svg = renderer.to_image(titled_bar(n), "svg", 300, 200, 1).decode("utf-8")
            return png_pixel_size(png), svg

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(render, range(6)))
        assert len(browsers_under(service.pid)) == 2
        assert os.stat(socket_path).st_mode & 0o077 == 0  # this user's workers only
    for n, (size, svg) in enumerate(results):
        assert size == (300 + 10 * n, 200 + 5 * n)
        assert f"图表{n}号" in svg
        assert all(f"图表{other}号" not in svg for other in range(6) if other != n)
    assert not Path(socket_path).exists()


def test_a_full_queue_is_a_clear_refusal_and_ending_the_service_leaves_no_browser(tmp_path):
    with export_service(tmp_path, "--browsers", "1", "--queue", "1") as (service, socket_path):
        renderer = ServiceRenderer(socket_path, timeout=60)

        def render(n: int) -> str:
            try:
                renderer.to_image(titled_bar(n), "png", 200, 100, 1)
            except RenderError as error:
                return str(error)
            return "image"

        with ThreadPoolExecutor(max_workers=4) as pool:  # the first starts a cold browser: ≥1 s alone
            answers = list(pool.map(render, range(4)))
        tree = process_tree(service.pid)
        assert browsers_under(service.pid)
    assert "image" in answers
    busy = [a for a in answers if a != "image"]
    assert busy and all("export service is busy" in a and "try again" in a for a in busy), answers
    time.sleep(0.5)
    assert not [pid for pid in tree if Path(f"/proc/{pid}").exists() and not _is_zombie(pid)]


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return True


def test_a_stuck_browser_is_killed_and_the_caller_told_in_time(tmp_path):
    """A "browser" that never answers: the request ends at the service's deadline with a reason, the
    stuck process tree is gone, and a fresh browser process is ready for the next chart."""
    stuck = tmp_path / "stuck-chromium"
    stuck.write_text("#!/bin/sh\nexec sleep 300\n", encoding="utf-8")
    stuck.chmod(0o755)
    options = ("--timeout", "2", "--chromium", str(stuck))
    with export_service(tmp_path, *options) as (service, socket_path):
        started = time.monotonic()
        with pytest.raises(RenderError, match="took longer than 2 s to render"):
            ServiceRenderer(socket_path, timeout=2).to_image(titled_bar(1), "png", 200, 100, 1)
        assert time.monotonic() - started < 2 + 5
        sleepers = [
            p for p in process_tree(service.pid) if b"sleep" in Path(f"/proc/{p}/cmdline").read_bytes()
        ]
        assert sleepers == []
        assert len(process_tree(service.pid)) == 2  # the service and its fresh browser process


def test_no_service_at_the_socket_is_a_clear_error(tmp_path):
    with pytest.raises(RenderError, match="export service is not running"):
        ServiceRenderer(str(tmp_path / "none.sock"), timeout=5).to_image(titled_bar(1), "png", 100, 100, 1)


def test_the_service_ends_with_the_process_that_started_it(tmp_path):
    """A server killed without its exit hook (SIGKILL) must not leave the service behind."""
    socket_path = tmp_path / "export.sock"
    starter = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time; subprocess.Popen([sys.executable, '-m', 'dashboard.export_service', "
            f"'--socket', {str(socket_path)!r}]); time.sleep(300)",
        ],
        start_new_session=True,
    )
    wait_for(socket_path.exists, "the service's socket")
    (service,) = process_tree(starter.pid)[1:2]
    starter.kill()
    starter.wait()
    wait_for(lambda: not socket_path.exists(), "the service's exit", timeout=10)
    wait_for(lambda: _is_zombie(service), "the service process's end", timeout=10)


@pytest.mark.parametrize("options", [[], ["--socket", "x.sock", "--browsers", "0"]])
def test_bad_options_are_a_usage_error(options):
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.export_service", *options],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--socket is required; --browsers, --queue and --timeout must be positive" in done.stderr
