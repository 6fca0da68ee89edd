"""Moments in Brasília time: the zone DirectCall reads, and how a moment a user gives is read.

DirectCall reads every date and time as Brasília time, so the options, the client's date fields,
the send pipeline, the journal and the report all read and show moments in `BRAZIL_TIME`. A naive
datetime (or an ISO 8601 text without an offset) is Brasília time; an aware one is converted.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from directcall_nb.display import quoted
from directcall_nb.errors import InputError, InvalidSchedule

__all__ = ["BRAZIL_TIME", "read_day_or_moment", "read_moment"]

#: DirectCall reads dates and times as Brasília time.
BRAZIL_TIME = ZoneInfo("America/Sao_Paulo")


def read_moment(value: object, what: str, error: type[InputError]) -> datetime:
    """Read a moment as an aware datetime in Brasília time.

    Parameters
    ----------
    value : datetime or str
        A naive datetime (or an ISO 8601 string without an offset) is Brasília time; an aware
        one is converted.
    what : str
        How to name the value in an error, e.g. ``"the schedule"``.
    error : type of InputError
        The error to raise.

    Raises
    ------
    InputError
        ``error``, when the value cannot be read or is a date without a time.
    """
    moment = _read_datetime(value, what, error)
    if not isinstance(moment, datetime):
        raise _error(
            error,
            f"{what} {moment.isoformat()} is a date without a time: give a datetime",
            value,
            "no_time",
        )
    return _in_brazil(moment)


def read_day_or_moment(
    value: object, what: str, error: type[InputError], *, end_of_day: bool
) -> datetime:
    """Read a moment, or a date meaning its first or its last second, in Brasília time.

    Parameters
    ----------
    value : datetime, date or str
        A naive datetime is Brasília time, an aware one is converted; a date alone means its
        first second, or its last one when ``end_of_day``.
    what : str
        How to name the value in an error, e.g. ``"the date"``.
    error : type of InputError
        The error to raise.
    end_of_day : bool
        How to complete a date given without a time.

    Raises
    ------
    InputError
        ``error``, when the value cannot be read.
    """
    moment = _read_datetime(value, what, error)
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(23, 59, 59) if end_of_day else time())
    return _in_brazil(moment)


def _in_brazil(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=BRAZIL_TIME)
    return moment.astimezone(BRAZIL_TIME)


def _read_datetime(value: object, what: str, error: type[InputError]) -> datetime | date:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            raise _error(
                error,
                f"{what} {quoted(value)} cannot be read: give a datetime or an ISO date such as "
                "'2026-12-25 14:30'",
                value,
                "unreadable",
            ) from None
    if isinstance(value, datetime) and value != value:  # pandas.NaT is a datetime
        raise _error(error, f"{what} is missing (NaT)", value, "missing")
    if isinstance(value, date):
        return value
    raise _error(
        error, f"{what} must be a datetime, not {type(value).__name__}", value, "unreadable"
    )


def _error(kind: type[InputError], message: str, value: object, problem: str) -> InputError:
    """Return the error to raise about a moment: a schedule's says which problem it has."""
    if issubclass(kind, InvalidSchedule):
        return kind(message, value=value, problem=problem)
    return kind(message)
