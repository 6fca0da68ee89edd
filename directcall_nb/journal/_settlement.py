"""The journal's settlements as SQL: a request's answer, its cancellation, its reconciliation.

Each function runs inside the caller's transaction and moves a request, with its messages, from
one state to the next, adding a line to its history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping

from directcall_nb.errors import JournalError
from directcall_nb.journal._store import history_line
from directcall_nb.journal._times import utc_now_text

__all__ = ["cancel", "declare_ambiguous", "reconciled", "settle"]

#: The request states a request may leave; ``sent``, ``failed`` and ``released`` are final.
_OPEN = "('pending', 'ambiguous')"


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
