"""Who holds a claim in the journal, and whether that holder is still alive.

A pending claim names its owner: the machine (host name), the process (pid, and where the
operating system tells them, the process's start time and the machine's boot id, which tell a
live process from a later one that reused a dead one's pid) and a random token per open journal.

Whether an owner is alive is decided as follows:

- the same open journal: alive;
- another machine: alive while the claim is younger than the lease (one hour by default), since
  a process elsewhere cannot be asked; older, it is taken for dead;
- this machine, booted again since: dead;
- this process: alive while the journal that made the claim is still open here;
- another process of this machine: alive while a process with that pid exists, is no zombie and
  (on Linux) started when the owner did.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["Owner", "close_token", "gone", "open_token", "owner_alive"]

_open_tokens: set[str] = set()
_open_tokens_lock = threading.Lock()


@dataclass(frozen=True)
class Owner:
    """The holder of claims: one open journal in one process on one machine.

    Attributes
    ----------
    token : str
        Random, one per open journal.
    host : str
        The machine's host name.
    pid : int
        The process id.
    started : int or None
        The process's start time in clock ticks since boot (Linux), else None.
    boot : str or None
        The machine's boot id (Linux), else None.
    """

    token: str
    host: str
    pid: int
    started: int | None
    boot: str | None

    @classmethod
    def current(cls) -> Owner:
        """Describe this process, with a new random token."""
        pid = os.getpid()
        return cls(
            token=secrets.token_hex(16),
            host=socket.gethostname(),
            pid=pid,
            started=_start_time(pid),
            boot=_boot_id(),
        )


def open_token(token: str) -> None:
    """Record that the journal holding ``token`` is open in this process."""
    with _open_tokens_lock:
        _open_tokens.add(token)


def close_token(token: str) -> None:
    """Record that the journal holding ``token`` is closed (its claims can no longer be marked)."""
    with _open_tokens_lock:
        _open_tokens.discard(token)


def owner_alive(
    owner: Owner, *, me: Owner, claimed_at: datetime, now: datetime, lease: timedelta
) -> bool:
    """Tell whether ``owner`` may still mark a claim it made at ``claimed_at``.

    Parameters
    ----------
    owner : Owner
        The holder of the claim.
    me : Owner
        The journal asking.
    claimed_at, now : datetime
        When the claim was made, and now (both aware).
    lease : timedelta
        How long a claim of another machine is taken to be alive.
    """
    if owner.token == me.token:
        return True
    if owner.host != me.host:
        return now - claimed_at < lease
    if owner.boot is not None and me.boot is not None and owner.boot != me.boot:
        return False
    if owner.pid == me.pid:
        with _open_tokens_lock:
            return owner.token in _open_tokens
    if not _process_exists(owner.pid):
        return False
    started, zombie = _process_stat(owner.pid)
    if zombie:  # killed, not yet reaped by its parent
        return False
    return started is None or owner.started is None or started == owner.started


def gone(claims: Iterable[tuple[int, datetime, Owner]], *, me: Owner, lease: timedelta) -> set[int]:
    """Return the ids of the claims whose owner is dead.

    Parameters
    ----------
    claims : iterable of (id, claimed at, owner)
        Pending claims.
    me : Owner
        The journal asking.
    lease : timedelta
        How long a claim of another machine is taken to be alive.
    """
    now = datetime.now(UTC)
    verdicts: dict[str, bool] = {}
    dead = set()
    for claim_id, claimed_at, owner in claims:
        alive = verdicts.get(owner.token)
        if alive is None:
            alive = owner_alive(owner, me=me, claimed_at=claimed_at, now=now, lease=lease)
            verdicts[owner.token] = alive
        if not alive:
            dead.add(claim_id)
    return dead


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip() or None
    except OSError:
        return None


def _start_time(pid: int) -> int | None:
    return _process_stat(pid)[0]


def _process_stat(pid: int) -> tuple[int | None, bool]:
    """Return (start time in clock ticks since boot, is a zombie) from Linux's /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None, False
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = stat[stat.rfind(")") + 2 :].split()
    try:
        return int(fields[19]), fields[0] in ("Z", "X")
    except (IndexError, ValueError):
        return None, False


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
    _STILL_ACTIVE = 259
    _ERROR_ACCESS_DENIED = 5

    def _process_exists(pid: int) -> bool:
        # os.kill(pid, 0) would terminate the process on Windows: ask the kernel instead.
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            return bool(kernel32.GetLastError() == _ERROR_ACCESS_DENIED)
        try:
            code = wintypes.DWORD()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return bool(code.value == _STILL_ACTIVE)
        finally:
            kernel32.CloseHandle(handle)

else:

    def _process_exists(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # it exists, under another user
            return True
        return True
