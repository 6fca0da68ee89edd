"""What became of each campaign after its send: delivered, replied to, opted out.

Counted per campaign from the delivery statuses read back (``deliveries``) and the replies
synced (``replies``, linked to the request each answers). Each count is of distinct recipients:
a customer who replied twice replied once.
"""

from __future__ import annotations

import sqlite3

import pandas as pd

__all__ = ["OUTCOME_COLUMNS", "campaign_outcomes"]

#: The counts `campaign_outcomes` gives per campaign.
OUTCOME_COLUMNS = ["delivered", "replied", "opted_out"]
_OUTCOMES = """
WITH delivered AS (
    SELECT r.campaign_id, count(DISTINCT d.recipient) AS n
    FROM deliveries AS d JOIN requests AS r ON r.id = d.request_id
    WHERE d.status = 'delivered' GROUP BY r.campaign_id
), replied AS (
    SELECT r.campaign_id, count(DISTINCT p.phone) AS n,
           count(DISTINCT CASE WHEN p.opt_out THEN p.phone END) AS opted_out
    FROM replies AS p JOIN requests AS r ON r.id = p.request_id
    GROUP BY r.campaign_id
)
SELECT c.id, coalesce(delivered.n, 0), coalesce(replied.n, 0), coalesce(replied.opted_out, 0)
FROM campaigns AS c
LEFT JOIN delivered ON delivered.campaign_id = c.id
LEFT JOIN replied ON replied.campaign_id = c.id
{where} ORDER BY c.id
"""


def campaign_outcomes(conn: sqlite3.Connection, campaign: int | None = None) -> pd.DataFrame:
    """Return per campaign (of one, or all), indexed by its id: `OUTCOME_COLUMNS`, as counts."""
    where, params = ("", ()) if campaign is None else ("WHERE c.id = ?", (campaign,))
    rows = conn.execute(_OUTCOMES.format(where=where), params).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=["campaign_id", *OUTCOME_COLUMNS])
    return frame.astype("int64").set_index("campaign_id")
