"""A stand-in for DirectCall that records every raw request and answers as each test says.

The standard library's ``ThreadingHTTPServer`` on a loopback port keeps every request (method,
path, headers, body); a test maps each path to the reply it wants (`Reply`: an answer, a delay,
or a connection closed silently), usually an `envelope` written by hand from DirectCall's
documentation, never taken from our sandbox. The ``server`` fixture of ``conftest.py`` runs one
for a test; ``client/test_wire.py`` and ``sending/test_reconcile.py`` speak to it.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, TypedDict, Unpack
from urllib.parse import parse_qs, urlsplit

from directcall_nb.client import DirectCall

#: The account the server accepts (with its `RecordingServer.secret`).
CLIENT_ID = "analista@example.com.br"


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, str]:
        """Return the url-encoded body's fields (each given once)."""
        assert self.headers["content-type"].startswith("application/x-www-form-urlencoded")
        pairs = parse_qs(self.body.decode("ascii"), keep_blank_values=True, encoding="utf-8")
        assert all(len(values) == 1 for values in pairs.values()), pairs
        return {name: values[0] for name, values in pairs.items()}

    def parts(self) -> dict[str, Part]:
        """Return the multipart body's parts, by name."""
        content_type = self.headers["content-type"]
        assert content_type.startswith("multipart/form-data"), content_type
        boundary = re.search(r'boundary="?([^";]+)"?', content_type)
        assert boundary is not None
        delimiter = b"--" + boundary.group(1).encode()
        chunks = self.body.split(delimiter)
        assert chunks[0] == b""
        assert chunks[-1] == b"--\r\n"
        parts = {}
        for chunk in chunks[1:-1]:
            head, _, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
            disposition = head.decode("utf-8")
            name = re.search(r'\bname="([^"]*)"', disposition)
            filename = re.search(r'\bfilename="([^"]*)"', disposition)
            assert name is not None
            parts[name.group(1)] = Part(
                filename.group(1) if filename else None, content.removesuffix(b"\r\n")
            )
        return parts


@dataclass(frozen=True)
class Part:
    """One part of a multipart body."""

    filename: str | None
    content: bytes


@dataclass(frozen=True)
class Reply:
    """What the server does with a request: answer it, or close the connection silently."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    hang_up: bool = False
    delay: float = 0.0


def reply_json(payload: dict[str, Any], status: int = 200) -> Reply:
    """Return an answer of ``payload`` as JSON."""
    return Reply(status, json.dumps(payload).encode("utf-8"))


def reply_xml(document: str, status: int = 200) -> Reply:
    """Return an answer of ``document`` as XML."""
    return Reply(status, document.encode("utf-8"), "application/xml")


def envelope(codigo: str, msg: object, **fields: object) -> dict[str, Any]:
    """Return DirectCall's answer of ``codigo`` and ``msg``, with ``fields`` added."""
    status = "ok" if codigo == "000" else "erro"
    return {
        "api": "sms",
        "modulo": "enviar",
        "status": status,
        "codigo": codigo,
        "msg": msg,
        **fields,
    }


SEND_OK = envelope(
    "000",
    "001 - Mensagem enviada com sucessso - CALLER-ID: 16245239335948",
    destino=["5541999990001"],
    detalhe=[{"destino": "5541999990001", "id_mensagem": 16245239336055}],
    callerid="16245239335948",
)


class ClientOptions(TypedDict, total=False):
    """The options of `DirectCall` a test may give `RecordingServer.client`."""

    timeout: float
    response_format: Literal["JSON", "XML"]
    clock: Callable[[], float]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RecordingServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while size := int(self.rfile.readline().split(b";")[0], 16):
                body += self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()
            return body
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def _handle(self) -> None:
        url = urlsplit(self.path)
        request = Recorded(
            self.command,
            url.path,
            parse_qs(url.query, keep_blank_values=True),
            {name.lower(): value for name, value in self.headers.items()},
            self._body(),
        )
        reply = self.server.record(request)
        time.sleep(reply.delay)
        if reply.hang_up:
            self.close_connection = True
            return
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except ConnectionError:  # the client gave up waiting
            self.close_connection = True

    do_GET = do_POST = _handle


class RecordingServer(ThreadingHTTPServer):
    """Records requests and answers them; ``/request_token`` issues a new random token each time.

    ``routes`` maps a path to a function of the request giving the reply; ``token_fields`` are
    added to every token answer (e.g. ``expires_in``).
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.secret = "s3cr3t-" + secrets.token_hex(12)
        self.requests: list[Recorded] = []
        self.tokens: list[str] = []
        self.token_fields: dict[str, Any] = {}
        self.token_delay = 0.0
        self.routes: dict[str, Callable[[Recorded], Reply]] = {
            "/sms/send": lambda r: reply_json(SEND_OK)
        }
        self._lock = threading.Lock()

    def record(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
        if request.path == "/request_token" and "/request_token" not in self.routes:
            return self._issue_token(request)
        return self.routes[request.path](request)

    def _issue_token(self, request: Recorded) -> Reply:
        fields = request.form()
        if (fields.get("client_id"), fields.get("client_secret")) != (CLIENT_ID, self.secret):
            return reply_json(envelope("006", "Falha na autenticação"))
        time.sleep(self.token_delay)
        with self._lock:
            token = "tok" + secrets.token_hex(16)
            self.tokens.append(token)
        return reply_json({"access_token": token, **self.token_fields})

    def calls(self, path: str) -> list[Recorded]:
        """Return the requests made to ``path``, in order."""
        return [request for request in self.requests if request.path == path]

    def client(self, **options: Unpack[ClientOptions]) -> DirectCall:
        """Return a client of this server's account, with no credentials from the environment."""
        return DirectCall(CLIENT_ID, self.secret, base_url=self.url, environ={}, **options)
