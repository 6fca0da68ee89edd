"""`DirectCall`: the HTTP client of DirectCall's REST API, the only module that speaks HTTP.

It keeps the access token for its lifetime, renews it before it ends, and renews it once more (and
repeats the call) when the server calls it invalid. Every answer, JSON or XML, is checked by its
``codigo``; a code other than ``"000"`` raises the matching `directcall_nb.errors.APIError`.
Failures of the connection are translated in one place into `RequestNotSent` (the request
certainly never reached the server), `ResponseLost` (it left, the answer never came) or
`ServerFailure` (the answer is no DirectCall envelope). Sends are never retried here: whoever
calls decides.

The secret and the token are revealed in one small function only (`DirectCall._transmit`),
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
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import httpx

from directcall_nb.client._credentials import (
    AccessToken,
    HideAccessTokens,
    Secret,
    TokenKeeper,
    is_loopback,
    resolve_base_url,
    resolve_credentials,
    token_lifetime,
)
from directcall_nb.client._responses import (
    Answer,
    APIResponse,
    Reply,
    SendResponse,
    StatementReader,
    StatementSearch,
    StatusResponse,
    codigo_of,
    list_items,
    parse_answer,
)
from directcall_nb.client._wire import (
    FilePart,
    audio_part,
    callerid_field,
    compact_date_field,
    custom_fields,
    date_field,
    send_fields,
    sender_field,
    spool_recipients,
)
from directcall_nb.errors import (
    ConfigurationError,
    InputError,
    RequestNotSent,
    ResponseLost,
    ServerFailure,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DirectCall"]

logger = logging.getLogger("directcall_nb.client")

#: httpx exceptions raised before a request could leave: nothing reached the server.
_NOT_SENT: tuple[type[httpx.RequestError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)

logging.getLogger("httpx").addFilter(HideAccessTokens())

#: A form field's value: text, or a secret revealed only when the request is written.
FieldValue = str | Secret


@dataclass(frozen=True)
class _Failed:
    """How an exchange failed before an answer came: ``not_sent``, ``lost`` or ``interrupted``."""

    kind: str
    detail: str


def _user_agent() -> str:
    try:
        version = metadata.version("directcall-nb")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"directcall-nb/{version}"


class DirectCall:
    """A client of DirectCall's REST API. Safe to share between threads.

    Parameters
    ----------
    client_id : str, optional
        The account's client id (its e-mail). Default: ``DIRECTCALL_CLIENT_ID`` in ``environ``.
    client_secret : str, optional
        The account's client secret. Default: ``DIRECTCALL_CLIENT_SECRET`` in ``environ``.
    base_url : str, optional
        The API's address. Default: ``DIRECTCALL_BASE_URL`` in ``environ``, else
        ``"https://api.directcallsoft.com"``. Plain ``http://`` is accepted only for loopback.
    timeout : float, default 30.0
        Seconds to wait to connect, and then between two pieces of the answer.
    environ : Mapping[str, str], default os.environ
        Where the defaults above are read.
    response_format : {"JSON", "XML"}, default "JSON"
        The answer format to ask for (``format`` field); both are read either way.
    transport : httpx.BaseTransport, optional
        Replaces httpx's network transport.
    clock : callable, default time.monotonic
        Where the time is read to know when the access token must be renewed.

    Raises
    ------
    MissingCredentials
        When the client id or secret is found nowhere.
    InsecureURL
        For plain ``http://`` to a host that is not loopback.

    Examples
    --------
    >>> with DirectCall() as dc:  # doctest: +SKIP
    ...     sent = dc.send(["5541999990001"], "Olá!", sender="5541999990000")
    ...     dc.status(sent.callerid)
    """

    def __init__(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 30.0,
        environ: Mapping[str, str] = os.environ,
        response_format: Literal["JSON", "XML"] = "JSON",
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._credentials = resolve_credentials(client_id, client_secret, environ)
        self._base_url = resolve_base_url(base_url, environ)
        fmt = str(response_format).upper()
        if fmt not in ("JSON", "XML"):
            raise ConfigurationError(f"response_format must be 'JSON' or 'XML', not {fmt!r}")
        self._format = fmt
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ConfigurationError(f"timeout must be a positive number of seconds: {timeout!r}")
        host = httpx.URL(self._base_url).host
        self._http = httpx.Client(
            timeout=httpx.Timeout(float(timeout)),
            transport=transport,
            follow_redirects=False,
            trust_env=not is_loopback(host),  # never send the sandbox's traffic to a proxy
            headers={"User-Agent": _user_agent()},
        )
        self._clock = clock
        self._tokens = TokenKeeper(self._request_token, clock=clock)

    # -- life cycle --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API's address, without a trailing slash."""
        return self._base_url

    @property
    def client_id(self) -> str:
        """The account's client id (not a secret)."""
        return self._credentials.client_id

    @property
    def response_format(self) -> str:
        """``"JSON"`` or ``"XML"``."""
        return self._format

    def close(self) -> None:
        """Close the connections. The client cannot be used afterwards."""
        self._http.close()

    def __enter__(self) -> DirectCall:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"DirectCall(base_url={self._base_url!r}, client_id={self.client_id!r}, "
            f"response_format={self._format!r})"
        )

    def token_expires_in(self) -> float | None:
        """Seconds of life left to the access token in hand; ``None`` before the first call."""
        return self._tokens.expires_in()

    def authenticate(self) -> None:
        """Make sure an access token is in hand, asking for one if needed (``/request_token``).

        A send calls this before it claims anything, so that wrong credentials stop it before a
        single message is recorded. Threads that ask at the same moment share one request, and
        share its failure.

        Raises
        ------
        AuthenticationError
            The credentials were refused.
        TransportError
            DirectCall could not be reached.
        """
        self._tokens.current()

    # -- endpoints ---------------------------------------------------------------------------------

    def send(
        self,
        to: str | int | Iterable[str | int],
        text: str,
        *,
        sender: str | int,
        channel: Literal["sms", "voice"] = "sms",
        schedule: datetime | str | None = None,
        short_number: bool | None = None,
        show_sender: bool | None = None,
        audio: str | os.PathLike[str] | bytes | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> SendResponse:
        """Send one text (SMS, or read aloud by a voice call) to one or many numbers.

        Parameters
        ----------
        to : str, int, or iterable of str / int
            The recipients, in DirectCall's format (``5541999990001``, or ``00`` + country code +
            number). Up to 10 go in the ``destino`` field; more go in a ``destino_csv`` file,
            streamed from a temporary file, so a generator of millions is fine.
        text : str
            The message, 1 to 700 characters.
        sender : str or int
            The sender number (``origem``).
        channel : {"sms", "voice"}, default "sms"
            Sent as ``tipo=texto`` or ``tipo=voz`` (always sent, though ``texto`` is the default).
        schedule : datetime or str, optional
            When to deliver (``cron``); a naive datetime is Brasília time, an aware one is
            converted. Must be in the future. A scheduled send can be cancelled.
        short_number : bool, optional
            Send through a short number (``short_number`` ``s`` / ``n``); ``None`` leaves it out.
        show_sender : bool, optional
            Put the sender number at the start of the SMS (``id_origem`` ``s`` / ``n``).
        audio : path or bytes, optional
            An MP3 (at most 4 MB) played instead of reading ``text``; voice only.
        fields : mapping of str to str, optional
            Custom fields kept by DirectCall with the send and shown in its usage statement
            (``campos[<name>]=<value>``), e.g. ``{"lote": "março"}``. A send recorded in a
            journal carries its request's id under ``directcall_nb``.

        Returns
        -------
        SendResponse
            With the ``callerid`` that `status` and `cancel` take.

        Raises
        ------
        InputError, MessageTooLong, InvalidSender, InvalidSchedule
            Before anything is sent; a bad recipient is named with its position.
        APIError
            The subclass for the ``codigo`` answered (e.g. `InsufficientBalance`).
        RequestNotSent, ResponseLost, ServerFailure
            When the exchange failed; the send is not retried.
        """
        form = send_fields(
            text,
            sender=sender,
            channel=channel,
            schedule=schedule,
            short_number=short_number,
            show_sender=show_sender,
        )
        form.update(custom_fields(fields))
        files: dict[str, FilePart] = {}
        audio_file = audio_part(audio, channel)
        if audio_file is not None:
            files["audio"] = audio_file
        with spool_recipients(to) as recipients:
            if recipients.inline is not None:
                form["destino"] = recipients.inline
            elif recipients.file is not None:
                files["destino_csv"] = recipients.file
            answer = self._call("POST", "/sms/send", form, files)
        return SendResponse.from_answer(answer)

    def status(self, callerid: str | int) -> StatusResponse:
        """Ask where the messages of one send stand (``GET /sms/status``).

        Parameters
        ----------
        callerid : str or int
            `SendResponse.callerid`.

        Raises
        ------
        InvalidParameters
            ``009`` when DirectCall knows no such id.
        """
        code = callerid_field(callerid)
        answer = self._call("GET", "/sms/status", {"code": code})
        return StatusResponse.from_answer(answer, code)

    def cancel(self, callerid: str | int) -> APIResponse:
        """Cancel a scheduled send (``GET /sms/remove``).

        Raises
        ------
        UnknownIdentifier
            ``010`` when the id is unknown or was already cancelled.
        """
        answer = self._call("GET", "/sms/remove", {"code": callerid_field(callerid)})
        return APIResponse.from_answer(answer)

    def received(
        self,
        start: datetime | date | str,
        end: datetime | date | str,
        *,
        page: int = 1,
        per_page: int = 100,
    ) -> pd.DataFrame:
        """List the SMS replies received between two moments (``POST /sms/recebimento``).

        Pages are fetched from ``page`` on, ``per_page`` items at a time, and put together. The
        last page is the one the answer's ``paginas`` names, or one with fewer than ``per_page``
        items, or one that repeats the page before (a server that ignores ``pagina``).

        Parameters
        ----------
        start, end : datetime, date or str
            The period; naive datetimes are Brasília time, a date alone covers its whole day.
        page : int, default 1
            The first page to fetch.
        per_page : int, default 100
            Items asked for per page (``itens_por_pagina``).

        Returns
        -------
        DataFrame
            One row per reply, with the fields DirectCall gives (at least ``origem``, ``destino``,
            ``texto``), in the order received.
        """
        import pandas as pd

        for name, number in (("page", page), ("per_page", per_page)):
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise InputError(f"{name} must be a whole number of at least 1, not {number!r}")
        fields = {
            "data_inicio": date_field(start, end_of_day=False),
            "data_fim": date_field(end, end_of_day=True),
        }
        if fields["data_inicio"] > fields["data_fim"]:
            raise InputError(
                f"the period starts ({fields['data_inicio']}) after it ends ({fields['data_fim']})"
            )
        rows: list[dict[str, Any]] = []
        previous: list[Any] | None = None
        number = page
        while True:
            fields.update(pagina=str(number), itens_por_pagina=str(per_page))
            answer = self._call("POST", "/sms/recebimento", fields)
            items = [item for item in list_items(answer.get("msg")) if isinstance(item, dict)]
            if items == previous:  # the server ignores ``pagina``: nothing new
                break
            rows.extend(items)
            pages = answer.get("paginas")
            last = str(pages).isdigit() and number >= int(str(pages))
            if last or len(items) < per_page:
                break
            previous, number = items, number + 1
        frame = pd.DataFrame(rows)
        for column in ("origem", "destino", "texto"):
            if column not in frame.columns:
                frame[column] = pd.Series(dtype="string")
        return frame

    def search_statement(
        self,
        fields: Mapping[str, str],
        *,
        start: datetime | str,
        end: datetime | str,
        sender: str | int | None = None,
        max_pages: int = 100,
    ) -> StatementSearch:
        """Look for a send by its custom field in the usage statement (``POST /extrato/list``).

        The statement of the period is asked for, filtered by ``fields`` (and the sender), page
        after page, until an entry carries the field's value or the pages end. DirectCall does
        not document the statement's answer, so it is read defensively, in JSON or XML: an entry
        is the send's when one of its values is exactly the field's value; the send is
        ``absent`` only when every page was read and every entry shows its custom fields.
        Anything else is ``unknown``, never ``absent``.

        Parameters
        ----------
        fields : mapping of str to str
            One custom field the send carried, e.g. ``{"directcall_nb": "<journal>-<id>"}``;
            its value is what is looked for.
        start, end : datetime or str
            The period (``dataInicial``, ``dataFinal``); naive datetimes are Brasília time.
        sender : str or int, optional
            The send's sender (``numeroOrigem``).
        max_pages : int, default 100
            Pages read at most.

        Returns
        -------
        StatementSearch
            ``listed`` (with the entries and the callerid), ``absent`` or ``unknown``, and why.

        Raises
        ------
        InputError
            A bad field, period or sender, before anything is sent.
        APIError
            The statement answered a ``codigo`` other than ``000``.
        TransportError
            The statement could not be asked, or its answer is no DirectCall envelope.
        """
        written = custom_fields(fields)
        if len(written) != 1:
            raise InputError("search_statement looks for one custom field at a time")
        (value,) = written.values()
        if not value.strip():
            raise InputError("the custom field looked for must have a value")
        if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
            raise InputError(f"max_pages must be a whole number of at least 1, not {max_pages!r}")
        form = {
            "dataInicial": compact_date_field(start),
            "dataFinal": compact_date_field(end),
            # Its default is not documented (and the field is not ``format`` here): always said.
            "formato": self._format,
            **written,
        }
        if form["dataInicial"] > form["dataFinal"]:
            raise InputError(
                f"the period starts ({form['dataInicial']}) after it ends ({form['dataFinal']})"
            )
        if sender is not None:
            form["numeroOrigem"] = sender_field(sender)
        period = f"{form['dataInicial']} to {form['dataFinal']} (Brasília time)"
        reader = StatementReader(value.strip(), period=period, max_pages=max_pages)
        while True:
            form["pagina"] = str(reader.page)
            answer = self._call("POST", "/extrato/list", form, format_field=None)
            found = reader.feed(answer)
            if found is not None:
                return found

    # -- the token ---------------------------------------------------------------------------------

    def _request_token(self) -> AccessToken:
        path = "/request_token"
        fields: dict[str, FieldValue] = {
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret,
        }
        requested_at = self._clock()
        reply = self._exchange("POST", path, fields)
        return AccessToken.issued(
            reply.access_token(path),
            token_lifetime(reply.answer or {}, reply.access_token(path)),
            requested_at=requested_at,
        )

    # -- one call ----------------------------------------------------------------------------------

    def _call(
        self,
        method: Literal["GET", "POST"],
        path: str,
        fields: dict[str, str],
        files: Mapping[str, FilePart] | None = None,
        *,
        format_field: str | None = "format",
    ) -> Answer:
        """Make one API call with the token, renewing it once if refused; check the answer.

        ``format_field`` names the field that asks for XML when the client reads XML; None when
        ``fields`` already choose the format.
        """
        token = self._token_for(path, self._tokens.current)
        reply = self._exchange(method, path, fields, files, token, format_field)
        if reply.token_refused:
            refused = token
            token = self._token_for(path, lambda: self._tokens.renewed(refused))
            reply = self._exchange(method, path, fields, files, token, format_field)
            if reply.token_refused:
                raise reply.refusal(path)
        return reply.checked(path)

    @staticmethod
    def _token_for(path: str, get: Callable[[], AccessToken]) -> AccessToken:
        """A token for a call to ``path``; if none can be had, that call certainly never left.

        A lost or broken answer of ``/request_token`` leaves no doubt about the call itself,
        which waits for the token: it is `RequestNotSent`, not the token's own failure.
        """
        try:
            return get()
        except (ResponseLost, ServerFailure) as exc:
            raise RequestNotSent(
                f"no access token could be obtained, so {path} was not called ({exc})",
                endpoint=exc.endpoint,
            ) from exc

    def _exchange(
        self,
        method: Literal["GET", "POST"],
        path: str,
        fields: Mapping[str, FieldValue],
        files: Mapping[str, FilePart] | None = None,
        token: AccessToken | None = None,
        format_field: str | None = "format",
    ) -> Reply:
        """Make one HTTP request; the one place where httpx's failures are translated.

        The exceptions are raised here, outside any ``except`` block, so that none carries
        httpx's error as its cause or context.
        """
        started = time.perf_counter()
        sent = self._transmit(method, self._base_url + path, fields, files, token, format_field)
        if isinstance(sent, _Failed):
            if sent.kind == "interrupted":
                self._log(method, path, "interrupted", started)
                raise KeyboardInterrupt
            if sent.kind == "not_sent":
                self._log(method, path, "not sent", started)
                raise RequestNotSent(
                    f"could not connect to {httpx.URL(self._base_url).host}, nothing was sent "
                    f"({sent.detail})",
                    endpoint=path,
                )
            self._log(method, path, "no answer", started)
            raise ResponseLost(
                "the request left but no complete answer came back, so it may or may not have "
                f"been carried out ({sent.detail})",
                endpoint=path,
            )
        status_code, body = sent
        answer = parse_answer(body)
        codigo = codigo_of(answer) if answer is not None else None
        self._log(method, path, f"HTTP {status_code} codigo {codigo or '-'}", started)
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
            form["access_token"] = token.value.reveal()
        if format_field is not None and self._format == "XML":
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
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        text = text.replace(self._credentials.client_secret.reveal(), "[hidden]")
        return self._tokens.hide(text)

    @staticmethod
    def _log(method: str, path: str, outcome: str, started: float) -> None:
        elapsed = time.perf_counter() - started
        logger.info("%s %s -> %s in %.3f s", method, path, outcome, elapsed)


def _revealed(value: FieldValue) -> str:
    return value.reveal() if isinstance(value, Secret) else value
