"""`DirectCall`: the client of DirectCall's REST API, what a notebook or the send pipeline calls.

It keeps the access token for its lifetime, renews it before it ends, and renews it once more (and
repeats the call) when the server calls it invalid (``_session``). Every answer, JSON or XML, is
checked by its ``codigo``; a code other than ``"000"`` raises the matching
`directcall_nb.errors.APIError`. Failures of the connection are translated in one place
(``_connection``) into `RequestNotSent` (the request certainly never reached the server),
`ResponseLost` (it left, the answer never came) or `ServerFailure` (the answer is no DirectCall
envelope). Sends are never retried here: whoever calls decides. The secret and the token never
reach a repr, a log line, an exception or the locals of a frame the caller's traceback shows.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from directcall_nb.client._connection import ResponseFormat
from directcall_nb.client._credentials import resolve_base_url, resolve_credentials
from directcall_nb.client._fields import (
    audio_files,
    callerid_field,
    custom_fields,
    send_fields,
    window_fields,
)
from directcall_nb.client._listings import read_received, search_statement
from directcall_nb.client._recipients import spool_recipients
from directcall_nb.client._responses import APIResponse, SendResponse, StatusResponse
from directcall_nb.client._session import Session
from directcall_nb.client._statement import StatementSearch
from directcall_nb.vocabulary import Channel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DirectCall"]


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
        response_format: ResponseFormat = "JSON",
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._credentials = resolve_credentials(client_id, client_secret, environ)
        self._session = Session(
            self._credentials,
            resolve_base_url(base_url, environ),
            response_format=response_format,
            timeout=timeout,
            transport=transport,
            clock=clock,
        )
        self._tokens = self._session.tokens

    # -- life cycle --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API's address, without a trailing slash."""
        return self._session.connection.base_url

    @property
    def client_id(self) -> str:
        """The account's client id (not a secret)."""
        return self._credentials.client_id

    @property
    def response_format(self) -> str:
        """``"JSON"`` or ``"XML"``."""
        return self._session.connection.response_format

    def close(self) -> None:
        """Close the connections. The client cannot be used afterwards."""
        self._session.connection.close()

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
            f"DirectCall(base_url={self.base_url!r}, client_id={self.client_id!r}, "
            f"response_format={self.response_format!r})"
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
        channel: Channel = "sms",
        schedule: datetime | str | None = None,
        short_number: bool | None = None,
        show_sender: bool | None = None,
        audio: str | os.PathLike[str] | bytes | None = None,
        fields: Mapping[str, str] | None = None,
        num_tentativas: int | None = None,
        daily_hours: tuple[int, int] | None = None,
    ) -> SendResponse:
        """Send one text (SMS, or read aloud by a voice call) to one or many numbers.

        Parameters
        ----------
        to : str, int, or iterable of str / int
            The recipients, in DirectCall's format (``5541999990001``, or ``00`` + country code +
            number). Up to 10 go in the ``destino`` field; more go in a ``destino_csv`` file,
            streamed from a temporary file, so a generator of millions is fine.
        text : str
            The message, 1 to 700 characters; with ``audio`` it may be empty (``texto`` is then
            left out).
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
        num_tentativas : int, optional
            Calls per number of a voice send, 1 to 5; left out, DirectCall's default (3).
        daily_hours : (int, int), optional
            Voice only: the first and last whole hours (0 to 23, both included, Brasília time)
            in which DirectCall places the calls and their retries (``enviar_de`` /
            ``enviar_ate``), continuing on later days.

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
            with_audio=audio is not None,
            attempts=num_tentativas,
        )
        form.update(custom_fields(fields))
        form.update(window_fields(daily_hours, channel))
        files = audio_files(audio, channel)
        with spool_recipients(to) as recipients:
            form.update(recipients.form_fields())
            files.update(recipients.file_parts())
            answer = self._session.call("POST", "/sms/send", form, files)
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
        answer = self._session.call("GET", "/sms/status", {"code": code})
        return StatusResponse.from_answer(answer, code)

    def cancel(self, callerid: str | int) -> APIResponse:
        """Cancel a scheduled send (``GET /sms/remove``).

        Raises
        ------
        UnknownIdentifier
            ``010`` when the id is unknown or was already cancelled.
        """
        answer = self._session.call("GET", "/sms/remove", {"code": callerid_field(callerid)})
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
        return read_received(self._session.call, start, end, page=page, per_page=per_page)

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
        return search_statement(
            self._session.call,
            fields,
            start=start,
            end=end,
            sender=sender,
            max_pages=max_pages,
            response_format=self.response_format,
        )
