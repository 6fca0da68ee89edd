"""The account's session: its access token, and each API call made with it and checked.

`Session.call` takes a token (fetched on first use, renewed before it ends), makes the request
through the `Connection`, renews the token once more and repeats the request when the server
calls it invalid, and returns the envelope when its ``codigo`` is ``"000"``; any other code
raises the matching `directcall_nb.errors.APIError`. Nothing is retried beyond that one renewal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

import httpx

from directcall_nb.client._connection import FORMAT_FIELD, Connection, FieldValue
from directcall_nb.client._credentials import AccessToken, Credentials, TokenKeeper, token_lifetime
from directcall_nb.client._envelope import Answer
from directcall_nb.client._fields import FilePart
from directcall_nb.errors import RequestNotSent, ResponseLost, ServerFailure

__all__ = ["Session"]


class Session:
    """The token of one account at one address, and the calls made with it.

    Parameters
    ----------
    credentials : Credentials
        The account's client id and secret.
    base_url : str
        The API's address, already checked, without a trailing slash.
    response_format : {"JSON", "XML"}
        The answer format to ask for.
    timeout : float
        Seconds to wait to connect, and then between two pieces of the answer.
    transport : httpx.BaseTransport or None
        Replaces httpx's network transport.
    clock : callable
        Where the time is read to know when the access token must be renewed.
    """

    def __init__(
        self,
        credentials: Credentials,
        base_url: str,
        *,
        response_format: str,
        timeout: float,
        transport: httpx.BaseTransport | None,
        clock: Callable[[], float],
    ) -> None:
        self._credentials = credentials
        self.connection = Connection(
            base_url,
            response_format=response_format,
            timeout=timeout,
            transport=transport,
            hide=self._hide_secrets,
        )
        self._clock = clock
        self.tokens = TokenKeeper(self._request_token, clock=clock)

    def call(
        self,
        method: Literal["GET", "POST"],
        path: str,
        fields: dict[str, str],
        files: Mapping[str, FilePart] | None = None,
        *,
        format_field: str | None = FORMAT_FIELD,
    ) -> Answer:
        """Make one API call with the token, renewing it once if refused; check the answer.

        ``format_field`` names the field that asks for XML when the client reads XML; None when
        ``fields`` already choose the format.

        Raises
        ------
        APIError
            The subclass for the ``codigo`` answered.
        RequestNotSent, ResponseLost, ServerFailure
            When the exchange failed.
        """
        exchange = self.connection.exchange
        token = _token_for(path, self.tokens.current)
        reply = exchange(method, path, fields, files=files, token=token, format_field=format_field)
        if reply.token_refused:
            refused = token
            token = _token_for(path, lambda: self.tokens.renewed(refused))
            reply = exchange(
                method, path, fields, files=files, token=token, format_field=format_field
            )
            if reply.token_refused:
                raise reply.refusal(path)
        return reply.checked(path)

    def _request_token(self) -> AccessToken:
        """Ask ``/request_token`` for a new access token (the `TokenKeeper`'s fetch)."""
        path = "/request_token"
        fields: dict[str, FieldValue] = {
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret,
        }
        requested_at = self._clock()
        reply = self.connection.exchange("POST", path, fields, format_field=FORMAT_FIELD)
        return AccessToken.issued(
            reply.access_token(path),
            token_lifetime(reply.answer or {}, reply.access_token(path)),
            requested_at=requested_at,
        )

    def _hide_secrets(self, text: str) -> str:
        """Return ``text`` with the client secret and the access token in hand masked."""
        return self.tokens.hide(self._credentials.hide(text))


def _token_for(path: str, get: Callable[[], AccessToken]) -> AccessToken:
    """Return a token for a call to ``path``; without one, that call certainly never left.

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
