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

Every error also carries what it is about as fields (`DirectCallError.kind` and
`DirectCallError.details`: the column, the option, the value, the position, the suggestion, ...),
so that `directcall_nb.i18n.explain` writes it in Portuguese or English without parsing the
English message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

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
    """Base class of every error raised by directcall_nb.

    Attributes
    ----------
    kind : str
        What kind of error it is, for displays (e.g. ``"template"``, ``"option"``).
    details : dict
        The fields a display writes it with (see each class).
    """

    kind: ClassVar[str] = "error"

    @property
    def details(self) -> dict[str, Any]:
        """The fields a display writes the error with; here only the English message."""
        return {"detail": str(self)}


# -- bad input ---------------------------------------------------------------------------------


class InputError(DirectCallError, ValueError):
    """Bad input, detected before anything is sent."""

    kind = "input"


def _listing(names: Iterable[object]) -> str:
    return ", ".join(repr(str(n)) for n in names) or "(none)"


class ColumnNotFound(InputError, KeyError):
    """A column named by the caller is not in the frame."""

    kind = "column_not_found"

    def __init__(
        self,
        column: object,
        columns: Iterable[object],
        *,
        what: str = "column",
        duplicated: int = 0,
    ) -> None:
        self.column = column
        self.columns = [str(c) for c in columns]
        self.what = what
        self.duplicated = duplicated
        if duplicated:
            message = (
                f"{what} {str(column)!r} is not one column: the frame has {duplicated} columns "
                "with that name; rename them"
            )
        else:
            message = (
                f"{what} {str(column)!r} is not in the frame; its columns are: "
                f"{_listing(self.columns)}"
            )
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])

    @property
    def details(self) -> dict[str, Any]:
        """``column``, ``columns``, ``duplicated`` (how many columns share the name, or 0)."""
        return {"column": str(self.column), "columns": self.columns, "duplicated": self.duplicated}


class TemplateError(InputError):
    """A message template cannot be read (unbalanced braces, an empty placeholder, ...).

    Attributes
    ----------
    problem : str
        ``"not_text"``, ``"unclosed"`` (a ``{`` never closed), ``"unopened"`` (a ``}`` that
        closes nothing), ``"empty_placeholder"``, ``"forbidden"`` (a character DirectCall cannot
        carry) or ``"unknown_placeholder"``.
    position : int or None
        The character it is about, counting from 1.
    character : str or None
        For ``"forbidden"``: the character, as ``U+0000``.
    """

    kind = "template"

    def __init__(
        self,
        message: str,
        *,
        problem: str,
        position: int | None = None,
        character: str | None = None,
    ) -> None:
        self.problem = problem
        self.position = position
        self.character = character
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``problem``, ``position`` and ``character``."""
        return {"problem": self.problem, "position": self.position, "character": self.character}


class UnknownPlaceholder(TemplateError):
    """A ``{placeholder}`` in the template names no column of the frame."""

    kind = "unknown_placeholder"

    def __init__(self, placeholders: Iterable[str], columns: Iterable[object]) -> None:
        self.placeholders = list(placeholders)
        self.columns = [str(c) for c in columns]
        names = ", ".join("{" + p + "}" for p in self.placeholders)
        super().__init__(
            f"the message uses {names} but the frame has no such column; "
            f"its columns are: {_listing(self.columns)} (write {{{{ and }}}} for literal braces)",
            problem="unknown_placeholder",
        )

    @property
    def details(self) -> dict[str, Any]:
        """``placeholders`` and the frame's ``columns``."""
        return {"placeholders": self.placeholders, "columns": self.columns}


class MessageTooLong(InputError):
    """A message is longer than DirectCall accepts (700 characters).

    Attributes
    ----------
    characters : int or None
        How many it has.
    """

    kind = "too_long"

    def __init__(self, message: str, *, characters: int | None = None) -> None:
        self.characters = characters
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``characters``."""
        return {"characters": self.characters}


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

    kind = "option"

    def __init__(
        self,
        message: str,
        *,
        option: str,
        value: object = None,
        suggestion: str | None = None,
        problem: str | None = None,
    ) -> None:
        self.option = option
        self.value = value
        self.suggestion = suggestion
        self.problem = problem
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``option``, ``value``, ``suggestion`` and ``problem`` (a word naming the case)."""
        return {
            "option": self.option,
            "value": self.value,
            "suggestion": self.suggestion,
            "problem": self.problem,
        }


class InvalidSender(InvalidOption):
    """The sender number (``origem``) is missing or not a valid number.

    ``problem``: ``"missing"``, ``"format"`` (not written as DirectCall's digits; ``suggestion``
    is the number as it should be written, when it is a valid number) or ``"invalid"``.
    """

    kind = "sender"

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        suggestion: str | None = None,
        problem: str = "invalid",
    ) -> None:
        super().__init__(
            message, option="sender", value=value, suggestion=suggestion, problem=problem
        )


class InvalidSchedule(InvalidOption):
    """A schedule is in the past, too close to now, or cannot be read.

    ``problem``: ``"past"``, ``"too_close"``, ``"unreadable"``, ``"no_time"`` or ``"missing"``;
    ``moment`` and ``now`` are the schedule and the present, in Brazil time, when known.
    """

    kind = "schedule"

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        problem: str = "unreadable",
        moment: object = None,
        now: object = None,
    ) -> None:
        self.moment = moment
        self.now = now
        super().__init__(message, option="schedule", value=value, problem=problem)

    @property
    def details(self) -> dict[str, Any]:
        """As `InvalidOption`, with ``moment`` and ``now``."""
        return {**super().details, "moment": self.moment, "now": self.now}


# -- configuration -----------------------------------------------------------------------------


class ConfigurationError(DirectCallError):
    """The client cannot be set up as asked."""

    kind = "configuration"


class MissingCredentials(ConfigurationError):
    """No client id or client secret was given, nor found in the environment."""

    kind = "missing_credentials"


class InsecureURL(ConfigurationError):
    """Plain ``http://`` was asked for a host that is not loopback."""

    kind = "insecure_url"


class JournalError(ConfigurationError):
    """The journal's file cannot be opened, read or written.

    Attributes
    ----------
    path : str
        The journal's file.
    problem : str
        ``"directory"``, ``"locked"``, ``"not_journal"``, ``"newer"``, ``"closed"``,
        ``"state"`` (a request cannot change so) or ``"other"``.
    """

    kind = "journal"

    def __init__(self, message: str, *, path: object, problem: str = "other") -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``path``, ``problem``, and the English ``detail``."""
        return {"path": self.path, "problem": self.problem, "detail": str(self)}


class CostLimitExceeded(DirectCallError):
    """The plan would cost more than the caller allowed with ``max_cost``; nothing was sent.

    Attributes
    ----------
    cost, limit : Decimal
        What the campaign costs, and ``max_cost``.
    segments, recipients : int
        Its billable segments and recipients.
    """

    kind = "cost_limit"

    def __init__(
        self, message: str, *, cost: Any = None, limit: Any = None, segments: int = 0,
        recipients: int = 0,
    ) -> None:  # fmt: skip
        self.cost = cost
        self.limit = limit
        self.segments = segments
        self.recipients = recipients
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``cost``, ``limit``, ``segments``, ``recipients``."""
        return {
            "cost": self.cost,
            "limit": self.limit,
            "segments": self.segments,
            "recipients": self.recipients,
        }


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
