"""A local imitation of the DirectCall API for demos, tutorials and tests.

`Sandbox` serves DirectCall's routes and wire format on 127.0.0.1 from a background thread,
keeps what it "delivered" in SQLite, bills a finite balance, expires tokens, runs scheduled
sends, keeps custom fields and a usage statement, lists inbound replies, and can be told to be
slow or to fail (`Faults`). Its time is a clock that tests can move (`ManualClock`,
``Sandbox.clock``). It shares no code with the client, so
each checks the other.

Modules: ``server`` (the `Sandbox` class), ``threaded`` (uvicorn in a thread), ``app`` (the
ASGI routes), ``forms`` (reading fields strictly), ``endpoints`` (tokens, sends, status,
cancel), ``listings`` (inbound SMS and the usage statement, whose answer is **[assumed]**),
``statement`` (its query), ``windows`` (when a voice batch's calls go out), ``rules`` (field
rules and billing), ``wire`` (envelope, JSON, XML, dates), ``clock`` (the time, which tests
can move), ``state``, ``records`` and ``schema`` (the SQLite store: sends, replies, request
log), ``control`` (inspection and ``/_sandbox`` routes), ``faults``, ``frames`` (pandas views).
"""

from directcall_nb.sandbox._clock import ManualClock, SandboxClock
from directcall_nb.sandbox._faults import Faults
from directcall_nb.sandbox._server import DEFAULT_BALANCE, DEFAULT_CLIENT_ID, Sandbox

__all__ = [
    "DEFAULT_BALANCE",
    "DEFAULT_CLIENT_ID",
    "Faults",
    "ManualClock",
    "Sandbox",
    "SandboxClock",
]
