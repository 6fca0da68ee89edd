"""Every exception directcall_nb raises, in one tree.

::

    DirectCallError
    ├── InputError (ValueError)        bad input, found before anything is sent
    │   ├── ColumnNotFound             a named column is not in the frame
    │   ├── TemplateError              a message template cannot be read
    │   │   └── UnknownPlaceholder     a {placeholder} names no column
    │   ├── MessageTooLong             more than 700 characters
    │   ├── InvalidOption              an option's value cannot be used
    │   │   ├── InvalidSender          the sender number is not valid
    │   │   └── InvalidSchedule        a schedule in the past, too close, or unreadable
    │   ├── OutsideWindow              a send starting, or scheduled, outside the delivery window
    │   └── UnreadableFrame            a column of a Polars frame Arrow cannot carry
    │       ├── LazyFrameGiven         a Polars LazyFrame: a query to collect first
    │       └── PartitionedFrameGiven  a Dask frame where one in memory is needed
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

Modules (an error is named ``directcall_nb.errors.<Name>``, in tracebacks and pickles too,
whichever of them defines it):

- ``_base``: `DirectCallError`, the root.
- ``_local``: the errors found before anything is sent: bad input, the set-up (credentials,
  URL, journal) and the cost limit.
- ``_remote``: the errors of talking to DirectCall: transport failures, and its answers by
  ``codigo`` (`CODES`, what each code means; `api_error`, the error that stands for one).
"""

from __future__ import annotations

from directcall_nb.errors._base import DirectCallError
from directcall_nb.errors._frames import LazyFrameGiven, PartitionedFrameGiven, UnreadableFrame
from directcall_nb.errors._local import (
    ColumnNotFound,
    ConfigurationError,
    CostLimitExceeded,
    InputError,
    InsecureURL,
    InvalidOption,
    InvalidSchedule,
    InvalidSender,
    JournalError,
    MessageTooLong,
    MissingCredentials,
    OutsideWindow,
    TemplateError,
    UnknownPlaceholder,
)
from directcall_nb.errors._remote import (
    CODES,
    AccountNotFound,
    APIError,
    AuthenticationError,
    BillingError,
    InsufficientBalance,
    InvalidParameters,
    RequestNotSent,
    ResponseLost,
    ServerFailure,
    ServiceError,
    TransportError,
    UnknownIdentifier,
    api_error,
)

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
    "LazyFrameGiven",
    "MessageTooLong",
    "MissingCredentials",
    "OutsideWindow",
    "PartitionedFrameGiven",
    "RequestNotSent",
    "ResponseLost",
    "ServerFailure",
    "ServiceError",
    "TemplateError",
    "TransportError",
    "UnknownIdentifier",
    "UnknownPlaceholder",
    "UnreadableFrame",
    "api_error",
]
