"""Carry out a plan through a client and the journal: the only place where sending happens.

Each planned request is claimed in the journal (``pending``) before it leaves and marked after
its answer, so that running the same campaign again sends only what was never sent. Requests go
out from a pool of worker threads (a notebook's own event loop is never touched), optionally
under a rate limit.

Every check of the input was made before `dispatch` starts (`directcall_nb.options`, the
estimate, `directcall_nb.sending._pipeline.prepare`); here, besides the server and the network, only
time can refuse a request: a scheduled request is claimed only while its schedule is at least
`directcall_nb.options.SCHEDULE_LEAD` ahead. From the first claim on, `dispatch` always returns
a report:

- a request not made is ``not_sent``, with the reason;
- a stop (the form's Parar, a ``stop`` event) or an interrupt (the notebook's stop button,
  Ctrl-C) lets the requests in flight finish and sends nothing more;
- a second interrupt stops waiting for them: their rows are ``ambiguous`` in the report, and
  their workers still record the answers in the journal when they come.

Every request claimed in a journal carries its tag to DirectCall (a custom field, see
`directcall_nb.sending._reconcile`). Before the first claim, the ambiguous requests that hold
messages of this campaign are settled with DirectCall's usage statement where it can tell (a
read: it sends nothing), so that the claims meet them sent, or free to be sent, or still
ambiguous with the reason in the report's ``settlement`` column.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from directcall_nb.client import BRAZIL_TIME
from directcall_nb.errors import (
    AccountNotFound,
    APIError,
    AuthenticationError,
    BillingError,
    InputError,
    InvalidOption,
    JournalError,
    RequestNotSent,
    ResponseLost,
    ServerFailure,
    TransportError,
)
from directcall_nb.options import SCHEDULE_LEAD
from directcall_nb.plan import Plan, PlannedRequest
from directcall_nb.report import RequestResult, SendReport, Stop
from directcall_nb.sending._progress import Progress, ProgressSink
from directcall_nb.sending._reconcile import TAG_FIELD, settle
from directcall_nb.sending._retry import backoff, should_retry

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal

__all__ = ["RateLimiter", "dispatch", "dry_run_report"]

logger = logging.getLogger("directcall_nb.dispatch")

#: Answers after which no other request is worth making: they would all fail the same way.
_CAMPAIGN_STOPPERS = (AuthenticationError, BillingError, AccountNotFound)
#: The reasons put in the report, in English (the report translates its own summary).
_INTERRUPTED = "interrupted; the requests already in flight were let finish"
_STOPPED = "stopped on request; the requests already in flight were let finish"
_ABANDONED = (
    "the answer had not come when the wait was interrupted a second time; the journal records "
    "it when it comes (see Journal.messages())"
)


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


@dataclass
class _Outcome:
    """Per-row results of one planned request, by position in the input frame."""

    result: RequestResult
    status: dict[int, str] = field(default_factory=dict)
    callerid: dict[int, str] = field(default_factory=dict)
    #: How a row's earlier request was settled with the usage statement, in words.
    settlement: dict[int, str] = field(default_factory=dict)
    #: Rows whose status an earlier run decided (already sent, ambiguous, in progress).
    earlier: set[int] = field(default_factory=set)


def _not_sent(
    request: PlannedRequest, why: str, state: str = "not_sent", problem: str = "stopped"
) -> _Outcome:
    outcome = _Outcome(
        RequestResult(request.number, state, len(request.phones), msg=why, problem=problem)
    )
    outcome.status = {int(p): state for p in request.positions}
    return outcome


class _Campaign:
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
        self.outcomes: dict[int, _Outcome] = {}
        self._state = Progress(total=plan.recipients, price=self.price)

    def record(self, outcome: _Outcome) -> None:
        """Keep what became of one request (called by the worker that made it)."""
        with self._lock:
            self.outcomes[outcome.result.number] = outcome

    def halt(self, reason: str, kind: str, **fields: object) -> None:
        """Send nothing more; the first reason given is the one reported.

        ``reason`` is the English sentence; ``kind`` and ``fields`` let a display write it in
        another language (see `directcall_nb.report.Stop`).
        """
        with self._lock:
            if self.stopped is None:
                self.stopped = reason
                self.stop_reason = Stop(kind, fields)
        self.stop.set()

    def count(self, outcome: _Outcome, request: PlannedRequest) -> None:
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
        if self.progress is not None:
            try:
                self.progress.close(self._state)
            except Exception:
                logger.exception("the progress display failed")


# -- one request ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    """What the journal let this run send of one request, and why the rest was not sent."""

    request_id: int | None
    keys: tuple[str, ...]
    status: dict[str, str]
    callerid: dict[str, str]
    tag: str | None = None
    settled: dict[str, str] = field(default_factory=dict)


def _claim(request: PlannedRequest, campaign: _Campaign) -> _Claimed:
    journal = campaign.journal
    if journal is None or campaign.campaign_id is None:
        return _Claimed(None, request.keys, {}, {})
    claim = journal.claim(
        campaign.campaign_id,
        text=request.text,
        recipients=request.keys,
        segments_each=request.segments_each,
        resend_ambiguous=campaign.options.resend_ambiguous,
    )
    status = dict.fromkeys(claim.ambiguous, "ambiguous")
    status.update(dict.fromkeys(claim.in_progress, "in_progress"))
    status.update(dict.fromkeys(claim.already_sent, "already_sent"))
    return _Claimed(
        claim.request_id,
        claim.claimed,
        status,
        dict(claim.already_sent),
        claim.tag,
        claim.settled,
    )


@dataclass(frozen=True)
class _Answer:
    """What became of the HTTP request for the claimed recipients."""

    state: str
    codigo: str | None = None
    msg: str = ""
    callerid: str | None = None
    attempts: int = 1
    problem: str = ""


def _call(
    request: PlannedRequest, keys: Iterable[str], campaign: _Campaign, tag: str | None = None
) -> _Answer:
    """Make the request (repeating it only while it certainly did not arrive) and judge it.

    ``tag`` is the journal's id of the request, sent as the custom field `TAG_FIELD`.
    """
    phones = [key.partition("#")[0] for key in keys]
    options = campaign.options
    custom = None if tag is None else {TAG_FIELD: tag}
    attempt = 0
    while True:
        attempt += 1
        if campaign.limiter is not None:
            campaign.limiter.wait()
        try:
            answer = campaign.client.send(
                phones,
                request.text,
                sender=str(options.sender),
                channel=options.channel,
                schedule=options.schedule,
                short_number=options.short_number,
                show_sender=options.show_sender or None,
                fields=custom,
            )
        except (RequestNotSent, ServerFailure) as exc:
            if should_retry(exc, attempt) and not campaign.stop.is_set():
                campaign.sleep(backoff(attempt))
                continue
            return _transport_answer(exc, attempt, campaign)
        except ResponseLost as exc:
            return _Answer(
                "ambiguous", None, f"the answer never came: {exc}", attempts=attempt, problem="lost"
            )
        except APIError as exc:
            if isinstance(exc, _CAMPAIGN_STOPPERS):
                campaign.halt(str(exc), "refused", codigo=exc.codigo, msg=exc.msg)
            return _Answer("failed", exc.codigo, exc.msg, attempts=attempt, problem="refused")
        except TransportError as exc:  # any other transport failure: the request may have left
            return _Answer("ambiguous", None, str(exc), attempts=attempt, problem="lost")
        except InputError as exc:  # refused by the client before anything left
            return _Answer("unsent", None, f"not sent: {exc}", attempts=attempt, problem="unsent")
        state = "scheduled" if options.schedule is not None else "sent"
        callerid = None if answer.callerid is None else str(answer.callerid)
        return _Answer(state, answer.codigo, answer.msg, callerid, attempt)


def _transport_answer(exc: TransportError, attempt: int, campaign: _Campaign) -> _Answer:
    if isinstance(exc, RequestNotSent):
        campaign.halt(f"DirectCall could not be reached ({exc})", "unreachable")
        return _Answer(
            "failed", None, f"could not reach DirectCall: {exc}", attempts=attempt,
            problem="unreachable",
        )  # fmt: skip
    if isinstance(exc, ServerFailure) and exc.status_code == 503:  # it did not handle it
        return _Answer(
            "failed", None, f"DirectCall was unavailable: {exc}", attempts=attempt,
            problem="unavailable",
        )  # fmt: skip
    return _Answer(
        "ambiguous", None, f"the server failed while sending: {exc}", attempts=attempt,
        problem="server_error",
    )  # fmt: skip


def _record(request_id: int | None, answer: _Answer, campaign: _Campaign) -> None:
    """Write the answer in the journal; a journal that fails stops the campaign."""
    journal = campaign.journal
    if journal is None or request_id is None:
        return
    try:
        if answer.state in ("sent", "scheduled"):
            journal.mark_sent(
                request_id,
                callerid=answer.callerid or "",
                codigo=answer.codigo or "000",
                msg=answer.msg,
                scheduled=answer.state == "scheduled",
            )
        elif answer.state == "unsent" or (answer.state == "failed" and answer.codigo is None):
            journal.release(request_id, reason=answer.msg)
        elif answer.state == "failed":
            journal.mark_failed(request_id, codigo=answer.codigo, msg=answer.msg)
        else:
            journal.mark_ambiguous(request_id, reason=answer.msg)
    except JournalError as exc:
        campaign.halt(
            f"the journal could not record an answer, so nothing more was sent: {exc}", "journal"
        )


def _settlement(fresh: tuple[str, bool] | None, recorded: str | None) -> str | None:
    """What to report of a row's settlement: this run's, unless it did not ask and one is kept."""
    if fresh is not None and (fresh[1] or recorded is None):
        return fresh[0]
    return recorded


def _send_one(request: PlannedRequest, campaign: _Campaign) -> _Outcome:
    """Claim, send and record one planned request; never raises for a row's fate."""
    if campaign.stop.is_set():
        return _not_sent(request, campaign.stopped or _STOPPED)
    if not campaign.options.schedule_is_open(campaign.now()):
        schedule = campaign.options.schedule
        campaign.halt(
            f"the schedule {schedule:%d/%m/%Y %H:%M} is now less than "
            f"{int(SCHEDULE_LEAD.total_seconds() // 60)} minute away, so the rest was not sent: "
            "choose a later time and send again",
            "schedule_passed",
            moment=schedule,
        )
        return _not_sent(request, campaign.stopped or "")
    try:
        claimed = _claim(request, campaign)
    except JournalError as exc:
        campaign.halt(
            f"the journal could not be written, so nothing more was sent: {exc}", "journal"
        )
        return _not_sent(request, campaign.stopped or str(exc))
    positions = dict(zip(request.keys, request.positions.tolist(), strict=True))
    outcome = _Outcome(RequestResult(request.number, "skipped", 0, msg="sent before"))
    for key, state in claimed.status.items():
        outcome.status[positions[key]] = state
        outcome.earlier.add(positions[key])
    for key, callerid in claimed.callerid.items():
        outcome.callerid[positions[key]] = callerid
    for key in request.keys:
        words = _settlement(campaign.settled.get((request.text, key)), claimed.settled.get(key))
        if words:
            outcome.settlement[positions[key]] = words
    if not claimed.keys:
        return outcome
    try:
        answer = _call(request, claimed.keys, campaign, claimed.tag)
    except Exception as exc:  # a defect of ours while the request may have been on the wire
        answer = _Answer(
            "ambiguous", None, f"internal error while sending: {exc!r}", problem="internal"
        )
    _record(claimed.request_id, answer, campaign)
    state = "not_sent" if answer.state == "unsent" else answer.state
    for key in claimed.keys:
        outcome.status[positions[key]] = state
        if answer.callerid is not None:
            outcome.callerid[positions[key]] = answer.callerid
    outcome.result = RequestResult(
        request.number,
        state,
        len(claimed.keys),
        callerid=answer.callerid,
        codigo=answer.codigo,
        msg=answer.msg,
        attempts=answer.attempts,
        problem=answer.problem,
    )
    return outcome


# -- the campaign --------------------------------------------------------------------------------


def dispatch(
    plan: Plan,
    client: DirectCall,
    *,
    journal: Journal | None,
    progress: ProgressSink | None = None,
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] | None = None,
    on_finished: Callable[[], None] | None = None,
) -> SendReport:
    """Send every request of ``plan`` once, and report on every row.

    Concurrency, rate limit, schedule, short number and ``resend_ambiguous`` come from the
    plan's options.

    Parameters
    ----------
    plan : Plan
        The requests to make.
    client : DirectCall
        The client to send with.
    journal : Journal or None
        Where each request is recorded before and after it is made; None keeps no record, and
        then nothing guards against sending twice.
    progress : ProgressSink, optional
        Told of each request's result.
    stop : threading.Event, optional
        Set it (from another thread, e.g. a stop button) to stop: the requests in flight
        finish, no other is made, and the report is returned.
    sleep : callable, default time.sleep
        How to wait between repeats of a request that did not arrive.
    now : callable, optional
        The present moment (aware); the clock by default. Read before each claim of a
        scheduled request.
    on_finished : callable, optional
        Called once every worker is done: at once when the report is returned, or later, from
        another thread, when a second interrupt stopped the wait for the requests in flight.
    Returns
    -------
    SendReport
    """
    campaign = _Campaign(
        plan,
        client,
        journal,
        progress,
        stop,
        sleep=sleep,
        now=now or (lambda: datetime.now(BRAZIL_TIME)),
    )
    if journal is not None:
        options = plan.options
        campaign.campaign_id = journal.start_campaign(
            server=client.base_url,
            account=client.client_id,
            sender=str(options.sender),
            channel=options.channel,
            schedule=options.schedule,
            template=plan.estimate.text,
            price_per_segment=options.price_per_segment,
            rows=len(plan.estimate.sendable),
        )
        _reconcile_first(campaign, plan.options.reconcile_older_than)

    def send_and_record(request: PlannedRequest) -> _Outcome:
        # Recorded by the worker itself, so that an interrupt of the main thread loses nothing.
        try:
            outcome = _send_one(request, campaign)
        except Exception as exc:  # a defect of ours: the request may have left
            outcome = _not_sent(
                request, f"internal error: {exc!r}", state="ambiguous", problem="internal"
            )
            campaign.halt(f"internal error, nothing more was sent: {exc!r}", "internal")
        campaign.record(outcome)
        return outcome

    pool = ThreadPoolExecutor(
        max_workers=plan.options.concurrency, thread_name_prefix="directcall-send"
    )
    submitted: dict[int, Future[_Outcome]] = {}
    _run(plan, campaign, pool, submitted, send_and_record)
    pool.shutdown(wait=False, cancel_futures=True)
    in_flight = [f for f in submitted.values() if not f.done()]
    if in_flight:
        _finish_later(in_flight, on_finished)
    elif on_finished is not None:
        on_finished()
    outcomes = [_outcome_of(r, campaign, submitted) for r in plan.requests]
    campaign.close()
    return _report(plan, outcomes, journal, campaign)


def _reconcile_first(campaign: _Campaign, older_than: timedelta) -> None:
    """Settle, with the usage statement, the ambiguous requests this campaign's claims would meet.

    Only reads are made of DirectCall. A statement that cannot be asked leaves them ambiguous;
    an interrupt or a journal that cannot be written stops the campaign before its first claim.
    """
    journal, campaign_id = campaign.journal, campaign.campaign_id
    if journal is None or campaign_id is None:
        return
    try:
        found = journal.ambiguous_like(campaign_id)
        if found:  # the plan's texts are gathered only when something may need them
            texts = {r.text for r in campaign.plan.requests}
            found = [request for request in found if request.text in texts]
        if not found:
            return
        settlements = settle(
            campaign.client,
            journal,
            found,
            older_than=older_than,
            now=campaign.now,
            stopped=campaign.stop.is_set,
        )
    except KeyboardInterrupt:
        campaign.halt(_INTERRUPTED, "interrupted")
        return
    except JournalError as exc:
        campaign.halt(f"the journal could not be written, so nothing was sent: {exc}", "journal")
        return
    except Exception:  # a defect of ours in a read-only step: the claims still hold the rows
        logger.exception("the reconciliation before the first claim failed")
        return
    campaign.settled = {
        (s.text, key): (s.detail, s.asked is not None) for s in settlements for key in s.recipients
    }


#: The longest the main thread waits without looking at its signals: a Ctrl-C received by
#: another thread is only seen when the main thread wakes up.
_WAKE_UP = 0.1


def _wait(
    futures: Iterable[Future[_Outcome]], return_when: str = ALL_COMPLETED
) -> tuple[set[Future[_Outcome]], set[Future[_Outcome]]]:
    """`concurrent.futures.wait`, waking up often enough to be interrupted by Ctrl-C."""
    pending = set(futures)
    done: set[Future[_Outcome]] = set()
    while pending:
        finished, pending = wait(pending, timeout=_WAKE_UP, return_when=return_when)
        done |= finished
        if finished and return_when == FIRST_COMPLETED:
            break
    return done, pending


def _run(
    plan: Plan,
    campaign: _Campaign,
    pool: ThreadPoolExecutor,
    submitted: dict[int, Future[_Outcome]],
    work: Callable[[PlannedRequest], _Outcome],
) -> None:
    """Submit the requests and wait for them, until a second interrupt stops the wait."""
    limit = plan.options.concurrency * 2
    pending: set[Future[_Outcome]] = set()
    try:
        for request in plan.requests:
            if campaign.stop.is_set():
                break
            future = pool.submit(work, request)
            submitted[request.number] = future
            pending.add(future)
            if len(pending) >= limit:
                done, pending = _wait(pending, return_when=FIRST_COMPLETED)
                _collect(done, campaign)
        done, pending = _wait(pending)
        _collect(done, campaign)
    except KeyboardInterrupt:
        with contextlib.suppress(KeyboardInterrupt):  # a second one: stop waiting
            campaign.halt(_INTERRUPTED, "interrupted")
            done, _ = _wait(submitted.values())
            _collect({f for f in done if f in pending}, campaign)
        campaign.halt(_INTERRUPTED, "interrupted")
    if campaign.stop.is_set() and campaign.stopped is None:
        campaign.halt(_STOPPED, "stop_requested")


def _collect(done: set[Future[_Outcome]], campaign: _Campaign) -> None:
    for future in done:
        outcome = future.result()
        campaign.count(outcome, campaign.plan.requests[outcome.result.number])


def _finish_later(futures: list[Future[_Outcome]], on_finished: Callable[[], None] | None) -> None:
    """Wait for the abandoned requests in a thread of their own, then call ``on_finished``."""

    def finish() -> None:
        wait(futures)
        if on_finished is not None:
            on_finished()

    threading.Thread(target=finish, name="directcall-finish", daemon=False).start()


def _outcome_of(
    request: PlannedRequest, campaign: _Campaign, submitted: dict[int, Future[_Outcome]]
) -> _Outcome:
    """What the report says of a request: its outcome, ``ambiguous`` if still on the wire."""
    future = submitted.get(request.number)
    if future is not None and future.done() and not future.cancelled():
        return future.result()
    if future is not None and future.running():
        return _not_sent(request, _ABANDONED, state="ambiguous", problem="abandoned")
    return _not_sent(request, campaign.stopped or _STOPPED)


# -- the report ----------------------------------------------------------------------------------


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
            "settlement": pd.Series(pd.NA, index=detail.index, dtype="string"),
        },
        index=detail.index,
    )
    return rows


def _report(
    plan: Plan, outcomes: list[_Outcome], journal: Journal | None, campaign: _Campaign
) -> SendReport:
    rows = _base_rows(plan)
    status = rows["status"].to_numpy(dtype=object).copy()
    callerid = rows["callerid"].to_numpy(dtype=object).copy()
    codigo = rows["codigo"].to_numpy(dtype=object).copy()
    msg = rows["msg"].to_numpy(dtype=object).copy()
    settlement = rows["settlement"].to_numpy(dtype=object).copy()
    problems = np.full(len(rows), "", dtype=object)
    outcomes.sort(key=lambda o: o.result.number)
    for outcome in outcomes:
        for position, state in outcome.status.items():
            status[position] = state
            if position not in outcome.earlier:
                codigo[position] = outcome.result.codigo
                msg[position] = outcome.result.msg or None
                problems[position] = outcome.result.problem
        for position, value in outcome.callerid.items():
            callerid[position] = value
        for position, words in outcome.settlement.items():
            settlement[position] = words
            if outcome.status.get(position) == "ambiguous" and position in outcome.earlier:
                msg[position] = words
    rows["status"] = status
    rows["callerid"] = pd.array(callerid, dtype="string")
    rows["codigo"] = pd.array(codigo, dtype="string")
    rows["msg"] = pd.array(msg, dtype="string")
    rows["settlement"] = pd.array(settlement, dtype="string")
    rows.loc[rows["status"] == "ok", "status"] = "not_sent"
    problems[(rows["status"].to_numpy() == "not_sent") & (problems == "")] = "stopped"
    return SendReport(
        plan,
        rows,
        [o.result for o in outcomes],
        journal=None if journal is None else journal.path,
        stopped=campaign.stopped,
        stop_reason=campaign.stop_reason,
        campaign_id=campaign.campaign_id,
        problems=problems,
    )


def dry_run_report(plan: Plan) -> SendReport:
    """The report of a dry run: every row that would be sent is ``dry_run``; nothing is sent."""
    rows = _base_rows(plan)
    rows.loc[rows["status"] == "ok", "status"] = "dry_run"
    results = [RequestResult(r.number, "dry_run", len(r.phones)) for r in plan.requests]
    return SendReport(plan, rows, results, journal=None, dry_run=True)
