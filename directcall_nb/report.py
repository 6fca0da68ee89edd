"""SendReport: what happened to each input row of a campaign, with a summary to read at a glance.

The report is data and display. What it asks of DirectCall and the journal after the send
(`SendReport.refresh_status`, `SendReport.cancel`) is done by the `FollowUp` that the send
pipeline gives each report it builds (`directcall_nb.sending`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.charts import CampaignPictures
from directcall_nb.display import EMPTY_VALUE, mask_phone
from directcall_nb.frames import ResultFrame
from directcall_nb.outcomes import RequestResult, Stop
from directcall_nb.report_summary import Problem, ReportDisplay, report_notes
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.plan import Plan
    from directcall_nb.windows import SendingTime

__all__ = [
    "DELIVERED",
    "STATUSES",
    "FollowUp",
    "SendReport",
]

#: Every row status, with what it means.
STATUSES: dict[str, str] = {
    "sent": "accepted by DirectCall in this run",
    "scheduled": "accepted by DirectCall, to be delivered at the scheduled time",
    "already_sent": "sent by an earlier run of the same campaign; not sent again",
    "invalid": "not sent: see the reason",
    "duplicate": "not sent: an earlier row has the same phone and the same text",
    "opted_out": "not sent: the number is on the suppression list (the customer opted out)",
    "failed": "not sent: DirectCall refused it, or could not be reached",
    "ambiguous": "may or may not have been sent: the answer never came",
    "in_progress": "being sent right now by another kernel",
    "not_sent": "not sent: the campaign stopped before it, or it could not be sent",
    "cancelled": "scheduled, then cancelled before delivery: not sent",
    "dry_run": "would be sent (dry run: nothing was sent)",
}
#: Statuses of rows DirectCall accepted.
DELIVERED = ("sent", "scheduled", "already_sent")


class FollowUp(Protocol):
    """The calls a report makes after its send, to DirectCall and the journal.

    The send pipeline gives each report it builds one (`directcall_nb.sending`), so that the
    report itself needs neither a client nor a journal.
    """

    def refresh_status(self, report: SendReport, client: DirectCall | None) -> pd.DataFrame:
        """Fill the report's ``delivery`` per row; see `SendReport.refresh_status`."""

    def cancel(self, report: SendReport, client: DirectCall | None) -> pd.DataFrame:
        """Cancel the report's scheduled sends; see `SendReport.cancel`."""

    def funnel(self, report: SendReport, language: Language | None) -> pd.DataFrame:
        """Count the report's funnel; see `SendReport.funnel`."""


class SendReport(ReportDisplay, CampaignPictures):
    """What a campaign did, row by row.

    Attributes
    ----------
    rows : DataFrame or polars.DataFrame
        Of the kind of the input frame (a Polars frame for Polars input, its rows in order),
        indexed like a pandas input frame: ``phone``, ``status`` (see `STATUSES`), ``callerid``,
        ``codigo``, ``msg``, ``reason``, ``text``, ``segments``, ``settlement`` (how an earlier
        ambiguous request for the row was settled with DirectCall's usage statement, or why it
        could not be, in English like ``msg``: see `directcall_nb.sending._reconcile`); after
        `refresh_status`, also ``delivery``. `funnel` and `plot` show what became of it.
    table : DataFrame
        The same rows as a pandas frame, whatever the input was: what the report reads.
    plan : Plan
        The requests that were planned (``plan.estimate`` holds the estimate).
    requests : list of RequestResult
        What became of each planned request, in plan order.
    journal : Path or None
        The journal that recorded the campaign; None when it was sent without one.
    campaign_id : int or None
        The campaign's id in the journal.
    stopped : str or None
        Why the campaign stopped before the end, if it did.
    """

    def __init__(
        self,
        plan: Plan,
        rows: pd.DataFrame,
        requests: Sequence[RequestResult],
        *,
        journal: Path | None,
        campaign_id: int | None = None,
        stopped: str | None = None,
        stop_reason: Stop | None = None,
        problems: npt.NDArray[np.object_] | None = None,
        dry_run: bool = False,
        follow_up: FollowUp,
        timing: SendingTime | None = None,
    ) -> None:
        self.plan = plan
        self.table = rows
        self.requests = list(requests)
        self.journal = journal
        self.campaign_id = campaign_id
        self.stopped = stopped
        self.stop_reason = stop_reason
        self.dry_run = dry_run
        self.timing = timing
        self._follow_up = follow_up
        self._problems = np.full(len(rows), "", dtype=object) if problems is None else problems

    @property
    def rows(self) -> ResultFrame:
        """The rows, as a frame of the kind of the input frame (see the class's attributes)."""
        return self.plan.estimate.frame_kind.present(self.table)

    @property
    def estimate(self) -> object:
        """The estimate the campaign was planned from."""
        return self.plan.estimate

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status, for the statuses present."""
        counts = self.table["status"].value_counts()
        return {status: int(counts[status]) for status in STATUSES if status in counts.index}

    @property
    def spent(self) -> Decimal | None:
        """The cost of the messages accepted in this run, when the price is known."""
        price = self.plan.estimate.options.price_per_segment
        if price is None:
            return None
        accepted = self.table["status"].isin(("sent", "scheduled"))
        return price * int(self.table.loc[accepted, "segments"].sum())

    def notes(self, language: Language | None = None) -> list[str]:
        """Return what the reader must know, in words: stops, uncertainty, guarantees.

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        """
        return report_notes(
            self.counts,
            requests=len(self.plan),
            dry_run=self.dry_run,
            timing=None if self.timing is None else self.timing.text(language),
            stop=self.stop_reason,
            stopped=self.stopped,
            estimate_notes=self.plan.estimate.notes(language),
            journal=self.journal,
            language=language,
        )

    def problem_examples(self, count: int, language: Language | None = None) -> list[Problem]:
        """Return the first ``count`` rows not sent: label, phone (masked), state, why.

        Parameters
        ----------
        count : int
            How many rows at most.
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        """
        from directcall_nb.i18n import say

        language = language or current_language()
        status = self.table["status"].to_numpy(dtype=object)
        shown = np.flatnonzero(~np.isin(status, (*DELIVERED, "dry_run")))[:count]
        why = self.why(shown.tolist(), language)
        phones = self.table["phone"].to_numpy(dtype=object)
        given = self.plan.estimate.phone_input.to_numpy(dtype=object)
        return [
            (
                self.table.index[k],
                mask_phone(phones[k]) or mask_phone(given[k]) or EMPTY_VALUE[language],
                say(f"state_{status[k]}", language),
                reason,
            )
            for k, reason in zip(shown.tolist(), why, strict=True)
        ]

    def _money_figures(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return self.plan.estimate.options.price_per_segment, self.plan.cost, self.spent

    def refresh_status(self, client: DirectCall | None = None) -> ResultFrame:
        """Ask DirectCall where each accepted message stands; fill ``delivery`` per row.

        Parameters
        ----------
        client : DirectCall, optional
            The client to ask with (``/sms/status``, once per callerid); by default the one
            `directcall_nb.use_client` set, else one from the environment.

        Returns
        -------
        DataFrame or polars.DataFrame
            `rows`, with ``delivery`` (DirectCall's word for the message's state, ``unknown``
            when it cannot be known) and ``delivery_note`` (why it is unknown) for the rows
            DirectCall accepted; other rows are left empty. A status call that fails leaves its
            rows ``unknown`` with the error and the others are still asked.

        Notes
        -----
        DirectCall documents ``/sms/status`` for short-number SMS and voice only, and its
        ``msg`` as a string: a per-recipient list is read when the answer has one, else the
        string stands for every recipient of that send.
        """
        self.table = self._follow_up.refresh_status(self, client)
        return self.rows

    def cancel(self, client: DirectCall | None = None) -> ResultFrame:
        """Cancel the scheduled sends of this campaign that DirectCall has not delivered yet.

        Every request of the campaign that DirectCall accepted for a scheduled delivery is
        cancelled (``/sms/remove``); the journal records each cancellation, so the same
        messages can be sent again later (e.g. with another schedule), and their rows become
        ``cancelled``.

        Parameters
        ----------
        client : DirectCall, optional
            The client to cancel with; by default the one `directcall_nb.use_client` set, else
            one from the environment.

        Returns
        -------
        DataFrame or polars.DataFrame
            Of the kind of the input frame, one row per scheduled send: ``callerid``,
            ``recipients``, ``result`` (``cancelled``, ``unknown`` when DirectCall knows no
            such send or it was cancelled already, or ``failed``) and ``detail``.
        """
        return self.plan.estimate.frame_kind.present(self._follow_up.cancel(self, client))

    def replies(self) -> pd.DataFrame:
        """Return the replies to this campaign its journal holds (`sync_replies` fetches them)."""
        from directcall_nb.journal import campaign_replies

        return campaign_replies(self.journal, self.campaign_id)

    def why(
        self,
        positions: Sequence[int] | None = None,
        language: Language | None = None,
        *,
        masked: bool = True,
    ) -> list[str]:
        """Why the rows at ``positions`` (all by default) were not sent, in words (or ``""``).

        Parameters
        ----------
        positions : sequence of int, optional
            The rows (``iloc``); all rows by default.
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        masked : bool, default True
            Mask the phone numbers a reason quotes (displays do).
        """
        from directcall_nb.i18n import explain_codigo, say

        estimate = self.plan.estimate
        stop = self.stop_reason.text(language) if self.stop_reason is not None else ""
        codigos = self.table["codigo"].to_numpy(dtype=object)
        messages = self.table["msg"].to_numpy(dtype=object)
        status = self.table["status"].to_numpy(dtype=object)
        out = []
        for k in range(len(status)) if positions is None else positions:
            problem = str(self._problems[k])
            if status[k] in ("invalid", "duplicate", "opted_out"):
                reason = estimate.reason_at(k)
                out.append("" if reason is None else reason.text(language, masked=masked))
            elif problem == "refused" and isinstance(codigos[k], str):
                out.append(explain_codigo(codigos[k], str(messages[k] or ""), language))
            elif problem == "stopped":
                out.append(stop or say("why_stopped", language))
            elif problem:
                out.append(say(f"why_{problem}", language))
            elif status[k] in ("ambiguous", "in_progress", "cancelled"):
                out.append(say(f"why_{status[k]}", language))
            else:
                out.append("")
        return out
