"""The journal's SQLite file: where it lives, its tables, how it is opened, and message identity.

Tables
------
``meta``
    The journal's own facts, by key: ``uuid``, the journal's identity, drawn when the file is
    created. With a request's id it makes the request's tag (`request_tag`), the custom field
    each request carries to DirectCall, so that two journals never tag two requests alike.
``owners``
    One row per journal opened for writing: host, pid, process start time, boot id, token.
``campaigns``
    One row per send: server, account, sender, channel, schedule, template, price, number of
    rows.
``contents``
    One row per distinct message content: its key (`content_key`: server, account, sender,
    channel, schedule and text) and its text.
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

A message is its content and its recipient. The heart of "never twice" is the unique index over
(content, recipient) of live messages (``pending``, ``sent``, ``ambiguous``): at most one such
row can exist per message, whatever process writes. The index leads with the content, so the
messages of one request sit side by side in it: a claim of thousands of numbers touches a few
pages of the file, not every page of the index.

Versions
--------
The format's version is kept in ``PRAGMA user_version``; opening an older journal upgrades it in
one transaction. Version 1 did not record the server: its campaigns are taken as sent to
DirectCall's production API (`DEFAULT_BASE_URL`), and their messages
keep being recognised there. Version 2 had no journal identity and no request tags: the upgrade
draws the identity; requests made before it keep no tag, so the usage statement cannot tell
them apart and reconciliation leaves them as they are.

Durability
----------
The file is in WAL mode with ``synchronous=FULL``: every commit is flushed to disk before the
call returns. With ``NORMAL`` a power cut may undo the last commits, and undoing a ``pending``
claim whose request already left would let the next run send that message again; one flush per
state change is cheap beside an HTTP request.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from directcall_nb.client import BRAZIL_TIME
from directcall_nb.errors import JournalError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "ENV_VAR",
    "LIVE_STATES",
    "PRODUCTION_SERVER",
    "SCHEMA_VERSION",
    "connect",
    "content_key",
    "default_journal_path",
    "journal_uuid",
    "parse_time",
    "request_tag",
    "schedule_text",
    "server_text",
    "utc_now_text",
]

#: The environment variable that names the journal's file.
ENV_VAR = "DIRECTCALL_NB_JOURNAL"
#: The version of the tables below, kept in ``PRAGMA user_version``.
SCHEMA_VERSION = 3
#: The server that campaigns recorded before the server was (version 1) were sent to.
PRODUCTION_SERVER = "https://api.directcallsoft.com"
#: How long a writer waits for another one before giving up.
BUSY_TIMEOUT_MS = 60_000
#: Message states that hold a message's key: at most one row per key is in one of them.
LIVE_STATES = ("pending", "sent", "ambiguous")

_TABLES = """
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
    ON messages (content_id, recipient) WHERE state IN ('pending', 'sent', 'ambiguous');
CREATE INDEX IF NOT EXISTS messages_by_request ON messages (request_id);
CREATE INDEX IF NOT EXISTS requests_ambiguous ON requests (campaign_id) WHERE state = 'ambiguous';
"""
#: The columns of the tables that upgrades rebuild, as version 2 had them.
_V2_COLUMNS = {
    "requests": (
        "id, campaign_id, owner_id, content_id, state, segments_each, recipients, scheduled, "
        "callerid, codigo, msg, created_at, updated_at, history"
    ),
    "messages": "id, request_id, content_id, recipient, state, superseded_by",
}
_INDEXES = (
    "requests_by_campaign",
    "requests_pending",
    "requests_ambiguous",
    "messages_live",
    "messages_by_request",
)


def default_journal_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Return where the journal is kept unless a path is given.

    Parameters
    ----------
    environ : mapping, default os.environ
        Where ``DIRECTCALL_NB_JOURNAL`` is looked up.

    Returns
    -------
    Path
        ``$DIRECTCALL_NB_JOURNAL`` when set, else ``journal.sqlite3`` in the user data directory
        (``platformdirs.user_data_dir("directcall_nb")``).
    """
    chosen = environ.get(ENV_VAR, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir("directcall_nb")) / "journal.sqlite3"


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating or upgrading if needed) the journal at ``path``, for use from many threads.

    Raises
    ------
    JournalError
        The file cannot be created or opened (a directory, no permission), is not a journal, is
        one written by a newer version of directcall_nb, or stays locked by another program.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise _unusable(path, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _set_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        _create_tables(conn, path)  # before foreign keys are on: an upgrade rebuilds tables
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise _unusable(path, exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _unusable(path: Path, exc: BaseException) -> JournalError:
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        problem, why = (
            "locked",
            (
                f"it stayed locked by another program for {BUSY_TIMEOUT_MS // 1000} s; close "
                "whatever holds it open and try again"
            ),
        )
    elif path.is_dir():
        problem, why = "directory", "it is a directory; give the path of a file"
    elif isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        problem, why = "not_journal", f"it is not a directcall_nb journal ({exc})"
    else:
        problem, why = "other", f"{exc}"
    return JournalError(
        f"the journal {path} cannot be used: {why}. Give another path with journal=... or the "
        f"{ENV_VAR} environment variable",
        path=path,
        problem=problem,
    )


def _set_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode, waiting for other writers as long as any write would.

    Changing the mode needs the file to itself for a moment, and SQLite answers "locked" at
    once (without waiting) when another connection is writing or changing it too: as when two
    kernels open a new journal at the same moment.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.01)


def _create_tables(conn: sqlite3.Connection, path: Path) -> None:
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
        elif version == 0:
            _create_all(conn)
        _draw_identity(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.rollback()
        raise
    conn.execute("COMMIT")


def _create_all(conn: sqlite3.Connection) -> None:
    for statement in _TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)


def _draw_identity(conn: sqlite3.Connection) -> None:
    """Give the journal its uuid, unless it has one."""
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('uuid', ?)", (uuid.uuid4().hex,))


def _rebuild_requests_and_messages(conn: sqlite3.Connection) -> None:
    """Rebuild the requests and messages tables as this version has them, keeping their rows.

    SQLite cannot change a CHECK: the tables are renamed, created anew, and their rows copied
    (the columns of version 2; the columns added since start empty).
    """
    for table in ("requests", "messages"):
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
    for index in _INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    _create_all(conn)
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


def journal_uuid(conn: sqlite3.Connection) -> str:
    """The journal's identity (drawn when the file was created or upgraded to version 3)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()
    return str(row[0])


def request_tag(journal: str, request_id: int) -> str:
    """The tag of a request: the journal's uuid and the request's id, ``<uuid>-<id>``.

    Every request of a journal carries it to DirectCall as a custom field, so that the usage
    statement can be asked whether that request was carried out. It holds no customer data.
    """
    return f"{journal}-{request_id}"


def utc_now_text() -> str:
    """Now, as the journal writes times: ISO 8601 in UTC to the microsecond (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """Read a time written by `utc_now_text`."""
    return datetime.fromisoformat(text)


def schedule_text(schedule: datetime | None) -> str | None:
    """Write a schedule as ISO 8601 in UTC, to the second (``cron`` has no finer unit).

    A naive datetime is Brasília time, as DirectCall reads it.
    """
    if schedule is None:
        return None
    if not isinstance(schedule, datetime) or schedule != schedule:  # NaT is a datetime
        raise TypeError(f"schedule must be a datetime or None, not {schedule!r}")
    if schedule.tzinfo is None or schedule.utcoffset() is None:
        schedule = schedule.replace(tzinfo=BRAZIL_TIME)
    utc = schedule.astimezone(UTC)  # rebuilt, so that a pandas Timestamp loses its nanoseconds
    return datetime(*utc.timetuple()[:6], tzinfo=UTC).isoformat()


def server_text(base_url: str) -> str:
    """A server as the journal records it: its base URL, trimmed, without a trailing slash."""
    return base_url.strip().rstrip("/")


def content_key(
    *, server: str, account: str, sender: str, channel: str, schedule: str | None, text: str
) -> str:
    """Return the key of what is sent: SHA-256 (hex) of the identity fields joined by NUL.

    The fields, in order: server (`server_text`), account (trimmed, lower case), sender, channel
    (trimmed, lower case), schedule (`schedule_text`, or empty for none) and text. With the
    recipient, this key identifies a message. It is stored: changing this layout would make
    every message already sent look new (an upgrade of the format rewrites the keys).
    """
    fields = (
        server_text(server),
        account.strip().lower(),
        sender,
        channel.strip().lower(),
        schedule or "",
        text,
    )
    return hashlib.sha256("\0".join(fields).encode("utf-8")).hexdigest()
