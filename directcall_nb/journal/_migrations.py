"""Bringing a journal's file to this version of the format: creating it, or upgrading it.

Versions
--------
The format's version is kept in ``PRAGMA user_version``; opening an older journal upgrades it in
one transaction. Version 1 did not record the server: its campaigns are taken as sent to
DirectCall's production API (`PRODUCTION_SERVER`), and their messages keep being recognised
there. Version 2 had no journal identity and no request tags: the upgrade draws the identity;
requests made before it keep no tag, so the usage statement cannot tell them apart and
reconciliation leaves them as they are. Version 3 had no suppression list, replies or delivery
statuses: the upgrade adds their tables, empty.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from directcall_nb.errors import JournalError
from directcall_nb.journal._identity import content_key, draw_identity
from directcall_nb.journal._schema import INDEXES, SCHEMA_VERSION, create_all

__all__ = ["PRODUCTION_SERVER", "bring_up_to_date"]

#: The server that campaigns recorded before the server was (version 1) were sent to: a fact
#: of the past, written here rather than read from the client's default, which may change.
PRODUCTION_SERVER = "https://api.directcallsoft.com"
#: The columns of the tables that upgrades rebuild, as version 2 had them.
_V2_COLUMNS = {
    "requests": (
        "id, campaign_id, owner_id, content_id, state, segments_each, recipients, scheduled, "
        "callerid, codigo, msg, created_at, updated_at, history"
    ),
    "messages": "id, request_id, content_id, recipient, state, superseded_by",
}


def bring_up_to_date(conn: sqlite3.Connection, path: Path) -> None:
    """Create the tables of a new file, or upgrade an older one, in one transaction.

    Raises
    ------
    JournalError
        The file was written by a newer version of directcall_nb.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise JournalError(
            f"the journal {path} was written by a newer version of directcall_nb "
            f"(format {version}, this one reads {SCHEMA_VERSION}): upgrade directcall_nb",
            path=path,
            problem="newer",
        )
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have created or upgraded the file while this one waited.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 1:
            _upgrade_from_1(conn)
        if version in (1, 2):
            _upgrade_from_2(conn)
        # A new file's tables, or those added since the file's version (version 4's
        # suppressions, replies, reply_syncs and deliveries).
        create_all(conn)
        draw_identity(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.rollback()
        raise
    conn.execute("COMMIT")


def _rebuild_requests_and_messages(conn: sqlite3.Connection) -> None:
    """Rebuild the requests and messages tables as this version has them, keeping their rows.

    SQLite cannot change a CHECK: the tables are renamed, created anew, and their rows copied
    (the columns of version 2; the columns added since start empty).
    """
    for table in ("requests", "messages"):
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
    for index in INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    create_all(conn)
    for table in ("requests", "messages"):
        columns = _V2_COLUMNS[table]
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table}_old")
    conn.execute("DROP TABLE messages_old")
    conn.execute("DROP TABLE requests_old")


def _upgrade_from_2(conn: sqlite3.Connection) -> None:
    """Version 2 → 3: the journal's identity, request tags, ``not_sent``, reconciliation.

    The requests and messages tables are rebuilt for the new state ``not_sent`` and the new
    columns (``tag``, ``reconciled_at``, ``reconciliation``); the requests made before keep no
    tag: they left without one. The identity is drawn by the caller.
    """
    _rebuild_requests_and_messages(conn)


def _upgrade_from_1(conn: sqlite3.Connection) -> None:
    """Version 1 → 2: the server joins a message's identity; cancelled requests and messages.

    Version 1's campaigns are taken as sent to `PRODUCTION_SERVER`; every content key is
    written anew with it, so that what was sent there is still recognised. The requests and
    messages tables gain their new states when `_upgrade_from_2` rebuilds them.
    """
    conn.execute(
        f"ALTER TABLE campaigns ADD COLUMN server TEXT NOT NULL DEFAULT '{PRODUCTION_SERVER}'"
    )
    rows = conn.execute(
        "SELECT t.id, t.text, c.server, c.account, c.sender, c.channel, c.schedule "
        "FROM contents AS t JOIN requests AS r ON r.content_id = t.id "
        "JOIN campaigns AS c ON c.id = r.campaign_id GROUP BY t.id"
    ).fetchall()
    conn.execute("DELETE FROM contents WHERE id NOT IN (SELECT content_id FROM requests)")
    conn.executemany(
        "UPDATE contents SET key = ? WHERE id = ?",
        (
            (
                content_key(
                    server=server,
                    account=account,
                    sender=sender,
                    channel=channel,
                    schedule=schedule,
                    text=text,
                ),
                content_id,
            )
            for content_id, text, server, account, sender, channel, schedule in rows
        ),
    )
