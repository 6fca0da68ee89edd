"""Where the journal's file lives, and how it is opened: created, upgraded, made durable.

Durability
----------
The file is in WAL mode with ``synchronous=FULL``: every commit is flushed to disk before the
call returns. With ``NORMAL`` a power cut may undo the last commits, and undoing a ``pending``
claim whose request already left would let the next run send that message again; one flush per
state change is cheap beside an HTTP request.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from directcall_nb.errors import JournalError
from directcall_nb.journal._migrations import bring_up_to_date

__all__ = ["BUSY_TIMEOUT_MS", "ENV_VAR", "LOCKED", "connect", "default_journal_path", "is_locked"]

#: The environment variable that names the journal's file.
ENV_VAR = "DIRECTCALL_NB_JOURNAL"
#: How long a writer waits for another one before giving up.
BUSY_TIMEOUT_MS = 60_000
#: Why a journal that another program kept locked could not be used, and what to do.
LOCKED = (
    f"it stayed locked by another program for {BUSY_TIMEOUT_MS // 1000} s; close whatever "
    "holds it open and try again"
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


def is_locked(exc: BaseException) -> bool:
    """Tell whether SQLite gave up because another connection held the file."""
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


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
        bring_up_to_date(conn, path)  # before foreign keys are on: an upgrade rebuilds tables
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise _unusable(path, exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _unusable(path: Path, exc: BaseException) -> JournalError:
    if is_locked(exc):
        problem, why = "locked", LOCKED
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
            if not is_locked(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.01)
