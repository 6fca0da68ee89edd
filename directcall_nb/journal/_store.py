"""The journal's steps as SQL: each function runs inside the caller's transaction.

`directcall_nb.journal` decides what to do (who is alive, what may be claimed); this module only
reads and writes rows, in as few statements as it can: a claim of thousands of recipients is
one ``SELECT`` and one ``INSERT`` of them, fed a JSON array.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from directcall_nb.errors import JournalError
from directcall_nb.journal._owner import Owner
from directcall_nb.journal._schema import parse_time, request_tag, utc_now_text

__all__ = [
    "AmbiguousRequest",
    "Campaign",
    "LiveMessage",
    "PendingRequest",
    "SentRequest",
    "ambiguous_requests",
    "cancel",
    "declare_ambiguous",
    "find_campaign",
    "insert_campaign",
    "insert_content",
    "insert_owner",
    "insert_request",
    "live_messages",
    "pending_requests",
    "reconciled",
    "requests_by_callerid",
    "settle",
]

_LIVE = """
SELECT m.recipient, m.id, m.state, m.request_id, r.callerid,
       CASE WHEN r.state = 'ambiguous' OR r.reconciled_at = r.updated_at
            THEN r.reconciliation END
FROM messages AS m JOIN requests AS r ON r.id = m.request_id
WHERE m.content_id = ? AND m.recipient IN (SELECT value FROM json_each(?))
  AND m.state IN ('pending', 'sent', 'ambiguous')
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
#: The request states a request may leave; ``sent``, ``failed`` and ``released`` are final.
_OPEN = "('pending', 'ambiguous')"


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
        Its tag (`directcall_nb.journal._schema.request_tag`), recorded with it.
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


def settle(
    conn: sqlite3.Connection,
    request_id: int,
    state: str,
    detail: str,
    answer: Mapping[str, str | int | None],
) -> None:
    """Move a pending or ambiguous request (and its live messages) to ``state``.

    ``answer`` gives request columns to set (``callerid``, ``codigo``, ``msg``, ``scheduled``).
    A released request's messages are deleted.

    Raises
    ------
    JournalError
        No such request, or it is already sent, failed, released or cancelled.
    """
    now = utc_now_text()
    assignments = "".join(f", {column} = ?" for column in answer)
    cursor = conn.execute(
        f"UPDATE requests SET state = ?, updated_at = ?, history = history || ?{assignments} "
        f"WHERE id = ? AND state IN {_OPEN}",
        (state, now, history_line(now, state, detail), *answer.values(), request_id),
    )
    if cursor.rowcount == 0:
        raise _not_open(conn, request_id, state)
    if state == "released":
        conn.execute(
            f"DELETE FROM messages WHERE request_id = ? AND state IN {_OPEN}", (request_id,)
        )
    else:
        conn.execute(
            f"UPDATE messages SET state = ? WHERE request_id = ? AND state IN {_OPEN}",
            (state, request_id),
        )


def _not_open(conn: sqlite3.Connection, request_id: int, state: str) -> JournalError:
    found = conn.execute("SELECT state FROM requests WHERE id = ?", (request_id,)).fetchone()
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if found is None:
        return JournalError(
            f"there is no request {request_id!r} in the journal", path=path, problem="state"
        )
    return JournalError(
        f"request {request_id} is already {found[0]}: it cannot become {state}",
        path=path,
        problem="state",
    )


def cancel(conn: sqlite3.Connection, request_id: int, detail: str) -> None:
    """Move a scheduled request that was sent (and its sent messages) to ``cancelled``.

    Its messages stop holding their keys, so the same messages may be sent again.

    Raises
    ------
    JournalError
        No such request, or it is not a scheduled request that was sent.
    """
    now = utc_now_text()
    cursor = conn.execute(
        "UPDATE requests SET state = 'cancelled', updated_at = ?, history = history || ? "
        "WHERE id = ? AND state = 'sent' AND scheduled = 1",
        (now, history_line(now, "cancelled", detail), request_id),
    )
    if cursor.rowcount == 0:
        raise _not_open(conn, request_id, "cancelled")
    conn.execute(
        "UPDATE messages SET state = 'cancelled' WHERE request_id = ? AND state = 'sent'",
        (request_id,),
    )


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


def declare_ambiguous(conn: sqlite3.Connection, request_ids: Collection[int], reason: str) -> int:
    """Turn pending requests (and their pending messages) ambiguous; return how many messages."""
    if not request_ids:
        return 0
    ids = json.dumps(sorted(request_ids))
    now = utc_now_text()
    conn.execute(
        "UPDATE requests SET state = 'ambiguous', updated_at = ?, history = history || ?, "
        "msg = ? WHERE state = 'pending' AND id IN (SELECT value FROM json_each(?))",
        (now, history_line(now, "ambiguous", reason), reason, ids),
    )
    cursor = conn.execute(
        "UPDATE messages SET state = 'ambiguous' "
        "WHERE state = 'pending' AND request_id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    return cursor.rowcount


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


def reconciled(
    conn: sqlite3.Connection,
    request_id: int,
    state: str,
    *,
    callerid: str | None,
    detail: str,
) -> bool:
    """Record what the usage statement told of an ambiguous request.

    ``state`` is ``sent`` (listed: the request and its ambiguous messages become sent, with the
    callerid when the statement gave one), ``not_sent`` (certainly not carried out: its
    ambiguous messages stop holding their keys, so that they may be sent again) or
    ``ambiguous`` (the statement could not tell: only the history and ``reconciliation``
    change).

    Returns
    -------
    bool
        False when the request is no longer ambiguous (another run settled it meanwhile).
    """
    now = utc_now_text()
    cursor = conn.execute(
        "UPDATE requests SET state = ?, updated_at = ?, history = history || ?, "
        "reconciled_at = ?, reconciliation = ?, callerid = coalesce(?, callerid) "
        "WHERE id = ? AND state = 'ambiguous'",
        (state, now, history_line(now, state, detail), now, detail, callerid, request_id),
    )
    if cursor.rowcount == 0:
        return False
    if state != "ambiguous":
        conn.execute(
            "UPDATE messages SET state = ? WHERE request_id = ? AND state = 'ambiguous'",
            (state, request_id),
        )
    return True


def history_line(now: str, state: str, detail: str) -> str:
    """One line of a request's history: when, the new state, and why (on one line)."""
    return f"{now} {state}: {' '.join(detail.split())}\n"


def _row_id(cursor: sqlite3.Cursor) -> int:
    row_id = cursor.lastrowid
    if row_id is None:  # pragma: no cover - an INSERT of one row always has one
        raise RuntimeError("SQLite gave no id for a new row")
    return row_id
