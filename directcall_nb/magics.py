"""``%load_ext directcall_nb``: the ``%directcall`` line magic.

::

    %directcall sandbox [--balance N] [--stop]   start (or reuse) a local sandbox and use it
    %directcall login [--base-url URL] [--client-id ID]
                                                 ask for the secret (getpass) and use that account
    %directcall status                           the account, server and token life in use
    %directcall messages                         what the sandbox received (numbers masked)
    %directcall replies [--limit N]              sync the replies, show the latest (masked)
    %directcall help                             this text

The sandbox lives as long as the kernel. Credentials are asked with `getpass` (never echoed),
kept only inside the client object, and never printed: not the secret, not the token.
"""

from __future__ import annotations

import argparse
import atexit
import getpass
import os
import shlex
import threading
from typing import TYPE_CHECKING, Any

from IPython.core.magic import Magics, line_magic, magics_class

import directcall_nb.accessor  # noqa: F401  (registers df.directcall)
from directcall_nb.errors import DirectCallError, MissingCredentials
from directcall_nb.sending import default_client, use_client

if TYPE_CHECKING:
    import pandas as pd

    from directcall_nb.client import DirectCall
    from directcall_nb.sandbox import Sandbox

__all__ = ["USAGE", "DirectCallMagics", "load_ipython_extension", "running_sandbox"]

USAGE = """\
%directcall sandbox [--balance N]   start a local DirectCall sandbox and send through it
%directcall sandbox --stop          stop it
%directcall login [--base-url URL] [--client-id ID]
                                    use a real account; the secret is asked, never shown
%directcall status                  which account and server are in use, and the token's life
%directcall messages                what the sandbox received
%directcall replies [--limit N]     fetch the replies (opt-outs honoured), show the latest
%directcall help                    this text"""

_sandbox: Sandbox | None = None
_sandbox_client: DirectCall | None = None
_sandbox_lock = threading.Lock()


def running_sandbox() -> Sandbox | None:
    """Return the sandbox started by ``%directcall sandbox`` in this kernel, if it is running."""
    sandbox = _sandbox
    return sandbox if sandbox is not None and sandbox.running else None


class _UsageError(Exception):
    """The magic's arguments cannot be read."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit the kernel's process
        raise _UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog="%directcall", add_help=False)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    sandbox = commands.add_parser("sandbox", add_help=False)
    sandbox.add_argument("--balance", type=int, default=None)
    sandbox.add_argument("--stop", action="store_true")
    login = commands.add_parser("login", add_help=False)
    login.add_argument("--base-url", default=None)
    login.add_argument("--client-id", default=None)
    replies = commands.add_parser("replies", add_help=False)
    replies.add_argument("--limit", type=int, default=20)
    for name in ("status", "messages", "help"):
        commands.add_parser(name, add_help=False)
    return parser


def _start_sandbox(balance: int | None) -> str:
    global _sandbox, _sandbox_client
    from directcall_nb.sandbox import Sandbox

    with _sandbox_lock:
        current = running_sandbox()
        if current is not None:
            if balance is not None:
                current.set_balance(balance)
            if _sandbox_client is None:
                _sandbox_client = current.client()
            use_client(_sandbox_client)
            return (
                f"The DirectCall sandbox is already running at {current.url} "
                f"(balance {current.balance} credits); it is the account in use."
            )
        # Each sandbox is a new account: messages sent to an earlier one were never delivered
        # here, so the journal must not take them as sent.
        sandbox = Sandbox(balance=balance).start()
        atexit.register(sandbox.stop)
        _sandbox, _sandbox_client = sandbox, sandbox.client()
        use_client(_sandbox_client)
        return (
            f"DirectCall sandbox running at {sandbox.url} (a local imitation: nothing leaves "
            f"this machine).\nAccount {sandbox.client_id}, balance {sandbox.balance} credits. "
            "It is now the account in use."
        )


def _stop_sandbox() -> str:
    global _sandbox, _sandbox_client
    with _sandbox_lock:
        sandbox, client = _sandbox, _sandbox_client
        _sandbox = _sandbox_client = None
    if sandbox is None:
        return "No sandbox is running."
    sandbox.stop()
    try:
        in_use: DirectCall | None = default_client()
    except DirectCallError:  # none set, and none in the environment
        in_use = None
    if client is not None:
        if in_use is client:
            use_client(None)
        client.close()
    return f"The sandbox at {sandbox.url} was stopped."


def _login(base_url: str | None, client_id: str | None) -> str:
    from directcall_nb.client import DirectCall

    client_id = client_id or os.environ.get("DIRECTCALL_CLIENT_ID") or input("Client id: ")
    secret = getpass.getpass(f"Client secret for {client_id}: ")
    if not secret:
        return "No secret was given: nothing changed."
    client = DirectCall(client_id, secret, base_url=base_url)
    use_client(client)
    return (
        f"Using account {client.client_id} at {client.base_url}. The secret is kept in this "
        "kernel's memory only; the credentials are checked on the first request."
    )


def _describe_life(seconds: float | None) -> str:
    if seconds is None:
        return "no access token yet (one is fetched on the first request)"
    if seconds <= 0:
        return "the access token has expired (a new one is fetched on the next request)"
    minutes, rest = divmod(int(seconds), 60)
    return f"access token valid for {minutes} min {rest:02d} s more"


def _status() -> str:
    try:
        client: DirectCall = default_client()
    except MissingCredentials:
        return (
            "No account in use. Run %directcall sandbox to try things out, or %directcall login "
            "(or set DIRECTCALL_CLIENT_ID and DIRECTCALL_CLIENT_SECRET)."
        )
    sandbox = running_sandbox()
    kind = "sandbox (local imitation)" if sandbox and client.base_url == sandbox.url else "server"
    lines = [
        f"Account: {client.client_id}",
        f"Server:  {client.base_url} — {kind}",
        f"Token:   {_describe_life(client.token_expires_in())}",
    ]
    return "\n".join(lines)


def _messages() -> pd.DataFrame | str:
    """Return what the sandbox received, phones masked (``sb.messages()`` has them whole)."""
    from directcall_nb.display import mask_phone

    sandbox = running_sandbox()
    if sandbox is None:
        return "No sandbox is running: start one with %directcall sandbox."
    shown = sandbox.messages()
    for column in ("phone", "destino", "origem", "sender"):
        if column in shown.columns:
            shown[column] = shown[column].map(mask_phone)
    return shown


def _replies(limit: int) -> pd.DataFrame | str:
    """Sync the replies of the account in use; return the latest ``limit`` as a display shows them.

    What the sync found (new replies, opt-outs) is printed first, in the displays' language.
    """
    from directcall_nb.i18n import explain, say, say_count
    from directcall_nb.journal import Journal
    from directcall_nb.replies import replies_display, sync_replies

    if limit < 1:
        raise _UsageError("--limit must be a whole number of at least 1")
    try:
        with Journal() as journal:
            new = sync_replies(journal=journal)
            stored = journal.replies()
    except DirectCallError as exc:
        return explain(exc)
    lines = [say_count("replies_synced", len(new))]
    if new["opt_out"].any():
        lines.append(say_count("replies_opted_out", int(new["opt_out"].sum())))
    if stored.empty:
        return "\n".join([*lines, say("replies_none")])
    latest = stored.tail(limit)
    print("\n".join([*lines, say_count("replies_latest", len(latest))]))
    return replies_display(latest)


@magics_class
class DirectCallMagics(Magics):
    """The ``%directcall`` line magic."""

    @line_magic
    def directcall(self, line: str) -> Any:
        """Set up DirectCall in this kernel; ``%directcall help`` lists the commands."""
        try:
            args = _parser().parse_args(shlex.split(line))
        except (_UsageError, ValueError) as exc:
            print(f"%directcall: {exc}\n\n{USAGE}")
            return None
        try:
            if args.command == "sandbox":
                print(_stop_sandbox() if args.stop else _start_sandbox(args.balance))
            elif args.command == "login":
                print(_login(args.base_url, args.client_id))
            elif args.command == "status":
                print(_status())
            elif args.command in ("messages", "replies"):
                found = _messages() if args.command == "messages" else _replies(args.limit)
                if isinstance(found, str):
                    print(found)
                    return None
                return found
            else:
                print(USAGE)
        except (DirectCallError, ValueError, _UsageError) as exc:
            print(f"%directcall {args.command}: {exc}")
        return None


def load_ipython_extension(ipython: Any) -> None:
    """Register the ``%directcall`` magic (once, however often the extension is loaded)."""
    if "DirectCallMagics" not in ipython.magics_manager.registry:
        ipython.register_magics(DirectCallMagics)
