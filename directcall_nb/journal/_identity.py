"""What identifies things in the journal: a message's content, a request's tag, the journal.

A message is its content and its recipient. The content's key (`content_key`) is a digest of
the server, account, sender, channel, schedule and text; it is stored, so its layout is fixed
(an upgrade of the format rewrites the keys). A request's tag (`request_tag`) joins the
journal's own identity (`journal_uuid`, drawn when the file is created) and the request's id:
the custom field every request carries to DirectCall, so that two journals never tag two
requests alike.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid

__all__ = ["content_key", "draw_identity", "journal_uuid", "request_tag", "server_text"]


def server_text(base_url: str) -> str:
    """Return a server as the journal records it: its base URL, trimmed, with no trailing slash."""
    return base_url.strip().rstrip("/")


def content_key(
    *,
    server: str,
    account: str,
    sender: str,
    channel: str,
    schedule: str | None,
    text: str,
    audio: str | None = None,
) -> str:
    """Return the key of what is sent: SHA-256 (hex) of the identity fields joined by NUL.

    The fields, in order: server (`server_text`), account (trimmed, lower case), sender, channel
    (trimmed, lower case), schedule (`directcall_nb.journal._times.schedule_text`, or empty for
    none) and text; then, for a voice message that plays a recording, ``audio:`` and the
    SHA-256 of the recording, so that two recordings are two messages (a message without one
    keeps the layout it always had). With the recipient, this key identifies a message. It is
    stored: changing this layout would make every message already sent look new (an upgrade
    of the format rewrites the keys).
    """
    fields: tuple[str, ...] = (
        server_text(server),
        account.strip().lower(),
        sender,
        channel.strip().lower(),
        schedule or "",
        text,
    )
    if audio is not None:
        fields = (*fields, f"audio:{audio}")
    return hashlib.sha256("\0".join(fields).encode("utf-8")).hexdigest()


def draw_identity(conn: sqlite3.Connection) -> None:
    """Give the journal its uuid, unless it has one."""
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('uuid', ?)", (uuid.uuid4().hex,))


def journal_uuid(conn: sqlite3.Connection) -> str:
    """Return the journal's identity (drawn when the file was created or upgraded to version 3)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()
    return str(row[0])


def request_tag(journal: str, request_id: int) -> str:
    """Return the tag of a request: the journal's uuid and the request's id, ``<uuid>-<id>``.

    Every request of a journal carries it to DirectCall as a custom field, so that the usage
    statement can be asked whether that request was carried out. It holds no customer data.
    """
    return f"{journal}-{request_id}"
