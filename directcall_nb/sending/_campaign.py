"""The shared state of one send: options, stop signal, progress, and what became of each request.

The worker threads and the thread that waits for them share one `Campaign`; what became of each
planned request, row by row, is a `RequestOutcome`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from directcall_nb.outcomes import RequestResult, Stop
from directcall_nb.plan import Plan, PlannedRequest
from directcall_nb.sending._progress import Progress, ProgressSink
from directcall_nb.sending._rate import RateLimiter

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal

__all__ = ["STOPPED", "Campaign", "RequestOutcome", "logger", "not_sent"]

logger = logging.getLogger("directcall_nb.dispatch")

#: The reason put in the report when a stop was asked for, in English (the report translates
#: its own summary).
STOPPED = "stopped on request; the requests already in flight were let finish"


@dataclass
class RequestOutcome:
    """Per-row results of one planned request, by position in the input frame."""

    result: RequestResult
    status: dict[int, str] = field(default_factory=dict)
    callerid: dict[int, str] = field(default_factory=dict)
    #: How a row's earlier request was settled with the usage statement, in words.
    settlement: dict[int, str] = field(default_factory=dict)
    #: Rows whose status an earlier run decided (already sent, ambiguous, in progress).
    earlier: set[int] = field(default_factory=set)


def not_sent(
    request: PlannedRequest, why: str, state: str = "not_sent", problem: str = "stopped"
) -> RequestOutcome:
    """Return the outcome of a request not made (or whose answer will not be waited for), and why.

    Every row of the request gets ``state``; ``problem`` is the word a display puts in words.
    """
    outcome = RequestOutcome(
        RequestResult(request.number, state, len(request.phones), msg=why, problem=problem)
    )
    outcome.status = {int(p): state for p in request.positions}
    return outcome


class Campaign:
    """The shared state of one dispatch: options, counters, the stop signal, the journal."""

    def __init__(
        self,
        plan: Plan,
        client: DirectCall,
        journal: Journal | None,
        progress: ProgressSink | None,
        stop: threading.Event | None,
        *,
        sleep: Callable[[float], None],
        now: Callable[[], datetime],
    ) -> None:
        self.plan = plan
        self.options = plan.options
        self.client = client
        self.journal = journal
        self.campaign_id: int | None = None
        self.stop = stop if stop is not None else threading.Event()
        self.stopped: str | None = None
        self.stop_reason: Stop | None = None
        self.progress = progress
        self.sleep = sleep
        self.now = now
        self.limiter = (
            None if self.options.rate_limit is None else RateLimiter(self.options.rate_limit)
        )
        self.price = self.options.price_per_segment
        #: What the reconciliation before the first claim told, by (text, recipient key), and
        #: whether the statement was asked.
        self.settled: dict[tuple[str, str], tuple[str, bool]] = {}
        self._lock = threading.Lock()
        self.outcomes: dict[int, RequestOutcome] = {}
        self._state = Progress(total=plan.recipients, price=self.price)

    def record(self, outcome: RequestOutcome) -> None:
        """Keep what became of one request (called by the worker that made it)."""
        with self._lock:
            self.outcomes[outcome.result.number] = outcome

    def halt(self, reason: str, kind: str, **fields: object) -> None:
        """Send nothing more; the first reason given is the one reported.

        ``reason`` is the English sentence; ``kind`` and ``fields`` let a display write it in
        another language (see `directcall_nb.outcomes.Stop`).
        """
        with self._lock:
            if self.stopped is None:
                self.stopped = reason
                self.stop_reason = Stop(kind, fields)
        self.stop.set()

    def count(self, outcome: RequestOutcome, request: PlannedRequest) -> None:
        """Add one request's rows to the progress, and show it."""
        with self._lock:
            self._state = self._state.adding(outcome.status.values(), request.segments_each)
            state = self._state
        if self.progress is not None:
            try:
                self.progress.update(state)
            except Exception:  # a broken display must not lose the report
                logger.exception("the progress display failed")

    def close(self) -> None:
        """Show the final progress, and close its display."""
        if self.progress is not None:
            try:
                self.progress.close(self._state)
            except Exception:
                logger.exception("the progress display failed")
