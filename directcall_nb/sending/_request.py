"""One planned request: claimed in the journal, made through the client, judged, recorded.

`send_one` is what each worker thread does with the request it is given; the run around it is
`directcall_nb.sending._dispatch.dispatch`. The journal records the claim (``pending``) before
the request leaves and its answer after; a request is repeated only while it certainly did not
arrive (`directcall_nb.sending._retry`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from directcall_nb.errors import (
    AccountNotFound,
    APIError,
    AuthenticationError,
    BillingError,
    InputError,
    JournalError,
    RequestNotSent,
    ResponseLost,
    ServerFailure,
    TransportError,
)
from directcall_nb.options import SCHEDULE_LEAD
from directcall_nb.outcomes import RequestResult
from directcall_nb.plan import PlannedRequest
from directcall_nb.sending._campaign import STOPPED, Campaign, RequestOutcome, not_sent
from directcall_nb.sending._reconcile import TAG_FIELD
from directcall_nb.sending._retry import backoff, should_retry

__all__ = ["send_one"]

#: Answers after which no other request is worth making: they would all fail the same way.
_CAMPAIGN_STOPPERS = (AuthenticationError, BillingError, AccountNotFound)


@dataclass(frozen=True)
class _Claimed:
    """What the journal let this run send of one request, and why the rest was not sent."""

    request_id: int | None
    keys: tuple[str, ...]
    status: dict[str, str]
    callerid: dict[str, str]
    tag: str | None = None
    settled: dict[str, str] = field(default_factory=dict)


def _claim(request: PlannedRequest, campaign: Campaign) -> _Claimed:
    """Claim the request's recipients in the journal: every one of them, when there is none."""
    journal = campaign.journal
    if journal is None or campaign.campaign_id is None:
        return _Claimed(None, request.keys, {}, {})
    audio = campaign.options.audio
    claim = journal.claim(
        campaign.campaign_id,
        text=request.text,
        audio=None if audio is None else audio.digest,
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
    request: PlannedRequest, keys: Iterable[str], campaign: Campaign, tag: str | None = None
) -> _Answer:
    """Make the request (repeating it only while it certainly did not arrive) and judge it.

    ``tag`` is the journal's id of the request, sent as the custom field `TAG_FIELD`.
    """
    phones = [key.partition("#")[0] for key in keys]
    options = campaign.options
    custom = None if tag is None else {TAG_FIELD: tag}
    hours = _voice_hours(campaign)
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
                audio=None if options.audio is None else options.audio.content,
                num_tentativas=options.num_tentativas,
                daily_hours=hours,
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


def _voice_hours(campaign: Campaign) -> tuple[int, int] | None:
    """Return the window's whole hours a voice send carries (``enviar_de`` / ``enviar_ate``)."""
    window = campaign.options.window
    if window is None or campaign.options.channel != "voice":
        return None
    return window.voice_hours()


def _transport_answer(exc: TransportError, attempt: int, campaign: Campaign) -> _Answer:
    """Judge a request that failed on the way: not sent, refused unhandled, or maybe sent."""
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


def _record(request_id: int | None, answer: _Answer, campaign: Campaign) -> None:
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
    """Return a row's settlement to report: this run's, unless it did not ask and one is kept."""
    if fresh is not None and (fresh[1] or recorded is None):
        return fresh[0]
    return recorded


def send_one(request: PlannedRequest, campaign: Campaign) -> RequestOutcome:
    """Claim, send and record one planned request; never raise for a row's fate."""
    refused = _refused_before_claim(request, campaign)
    if refused is not None:
        return refused
    try:
        claimed = _claim(request, campaign)
    except JournalError as exc:
        campaign.halt(
            f"the journal could not be written, so nothing more was sent: {exc}", "journal"
        )
        return not_sent(request, campaign.stopped or str(exc))
    positions = dict(zip(request.keys, request.positions.tolist(), strict=True))
    outcome = _outcome_of_claim(request, claimed, positions, campaign)
    if not claimed.keys:
        return outcome
    try:
        answer = _call(request, claimed.keys, campaign, claimed.tag)
    except Exception as exc:  # a defect of ours while the request may have been on the wire
        answer = _Answer(
            "ambiguous", None, f"internal error while sending: {exc!r}", problem="internal"
        )
    _record(claimed.request_id, answer, campaign)
    _add_answer(outcome, request, claimed.keys, positions, answer)
    return outcome


def _refused_before_claim(request: PlannedRequest, campaign: Campaign) -> RequestOutcome | None:
    """Return the outcome of a request the campaign no longer makes, or None when it may go.

    It is not made once the campaign stopped, nor once its schedule is too close, nor once the
    delivery window closed (both stop the campaign).
    """
    if campaign.stop.is_set():
        return not_sent(request, campaign.stopped or STOPPED)
    present = campaign.now()
    options = campaign.options
    if not options.schedule_is_open(present):
        schedule = options.schedule
        campaign.halt(
            f"the schedule {schedule:%d/%m/%Y %H:%M} is now less than "
            f"{int(SCHEDULE_LEAD.total_seconds() // 60)} minute away, so the rest was not sent: "
            "choose a later time and send again",
            "schedule_passed",
            moment=schedule,
        )
        return not_sent(request, campaign.stopped or "")
    window = options.window
    if window is not None and options.schedule is None and not window.is_open(present):
        opening = window.next_opening(present)
        campaign.halt(
            f"outside the delivery window ({window.describe('en')}, Brasília time); run it "
            f"again from {opening:%d/%m/%Y %H:%M}",
            "window_closed",
            moment=opening,
        )
        return not_sent(request, campaign.stopped or "")
    return None


def _outcome_of_claim(
    request: PlannedRequest, claimed: _Claimed, positions: dict[str, int], campaign: Campaign
) -> RequestOutcome:
    """Return the outcome of the rows the claim decided: sent before, ambiguous, in progress.

    Each row also gets its settlement, when an earlier request for it was settled.
    """
    outcome = RequestOutcome(RequestResult(request.number, "skipped", 0, msg="sent before"))
    for key, state in claimed.status.items():
        outcome.status[positions[key]] = state
        outcome.earlier.add(positions[key])
    for key, callerid in claimed.callerid.items():
        outcome.callerid[positions[key]] = callerid
    for key in request.keys:
        words = _settlement(campaign.settled.get((request.text, key)), claimed.settled.get(key))
        if words:
            outcome.settlement[positions[key]] = words
    return outcome


def _add_answer(
    outcome: RequestOutcome,
    request: PlannedRequest,
    keys: tuple[str, ...],
    positions: dict[str, int],
    answer: _Answer,
) -> None:
    """Give the claimed rows, and the request's result, what the answer made of them."""
    state = "not_sent" if answer.state == "unsent" else answer.state
    for key in keys:
        outcome.status[positions[key]] = state
        if answer.callerid is not None:
            outcome.callerid[positions[key]] = answer.callerid
    outcome.result = RequestResult(
        request.number,
        state,
        len(keys),
        callerid=answer.callerid,
        codigo=answer.codigo,
        msg=answer.msg,
        attempts=answer.attempts,
        problem=answer.problem,
    )
