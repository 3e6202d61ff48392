"""A small production-capable WSGI server for ``inodli serve``, built from the standard library.

Django's development server starts a thread per request and closes its database connections
after each one; under 20 concurrent clients that means a new PostgreSQL connection per request
(and "too many clients" when the server is shared). Here a fixed pool of worker threads serves
the requests, so each worker keeps its connection (``CONN_MAX_AGE``) and the number of database
connections is bounded by ``threads``.
"""

from __future__ import annotations

import logging
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

__all__ = ["PooledWSGIServer", "serve_forever"]


class PooledWSGIServer(WSGIServer):
    """Django's WSGIServer with a bounded pool of worker threads."""

    daemon_threads = True

    def __init__(self, *args: Any, threads: int = 16, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="inodli-http")

    def process_request(self, request: Any, client_address: Any) -> None:
        self.pool.submit(self._process, request, client_address)

    def _process(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)


def serve_forever(
    application: Any,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    threads: int = 16,
    quiet: bool = False,
) -> None:
    """Serve ``application`` until interrupted; ``quiet`` drops the per-request log lines."""
    if quiet:
        logging.getLogger("django.server").setLevel(logging.WARNING)
    ipv6 = ":" in host
    server = PooledWSGIServer((host, port), WSGIRequestHandler, ipv6=ipv6, threads=threads)
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    server.set_app(application)
    try:
        server.serve_forever()
    finally:
        server.server_close()
