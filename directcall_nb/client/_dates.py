"""Moments written as DirectCall's date fields, each in its own format, in Brasília time.

``cron`` (when a send is delivered) is ``d-m-Y-H-i-s``; the period of the inbound listing is
``Y-m-d H:i:s``; the period of the usage statement is ``YmdHis``. Reading what the user gave is
`directcall_nb.moments`'s job. Nothing here speaks HTTP.
"""

from __future__ import annotations

from datetime import datetime

from directcall_nb.errors import InputError, InvalidSchedule
from directcall_nb.moments import BRAZIL_TIME, read_day_or_moment, read_moment

__all__ = ["compact_date_field", "cron_field", "date_field"]


def cron_field(schedule: object, *, now: datetime | None = None) -> str:
    """Return the ``cron`` field, ``d-m-Y-H-i-s`` in Brasília time.

    Parameters
    ----------
    schedule : datetime or str
        When to deliver. A naive datetime is read as Brasília time; an aware one is converted.
        An ISO 8601 string is read the same way.
    now : datetime, optional
        The present moment (aware); the clock by default.

    Raises
    ------
    InvalidSchedule
        When the moment cannot be read or is not in the future.
    """
    local = read_moment(schedule, "the schedule", InvalidSchedule)
    present = (now or datetime.now(BRAZIL_TIME)).astimezone(BRAZIL_TIME)
    if local <= present:
        raise InvalidSchedule(
            f"the schedule {local:%d/%m/%Y %H:%M:%S} (Brasília time) is in the past; it is now "
            f"{present:%d/%m/%Y %H:%M:%S} there",
            value=schedule,
            problem="past",
            moment=local,
            now=present,
        )
    return f"{local:%d-%m-%Y-%H-%M-%S}"


def date_field(value: object, *, end_of_day: bool) -> str:
    """Return a ``Y-m-d H:i:s`` field in Brasília time.

    Parameters
    ----------
    value : datetime, date or str
        A naive datetime is read as Brasília time, an aware one converted; a date means its first
        second, or its last one when ``end_of_day``.
    end_of_day : bool
        How to complete a date given without a time.
    """
    moment = read_day_or_moment(value, "the date", InputError, end_of_day=end_of_day)
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def compact_date_field(value: object) -> str:
    """Return a ``YmdHis`` field in Brasília time: ``dataInicial`` / ``dataFinal`` of the statement.

    Parameters
    ----------
    value : datetime or str
        A naive datetime is read as Brasília time, an aware one converted.

    Raises
    ------
    InputError
        When the value cannot be read or is a date without a time.
    """
    return f"{read_moment(value, 'the date', InputError):%Y%m%d%H%M%S}"
