"""Static chart images (PNG, SVG, PDF) through kaleido with the system Chromium.

One warm browser serves the whole process: kaleido's sync server costs ≈3 s to start and ≈0.3 s an
image after that. The server is not thread-safe (concurrent calls were seen to return another call's
image) and Dash runs callbacks in threads, so every call goes through one module-level lock.
Under gunicorn that would be one Chromium per worker: there $DASHBOARD_EXPORT_SERVICE names the socket of
the server's one export service (dashboard/export_service.py) and the workers render through it.
Without a CJK font Chromium draws boxes for Chinese and says nothing, so callers check for one first.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import threading
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import kaleido
import plotly
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.export_wire import SERVICE_ENV, WireError, receive_frame, send_frame, service_timeout
from dashboard.figures import FONT_FAMILY

DEFAULT_CHROMIUM = "/usr/bin/chromium"
IMAGE_FORMATS = ("png", "svg", "pdf")

# SC first: with a JP or TC face first, shared code points come out in Japanese or traditional forms.
CJK_FONT_FAMILY = FONT_FAMILY
CJK_INSTALL_HINT = "apt-get install fonts-noto-cjk"

# What kaleido's page loads: the plotly.js inside plotly.py, and no MathJax (its default is a CDN).
# Nothing is fetched: intranets are offline.
LOCAL_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
KALEIDO_PAGE_OPTIONS: dict[str, Any] = {"plotlyjs": str(LOCAL_PLOTLY_JS), "mathjax": False}

# Serialises every call into kaleido's single global server (and its start and stop).
_KALEIDO_LOCK = threading.Lock()
_SERVER_POLL_S = 0.1
# The Chromium the running server drives: kaleido would silently keep it for a renderer given another.
_server_chromium: list[str] = []
SERVICE_GRACE_S = 5.0  # past the service's own time limit, before a worker stops waiting for its answer


class RenderError(RuntimeError):
    """An image could not be made; the message says why in one line."""


class NoCjkFontError(RenderError):
    """No font with Chinese glyphs: an image would show boxes instead of text."""


def cjk_font_available() -> bool:
    """Whether fontconfig offers a font covering Chinese (honours FONTCONFIG_FILE, as Chromium does)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, env=os.environ, check=False
    )
    return listed.returncode == 0 and bool(listed.stdout.strip())


def require_cjk_font() -> None:
    """Refuse to render when Chinese would come out as boxes."""
    if not cjk_font_available():
        raise NoCjkFontError(
            "no CJK font installed (`fc-list :lang=zh` lists none), so Chinese would render as boxes; "
            f"install one: {CJK_INSTALL_HINT}"
        )


def find_chromium(explicit: str | None = None) -> str | None:
    """The Chromium to drive: the explicit path if given (or $CHROMIUM), else the Debian one, else
    `chromium` on PATH."""
    explicit = explicit if explicit is not None else os.environ.get("CHROMIUM")
    if explicit is not None:
        return explicit if _is_executable(explicit) else None
    if _is_executable(DEFAULT_CHROMIUM):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium")


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


# What image export needs from the system -> the Debian package that brings it (one list: `make test`,
# .ci/run and the dashboard's start-up notice all read it).
SYSTEM_PACKAGES = (
    (
        "Chromium (/usr/bin/chromium, `chromium` on PATH or $CHROMIUM)",
        "chromium",
        lambda: find_chromium() is not None,
    ),
    ("fontconfig (`fc-list`)", "fontconfig", lambda: shutil.which("fc-list") is not None),
    ("a CJK font (`fc-list :lang=zh` lists none)", "fonts-noto-cjk", lambda: cjk_font_available()),
)


def missing_system_packages() -> list[tuple[str, str]]:
    """(what is missing, Debian package) for every system part image export needs and lacks."""
    return [(what, package) for what, package, present in SYSTEM_PACKAGES if not present()]


def install_command(packages: list[str]) -> str:
    """The one line that installs the Debian packages, as root."""
    return f"apt-get update && apt-get install -y --no-install-recommends {' '.join(dict.fromkeys(packages))}"


def check_format(fmt: str) -> None:
    if fmt not in IMAGE_FORMATS:
        raise RenderError(f"unsupported image format {fmt!r}: use one of {', '.join(IMAGE_FORMATS)}")


def with_cjk_font(fig: go.Figure | dict[str, Any]) -> go.Figure:
    """A copy of the figure whose text falls back to a Simplified Chinese face, never a Japanese one."""
    styled = go.Figure(fig)
    styled.update_layout(font_family=CJK_FONT_FAMILY)
    return styled


class ChartRenderer:
    """Renders figures to image bytes with one warm Chromium, started on first use.

    kaleido's server is a per-process singleton: create one renderer per process and share it.
    """

    def __init__(self, chromium: str | None = None) -> None:
        found = find_chromium(chromium)
        if found is None:
            wanted = chromium or f"{DEFAULT_CHROMIUM} or `chromium` on PATH"
            raise RenderError(f"no Chromium executable at {wanted}; install it: apt-get install chromium")
        self.chromium = found

    def to_image(
        self,
        fig: go.Figure | dict[str, Any],
        fmt: str = "png",
        width: int = 1200,
        height: int = 700,
        scale: float = 2,
    ) -> bytes:
        """The figure as PNG, SVG or PDF bytes; width and height in layout pixels, PNG pixels × scale."""
        check_format(fmt)
        styled = with_cjk_font(fig)
        with _KALEIDO_LOCK:
            self._start_locked()
            return self._call_locked(styled, fmt, width, height, scale)

    def close(self) -> None:
        """Stop the browser; the next call starts a new one."""
        with _KALEIDO_LOCK:
            _stop_locked()

    def __enter__(self) -> ChartRenderer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _start_locked(self) -> None:
        if kaleido._global_server.is_running():
            if _server_chromium == [self.chromium]:
                return
            _stop_locked()
        pio.defaults.headers = None  # else plotly passes kopts per call and kaleido warns every time
        kaleido.start_sync_server(path=self.chromium, silence_warnings=True, **KALEIDO_PAGE_OPTIONS)
        _server_chromium.append(self.chromium)

    def _call_locked(self, fig: go.Figure, fmt: str, width: int, height: int, scale: float) -> bytes:
        """Run one render, watching the server thread: kaleido waits forever if its browser died."""
        outcome: list[bytes | Exception] = []
        done = threading.Event()

        def render() -> None:
            try:
                outcome.append(pio.to_image(fig, format=fmt, width=width, height=height, scale=scale))
            except Exception as error:  # handed to the caller's thread below
                outcome.append(error)
            done.set()

        threading.Thread(target=render, daemon=True, name="kaleido-call").start()
        while not done.wait(_SERVER_POLL_S):
            if not _server_thread_alive():
                _stop_locked()
                raise RenderError(f"Chromium at {self.chromium} did not start or died while rendering")
        result = outcome[0]
        if isinstance(result, Exception):
            raise RenderError(f"kaleido failed to render a {fmt}: {result}") from result
        return result


class ServiceRenderer:
    """Renders through the server's export service: one request a chart on its Unix socket. Every wait is
    bounded, so a busy or stuck service costs a worker a notice, never a hung thread."""

    def __init__(self, socket_path: str, timeout: float) -> None:
        self.socket_path = socket_path
        self.timeout = timeout

    def to_image(
        self,
        fig: go.Figure | dict[str, Any],
        fmt: str = "png",
        width: int = 1200,
        height: int = 700,
        scale: float = 2,
    ) -> bytes:
        """As ChartRenderer.to_image; RenderError with the service's one-line reason when it refuses."""
        check_format(fmt)
        request = {"format": fmt, "width": width, "height": height, "scale": scale}
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(self.timeout + SERVICE_GRACE_S)
                sock.connect(self.socket_path)
                send_frame(sock, request, pio.to_json(fig).encode("utf-8"))
                answer, image = receive_frame(sock)
        except TimeoutError as error:
            raise RenderError(f"the export service did not answer within {self.timeout:.0f} s") from error
        except (FileNotFoundError, ConnectionRefusedError) as error:
            raise RenderError(
                f"the export service is not running (no socket at {self.socket_path})"
            ) from error
        except (OSError, WireError) as error:
            raise RenderError(f"the export service at {self.socket_path} failed: {error}") from error
        if not answer.get("ok"):
            raise RenderError(str(answer.get("error") or "the export service refused the chart"))
        return image


class ImageRenderer(Protocol):
    """What export needs of a renderer: ChartRenderer in one process, ServiceRenderer under gunicorn."""

    def to_image(
        self,
        fig: go.Figure | dict[str, Any],
        fmt: str = ...,
        width: int = ...,
        height: int = ...,
        scale: float = ...,
    ) -> bytes: ...


@cache
def shared_renderer() -> ImageRenderer:
    """The process's renderer: the export service's client when $DASHBOARD_EXPORT_SERVICE names one, else
    one in-process browser made on first use (so a server without Chromium still starts) and stopped when
    the process exits. Raises RenderError, uncached, while no Chromium is found."""
    service = os.environ.get(SERVICE_ENV)
    if service:
        return ServiceRenderer(service, service_timeout())
    renderer = ChartRenderer()
    atexit.register(renderer.close)
    return renderer


def _stop_locked() -> None:
    kaleido.stop_sync_server(silence_warnings=True)
    _server_chromium.clear()


def _server_thread_alive() -> bool:
    # kaleido exposes no health check: its server thread ends when the browser fails to open.
    server_thread = getattr(kaleido._global_server, "_thread", None)
    return server_thread is not None and server_thread.is_alive()
