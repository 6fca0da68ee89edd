"""One HTTP request to DirectCall: written with its secrets, its failures translated, logged.

`Connection` holds httpx's client for one base URL. `Connection.exchange` makes one request and
returns the `Reply`, or raises `RequestNotSent` (the request certainly never reached the server)
or `ResponseLost` (it left, the answer never came); it never retries, and it does not judge the
answer: the token's life cycle and the ``codigo`` are the client's (``_client``).

The secret and the token are revealed in one small function only (`Connection._transmit`),
which returns nothing but the HTTP status and the body: no exception the caller receives is
chained to an httpx error (whose request holds the form, and the URL of a GET holds the
token), and no frame of the traceback the caller sees holds either of them in a local.

One line per request is logged to the ``directcall_nb.client`` logger (method, path, HTTP
status, codigo, elapsed time); never a body, the secret or the token. Because httpx logs whole
URLs, and the token is a query field of the GET endpoints, importing this module adds a filter to
the ``httpx`` logger that hides ``access_token`` values.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import Literal

import httpx

from directcall_nb.client._credentials import (
    ACCESS_TOKEN_FIELD,
    AccessToken,
    HideAccessTokens,
    Secret,
    is_loopback,
)
from directcall_nb.client._envelope import Reply, codigo_of, parse_answer
from directcall_nb.client._fields import FilePart
from directcall_nb.errors import ConfigurationError, RequestNotSent, ResponseLost

__all__ = ["FORMAT_FIELD", "RESPONSE_FORMATS", "Connection", "FieldValue", "ResponseFormat"]

logger = logging.getLogger("directcall_nb.client")

logging.getLogger("httpx").addFilter(HideAccessTokens())

#: The answer formats DirectCall writes.
ResponseFormat = Literal["JSON", "XML"]
RESPONSE_FORMATS: tuple[ResponseFormat, ...] = ("JSON", "XML")

#: The field that asks an endpoint for XML (the usage statement names it otherwise).
FORMAT_FIELD = "format"

#: A form field's value: text, or a secret revealed only when the request is written.
FieldValue = str | Secret

#: httpx exceptions raised before a request could leave: nothing reached the server.
_NOT_SENT: tuple[type[httpx.RequestError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)


@dataclass(frozen=True)
class _Failed:
    """How an exchange failed before an answer came: ``not_sent``, ``lost`` or ``interrupted``."""

    kind: str
    detail: str


class Connection:
    """The HTTP side of a client: one base URL, one answer format, one pool of connections.

    Parameters
    ----------
    base_url : str
        The API's address, already checked, without a trailing slash.
    response_format : {"JSON", "XML"}
        The answer format to ask for; any other value is refused.
    timeout : float
        Seconds to wait to connect, and then between two pieces of the answer.
    transport : httpx.BaseTransport or None
        Replaces httpx's network transport.
    hide : callable
        Masks the secret and the token in a text (a failure's description).

    Raises
    ------
    ConfigurationError
        For a response format other than JSON or XML, or a timeout that is not a positive number.
    """

    def __init__(
        self,
        base_url: str,
        *,
        response_format: str,
        timeout: float,
        transport: httpx.BaseTransport | None,
        hide: Callable[[str], str],
    ) -> None:
        fmt = str(response_format).upper()
        if fmt not in RESPONSE_FORMATS:
            raise ConfigurationError(f"response_format must be 'JSON' or 'XML', not {fmt!r}")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ConfigurationError(f"timeout must be a positive number of seconds: {timeout!r}")
        self.base_url = base_url
        self.response_format = fmt
        self._hide = hide
        self._http = httpx.Client(
            timeout=httpx.Timeout(float(timeout)),
            transport=transport,
            follow_redirects=False,
            trust_env=not is_loopback(httpx.URL(base_url).host),  # the sandbox's: no proxy
            headers={"User-Agent": _user_agent()},
        )

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def exchange(
        self,
        method: Literal["GET", "POST"],
        path: str,
        fields: Mapping[str, FieldValue],
        *,
        files: Mapping[str, FilePart] | None = None,
        token: AccessToken | None = None,
        format_field: str | None,
    ) -> Reply:
        """Make one HTTP request; the one place where httpx's failures are translated.

        ``format_field`` names the field that asks for XML when the client reads XML; None when
        ``fields`` already choose the format. The exceptions are raised here, outside any
        ``except`` block, so that none carries httpx's error as its cause or context.

        Raises
        ------
        RequestNotSent
            The request certainly never reached the server.
        ResponseLost
            The request left, but no complete answer came back.
        """
        started = time.perf_counter()
        sent = self._transmit(method, self.base_url + path, fields, files, token, format_field)
        if isinstance(sent, _Failed):
            if sent.kind == "interrupted":
                _log(method, path, "interrupted", started)
                raise KeyboardInterrupt
            if sent.kind == "not_sent":
                _log(method, path, "not sent", started)
                raise RequestNotSent(
                    f"could not connect to {httpx.URL(self.base_url).host}, nothing was sent "
                    f"({sent.detail})",
                    endpoint=path,
                )
            _log(method, path, "no answer", started)
            raise ResponseLost(
                "the request left but no complete answer came back, so it may or may not have "
                f"been carried out ({sent.detail})",
                endpoint=path,
            )
        status_code, body = sent
        answer = parse_answer(body)
        codigo = codigo_of(answer) if answer is not None else None
        _log(method, path, f"HTTP {status_code} codigo {codigo or '-'}", started)
        return Reply(status_code, answer)

    def _transmit(
        self,
        method: Literal["GET", "POST"],
        url: str,
        fields: Mapping[str, FieldValue],
        files: Mapping[str, FilePart] | None,
        token: AccessToken | None,
        format_field: str | None,
    ) -> tuple[int, bytes] | _Failed:
        """Write the request with its secrets and return only the answer's status and body.

        The only frame where the secret and the token are plain text. Nothing raised below it
        escapes it: a failure comes back as `_Failed`, described with the secrets masked.
        """
        form = {name: _revealed(value) for name, value in fields.items()}
        if token is not None:
            form[ACCESS_TOKEN_FIELD] = token.value.reveal()
        if format_field is not None and self.response_format == "XML":
            form[format_field] = "XML"
        try:
            if method == "GET":
                response = self._http.get(url, params=form)
            else:
                response = self._http.post(url, data=form, files=dict(files) if files else None)
            return response.status_code, response.content
        except _NOT_SENT as exc:
            return _Failed("not_sent", self._describe(exc))
        except KeyboardInterrupt:
            return _Failed("interrupted", "")
        except Exception as exc:  # the request may have left: the answer is lost
            return _Failed("lost", self._describe(exc))
        finally:
            form.clear()

    def _describe(self, exc: Exception) -> str:
        """Return the failure ``exc`` in words, with the secret and the token masked."""
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return self._hide(text)


def _log(method: str, path: str, outcome: str, started: float) -> None:
    """Log the one line of a request: method, path, outcome and elapsed time."""
    elapsed = time.perf_counter() - started
    logger.info("%s %s -> %s in %.3f s", method, path, outcome, elapsed)


def _revealed(value: FieldValue) -> str:
    """Return a field's value as it is written on the wire."""
    return value.reveal() if isinstance(value, Secret) else value


def _user_agent() -> str:
    """Return the ``User-Agent`` header: ``directcall-nb/<version>``."""
    try:
        version = metadata.version("directcall-nb")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"directcall-nb/{version}"
