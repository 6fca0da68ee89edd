"""`Sandbox`: the local DirectCall imitation, served by uvicorn in a background thread.

The server runs in a thread with its own event loop (see
:mod:`~directcall_nb.sandbox._threaded`), so a sandbox starts the same way from a script, a
test, or a Jupyter cell whose thread already runs a loop. It binds loopback addresses only.
"""

from __future__ import annotations

import math
import os
import secrets
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from directcall_nb.sandbox._app import SandboxApp
from directcall_nb.sandbox._clock import Clock, SandboxClock
from directcall_nb.sandbox._control import Controls
from directcall_nb.sandbox._endpoints import DirectCallAPI
from directcall_nb.sandbox._faults import Faults
from directcall_nb.sandbox._frames import messages_frame, replies_frame, requests_frame
from directcall_nb.sandbox._state import SandboxState
from directcall_nb.sandbox._threaded import BackgroundServer

if TYPE_CHECKING:
    import pandas as pd

    from directcall_nb.client import DirectCall

__all__ = ["DEFAULT_BALANCE", "DEFAULT_CLIENT_ID", "Sandbox"]

#: Credits of a new sandbox account: one per 140-character SMS part, one per voice call.
DEFAULT_BALANCE = 10_000
#: The demo account's client id.
DEFAULT_CLIENT_ID = "demo@sandbox.local"


class Sandbox:
    """A local server that imitates the DirectCall API, for demos, tutorials and tests.

    Parameters
    ----------
    host : str
        A loopback address; anything else is refused.
    port : int
        The port; 0 picks a free one (kept across `stop` and `start`).
    balance : int or None
        Credits of the account: one per 140-character SMS part per recipient, one per voice
        call. ``None`` gives a new account 10,000 and keeps the balance stored in ``database``.
    token_ttl : float
        Seconds an access token lives.
    expires_in : bool
        Whether ``/request_token`` also answers ``expires_in`` (by default only the token, a JWT
        whose ``exp`` claim tells its end).
    invalid_token : {"401", "006"}
        How an expired or unknown token is answered: HTTP 401 with
        ``{"error": "invalid_token", ...}`` (default), or an envelope with ``codigo "006"``.
    latency : float
        Seconds added before every answer of the API.
    faults : Faults or None
        Probabilities of server errors and dropped connections.
    database : str or os.PathLike
        ``":memory:"``, or a SQLite file that keeps sends and balance between runs.
    client_id : str, optional
        The demo account's id. By default ``demo@sandbox.local`` for a sandbox kept in a file,
        and a new ``demo-<random>@sandbox.local`` for one in memory: a new sandbox is a new
        account, so the journal never takes its messages for ones a previous sandbox received.
    client_secret : str or None
        Its secret; a random one when not given. Never shown by the repr.
    clock : callable or None
        What the sandbox reads the time from (a function returning a POSIX time, such as a
        :class:`~directcall_nb.sandbox._clock.ManualClock`); ``None`` is the real clock. Token
        expiry, schedules, delivery windows and the statement all follow it, and
        :attr:`clock` moves it further.

    Examples
    --------
    >>> with Sandbox() as sb:  # doctest: +SKIP
    ...     client = sb.client()
    ...     sb.messages()
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        balance: int | None = None,
        token_ttl: float = 3600.0,
        expires_in: bool = False,
        invalid_token: Literal["401", "006"] = "401",
        latency: float = 0.0,
        faults: Faults | None = None,
        database: str | os.PathLike[str] = ":memory:",
        client_id: str | None = None,
        client_secret: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be a whole number from 0 to 65535, not {port!r}")
        if balance is not None and (
            isinstance(balance, bool) or not isinstance(balance, int) or balance < 0
        ):
            raise ValueError(f"balance is a whole number of credits >= 0, not {balance!r}")
        if isinstance(token_ttl, bool) or not isinstance(token_ttl, int | float):
            raise TypeError(f"token_ttl must be a number of seconds, not {token_ttl!r}")
        if not 0 < token_ttl < math.inf:
            raise ValueError(f"token_ttl must be a positive number of seconds, not {token_ttl!r}")
        if invalid_token not in ("401", "006"):
            raise ValueError(f"invalid_token must be '401' or '006', not {invalid_token!r}")
        if client_id is None:
            in_memory = str(database) == ":memory:"
            client_id = (
                f"demo-{secrets.token_hex(4)}@sandbox.local" if in_memory else DEFAULT_CLIENT_ID
            )
        if not client_id or not client_id.strip():
            raise ValueError("client_id must not be empty")
        if client_secret is not None and not client_secret:
            raise ValueError("client_secret must not be empty (leave it out for a random one)")
        self._server = BackgroundServer(host, port)
        self._client_id = client_id
        self._client_secret = client_secret or secrets.token_urlsafe(18)
        self._state = SandboxState(
            database, client_id=client_id, balance=balance, default_balance=DEFAULT_BALANCE
        )
        self._clock = SandboxClock(clock)
        api = DirectCallAPI(
            self._state,
            clock=self._clock,
            client_id=client_id,
            client_secret=self._client_secret,
            token_ttl=float(token_ttl),
            expires_in=bool(expires_in),
            invalid_token=invalid_token,
        )
        self._api = api
        self._controls = Controls(api, latency=latency, faults=faults)
        self._app = SandboxApp(api, self._controls, close_connection=self._server.close_connection)

    # -- identity ------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The loopback address served."""
        return self._server.host

    @property
    def port(self) -> int:
        """The port served (0 until the first `start` when a free port was asked for)."""
        return self._server.port

    @property
    def url(self) -> str:
        """The base URL of the API, e.g. ``http://127.0.0.1:8123``."""
        if self._server.port == 0:
            raise RuntimeError("the sandbox has no port yet: call start() or use `with Sandbox()`")
        return self._server.url

    @property
    def client_id(self) -> str:
        """The demo account's client id."""
        return self._client_id

    @property
    def client_secret(self) -> str:
        """The demo account's client secret."""
        return self._client_secret

    @property
    def running(self) -> bool:
        """Whether the server is serving."""
        return self._server.running

    def __repr__(self) -> str:
        where = self.url if self.port else f"{self.host}:<free port>"
        state = "running" if self.running else "stopped"
        return f"Sandbox({where}, client_id={self._client_id!r}, {state})"

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Start serving in a background thread; return once the socket accepts connections."""
        self._server.start(self._app)
        return self

    def stop(self) -> None:
        """Stop serving (open connections are closed); the stored state stays readable."""
        self._server.stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def client(self, **kwargs: Any) -> DirectCall:
        """Return a :class:`directcall_nb.client.DirectCall` for this sandbox's account and URL."""
        from directcall_nb.client import DirectCall

        return DirectCall(self._client_id, self._client_secret, base_url=self.url, **kwargs)

    # -- inspection and control ----------------------------------------------------------------

    @property
    def clock(self) -> SandboxClock:
        """The sandbox's time, which a test can move.

        ``sb.clock.advance(minutes=10)``, ``sb.clock.set(...)``, ``sb.clock.now()``. Also
        ``GET`` / ``POST /_sandbox/clock`` (``advance`` or ``at``).
        """
        return self._clock

    @property
    def balance(self) -> int:
        """Credits left."""
        return self._state.balance

    def set_balance(self, credits: int) -> None:
        """Set the credits left (a whole number, zero or more)."""
        self._controls.set_balance(credits)

    def messages(self) -> pd.DataFrame:
        """Return one row per recipient message, scheduled ones included (see `messages_frame`)."""
        return messages_frame(self._controls.message_rows())

    def requests(self) -> pd.DataFrame:
        """Return one row per API request.

        Columns: ``time``, ``method``, ``endpoint``, ``http_status`` (missing when the
        connection was dropped), ``codigo``, ``fault``, and for ``/sms/send`` the
        ``recipients`` (a tuple of numbers) and ``texto`` it carried.
        """
        return requests_frame(self._controls.request_rows())

    def reply(
        self,
        phone: str,
        text: str,
        at: datetime | str | float | None = None,
        *,
        to: str | None = None,
    ) -> int:
        """Queue an SMS that ``phone`` sends to the account, listed by ``/sms/recebimento``.

        Also ``POST /_sandbox/replies`` with ``phone``, ``text``, ``at``, ``to``.

        Parameters
        ----------
        phone : str
            The phone that replies, in digits.
        text : str
            What it writes, e.g. ``"SAIR"``.
        at : datetime, str, float or None
            When it arrives (a naive datetime or a string is Brazil time; a number is a POSIX
            time); default the sandbox's now. A reply is listed only once the sandbox's clock
            has reached it, so a test can queue one and move the clock.
        to : str or None
            The number it writes to; default the sender of the latest message sent to it.

        Returns
        -------
        int
            The reply's ``id`` in the listing.
        """
        return self._controls.reply(phone, text, at, to)

    def add_reply(
        self,
        origem: str,
        texto: str,
        when: datetime | str | None = None,
        *,
        destino: str | None = None,
    ) -> None:
        """Queue a reply as :meth:`reply` does, with DirectCall's names for the fields."""
        self._controls.reply(origem, texto, when, destino)

    def replies(self) -> pd.DataFrame:
        """Return every reply queued, as a DataFrame.

        Columns: ``id``, ``origem``, ``destino``, ``texto``, ``received_at`` (Brazil time) and
        ``arrived`` (whether the sandbox's clock has reached it).
        """
        return replies_frame(self._controls.reply_rows())

    @property
    def faults(self) -> Faults:
        """The fault probabilities in force."""
        return self._controls.faults

    def set_faults(self, faults: Faults | None) -> None:
        """Replace the fault probabilities (``None`` for none); their generator restarts."""
        self._controls.set_faults(faults)

    @property
    def latency(self) -> float:
        """Seconds added before every answer of the API."""
        return self._controls.latency

    def set_latency(self, seconds: float) -> None:
        """Change the seconds added before every answer of the API."""
        self._controls.latency = seconds

    @property
    def voice_calls_per_minute(self) -> float | None:
        """Calls per minute of a voice batch; ``None`` (the default) places them all at once."""
        return self._controls.voice_calls_per_minute

    def set_voice_calls_per_minute(self, rate: float | None) -> None:
        """Place a voice batch's calls at ``rate`` per minute.

        The calls go one after another within the batch's window (``enviar_de`` /
        ``enviar_ate``), the rest waiting for the next day's window; ``None`` places them all
        at once. Also ``POST /_sandbox/voice`` (``calls_per_minute``).
        """
        self._controls.voice_calls_per_minute = rate

    @property
    def statement_delay(self) -> float:
        """Seconds of sandbox time before a delivered message appears in ``/extrato/list``."""
        return self._controls.statement_delay

    def set_statement_delay(self, seconds: float) -> None:
        """Delay the usage statement by ``seconds`` (default 0).

        A message delivered at ``t`` is listed from ``t + seconds`` (sandbox time) on, so that a
        client meets a send too recent to be in it.
        """
        self._controls.statement_delay = seconds

    def set_statement_page_size(self, entries: int) -> None:
        """Entries per page of ``/extrato/list`` (default 100; DirectCall documents none)."""
        self._controls.statement_page_size = entries

    def set_delivery_status(self, phone: str, status: str) -> None:
        """Make messages to ``phone`` end up ``entregue``, ``aguardando`` or ``nao_entregue``."""
        self._controls.set_delivery_outcome(phone, status)

    def expire_tokens(self) -> None:
        """Invalidate every access token issued so far (the next call gets HTTP 401)."""
        self._state.expire_tokens()

    def change_secret(self, client_secret: str | None = None) -> str:
        """Change the account's secret, as in DirectCall's panel, and invalidate every token.

        Clients holding the old secret are refused (``006``) at their next login.

        Returns
        -------
        str
            The new secret (random unless given).
        """
        secret = client_secret or secrets.token_urlsafe(18)
        self._client_secret = secret
        self._api.change_secret(secret)
        self._state.expire_tokens()
        return secret
