"""The usage statement (``/extrato/list``) as SQL over the sandbox's store.

One entry per recipient message that was delivered (billed, not cancelled), in the order of
delivery. An entry appears in the statement only once its delivery is ``delay`` seconds old by
the sandbox's clock: DirectCall's statement is not known to be immediate, and a client must be
able to meet a send too recent to be listed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["StatementQuery", "fields_of_sends", "statement_page"]


@dataclass(frozen=True)
class StatementQuery:
    """What one request to the statement asks for.

    ``start`` and ``end`` are POSIX times, ``end`` excluded; ``listed_until`` is the latest
    delivery time listed (the sandbox's now minus the statement delay). The optional filters
    are exact: the sender, the recipient, the send's ``callerid``, the channel
    (``"sms"`` / ``"voice"``) and custom fields, all of which the send must have carried.
    """

    start: float
    end: float
    listed_until: float
    page: int
    per_page: int
    sender: str | None = None
    phone: str | None = None
    callerid: str | None = None
    channel: str | None = None
    custom_fields: tuple[tuple[str, str], ...] = ()


def fields_of_sends(
    db: sqlite3.Connection, callerids: Iterable[str] | None = None
) -> dict[str, dict[str, str]]:
    """Return the custom fields of some sends (all when ``callerids`` is ``None``) by callerid."""
    if callerids is None:
        rows = db.execute("SELECT callerid, name, value FROM send_fields").fetchall()
    else:
        wanted = sorted(set(callerids))
        rows = []
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            rows += db.execute(
                f"SELECT callerid, name, value FROM send_fields WHERE callerid IN ({marks})",
                chunk,
            ).fetchall()
    found: dict[str, dict[str, str]] = {}
    for callerid, name, value in sorted(rows):
        found.setdefault(str(callerid), {})[str(name)] = str(value)
    return found


def _where(query: StatementQuery) -> tuple[str, list[Any]]:
    clauses = ["m.sent_at IS NOT NULL", "m.sent_at >= ?", "m.sent_at < ?", "m.sent_at <= ?"]
    params: list[Any] = [query.start, query.end, query.listed_until]
    exact: Mapping[str, str | None] = {
        "s.sender": query.sender,
        "m.phone": query.phone,
        "m.callerid": query.callerid,
        "s.channel": query.channel,
    }
    for column, value in exact.items():
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    for name, value in query.custom_fields:
        clauses.append(
            "EXISTS (SELECT 1 FROM send_fields f WHERE f.callerid = m.callerid "
            "AND f.name = ? AND f.value = ?)"
        )
        params += [name, value]
    return " AND ".join(clauses), params


def statement_page(
    db: sqlite3.Connection, query: StatementQuery
) -> tuple[int, list[dict[str, Any]]]:
    """Return the number of entries ``query`` selects, and its page of them, oldest first.

    Each entry is a dict: ``callerid``, ``id_mensagem``, ``sender``, ``phone``, ``channel``,
    ``sent_at`` (POSIX time), ``status``, ``segments`` (units billed), ``short_number``,
    ``campos`` (the send's custom fields).
    """
    where, params = _where(query)
    source = f"FROM messages m JOIN sends s USING (callerid) WHERE {where}"
    total = int(db.execute(f"SELECT COUNT(*) {source}", params).fetchone()[0])
    cursor = db.execute(
        "SELECT m.callerid, m.id_mensagem, s.sender, m.phone, s.channel, m.sent_at, m.status, "
        f"s.segments, s.short_number {source} ORDER BY m.sent_at, m.id_mensagem "
        "LIMIT ? OFFSET ?",
        [*params, query.per_page, (query.page - 1) * query.per_page],
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    custom = fields_of_sends(db, (str(row["callerid"]) for row in rows))
    for row in rows:
        row["short_number"] = bool(row["short_number"])
        row["campos"] = custom.get(str(row["callerid"]), {})
    return total, rows
