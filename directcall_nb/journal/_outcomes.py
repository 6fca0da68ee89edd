"""What became of each campaign after its send: delivered, replied to, opted out.

Counted per campaign from the delivery statuses read back (``deliveries``) and the replies
synced (``replies``, linked to the request each answers). Each count is of distinct recipients:
a customer who replied twice replied once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

import pandas as pd

__all__ = ["OUTCOME_COLUMNS", "campaign_outcomes", "recipient_outcomes"]

#: The counts `campaign_outcomes` gives per campaign, besides ``confirmed`` (recipients whose
#: delivery was read as delivered or failed).
OUTCOME_COLUMNS = ["delivered", "replied", "opted_out"]
_OUTCOMES = """
WITH delivered AS (
    SELECT r.campaign_id, count(DISTINCT CASE WHEN d.status = 'delivered' THEN d.recipient END)
               AS n,
           count(DISTINCT CASE WHEN d.status IN ('delivered', 'failed') THEN d.recipient END)
               AS confirmed
    FROM deliveries AS d JOIN requests AS r ON r.id = d.request_id
    GROUP BY r.campaign_id
), replied AS (
    SELECT r.campaign_id, count(DISTINCT p.phone) AS n,
           count(DISTINCT CASE WHEN p.opt_out THEN p.phone END) AS opted_out
    FROM replies AS p JOIN requests AS r ON r.id = p.request_id
    GROUP BY r.campaign_id
)
SELECT c.id, coalesce(delivered.n, 0), coalesce(replied.n, 0), coalesce(replied.opted_out, 0),
       coalesce(delivered.confirmed, 0)
FROM campaigns AS c
LEFT JOIN delivered ON delivered.campaign_id = c.id
LEFT JOIN replied ON replied.campaign_id = c.id
{where} ORDER BY c.id
"""


def campaign_outcomes(conn: sqlite3.Connection, campaign: int | None = None) -> pd.DataFrame:
    """Return per campaign (of one, or all), by id: `OUTCOME_COLUMNS` and ``confirmed``."""
    where, params = ("", ()) if campaign is None else ("WHERE c.id = ?", (campaign,))
    rows = conn.execute(_OUTCOMES.format(where=where), params).fetchall()
    columns = ["campaign_id", *OUTCOME_COLUMNS, "confirmed"]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.astype("int64").set_index("campaign_id")


_BY_RECIPIENT = """
WITH wanted AS (SELECT value AS id FROM json_each(?)),
read AS (
    SELECT d.request_id, d.recipient, d.status FROM deliveries AS d
    WHERE d.request_id IN (SELECT id FROM wanted)
), answered AS (
    SELECT p.request_id, p.phone AS recipient, max(p.opt_out) AS opted_out FROM replies AS p
    WHERE p.request_id IN (SELECT id FROM wanted) GROUP BY p.request_id, p.phone
), pairs AS (
    SELECT request_id, recipient FROM read UNION SELECT request_id, recipient FROM answered
)
SELECT pairs.request_id, pairs.recipient, read.status, answered.recipient IS NOT NULL,
       coalesce(answered.opted_out, 0)
FROM pairs
LEFT JOIN read USING (request_id, recipient)
LEFT JOIN answered USING (request_id, recipient)
"""


def recipient_outcomes(conn: sqlite3.Connection, request_ids: Collection[int]) -> pd.DataFrame:
    """Return what became of the recipients of some requests, those the journal knows of.

    Columns: ``request_id``, ``recipient``, ``delivery`` (the last status read, or None),
    ``replied`` and ``opted_out`` (bools).
    """
    rows = conn.execute(_BY_RECIPIENT, (json.dumps(sorted(request_ids)),)).fetchall()
    frame = pd.DataFrame.from_records(
        rows, columns=["request_id", "recipient", "delivery", "replied", "opted_out"]
    )
    return frame.astype({"request_id": "int64", "replied": bool, "opted_out": bool})
