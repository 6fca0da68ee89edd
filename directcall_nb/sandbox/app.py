"""The sandbox as an ASGI application: DirectCall's routes, reading requests, faults, latency.

A request to an API path goes through: latency, a fault draw, reading the form (query string
and body, 20 MB at most), delivering scheduled sends that are due, the token check, the
endpoint, and the answer in JSON or XML. Every API request is logged with what became of it.
Paths under ``/_sandbox`` go to :class:`~directcall_nb.sandbox.control.Controls`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope, Send

from directcall_nb.sandbox.control import PREFIX, Controls
from directcall_nb.sandbox.endpoints import DirectCallAPI, Upload
from directcall_nb.sandbox.wire import JSON_TYPE, Answer, WireError, envelope, render

__all__ = ["MAX_BODY_BYTES", "ROUTES", "ConnectionCloser", "Route", "SandboxApp"]

logger = logging.getLogger("directcall_nb.sandbox")

#: The largest request body read; a larger one is answered 413 with code 001.
MAX_BODY_BYTES = 20 * 1024 * 1024
#: How much more of an oversized body is read and thrown away before answering.
_DRAIN_LIMIT = 8 * MAX_BODY_BYTES
#: Largest text field of a multipart body (files are limited by MAX_BODY_BYTES only).
_MAX_TEXT_PART = 1024 * 1024

#: The numbers of a ``destino_csv`` file, as logged: runs of digits.
_DIGIT_RUNS = re.compile(rb"[0-9]+")

#: Closes the connection a request came on without answering; False when it cannot.
ConnectionCloser = Callable[[Scope], bool]

Handler = Callable[[DirectCallAPI, Mapping[str, str], Mapping[str, Upload], float], dict[str, Any]]


@dataclass(frozen=True)
class Route:
    """An API endpoint: its methods, the ``api`` / ``modulo`` of its envelope, its handler."""

    methods: tuple[str, ...]
    api: str
    modulo: str
    handler: Handler
    needs_token: bool = True


ROUTES: dict[str, Route] = {
    "/request_token": Route(("POST",), "auth", "token", DirectCallAPI.request_token, False),
    "/sms/send": Route(("POST",), "sms", "enviar", DirectCallAPI.send),
    "/sms/status": Route(("GET", "POST"), "sms", "status", DirectCallAPI.status),
    "/sms/remove": Route(("GET", "POST"), "sms", "remover", DirectCallAPI.remove),
    "/sms/recebimento": Route(("POST",), "sms", "recebimento", DirectCallAPI.inbound),
}

_INVALID_TOKEN = json.dumps(
    {
        "error": "invalid_token",
        "error_description": "The access token provided is invalid or has expired",
    },
    separators=(",", ":"),
).encode()


class BodyTooLarge(Exception):
    """The request body passed :data:`MAX_BODY_BYTES`."""


class _Body:
    """The request's ``receive``, counting the body and remembering whether it was all read."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self.limit = limit
        self.size = 0
        self.finished = False

    async def _pull(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.size += len(message.get("body", b""))
            self.finished = not message.get("more_body", False)
        else:
            self.finished = True
        return message

    async def __call__(self) -> Message:
        message = await self._pull()
        if self.size > self.limit:
            raise BodyTooLarge
        return message

    async def wait_disconnect(self) -> None:
        """Wait for the server to report that the connection is gone."""
        while (await self._receive())["type"] != "http.disconnect":
            pass

    async def drain(self, limit: int = _DRAIN_LIMIT) -> None:
        """Read and discard what is left of the body (up to ``limit`` bytes in all)."""
        while not self.finished and self.size <= limit:
            await self._pull()


@dataclass(frozen=True)
class _Form:
    """An API request read in full: its route, text fields and uploaded files."""

    route: Route
    fields: Mapping[str, str]
    files: Mapping[str, Upload]


def _asked(received: _Form | Answer | None, path: str) -> tuple[list[str] | None, str | None]:
    """The recipients and text a send asked for, as logged (``None`` for other requests).

    The numbers are read as sent, valid or not: those of ``destino`` (separated by ``;``) or
    the runs of digits of the ``destino_csv`` file.
    """
    if path != "/sms/send":
        return None, None
    if not isinstance(received, _Form):
        return [], None
    csv = received.files.get("destino_csv")
    if csv is not None:
        numbers = [run.decode("ascii") for run in _DIGIT_RUNS.findall(csv.data)]
    else:
        numbers = [n.strip() for n in received.fields.get("destino", "").split(";") if n.strip()]
    return numbers, received.fields.get("texto")


def _error(route: Route | None, path: str, codigo: str, msg: str, status: int) -> Answer:
    api, modulo = (route.api, route.modulo) if route else (path.strip("/").partition("/")[::2])
    return render(envelope(api, modulo, codigo, msg), http_status=status)


class SandboxApp:
    """The ASGI application of one sandbox.

    Parameters
    ----------
    api : DirectCallAPI
        What the endpoints do.
    controls : Controls
        Latency, faults, and the ``/_sandbox`` routes.
    close_connection : ConnectionCloser or None
        Provided by the server to drop a connection without a byte of answer. Without it a
        dropped request gets a status line and headers announcing a body that never comes.
    max_body : int
        The largest request body read.
    """

    def __init__(
        self,
        api: DirectCallAPI,
        controls: Controls,
        *,
        close_connection: ConnectionCloser | None = None,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.api = api
        self.controls = controls
        self.close_connection = close_connection
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            path = scope["path"]
            if path == PREFIX or path.startswith(PREFIX + "/"):
                await self.controls.handle(scope, receive, send)
            else:
                await self._api(scope, _Body(receive, self.max_body), send)

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _api(self, scope: Scope, body: _Body, send: Send) -> None:
        method: str = scope["method"]
        path = scope["path"].rstrip("/") or "/"
        route = ROUTES.get(path)
        if self.controls.latency:
            await asyncio.sleep(self.controls.latency)
        fault = self.controls.injector.draw(path) if route else None
        # Read in full whatever the fault, so that the log tells what every request asked for.
        received = await self._receive(route, path, method, scope, body)
        answer: Answer | None
        if fault == "server_error":
            answer = Answer(
                503,
                b"Service Unavailable",
                "text/plain; charset=utf-8",
                headers=(("retry-after", "1"),),
            )
        elif fault == "drop_before":
            answer = None
        elif isinstance(received, _Form):
            answer = self._processed(received, method, path)
        else:
            answer = received
        recipients, texto = _asked(received, path)
        # Logged before the client can see anything, so that the log is complete when it does.
        codigo = answer.codigo if answer else None
        dropped = answer is None or fault in ("drop_before", "drop_after")
        self.api.state.log_request(
            method,
            path,
            None if dropped or answer is None else answer.http_status,
            codigo,
            fault,
            recipients=recipients,
            texto=texto,
        )
        if dropped or answer is None:
            await self._drop(scope, body, send)
        else:
            await self._send(send, answer)

    async def _receive(
        self, route: Route | None, path: str, method: str, scope: Scope, body: _Body
    ) -> _Form | Answer | None:
        """The request's fields and files; else the error to answer, or ``None`` if it left."""
        if route is None:
            return _error(None, path, "001", f"O endpoint {path} não existe", 404)
        if method not in route.methods:
            allowed = " ou ".join(route.methods)
            answer = _error(
                route, path, "001", f"Método {method} não aceito em {path}; use {allowed}", 405
            )
            return replace(answer, headers=(("allow", ", ".join(route.methods)),))
        try:
            fields, files = await self._read(scope, body, method)
        except ClientDisconnect:
            return None
        except BodyTooLarge:
            await body.drain()
            megabytes = self.max_body // (1024 * 1024)
            return _error(route, path, "001", f"A requisição passa de {megabytes} MB", 413)
        except Exception as exc:  # a malformed body, whatever the parser says about it
            reason = str(exc) or type(exc).__name__
            return _error(route, path, "001", f"Corpo da requisição ilegível: {reason}", 400)
        return _Form(route, fields, files)

    def _processed(self, form: _Form, method: str, path: str) -> Answer:
        """What the endpoint answers to a request read in full."""
        try:
            return self._handle(form.route, form.fields, form.files)
        except Exception:
            logger.exception("the sandbox failed to answer %s %s", method, path)
            return Answer(500, b"Internal Server Error", "text/plain; charset=utf-8")

    def _handle(
        self, route: Route, fields: Mapping[str, str], files: Mapping[str, Upload]
    ) -> Answer:
        fmt = (fields.get("format") or "JSON").strip().upper()
        if fmt not in ("JSON", "XML"):
            return _error(
                route, "", "001", f"O campo format deve ser JSON ou XML, não '{fmt}'", 200
            )
        now = time.time()
        self.api.state.deliver_due(now)
        if route.needs_token:
            token = (fields.get("access_token") or "").strip()
            if not token:
                missing = "Parâmetro obrigatório ausente: access_token"
                return render(envelope(route.api, route.modulo, "001", missing), xml=fmt == "XML")
            if not self.api.token_is_valid(token, now):
                if self.api.invalid_token == "006":
                    expired = "Token de acesso inválido ou expirado; solicite um novo"
                    payload = envelope(route.api, route.modulo, "006", expired)
                    return render(payload, xml=fmt == "XML")
                return Answer(401, _INVALID_TOKEN, JSON_TYPE, None)
        try:
            payload = route.handler(self.api, fields, files, now)
        except WireError as exc:
            payload = envelope(route.api, route.modulo, exc.codigo, exc.msg)
            return render(payload, xml=fmt == "XML", http_status=exc.http_status)
        return render(payload, xml=fmt == "XML")

    async def _read(
        self, scope: Scope, body: _Body, method: str
    ) -> tuple[dict[str, str], dict[str, Upload]]:
        """The query string's fields, then the form body's (which win), and the uploads."""
        query = scope.get("query_string", b"").decode("latin-1")
        fields = dict(parse_qsl(query, keep_blank_values=True))
        files: dict[str, Upload] = {}
        if method != "POST":
            return fields, files
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_body:
            raise BodyTooLarge
        request = Request(scope, body)
        async with request.form(max_part_size=_MAX_TEXT_PART) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    files[key] = Upload(value.filename or "", await value.read())
                else:
                    fields[key] = value
        await body.drain()
        return fields, files

    @staticmethod
    async def _send(send: Send, answer: Answer) -> None:
        headers = [
            (b"content-type", answer.content_type.encode()),
            (b"content-length", str(len(answer.body)).encode()),
            *((k.encode(), v.encode()) for k, v in answer.headers),
        ]
        if answer.http_status == 413:
            headers.append((b"connection", b"close"))
        await send(
            {"type": "http.response.start", "status": answer.http_status, "headers": headers}
        )
        await send({"type": "http.response.body", "body": answer.body})

    async def _drop(self, scope: Scope, body: _Body, send: Send) -> None:
        """Close the connection without answering (the request having been read in full)."""
        await body.drain()
        if self.close_connection is not None and self.close_connection(scope):
            # Wait until the server has seen the connection go, so that it does not answer.
            try:
                async with asyncio.timeout(5.0):
                    await body.wait_disconnect()
            except TimeoutError:
                logger.warning("a dropped connection was not closed within 5 s")
            return
        start: Message = {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", b"1")],
        }
        await send(start)
