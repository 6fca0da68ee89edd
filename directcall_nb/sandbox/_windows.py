"""When each call of a voice batch is placed: daily windows and the rate of calls.

DirectCall documents **[doc]** that a voice batch is delivered only within the daily window
``enviar_de`` to ``enviar_ate`` (hours 0 to 23), continuing on later days. The rest is the
sandbox's reading **[assumed]**:

- the hours are Brazil time, both included: ``enviar_de=8, enviar_ate=18`` is 08:00:00 to
  18:59:59; a window whose start is after its end runs past midnight (20 to 6);
- only one bound given: the other is the start (0) or the end (23) of the day;
- calls are placed at ``calls_per_minute``, one after another, as long as the window is open;
  what is left waits for the next day's window. Without a rate (the default) every call of
  the batch is placed at the first open moment.
"""

from __future__ import annotations

import math
from datetime import datetime

from directcall_nb.sandbox._wire import BRAZIL

__all__ = ["Window", "call_times", "is_open", "next_opening", "open_until"]

#: A daily window: the first and last hours (0 to 23, Brazil time) in which calls are placed.
Window = tuple[int, int]

_HOUR = 3600.0


def _hour(epoch: float) -> int:
    return datetime.fromtimestamp(epoch, BRAZIL).hour


def _next_hour(epoch: float) -> float:
    # Brazil's offsets from UTC are whole hours, so its hours begin with UTC's.
    return (math.floor(epoch / _HOUR) + 1) * _HOUR


def is_open(window: Window, epoch: float) -> bool:
    """Tell whether calls may be placed at ``epoch`` (a POSIX time)."""
    first, last = window
    hour = _hour(epoch)
    return first <= hour <= last if first <= last else hour >= first or hour <= last


def next_opening(window: Window, epoch: float) -> float:
    """Return ``epoch`` if the window is open then, else the moment it next opens."""
    for _ in range(26):  # a day, and the odd hour of a change of offset
        if is_open(window, epoch):
            return epoch
        epoch = _next_hour(epoch)
    raise AssertionError(f"the window {window} never opens")  # every window has an hour


def open_until(window: Window, epoch: float) -> float:
    """Return the moment the window, open at ``epoch``, closes (``inf`` if it never does)."""
    end = epoch
    for _ in range(26):
        end = _next_hour(end)
        if not is_open(window, end):
            return end
    return math.inf


def call_times(
    start: float, count: int, window: Window | None, calls_per_minute: float | None
) -> list[float]:
    """Return the moment each of ``count`` calls is placed, from ``start`` on, in order.

    Parameters
    ----------
    start : float
        The POSIX time the batch may begin (its schedule, or when it was sent).
    count : int
        Calls in the batch.
    window : (int, int) or None
        The daily window, or ``None`` for any time of day.
    calls_per_minute : float or None
        The rate of calls; ``None`` places every call as soon as the window is open.
    """
    times: list[float] = []
    moment = start
    interval = 0.0 if calls_per_minute is None else 60.0 / calls_per_minute
    while len(times) < count:
        if window is not None:
            moment = next_opening(window, moment)
        left = count - len(times)
        if interval == 0.0:
            times.extend([moment] * left)
            break
        closes = math.inf if window is None else open_until(window, moment)
        fitting = left if closes == math.inf else math.ceil((closes - moment) / interval)
        placed = min(left, max(fitting, 1))
        times.extend(moment + k * interval for k in range(placed))
        moment += placed * interval
    return times
