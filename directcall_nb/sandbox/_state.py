"""The sandbox's memory: one SQLite database behind one lock.

It holds the account and its balance (in credits), the access tokens (as SHA-256 digests, never
the tokens themselves), every send and its per-recipient messages, scheduled sends, custom
fields, and the delivery outcome chosen for particular phones; its ``inbox`` and ``log`` (see
:mod:`~directcall_nb.sandbox._records`) keep the inbound replies and every API request.

The server's event loop and the caller's threads both use it, so every method takes the lock;
an in-memory database is a single connection, which the lock makes safe to share.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from directcall_nb.sandbox._records import Inbox, RequestLog
from directcall_nb.sandbox._schema import INDEXES, SCHEMA, UPGRADES
from directcall_nb.sandbox._statement import StatementQuery, fields_of_sends, statement_page

__all__ = [
    "DELIVERY_OUTCOMES",
    "CancelResult",
    "NotEnoughCredits",
    "RecordedSend",
    "SandboxState",
    "SendOrder",
]

#: What a delivered message can end up as, per recipient.
DELIVERY_OUTCOMES = ("entregue", "aguardando", "nao_entregue")

CancelResult = Literal["cancelled", "unknown", "already_cancelled", "already_sent"]


# The outcome of a message at delivery: the one chosen for its phone, else delivered.
_OUTCOME = "COALESCE((SELECT o.status FROM outcomes o WHERE o.phone = messages.phone), 'entregue')"


class NotEnoughCredits(Exception):
    """The balance does not cover a send; nothing was recorded."""

    def __init__(self, balance: int, cost: int) -> None:
        super().__init__(f"the send costs {cost} credits and the balance is {balance}")
        self.balance = balance
        self.cost = cost


@dataclass(frozen=True)
class SendOrder:
    """A validated send, ready to be billed and recorded.

    ``segments`` is the number of billing units per recipient (SMS parts, or 1 for a call).
    ``scheduled_for`` is a POSIX time, or ``None`` for an immediate send. ``due_times``, when
    given, is the moment each phone's message is due (a voice batch's calls within their
    window); otherwise every message is due at ``scheduled_for``, or at once.
    """

    channel: Literal["sms", "voice"]
    text: str
    sender: str
    phones: Sequence[str]
    segments: int
    show_sender: bool = False
    short_number: bool = False
    audio: bool = False
    attempts: int = 3
    scheduled_for: float | None = None
    window: tuple[int, int] | None = None
    custom_fields: tuple[tuple[str, str], ...] = ()
    due_times: Sequence[float] | None = None

    @property
    def cost(self) -> int:
        """Credits the send takes from the balance."""
        return self.segments * len(self.phones)


@dataclass(frozen=True)
class RecordedSend:
    """The identifiers given to a send: its ``callerid`` and one ``id_mensagem`` per phone."""

    callerid: str
    message_ids: tuple[int, ...]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SandboxState:
    """The store behind one sandbox.

    Parameters
    ----------
    database : str or os.PathLike
        ``":memory:"`` (the default of :class:`~directcall_nb.sandbox.Sandbox`) or a file path;
        a file keeps its sends and balance from one run to the next.
    client_id : str
        The account whose balance this store keeps.
    balance : int or None
        Credits to set. ``None`` keeps the balance of an existing account and gives a new one
        ``default_balance``.
    default_balance : int
        The balance of a new account when ``balance`` is ``None``.
    """

    def __init__(
        self,
        database: str | os.PathLike[str],
        *,
        client_id: str,
        balance: int | None,
        default_balance: int,
    ) -> None:
        self._lock = threading.RLock()
        self._db = sqlite3.connect(os.fspath(database), check_same_thread=False)
        self._client_id = client_id
        with self._lock, self._db:
            self._db.executescript(SCHEMA)
            self._upgrade()
            self._db.executescript(INDEXES)
            self._db.execute("DELETE FROM tokens")
            self._db.execute(
                "INSERT OR IGNORE INTO account (client_id, balance) VALUES (?, ?)",
                (client_id, default_balance if balance is None else balance),
            )
            if balance is not None:
                self._db.execute(
                    "UPDATE account SET balance = ? WHERE client_id = ?", (balance, client_id)
                )
            row = self._db.execute(
                "SELECT MAX(m), 0 FROM (SELECT MAX(id_mensagem) AS m FROM messages "
                "UNION ALL SELECT MAX(CAST(callerid AS INTEGER)) FROM sends)"
            ).fetchone()
        self._last_id = int(row[0] or 0)
        #: The inbound SMS that ``/sms/recebimento`` lists.
        self.inbox = Inbox(self._db, self._lock)
        #: Every API request and what became of it.
        self.log = RequestLog(self._db, self._lock)

    def _upgrade(self) -> None:
        """Add the newer columns to a database file written without them."""
        for (table, column), statements in UPGRADES.items():
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                for statement in statements:
                    self._db.execute(statement)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    # -- account -------------------------------------------------------------------------------

    @property
    def balance(self) -> int:
        """Credits left."""
        with self._lock:
            row = self._db.execute(
                "SELECT balance FROM account WHERE client_id = ?", (self._client_id,)
            ).fetchone()
        return int(row[0])

    def set_balance(self, credits: int) -> None:
        """Set the credits left."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE account SET balance = ? WHERE client_id = ?", (credits, self._client_id)
            )

    # -- tokens --------------------------------------------------------------------------------

    def store_token(self, token: str, expires_at: float, now: float) -> None:
        """Remember a new token (as its digest) until ``expires_at``; forget those expired."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM tokens WHERE expires_at <= ?", (now,))
            self._db.execute(
                "INSERT INTO tokens (digest, expires_at) VALUES (?, ?)",
                (_digest(token), expires_at),
            )

    def token_is_valid(self, token: str, now: float) -> bool:
        """Tell whether ``token`` was issued here and has not expired at ``now``."""
        with self._lock:
            row = self._db.execute(
                "SELECT expires_at FROM tokens WHERE digest = ?", (_digest(token),)
            ).fetchone()
        return row is not None and now < float(row[0])

    def expire_tokens(self) -> None:
        """Make every token issued so far invalid."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM tokens")

    # -- sends ---------------------------------------------------------------------------------

    def _allocate_ids(self, count: int) -> int:
        """Reserve ``count`` consecutive DirectCall-like numeric ids; return the first."""
        first = max(self._last_id + 1, int(time.time() * 10_000))
        self._last_id = first + count - 1
        return first

    def record_send(self, order: SendOrder, now: float) -> RecordedSend:
        """Bill ``order`` and record it, or raise :class:`NotEnoughCredits` recording nothing.

        The messages due by ``now`` are delivered at once; the others wait as ``agendado``
        until :meth:`deliver_due` finds them due.
        """
        start = now if order.scheduled_for is None else order.scheduled_for
        due = order.due_times if order.due_times is not None else [start] * len(order.phones)
        if len(due) != len(order.phones):
            raise ValueError("due_times must give one moment per phone")
        with self._lock, self._db:
            balance = self.balance
            if order.cost > balance:
                raise NotEnoughCredits(balance, order.cost)
            first = self._allocate_ids(len(order.phones) + 1)
            callerid = str(first)
            ids = tuple(range(first + 1, first + 1 + len(order.phones)))
            window = order.window or (None, None)
            rows = list(zip(ids, order.phones, due, strict=True))
            delivered = [row for row in rows if row[2] <= now]
            waiting = [row for row in rows if row[2] > now]
            state = "enviado" if not waiting else "enviando" if delivered else "agendado"
            self._db.execute(
                "UPDATE account SET balance = balance - ? WHERE client_id = ?",
                (order.cost, self._client_id),
            )
            self._db.execute(
                "INSERT INTO sends (callerid, created_at, channel, text, sender, show_sender, "
                "short_number, audio, segments, credits, scheduled_for, window_from, window_to, "
                "state, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    callerid,
                    now,
                    order.channel,
                    order.text,
                    order.sender,
                    order.show_sender,
                    order.short_number,
                    order.audio,
                    order.segments,
                    order.cost,
                    order.scheduled_for,
                    window[0],
                    window[1],
                    state,
                    order.attempts,
                ),
            )
            outcome = "COALESCE((SELECT o.status FROM outcomes o WHERE o.phone = ?), 'entregue')"
            self._db.executemany(
                "INSERT INTO messages (id_mensagem, callerid, phone, status, sent_at, due_at) "
                f"VALUES (?, ?, ?, {outcome}, ?, ?)",
                ((id_, callerid, phone, phone, at, at) for id_, phone, at in delivered),
            )
            self._db.executemany(
                "INSERT INTO messages (id_mensagem, callerid, phone, status, due_at) "
                "VALUES (?, ?, ?, 'agendado', ?)",
                ((id_, callerid, phone, at) for id_, phone, at in waiting),
            )
            self._db.executemany(
                "INSERT INTO send_fields (callerid, name, value) VALUES (?, ?, ?)",
                ((callerid, name, value) for name, value in order.custom_fields),
            )
        return RecordedSend(callerid, ids)

    def deliver_due(self, now: float) -> int:
        """Deliver every waiting message whose time has come; return how many that was.

        A message delivered late is stamped with the time it was due, not the time of the
        check. A send is ``enviado`` once all its messages are, ``enviando`` before.
        """
        with self._lock, self._db:
            # Not DISTINCT: SQLite would then scan every message by send instead of the few due.
            touched = sorted(
                {
                    str(row[0])
                    for row in self._db.execute(
                        "SELECT callerid FROM messages WHERE status = 'agendado' AND due_at <= ?",
                        (now,),
                    )
                }
            )
            if not touched:
                return 0
            count = self._db.execute(
                f"UPDATE messages SET status = {_OUTCOME}, sent_at = due_at "
                "WHERE status = 'agendado' AND due_at <= ?",
                (now,),
            ).rowcount
            self._db.executemany(
                "UPDATE sends SET state = CASE WHEN EXISTS (SELECT 1 FROM messages m "
                "WHERE m.callerid = sends.callerid AND m.status = 'agendado') "
                "THEN 'enviando' ELSE 'enviado' END WHERE callerid = ?",
                ((callerid,) for callerid in touched),
            )
        return int(count)

    def send_status(self, callerid: str) -> list[tuple[str, int, str]] | None:
        """Return ``(phone, id_mensagem, status)`` per recipient of a send; ``None`` if unknown."""
        with self._lock:
            rows = self._db.execute(
                "SELECT phone, id_mensagem, status FROM messages WHERE callerid = ? "
                "ORDER BY id_mensagem",
                (callerid,),
            ).fetchall()
        return [(str(p), int(i), str(s)) for p, i, s in rows] if rows else None

    def cancel(self, callerid: str) -> CancelResult:
        """Cancel a scheduled send and give its credits back."""
        with self._lock, self._db:
            row = self._db.execute(
                "SELECT state, credits FROM sends WHERE callerid = ?", (callerid,)
            ).fetchone()
            if row is None:
                return "unknown"
            state, credits = str(row[0]), int(row[1])
            if state == "cancelado":
                return "already_cancelled"
            if state != "agendado":
                return "already_sent"
            self._db.execute("UPDATE sends SET state = 'cancelado' WHERE callerid = ?", (callerid,))
            self._db.execute(
                "UPDATE messages SET status = 'cancelado' WHERE callerid = ?", (callerid,)
            )
            self._db.execute(
                "UPDATE account SET balance = balance + ? WHERE client_id = ?",
                (credits, self._client_id),
            )
        return "cancelled"

    def message_rows(self) -> list[dict[str, Any]]:
        """Return one plain dict per recipient message, in the order they were sent.

        ``campos`` is the dict of custom fields of the message's send.
        """
        with self._lock:
            cursor = self._db.execute(
                "SELECT m.phone, s.text, s.channel, m.callerid, m.id_mensagem, m.status, "
                "s.segments, s.scheduled_for, m.sent_at, s.sender, s.show_sender, "
                "s.short_number, s.audio, s.attempts, s.window_from AS enviar_de, "
                "s.window_to AS enviar_ate FROM messages m JOIN sends s USING (callerid) "
                "ORDER BY m.id_mensagem"
            )
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            custom = fields_of_sends(self._db)
        flags = {"show_sender", "short_number", "audio"}
        listed = [
            {n: bool(v) if n in flags else v for n, v in zip(names, row, strict=True)}
            for row in rows
        ]
        for row in listed:
            row["campos"] = dict(custom.get(str(row["callerid"]), {}))
        return listed

    # -- the usage statement -------------------------------------------------------------------

    def statement(self, query: StatementQuery) -> tuple[int, list[dict[str, Any]]]:
        """Return the total of statement entries ``query`` selects and one page of them."""
        with self._lock:
            return statement_page(self._db, query)

    def set_outcome(self, phone: str, status: str) -> None:
        """Choose what messages to ``phone`` end up as when delivered from now on."""
        with self._lock, self._db:
            if status == "entregue":
                self._db.execute("DELETE FROM outcomes WHERE phone = ?", (phone,))
            else:
                self._db.execute(
                    "INSERT OR REPLACE INTO outcomes (phone, status) VALUES (?, ?)", (phone, status)
                )

    def last_sender_to(self, phone: str) -> str | None:
        """Return the sender number of the latest message sent to ``phone``, if any."""
        with self._lock:
            row = self._db.execute(
                "SELECT s.sender FROM messages m JOIN sends s USING (callerid) "
                "WHERE m.phone = ? ORDER BY m.id_mensagem DESC LIMIT 1",
                (phone,),
            ).fetchone()
        return None if row is None else str(row[0])
