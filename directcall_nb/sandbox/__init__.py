"""A local imitation of the DirectCall API for demos, tutorials and tests.

`Sandbox` serves DirectCall's routes and wire format on 127.0.0.1 from a background thread,
keeps what it "delivered" in SQLite, bills a finite balance, expires tokens, runs scheduled
sends, keeps custom fields and a usage statement, lists inbound replies, and can be told to be
slow or to fail (`Faults`). Its time is a clock that tests can move (`ManualClock`,
``Sandbox.clock``). It shares no code with the client, so each checks the other.

Modules, from the outside in:

- ``_server``: the `Sandbox` class: start and stop, the account, inspection and control.
- ``_threaded``: uvicorn serving the application on a loopback socket from a thread.
- ``_app``: the ASGI routes: latency, faults, reading the request, the answer's format.
- ``_control``: inspection and fault control, from Python and under ``/_sandbox/``.
- ``_faults``: server errors and dropped connections, drawn with a seeded generator.
- ``_forms``: reading the query string, form and multipart bodies, strictly.
- ``_endpoints``: what tokens, sends, status and cancel do with their fields.
- ``_listings``: inbound SMS and the usage statement, whose answer is **[assumed]**.
- ``_statement``: the usage statement's query, as SQL over the store.
- ``_windows``: when each call of a voice batch is placed (daily windows, rate).
- ``_rules``: DirectCall's rules for a send's fields, and billing.
- ``_wire``: the answer envelope, its JSON and XML renderings, and DirectCall's dates.
- ``_clock``: the sandbox's time, which tests can move.
- ``_state``: the SQLite store behind one lock: account, tokens, sends, messages.
- ``_records``: the store's inbound SMS and its log of API requests.
- ``_schema``: the store's tables.
- ``_frames``: the store's records as pandas DataFrames.
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
