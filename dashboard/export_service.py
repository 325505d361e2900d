"""One image-export service for a server of many worker processes: a bounded number of warm Chromiums
for the whole server instead of one per worker.

kaleido drives one browser per process, so each browser lives in a process of its own (started with
`--worker-fd`): a render past its deadline is ended by killing that process and every process under it,
browser included, and a fresh process takes its place. Dashboard workers send a figure's JSON with the
format and size over a Unix socket (dashboard/export_wire.py) and get the image back, or a one-line
reason: the service is busy (more than `--queue` requests waiting or rendering), no browser came free
in time, or the render took too long. The service ends with the process that started it.

    python -m dashboard.export_service --socket PATH [--browsers 1] [--queue 8] [--timeout 30]

gunicorn's master starts it (dashboard/gunicorn_conf.py) and hands workers its path in
$DASHBOARD_EXPORT_SERVICE; dashboard.render.shared_renderer() then renders through it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from dashboard.export_wire import WireError, receive_frame, send_frame, service_timeout
from dashboard.render import ChartRenderer, RenderError

DEFAULT_BROWSERS, DEFAULT_QUEUE = 1, 8
PARENT_POLL_S = 1.0
STOP_GRACE_S = 5.0  # for a browser process to close its Chromium before it is killed
MIN_RENDER_S = 1.0  # a request that waited its whole time for a browser still gets this long to render
Answer = tuple[dict[str, Any], bytes]


class BrowserProcess:
    """A renderer process with one warm Chromium (started on its first chart), spoken to over a socket
    pair."""

    def __init__(self, chromium: str | None) -> None:
        self.chromium = chromium
        self._start()

    def _start(self) -> None:
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", "dashboard.export_service", "--worker-fd", str(theirs.fileno())]
        if self.chromium:
            command += ["--chromium", self.chromium]
        self.process = subprocess.Popen(command, pass_fds=[theirs.fileno()])
        theirs.close()
        self.sock = ours

    def render(self, header: dict[str, Any], figure_json: bytes, seconds: float) -> Answer:
        """The worker's answer; raises TimeoutError (after restarting it) when it takes longer than
        `seconds`, and WireError or OSError (also restarting it) when it died."""
        self.sock.settimeout(seconds)
        try:
            send_frame(self.sock, header, figure_json)
            return receive_frame(self.sock)
        except OSError:
            self.restart()
            raise

    def restart(self) -> None:
        self.stop(grace=0)
        self._start()

    def stop(self, grace: float = STOP_GRACE_S) -> None:
        """End the process and its browser: closing the socket lets it close kaleido's Chromium itself;
        past `grace` seconds, every process under it is killed (kaleido's Chromium runs in a process
        group of its own, so killing the group would leave the browser behind)."""
        self.sock.close()
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            for pid in process_tree(self.process.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait()


def process_tree(root: int) -> list[int]:
    """`root` and every process under it, parents first (from /proc: Linux, as Debian's Chromium)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, []))
    return tree


class ExportService:
    """Admits at most `queue_size` requests at a time; each waits for a free browser and renders, within
    `timeout` seconds in all."""

    def __init__(self, browsers: int, queue_size: int, timeout: float, chromium: str | None = None) -> None:
        self.timeout = timeout
        self.queue_size = queue_size
        self.browsers = [BrowserProcess(chromium) for _ in range(browsers)]
        self.idle: queue.Queue[BrowserProcess] = queue.Queue()
        for browser in self.browsers:
            self.idle.put(browser)
        self.admitted = threading.BoundedSemaphore(queue_size)

    def answer(self, header: dict[str, Any], figure_json: bytes) -> Answer:
        if not self.admitted.acquire(blocking=False):
            return _refusal(
                f"the export service is busy ({self.queue_size} charts waiting for "
                f"{len(self.browsers)} browser(s)): try again in a moment"
            )
        try:
            return self._render(header, figure_json)
        finally:
            self.admitted.release()

    def _render(self, header: dict[str, Any], figure_json: bytes) -> Answer:
        deadline = time.monotonic() + self.timeout
        try:
            browser = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return _refusal(f"no browser of the export service came free within {self.timeout:.0f} s")
        try:
            return browser.render(header, figure_json, max(deadline - time.monotonic(), MIN_RENDER_S))
        except TimeoutError:
            return _refusal(f"the chart took longer than {self.timeout:.0f} s to render (browser restarted)")
        except OSError as error:
            return _refusal(f"the export browser stopped while rendering ({error}); it was restarted")
        finally:
            self.idle.put(browser)

    def close(self) -> None:
        for browser in self.browsers:
            browser.stop()


def _refusal(reason: str) -> Answer:
    return {"ok": False, "error": reason}, b""


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    service: ExportService


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            header, figure_json = receive_frame(self.request)
            send_frame(self.request, *self.server.service.answer(header, figure_json))
        except OSError:  # the client gave up (its own timeout) or sent no frame: nothing to answer
            pass


def serve(socket_path: Path, service: ExportService) -> None:
    """Answer on the socket (readable by this user only) until SIGTERM/SIGINT or the parent's exit."""
    socket_path.unlink(missing_ok=True)
    old_umask = os.umask(0o177)
    try:
        server = _Server(str(socket_path), _Handler)
    finally:
        os.umask(old_umask)
    server.service = service

    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(), stop), daemon=True).start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
        service.close()
        socket_path.unlink(missing_ok=True)


def _exit_with_parent(parent: int, stop) -> None:
    """A server killed without its exit hook must not leave the browsers behind."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    stop()


def serve_worker(fd: int, chromium: str | None) -> int:
    """The browser process: render each figure that arrives on the socket until it closes."""
    sock = socket.socket(fileno=fd)
    renderer: ChartRenderer | None = None
    try:
        while True:
            try:
                header, figure_json = receive_frame(sock)
            except WireError:  # the service ended
                return 0
            try:
                renderer = renderer or ChartRenderer(chromium)
                size = (header["width"], header["height"], header["scale"])
                image = renderer.to_image(json.loads(figure_json), header["format"], *size)
            except RenderError as error:
                send_frame(sock, {"ok": False, "error": str(error)})
            except (KeyError, TypeError, ValueError) as error:  # not a request the dashboard sends
                send_frame(sock, {"ok": False, "error": f"malformed export request: {error!r}"})
            else:
                send_frame(sock, {"ok": True}, image)
    finally:
        if renderer is not None:
            renderer.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.export_service", description=__doc__)
    parser.add_argument("--socket", type=Path, help="Unix socket to listen on")
    parser.add_argument("--browsers", type=int, default=DEFAULT_BROWSERS, help="Chromiums at most")
    parser.add_argument("--queue", type=int, default=DEFAULT_QUEUE, help="requests waiting or rendering")
    parser.add_argument("--timeout", type=float, default=service_timeout(), help="seconds a request may take")
    parser.add_argument("--chromium", help="Chromium executable (default /usr/bin/chromium)")
    parser.add_argument("--worker-fd", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_fd is not None:
        return serve_worker(args.worker_fd, args.chromium)
    if args.socket is None or args.browsers < 1 or args.queue < 1 or args.timeout <= 0:
        parser.error("--socket is required; --browsers, --queue and --timeout must be positive")
    serve(args.socket, ExportService(args.browsers, args.queue, args.timeout, args.chromium))
    return 0


if __name__ == "__main__":
    sys.exit(main())
