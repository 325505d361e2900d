"""The messages between dashboard workers, the export service and its browser processes: a JSON header
and a byte payload on a stream socket, one request and one answer a connection (or a pair at a time
on a worker's socket).

A frame is the header's length (4 bytes, big-endian), the header (UTF-8 JSON, holding `size`, the
payload's length), then the payload: a figure's JSON in a request, the image in an answer.
"""

from __future__ import annotations

import json
import os
import socket
import struct
from typing import Any

LENGTH = struct.Struct(">I")
MAX_HEADER_BYTES = 64 * 1024
MAX_PAYLOAD_BYTES = 256 * 1024 * 1024  # a figure's JSON or one image; far above any chart
# Shared by the service (how long a request may wait and render) and its clients (how long they wait)
SERVICE_ENV = "DASHBOARD_EXPORT_SERVICE"  # the service's socket path: set, workers render through it
TIMEOUT_ENV = "DASHBOARD_EXPORT_TIMEOUT"
DEFAULT_TIMEOUT_S = 30.0


def service_timeout() -> float:
    """Seconds a request may take in the service, queue wait included ($DASHBOARD_EXPORT_TIMEOUT)."""
    return float(os.environ.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT_S)


class WireError(ConnectionError):
    """The other end closed the connection or sent something that is no frame."""


def send_frame(sock: socket.socket, header: dict[str, Any], payload: bytes = b"") -> None:
    encoded = json.dumps({**header, "size": len(payload)}).encode("utf-8")
    sock.sendall(LENGTH.pack(len(encoded)) + encoded + payload)


def receive_frame(sock: socket.socket) -> tuple[dict[str, Any], bytes]:
    """One frame; raises WireError on a closed connection or a malformed frame, socket.timeout when the
    socket's timeout passes."""
    (header_size,) = LENGTH.unpack(_receive_exactly(sock, LENGTH.size))
    if header_size > MAX_HEADER_BYTES:
        raise WireError(f"frame header of {header_size} bytes: not a frame")
    try:
        header = json.loads(_receive_exactly(sock, header_size))
        size = int(header["size"])
    except (ValueError, KeyError, TypeError) as error:
        raise WireError(f"unreadable frame header: {error}") from error
    if not 0 <= size <= MAX_PAYLOAD_BYTES:
        raise WireError(f"frame payload of {size} bytes refused")
    return header, _receive_exactly(sock, size)


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, missing = [], size
    while missing:
        chunk = sock.recv(min(missing, 1 << 20))
        if not chunk:
            raise WireError("connection closed")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)
