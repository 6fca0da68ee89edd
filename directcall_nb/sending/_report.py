"""The report of a send, or of a dry run: the estimate's rows, with what became of each.

Each report built here holds a `CampaignFollowUp`, for what it asks of DirectCall afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.outcomes import RequestResult
from directcall_nb.plan import Plan
from directcall_nb.report import SendReport
from directcall_nb.sending._campaign import Campaign, RequestOutcome
from directcall_nb.sending._follow_up import CampaignFollowUp
from directcall_nb.windows import sending_time

if TYPE_CHECKING:
    from directcall_nb.journal import Journal

__all__ = ["build_report", "dry_run_report", "planned_rows"]


def _base_rows(plan: Plan) -> pd.DataFrame:
    """Return the report's rows as the estimate left them, before anything was sent."""
    detail = plan.estimate.table
    rows = pd.DataFrame(
        {
            "phone": detail["phone"],
            "status": detail["status"].astype(object),
            "callerid": pd.Series(pd.NA, index=detail.index, dtype="string"),
            "codigo": pd.Series(pd.NA, index=detail.index, dtype="string"),
            "msg": pd.Series(pd.NA, index=detail.index, dtype="string"),
            "reason": detail["reason"],
            "text": detail["text"],
            "segments": detail["segments"],
            "settlement": pd.Series(pd.NA, index=detail.index, dtype="string"),
        },
        index=detail.index,
    )
    return rows


def planned_rows(plan: Plan, status: str) -> pd.DataFrame:
    """Return the report's rows with every row the plan would send given ``status``.

    ``"dry_run"`` for a dry run, ``"not_sent"`` for rows a campaign stopped before.
    """
    rows = _base_rows(plan)
    rows.loc[rows["status"] == "ok", "status"] = status
    return rows


def build_report(
    plan: Plan, outcomes: list[RequestOutcome], journal: Journal | None, campaign: Campaign
) -> SendReport:
    """Return the report of a send: each row as the outcome of its request left it.

    A row no request decided is ``not_sent``.
    """
    rows = _base_rows(plan)
    status = rows["status"].to_numpy(dtype=object).copy()
    callerid = rows["callerid"].to_numpy(dtype=object).copy()
    codigo = rows["codigo"].to_numpy(dtype=object).copy()
    msg = rows["msg"].to_numpy(dtype=object).copy()
    settlement = rows["settlement"].to_numpy(dtype=object).copy()
    problems = np.full(len(rows), "", dtype=object)
    outcomes.sort(key=lambda o: o.result.number)
    for outcome in outcomes:
        for position, state in outcome.status.items():
            status[position] = state
            if position not in outcome.earlier:
                codigo[position] = outcome.result.codigo
                msg[position] = outcome.result.msg or None
                problems[position] = outcome.result.problem
        for position, value in outcome.callerid.items():
            callerid[position] = value
        for position, words in outcome.settlement.items():
            settlement[position] = words
            if outcome.status.get(position) == "ambiguous" and position in outcome.earlier:
                msg[position] = words
    rows["status"] = status
    rows["callerid"] = pd.array(callerid, dtype="string")
    rows["codigo"] = pd.array(codigo, dtype="string")
    rows["msg"] = pd.array(msg, dtype="string")
    rows["settlement"] = pd.array(settlement, dtype="string")
    rows.loc[rows["status"] == "ok", "status"] = "not_sent"
    problems[(rows["status"].to_numpy() == "not_sent") & (problems == "")] = "stopped"
    return SendReport(
        plan,
        rows,
        [o.result for o in outcomes],
        journal=None if journal is None else journal.path,
        stopped=campaign.stopped,
        stop_reason=campaign.stop_reason,
        campaign_id=campaign.campaign_id,
        problems=problems,
        follow_up=CampaignFollowUp(),
    )


def dry_run_report(plan: Plan, now: datetime | None = None) -> SendReport:
    """Return the report of a dry run: every row that would be sent is ``dry_run``.

    Its notes say when the send would go out (`directcall_nb.windows.sending_time`) at ``now``
    (aware; the clock by default).
    """
    rows = planned_rows(plan, "dry_run")
    results = [RequestResult(r.number, "dry_run", len(r.phones)) for r in plan.requests]
    present = now or datetime.now(BRAZIL_TIME)
    timing = sending_time(plan.options.window, plan.options.schedule, present)
    return SendReport(
        plan, rows, results, journal=None, dry_run=True, follow_up=CampaignFollowUp(),
        timing=timing,
    )  # fmt: skip
