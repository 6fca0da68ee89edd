"""When a failed request may be made again, and how long to wait first: small pure functions.

A request is repeated only when it certainly did not reach DirectCall: the connection could not
be made, or the server answered ``503 Service Unavailable``, which by definition means it did
not handle the request. Never after a read timeout, a dropped connection or any other answer:
the message may have gone out, and a repeat could reach the customer twice.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from directcall_nb.errors import RequestNotSent, ServerFailure

__all__ = ["MAX_ATTEMPTS", "backoff", "should_retry"]

#: Attempts per request, the first included.
MAX_ATTEMPTS = 5


def should_retry(error: BaseException, attempt: int, *, max_attempts: int = MAX_ATTEMPTS) -> bool:
    """Whether a request that failed with ``error`` on attempt ``attempt`` (from 1) is repeated.

    Parameters
    ----------
    error : BaseException
        What the attempt raised.
    attempt : int
        The number of the attempt that failed, from 1.
    max_attempts : int, default 5
        Attempts allowed in all.
    """
    if attempt >= max_attempts:
        return False
    if isinstance(error, RequestNotSent):
        return True
    return isinstance(error, ServerFailure) and error.status_code == 503


def backoff(
    attempt: int,
    *,
    base: float = 0.25,
    cap: float = 10.0,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before attempt ``attempt + 1``: exponential, with full jitter.

    The wait is ``rng() * min(cap, base * 2 ** (attempt - 1))``, so that many clients failing
    together do not come back together.

    Parameters
    ----------
    attempt : int
        The number of the attempt that failed, from 1.
    base : float, default 0.25
        The ceiling of the first wait, in seconds.
    cap : float, default 10.0
        The largest ceiling, in seconds.
    rng : callable, default random.random
        A source of numbers in [0, 1); pass a fixed one to get exact delays.
    """
    return float(rng() * min(cap, base * 2 ** (attempt - 1)))
