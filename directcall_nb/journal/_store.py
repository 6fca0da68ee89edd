"""The journal's claims as SQL: owners, campaigns, contents, live messages, new requests.

`directcall_nb.journal._journal` decides what to do (who is alive, what may be claimed); this
module and its siblings ``_settlement`` and ``_queries`` only read and write rows, each function
inside the caller's transaction, in as few statements as they can: a claim of thousands of
recipients is one ``SELECT`` and one ``INSERT`` of them, fed a JSON array.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import NamedTuple

from directcall_nb.journal._identity import request_tag
from directcall_nb.journal._owner import Owner
from directcall_nb.journal._schema import LIVE_STATES_SQL
from directcall_nb.journal._times import parse_time, utc_now_text

__all__ = [
    "Campaign",
    "LiveMessage",
    "PendingRequest",
    "find_campaign",
    "history_line",
    "insert_campaign",
    "insert_content",
    "insert_owner",
    "insert_request",
    "live_messages",
    "pending_requests",
]

_LIVE = f"""
SELECT m.recipient, m.id, m.state, m.request_id, r.callerid,
       CASE WHEN r.state = 'ambiguous' OR r.reconciled_at = r.updated_at
            THEN r.reconciliation END
FROM messages AS m JOIN requests AS r ON r.id = m.request_id
WHERE m.content_id = ? AND m.recipient IN (SELECT value FROM json_each(?))
  AND m.state IN {LIVE_STATES_SQL}
"""
_PENDING = """
SELECT r.id, r.created_at, o.token, o.host, o.pid, o.started, o.boot
FROM requests AS r JOIN owners AS o ON o.id = r.owner_id
WHERE r.state = 'pending'
"""
_INSERT_REQUEST = """
INSERT INTO requests (campaign_id, owner_id, content_id, state, segments_each, recipients,
                      created_at, updated_at, history)
VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)
"""
_SUPERSEDE = """
UPDATE messages SET state = 'superseded', superseded_by = ?
WHERE id IN (SELECT value FROM json_each(?))
"""
_INSERT_MESSAGES = """
INSERT INTO messages (request_id, content_id, recipient, state)
SELECT ?, ?, value, 'pending' FROM json_each(?)
"""


class Campaign(NamedTuple):
    """What a campaign gives the identity of its messages."""

    server: str
    account: str
    sender: str
    channel: str
    schedule: str | None


class LiveMessage(NamedTuple):
    """A message row that holds its key: ``pending``, ``sent`` or ``ambiguous``.

    ``reconciliation`` is what the usage statement last told of its request, in words, while
    that is what the request's state stands on (not after a late answer, say).
    """

    id: int
    state: str
    request_id: int
    callerid: str | None
    reconciliation: str | None


class PendingRequest(NamedTuple):
    """A pending request, when it was claimed, and by whom."""

    id: int
    created_at: datetime
    owner: Owner


def insert_owner(conn: sqlite3.Connection, owner: Owner) -> int:
    """Add ``owner`` and return its id."""
    cursor = conn.execute(
        "INSERT INTO owners (token, host, pid, started, boot, opened_at) VALUES (?, ?, ?, ?, ?, ?)",
        (owner.token, owner.host, owner.pid, owner.started, owner.boot, utc_now_text()),
    )
    return _row_id(cursor)


def insert_campaign(
    conn: sqlite3.Connection,
    *,
    owner_id: int,
    campaign: Campaign,
    template: str,
    price_per_segment: str | None,
    rows: int,
) -> int:
    """Add a campaign and return its id."""
    cursor = conn.execute(
        "INSERT INTO campaigns (owner_id, created_at, server, account, sender, channel, "
        "schedule, template, price_per_segment, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (owner_id, utc_now_text(), *campaign, template, price_per_segment, rows),
    )
    return _row_id(cursor)


def find_campaign(conn: sqlite3.Connection, campaign_id: int) -> Campaign | None:
    """Return the identity fields of a campaign, or None when there is no such campaign."""
    row = conn.execute(
        "SELECT server, account, sender, channel, schedule FROM campaigns WHERE id = ?",
        (campaign_id,),
    ).fetchone()
    return None if row is None else Campaign(*row)


def insert_content(conn: sqlite3.Connection, key: str, text: str) -> tuple[int, bool]:
    """Return the id of the content with ``key`` (adding it if new), and whether it is new."""
    cursor = conn.execute("INSERT OR IGNORE INTO contents (key, text) VALUES (?, ?)", (key, text))
    if cursor.rowcount == 1 and cursor.lastrowid is not None:
        return cursor.lastrowid, True
    row = conn.execute("SELECT id FROM contents WHERE key = ?", (key,)).fetchone()
    return int(row[0]), False


def live_messages(
    conn: sqlite3.Connection, content_id: int, recipients: Sequence[str]
) -> dict[str, LiveMessage]:
    """Return the live messages of ``content_id`` to any of ``recipients``, by recipient."""
    rows = conn.execute(_LIVE, (content_id, json.dumps(recipients)))
    return {row[0]: LiveMessage(*row[1:]) for row in rows}


def pending_requests(
    conn: sqlite3.Connection,
    request_ids: Collection[int] | None = None,
    *,
    owner_id: int | None = None,
) -> list[PendingRequest]:
    """Return the pending requests among ``request_ids``, or of ``owner_id``, or all of them."""
    if owner_id is not None:
        rows = conn.execute(_PENDING + " AND r.owner_id = ?", (owner_id,))
    elif request_ids is None:
        rows = conn.execute(_PENDING)
    else:
        rows = conn.execute(
            _PENDING + " AND r.id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(request_ids)),),
        )
    return [PendingRequest(row[0], parse_time(row[1]), Owner(*row[2:])) for row in rows]


def insert_request(
    conn: sqlite3.Connection,
    *,
    campaign_id: int,
    owner_id: int,
    content_id: int,
    segments_each: int,
    recipients: Sequence[str],
    superseding: Sequence[int],
    journal_uuid: str,
) -> tuple[int, str]:
    """Add a pending request holding ``recipients``; mark ``superseding`` messages superseded.

    Returns
    -------
    int
        The new request's id.
    str
        Its tag (`directcall_nb.journal._identity.request_tag`), recorded with it.
    """
    now = utc_now_text()
    detail = f"claimed {len(recipients)} recipients"
    if superseding:
        detail += f", {len(superseding)} of them ambiguous before"
    cursor = conn.execute(
        _INSERT_REQUEST,
        (
            campaign_id,
            owner_id,
            content_id,
            segments_each,
            len(recipients),
            now,
            now,
            history_line(now, "pending", detail),
        ),
    )
    request_id = _row_id(cursor)
    tag = request_tag(journal_uuid, request_id)
    conn.execute("UPDATE requests SET tag = ? WHERE id = ?", (tag, request_id))
    if superseding:
        conn.execute(_SUPERSEDE, (request_id, json.dumps(superseding)))
    conn.execute(_INSERT_MESSAGES, (request_id, content_id, json.dumps(recipients)))
    return request_id, tag


def history_line(now: str, state: str, detail: str) -> str:
    """Return one line of a request's history: when, the new state, and why (on one line)."""
    return f"{now} {state}: {' '.join(detail.split())}\n"


def _row_id(cursor: sqlite3.Cursor) -> int:
    row_id = cursor.lastrowid
    if row_id is None:  # pragma: no cover - an INSERT of one row always has one
        raise RuntimeError("SQLite gave no id for a new row")
    return row_id
