"""The suppression list: the numbers no campaign may message, kept in the journal's file.

A number is on the list because its owner opted out by reply (``source="reply"``), because a
list was imported (``"import"``: the company's own, a "Não Me Ligue" export) or because someone
put it there (``"manual"``). The list is the journal's, not a server's or an account's: a
customer who said SAIR to one sender said it to the company. A number keeps the first entry
that put it on the list until `SuppressionList.unsuppress` takes it off.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

import pandas as pd

from directcall_nb.display import quoted
from directcall_nb.errors import InvalidOption
from directcall_nb.journal._file import JournalFile
from directcall_nb.journal._times import parse_time, utc_now_text
from directcall_nb.phones import normalize_phones

__all__ = [
    "ABSENT",
    "ADDED",
    "ALREADY",
    "INVALID",
    "REMOVED",
    "SOURCES",
    "Source",
    "Suppression",
    "SuppressionList",
]

#: Where an entry of the list came from.
Source = Literal["reply", "import", "manual"]
SOURCES: tuple[Source, ...] = get_args(Source)
#: What `SuppressionList.suppress` and `SuppressionList.unsuppress` say of each number.
ADDED, ALREADY, REMOVED, ABSENT, INVALID = "added", "already", "removed", "absent", "invalid"
_COLUMNS = ["phone", "reason", "source", "since", "reply_text"]


@dataclass(frozen=True)
class Suppression:
    """Why one number is on the suppression list.

    Attributes
    ----------
    phone : str
        The number, in DirectCall's format.
    reason : str
        Why, as it was given (for a reply, the opt-out keyword it matched).
    source : {"reply", "import", "manual"}
        How it got there.
    since : datetime
        When (UTC): the reply's arrival, or the moment it was added.
    reply_text : str or None
        The reply's text, for a number that opted out by reply.
    """

    phone: str
    reason: str
    source: Source
    since: datetime
    reply_text: str | None = None


class SuppressionList(JournalFile):
    """The suppression list's part of `directcall_nb.journal.Journal`."""

    def suppress(
        self,
        numbers: Iterable[Any],
        *,
        reason: str,
        source: Source = "manual",
        since: datetime | None = None,
        reply_text: str | None = None,
    ) -> pd.DataFrame:
        """Put numbers on the suppression list.

        Parameters
        ----------
        numbers : iterable
            Phone numbers in any form `directcall_nb.normalize_phones` reads (foreign ones
            included).
        reason : str
            Why, in words (e.g. ``"lista Não Me Ligue"``).
        source : {"manual", "import", "reply"}, default "manual"
            Where the entry comes from.
        since : datetime, optional
            When the number opted out; default now. A naive datetime is UTC.
        reply_text : str, optional
            The reply's text, for ``source="reply"``.

        Returns
        -------
        DataFrame
            One row per number given, in order: ``input``, ``phone`` (DirectCall's format, <NA>
            when invalid), ``result`` (``added``, ``already`` on the list, or ``invalid``) and
            ``reason`` (why an invalid number is not a phone number).

        Raises
        ------
        InvalidOption
            ``reason`` is empty or ``source`` is not one of the three.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidOption(
                "reason must say why the numbers are suppressed, e.g. reason='pediu para sair'",
                option="reason",
                value=reason,
            )
        if source not in SOURCES:
            raise InvalidOption(
                f"source must be one of {', '.join(SOURCES)}, not {quoted(source)}",
                option="source",
                value=source,
            )
        given, checked = _normalised(numbers)
        at = utc_now_text() if since is None else _utc_text(since)
        valid = checked["phone"].dropna().drop_duplicates().tolist()
        with self._lock, self._transaction() as conn:
            known = _present(conn, valid)
            conn.executemany(
                "INSERT OR IGNORE INTO suppressions (phone, reason, source, since, reply_text) "
                "VALUES (?, ?, ?, ?, ?)",
                ((phone, reason.strip(), source, at, reply_text) for phone in valid),
            )
        return _outcome(given, checked, known, listed=ALREADY, unlisted=ADDED)

    def unsuppress(self, numbers: Iterable[Any]) -> pd.DataFrame:
        """Take numbers off the suppression list.

        Returns
        -------
        DataFrame
            One row per number given: ``input``, ``phone``, ``result`` (``removed``,
            ``absent`` from the list, or ``invalid``) and ``reason``.
        """
        given, checked = _normalised(numbers)
        valid = checked["phone"].dropna().drop_duplicates().tolist()
        with self._lock, self._transaction() as conn:
            known = _present(conn, valid)
            conn.executemany("DELETE FROM suppressions WHERE phone = ?", ((p,) for p in valid))
        return _outcome(given, checked, known, listed=REMOVED, unlisted=ABSENT)

    def suppressed(self) -> pd.DataFrame:
        """Return the suppression list: phone, reason, source, since (UTC) and reply_text."""
        with self._reading() as conn:
            rows = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM suppressions ORDER BY since")
            frame = pd.DataFrame(rows.fetchall(), columns=_COLUMNS)
        frame["since"] = pd.to_datetime(frame["since"], utc=True, format="ISO8601")
        return frame.astype({"phone": "string", "reason": "string", "source": "string"})

    def suppressions(self, phones: Iterable[str] | None = None) -> Mapping[str, Suppression]:
        """Return the suppression list by number, for the checks made before a send.

        Parameters
        ----------
        phones : iterable of str, optional
            Only these numbers (DirectCall's format), those of them that are on the list; the
            whole list when None.
        """
        query = f"SELECT {', '.join(_COLUMNS)} FROM suppressions"
        with self._reading() as conn:
            if phones is None:
                rows = conn.execute(query).fetchall()
            else:
                wanted, rows = list(dict.fromkeys(phones)), []
                for start in range(0, len(wanted), 500):
                    part = wanted[start : start + 500]
                    marks = ", ".join("?" * len(part))
                    rows += conn.execute(f"{query} WHERE phone IN ({marks})", part).fetchall()
        return {
            phone: Suppression(phone, reason, source, parse_time(since), reply_text)
            for phone, reason, source, since, reply_text in rows
        }

    def suppressed_phones(self) -> list[str]:
        """Return the numbers on the suppression list (DirectCall's format): the quick read.

        What every estimate reads first; only the numbers it finds in its frame are then read
        whole, with `suppressions`.
        """
        with self._reading() as conn:
            return [phone for (phone,) in conn.execute("SELECT phone FROM suppressions")]


def _normalised(numbers: Iterable[Any]) -> tuple[list[Any], pd.DataFrame]:
    given = list(numbers.tolist() if isinstance(numbers, pd.Series) else numbers)
    return given, normalize_phones(given, allow_international=True)


def _present(conn: sqlite3.Connection, phones: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(phones), 500):
        part = phones[start : start + 500]
        marks = ", ".join("?" * len(part))
        rows = conn.execute(f"SELECT phone FROM suppressions WHERE phone IN ({marks})", part)
        found.update(phone for (phone,) in rows)
    return found


def _outcome(
    given: list[Any], checked: pd.DataFrame, known: set[str], *, listed: str, unlisted: str
) -> pd.DataFrame:
    """Say per number given: ``listed`` for those that were on the list, ``unlisted`` if not."""
    phones = checked["phone"]
    result = [
        INVALID if pd.isna(phone) else (listed if phone in known else unlisted) for phone in phones
    ]
    return pd.DataFrame(
        {
            "input": given,
            "phone": phones.to_numpy(),
            "result": result,
            "reason": checked["reason"].to_numpy(),
        }
    ).astype({"phone": "string", "result": "string", "reason": "string"})


def _utc_text(moment: datetime) -> str:
    if not isinstance(moment, datetime):
        raise InvalidOption(
            f"since must be a datetime, not {quoted(moment)}", option="since", value=moment
        )
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.to_pydatetime().isoformat(timespec="microseconds")
