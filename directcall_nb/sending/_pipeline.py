"""The one send pipeline: options, estimate, plan, every check, then dispatch and the report.

``send`` and the compose form go the same way:

1. the options are built and checked (`directcall_nb.options.Options`);
2. the frame is estimated and planned (`directcall_nb.plan.build_plan`), which refuses a missing
   sender or a campaign over ``max_cost``; the estimate leaves out the rows whose number is on
   the journal's suppression list (``opted_out``): they are never planned, claimed or sent;
3. `prepare` makes every check left that needs the world: the schedule is still ahead, a client
   is found, the journal opens, and the credentials are accepted (a token is obtained);
4. `Sending.run` dispatches: from the first claim on, only the server, the network and the
   clock can refuse a request, and a report always comes back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Unpack

from directcall_nb.display import quoted
from directcall_nb.errors import InvalidOption
from directcall_nb.estimation import Estimator
from directcall_nb.frames import AnyFrame
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.options import Options, OptionValues, check_schedule
from directcall_nb.plan import Plan, build_plan
from directcall_nb.report import SendReport
from directcall_nb.sending._dispatch import dispatch
from directcall_nb.sending._progress import ProgressSink, default_progress
from directcall_nb.sending._report import dry_run_report
from directcall_nb.sending._resources import JournalChoice, default_client, open_journal
from directcall_nb.windows import outside_window

if TYPE_CHECKING:
    import threading

    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal

__all__ = ["Sending", "check_progress", "check_ready", "prepare", "progress_sink", "send"]


@dataclass
class Sending:
    """A send that passed every check and is ready to start: made by `prepare`.

    Attributes
    ----------
    plan : Plan
        The requests to make.
    client : DirectCall
        The client to send with (logged in).
    journal : Journal or None
        Where the send is recorded.
    """

    plan: Plan
    client: DirectCall
    journal: Journal | None
    _owns_journal: bool

    def run(
        self,
        *,
        progress: ProgressSink | None = None,
        stop: threading.Event | None = None,
        sleep: Callable[[float], None] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> SendReport:
        """Send the plan and report on every row (see `directcall_nb.sending._dispatch.dispatch`).

        The journal this send opened is closed once every request is done.
        """
        return dispatch(
            self.plan,
            self.client,
            journal=self.journal,
            progress=progress,
            stop=stop,
            sleep=time.sleep if sleep is None else sleep,
            now=now,
            on_finished=self.close,
        )

    def close(self) -> None:
        """Close the journal if this send opened it."""
        if self._owns_journal and self.journal is not None:
            self.journal.close()


def prepare(
    plan: Plan,
    *,
    client: DirectCall | None = None,
    journal: JournalChoice = None,
    now: datetime | None = None,
) -> Sending:
    """Make every check a send needs before its first claim, and return it ready to run.

    Parameters
    ----------
    plan : Plan
        What to send (its options were checked when they were built).
    client : DirectCall, optional
        The client to send with; default: `default_client`.
    journal : Journal, path, bool or None, default None
        As in `send`.
    now : datetime, optional
        The present moment (aware), to check the schedule against; the clock by default.

    Raises
    ------
    InvalidSchedule, OutsideWindow, MissingCredentials, InvalidOption, JournalError,
    AuthenticationError, TransportError
        As `check_ready`.
    """
    resolved, opened, owned = check_ready(plan.options, client=client, journal=journal, now=now)
    return Sending(plan, resolved, opened, owned)


def check_ready(
    options: Options,
    *,
    client: DirectCall | None = None,
    journal: JournalChoice = None,
    now: datetime | None = None,
) -> tuple[DirectCall, Journal | None, bool]:
    """Check what a send of ``options`` needs of the world; return the client and the journal.

    The journal is opened (the flag says whether it was opened here, to be closed by the
    caller) and the client logged in.

    Raises
    ------
    InvalidSchedule
        The schedule is no longer far enough ahead.
    OutsideWindow
        The send would start now, outside the delivery window (``now`` is outside it); the
        error holds the next opening.
    MissingCredentials
        No client was given, set or found in the environment.
    InvalidOption, JournalError
        The journal cannot be used.
    AuthenticationError, TransportError
        The credentials were refused, or DirectCall could not be reached to log in.
    """
    if options.schedule is not None:
        check_schedule(options.schedule, now=now)
    window = options.window
    if window is not None and options.schedule is None:
        present = now or datetime.now(BRAZIL_TIME)
        if not window.is_open(present):
            raise outside_window(window, present, scheduled=False)
    resolved = client if client is not None else default_client()
    opened, owned = open_journal(journal)
    try:
        resolved.authenticate()
    except BaseException:
        if owned and opened is not None:
            opened.close()
        raise
    return resolved, opened, owned


def check_progress(progress: object) -> None:
    """Check the ``progress=`` of a send: True, False or a `ProgressSink`.

    Raises
    ------
    InvalidOption
        ``progress`` is none of them.
    """
    if not isinstance(progress, bool) and not isinstance(progress, ProgressSink):
        raise InvalidOption(
            f"progress={quoted(progress)} is not accepted: give True, False or a progress sink",
            option="progress",
            value=progress,
        )


def progress_sink(progress: bool | ProgressSink) -> ProgressSink | None:
    """Return where a send shows its progress: the default display, the sink given, or none."""
    check_progress(progress)
    return default_progress() if progress is True else progress or None


def send(
    frame: AnyFrame,
    text: str,
    *,
    phone: object,
    client: DirectCall | None = None,
    journal: JournalChoice = None,
    dry_run: bool = False,
    progress: bool | ProgressSink = True,
    options: Options | None = None,
    **values: Unpack[OptionValues],
) -> SendReport:
    """Send ``text`` to every valid row of ``frame``, exactly once, and report on every row.

    Parameters
    ----------
    frame : DataFrame or polars.DataFrame
        The customer list (for a Polars frame, the report's ``rows`` is a Polars frame).
    text : str
        The message template (``{column}`` placeholders; ``{{``/``}}`` for braces).
    phone : object
        The column that holds the phone numbers.
    client : DirectCall, optional
        The client to send with; default: the one set with `use_client` (``%directcall
        sandbox`` sets it), else one built from ``DIRECTCALL_CLIENT_ID`` /
        ``DIRECTCALL_CLIENT_SECRET``.
    journal : Journal, path, bool or None, default None
        Where every request is recorded: None (or True) uses ``DIRECTCALL_NB_JOURNAL`` or the
        user's data directory; a path or a `Journal` chooses another; False keeps none, and
        then nothing guards against sending twice. Its suppression list leaves rows out: they
        are ``opted_out`` (``suppressions=False`` sends to them too); without a journal no list
        is consulted, and the report says so.
    dry_run : bool, default False
        Send nothing; the report shows the requests that would be made.
    progress : bool or ProgressSink, default True
        Show a progress bar (in the notebook's output, or a line on a terminal), or tell this sink.
    options : Options, optional
        The options, built beforehand; keyword options are applied on top of them.
    **values
        Any option of `directcall_nb.Options`, by name: ``sender`` (needed), ``channel``,
        ``show_sender``, ``policy``, ``price_per_segment``, ``dedupe``, ``fill``,
        ``allow_international``, ``schedule``, ``short_number``, ``max_cost``,
        ``concurrency``, ``rate_limit``, ``resend_ambiguous``, ``chunk_size``,
        ``reconcile_older_than`` (ambiguous messages of earlier runs are first looked for in
        DirectCall's usage statement once their request is this old, default 30 minutes),
        ``suppressions`` (False: send to the numbers on the suppression list too),
        ``window`` and ``weekdays`` (the delivery window: nothing is sent outside it; a
        campaign reaching its end stops, the rest ``not_sent`` until it is run again inside;
        ``schedule="next_window"`` schedules at its next opening).

    Returns
    -------
    SendReport
        Per row: ``status`` (``sent``, ``scheduled``, ``already_sent``, ``invalid``,
        ``duplicate``, ``opted_out``, ``failed``, ``ambiguous``, ``in_progress``,
        ``not_sent``, ``dry_run``),
        ``callerid``, ``codigo``, ``msg``, and ``settlement``: how an earlier ambiguous
        request for the row was settled with the usage statement, or why it could not be.

    Raises
    ------
    InputError
        Bad columns, template, options or sender: raised before anything is sent.
    CostLimitExceeded
        The plan costs more than ``max_cost``; nothing is sent.
    OutsideWindow
        The send would start outside the delivery window; ``next_opening`` says when it opens.
        Nothing is sent.
    MissingCredentials, AuthenticationError, JournalError, TransportError
        No client, refused credentials, an unusable journal, or no way to log in: raised before
        anything is sent.
    """
    checked = Options.from_values(values, options)
    check_progress(progress)
    plan = build_plan(Estimator(frame, phone=phone, journal=journal).estimate(text, checked))
    if dry_run:
        return dry_run_report(plan)
    sending = prepare(plan, client=client, journal=journal)
    return sending.run(progress=progress_sink(progress))
