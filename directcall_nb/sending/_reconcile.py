"""Settle ambiguous requests with DirectCall's usage statement (``/extrato/list``).

A request whose answer never came is ``ambiguous``: it may or may not have been carried out, so
it is never sent again by itself. But every request recorded in a journal carries a tag to
DirectCall, a custom field (``campos[directcall_nb]=<journal uuid>-<request id>``) that
DirectCall keeps with the send and shows in its usage statement, which can be filtered by it.
`reconcile` asks the statement about each ambiguous request old enough to be in it, and settles
it:

- **listed**: it was carried out: ``sent`` (with the callerid when the statement gives one), and
  billed as sent in the journal's audit;
- **absent**: the statement answered, every page of the request's period was read, every entry
  shows its custom fields, and none carries the tag: it was never carried out, ``not_sent``, and
  its messages are free to be sent again by the next run;
- anything else (an answer that cannot be read, an error, a request too recent for the
  statement, a request made before requests carried a tag): it stays ``ambiguous``, with the
  reason in words. Reconciliation never guesses.

A send that meets ambiguous messages of its own campaign reconciles them first
(`directcall_nb.sending._dispatch.dispatch`), so a re-run settles what it can before it reports.

How late the statement shows a send is not documented. A request is asked about only once
`STATEMENT_DELAY` (30 minutes, ``older_than``) has passed since it left, or since its schedule;
the statement is asked for the request's own period, from `WINDOW_MARGIN` (10 minutes) before
it was claimed to that delay and the margin after it (clocks differ, answers time out, voice
calls are retried minutes apart). A shorter ``older_than`` trusts the statement to be quicker:
if it is not, a send it has not listed yet is taken for one never made, and sent again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import pandas as pd

from directcall_nb.errors import (
    AuthenticationError,
    DirectCallError,
    InvalidOption,
    RequestNotSent,
    ResponseLost,
)
from directcall_nb.journal import parse_time, server_text
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.options import STATEMENT_DELAY, check_delay
from directcall_nb.sending._resources import JournalChoice, default_client, open_journal

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.journal import AmbiguousRequest, Journal

__all__ = [
    "TAG_FIELD",
    "WINDOW_MARGIN",
    "Settlement",
    "reconcile",
    "settle",
]

#: The custom field (``campos[directcall_nb]``) under which every journaled request carries its tag.
TAG_FIELD = "directcall_nb"
#: How far before and after its own moments a request's entry is looked for.
WINDOW_MARGIN = timedelta(minutes=10)

Outcome = Literal["sent", "not_sent", "ambiguous"]

#: Why a request made before requests carried a tag stays ambiguous.
_UNTAGGED = (
    "made before requests carried their own id, so DirectCall's statement cannot tell it apart: "
    "check DirectCall's panel"
)

_COLUMNS = [
    "request_id", "campaign_id", "recipients", "tag", "outcome", "callerid", "detail", "asked",
]  # fmt: skip


@dataclass(frozen=True)
class Settlement:
    """What reconciliation made of one ambiguous request.

    Attributes
    ----------
    request_id, campaign_id : int
        The request, and the campaign that made it.
    text : str
        Its text.
    recipients : tuple of str
        Its messages that were ambiguous.
    tag : str or None
        The tag it carried (None for a request made before requests carried one).
    outcome : {"sent", "not_sent", "ambiguous"}
        What it is now.
    detail : str
        How it was settled, or why it could not be, in words.
    callerid : str or None
        The send's callerid, when the statement gave one.
    asked : datetime or None
        When the statement was asked about it; None when it was not asked.
    """

    request_id: int
    campaign_id: int
    text: str
    recipients: tuple[str, ...]
    tag: str | None
    outcome: Outcome
    detail: str
    callerid: str | None = None
    asked: datetime | None = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _when(moment: datetime) -> str:
    return f"{moment.astimezone(BRAZIL_TIME):%Y-%m-%d %H:%M:%S} (Brasília time)"


def _window(
    request: AmbiguousRequest, older_than: timedelta, now: datetime
) -> tuple[datetime, datetime] | str:
    """Return the period to ask the statement for, or why the request cannot be asked yet."""
    reference = request.created_at
    if request.schedule is not None:
        reference = max(reference, parse_time(request.schedule))
    ready = reference + older_than
    if now < ready:
        return (
            f"too recent for the statement: it is asked about from {_when(ready)} on "
            f"(older_than={older_than}); run directcall_nb.reconcile() then, or send again"
        )
    return request.created_at - WINDOW_MARGIN, min(now, ready + WINDOW_MARGIN)


def _left(request: AmbiguousRequest, detail: str, asked: datetime | None = None) -> Settlement:
    """Return the settlement of a request that stays ambiguous, and why."""
    return Settlement(
        request.id,
        request.campaign_id,
        request.text,
        request.recipients,
        request.tag,
        "ambiguous",
        detail,
        asked=asked,
    )


def settle(
    client: DirectCall,
    journal: Journal,
    requests: Sequence[AmbiguousRequest],
    *,
    older_than: timedelta = STATEMENT_DELAY,
    now: Callable[[], datetime] = _utc_now,
    stopped: Callable[[], bool] = lambda: False,
) -> list[Settlement]:
    """Ask the statement about each of ``requests`` and record what it told in ``journal``.

    A request that cannot be asked about (no tag, too recent) is left as it is. Once the
    statement cannot be reached, leaves an answer out (each try may take the client's whole
    timeout), or refuses the credentials, the requests after it are not asked about either;
    an answer it gives (an error code, a page that is no envelope) stops nothing.

    Parameters
    ----------
    client : DirectCall
        A client of the server and account that made the requests.
    journal : Journal
        Where the requests are recorded.
    requests : sequence of AmbiguousRequest
        From `directcall_nb.journal.Journal.ambiguous`.
    older_than : timedelta, default 30 minutes
        How long after a request (or its schedule) the statement is trusted to show it.
    now : callable, optional
        The present moment (aware); the clock by default.
    stopped : callable, optional
        Asked before each request: once it answers True, the rest are not asked about (a send
        that is stopped while it reconciles).

    Returns
    -------
    list of Settlement
        One per request, in order.

    Raises
    ------
    JournalError
        The journal could not record a settlement.
    """
    settlements: list[Settlement] = []
    unreachable: str | None = None
    for request in requests:
        if request.tag is None:
            settlements.append(_left(request, _UNTAGGED))
            continue
        moment = now()
        window = _window(request, older_than, moment)
        if isinstance(window, str):
            settlements.append(_left(request, window))
            continue
        if unreachable is None and stopped():
            unreachable = "the send was stopped"
        if unreachable is not None:
            settlements.append(_left(request, f"not asked: {unreachable}"))
            continue
        settlement, unreachable = _ask(client, journal, request, request.tag, window, moment)
        settlements.append(settlement)
    return settlements


def _ask(
    client: DirectCall,
    journal: Journal,
    request: AmbiguousRequest,
    tag: str,
    window: tuple[datetime, datetime],
    moment: datetime,
) -> tuple[Settlement, str | None]:
    """Ask the statement about one request (by its ``tag``, over ``window``); record what it told.

    Returns the settlement, and why the statement cannot be asked about the requests after it
    (None when it can).
    """
    start, end = window
    try:
        search = client.search_statement(
            {TAG_FIELD: tag}, start=start, end=end, sender=request.sender
        )
    except DirectCallError as exc:
        unreachable = None
        if isinstance(exc, RequestNotSent | ResponseLost | AuthenticationError):
            unreachable = f"the statement could not be asked a moment before ({exc})"
        detail = f"the statement could not be asked on {_when(moment)}: {exc}"
        journal.record_reconciliation(request.id, "ambiguous", detail=detail)
        return _left(request, detail, moment), unreachable
    outcome, detail = _verdict(search.verdict, search.reason, search.callerid, moment)
    recorded = journal.record_reconciliation(
        request.id, outcome, detail=detail, callerid=search.callerid
    )
    if not recorded:
        detail = "no longer ambiguous: settled meanwhile by another run (see Journal.requests())"
        return _left(request, detail, moment), None
    settlement = Settlement(
        request.id,
        request.campaign_id,
        request.text,
        request.recipients,
        request.tag,
        outcome,
        detail,
        search.callerid,
        moment,
    )
    return settlement, None


def _verdict(
    verdict: str, reason: str, callerid: str | None, moment: datetime
) -> tuple[Outcome, str]:
    """Return what the statement's answer makes of a request, and how it told, in words.

    ``verdict``, ``reason`` and ``callerid`` are those of the statement's search, asked at
    ``moment``.
    """
    if verdict == "listed":
        detail = f"confirmed by the statement on {_when(moment)}: {reason}"
        if callerid is not None:
            detail += f", callerid {callerid}"
        return "sent", detail
    if verdict == "absent":
        return "not_sent", (
            f"not in the statement on {_when(moment)}, so never carried out: "
            f"{reason}; a new send sends it"
        )
    detail = f"the statement was asked on {_when(moment)} and could not tell: "
    return "ambiguous", detail + reason


def reconcile(
    client: DirectCall | None = None,
    *,
    journal: JournalChoice = None,
    older_than: timedelta = STATEMENT_DELAY,
    campaign: int | None = None,
    now: Callable[[], datetime] | None = None,
) -> pd.DataFrame:
    """Settle the ambiguous requests of the journal with DirectCall's usage statement.

    Each ambiguous request of the client's server and account that is older than
    ``older_than`` is looked for in the statement by the tag it carried: listed, it becomes
    ``sent``; certainly absent, ``not_sent`` (the next send sends its messages); anything else
    leaves it ``ambiguous``, with the reason. The journal records each settlement in the
    request's history (`directcall_nb.Journal.requests`).

    Parameters
    ----------
    client : DirectCall, optional
        The client to ask with; default: the one `directcall_nb.use_client` set, else one built
        from the environment. Only the requests made through its server and account are asked
        about.
    journal : Journal, path, bool or None, default None
        As in `directcall_nb.send`: None (or True) is the default file.
    older_than : timedelta, default 30 minutes
        How long after a request (or after its schedule) the statement is trusted to show it;
        younger requests are left for later. DirectCall does not document it: a shorter delay
        may take a send not yet listed for one never made.
    campaign : int, optional
        Only this campaign's requests.
    now : callable, optional
        The present moment (aware); the clock by default.

    Returns
    -------
    DataFrame
        One row per ambiguous request considered: ``request_id``, ``campaign_id``,
        ``recipients`` (how many), ``tag``, ``outcome`` (``sent``, ``not_sent``,
        ``ambiguous``), ``callerid``, ``detail`` (how it was settled, or why not) and
        ``asked`` (when the statement was asked, NaT when it was not).

    Raises
    ------
    InvalidOption
        A bad ``older_than``, ``campaign`` or ``journal``.
    MissingCredentials, JournalError
        No client could be found, or the journal cannot be used.
    AuthenticationError
        The credentials were refused (nothing was recorded).
    """
    delay = check_delay(older_than)
    if campaign is not None and (isinstance(campaign, bool) or not isinstance(campaign, int)):
        raise InvalidOption(
            f"campaign must be a campaign id (an int from Journal.campaigns()) or None, not "
            f"{campaign!r}",
            option="campaign",
            value=campaign,
        )
    resolved = client if client is not None else default_client()
    opened, owned = open_journal(journal)
    if opened is None:
        raise InvalidOption(
            "reconcile needs a journal: journal=False keeps none",
            option="journal",
            value=journal,
        )
    clock = now or _utc_now
    try:
        server, account = server_text(resolved.base_url), resolved.client_id.strip().lower()
        mine = [
            request
            for request in opened.ambiguous(campaign=campaign)
            if server_text(request.server) == server and request.account.strip().lower() == account
        ]
        moment = clock()
        if any(
            request.tag is not None and not isinstance(_window(request, delay, moment), str)
            for request in mine
        ):
            resolved.authenticate()  # refused credentials are raised, not written down
        settlements = settle(resolved, opened, mine, older_than=delay, now=clock)
    finally:
        if owned:
            opened.close()
    return _frame(settlements)


def _frame(settlements: Sequence[Settlement]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(
        [
            (
                s.request_id,
                s.campaign_id,
                len(s.recipients),
                s.tag,
                s.outcome,
                s.callerid,
                s.detail,
                s.asked,
            )
            for s in settlements
        ],
        columns=_COLUMNS,
    )
    frame["asked"] = pd.to_datetime(frame["asked"], utc=True)
    return frame.astype(
        {
            "request_id": "int64",
            "campaign_id": "int64",
            "recipients": "int64",
            "tag": "string",
            "outcome": "string",
            "callerid": "string",
            "detail": "string",
        }
    )
