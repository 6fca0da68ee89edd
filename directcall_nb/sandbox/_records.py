"""Two records of the sandbox's store: the inbound SMS and the log of API requests.

Both share :class:`~directcall_nb.sandbox._state.SandboxState`'s connection and lock, so that
the server's event loop and the caller's threads can use them at once.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

__all__ = ["Inbox", "RequestLog"]


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class Inbox:
    """The inbound SMS (replies) that ``/sms/recebimento`` lists.

    Parameters
    ----------
    db : sqlite3.Connection
        The store's connection.
    lock : threading.RLock
        The store's lock, taken around every statement.
    """

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self._db = db
        self._lock = lock

    def add(self, origem: str, destino: str, texto: str, received_at: float) -> int:
        """Store an inbound SMS arriving at ``received_at`` (a POSIX time); return its id."""
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO replies (origem, destino, texto, received_at) VALUES (?, ?, ?, ?)",
                (origem, destino, texto, received_at),
            )
        return int(cursor.lastrowid or 0)

    def rows(self) -> list[dict[str, Any]]:
        """Return every inbound SMS stored, arrived or still to come, by time of arrival."""
        with self._lock:
            return _dicts(
                self._db.execute(
                    "SELECT id, origem, destino, texto, received_at FROM replies "
                    "ORDER BY received_at, id"
                )
            )

    def page(
        self, start: float, end: float, *, page: int, per_page: int
    ) -> tuple[int, list[tuple[int, str, str, str, float]]]:
        """Return the total of replies received in ``[start, end)`` and one page, oldest first."""
        with self._lock:
            total = self._db.execute(
                "SELECT COUNT(*) FROM replies WHERE received_at >= ? AND received_at < ?",
                (start, end),
            ).fetchone()[0]
            rows = self._db.execute(
                "SELECT id, origem, destino, texto, received_at FROM replies "
                "WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id "
                "LIMIT ? OFFSET ?",
                (start, end, per_page, (page - 1) * per_page),
            ).fetchall()
        return int(total), [(int(i), str(o), str(d), str(t), float(r)) for i, o, d, t, r in rows]


class RequestLog:
    """Every API request and what became of it; for a send, also what it asked for.

    Parameters
    ----------
    db : sqlite3.Connection
        The store's connection.
    lock : threading.RLock
        The store's lock, taken around every statement.
    """

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self._db = db
        self._lock = lock

    def record(
        self,
        method: str,
        endpoint: str,
        http_status: int | None,
        codigo: str | None,
        fault: str | None,
        *,
        at: float,
        recipients: Sequence[str] | None = None,
        texto: str | None = None,
    ) -> None:
        """Record one API request, made ``at`` a POSIX time, and what became of it.

        ``recipients`` and ``texto`` are what a send asked for (``None`` for other requests).
        """
        joined = None if recipients is None else ";".join(recipients)
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO requests (at, method, endpoint, http_status, codigo, fault, "
                "recipients, texto) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (at, method, endpoint, http_status, codigo, fault, joined, texto),
            )

    def rows(self) -> list[dict[str, Any]]:
        """Return every logged request as a plain dict, oldest first.

        ``recipients`` is a list of numbers for a send, ``None`` for other requests.
        """
        with self._lock:
            logged = _dicts(
                self._db.execute(
                    "SELECT at AS time, method, endpoint, http_status, codigo, fault, "
                    "recipients, texto FROM requests ORDER BY id"
                )
            )
        for row in logged:
            joined = row["recipients"]
            row["recipients"] = None if joined is None else [n for n in joined.split(";") if n]
        return logged
