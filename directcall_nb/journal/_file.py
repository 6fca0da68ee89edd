"""An open journal file: one connection shared by threads, its transactions, its owner, closing.

`JournalFile` is what `directcall_nb.journal._journal.Journal` is built on: it opens the file
(`directcall_nb.journal._connect.connect`), runs every change in one ``BEGIN IMMEDIATE``
transaction behind one lock, turns SQLite's errors into `JournalError`, records this process
as the owner of the claims it makes, tells which pending claims have a dead owner, and on
closing turns its own claims still pending into ``ambiguous``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Self

from directcall_nb.errors import JournalError
from directcall_nb.journal._connect import LOCKED, connect, default_journal_path, is_locked
from directcall_nb.journal._identity import journal_uuid
from directcall_nb.journal._owner import Owner, close_token, gone, open_token
from directcall_nb.journal._settlement import declare_ambiguous
from directcall_nb.journal._store import Campaign, find_campaign, insert_owner, pending_requests

__all__ = ["DEFAULT_LEASE", "GONE", "JournalFile"]

#: How long a pending claim made on another machine is taken to be alive.
DEFAULT_LEASE = timedelta(hours=1)
#: Why a pending claim of a dead owner became ambiguous.
GONE = "the process that claimed it is gone"
_CLOSED = "the journal was closed before the answer was recorded"


class JournalFile:
    """The open file under a `directcall_nb.journal._journal.Journal`; see its parameters."""

    path: Path

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        environ: Mapping[str, str] = os.environ,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.path = default_journal_path(environ) if path is None else Path(path).expanduser()
        self._lease = lease
        self._lock = threading.RLock()
        self._me = Owner.current()
        self._owner_id: int | None = None
        self._campaigns: dict[int, Campaign] = {}
        self._contents: dict[str, int] = {}
        self._conn: sqlite3.Connection | None = connect(self.path)
        try:
            self._uuid = journal_uuid(self._conn)
        except sqlite3.Error as exc:
            self._conn.close()
            raise self._failure(exc) from None
        open_token(self._me.token)
        self._finalizer = weakref.finalize(self, _forget, self._me.token, self._conn)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    @property
    def uuid(self) -> str:
        """The journal's identity: drawn when its file was created, part of every request's tag."""
        return self._uuid

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; claims of this journal still pending become ``ambiguous``."""
        with self._lock:
            if self._conn is None:
                return
            try:
                if self._owner_id is not None:
                    with self._transaction() as conn:
                        mine = pending_requests(conn, owner_id=self._owner_id)
                        declare_ambiguous(conn, [r.id for r in mine], _CLOSED)
            finally:
                self._finalizer()
                self._conn = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalError(
                f"the journal {self.path} is closed", path=self.path, problem="closed"
            )
        return self._conn

    def _failure(self, exc: sqlite3.Error) -> JournalError:
        if is_locked(exc):
            problem, why = "locked", LOCKED
        else:
            problem, why = "other", f"SQLite said: {exc}"
        return JournalError(
            f"the journal {self.path} could not be written: {why}",
            path=self.path,
            problem=problem,
        )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction: committed if it ends, rolled back if not."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._failure(exc) from None
        try:
            yield conn
        except sqlite3.Error as exc:
            _roll_back(conn)
            raise self._failure(exc) from None
        except BaseException:
            _roll_back(conn)
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._failure(exc) from None

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """Lend the connection to a block that only reads, behind the lock."""
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise self._failure(exc) from None

    def _ensure_owner(self) -> int:
        if self._owner_id is None:
            with self._transaction() as conn:
                owner_id = insert_owner(conn, self._me)
            self._owner_id = owner_id
        return self._owner_id

    def _campaign(self, campaign_id: int) -> Campaign:
        campaign = self._campaigns.get(campaign_id)
        if campaign is None:
            campaign = find_campaign(self._connection(), campaign_id)
            if campaign is None:
                raise JournalError(
                    f"there is no campaign {campaign_id!r} in the journal {self.path}: "
                    "start one with start_campaign()",
                    path=self.path,
                )
            self._campaigns[campaign_id] = campaign
        return campaign

    def _dead(self, conn: sqlite3.Connection, request_ids: Collection[int] | None) -> set[int]:
        """Return the ids of those pending requests (all for None) whose owner is gone."""
        if request_ids is not None and not request_ids:
            return set()
        return gone(pending_requests(conn, request_ids), me=self._me, lease=self._lease)


def _roll_back(conn: sqlite3.Connection) -> None:
    """Undo the transaction in progress, if SQLite has not undone it already."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _forget(token: str, conn: sqlite3.Connection) -> None:
    close_token(token)
    conn.close()
