"""After a send: where its messages stand (``/sms/status``), and cancelling its scheduled sends.

A `SendReport` is data and display; what it asks of DirectCall and the journal once the
campaign is sent is done here (its funnel is counted in `directcall_nb.sending._funnel`).
Each report the send pipeline builds holds a `CampaignFollowUp`,
and `SendReport.refresh_status` and `SendReport.cancel` hand their work to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.errors import DirectCallError, UnknownIdentifier
from directcall_nb.report import DELIVERED
from directcall_nb.sending._funnel import campaign_funnel
from directcall_nb.sending._resources import default_client
from directcall_nb.vocabulary import DELIVERY_STATES, Language

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal
    from directcall_nb.report import SendReport

__all__ = ["UNKNOWN", "CampaignFollowUp"]

#: The ``delivery`` of a row whose state DirectCall did not (or could not) tell.
UNKNOWN = "unknown"
#: Why a row's ``delivery`` is `UNKNOWN` when DirectCall answered without saying.
_NOT_SAID = (
    "DirectCall's answer did not say (it documents the status of short-number SMS and voice only)"
)
#: Why a row's ``delivery`` is `UNKNOWN` for an SMS sent without a short number.
_NO_SHORT_NUMBER = (
    "DirectCall tells the delivery of SMS sent through a short number and of voice calls only; "
    "this SMS was sent without one (short_number=True lets a campaign's delivery be followed)"
)
_CANCEL_COLUMNS = ["callerid", "recipients", "result", "detail"]


class CampaignFollowUp:
    """The calls made for a report after its send: status and cancellation.

    It keeps nothing: each call works on the report it is given (see `SendReport.refresh_status`
    and `SendReport.cancel` for what they do and return).
    """

    def refresh_status(self, report: SendReport, client: DirectCall | None) -> pd.DataFrame:
        """Ask DirectCall where each accepted message stands; fill ``delivery`` per row.

        Returns ``report.table``, with ``delivery`` and ``delivery_note``; what was read is
        recorded in the report's journal (`directcall_nb.journal.Journal.deliveries`).
        """
        rows = report.table
        n = len(rows)
        delivery = np.full(n, None, dtype=object)
        note = np.full(n, None, dtype=object)
        callerids = _objects(rows["callerid"])
        accepted = rows["status"].isin(DELIVERED).to_numpy() & pd.notna(callerids)
        if _followable(report):
            client = client if client is not None else default_client()
            _ask_each(client, callerids, accepted, _objects(rows["phone"]), delivery, note)
        else:
            delivery[accepted] = UNKNOWN
            note[accepted] = _NO_SHORT_NUMBER
        rows["delivery"] = pd.array(delivery, dtype="string")
        rows["delivery_note"] = pd.array(note, dtype="string")
        _record(report, callerids, accepted)
        return rows

    def funnel(self, report: SendReport, language: Language | None) -> pd.DataFrame:
        """Count the report's funnel, with what the journal knows of replies and deliveries."""
        return campaign_funnel(report, language)

    def cancel(self, report: SendReport, client: DirectCall | None) -> pd.DataFrame:
        """Cancel the report's scheduled sends that DirectCall has not delivered yet.

        Returns one row per scheduled send: ``callerid``, ``recipients``, ``result``, ``detail``.
        """
        from directcall_nb.journal import Journal

        client = client if client is not None else default_client()
        journal = None if report.journal is None else Journal(report.journal)
        try:
            results = _cancel_each(report, client, journal)
        finally:
            if journal is not None:
                journal.close()
        return pd.DataFrame(results, columns=_CANCEL_COLUMNS)


def _followable(report: SendReport) -> bool:
    """Whether DirectCall tells where the report's messages stand: voice, short-number SMS."""
    options = report.plan.estimate.options
    return options.channel == "voice" or options.short_number is True


def _ask_each(
    client: DirectCall,
    callerids: npt.NDArray[np.object_],
    accepted: npt.NDArray[np.bool_],
    phones: npt.NDArray[np.object_],
    delivery: npt.NDArray[np.object_],
    note: npt.NDArray[np.object_],
) -> None:
    """Ask ``/sms/status`` once per callerid of the accepted rows; fill their delivery and note."""
    by_position = pd.Series(phones)
    for callerid in pd.unique(callerids[accepted]):
        positions = np.flatnonzero(accepted & (callerids == callerid))
        try:
            answer = client.status(str(callerid))
        except DirectCallError as exc:
            delivery[positions] = UNKNOWN
            note[positions] = f"the status could not be asked: {exc}"
            continue
        by_phone = {r.destino: r.status for r in answer.recipients if r.status}
        if by_phone:
            found = by_position.iloc[positions].map(by_phone).to_numpy(dtype=object)
        else:
            found = np.full(len(positions), answer.msg.strip() or None, dtype=object)
        missing = pd.isna(found)
        delivery[positions] = np.where(missing, UNKNOWN, found)
        note[positions[missing]] = _NOT_SAID


def _record(
    report: SendReport, callerids: npt.NDArray[np.object_], accepted: npt.NDArray[np.bool_]
) -> None:
    """Record the statuses just read in the report's journal, per request and recipient."""
    from directcall_nb.journal import Delivery, Journal

    if report.journal is None or not accepted.any():
        return
    phones = _objects(report.table["phone"])
    words = report.table["delivery"].to_numpy(dtype=object)
    notes = report.table["delivery_note"].to_numpy(dtype=object)
    journal = Journal(report.journal)
    try:
        known = journal.requests_by_callerid({str(c) for c in callerids[accepted]})
        found = []
        for k in np.flatnonzero(accepted):
            request = known.get(str(callerids[k]))
            if request is not None and phones[k] is not None:
                word = str(words[k])
                state = DELIVERY_STATES.get(word.strip().lower(), UNKNOWN)
                detail = notes[k] if state == UNKNOWN and pd.notna(notes[k]) else word
                found.append(Delivery(request.id, str(phones[k]), state, str(detail)))
        journal.record_deliveries(found)
    finally:
        journal.close()


def _cancel_each(
    report: SendReport, client: DirectCall, journal: Journal | None
) -> list[tuple[str, int, str, str]]:
    """Cancel each scheduled send of the report, recording it; return what became of each."""
    status = report.table["status"].to_numpy(dtype=object)
    callerids = _objects(report.table["callerid"])
    candidates = np.isin(status, ("scheduled", "already_sent")) & pd.notna(callerids)
    wanted = [str(c) for c in pd.unique(callerids[candidates])]
    known = {} if journal is None else journal.requests_by_callerid(wanted)
    results = []
    for callerid in wanted:
        rows = candidates & (callerids == callerid)
        found = known.get(callerid)
        if found is not None and not (found.scheduled and found.state == "sent"):
            continue
        if found is None and not (status[rows] == "scheduled").all():
            continue  # sent before, for delivery now: nothing to cancel
        try:
            client.cancel(callerid)
        except UnknownIdentifier as exc:
            results.append((callerid, int(rows.sum()), "unknown", exc.msg))
            continue
        except DirectCallError as exc:
            results.append((callerid, int(rows.sum()), "failed", str(exc)))
            continue
        if journal is not None and found is not None:
            journal.mark_cancelled(found.id, detail=f"cancelled (callerid {callerid})")
        report.table.loc[rows, "status"] = "cancelled"
        results.append((callerid, int(rows.sum()), "cancelled", ""))
    return results


def _objects(column: pd.Series) -> npt.NDArray[np.object_]:
    """Return a column as an array of objects, None where a value is missing."""
    values = column.to_numpy(dtype=object)
    values[pd.isna(values)] = None
    return values
