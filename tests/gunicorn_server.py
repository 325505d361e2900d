"""The production server as `make serve` runs it (gunicorn, dashboard/gunicorn_conf.py, its export
service), on a free loopback port, for the tests and the load test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard.export_wire import SERVICE_ENV
from tests.browser import REPO, free_port, wait_until_answering

START_TIMEOUT_S = 60.0  # the master imports the app, starts the export service, forks the workers
STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Server:
    base_url: str
    master: subprocess.Popen
    log: Path  # gunicorn's and the app's messages: tracebacks of failed requests

    def errors(self, lines: int = 60) -> str:
        """The end of the log, to show with a failed request."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def gunicorn(
    db_path: Path, workers: int = 4, threads: int = 4, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """gunicorn serving `db_path` until the block ends. Stopped with SIGINT (no graceful wait for the
    workers), so its exit hook stops the export service."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)]
    environment = {k: v for k, v in os.environ.items() if k != SERVICE_ENV}
    environment |= {"DASHBOARD_DB": str(db_path), **(env or {})}
    with tempfile.TemporaryDirectory(prefix="gunicorn-") as folder, open(Path(folder) / "log", "w+b") as log:
        master = subprocess.Popen(
            [*command, "dashboard.wsgi:server"],
            cwd=REPO,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = Server(f"http://127.0.0.1:{port}", master, Path(folder) / "log")
        try:
            wait_until_answering(server.base_url + "/", master, log, timeout=START_TIMEOUT_S)
            yield server
        finally:
            master.send_signal(signal.SIGINT)  # quick shutdown, as Ctrl+C: exit hook included
            try:
                master.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(master.pid, signal.SIGKILL)
                master.wait()
