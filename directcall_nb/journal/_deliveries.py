"""The delivery statuses read back from the server, kept per recipient of each request.

`SendReport.refresh_status` asks DirectCall where each message stands; what it read is
recorded here (the table ``deliveries``: one row per request and recipient, the last status
read), so that the audit (`Journal.campaigns`) and a report's funnel know what was delivered
even in a later session. A status is one of `DELIVERY_STATUSES`; ``detail`` keeps the server's
own word, or why the status cannot be known.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import NamedTuple

import pandas as pd

from directcall_nb.errors import InputError
from directcall_nb.journal._file import JournalFile
from directcall_nb.journal._outcomes import recipient_outcomes
from directcall_nb.journal._times import utc_now_text

__all__ = ["DELIVERY_STATUSES", "Delivery", "DeliveryLog"]

#: The statuses the journal records: what the server said, in the journal's words.
DELIVERY_STATUSES = ("delivered", "pending", "failed", "cancelled", "unknown")
_COLUMNS = ["request_id", "campaign_id", "recipient", "status", "detail", "checked"]
_READ = """
SELECT d.request_id, r.campaign_id, d.recipient, d.status, d.detail, d.checked_at
FROM deliveries AS d JOIN requests AS r ON r.id = d.request_id
{where} ORDER BY d.request_id, d.recipient
"""


class Delivery(NamedTuple):
    """One status read for one recipient of a request."""

    request_id: int
    recipient: str
    status: str
    detail: str | None = None


class DeliveryLog(JournalFile):
    """The delivery statuses' part of `directcall_nb.journal.Journal`."""

    def record_deliveries(self, deliveries: Iterable[Delivery]) -> int:
        """Record the statuses read for recipients of requests; a later read replaces an earlier.

        Parameters
        ----------
        deliveries : iterable of Delivery
            Each with the journal's request id, the recipient (DirectCall's format), a status
            of `DELIVERY_STATUSES` and the server's word or why it is unknown.

        Returns
        -------
        int
            How many were recorded.

        Raises
        ------
        InputError
            A status that is not one of `DELIVERY_STATUSES`, before anything is written.
        """
        rows = [tuple(d) for d in deliveries]
        for _, _, status, _ in rows:
            if status not in DELIVERY_STATUSES:
                raise InputError(
                    f"a delivery status must be one of {', '.join(DELIVERY_STATUSES)}, "
                    f"not {status!r}"
                )
        at = utc_now_text()
        with self._lock, self._transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO deliveries "
                "(request_id, recipient, status, detail, checked_at) VALUES (?, ?, ?, ?, ?)",
                ((*row, at) for row in rows),
            )
        return len(rows)

    def deliveries(self, campaign: int | None = None) -> pd.DataFrame:
        """Return the last status read per recipient (of one campaign, or all).

        Columns: ``request_id``, ``campaign_id``, ``recipient``, ``status`` (one of
        `DELIVERY_STATUSES`), ``detail`` (the server's word, or why it is unknown) and
        ``checked`` (when it was read, UTC).
        """
        where, params = ("", ()) if campaign is None else ("WHERE r.campaign_id = ?", (campaign,))
        with self._reading() as conn:
            rows = conn.execute(_READ.format(where=where), params).fetchall()
        frame = pd.DataFrame.from_records(rows, columns=_COLUMNS)
        frame["checked"] = pd.to_datetime(frame["checked"], utc=True, format="ISO8601")
        return frame.astype(
            {"request_id": "int64", "campaign_id": "int64", "recipient": "string",
             "status": "string", "detail": "string"}
        )  # fmt: skip

    def outcomes(self, request_ids: Collection[int]) -> pd.DataFrame:
        """Return what became of the recipients of these requests: delivered, replied, opted out.

        Columns: ``request_id``, ``recipient``, ``delivery`` (the last status read, of
        `DELIVERY_STATUSES`, or None), ``replied`` and ``opted_out``; one row per recipient the
        journal knows a status or a reply of.
        """
        with self._reading() as conn:
            return recipient_outcomes(conn, request_ids)
