"""Which request a reply answers: the latest message sent to its phone before it arrived.

A reply answers a message of the same server and account, sent to the phone it comes from,
before it arrived, through the number it was written to (its ``destino``, the campaign's
sender). A message counts as sent once its request left: ``sent`` or ``ambiguous`` (it may have
been delivered; a reply is a sign that it was), at the later of the moment it was claimed and
its schedule, to the second (a reply's time has no finer unit). When the reply names no number,
or a number that is no sender of this server and account (a short number, say, which a
short-number SMS is answered through), the sender is not compared: the latest message to the
phone is the one answered. A reply to a sender of ours from a phone that sender never messaged
before the reply answers nothing (``None``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from directcall_nb.journal._times import parse_time

__all__ = ["Delivered", "answered_request", "delivered_to", "known_senders"]

_CHUNK = 500
_DELIVERED = """
SELECT m.recipient, r.id, c.sender, r.created_at, c.schedule
FROM messages m
JOIN requests r ON r.id = m.request_id
JOIN campaigns c ON c.id = r.campaign_id
WHERE m.state IN ('sent', 'ambiguous') AND r.state IN ('sent', 'ambiguous')
  AND c.server = ? AND lower(trim(c.account)) = ? AND m.recipient IN ({marks})
"""


@dataclass(frozen=True)
class Delivered:
    """A message that left for a phone: its request, its sender, and when it could arrive."""

    request_id: int
    sender: str
    at: datetime


def known_senders(conn: sqlite3.Connection, *, server: str, account: str) -> set[str]:
    """Return the senders of every campaign of this server and account."""
    rows = conn.execute(
        "SELECT DISTINCT sender FROM campaigns WHERE server = ? AND lower(trim(account)) = ?",
        (server, account),
    )
    return {str(sender) for (sender,) in rows}


def delivered_to(
    conn: sqlite3.Connection, phones: Iterable[str], *, server: str, account: str
) -> dict[str, list[Delivered]]:
    """Return the messages that left for each of ``phones`` from this server and account."""
    wanted = sorted(set(phones))
    found: dict[str, list[Delivered]] = {}
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start : start + _CHUNK]
        query = _DELIVERED.format(marks=", ".join("?" * len(part)))
        for phone, request_id, sender, created, schedule in conn.execute(
            query, (server, account, *part)
        ):
            at = parse_time(created).replace(microsecond=0)  # replies are timed to the second
            if schedule is not None:
                at = max(at, parse_time(schedule))
            found.setdefault(phone, []).append(Delivered(int(request_id), str(sender), at))
    return found


def answered_request(
    delivered: Sequence[Delivered], *, sent_to: str | None, at: datetime, senders: set[str]
) -> int | None:
    """Return the request a reply written to ``sent_to`` at ``at`` answers, or None.

    ``delivered`` are the messages that left for the reply's phone; ``senders`` the senders of
    the server and account (see the module's docstring for the rule).
    """
    compare = bool(sent_to) and sent_to in senders
    before = [d for d in delivered if d.at <= at and (not compare or d.sender == sent_to)]
    if not before:
        return None
    return max(before, key=lambda d: (d.at, d.request_id)).request_id
