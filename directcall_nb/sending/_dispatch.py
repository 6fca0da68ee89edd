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
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from directcall_nb.errors import JournalError
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.plan import Plan, PlannedRequest
from directcall_nb.report import SendReport
from directcall_nb.sending._campaign import STOPPED, Campaign, RequestOutcome, logger, not_sent
from directcall_nb.sending._progress import ProgressSink
from directcall_nb.sending._reconcile import settle
from directcall_nb.sending._report import build_report
from directcall_nb.sending._request import send_one

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal

__all__ = ["dispatch"]

#: The reasons put in the report, in English (the report translates its own summary).
_INTERRUPTED = "interrupted; the requests already in flight were let finish"
_ABANDONED = (
    "the answer had not come when the wait was interrupted a second time; the journal records "
    "it when it comes (see Journal.messages())"
)


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
    campaign_id: int | None = None,
    rows: int | None = None,
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
    campaign_id : int, optional
        The journal's campaign this plan is part of (a later partition of a Dask frame); by
        default a campaign is started.
    rows : int, optional
        The rows of the whole input, recorded when the campaign is started; by default the
        plan's.

    Returns
    -------
    SendReport
    """
    campaign = Campaign(
        plan,
        client,
        journal,
        progress,
        stop,
        sleep=sleep,
        now=now or (lambda: datetime.now(BRAZIL_TIME)),
    )
    if journal is not None and campaign_id is not None:
        campaign.campaign_id = campaign_id
        _reconcile_first(campaign, plan.options.reconcile_older_than)
    elif journal is not None:
        options = plan.options
        campaign.campaign_id = journal.start_campaign(
            server=client.base_url,
            account=client.client_id,
            sender=str(options.sender),
            channel=options.channel,
            schedule=options.journal_schedule,
            template=plan.estimate.text,
            price_per_segment=options.price_per_segment,
            rows=len(plan.estimate.sendable) if rows is None else rows,
        )
        _reconcile_first(campaign, plan.options.reconcile_older_than)

    def send_and_record(request: PlannedRequest) -> RequestOutcome:
        # Recorded by the worker itself, so that an interrupt of the main thread loses nothing.
        try:
            outcome = send_one(request, campaign)
        except Exception as exc:  # a defect of ours: the request may have left
            outcome = not_sent(
                request, f"internal error: {exc!r}", state="ambiguous", problem="internal"
            )
            campaign.halt(f"internal error, nothing more was sent: {exc!r}", "internal")
        campaign.record(outcome)
        return outcome

    pool = ThreadPoolExecutor(
        max_workers=plan.options.concurrency, thread_name_prefix="directcall-send"
    )
    submitted: dict[int, Future[RequestOutcome]] = {}
    _run(plan, campaign, pool, submitted, send_and_record)
    pool.shutdown(wait=False, cancel_futures=True)
    in_flight = [f for f in submitted.values() if not f.done()]
    if in_flight:
        _finish_later(in_flight, on_finished)
    elif on_finished is not None:
        on_finished()
    outcomes = [_outcome_of(r, campaign, submitted) for r in plan.requests]
    campaign.close()
    return build_report(plan, outcomes, journal, campaign)


def _reconcile_first(campaign: Campaign, older_than: timedelta) -> None:
    """Settle, with the usage statement, the ambiguous requests this campaign's claims would meet.

    Only reads are made of DirectCall. A statement that cannot be asked leaves them ambiguous;
    an interrupt or a journal that cannot be written stops the campaign before its first claim.
    """
    journal, campaign_id = campaign.journal, campaign.campaign_id
    if journal is None or campaign_id is None:
        return
    try:
        audio = campaign.options.audio
        found = journal.ambiguous_like(campaign_id, audio=None if audio is None else audio.digest)
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
    futures: Iterable[Future[RequestOutcome]], return_when: str = ALL_COMPLETED
) -> tuple[set[Future[RequestOutcome]], set[Future[RequestOutcome]]]:
    """`concurrent.futures.wait`, waking up often enough to be interrupted by Ctrl-C."""
    pending = set(futures)
    done: set[Future[RequestOutcome]] = set()
    while pending:
        finished, pending = wait(pending, timeout=_WAKE_UP, return_when=return_when)
        done |= finished
        if finished and return_when == FIRST_COMPLETED:
            break
    return done, pending


def _run(
    plan: Plan,
    campaign: Campaign,
    pool: ThreadPoolExecutor,
    submitted: dict[int, Future[RequestOutcome]],
    work: Callable[[PlannedRequest], RequestOutcome],
) -> None:
    """Submit the requests and wait for them, until a second interrupt stops the wait."""
    limit = plan.options.concurrency * 2
    pending: set[Future[RequestOutcome]] = set()
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
        campaign.halt(STOPPED, "stop_requested")


def _collect(done: set[Future[RequestOutcome]], campaign: Campaign) -> None:
    """Count the finished requests in the progress (in the thread that waits for them)."""
    for future in done:
        outcome = future.result()
        campaign.count(outcome, campaign.plan.requests[outcome.result.number])


def _finish_later(
    futures: list[Future[RequestOutcome]], on_finished: Callable[[], None] | None
) -> None:
    """Wait for the abandoned requests in a thread of their own, then call ``on_finished``."""

    def finish() -> None:
        wait(futures)
        if on_finished is not None:
            on_finished()

    threading.Thread(target=finish, name="directcall-finish", daemon=False).start()


def _outcome_of(
    request: PlannedRequest, campaign: Campaign, submitted: dict[int, Future[RequestOutcome]]
) -> RequestOutcome:
    """Return what the report says of a request: its outcome, ``ambiguous`` if still on the wire."""
    future = submitted.get(request.number)
    if future is not None and future.done() and not future.cancelled():
        return future.result()
    if future is not None and future.running():
        return not_sent(request, _ABANDONED, state="ambiguous", problem="abandoned")
    return not_sent(request, campaign.stopped or STOPPED)
