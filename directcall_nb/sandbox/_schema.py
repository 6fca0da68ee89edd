"""The tables of the sandbox's SQLite store.

- ``account``: the balance, in credits, of each client id.
- ``tokens``: SHA-256 digests of the access tokens issued, with their expiry (never the tokens).
- ``sends``: one row per accepted ``/sms/send`` (its ``callerid``), with what was asked and
  its state: ``agendado`` (nothing delivered yet), ``enviando`` (a voice batch part delivered,
  the rest waiting for its window), ``enviado`` (delivered) or ``cancelado``.
- ``messages``: one row per recipient of a send (its ``id_mensagem``), its status, when it is
  due (``due_at``: the schedule, or the call's moment within the window) and when it was sent.
- ``send_fields``: the custom fields (``campos[<key>]=<value>``) a send carried.
- ``outcomes``: the delivery status chosen for particular phones (default ``entregue``).
- ``replies``: inbound SMS listed by ``/sms/recebimento``.
- ``requests``: every API request and what became of it; for ``/sms/send``, also its
  recipients (``;``-separated) and its ``texto``, whatever became of it.
"""

from __future__ import annotations

__all__ = ["INDEXES", "SCHEMA", "UPGRADES"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS account (
    client_id TEXT PRIMARY KEY,
    balance INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    digest TEXT PRIMARY KEY,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sends (
    callerid TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    sender TEXT NOT NULL,
    show_sender INTEGER NOT NULL,
    short_number INTEGER NOT NULL,
    audio INTEGER NOT NULL,
    segments INTEGER NOT NULL,
    credits INTEGER NOT NULL,
    scheduled_for REAL,
    window_from INTEGER,
    window_to INTEGER,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 3
);
CREATE INDEX IF NOT EXISTS sends_due ON sends (state, scheduled_for);
CREATE TABLE IF NOT EXISTS messages (
    id_mensagem INTEGER PRIMARY KEY,
    callerid TEXT NOT NULL REFERENCES sends (callerid),
    phone TEXT NOT NULL,
    status TEXT NOT NULL,
    sent_at REAL,
    due_at REAL
);
CREATE INDEX IF NOT EXISTS messages_by_send ON messages (callerid);
CREATE INDEX IF NOT EXISTS messages_by_phone ON messages (phone);
CREATE TABLE IF NOT EXISTS send_fields (
    callerid TEXT NOT NULL REFERENCES sends (callerid),
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (callerid, name)
);
CREATE TABLE IF NOT EXISTS outcomes (
    phone TEXT PRIMARY KEY,
    status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origem TEXT NOT NULL,
    destino TEXT NOT NULL,
    texto TEXT NOT NULL,
    received_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS replies_by_time ON replies (received_at);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    method TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    http_status INTEGER,
    codigo TEXT,
    fault TEXT,
    recipients TEXT,
    texto TEXT
);
"""

#: Indexes on columns that older database files lack until :data:`UPGRADES` adds them.
INDEXES = """
CREATE INDEX IF NOT EXISTS messages_due ON messages (due_at) WHERE status = 'agendado';
"""

#: Columns added since the tables' first version, as ``(table, column)``: the statements that
#: add and fill them in a database file written before them, run when it is opened.
UPGRADES: dict[tuple[str, str], tuple[str, ...]] = {
    ("requests", "recipients"): ("ALTER TABLE requests ADD COLUMN recipients TEXT",),
    ("requests", "texto"): ("ALTER TABLE requests ADD COLUMN texto TEXT",),
    ("messages", "due_at"): (
        "ALTER TABLE messages ADD COLUMN due_at REAL",
        "UPDATE messages SET due_at = (SELECT COALESCE(s.scheduled_for, s.created_at) "
        "FROM sends s WHERE s.callerid = messages.callerid)",
    ),
    ("sends", "attempts"): ("ALTER TABLE sends ADD COLUMN attempts INTEGER NOT NULL DEFAULT 3",),
}
