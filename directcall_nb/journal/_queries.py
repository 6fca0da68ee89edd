"""The requests reconciliation looks for: the ambiguous ones, and those answered, by callerid."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from directcall_nb.journal._times import parse_time

__all__ = ["AmbiguousRequest", "SentRequest", "ambiguous_requests", "requests_by_callerid"]


class SentRequest(NamedTuple):
    """A request DirectCall answered, found by its callerid."""

    id: int
    campaign_id: int
    state: str
    scheduled: bool


def requests_by_callerid(
    conn: sqlite3.Connection, callerids: Collection[str]
) -> dict[str, SentRequest]:
    """Return the requests that DirectCall answered with each of ``callerids``."""
    rows = conn.execute(
        "SELECT callerid, id, campaign_id, state, scheduled FROM requests "
        "WHERE callerid IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(callerids)),),
    )
    return {row[0]: SentRequest(row[1], row[2], row[3], bool(row[4])) for row in rows}


class AmbiguousRequest(NamedTuple):
    """An ambiguous request, with what reconciling it with the usage statement needs.

    ``schedule`` is UTC ISO 8601 text (or None); ``key`` is its content's key; ``recipients``
    are its messages still ambiguous; ``reason`` why it became ambiguous.
    """

    id: int
    campaign_id: int
    server: str
    account: str
    sender: str
    channel: str
    schedule: str | None
    key: str
    text: str
    tag: str | None
    created_at: datetime
    reason: str | None
    recipients: tuple[str, ...]


_AMBIGUOUS = """
SELECT r.id, r.campaign_id, c.server, c.account, c.sender, c.channel, c.schedule, t.key, t.text,
       r.tag, r.created_at, r.msg,
       (SELECT json_group_array(m.recipient) FROM messages AS m
        WHERE m.request_id = r.id AND m.state = 'ambiguous')
FROM requests AS r
JOIN campaigns AS c ON c.id = r.campaign_id
JOIN contents AS t ON t.id = r.content_id
WHERE r.state = 'ambiguous' {where}
ORDER BY r.id
"""


def ambiguous_requests(
    conn: sqlite3.Connection, *, campaign_id: int | None = None, sender: str | None = None
) -> list[AmbiguousRequest]:
    """Return the ambiguous requests (of one campaign, or sent from one sender), oldest first."""
    clauses: list[str] = []
    params: list[int | str] = []
    if campaign_id is not None:
        clauses.append("AND r.campaign_id = ?")
        params.append(campaign_id)
    if sender is not None:
        clauses.append("AND c.sender = ?")
        params.append(sender)
    rows = conn.execute(_AMBIGUOUS.format(where=" ".join(clauses)), params)
    return [
        AmbiguousRequest(
            id=row[0],
            campaign_id=row[1],
            server=row[2],
            account=row[3],
            sender=row[4],
            channel=row[5],
            schedule=row[6],
            key=row[7],
            text=row[8],
            tag=row[9],
            created_at=parse_time(row[10]),
            reason=row[11],
            recipients=tuple(json.loads(row[12] or "[]")),
        )
        for row in rows
    ]
