"""Retry decisions and delays: exact, because randomness is injected."""

from __future__ import annotations

import pytest

from directcall_nb.errors import (
    InsufficientBalance,
    RequestNotSent,
    ResponseLost,
    ServerFailure,
)
from directcall_nb.sending._retry import MAX_ATTEMPTS, backoff, should_retry


def test_only_requests_that_certainly_did_not_arrive_are_repeated() -> None:
    assert should_retry(RequestNotSent("refused", endpoint="/sms/send"), 1)
    assert should_retry(ServerFailure("busy", endpoint="/sms/send", status_code=503), 1)
    assert not should_retry(ServerFailure("oops", endpoint="/sms/send", status_code=500), 1)
    assert not should_retry(ResponseLost("closed", endpoint="/sms/send"), 1)
    assert not should_retry(
        InsufficientBalance("201", "Saldo insuficiente!", endpoint="/sms/send"), 1
    )
    assert not should_retry(KeyboardInterrupt(), 1)


def test_attempts_are_bounded() -> None:
    error = RequestNotSent("refused", endpoint="/sms/send")
    assert should_retry(error, MAX_ATTEMPTS - 1)
    assert not should_retry(error, MAX_ATTEMPTS)
    assert not should_retry(error, 2, max_attempts=2)


@pytest.mark.parametrize(
    ("attempt", "expected"), [(1, 0.125), (2, 0.25), (3, 0.5), (4, 1.0), (10, 5.0)]
)
def test_backoff_doubles_up_to_the_cap_with_jitter(attempt: int, expected: float) -> None:
    assert backoff(attempt, rng=lambda: 0.5) == expected


def test_backoff_jitter_spans_zero_to_the_ceiling() -> None:
    assert backoff(3, rng=lambda: 0.0) == 0.0
    assert backoff(3, rng=lambda: 0.999) == pytest.approx(0.999)
