"""The sandbox's time, which a test can move: token expiry, schedules, windows, the statement.

Everything in the sandbox that depends on the time reads it from one :class:`SandboxClock`: a
*base* clock (the real one, ``time.time``, unless another is given) plus an *offset* that
:meth:`SandboxClock.advance` and :meth:`SandboxClock.set` move. So a test says "now it is ten
minutes later" and sees a token expire or a scheduled send delivered, without sleeping:

>>> with Sandbox() as sb:  # doctest: +SKIP
...     sb.clock.advance(minutes=10)

A :class:`ManualClock` given as the base stands still between moves, for tests that want the
time to be exactly what they said (``Sandbox(clock=ManualClock("2026-03-02 09:00:00"))``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from directcall_nb.sandbox._wire import BRAZIL

__all__ = ["Clock", "ManualClock", "SandboxClock", "parse_moment"]

#: A clock: a function returning the current POSIX time, like ``time.time``.
Clock = Callable[[], float]

#: The POSIX times a moment may take: those that Brazil-time dates can show (1970 to 9999).
_EARLIEST, _LATEST = 0.0, 253_402_300_799.0


def _in_range(epoch: float, given: object) -> float:
    if not _EARLIEST <= epoch <= _LATEST:  # also refuses NaN
        raise ValueError(f"a time must fall between 1970 and 9999, not {given!r}")
    return epoch


def parse_moment(value: datetime | str | float | None, clock: Clock = time.time) -> float:
    """Return a POSIX time from a datetime (naive means Brazil time), a string, or a POSIX time.

    Strings may be ISO 8601 or DirectCall's ``Y-m-d H:i:s`` (Brazil time unless they carry an
    offset); ``None`` means ``clock()``.

    Raises
    ------
    ValueError
        For a string that is not a time, or a time outside the years 1970 to 9999.
    TypeError
        For anything else.
    """
    if value is None:
        return clock()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _in_range(float(value), value)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"cannot read the time {value!r}; write it as 'YYYY-MM-DD HH:MM:SS' (Brazil time)"
            ) from None
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=BRAZIL)
        return _in_range(moment.timestamp(), value)
    raise TypeError(f"a time must be a datetime, a string or None, not {type(value).__name__}")


def _seconds(seconds: float | timedelta, minutes: float, hours: float, days: float) -> float:
    """Return the length of a move of the clock, checked: finite, and not backwards."""
    if isinstance(seconds, timedelta):
        seconds = seconds.total_seconds()
    for name, value in (("seconds", seconds), ("minutes", minutes), ("hours", hours)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{name} must be a number, not {value!r}")
    if isinstance(days, bool) or not isinstance(days, int | float):
        raise TypeError(f"days must be a number, not {days!r}")
    total = float(seconds) + 60.0 * minutes + 3600.0 * hours + 86400.0 * days
    if not 0.0 <= total < math.inf:
        raise ValueError(f"the clock only moves forward, by a finite time: not {total!r} s")
    return total


class ManualClock:
    """A clock that stands still until it is moved.

    Parameters
    ----------
    start : datetime, str, float or None
        Its first reading: a datetime (naive means Brazil time), a string such as
        ``"2026-03-02 09:00:00"`` (Brazil time), a POSIX time, or ``None`` for now.
    """

    def __init__(self, start: datetime | str | float | None = None) -> None:
        self._lock = threading.Lock()
        self._now = parse_moment(start)

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def __repr__(self) -> str:
        return f"ManualClock({datetime.fromtimestamp(self(), BRAZIL).isoformat()!r})"

    def advance(
        self,
        seconds: float | timedelta = 0.0,
        *,
        minutes: float = 0.0,
        hours: float = 0.0,
        days: float = 0.0,
    ) -> datetime:
        """Move forward by the sum of the arguments; return the new time (Brazil time)."""
        step = _seconds(seconds, minutes, hours, days)
        with self._lock:
            self._now = _in_range(self._now + step, f"{step} s later")
            now = self._now
        return datetime.fromtimestamp(now, BRAZIL)

    def set(self, moment: datetime | str | float) -> datetime:
        """Jump to ``moment`` (forward or back); return it as a Brazil-time datetime."""
        epoch = parse_moment(moment)
        with self._lock:
            self._now = epoch
        return datetime.fromtimestamp(epoch, BRAZIL)


class SandboxClock:
    """The time of one sandbox: a base clock plus an offset that moves it.

    Parameters
    ----------
    base : callable or None
        Returns the current POSIX time; ``None`` means the real clock, ``time.time``.
    """

    def __init__(self, base: Clock | None = None) -> None:
        if base is not None and not callable(base):
            raise TypeError(f"clock must be a function returning a POSIX time, not {base!r}")
        self._base: Clock = time.time if base is None else base
        self._lock = threading.Lock()
        self._offset = 0.0

    def __call__(self) -> float:
        """Return the current POSIX time of the sandbox."""
        with self._lock:
            offset = self._offset
        return float(self._base()) + offset

    def __repr__(self) -> str:
        return f"SandboxClock({self.now().isoformat()!r}, offset={self.offset:g} s)"

    @property
    def offset(self) -> float:
        """Seconds between the sandbox's time and its base clock's."""
        with self._lock:
            return self._offset

    def now(self) -> datetime:
        """Return the sandbox's current time as a Brazil-time datetime."""
        return datetime.fromtimestamp(self(), BRAZIL)

    def advance(
        self,
        seconds: float | timedelta = 0.0,
        *,
        minutes: float = 0.0,
        hours: float = 0.0,
        days: float = 0.0,
    ) -> datetime:
        """Move the sandbox's time forward by the sum of the arguments; return the new time.

        What has become due meanwhile (scheduled sends, windows that opened, tokens that
        expired) takes effect at the sandbox's next request or inspection.
        """
        step = _seconds(seconds, minutes, hours, days)
        with self._lock:
            _in_range(float(self._base()) + self._offset + step, f"{step} s later")
            self._offset += step
        return self.now()

    def set(self, moment: datetime | str | float) -> datetime:
        """Make the sandbox's time ``moment`` (a naive datetime or a string is Brazil time).

        With the real clock as base, time goes on from there.
        """
        epoch = parse_moment(moment)
        with self._lock:
            self._offset = epoch - float(self._base())
        return self.now()
