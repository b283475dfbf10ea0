"""Serve a built site on loopback, quietly: for the browser tests (tests/conftest.py) and `make screenshots`."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _GzipEncodingHandler(_QuietHandler):
    """Sends a `.gz` file as gzip-encoded content, as Apache's `AddEncoding gzip .gz` does: the browser inflates it."""

    def end_headers(self) -> None:
        if self.path.split("?")[0].endswith(".gz"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()


def serve(directory: Path, port: int = 0, gzip_encoding: bool = False) -> tuple[str, Callable[[], None]]:
    """Serve a folder (it may be built after this call) on a loopback port, a free one by default; returns the
    base URL and a stop function. With `gzip_encoding`, `.gz` files are sent as gzip-encoded content."""
    handler = functools.partial(_GzipEncodingHandler if gzip_encoding else _QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop
