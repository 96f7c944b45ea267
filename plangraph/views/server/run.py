"""Running the server: uvicorn on a host and port, until interrupted."""

from __future__ import annotations

from typing import Callable

from ...graph.store import Store
from .app import ServerConfig, make_app

__all__ = ["serve"]


def serve(store: Store, host: str = "127.0.0.1", port: int = 8000, config: ServerConfig | None = None,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve ``store`` on ``host``:``port`` until interrupted (Ctrl-C); ``on_ready(url)`` is called
    once the socket listens. Port 0 picks a free port."""
    import asyncio

    import uvicorn

    app = make_app(store, config)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                           limit_concurrency=200, timeout_keep_alive=5,
                                           timeout_graceful_shutdown=10))  # a query running without a limit does not hold up a stop

    async def main() -> None:
        task = asyncio.ensure_future(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if server.started and on_ready is not None:
            sock = server.servers[0].sockets[0]
            bound_host, bound_port = sock.getsockname()[:2]
            on_ready(f"http://{bound_host if ':' not in bound_host else f'[{bound_host}]'}:{bound_port}")
        await task

    asyncio.run(main())
