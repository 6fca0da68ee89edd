"""uvicorn serving one ASGI application on a loopback socket from a background thread.

The thread runs its own event loop, so starting works the same from a script, a test, or a
Jupyter cell whose thread already runs a loop. Connections are tracked by peer address so that
the application can close one without sending a byte (to imitate a lost answer).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import threading
import time
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Scope
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["BackgroundServer", "loopback_host"]

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0

#: Libraries that warn on stderr about what a client sent (garbage HTTP, broken multipart).
#: Their records still reach the handlers an application configures; the sandbox's own
#: failures are logged under ``directcall_nb.sandbox``.
_CHATTY_LOGGERS = ("uvicorn.error", "python_multipart")


def _quiet_chatty_loggers() -> None:
    """Stop Python's last-resort handler printing those libraries' warnings to stderr."""
    for name in _CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def loopback_host(host: str) -> str:
    """Return ``host`` as an address if it is a loopback one (``localhost`` is 127.0.0.1).

    Raises
    ------
    ValueError
        For any other address or name.
    """
    name = "127.0.0.1" if host == "localhost" else host
    try:
        loopback = ipaddress.ip_address(name).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"the sandbox only listens on loopback addresses (127.0.0.1 or ::1), not {host!r}"
        )
    return name


class _Connections:
    """The open connections of one server, by peer address."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_peer: dict[tuple[str, int], asyncio.Transport] = {}

    @staticmethod
    def _key(address: Any) -> tuple[str, int] | None:
        if not address or len(address) < 2:
            return None
        return str(address[0]), int(address[1])

    def opened(self, transport: asyncio.Transport) -> None:
        key = self._key(transport.get_extra_info("peername"))
        if key is not None:
            with self._lock:
                self._by_peer[key] = transport

    def closed(self, transport: asyncio.Transport) -> None:
        key = self._key(transport.get_extra_info("peername"))
        with self._lock:
            if key is not None and self._by_peer.get(key) is transport:
                del self._by_peer[key]

    def close(self, scope: Scope) -> bool:
        """Close the connection ``scope`` arrived on, sending nothing; False if it is unknown."""
        key = self._key(scope.get("client"))
        with self._lock:
            transport = self._by_peer.get(key) if key is not None else None
        if transport is None:
            return False
        transport.close()
        return True


def _protocol_class(connections: _Connections) -> type[H11Protocol]:
    """Return uvicorn's HTTP/1.1 protocol, made to tell ``connections`` of each open and close."""

    class _TrackedH11Protocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            connections.opened(transport)

        def connection_lost(self, exc: Exception | None) -> None:
            connections.closed(self.transport)
            super().connection_lost(exc)

    return _TrackedH11Protocol


class _ThreadServer(uvicorn.Server):
    """A uvicorn server that never touches signal handlers (it runs outside the main thread)."""

    def install_signal_handlers(self) -> None:
        """Leave signals to the application that started the server."""


class BackgroundServer:
    """Serve an ASGI application on ``host:port`` from a daemon thread.

    Parameters
    ----------
    host : str
        A loopback address; anything else raises ``ValueError``.
    port : int
        The port; 0 picks a free one, which is then kept for later starts.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = loopback_host(host)
        self.port = port
        self._connections = _Connections()
        self._lock = threading.Lock()
        self._server: _ThreadServer | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    @property
    def url(self) -> str:
        """``http://host:port`` (IPv6 addresses in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    def close_connection(self, scope: Scope) -> bool:
        """Close the connection of a request without answering it; False if it is unknown."""
        return self._connections.close(scope)

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
        # without it every answer on a kept-alive connection waits for a delayed ACK (~40 ms).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise OSError(f"the sandbox cannot listen on {self.host}:{self.port}: {exc}") from exc
        sock.setblocking(False)
        return sock

    def _serve(self, server: _ThreadServer, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported by start(); a thread has nowhere else to say it
            self._failure = exc
        finally:
            sock.close()

    def start(self, app: ASGIApp) -> None:
        """Serve ``app``; return once the socket accepts connections (no-op if serving)."""
        with self._lock:
            if self.running:
                return
            _quiet_chatty_loggers()
            sock = self._bind()
            self.port = int(sock.getsockname()[1])
            config = uvicorn.Config(
                app,
                http=_protocol_class(self._connections),
                ws="none",
                lifespan="off",
                loop="asyncio",
                log_config=None,
                access_log=False,
                proxy_headers=False,
                server_header=False,
                timeout_graceful_shutdown=1,
            )
            server = _ThreadServer(config)
            self._failure = None
            thread = threading.Thread(
                target=self._serve,
                args=(server, sock),
                name=f"directcall-sandbox-{self.port}",
                daemon=True,
            )
            thread.start()
            deadline = time.monotonic() + _START_TIMEOUT
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    server.should_exit = True
                    thread.join(_STOP_TIMEOUT)
                    reason = repr(self._failure) if self._failure else "it did not start in time"
                    raise RuntimeError(f"the sandbox could not start on {self.url}: {reason}")
                time.sleep(0.005)
            self._server, self._thread = server, thread

    def stop(self) -> None:
        """Stop serving and close open connections (no-op if not serving)."""
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
            if server is None or thread is None:
                return
            server.should_exit = True
            thread.join(_STOP_TIMEOUT)
            if thread.is_alive():
                server.force_exit = True
                thread.join(_STOP_TIMEOUT)
