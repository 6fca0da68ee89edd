"""What DirectCall's endpoints do with their fields: tokens, sends, status, cancel.

The listings (``/sms/recebimento``, ``/extrato/list``) are in
:mod:`~directcall_nb.sandbox._listings`.

Handlers take the request's text fields and uploaded files, already read, and return the answer
as a plain dict, or raise :class:`~directcall_nb.sandbox._wire.WireError`. HTTP, formats and
faults are the business of :mod:`directcall_nb.sandbox._app`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
from collections.abc import Mapping
from typing import Any, Literal

from directcall_nb.sandbox import _rules as rules
from directcall_nb.sandbox._clock import SandboxClock
from directcall_nb.sandbox._forms import Upload
from directcall_nb.sandbox._state import NotEnoughCredits, SandboxState, SendOrder
from directcall_nb.sandbox._windows import call_times
from directcall_nb.sandbox._wire import (
    WireError,
    envelope,
    parse_cron,
    shown,
)

__all__ = ["DirectCallAPI"]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class DirectCallAPI:
    """The behaviour of DirectCall's endpoints for one account.

    Parameters
    ----------
    state : SandboxState
        Where balances, tokens and sends are kept.
    clock : SandboxClock
        The sandbox's time, read once per request.
    client_id, client_secret : str
        The only credentials ``/request_token`` accepts.
    token_ttl : float
        Seconds an access token stays valid.
    expires_in : bool
        Whether ``/request_token`` also answers ``expires_in`` (DirectCall's habit is unknown;
        by default only the token is returned, whose JWT ``exp`` claim tells its end).
    invalid_token : {"401", "006"}
        How an expired or unknown token is answered: HTTP 401 with an OAuth-style
        ``invalid_token`` error, or an envelope with ``codigo "006"``.
    """

    def __init__(
        self,
        state: SandboxState,
        *,
        clock: SandboxClock,
        client_id: str,
        client_secret: str,
        token_ttl: float,
        expires_in: bool = False,
        invalid_token: Literal["401", "006"] = "401",
    ) -> None:
        self.state = state
        self.clock = clock
        self.client_id = client_id
        self._client_secret = client_secret
        self.token_ttl = token_ttl
        self.expires_in = expires_in
        self.invalid_token = invalid_token
        #: Calls per minute of a voice batch (``None``: all at once, when the window is open).
        self.voice_calls_per_minute: float | None = None
        #: Seconds of sandbox time before a delivered message appears in the statement.
        self.statement_delay = 0.0
        #: Entries per page of ``/extrato/list`` (DirectCall documents no page size).
        self.statement_page_size = 100
        self._signing_key = secrets.token_bytes(32)

    def __repr__(self) -> str:
        return f"DirectCallAPI(client_id={self.client_id!r}, token_ttl={self.token_ttl!r})"

    # -- /request_token ------------------------------------------------------------------------

    def _issue_token(self, now: float) -> str:
        """Return an HS256 JWT like DirectCall's, whose ``exp`` is ``token_ttl`` seconds away."""
        header = {"typ": "JWT", "alg": "HS256"}
        claims = {
            "iss": "directcall-sandbox",
            "sub": self.client_id,
            "iat": int(now),
            "exp": math.ceil(now + self.token_ttl),
            "jti": secrets.token_hex(8),
        }
        signing_input = ".".join(
            _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        signature = hmac.new(self._signing_key, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64url(signature)}"

    def change_secret(self, client_secret: str) -> None:
        """Accept only ``client_secret`` from now on (as when it is changed in the panel)."""
        self._client_secret = client_secret

    def request_token(
        self, fields: Mapping[str, str], files: Mapping[str, Upload], now: float
    ) -> dict[str, Any]:
        """Exchange ``client_id`` and ``client_secret`` for an access token (``006`` if wrong)."""
        client_id = rules.required(fields, "client_id")
        client_secret = rules.required(fields, "client_secret")
        id_ok = hmac.compare_digest(client_id.strip().encode(), self.client_id.encode())
        secret_ok = hmac.compare_digest(client_secret.encode(), self._client_secret.encode())
        if not (id_ok and secret_ok):
            raise WireError("006", "Falha na autenticação: client_id ou client_secret inválidos")
        token = self._issue_token(now)
        self.state.store_token(token, now + self.token_ttl, now)
        if self.expires_in:
            return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}
        return {"access_token": token}

    def token_is_valid(self, token: str, now: float) -> bool:
        """Tell whether ``token`` was issued by this API and is still valid."""
        return self.state.token_is_valid(token, now)

    # -- /sms/send -----------------------------------------------------------------------------

    def _recipients(self, fields: Mapping[str, str], files: Mapping[str, Upload]) -> list[str]:
        if "destino_csv" in fields:
            raise WireError(
                "001", "O campo destino_csv deve ser enviado como arquivo (multipart/form-data)"
            )
        destino = fields.get("destino", "")
        csv = files.get("destino_csv")
        if destino.strip() and csv is not None:
            raise WireError("001", "Informe destino ou destino_csv, não os dois")
        if csv is not None:
            return rules.csv_recipients(csv.data)
        if not destino.strip():
            raise WireError("001", "Parâmetro obrigatório ausente: destino (ou destino_csv)")
        return rules.destino_recipients(destino)

    def _schedule(self, fields: Mapping[str, str], now: float) -> float | None:
        cron = fields.get("cron", "")
        if not cron.strip():
            return None
        moment = parse_cron(cron).timestamp()
        if moment <= now:
            raise WireError(
                "001",
                f"O agendamento (cron) {shown(cron.strip())} já passou; informe uma data futura "
                "no horário de Brasília",
            )
        return moment

    def send(
        self, fields: Mapping[str, str], files: Mapping[str, Upload], now: float
    ) -> dict[str, Any]:
        """Validate, bill and record an SMS or voice send to one or many recipients.

        A voice batch's calls are placed within its daily window ``enviar_de`` to
        ``enviar_ate`` and at :attr:`voice_calls_per_minute` (see
        :mod:`~directcall_nb.sandbox._windows`); an SMS send accepts the window and ignores it,
        as DirectCall documents it for voice batches only **[assumed]**.
        """
        sender = rules.sender_number(rules.required(fields, "origem"))
        tipo = (fields.get("tipo") or "texto").strip().lower()
        if tipo not in ("texto", "voz"):
            raise WireError("001", f"O campo tipo deve ser 'texto' ou 'voz', não '{shown(tipo)}'")
        audio = files.get("audio")
        if audio is not None:
            if tipo != "voz":
                raise WireError("001", "O arquivo audio só é aceito com tipo=voz")
            if not audio.data or len(audio.data) > rules.MAX_AUDIO_BYTES:
                raise WireError("001", "O arquivo audio deve ter de 1 byte a 4 MB")
        texto = fields.get("texto", "")
        if not texto.strip() and audio is None:
            raise WireError("001", "Parâmetro obrigatório ausente: texto")
        rules.check_text(texto)
        phones = self._recipients(fields, files)
        show_sender = rules.yes_no("id_origem", fields.get("id_origem"))
        short_number = rules.yes_no("short_number", fields.get("short_number"))
        attempts = rules.whole_number(
            fields, "num_tentativas", rules.DEFAULT_ATTEMPTS, rules.MAX_ATTEMPTS
        )
        window_from = rules.hour("enviar_de", fields.get("enviar_de"))
        window_to = rules.hour("enviar_ate", fields.get("enviar_ate"))
        window = None
        if window_from is not None or window_to is not None:
            window = (window_from or 0, 23 if window_to is None else window_to)
        scheduled_for = self._schedule(fields, now)
        voice = tipo == "voz"
        custom = rules.custom_fields(fields)
        due_times = None
        if voice and (window is not None or self.voice_calls_per_minute is not None):
            start = now if scheduled_for is None else scheduled_for
            try:
                due_times = call_times(start, len(phones), window, self.voice_calls_per_minute)
            except (ValueError, OverflowError, OSError):  # a date past the year 9999
                raise WireError(
                    "001", "O envio não cabe na janela enviar_de / enviar_ate antes do ano 9999"
                ) from None
        order = SendOrder(
            channel="voice" if voice else "sms",
            text=texto,
            sender=sender,
            phones=phones,
            segments=1 if voice else rules.sms_parts(texto, sender, show_sender=show_sender),
            show_sender=show_sender,
            short_number=short_number,
            audio=audio is not None,
            attempts=attempts,
            scheduled_for=scheduled_for,
            window=window,
            custom_fields=custom,
            due_times=due_times,
        )
        try:
            recorded = self.state.record_send(order, now)
        except NotEnoughCredits:
            raise WireError("201", "Saldo insuficiente!") from None
        callerid = recorded.callerid
        return envelope(
            "sms",
            "enviar",
            "000",
            f"001 - Mensagem enviada com sucessso - CALLER-ID: {callerid}",
            destino=list(phones),
            detalhe=[
                {"destino": phone, "id_mensagem": id_}
                for phone, id_ in zip(phones, recorded.message_ids, strict=True)
            ],
            callerid=callerid,
        )

    # -- /sms/status and /sms/remove -----------------------------------------------------------

    def status(
        self, fields: Mapping[str, str], files: Mapping[str, Upload], now: float
    ) -> dict[str, Any]:
        """Per-recipient status of a send (``009`` when ``code`` names no send)."""
        code = rules.required(fields, "code").strip()
        rows = self.state.send_status(code)
        if rows is None:
            raise WireError("009", f'O campo code "{shown(code)}" não existe')
        return envelope(
            "sms",
            "status",
            "000",
            f"Status do envio CALLER-ID: {code}",
            callerid=code,
            detalhe=[
                {"destino": phone, "id_mensagem": id_, "status": status}
                for phone, id_, status in rows
            ],
        )

    def remove(
        self, fields: Mapping[str, str], files: Mapping[str, Upload], now: float
    ) -> dict[str, Any]:
        """Cancel a scheduled send and refund it (``010`` if unknown, cancelled or sent)."""
        code = rules.required(fields, "code").strip()
        result = self.state.cancel(code)
        if result == "already_sent":
            raise WireError(
                "010",
                f"O identificador {shown(code)} não está agendado: o envio já foi realizado",
            )
        if result != "cancelled":
            raise WireError("010", f"O identificador {shown(code)} não existe ou já foi cancelado")
        return envelope(
            "sms", "remover", "000", f"Agendamento cancelado - CALLER-ID: {code}", callerid=code
        )
