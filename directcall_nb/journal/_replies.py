"""The replies synced from a server, kept in the journal once each, linked to what they answer.

`ReplyStore.record_replies` stores the replies one sync of ``/sms/recebimento`` listed: each
once (its key is the server, the account and DirectCall's id for it, or without one its phone,
time and text), linked to the request it answers (`directcall_nb.journal._reply_links`), the
numbers of those that opt out put on the suppression list (``source="reply"``), and the point
up to which the server and account are synced moved on, all in one transaction. What it
returns is only what was new. `ReplyStore.replies` reads them back.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from directcall_nb.journal._identity import server_text
from directcall_nb.journal._reply_links import answered_request, delivered_to, known_senders
from directcall_nb.journal._suppressions import SuppressionList
from directcall_nb.journal._times import parse_time, utc_now_text
from directcall_nb.moments import BRAZIL_TIME

__all__ = [
    "REPLY_COLUMNS",
    "InboundReply",
    "ReplyStore",
    "campaign_replies",
    "replies_frame",
    "reply_key",
]

#: The columns of a frame of replies, as `ReplyStore.replies` and a sync return them.
REPLY_COLUMNS = ["phone", "sent_to", "text", "received_at", "campaign", "opt_out"]
_SELECT = """
SELECT p.phone, p.sent_to, p.text, p.received_at, r.campaign_id, p.opt_out
FROM replies p LEFT JOIN requests r ON r.id = p.request_id
{where} ORDER BY p.received_at, p.id
"""


@dataclass(frozen=True)
class InboundReply:
    """One SMS reply as a server listed it.

    Attributes
    ----------
    phone : str
        Who wrote it: DirectCall's format when it is a phone number, else as listed.
    sent_to : str or None
        The number it was written to (the listing's ``destino``), when given.
    text : str
        What it says.
    received_at : datetime or None
        When it arrived (aware); None when the listing did not say.
    server_id : str or None
        The server's id for it (the listing's ``id``), when given.
    opt_out : str or None
        The opt-out keyword it matched, or None when it is no opt-out.
    """

    phone: str
    sent_to: str | None
    text: str
    received_at: datetime | None
    server_id: str | None = None
    opt_out: str | None = None


def reply_key(reply: InboundReply, *, server: str, account: str) -> str:
    """Return the key a reply is stored under: SHA-256 (hex) of its identity joined by NUL.

    The server, the account (trimmed, lower case) and the server's id for the reply; without
    an id, its phone, time (UTC, or empty when unknown) and text instead.
    """
    head = ("reply", server_text(server), account.strip().lower())
    if reply.server_id:
        fields: tuple[str, ...] = (*head, "id", reply.server_id)
    else:
        at = "" if reply.received_at is None else _utc_text(reply.received_at)
        fields = (*head, "at", reply.phone, at, reply.text)
    return hashlib.sha256("\0".join(fields).encode("utf-8")).hexdigest()


class ReplyStore(SuppressionList):
    """The replies' part of `directcall_nb.journal.Journal` (and the suppression list's)."""

    def synced_until(self, *, server: str, account: str) -> datetime | None:
        """Return the moment up to which replies of this server and account were synced."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT synced_until FROM reply_syncs WHERE server = ? AND account = ?",
                (server_text(server), account.strip().lower()),
            ).fetchone()
        return None if row is None else parse_time(row[0])

    def first_campaign_at(self, *, server: str, account: str) -> datetime | None:
        """Return when the first campaign to this server and account started, if there is one."""
        with self._reading() as conn:
            row = conn.execute(
                "SELECT min(created_at) FROM campaigns "
                "WHERE server = ? AND lower(trim(account)) = ?",
                (server_text(server), account.strip().lower()),
            ).fetchone()
        return None if row is None or row[0] is None else parse_time(row[0])

    def record_replies(
        self,
        replies: Sequence[InboundReply],
        *,
        server: str,
        account: str,
        synced_until: datetime | None,
    ) -> pd.DataFrame:
        """Store the replies not stored yet, and return those, as `replies` does.

        Parameters
        ----------
        replies : sequence of InboundReply
            What a sync listed, in any order; a reply stored before is left as it is.
        server, account : str
            Where they were listed: the API's base URL and the account (client id).
        synced_until : datetime or None
            The end of the period listed: the server and account count as synced up to it
            (aware; None leaves the point as it was). A reply without a time is taken to have
            arrived then.

        Returns
        -------
        DataFrame
            The new replies, oldest first: ``phone``, ``sent_to``, ``text``, ``received_at``
            (Brazil time), ``campaign`` (the id of the campaign it answers, <NA> for none) and
            ``opt_out`` (whether it opted the number out).
        """
        server, account = server_text(server), account.strip().lower()
        fallback = synced_until or datetime.now(UTC)
        with self._lock, self._transaction() as conn:
            new = _new_ones(conn, replies, server=server, account=account)
            links = _Links(conn, [r for _, r in new], server=server, account=account)
            synced_at = utc_now_text()
            rows: list[tuple[object, ...]] = []
            for key, reply in new:
                at = _utc_text(reply.received_at or fallback)
                request_id = links.answered(reply, parse_time(at))
                opted_out = reply.opt_out is not None
                conn.execute(
                    "INSERT INTO replies (key, server, account, phone, sent_to, text, "
                    "received_at, request_id, opt_out, synced_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, server, account, reply.phone, reply.sent_to, reply.text, at,
                     request_id, int(opted_out), synced_at),
                )  # fmt: skip
                if opted_out:
                    conn.execute(
                        "INSERT OR IGNORE INTO suppressions (phone, reason, source, since, "
                        "reply_text) VALUES (?, ?, 'reply', ?, ?)",
                        (reply.phone, reply.opt_out, at, reply.text),
                    )
                campaign = links.campaign(request_id)
                rows.append((reply.phone, reply.sent_to, reply.text, at, campaign, opted_out))
            if synced_until is not None:
                _move_sync_point(conn, server, account, _utc_text(synced_until))
        rows.sort(key=lambda row: str(row[3]))  # by time received, as UTC text
        return replies_frame(rows)

    def replies(self, campaign: int | None = None) -> pd.DataFrame:
        """Return the replies synced (to one campaign, or all), oldest first.

        Columns: ``phone`` (who wrote, DirectCall's format), ``sent_to`` (the number written
        to), ``text``, ``received_at`` (Brazil time), ``campaign`` (the id of the campaign the
        reply answers: the latest message sent to that phone before it, through the number it
        was written to; <NA> when none) and ``opt_out`` (whether it put the number on the
        suppression list). `directcall_nb.sync_replies` fetches new ones from the server.
        """
        where, params = ("", ()) if campaign is None else ("WHERE r.campaign_id = ?", (campaign,))
        with self._reading() as conn:
            rows = conn.execute(_SELECT.format(where=where), params).fetchall()
        return replies_frame(rows)


def campaign_replies(path: Path | None, campaign: int | None) -> pd.DataFrame:
    """Return the replies to a campaign kept in the journal at ``path`` (none without one)."""
    if path is None or campaign is None:
        return replies_frame([])
    with ReplyStore(path) as store:
        return store.replies(campaign)


def replies_frame(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """Return rows of (phone, sent_to, text, received_at as UTC text, campaign, opt_out)."""
    frame = pd.DataFrame.from_records([tuple(row) for row in rows], columns=REPLY_COLUMNS)
    frame["received_at"] = pd.to_datetime(
        frame["received_at"], utc=True, format="ISO8601"
    ).dt.tz_convert(BRAZIL_TIME)
    frame["campaign"] = frame["campaign"].astype("Int64")
    frame["opt_out"] = frame["opt_out"].astype(bool)
    return frame.astype({"phone": "string", "sent_to": "string", "text": "string"})


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=BRAZIL_TIME)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _new_ones(
    conn: sqlite3.Connection, replies: Sequence[InboundReply], *, server: str, account: str
) -> list[tuple[str, InboundReply]]:
    """Return the replies whose key is not stored yet, each once, with their key."""
    keyed = {reply_key(r, server=server, account=account): r for r in replies}
    keys = list(keyed)
    stored: set[str] = set()
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        marks = ", ".join("?" * len(part))
        found = conn.execute(f"SELECT key FROM replies WHERE key IN ({marks})", part)
        stored.update(key for (key,) in found)
    return [(key, reply) for key, reply in keyed.items() if key not in stored]


def _move_sync_point(conn: sqlite3.Connection, server: str, account: str, until: str) -> None:
    """Record that the server and account are synced up to ``until``, unless they were further."""
    conn.execute(
        "INSERT INTO reply_syncs (server, account, synced_until) VALUES (?, ?, ?) "
        "ON CONFLICT (server, account) DO UPDATE SET "
        "synced_until = max(synced_until, excluded.synced_until)",
        (server, account, until),
    )


class _Links:
    """The messages the replies of one sync may answer, and the campaigns of their requests."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        replies: Sequence[InboundReply],
        *,
        server: str,
        account: str,
    ) -> None:
        self._conn = conn
        self._delivered = delivered_to(
            conn, (r.phone for r in replies), server=server, account=account
        )
        self._senders = known_senders(conn, server=server, account=account)
        self._campaigns: dict[int, int] = {}

    def answered(self, reply: InboundReply, at: datetime) -> int | None:
        """Return the id of the request ``reply``, arrived ``at``, answers (None: none)."""
        return answered_request(
            self._delivered.get(reply.phone, []),
            sent_to=reply.sent_to,
            at=at,
            senders=self._senders,
        )

    def campaign(self, request_id: int | None) -> int | None:
        """Return the campaign of a request (None for none)."""
        if request_id is None:
            return None
        if request_id not in self._campaigns:
            row = self._conn.execute(
                "SELECT campaign_id FROM requests WHERE id = ?", (request_id,)
            ).fetchone()
            self._campaigns[request_id] = int(row[0])
        return self._campaigns[request_id]
