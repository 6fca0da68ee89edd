"""A rate limit shared by the worker threads of one send: at most so many requests per second."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from directcall_nb.errors import InvalidOption

__all__ = ["RateLimiter"]


class RateLimiter:
    """At most ``per_second`` requests started per second, shared by all worker threads.

    Parameters
    ----------
    per_second : float
        Requests started per second, at most.
    clock : callable, default time.monotonic
        Where the time is read.
    sleep : callable, default time.sleep
        How to wait until the next start; with ``clock``, lets a test check the exact schedule.
    """

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not per_second > 0:
            raise InvalidOption(
                f"rate_limit must be a positive number of requests per second: {per_second}",
                option="rate_limit",
                value=per_second,
            )
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = clock()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until the next request may start."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            self._sleep(start - now)
