"""The errors of talking to DirectCall: the server not reached, and its refusals by codigo."""

from __future__ import annotations

from typing import Any

from directcall_nb.errors._base import DirectCallError

__all__ = [
    "CODES",
    "APIError",
    "AccountNotFound",
    "AuthenticationError",
    "BillingError",
    "InsufficientBalance",
    "InvalidParameters",
    "RequestNotSent",
    "ResponseLost",
    "ServerFailure",
    "ServiceError",
    "TransportError",
    "UnknownIdentifier",
    "api_error",
]

# -- transport ---------------------------------------------------------------------------------


class TransportError(DirectCallError):
    """The server could not be talked to.

    Attributes
    ----------
    endpoint : str
        The API path that was being called, e.g. ``"/sms/send"``.
    """

    kind = "transport"

    def __init__(self, message: str, *, endpoint: str) -> None:
        self.endpoint = endpoint
        super().__init__(f"{endpoint}: {message}")

    @property
    def details(self) -> dict[str, Any]:
        """``endpoint``, and the English ``detail``."""
        return {"endpoint": self.endpoint, "detail": str(self)}


class RequestNotSent(TransportError):
    """The request certainly never reached the server (could not connect, refused)."""

    kind = "not_reached"


class ResponseLost(TransportError):
    """The request left but its answer never came: it may or may not have been processed."""

    kind = "answer_lost"


class ServerFailure(TransportError):
    """The server answered, but not with a DirectCall envelope (an HTTP 5xx page, HTML, ...).

    Whether the request was processed is unknown.

    Attributes
    ----------
    status_code : int
        The HTTP status of the answer.
    """

    kind = "server_failure"

    def __init__(self, message: str, *, endpoint: str, status_code: int) -> None:
        self.status_code = status_code
        super().__init__(f"HTTP {status_code}: {message}", endpoint=endpoint)

    @property
    def details(self) -> dict[str, Any]:
        """As `TransportError`, with ``status_code``."""
        return {**super().details, "status_code": self.status_code}


# -- answers from the server -------------------------------------------------------------------

#: DirectCall's documented return codes and what they mean.
CODES: dict[str, str] = {
    "000": "ok",
    "001": "invalid or missing parameter",
    "002": "failed to request the call",
    "003": "call not active",
    "004": "call not finished",
    "005": "connection failure",
    "006": "authentication failed",
    "007": "could not connect to the SMS server",
    "008": "error sending the message",
    "009": "the identifier given in 'code' does not exist",
    "010": "identifier does not exist or was already cancelled",
    "011": "billing service problem",
    "100": "billing problem",
    "101": "test account not registered",
    "102": "no calls of this type left",
    "200": "user not registered",
    "201": "insufficient balance",
}


class APIError(DirectCallError):
    """DirectCall answered with a ``codigo`` other than ``"000"``.

    Attributes
    ----------
    codigo : str
        The three-character return code.
    msg : str
        The server's own message.
    endpoint : str
        The API path that was called.
    """

    kind = "api"

    def __init__(self, codigo: str, msg: str, *, endpoint: str) -> None:
        self.codigo = codigo
        self.msg = msg
        self.endpoint = endpoint
        meaning = CODES.get(codigo, "unknown code")
        super().__init__(f"{endpoint} answered {codigo} ({meaning}): {msg}")

    @property
    def details(self) -> dict[str, Any]:
        """``codigo``, ``msg`` (the server's own words) and ``endpoint``."""
        return {"codigo": self.codigo, "msg": self.msg, "endpoint": self.endpoint}


class InvalidParameters(APIError):
    """001 / 009: a parameter is missing or invalid."""


class AuthenticationError(APIError):
    """006, or an invalid or expired access token."""


class UnknownIdentifier(APIError):
    """010: the identifier does not exist or was already cancelled."""


class ServiceError(APIError):
    """002, 003, 004, 005, 007, 008: DirectCall could not carry out the request."""


class BillingError(APIError):
    """011, 100, 101, 102: a billing or account problem."""


class InsufficientBalance(BillingError):
    """201: the balance does not cover the request; nothing was delivered."""


class AccountNotFound(APIError):
    """200: the user is not registered."""


_BY_CODE: dict[str, type[APIError]] = {
    "001": InvalidParameters,
    "009": InvalidParameters,
    "006": AuthenticationError,
    "010": UnknownIdentifier,
    "002": ServiceError,
    "003": ServiceError,
    "004": ServiceError,
    "005": ServiceError,
    "007": ServiceError,
    "008": ServiceError,
    "011": BillingError,
    "100": BillingError,
    "101": BillingError,
    "102": BillingError,
    "201": InsufficientBalance,
    "200": AccountNotFound,
}


def api_error(codigo: str, msg: str, *, endpoint: str) -> APIError:
    """Return the exception that stands for ``codigo`` (not raised).

    Parameters
    ----------
    codigo : str
        DirectCall's return code, e.g. ``"201"``.
    msg : str
        The server's message.
    endpoint : str
        The API path that answered.
    """
    return _BY_CODE.get(codigo, APIError)(codigo, msg, endpoint=endpoint)
