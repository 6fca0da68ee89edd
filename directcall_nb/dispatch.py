"""Carry out a plan through a client and the journal: the only place where sending happens.

Each planned request is claimed in the journal (``pending``) before it leaves and marked after
its answer, so that running the same campaign again sends only what was never sent. Requests go
out from a pool of worker threads (a notebook's own event loop is never touched), optionally
under a rate limit. Interrupting (the notebook's stop button, Ctrl-C) lets the requests in
flight finish, sends nothing more, and still returns the report.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from directcall_nb.errors import (
    AccountNotFound,
    APIError,
    AuthenticationError,
    BillingError,
    RequestNotSent,
    ResponseLost,
    ServerFailure,
    TransportError,
)
from directcall_nb.plan import Plan, PlannedRequest
from directcall_nb.progress import Progress, ProgressSink
from directcall_nb.report import RequestResult, SendReport
from directcall_nb.retry import backoff, should_retry

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal

__all__ = ["DEFAULT_CONCURRENCY", "RateLimiter", "dispatch", "dry_run_report"]

#: Requests in flight at once, by default.
DEFAULT_CONCURRENCY = 16
#: Answers after which no other request is worth making: they would all fail the same way.
_CAMPAIGN_STOPPERS = (AuthenticationError, BillingError, AccountNotFound)


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
        if per_second <= 0:
            raise ValueError(
                f"rate_limit must be a positive number of requests per second: {per_second}"
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


@dataclass
class _Outcome:
    """Per-row results of one planned request, by position in the input frame."""

    result: RequestResult
    status: dict[int, str] = field(default_factory=dict)
    callerid: dict[int, str] = field(default_factory=dict)


class _Campaign:
    """The shared state of one dispatch: counters, the stop signal, the journal's campaign id."""

    def __init__(
        self, plan: Plan, progress: ProgressSink | None, stop: threading.Event | None
    ) -> None:
        self.plan = plan
        self.stop = stop if stop is not None else threading.Event()
        self.stopped: str | None = None
        self.progress = progress
        self.price = plan.estimate.options.price_per_segment
        self._lock = threading.Lock()
        self.outcomes: dict[int, _Outcome] = {}
        self._state = Progress(
            total=plan.recipients, spent=None if self.price is None else Decimal(0)
        )

    def record(self, outcome: _Outcome) -> None:
        """Keep what became of one request (called by the worker that made it)."""
        with self._lock:
            self.outcomes[outcome.result.number] = outcome

    def halt(self, reason: str) -> None:
        with self._lock:
            if self.stopped is None:
                self.stopped = reason
        self.stop.set()

    def count(self, outcome: _Outcome, request: PlannedRequest) -> None:
        statuses = list(outcome.status.values())
        sent = sum(s in ("sent", "scheduled", "already_sent") for s in statuses)
        new = sum(s in ("sent", "scheduled") for s in statuses)
        failed = sum(s in ("failed", "not_sent") for s in statuses)
        uncertain = sum(s in ("ambiguous", "in_progress") for s in statuses)
        with self._lock:
            s = self._state
            spent = (
                None
                if s.spent is None or self.price is None
                else (s.spent + self.price * request.segments_each * new)
            )
            self._state = Progress(
                total=s.total,
                sent=s.sent + sent,
                failed=s.failed + failed,
                uncertain=s.uncertain + uncertain,
                spent=spent,
            )
            state = self._state
        if self.progress is not None:
            self.progress.update(state)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.close(self._state)


def _positions_by_phone(request: PlannedRequest) -> dict[str, list[int]]:
    by_phone: dict[str, list[int]] = defaultdict(list)
    for phone, position in zip(request.phones, request.positions.tolist(), strict=True):
        by_phone[phone].append(position)
    return by_phone


def _journal_names(request: PlannedRequest) -> list[str]:
    """The recipients as the journal knows them.

    A phone given twice in one request (possible with ``dedupe=False``) is ``phone#2`` the
    second time, so that the journal tells the two messages apart.
    """
    seen: dict[str, int] = defaultdict(int)
    names = []
    for phone in request.phones:
        seen[phone] += 1
        names.append(phone if seen[phone] == 1 else f"{phone}#{seen[phone]}")
    return names


def _send_one(
    request: PlannedRequest,
    client: DirectCall,
    journal: Journal | None,
    campaign_id: int | None,
    campaign: _Campaign,
    *,
    resend_ambiguous: bool,
    limiter: RateLimiter | None,
    sleep: Callable[[float], None],
) -> _Outcome:
    names = _journal_names(request)
    position_of = dict(zip(names, request.positions.tolist(), strict=True))
    outcome = _Outcome(RequestResult(request.number, "not_sent", len(names)))
    if campaign.stop.is_set():
        outcome.status = {p: "not_sent" for p in position_of.values()}
        outcome.result = RequestResult(
            request.number, "not_sent", len(names), msg=campaign.stopped or ""
        )
        return outcome

    to_send = names
    request_id: int | None = None
    if journal is not None and campaign_id is not None:
        claim = journal.claim(
            campaign_id,
            text=request.text,
            recipients=names,
            segments_each=request.segments_each,
            resend_ambiguous=resend_ambiguous,
        )
        for name, callerid in claim.already_sent.items():
            outcome.status[position_of[name]] = "already_sent"
            outcome.callerid[position_of[name]] = callerid
        for name in claim.ambiguous:
            outcome.status[position_of[name]] = "ambiguous"
        for name in claim.in_progress:
            outcome.status[position_of[name]] = "in_progress"
        to_send = list(claim.claimed)
        request_id = claim.request_id
        if not to_send:
            outcome.result = RequestResult(request.number, "skipped", 0, msg="sent before")
            return outcome

    phones = [name.partition("#")[0] for name in to_send]
    positions = [position_of[name] for name in to_send]
    options = campaign.plan.estimate.options
    attempt = 0
    while True:
        attempt += 1
        if limiter is not None:
            limiter.wait()
        try:
            answer = client.send(
                phones,
                request.text,
                sender=str(options.sender),
                channel=options.channel,
                schedule=campaign.plan.schedule,
                short_number=campaign.plan.short_number,
                show_sender=options.show_sender or None,
            )
        except (RequestNotSent, ServerFailure) as exc:
            if should_retry(exc, attempt) and not campaign.stop.is_set():
                sleep(backoff(attempt))
                continue
            if isinstance(exc, RequestNotSent):
                if journal is not None and request_id is not None:
                    journal.release(request_id, reason=str(exc))
                state, codigo, msg = "failed", None, f"could not reach DirectCall: {exc}"
                campaign.halt(f"DirectCall could not be reached ({exc})")
            elif exc.status_code == 503:  # "unavailable": the server did not handle it
                if journal is not None and request_id is not None:
                    journal.release(request_id, reason=str(exc))
                state, codigo, msg = "failed", None, f"DirectCall was unavailable: {exc}"
            else:
                if journal is not None and request_id is not None:
                    journal.mark_ambiguous(request_id, reason=str(exc))
                state, codigo, msg = "ambiguous", None, f"the server failed while sending: {exc}"
        except ResponseLost as exc:
            if journal is not None and request_id is not None:
                journal.mark_ambiguous(request_id, reason=str(exc))
            state, codigo, msg = "ambiguous", None, f"the answer never came: {exc}"
        except APIError as exc:
            if journal is not None and request_id is not None:
                journal.mark_failed(request_id, codigo=exc.codigo, msg=exc.msg)
            state, codigo, msg = "failed", exc.codigo, exc.msg
            if isinstance(exc, _CAMPAIGN_STOPPERS):
                campaign.halt(str(exc))
        except TransportError as exc:  # any other transport failure: the request may have left
            if journal is not None and request_id is not None:
                journal.mark_ambiguous(request_id, reason=str(exc))
            state, codigo, msg = "ambiguous", None, str(exc)
        except BaseException:
            # Interrupted or broken in our own code while the request may be on the wire.
            if journal is not None and request_id is not None:
                journal.mark_ambiguous(request_id, reason="interrupted while sending")
            raise
        else:
            state = "scheduled" if campaign.plan.schedule is not None else "sent"
            codigo, msg = answer.codigo, answer.msg
            if journal is not None and request_id is not None:
                journal.mark_sent(
                    request_id,
                    callerid=str(answer.callerid),
                    codigo=answer.codigo,
                    msg=answer.msg,
                    scheduled=state == "scheduled",
                )
            for position in positions:
                outcome.callerid[position] = str(answer.callerid)
        break
    for position in positions:
        outcome.status[position] = state
    outcome.result = RequestResult(
        request.number,
        state,
        len(positions),
        callerid=outcome.callerid.get(positions[0]),
        codigo=codigo,
        msg=msg,
        attempts=attempt,
    )
    return outcome


def dispatch(
    plan: Plan,
    client: DirectCall,
    *,
    journal: Journal | None,
    resend_ambiguous: bool = False,
    concurrency: int = DEFAULT_CONCURRENCY,
    rate_limit: float | None = None,
    progress: ProgressSink | None = None,
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send every request of ``plan`` once, and report on every row.

    Parameters
    ----------
    plan : Plan
        The requests to make.
    client : DirectCall
        The client to send with.
    journal : Journal or None
        Where each request is recorded before and after it is made; None keeps no record, and
        then nothing guards against sending twice.
    resend_ambiguous : bool, default False
        Send again the messages whose earlier answer never came.
    concurrency : int, default 16
        Requests in flight at once.
    rate_limit : float, optional
        At most this many requests started per second.
    progress : ProgressSink, optional
        Told of each request's result.
    stop : threading.Event, optional
        Set it (from another thread, e.g. a stop button) to stop: the requests in flight
        finish, no other is made, and the report is returned.
    sleep : callable, default time.sleep
        How to wait between repeats of a request that did not arrive.

    Returns
    -------
    SendReport
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, not {concurrency}")
    limiter = None if rate_limit is None else RateLimiter(rate_limit)
    campaign = _Campaign(plan, progress, stop)
    campaign_id = None
    if journal is not None:
        options = plan.estimate.options
        campaign_id = journal.start_campaign(
            account=client.client_id,
            sender=str(options.sender),
            channel=options.channel,
            schedule=plan.schedule,
            template=plan.estimate.text,
            price_per_segment=options.price_per_segment,
            rows=len(plan.estimate.sendable),
        )

    def send_and_record(request: PlannedRequest) -> _Outcome:
        # Recorded by the worker itself, so that an interrupt of the main thread loses nothing.
        outcome = _send_one(
            request,
            client,
            journal,
            campaign_id,
            campaign,
            resend_ambiguous=resend_ambiguous,
            limiter=limiter,
            sleep=sleep,
        )
        campaign.record(outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="directcall-send") as pool:
        pending: set[Future[_Outcome]] = set()
        queue = iter(plan.requests)
        try:
            while not campaign.stop.is_set():
                request = next(queue, None)
                if request is None:
                    break
                pending.add(pool.submit(send_and_record, request))
                if len(pending) >= concurrency * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    _collect(done, campaign)
            done, pending = wait(pending)
            _collect(done, campaign)
        except KeyboardInterrupt:
            campaign.halt("interrupted; the requests already in flight were let finish")
            done, pending = wait(pending)
            _collect(done, campaign)
        if campaign.stop.is_set() and campaign.stopped is None:
            campaign.halt("stopped on request; the requests already in flight were let finish")
    # Leaving the pool waited for every request submitted, collected above or not.
    outcomes = [
        campaign.outcomes.get(r.number) or _not_sent(r, campaign.stopped or "stopped")
        for r in plan.requests
    ]
    campaign.close()
    return _report(plan, outcomes, journal, campaign.stopped)


def _collect(done: set[Future[_Outcome]], campaign: _Campaign) -> None:
    for future in done:
        outcome = future.result()
        campaign.count(outcome, campaign.plan.requests[outcome.result.number])


def _not_sent(request: PlannedRequest, why: str) -> _Outcome:
    outcome = _Outcome(RequestResult(request.number, "not_sent", len(request.phones), msg=why))
    outcome.status = {int(p): "not_sent" for p in request.positions}
    return outcome


def _base_rows(plan: Plan) -> pd.DataFrame:
    detail = plan.estimate.rows
    rows = pd.DataFrame(
        {
            "phone": detail["phone"],
            "status": detail["status"].astype(object),
            "callerid": pd.Series(pd.NA, index=detail.index, dtype="string"),
            "codigo": pd.Series(pd.NA, index=detail.index, dtype="string"),
            "msg": pd.Series(pd.NA, index=detail.index, dtype="string"),
            "reason": detail["reason"],
            "text": detail["text"],
            "segments": detail["segments"],
        },
        index=detail.index,
    )
    return rows


def _report(
    plan: Plan, outcomes: list[_Outcome], journal: Journal | None, stopped: str | None
) -> SendReport:
    rows = _base_rows(plan)
    status = rows["status"].to_numpy(dtype=object).copy()
    callerid = rows["callerid"].to_numpy(dtype=object).copy()
    codigo = rows["codigo"].to_numpy(dtype=object).copy()
    msg = rows["msg"].to_numpy(dtype=object).copy()
    outcomes.sort(key=lambda o: o.result.number)
    for outcome in outcomes:
        for position, state in outcome.status.items():
            status[position] = state
            if state not in ("already_sent", "in_progress"):
                codigo[position] = outcome.result.codigo
                msg[position] = outcome.result.msg or None
        for position, value in outcome.callerid.items():
            callerid[position] = value
    rows["status"] = status
    rows["callerid"] = pd.array(callerid, dtype="string")
    rows["codigo"] = pd.array(codigo, dtype="string")
    rows["msg"] = pd.array(msg, dtype="string")
    rows.loc[rows["status"] == "ok", "status"] = "not_sent"
    return SendReport(
        plan,
        rows,
        [o.result for o in outcomes],
        journal=None if journal is None else journal.path,
        stopped=stopped,
    )


def dry_run_report(plan: Plan) -> SendReport:
    """The report of a dry run: every row that would be sent is ``dry_run``; nothing is sent."""
    rows = _base_rows(plan)
    rows.loc[rows["status"] == "ok", "status"] = "dry_run"
    results = [RequestResult(r.number, "dry_run", len(r.phones)) for r in plan.requests]
    return SendReport(plan, rows, results, journal=None, dry_run=True)
