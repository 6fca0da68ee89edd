"""Inspection and fault control of a running sandbox, from Python and under ``/_sandbox/``.

These are things the real DirectCall does not have: what was delivered, the balance, the
request log, fake inbound replies, chosen delivery outcomes, the clock, latency and faults. The
real API's paths never lead here, and the ``/_sandbox/`` routes answer plain JSON, not envelopes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from directcall_nb.sandbox._clock import parse_moment
from directcall_nb.sandbox._endpoints import DirectCallAPI
from directcall_nb.sandbox._faults import FaultInjector, Faults
from directcall_nb.sandbox._state import DELIVERY_OUTCOMES
from directcall_nb.sandbox._wire import BRAZIL, JSON_TYPE
from directcall_nb.vocabulary import is_digits

__all__ = ["MAX_LATENCY", "PREFIX", "Controls"]

#: Where the sandbox's own routes live.
PREFIX = "/_sandbox"

#: The most latency that can be added, in seconds: more would look like a server that hangs.
MAX_LATENCY = 600.0

_MAX_CONTROL_BODY = 1024 * 1024
_PHONE = re.compile(r"[0-9]{1,20}")
_TIME_COLUMNS = ("scheduled_for", "sent_at", "time", "received_at")


class ControlError(ValueError):
    """A ``/_sandbox`` request that cannot be carried out (answered with HTTP 400)."""


def _iso(epoch: Any) -> str | None:
    if epoch is None or (isinstance(epoch, float) and math.isnan(epoch)):
        return None
    return datetime.fromtimestamp(float(epoch), BRAZIL).isoformat()


class Controls:
    """The sandbox's knobs and views, shared by :class:`Sandbox` and the ``/_sandbox`` routes.

    Parameters
    ----------
    api : DirectCallAPI
        The endpoints whose state is inspected.
    latency : float
        Seconds added before every answer of the API.
    faults : Faults or None
        Fault probabilities; ``None`` means none.
    """

    def __init__(self, api: DirectCallAPI, *, latency: float, faults: Faults | None) -> None:
        self.api = api
        self.state = api.state
        self.clock = api.clock
        self.injector = FaultInjector(faults)
        self._latency = 0.0
        self.latency = latency

    # -- settings ------------------------------------------------------------------------------

    @property
    def latency(self) -> float:
        """Seconds added before every answer of the API (not of ``/_sandbox``)."""
        return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise TypeError(f"latency must be a number of seconds, not {seconds!r}")
        if not 0.0 <= float(seconds) <= MAX_LATENCY:
            raise ValueError(f"latency must be from 0 to {MAX_LATENCY:g} seconds, not {seconds!r}")
        self._latency = float(seconds)

    @property
    def faults(self) -> Faults:
        """The fault probabilities in force."""
        return self.injector.faults

    def set_faults(self, faults: Faults | None) -> None:
        """Replace the fault probabilities (``None`` for none) and restart their generator."""
        self.injector.configure(faults)

    def set_balance(self, credits: int) -> None:
        """Set the account's credits (a whole number, zero or more)."""
        if isinstance(credits, bool) or not isinstance(credits, int) or credits < 0:
            raise ValueError(f"the balance is a whole number of credits >= 0, not {credits!r}")
        self.state.set_balance(credits)

    @property
    def voice_calls_per_minute(self) -> float | None:
        """Calls per minute of a voice batch; ``None`` places them all at once."""
        return self.api.voice_calls_per_minute

    @voice_calls_per_minute.setter
    def voice_calls_per_minute(self, rate: float | None) -> None:
        if rate is not None:
            if isinstance(rate, bool) or not isinstance(rate, int | float):
                raise TypeError(f"the rate must be a number of calls per minute, not {rate!r}")
            if not 0.001 <= float(rate) <= 1_000_000:
                raise ValueError(f"the rate must be from 0.001 to 1000000 calls, not {rate!r}")
            rate = float(rate)
        self.api.voice_calls_per_minute = rate

    @property
    def statement_delay(self) -> float:
        """Seconds of sandbox time before a delivered message appears in ``/extrato/list``."""
        return self.api.statement_delay

    @statement_delay.setter
    def statement_delay(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise TypeError(f"the statement delay must be a number of seconds, not {seconds!r}")
        if not 0.0 <= float(seconds) < math.inf:
            raise ValueError(f"the statement delay must be zero or more seconds, not {seconds!r}")
        self.api.statement_delay = float(seconds)

    @property
    def statement_page_size(self) -> int:
        """Entries per page of ``/extrato/list``."""
        return self.api.statement_page_size

    @statement_page_size.setter
    def statement_page_size(self, entries: int) -> None:
        if isinstance(entries, bool) or not isinstance(entries, int) or not 1 <= entries <= 10_000:
            raise ValueError(f"the page size is a whole number from 1 to 10000, not {entries!r}")
        self.api.statement_page_size = entries

    def set_delivery_outcome(self, phone: str, status: str) -> None:
        """Choose what messages to ``phone`` end up as.

        ``entregue``, ``aguardando`` or ``nao_entregue``; it applies to messages delivered from
        now on.
        """
        if status not in DELIVERY_OUTCOMES:
            raise ValueError(f"status must be one of {', '.join(DELIVERY_OUTCOMES)}: {status!r}")
        self.state.set_outcome(str(phone).strip(), status)

    def reply(
        self,
        phone: str,
        text: str,
        at: datetime | str | float | None = None,
        to: str | None = None,
    ) -> int:
        """Queue an inbound SMS that ``/sms/recebimento`` lists once the clock reaches ``at``.

        ``to`` defaults to the sender of the latest message sent to ``phone``. Returns the
        reply's id.
        """
        phone = str(phone).strip()
        if not _PHONE.fullmatch(phone):
            raise ValueError(f"the phone that replies must be digits only, not {phone!r}")
        if not isinstance(text, str):
            raise TypeError(f"the text of a reply must be a string, not {type(text).__name__}")
        if to is None:
            to = self.state.last_sender_to(phone) or ""
        to = str(to).strip()
        if to and not _PHONE.fullmatch(to):
            raise ValueError(f"the number replied to must be digits only, not {to!r}")
        return self.state.inbox.add(phone, to, text, parse_moment(at, self.clock))

    def reply_rows(self) -> list[dict[str, Any]]:
        """Return every inbound SMS queued, with ``arrived``: whether the clock has reached it."""
        now = self.clock()
        return [{**row, "arrived": row["received_at"] <= now} for row in self.state.inbox.rows()]

    # -- views ---------------------------------------------------------------------------------

    def message_rows(self) -> list[dict[str, Any]]:
        """Return every recipient message, after delivering the scheduled sends that are due."""
        self.state.deliver_due(self.clock())
        return self.state.message_rows()

    def request_rows(self) -> list[dict[str, Any]]:
        """Return every API request logged so far."""
        return self.state.log.rows()

    # -- the /_sandbox routes ------------------------------------------------------------------

    def _routes(self) -> dict[tuple[str, str], Callable[[Mapping[str, Any]], Any]]:
        return {
            ("GET", ""): lambda _: {
                "routes": sorted({f"{PREFIX}/{p}".rstrip("/") for _, p in self._routes()})
            },
            ("GET", "messages"): lambda _: {"messages": self._json_rows(self.message_rows())},
            ("GET", "requests"): lambda _: {"requests": self._json_rows(self.request_rows())},
            ("GET", "balance"): lambda _: {"balance": self.state.balance},
            ("POST", "balance"): self._post_balance,
            ("GET", "faults"): lambda _: self.faults.as_dict(),
            ("POST", "faults"): self._post_faults,
            ("GET", "latency"): lambda _: {"latency": self.latency},
            ("POST", "latency"): self._post_latency,
            ("GET", "replies"): lambda _: {"replies": self._json_rows(self.reply_rows())},
            ("POST", "replies"): self._post_reply,
            ("POST", "outcomes"): self._post_outcome,
            ("POST", "expire_tokens"): self._post_expire_tokens,
            ("GET", "clock"): lambda _: self._clock_view(),
            ("GET", "statement"): lambda _: self._statement_view(),
            ("GET", "voice"): lambda _: {"calls_per_minute": self.voice_calls_per_minute},
            ("POST", "voice"): self._post_voice,
            ("POST", "statement"): self._post_statement,
            ("POST", "clock"): self._post_clock,
        }

    @staticmethod
    def _json_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: _iso(v) if k in _TIME_COLUMNS else v for k, v in row.items()} for row in rows]

    def _post_balance(self, body: Mapping[str, Any]) -> dict[str, Any]:
        try:
            credits = int(str(body["balance"]))
        except (KeyError, ValueError):
            raise ControlError("send balance=<whole number of credits>") from None
        self.set_balance(credits)
        return {"balance": self.state.balance}

    def _post_faults(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self.set_faults(Faults.from_mapping(body))
        return self.faults.as_dict()

    def _post_latency(self, body: Mapping[str, Any]) -> dict[str, Any]:
        try:
            self.latency = float(str(body["latency"]))
        except (KeyError, ValueError):
            raise ControlError("send latency=<seconds>") from None
        return {"latency": self.latency}

    def _post_reply(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Queue the reply that a ``POST /_sandbox/replies`` body describes.

        The body gives ``phone`` and ``text``, optional ``at`` and ``to`` (or DirectCall's own
        names: ``origem``, ``texto``, ``when``, ``destino``).
        """

        def one(*names: str) -> Any:
            given = [name for name in names if name in body]
            if len(given) > 1:
                raise ControlError(f"send one of {' or '.join(names)}, not both")
            return body[given[0]] if given else None

        phone, text = one("phone", "origem"), one("text", "texto")
        if phone is None or text is None:
            raise ControlError("send phone=<digits> and text=<text> (at and to optional)")
        to = one("to", "destino")
        reply_id = self.reply(
            str(phone), str(text), one("at", "when"), None if to is None else str(to)
        )
        return {"id": reply_id}

    def _post_outcome(self, body: Mapping[str, Any]) -> dict[str, Any]:
        if "phone" not in body or "status" not in body:
            raise ControlError("send phone=<number> and status=entregue|aguardando|nao_entregue")
        self.set_delivery_outcome(str(body["phone"]), str(body["status"]))
        return {"phone": str(body["phone"]), "status": str(body["status"])}

    def _clock_view(self) -> dict[str, Any]:
        return {
            "now": self.clock.now().isoformat(),
            "time": self.clock(),
            "offset": self.clock.offset,
        }

    def _post_clock(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Move the clock ``advance`` seconds on, or to ``at`` (Brazil time unless it says)."""
        if ("advance" in body) == ("at" in body):
            raise ControlError("send advance=<seconds> or at=<'YYYY-MM-DD HH:MM:SS' Brazil time>")
        if "advance" in body:
            seconds = body["advance"]
            self.clock.advance(seconds if isinstance(seconds, int | float) else float(str(seconds)))
        else:
            self.clock.set(body["at"])
        return self._clock_view()

    def _post_voice(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Set ``calls_per_minute``: a number, or empty / null for all at once."""
        if "calls_per_minute" not in body:
            raise ControlError("send calls_per_minute=<calls> (empty or null: all at once)")
        rate = body["calls_per_minute"]
        self.voice_calls_per_minute = None if rate in (None, "") else float(str(rate))
        return {"calls_per_minute": self.voice_calls_per_minute}

    def _statement_view(self) -> dict[str, Any]:
        return {"delay": self.statement_delay, "page_size": self.statement_page_size}

    def _post_statement(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Set the ``delay`` (seconds) and / or ``page_size`` (entries) of ``/extrato/list``."""
        if not {"delay", "page_size"} & set(body):
            raise ControlError("send delay=<seconds> and/or page_size=<entries>")
        delay = float(str(body["delay"])) if "delay" in body else self.statement_delay
        size = int(str(body["page_size"])) if "page_size" in body else self.statement_page_size
        self.statement_page_size = size
        self.statement_delay = delay
        return self._statement_view()

    def _post_expire_tokens(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self.state.expire_tokens()
        return {"expired": True}

    async def _body(self, request: Request) -> Mapping[str, Any]:
        if request.method != "POST":
            return {}
        length = request.headers.get("content-length", "0")
        if not is_digits(length) or int(length) > _MAX_CONTROL_BODY:
            raise ControlError("the body must have a Content-Length of at most 1 MB")
        try:
            if request.headers.get("content-type", "").startswith("application/json"):
                data = json.loads(await request.body() or b"{}")
            else:
                form = await request.form()
                data = {k: v for k, v in form.items() if isinstance(v, str)}
        except Exception as exc:  # whatever the JSON or form parser says about a broken body
            raise ControlError(f"unreadable body: {exc or type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise ControlError("the JSON body must be an object")
        return data

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one ``/_sandbox`` request with JSON."""
        request = Request(scope, receive)
        name = scope["path"][len(PREFIX) :].strip("/")
        routes = self._routes()
        action = routes.get((request.method, name))
        status = 200
        try:
            if action is None:
                allowed = sorted(m for m, p in routes if p == name)
                status = 405 if allowed else 404
                what = f"use {' or '.join(allowed)}" if allowed else f"see GET {PREFIX}"
                raise ControlError(f"{request.method} {scope['path']}: {what}")
            payload = action(await self._body(request))
        except (ControlError, ValueError, TypeError, OverflowError) as exc:
            status = status if status != 200 else 400
            payload = {"error": str(exc)}
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = [(b"content-type", JSON_TYPE.encode()), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
