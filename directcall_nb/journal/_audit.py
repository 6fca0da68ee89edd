"""The journal read back as DataFrames: what was sent, when, to whom, with what text and cost.

Times are UTC timestamps (the campaigns also have them in Brazil time); prices and costs are
`Decimal` reais (None when no price was given).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from directcall_nb.journal._outcomes import OUTCOME_COLUMNS, campaign_outcomes
from directcall_nb.moments import BRAZIL_TIME

__all__ = ["campaigns_frame", "messages_frame", "requests_frame"]

_CAMPAIGNS = """
WITH counts AS (
    SELECT r.campaign_id,
           sum(m.state = 'sent') AS sent,
           sum(m.state = 'failed') AS failed,
           sum(m.state = 'ambiguous') AS ambiguous,
           sum(m.state = 'pending') AS pending,
           sum(m.state = 'cancelled') AS cancelled,
           sum(CASE WHEN m.state = 'sent' THEN r.segments_each ELSE 0 END) AS segments_sent
    FROM requests AS r JOIN messages AS m ON m.request_id = r.id
    GROUP BY r.campaign_id
), made AS (
    SELECT campaign_id, count(*) AS requests FROM requests
    WHERE state != 'released' GROUP BY campaign_id
)
SELECT c.id, c.created_at, c.server, c.account, c.sender, c.channel, c.schedule, c.template,
       c.price_per_segment, c.rows, coalesce(made.requests, 0), coalesce(counts.sent, 0),
       coalesce(counts.failed, 0), coalesce(counts.ambiguous, 0), coalesce(counts.pending, 0),
       coalesce(counts.cancelled, 0), coalesce(counts.segments_sent, 0)
FROM campaigns AS c
LEFT JOIN counts ON counts.campaign_id = c.id
LEFT JOIN made ON made.campaign_id = c.id
ORDER BY c.id
"""
_CAMPAIGN_COLUMNS = [
    "campaign_id", "created", "server", "account", "sender", "channel", "schedule", "template",
    "price_per_segment", "rows", "requests", "sent", "failed", "ambiguous", "pending",
    "cancelled", "segments_sent",
]  # fmt: skip

_REQUESTS = """
SELECT r.id, r.campaign_id, r.state, r.recipients, t.text, r.segments_each, r.scheduled,
       r.callerid, r.codigo, r.msg, r.tag, r.reconciled_at, r.reconciliation, r.created_at,
       r.updated_at, r.history
FROM requests AS r JOIN contents AS t ON t.id = r.content_id
{where} ORDER BY r.id
"""
_REQUEST_COLUMNS = [
    "request_id", "campaign_id", "state", "recipients", "text", "segments_each", "scheduled",
    "callerid", "codigo", "msg", "tag", "reconciled", "reconciliation", "created", "updated",
    "history",
]  # fmt: skip

_MESSAGES = """
SELECT m.id, r.campaign_id, m.request_id, m.recipient, t.text, m.state, m.superseded_by,
       r.scheduled, r.callerid, r.codigo, r.msg, r.segments_each, c.price_per_segment,
       r.created_at, coalesce(s.created_at, r.updated_at)
FROM messages AS m
JOIN requests AS r ON r.id = m.request_id
JOIN contents AS t ON t.id = m.content_id
JOIN campaigns AS c ON c.id = r.campaign_id
LEFT JOIN requests AS s ON s.id = m.superseded_by
{where} ORDER BY m.id
"""
_MESSAGE_COLUMNS = [
    "message_id", "campaign_id", "request_id", "recipient", "text", "state", "superseded_by",
    "scheduled", "callerid", "codigo", "msg", "segments", "price", "created", "updated",
]  # fmt: skip
_MESSAGE_ORDER = [*_MESSAGE_COLUMNS[:12], "cost", *_MESSAGE_COLUMNS[13:]]


def campaigns_frame(conn: sqlite3.Connection) -> pd.DataFrame:
    """Return one row per campaign.

    Columns: ``campaign_id``, ``created``, ``server``, ``account``, ``sender``, ``channel``,
    ``schedule`` (UTC, NaT for none), ``template``, ``price_per_segment``, ``rows`` (of the
    input frame), ``requests`` (made or being made), the number of messages ``sent``,
    ``failed``, ``ambiguous``, ``pending`` and ``cancelled``, ``segments_sent`` and
    ``cost_sent``; then what became of it: ``delivered`` (recipients last read as delivered by
    `SendReport.refresh_status`), ``unconfirmed`` (sent, but never read as delivered or
    failed: not asked yet, pending, or unknowable, as a plain SMS is), ``replied`` and
    ``opted_out`` (recipients who replied, and whose reply was an opt-out), ``delivery_rate``,
    ``reply_rate`` and ``opt_out_rate`` (each over ``sent``; NaN when nothing was sent, and the
    delivery rate NaN too while no delivery has been confirmed), ``cost`` (the same `Decimal`
    as ``cost_sent``), and ``created_brazil`` and ``schedule_brazil`` (the times in Brazil time).
    """
    frame = _frame(conn.execute(_CAMPAIGNS).fetchall(), _CAMPAIGN_COLUMNS)
    frame = _times(frame, ["created", "schedule"])
    frame = _integers(
        frame,
        ["campaign_id", "rows", "requests", "sent", "failed", "ambiguous", "pending",
         "cancelled", "segments_sent"],
    )  # fmt: skip
    prices = [_decimal(p) for p in frame["price_per_segment"]]
    frame["price_per_segment"] = pd.Series(prices, index=frame.index, dtype=object)
    frame["cost_sent"] = pd.Series(
        [None if p is None else p * s for p, s in zip(prices, frame["segments_sent"], strict=True)],
        index=frame.index,
        dtype=object,
    )
    return _with_outcomes(frame, conn)


def _with_outcomes(frame: pd.DataFrame, conn: sqlite3.Connection) -> pd.DataFrame:
    """Add what became of each campaign: its outcomes, their rates, the cost, Brazil times."""
    outcomes = campaign_outcomes(conn).reindex(frame["campaign_id"], fill_value=0)
    sent = frame["sent"].to_numpy(dtype=float)
    rates = ("delivery_rate", "reply_rate", "opt_out_rate")
    confirmed = outcomes["confirmed"].to_numpy()
    for column, rate in zip(OUTCOME_COLUMNS, rates, strict=True):
        counts = outcomes[column].to_numpy()
        frame[column] = counts
        known = (sent > 0) & (confirmed > 0 if column == "delivered" else True)
        with np.errstate(divide="ignore", invalid="ignore"):
            frame[rate] = np.where(known, counts / sent, np.nan)
    unconfirmed = np.maximum(sent.astype(np.int64) - confirmed, 0)
    frame.insert(list(frame.columns).index("delivery_rate") + 1, "unconfirmed", unconfirmed)
    frame["cost"] = frame["cost_sent"]
    frame["created_brazil"] = frame["created"].dt.tz_convert(BRAZIL_TIME)
    frame["schedule_brazil"] = frame["schedule"].dt.tz_convert(BRAZIL_TIME)
    return frame


def requests_frame(conn: sqlite3.Connection, campaign: int | None) -> pd.DataFrame:
    """Return one row per request, with its ``history``: one line per change of state.

    Columns: ``request_id``, ``campaign_id``, ``state`` (``pending``, ``sent``, ``failed``,
    ``ambiguous``, ``released``, ``cancelled``, ``not_sent``), ``recipients``, ``text``,
    ``segments_each``, ``scheduled``, ``callerid``, ``codigo``, ``msg``, ``tag`` (the custom
    field it carried to DirectCall), ``reconciled`` (when the usage statement was last asked
    about it), ``reconciliation`` (what that told, in words), ``created``, ``updated``,
    ``history``.
    """
    where, params = _where(campaign, "r.campaign_id")
    frame = _frame(conn.execute(_REQUESTS.format(where=where), params).fetchall(), _REQUEST_COLUMNS)
    frame = _times(frame, ["created", "updated", "reconciled"])
    frame = _integers(frame, ["request_id", "campaign_id", "recipients", "segments_each"])
    return frame.astype({"scheduled": bool})


def messages_frame(conn: sqlite3.Connection, campaign: int | None) -> pd.DataFrame:
    """Return one row per message (a recipient of a request).

    Columns: ``message_id``, ``campaign_id``, ``request_id``, ``recipient``, ``text``, ``state``
    (``pending``, ``sent``, ``failed``, ``ambiguous``, ``superseded``, ``cancelled``,
    ``not_sent``), ``superseded_by`` (the
    request that claimed it again, if any), ``scheduled``, ``callerid``, ``codigo``, ``msg``
    (DirectCall's answer to its request), ``segments``, ``cost`` (what DirectCall bills for it
    once sent), ``created`` (claimed) and ``updated`` (last change of state).
    """
    where, params = _where(campaign, "r.campaign_id")
    frame = _frame(conn.execute(_MESSAGES.format(where=where), params).fetchall(), _MESSAGE_COLUMNS)
    frame = _times(frame, ["created", "updated"])
    frame = _integers(frame, ["message_id", "campaign_id", "request_id", "segments"])
    frame = frame.astype({"superseded_by": "Int64"})
    cost = [
        None if price is None else Decimal(price) * segments
        for price, segments in zip(frame.pop("price"), frame["segments"], strict=True)
    ]
    frame["cost"] = pd.Series(cost, index=frame.index, dtype=object)
    return frame[_MESSAGE_ORDER].astype({"scheduled": bool})


def _where(campaign: int | None, column: str) -> tuple[str, tuple[int, ...]]:
    if campaign is None:
        return "", ()
    return f"WHERE {column} = ?", (campaign,)


def _frame(rows: Sequence[tuple[object, ...]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=columns)


def _times(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


def _integers(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.astype(dict.fromkeys(columns, "int64"))


def _decimal(value: object) -> Decimal | None:
    return None if value is None or value != value else Decimal(str(value))
