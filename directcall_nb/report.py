"""SendReport: what happened to each input row of a campaign, with a summary to read at a glance."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from directcall_nb.formatting import format_brl, format_count, html_table, mask_phone

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.plan import Plan

__all__ = ["STATUSES", "RequestResult", "SendReport"]

#: Every row status, with what it means.
STATUSES: dict[str, str] = {
    "sent": "accepted by DirectCall in this run",
    "scheduled": "accepted by DirectCall, to be delivered at the scheduled time",
    "already_sent": "sent by an earlier run of the same campaign; not sent again",
    "invalid": "not sent: see the reason",
    "duplicate": "not sent: an earlier row has the same phone and the same text",
    "failed": "not sent: DirectCall refused it, or could not be reached",
    "ambiguous": "may or may not have been sent: the answer never came",
    "in_progress": "being sent right now by another kernel",
    "not_sent": "not tried: the campaign stopped before it",
    "dry_run": "would be sent (dry run: nothing was sent)",
}
#: Statuses of rows DirectCall accepted.
DELIVERED = ("sent", "scheduled", "already_sent")
_SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class RequestResult:
    """What became of one planned request.

    Attributes
    ----------
    number : int
        The request's place in the plan.
    state : str
        ``sent``, ``scheduled``, ``failed``, ``ambiguous``, ``skipped`` (every recipient had been
        sent before), ``not_sent`` or ``dry_run``.
    recipients : int
        Recipients the request was made for in this run.
    callerid : str or None
        DirectCall's id for the send, when it was accepted.
    codigo : str or None
        DirectCall's return code, when it answered.
    msg : str
        DirectCall's message, or what went wrong.
    attempts : int
        Times the request was made (repeats happen only when it certainly did not arrive).
    """

    number: int
    state: str
    recipients: int
    callerid: str | None = None
    codigo: str | None = None
    msg: str = ""
    attempts: int = 0


class SendReport:
    """What a campaign did, row by row.

    Attributes
    ----------
    rows : DataFrame
        Indexed like the input frame: ``phone``, ``status`` (see `STATUSES`), ``callerid``,
        ``codigo``, ``msg``, ``reason``, ``text``, ``segments``; after `refresh_status`, also
        ``delivery``.
    plan : Plan
        The requests that were planned (``plan.estimate`` holds the estimate).
    requests : list of RequestResult
        What became of each planned request, in plan order.
    journal : Path or None
        The journal that recorded the campaign; None when it was sent without one.
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
        stopped: str | None = None,
        dry_run: bool = False,
    ) -> None:
        self.plan = plan
        self.rows = rows
        self.requests = list(requests)
        self.journal = journal
        self.stopped = stopped
        self.dry_run = dry_run

    @property
    def estimate(self) -> object:
        """The estimate the campaign was planned from."""
        return self.plan.estimate

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status, for the statuses present."""
        counts = self.rows["status"].value_counts()
        return {status: int(counts[status]) for status in STATUSES if status in counts.index}

    @property
    def spent(self) -> Decimal | None:
        """The cost of the messages accepted in this run, when the price is known."""
        price = self.plan.estimate.options.price_per_segment
        if price is None:
            return None
        accepted = self.rows["status"].isin(("sent", "scheduled"))
        return price * int(self.rows.loc[accepted, "segments"].sum())

    def notes(self) -> list[str]:
        """What the reader must know, in words: stops, uncertainty, guarantees."""
        counts = self.counts
        notes = []
        if self.dry_run:
            notes.append(
                f"Dry run: nothing was sent. {format_count(len(self.plan))} requests would be made."
            )
        if self.stopped:
            notes.append(f"The campaign stopped early: {self.stopped}")
        if counts.get("ambiguous"):
            notes.append(
                f"{format_count(counts['ambiguous'])} messages may or may not have been sent: "
                "their answer never came. They are not sent again unless you pass "
                "resend_ambiguous=True: first check in DirectCall's panel which of them "
                "arrived, then send again, with resend_ambiguous=True, only the rows that did not."
            )
        if counts.get("already_sent"):
            notes.append(
                f"{format_count(counts['already_sent'])} messages had been sent by an earlier run "
                "and were not sent again."
            )
        if counts.get("in_progress"):
            notes.append(
                f"{format_count(counts['in_progress'])} messages are being sent by another kernel "
                "right now and were left to it."
            )
        if self.journal is None and not self.dry_run:
            notes.append(
                "No journal was kept (journal=False): nothing guards against sending these "
                "messages twice if this is run again."
            )
        return notes

    def refresh_status(self, client: DirectCall) -> pd.DataFrame:
        """Ask DirectCall where each accepted message stands, and fill the ``delivery`` column.

        Parameters
        ----------
        client : DirectCall
            The client to ask with (``/sms/status``, once per callerid).

        Returns
        -------
        DataFrame
            `rows`, with ``delivery`` filled for the rows DirectCall accepted.
        """
        delivery = pd.Series(pd.NA, index=self.rows.index, dtype="string")
        accepted = self.rows["status"].isin(DELIVERED) & self.rows["callerid"].notna()
        for callerid, group in self.rows[accepted].groupby("callerid", sort=False):
            answer = client.status(str(callerid))
            by_phone = {r.destino: r.status for r in answer.recipients}
            delivery.loc[group.index] = group["phone"].map(by_phone).to_numpy()
        self.rows["delivery"] = delivery
        return self.rows

    def _money(self) -> str:
        if self.dry_run:
            return f"would cost {format_brl(self.plan.cost)}"
        return f"spent {format_brl(self.spent)}"

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {format_count(v)}" for k, v in self.counts.items())
        lines = [f"SendReport: {counts}; {self._money()}", *self.notes()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        counts = self.counts
        cells = "".join(
            f"<div style='display:inline-block;margin-right:1.5em' "
            f"title='{html.escape(STATUSES[s])}'>"
            f"<div style='font-size:80%;opacity:.7'>{html.escape(s.replace('_', ' '))}</div>"
            f"<div style='font-size:140%;font-weight:bold'>{format_count(n)}</div></div>"
            for s, n in counts.items()
        )
        money = self._money()
        spent = f"<div>{money[0].upper()}{money[1:]}</div>"
        notes = "".join(f"<div>⚠ {html.escape(n)}</div>" for n in self.notes())
        problems = self.rows[~self.rows["status"].isin((*DELIVERED, "dry_run"))]
        table = ""
        if len(problems):
            shown = problems.head(_SHOWN_PROBLEMS)
            table = html_table(
                ["row", "phone", "status", "why"],
                zip(
                    shown.index,
                    [mask_phone(p) if isinstance(p, str) else "" for p in shown["phone"]],
                    shown["status"],
                    np.where(shown["msg"].notna(), shown["msg"], shown["reason"]),
                    strict=True,
                ),
            )
            more = len(problems) - len(shown)
            if more:
                table += f"<div>… and {format_count(more)} more in <code>.rows</code></div>"
        title = "Dry run" if self.dry_run else "Send report"
        return (
            f"<div class='directcall-report'><b>{title}</b><br>{cells}{spent}{notes}{table}</div>"
        )
