"""``send``: estimate, plan and dispatch a campaign to the rows of a frame, in one call."""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from directcall_nb.estimate import Channel, Policy, estimate
from directcall_nb.plan import CHUNK_SIZE, build_plan
from directcall_nb.report import SendReport

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal

__all__ = ["default_client", "send", "use_client"]

_default_client: DirectCall | None = None


def use_client(client: DirectCall | None) -> None:
    """Make ``client`` the one `send` uses when none is passed (None forgets it).

    ``%directcall sandbox`` and ``%directcall login`` call this in a notebook.
    """
    global _default_client
    _default_client = client


def default_client() -> DirectCall:
    """The client set with `use_client`, else one built from the environment.

    Raises
    ------
    MissingCredentials
        When no client was set and the environment holds no credentials.
    """
    if _default_client is not None:
        return _default_client
    from directcall_nb.client import DirectCall

    return DirectCall()


def _open_journal(journal: Journal | str | os.PathLike[str] | bool | None) -> Journal | None:
    if journal is False:
        return None
    from directcall_nb.journal import Journal

    if isinstance(journal, Journal):
        return journal
    if journal is None or journal is True:
        return Journal()
    return Journal(journal)


def send(
    frame: pd.DataFrame,
    text: str,
    *,
    phone: object,
    sender: str,
    client: DirectCall | None = None,
    channel: Channel = "sms",
    show_sender: bool = False,
    policy: Policy = "directcall",
    price_per_segment: Decimal | float | str | None = None,
    dedupe: bool = True,
    fill: str | None = None,
    allow_international: bool = False,
    schedule: datetime | None = None,
    short_number: bool | None = None,
    dry_run: bool = False,
    max_cost: Decimal | float | str | None = None,
    journal: Journal | str | os.PathLike[str] | bool | None = None,
    resend_ambiguous: bool = False,
    concurrency: int = 16,
    rate_limit: float | None = None,
    progress: bool = True,
    chunk_size: int = CHUNK_SIZE,
) -> SendReport:
    """Send ``text`` to every valid row of ``frame``, exactly once, and report on every row.

    Parameters
    ----------
    frame : DataFrame
        The customer list.
    text : str
        The message template (``{column}`` placeholders; ``{{``/``}}`` for braces).
    phone : object
        The column that holds the phone numbers.
    sender : str
        The sender number (``origem``) in DirectCall's format, e.g. ``"554130600300"``.
    client : DirectCall, optional
        The client to send with; default: the one set with `use_client` (``%directcall
        sandbox`` sets it), else one built from ``DIRECTCALL_CLIENT_ID`` /
        ``DIRECTCALL_CLIENT_SECRET``.
    channel, show_sender, policy, price_per_segment, dedupe, fill, allow_international
        As in `directcall_nb.estimate`.
    schedule : datetime, optional
        Deliver at this time (naive means Brazil time) instead of now.
    short_number : bool, optional
        Send through a short number.
    dry_run : bool, default False
        Send nothing; the report shows the requests that would be made.
    max_cost : Decimal, float or str, optional
        Refuse to start if the campaign costs more than this many reais (needs the price).
    journal : Journal, path, bool or None, default None
        Where every request is recorded: None uses ``DIRECTCALL_NB_JOURNAL`` or the user's
        data directory; a path or a `Journal` chooses another; False keeps none, and then
        nothing guards against sending twice.
    resend_ambiguous : bool, default False
        Send again the messages whose answer never came in an earlier run.
    concurrency : int, default 16
        Requests in flight at once (personalised campaigns make one request per text).
    rate_limit : float, optional
        At most this many requests started per second.
    progress : bool, default True
        Show a progress bar (a widget in a notebook, a line in a terminal).
    chunk_size : int, default 5000
        Largest number of recipients in one ``destino_csv`` file.

    Returns
    -------
    SendReport
        Per row: ``status`` (``sent``, ``scheduled``, ``already_sent``, ``invalid``,
        ``duplicate``, ``failed``, ``ambiguous``, ``not_sent``, ``dry_run``), ``callerid``,
        ``codigo``, ``msg``.

    Raises
    ------
    InputError
        Bad columns, template, options or sender: raised before anything is sent.
    CostLimitExceeded
        The plan costs more than ``max_cost``; nothing is sent.
    MissingCredentials
        No client was given, set or found in the environment.
    """
    from directcall_nb.dispatch import dispatch, dry_run_report
    from directcall_nb.progress import default_progress

    est = estimate(
        frame,
        text,
        phone=phone,
        channel=channel,
        sender=sender,
        show_sender=show_sender,
        policy=policy,
        price_per_segment=price_per_segment,
        dedupe=dedupe,
        fill=fill,
        allow_international=allow_international,
    )
    plan = build_plan(
        est, schedule=schedule, short_number=short_number, max_cost=max_cost, chunk_size=chunk_size
    )
    if dry_run:
        return dry_run_report(plan)
    client = client if client is not None else default_client()
    if schedule is not None:
        from directcall_nb.wire import cron_field

        cron_field(schedule)  # a schedule in the past is refused before anything is sent
    opened = _open_journal(journal)
    try:
        return dispatch(
            plan,
            client,
            journal=opened,
            resend_ambiguous=resend_ambiguous,
            concurrency=concurrency,
            rate_limit=rate_limit,
            progress=default_progress() if progress else None,
        )
    finally:
        if opened is not None and opened is not journal:
            opened.close()
