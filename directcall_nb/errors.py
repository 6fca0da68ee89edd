"""Every exception directcall_nb raises, in one tree.

::

    DirectCallError
    ├── InputError (ValueError)        bad input, found before anything is sent
    │   ├── ColumnNotFound             a named column is not in the frame
    │   ├── TemplateError              a message template cannot be read
    │   │   └── UnknownPlaceholder     a {placeholder} names no column
    │   ├── MessageTooLong             more than 700 characters
    │   └── InvalidOption              an option's value cannot be used
    │       ├── InvalidSender          the sender number is not valid
    │       └── InvalidSchedule        a schedule in the past, too close, or unreadable
    ├── ConfigurationError             the client or the journal cannot be set up
    │   ├── MissingCredentials         no client id / secret anywhere
    │   ├── InsecureURL                plain http:// to a host that is not loopback
    │   └── JournalError               the journal's file cannot be opened, read or written
    ├── CostLimitExceeded              a plan costs more than ``max_cost``
    ├── TransportError                 the server could not be talked to
    │   ├── RequestNotSent             certainly never reached the server
    │   ├── ResponseLost               the request left; its answer never came
    │   └── ServerFailure              an answer that is no DirectCall envelope (HTTP 5xx, ...)
    └── APIError                       the server answered with a codigo other than 000
        ├── InvalidParameters          001, 009
        ├── AuthenticationError        006, or an invalid / expired token
        ├── UnknownIdentifier          010
        ├── ServiceError               002, 003, 004, 005, 007, 008
        ├── BillingError               011, 100, 101, 102
        │   └── InsufficientBalance    201
        └── AccountNotFound            200

Messages never contain a client secret or an access token, and no exception raised to the caller
holds a request of the HTTP library (whose body and URL carry them): the client translates those
failures in one place, without chaining them.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CODES",
    "APIError",
    "AccountNotFound",
    "AuthenticationError",
    "BillingError",
    "ColumnNotFound",
    "ConfigurationError",
    "CostLimitExceeded",
    "DirectCallError",
    "InputError",
    "InsecureURL",
    "InsufficientBalance",
    "InvalidOption",
    "InvalidParameters",
    "InvalidSchedule",
    "InvalidSender",
    "JournalError",
    "MessageTooLong",
    "MissingCredentials",
    "RequestNotSent",
    "ResponseLost",
    "ServerFailure",
    "ServiceError",
    "TemplateError",
    "TransportError",
    "UnknownIdentifier",
    "UnknownPlaceholder",
    "api_error",
]

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


class DirectCallError(Exception):
    """Base class of every error raised by directcall_nb."""


# -- bad input ---------------------------------------------------------------------------------


class InputError(DirectCallError, ValueError):
    """Bad input, detected before anything is sent."""


def _listing(names: Iterable[object]) -> str:
    return ", ".join(repr(str(n)) for n in names) or "(none)"


class ColumnNotFound(InputError, KeyError):
    """A column named by the caller is not in the frame."""

    def __init__(self, column: object, columns: Iterable[object], *, what: str = "column") -> None:
        self.column = column
        self.columns = [str(c) for c in columns]
        super().__init__(
            f"{what} {str(column)!r} is not in the frame; its columns are: {_listing(self.columns)}"
        )

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class TemplateError(InputError):
    """A message template cannot be read (unbalanced braces, an empty placeholder, ...)."""


class UnknownPlaceholder(TemplateError):
    """A ``{placeholder}`` in the template names no column of the frame."""

    def __init__(self, placeholders: Iterable[str], columns: Iterable[object]) -> None:
        self.placeholders = list(placeholders)
        self.columns = [str(c) for c in columns]
        names = ", ".join("{" + p + "}" for p in self.placeholders)
        super().__init__(
            f"the message uses {names} but the frame has no such column; "
            f"its columns are: {_listing(self.columns)} (write {{{{ and }}}} for literal braces)"
        )


class MessageTooLong(InputError):
    """A message is longer than DirectCall accepts (700 characters)."""


class InvalidOption(InputError):
    """An option's value cannot be used; the message names the option, the value and the fix.

    Parameters
    ----------
    message : str
        The whole sentence: what is wrong and what to do.
    option : str
        The option's name, as the caller wrote it (e.g. ``"max_cost"``).
    value : object
        The value given.
    suggestion : str, optional
        What to write instead, when there is an obvious fix (e.g. ``"short_number=True"``).

    Attributes
    ----------
    option, value, suggestion
        As given.
    """

    def __init__(
        self, message: str, *, option: str, value: object = None, suggestion: str | None = None
    ) -> None:
        self.option = option
        self.value = value
        self.suggestion = suggestion
        super().__init__(message)


class InvalidSender(InvalidOption):
    """The sender number (``origem``) is missing or not a valid number."""

    def __init__(self, message: str, *, value: object = None, suggestion: str | None = None):
        super().__init__(message, option="sender", value=value, suggestion=suggestion)


class InvalidSchedule(InvalidOption):
    """A schedule is in the past, too close to now, or cannot be read."""

    def __init__(self, message: str, *, value: object = None, suggestion: str | None = None):
        super().__init__(message, option="schedule", value=value, suggestion=suggestion)


# -- configuration -----------------------------------------------------------------------------


class ConfigurationError(DirectCallError):
    """The client cannot be set up as asked."""


class MissingCredentials(ConfigurationError):
    """No client id or client secret was given, nor found in the environment."""


class InsecureURL(ConfigurationError):
    """Plain ``http://`` was asked for a host that is not loopback."""


class JournalError(ConfigurationError):
    """The journal's file cannot be opened, read or written.

    Attributes
    ----------
    path : str
        The journal's file.
    """

    def __init__(self, message: str, *, path: object) -> None:
        self.path = str(path)
        super().__init__(message)


class CostLimitExceeded(DirectCallError):
    """The plan would cost more than the caller allowed with ``max_cost``; nothing was sent."""


# -- transport ---------------------------------------------------------------------------------


class TransportError(DirectCallError):
    """The server could not be talked to.

    Attributes
    ----------
    endpoint : str
        The API path that was being called, e.g. ``"/sms/send"``.
    """

    def __init__(self, message: str, *, endpoint: str) -> None:
        self.endpoint = endpoint
        super().__init__(f"{endpoint}: {message}")


class RequestNotSent(TransportError):
    """The request certainly never reached the server (could not connect, refused)."""


class ResponseLost(TransportError):
    """The request left but its answer never came: it may or may not have been processed."""


class ServerFailure(TransportError):
    """The server answered, but not with a DirectCall envelope (an HTTP 5xx page, HTML, ...).

    Whether the request was processed is unknown.

    Attributes
    ----------
    status_code : int
        The HTTP status of the answer.
    """

    def __init__(self, message: str, *, endpoint: str, status_code: int) -> None:
        self.status_code = status_code
        super().__init__(f"HTTP {status_code}: {message}", endpoint=endpoint)


# -- answers from the server -------------------------------------------------------------------


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

    def __init__(self, codigo: str, msg: str, *, endpoint: str) -> None:
        self.codigo = codigo
        self.msg = msg
        self.endpoint = endpoint
        meaning = CODES.get(codigo, "unknown code")
        super().__init__(f"{endpoint} answered {codigo} ({meaning}): {msg}")


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
