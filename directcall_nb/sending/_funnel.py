"""A campaign's funnel: planned → sent → delivered → unconfirmed → failed → replied → opted out.

``unconfirmed`` are the accepted messages whose delivery is not known: not read yet, still
pending, or unknowable (DirectCall tells the delivery of short-number SMS and voice only), so
that a campaign whose delivery cannot be read never shows as "0 delivered" alone.

The rows of the report say what was planned, sent and refused; where each accepted message
stands comes from the report's ``delivery`` column (after `SendReport.refresh_status`) or, for
a report that was not refreshed, from what the journal recorded of earlier reads; replies and
opt-outs come from the journal's replies (each linked to the request it answers).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.report import DELIVERED
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import DELIVERY_STATES, Language

if TYPE_CHECKING:
    from directcall_nb.report import SendReport

__all__ = ["FUNNEL_STAGES", "campaign_funnel", "funnel_counts", "funnel_frame"]

#: The funnel's stages, in order.
FUNNEL_STAGES = (
    "planned",
    "sent",
    "delivered",
    "unconfirmed",
    "failed",
    "replied",
    "opted_out",
)
#: Rows a campaign did not mean to message: no valid number or text, a repeat, or opted out.
_NOT_PLANNED = ("invalid", "duplicate", "opted_out")


def campaign_funnel(report: SendReport, language: Language | None = None) -> pd.DataFrame:
    """Return the report's funnel; see `SendReport.funnel`."""
    return funnel_frame(funnel_counts(report.table, report.journal), language)


def funnel_counts(table: pd.DataFrame, journal: Path | None) -> dict[str, int]:
    """Count the funnel's stages over a report's rows (``table``), with what ``journal`` knows.

    The counts of two sets of rows add up: a Dask report counts its partitions one by one.
    """
    status = table["status"].to_numpy(dtype=object)
    planned = ~np.isin(status, _NOT_PLANNED)
    accepted = np.isin(status, DELIVERED)
    delivery, replied, opted_out = _known_outcomes(table, journal, accepted)
    return {
        "planned": int(planned.sum()),
        "sent": int(accepted.sum()),
        "delivered": int((accepted & (delivery == "delivered")).sum()),
        "unconfirmed": int((accepted & ~np.isin(delivery, ("delivered", "failed"))).sum()),
        "failed": int((status == "failed").sum() + (accepted & (delivery == "failed")).sum()),
        "replied": int((accepted & replied).sum()),
        "opted_out": int((accepted & opted_out).sum()),
    }


def funnel_frame(counts: dict[str, int], language: Language | None = None) -> pd.DataFrame:
    """Return the funnel of these stage counts: ``stage`` (in words), ``count``, ``share``."""
    from directcall_nb.i18n import say

    language = language or current_language()
    base = counts["planned"]
    return pd.DataFrame(
        {
            "stage": [say(f"stage_{stage}", language) for stage in FUNNEL_STAGES],
            "count": [counts[stage] for stage in FUNNEL_STAGES],
            "share": [counts[stage] / base if base else np.nan for stage in FUNNEL_STAGES],
        },
        index=pd.Index(FUNNEL_STAGES, name="key"),
    )


def _known_outcomes(
    table: pd.DataFrame, journal: Path | None, accepted: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Return per row: its delivery state (or None), whether it replied, whether it opted out."""
    n = len(table)
    delivery = np.full(n, None, dtype=object)
    refreshed = "delivery" in table.columns
    if refreshed:
        words = table["delivery"].astype("string").str.strip().str.lower()
        delivery = words.map(DELIVERY_STATES).to_numpy(dtype=object)
    replied, opted_out = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if journal is None or not accepted.any():
        return delivery, replied, opted_out
    recorded = _recorded(journal, table, accepted)
    for k, (state, answered, left) in recorded.items():
        if not refreshed:
            delivery[k] = state
        replied[k], opted_out[k] = answered, left
    return delivery, replied, opted_out


def _recorded(
    path: Path, rows: pd.DataFrame, accepted: npt.NDArray[np.bool_]
) -> dict[int, tuple[str | None, bool, bool]]:
    """Return what the journal knows of the accepted rows (by request and phone), by position."""
    from directcall_nb.journal import Journal

    callerids = rows["callerid"].to_numpy(dtype=object)
    phones = rows["phone"].to_numpy(dtype=object)
    journal = Journal(path)
    try:
        known = journal.requests_by_callerid({str(c) for c in callerids[accepted] if pd.notna(c)})
        outcomes = journal.outcomes([request.id for request in known.values()]) if known else None
    finally:
        journal.close()
    if outcomes is None or outcomes.empty:
        return {}
    by_key = {
        (int(request_id), str(recipient)): (
            None if state is None else str(state),
            bool(answered),
            bool(left),
        )
        for request_id, recipient, state, answered, left in zip(
            *(outcomes[c].tolist() for c in outcomes.columns), strict=True
        )
    }
    found = {}
    for k in np.flatnonzero(accepted):
        request = known.get(str(callerids[k]))
        outcome = None if request is None else by_key.get((request.id, str(phones[k])))
        if outcome is not None:
            found[int(k)] = outcome
    return found
