"""The journal's tables, as this version of the format has them (`SCHEMA_VERSION`).

Tables
------
``meta``
    The journal's own facts, by key: ``uuid``, the journal's identity, drawn when the file is
    created. With a request's id it makes the request's tag (``request_tag`` in ``_identity``),
    the custom field each request carries to DirectCall, so that two journals never tag two
    requests alike.
``owners``
    One row per journal opened for writing: host, pid, process start time, boot id, token.
``campaigns``
    One row per send: server, account, sender, channel, schedule, template, price, number of
    rows.
``contents``
    One row per distinct message content: its key (``content_key`` in ``_identity``: server,
    account, sender, channel, schedule and text) and its text.
``requests``
    One row per request made (or about to be made): content, segments per recipient, state
    (``pending``, ``sent``, ``failed``, ``ambiguous``, ``released``, ``cancelled``,
    ``not_sent``), DirectCall's answer, its tag (NULL for requests made before version 3), what
    the last reconciliation with the usage statement concluded and when, and a history with
    one line per change of state.
``messages``
    One row per recipient of a request: content, number, and the message's own state
    (``pending``, ``sent``, ``failed``, ``ambiguous``, ``cancelled``, ``not_sent``, or
    ``superseded`` by a later request). The messages of a released request are deleted: it
    never reached the server. A cancelled message (a scheduled send cancelled before it was
    delivered) may be sent again, and so may a ``not_sent`` one (an ambiguous request that the
    usage statement showed was never carried out).
``suppressions``
    The suppression list: one row per phone number (DirectCall's format) that must not be sent
    to, whatever the server or account: why (``reason``), where it came from (``source``:
    ``reply``, ``import`` or ``manual``), since when, and the reply's text when a reply put it
    there.
``replies``
    One row per SMS reply synced from a server: its key (server, account, DirectCall's id or,
    without one, phone, time and text), the phone it came from, the number it was sent to, its
    text, when it was received, the request it answers (NULL when none), and whether it opted
    out.
``reply_syncs``
    Per server and account, the moment up to which replies have been synced.
``deliveries``
    The last delivery status read from the server for a recipient of a request (``delivered``,
    ``failed``, ``pending`` or ``unknown`` when the server cannot tell), and when it was read.

A message is its content and its recipient. The heart of "never twice" is the unique index over
(content, recipient) of live messages (``pending``, ``sent``, ``ambiguous``): at most one such
row can exist per message, whatever process writes. The index leads with the content, so the
messages of one request sit side by side in it: a claim of thousands of numbers touches a few
pages of the file, not every page of the index.
"""

from __future__ import annotations

import sqlite3

__all__ = ["INDEXES", "LIVE_STATES", "LIVE_STATES_SQL", "SCHEMA_VERSION", "create_all"]

#: The version of the tables below, kept in ``PRAGMA user_version``.
SCHEMA_VERSION = 4
#: Message states that hold a message's key: at most one row per key is in one of them.
LIVE_STATES = ("pending", "sent", "ambiguous")
#: The same states as SQL: the unique index and the claim's query name them alike, so that
#: SQLite answers the query from the index.
LIVE_STATES_SQL = "(" + ", ".join(f"'{state}'" for state in LIVE_STATES) + ")"

_TABLES = f"""
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS owners (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started INTEGER,
    boot TEXT,
    opened_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS campaigns (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES owners (id),
    created_at TEXT NOT NULL,
    server TEXT NOT NULL,
    account TEXT NOT NULL,
    sender TEXT NOT NULL,
    channel TEXT NOT NULL,
    schedule TEXT,
    template TEXT NOT NULL,
    price_per_segment TEXT,
    rows INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS contents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    owner_id INTEGER NOT NULL REFERENCES owners (id),
    content_id INTEGER NOT NULL REFERENCES contents (id),
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'sent', 'failed', 'ambiguous', 'released', 'cancelled',
                         'not_sent')),
    segments_each INTEGER NOT NULL,
    recipients INTEGER NOT NULL,
    scheduled INTEGER NOT NULL DEFAULT 0,
    callerid TEXT,
    codigo TEXT,
    msg TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    history TEXT NOT NULL,
    tag TEXT,
    reconciled_at TEXT,
    reconciliation TEXT
);
CREATE INDEX IF NOT EXISTS requests_by_campaign ON requests (campaign_id);
CREATE INDEX IF NOT EXISTS requests_pending ON requests (owner_id) WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    content_id INTEGER NOT NULL REFERENCES contents (id),
    recipient TEXT NOT NULL,
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'sent', 'failed', 'ambiguous', 'superseded', 'cancelled',
                         'not_sent')),
    superseded_by INTEGER REFERENCES requests (id)
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_live
    ON messages (content_id, recipient) WHERE state IN {LIVE_STATES_SQL};
CREATE INDEX IF NOT EXISTS messages_by_request ON messages (request_id);
CREATE INDEX IF NOT EXISTS requests_ambiguous ON requests (campaign_id) WHERE state = 'ambiguous';
CREATE TABLE IF NOT EXISTS suppressions (
    phone TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('reply', 'import', 'manual')),
    since TEXT NOT NULL,
    reply_text TEXT
);
CREATE TABLE IF NOT EXISTS replies (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    server TEXT NOT NULL,
    account TEXT NOT NULL,
    phone TEXT NOT NULL,
    sent_to TEXT,
    text TEXT NOT NULL,
    received_at TEXT NOT NULL,
    request_id INTEGER REFERENCES requests (id),
    opt_out INTEGER NOT NULL,
    synced_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS replies_by_request ON replies (request_id);
CREATE TABLE IF NOT EXISTS reply_syncs (
    server TEXT NOT NULL,
    account TEXT NOT NULL,
    synced_until TEXT NOT NULL,
    PRIMARY KEY (server, account)
);
CREATE TABLE IF NOT EXISTS deliveries (
    request_id INTEGER NOT NULL REFERENCES requests (id),
    recipient TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (request_id, recipient)
);
"""
#: The indexes of the tables above, which an upgrade drops and creates anew.
INDEXES = (
    "requests_by_campaign",
    "requests_pending",
    "requests_ambiguous",
    "messages_live",
    "messages_by_request",
    "replies_by_request",
)


def create_all(conn: sqlite3.Connection) -> None:
    """Create the tables and indexes that do not exist yet, as this version has them."""
    for statement in _TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
