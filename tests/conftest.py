"""The fixtures several test modules use; no test ever writes to the user's real journal.

- ``private_journal`` (used by every test): the journal file ``journal=True`` means, in a
  temporary folder;
- ``sb``: a sandbox with a large balance (a module that needs another one, with its own clock
  or faults, defines its own ``sb``); ``http`` speaks plain HTTP to the module's ``sb``, and
  ``token`` is an access token of its account;
- ``journal``: a journal opened on a new file;
- ``server``: the recording server of ``recording_server``, running;
- ``ctrl_c``: Ctrl-C (SIGINT) raises KeyboardInterrupt in the main thread; gives the function
  that presses it.

Plain helpers (no fixtures) are in ``helpers.py``.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from helpers import access_token
from recording_server import RecordingServer

from directcall_nb import Journal, Sandbox


@pytest.fixture(autouse=True)
def private_journal(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Return the journal file of this test, which ``journal=True`` and no journal mean."""
    path = tmp_path_factory.mktemp("journal") / "journal.sqlite3"
    monkeypatch.setenv("DIRECTCALL_NB_JOURNAL", str(path))
    return path


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    """Yield a running sandbox whose account can pay for 100,000 messages."""
    with Sandbox(balance=100_000) as sandbox:
        yield sandbox


@pytest.fixture
def http(sb: Sandbox) -> Iterator[httpx.Client]:
    """Yield a plain HTTP client of the test module's ``sb``."""
    with httpx.Client(base_url=sb.url, timeout=10.0) as client:
        yield client


@pytest.fixture
def token(http: httpx.Client, sb: Sandbox) -> str:
    """Return an access token of ``sb``'s account."""
    return access_token(http, sb)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """Yield a journal opened on a new file."""
    with Journal(tmp_path / "journal.sqlite3") as opened:
        yield opened


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    """Yield a running recording server; it is shut down after the test."""
    httpd = RecordingServer()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def ctrl_c() -> Iterator[Callable[[], None]]:
    """Make Ctrl-C raise KeyboardInterrupt in the main thread, as in a kernel; yield its key."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield lambda: os.kill(os.getpid(), signal.SIGINT)
    signal.signal(signal.SIGINT, previous)
