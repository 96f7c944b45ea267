"""A real plangraph server on loopback for the tests, and plain HTTP requests to it."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import Iterator

from plangraph.views.server import ServerConfig, make_app


@contextmanager
def serving(store, config: ServerConfig | None = None) -> Iterator[str]:
    """A real uvicorn server over ``store`` on a free loopback port, for the block's length."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(make_app(store, config), host="127.0.0.1", port=0, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None):
    """(status, headers, body) of a request; error statuses are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()
