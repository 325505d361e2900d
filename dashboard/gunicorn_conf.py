"""gunicorn settings for `make serve`: several worker processes with threads, bound to 127.0.0.1 unless
HOST says otherwise, and one image-export service for all of them, started and stopped by the master.

    gunicorn -c python:dashboard.gunicorn_conf [--bind H:P] [--workers N] [--threads T] dashboard.wsgi:server

Environment: HOST, PORT, WORKERS, THREADS (command-line flags win); DASHBOARD_DB (the database);
DASHBOARD_EXPORT_BROWSERS (Chromiums for the whole server, default 1), DASHBOARD_EXPORT_QUEUE (exports
waiting or rendering before one is refused as busy, default 8), DASHBOARD_EXPORT_TIMEOUT (seconds an
export may take, queue included, default 30). A DASHBOARD_EXPORT_SERVICE already set names a service
started elsewhere, and none is started.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard.export_service import DEFAULT_BROWSERS, DEFAULT_QUEUE
from dashboard.export_wire import SERVICE_ENV, service_timeout

# Two cores: four processes keep both busy while some wait on DuckDB or the network; threads let a
# worker answer the renderer's parallel callback requests of one page.
bind = [f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8050'}"]
workers = int(os.environ.get("WORKERS") or 4)
threads = int(os.environ.get("THREADS") or 4)
worker_class = "gthread"
preload_app = True  # the app is built once and forked: less memory, faster start
control_socket_disable = True  # gunicorn ≥ 24 shares ~/.gunicorn/gunicorn.ctl: several servers may run
timeout = 60
graceful_timeout = 20
errorlog = "-"
SERVICE_START_S = 15.0
_service: dict[str, object] = {}  # the export service this master started: process and folder


def on_starting(server) -> None:
    """Before the workers exist: say what is missing, start the export service, and hand its socket to
    the workers through the environment they inherit."""
    from dashboard.__main__ import startup_notices
    from dashboard.wsgi import database_path

    for notice in startup_notices(database_path()):
        server.log.warning(notice)
    if os.environ.get(SERVICE_ENV):
        return
    folder = Path(tempfile.mkdtemp(prefix="dashboard-export-"))
    socket_path = folder / "export.sock"
    command = [sys.executable, "-m", "dashboard.export_service", "--socket", str(socket_path)]
    command += ["--browsers", os.environ.get("DASHBOARD_EXPORT_BROWSERS") or str(DEFAULT_BROWSERS)]
    command += ["--queue", os.environ.get("DASHBOARD_EXPORT_QUEUE") or str(DEFAULT_QUEUE)]
    command += ["--timeout", str(service_timeout())]
    _service.update(process=subprocess.Popen(command), folder=folder)
    _wait_until_listening(socket_path)
    os.environ[SERVICE_ENV] = str(socket_path)
    server.log.info("export service on %s", socket_path)


def _wait_until_listening(socket_path: Path) -> None:
    deadline = time.monotonic() + SERVICE_START_S
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(socket_path))
                return
            except OSError:
                time.sleep(0.1)
    raise RuntimeError(f"the export service did not listen on {socket_path} within {SERVICE_START_S:.0f} s")


def on_exit(server) -> None:
    """Stop the export service and its browsers with the server."""
    process = _service.get("process")
    if isinstance(process, subprocess.Popen):
        process.terminate()
        try:
            process.wait(timeout=graceful_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
    folder = _service.get("folder")
    if isinstance(folder, Path):
        shutil.rmtree(folder, ignore_errors=True)
