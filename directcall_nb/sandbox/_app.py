"""The sandbox as an ASGI application: DirectCall's routes, reading requests, faults, latency.

A request to an API path goes through: latency, a fault draw, reading the form (query string
and body, 20 MB at most, see :mod:`~directcall_nb.sandbox._forms`), the format asked for, the
fields that could not be read, delivering scheduled sends that are due, the token check, the
endpoint, and the answer in JSON or XML. Whatever a request carries, the answer is an envelope
with a three-character ``codigo`` (``001`` for anything malformed); only fault injection answers
a bare 503, and only a bug of the sandbox a 500. Every API request is logged with what became
of it.
Paths under ``/_sandbox`` go to :class:`~directcall_nb.sandbox._control.Controls`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive, Scope, Send

from directcall_nb.sandbox import _listings as listings
from directcall_nb.sandbox._control import PREFIX, Controls
from directcall_nb.sandbox._endpoints import DirectCallAPI
from directcall_nb.sandbox._forms import (
    Form,
    FormError,
    Upload,
    parse_multipart,
    parse_urlencoded,
    read_fields,
)
from directcall_nb.sandbox._wire import JSON_TYPE, Answer, WireError, envelope, render, shown

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
    #: The field that chooses JSON or XML (``formato`` at ``/extrato/list``, else ``format``).
    format_field: str = "format"


ROUTES: dict[str, Route] = {
    "/request_token": Route(("POST",), "auth", "token", DirectCallAPI.request_token, False),
    "/sms/send": Route(("POST",), "sms", "enviar", DirectCallAPI.send),
    "/sms/status": Route(("GET", "POST"), "sms", "status", DirectCallAPI.status),
    "/sms/remove": Route(("GET", "POST"), "sms", "remover", DirectCallAPI.remove),
    "/sms/recebimento": Route(("POST",), "sms", "recebimento", listings.inbound),
    "/extrato/list": Route(
        ("POST",), "extrato", "list", listings.statement, format_field="formato"
    ),
}

_INVALID_TOKEN = json.dumps(
    {
        "error": "invalid_token",
        "error_description": "The access token provided is invalid or has expired",
    },
    separators=(",", ":"),
).encode()

#: The two bare answers, with no envelope: a fault's 503, and a bug of the sandbox's 500.
_TEXT_TYPE = "text/plain; charset=utf-8"
_UNAVAILABLE = Answer(503, b"Service Unavailable", _TEXT_TYPE, headers=(("retry-after", "1"),))
_BUG = Answer(500, b"Internal Server Error", _TEXT_TYPE)


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
    """An API request read in full: its route, and its fields and files."""

    route: Route
    form: Form

    @property
    def fields(self) -> Mapping[str, str]:
        return self.form.fields

    @property
    def files(self) -> Mapping[str, Upload]:
        return self.form.files


def _asked(received: _Form | Answer | None, path: str) -> tuple[list[str] | None, str | None]:
    """Return the recipients and text a send asked for, as logged (``None`` for other requests).

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


def _wants_xml(fields: Mapping[str, str], name: str) -> bool | None:
    """Tell whether the ``format`` field asks for XML; ``None`` when it names neither format."""
    fmt = (fields.get(name) or "JSON").strip().upper()
    return {"JSON": False, "XML": True}.get(fmt)


def _error(
    route: Route | None, path: str, codigo: str, msg: str, status: int, *, xml: bool = False
) -> Answer:
    api, modulo = (route.api, route.modulo) if route else (path.strip("/").partition("/")[::2])
    return render(envelope(api, modulo, codigo, msg), xml=xml, http_status=status)


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
            answer = _UNAVAILABLE
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
        self.api.state.log.record(
            method,
            path,
            None if dropped or answer is None else answer.http_status,
            codigo,
            fault,
            at=self.api.clock(),
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
        """Read the request's fields and files, or return the error to answer (``None``: it left).

        An error is answered in the format the query string asks for, if it asks for one.
        """
        query = parse_urlencoded(scope.get("query_string", b""))
        in_query = read_fields(query, []).fields
        xml = bool(_wants_xml(in_query, route.format_field if route else "format"))
        if route is None:
            return _error(None, path, "001", f"O endpoint {shown(path)} não existe", 404, xml=xml)
        if method not in route.methods:
            allowed = " ou ".join(route.methods)
            answer = _error(
                route,
                path,
                "001",
                f"Método {shown(method)} não aceito em {path}; use {allowed}",
                405,
                xml=xml,
            )
            return replace(answer, headers=(("allow", ", ".join(route.methods)),))
        try:
            form = await self._read(scope, body, method, query)
        except ClientDisconnect:
            return None
        except BodyTooLarge:
            await body.drain()
            megabytes = self.max_body // (1024 * 1024)
            return _error(route, path, "001", f"A requisição passa de {megabytes} MB", 413, xml=xml)
        except FormError as exc:
            await body.drain()
            return _error(route, path, "001", f"Corpo da requisição ilegível: {exc}", 400, xml=xml)
        except Exception:  # a bug of the sandbox's reader: say so, as any other
            logger.exception("the sandbox failed to read %s %s", method, path)
            return _BUG
        return _Form(route, form)

    def _processed(self, form: _Form, method: str, path: str) -> Answer:
        """Return what the endpoint answers to a request read in full."""
        try:
            return self._handle(form.route, form.form)
        except Exception:
            logger.exception("the sandbox failed to answer %s %s", method, path)
            return _BUG

    def _handle(self, route: Route, form: Form) -> Answer:
        fields, files = form.fields, form.files
        xml = _wants_xml(fields, route.format_field)
        if xml is None:
            fmt = shown(fields[route.format_field].strip())
            msg = f"O campo {route.format_field} deve ser JSON ou XML, não '{fmt}'"
            return _error(route, "", "001", msg, 200)
        if form.problem is not None:
            return _error(route, "", "001", form.problem, 200, xml=xml)
        now = self.api.clock()
        self.api.state.deliver_due(now)
        if route.needs_token:
            token = (fields.get("access_token") or "").strip()
            if not token:
                missing = "Parâmetro obrigatório ausente: access_token"
                return render(envelope(route.api, route.modulo, "001", missing), xml=xml)
            if not self.api.token_is_valid(token, now):
                if self.api.invalid_token == "006":
                    expired = "Token de acesso inválido ou expirado; solicite um novo"
                    payload = envelope(route.api, route.modulo, "006", expired)
                    return render(payload, xml=xml)
                return Answer(401, _INVALID_TOKEN, JSON_TYPE, None)
        try:
            payload = route.handler(self.api, fields, files, now)
        except WireError as exc:
            payload = envelope(route.api, route.modulo, exc.codigo, exc.msg)
            return render(payload, xml=xml, http_status=exc.http_status)
        return render(payload, xml=xml)

    async def _read(
        self, scope: Scope, body: _Body, method: str, query: list[tuple[bytes, bytes]]
    ) -> Form:
        """Read the query string's fields, then the form body's (which win), and the uploads."""
        if method != "POST":
            return read_fields(query, [])
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and len(declared) < 20 and int(declared) > self.max_body:
            raise BodyTooLarge
        request = Request(scope, body)
        data = await request.body()
        content_type = request.headers.get("content-type", "")
        media = content_type.partition(";")[0].strip().lower()
        texts: list[tuple[bytes, bytes]] = []
        uploads: list[tuple[bytes, bytes, bytes]] = []
        if media == "multipart/form-data":
            texts, uploads = parse_multipart(content_type, data, max_text_part=_MAX_TEXT_PART)
        elif media == "application/x-www-form-urlencoded":
            texts = parse_urlencoded(data)
        await body.drain()
        return read_fields(query, texts, uploads)

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
