"""``%load_ext directcall_nb``: the ``%directcall`` line magic.

::

    %directcall sandbox [--balance N] [--stop]   start (or reuse) a local sandbox and use it
    %directcall login [--base-url URL] [--client-id ID]
                                                 ask for the secret (getpass) and use that account
    %directcall status                           the account, server and token life in use
    %directcall messages                         what the sandbox received (numbers masked)
    %directcall replies [--limit N]              sync the replies, show the latest (masked)
    %directcall history [--last N] [--journal PATH]
                                                 the last campaigns, as a table and a chart
    %directcall help                             this text

The sandbox lives as long as the kernel. Credentials are asked with `getpass` (never echoed),
kept only inside the client object, and never printed: not the secret, not the token. What the
magic prints is in the displays' language (``directcall_nb.options.language``), from the one
string table (`directcall_nb.i18n`).
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
from directcall_nb.i18n import explain, say
from directcall_nb.sending import default_client, use_client

if TYPE_CHECKING:
    import pandas as pd

    from directcall_nb.client import DirectCall
    from directcall_nb.history import CampaignHistory
    from directcall_nb.sandbox import Sandbox

__all__ = ["DirectCallMagics", "load_ipython_extension", "running_sandbox"]

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
    history = commands.add_parser("history", add_help=False)
    history.add_argument("--last", type=int, default=10)
    history.add_argument("--journal", default=None)
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
            return say("sandbox_reused", None, url=current.url, balance=current.balance)
        # Each sandbox is a new account: messages sent to an earlier one were never delivered
        # here, so the journal must not take them as sent.
        sandbox = Sandbox(balance=balance).start()
        atexit.register(sandbox.stop)
        _sandbox, _sandbox_client = sandbox, sandbox.client()
        use_client(_sandbox_client)
        return say(
            "sandbox_started",
            None,
            url=sandbox.url,
            client_id=sandbox.client_id,
            balance=sandbox.balance,
        )


def _stop_sandbox() -> str:
    global _sandbox, _sandbox_client
    with _sandbox_lock:
        sandbox, client = _sandbox, _sandbox_client
        _sandbox = _sandbox_client = None
    if sandbox is None:
        return say("sandbox_not_running")
    sandbox.stop()
    try:
        in_use: DirectCall | None = default_client()
    except DirectCallError:  # none set, and none in the environment
        in_use = None
    if client is not None:
        if in_use is client:
            use_client(None)
        client.close()
    return say("sandbox_stopped", None, url=sandbox.url)


def _login(base_url: str | None, client_id: str | None) -> str:
    from directcall_nb.client import DirectCall

    client_id = client_id or os.environ.get("DIRECTCALL_CLIENT_ID") or input(say("login_client_id"))
    secret = getpass.getpass(say("login_secret", None, client_id=client_id))
    if not secret:
        return say("login_no_secret")
    client = DirectCall(client_id, secret, base_url=base_url)
    use_client(client)
    return say("login_in_use", None, client_id=client.client_id, base_url=client.base_url)


def _describe_life(seconds: float | None) -> str:
    if seconds is None:
        return say("token_none")
    if seconds <= 0:
        return say("token_expired")
    minutes, rest = divmod(int(seconds), 60)
    return say("token_left", None, minutes=minutes, seconds=f"{rest:02d}")


def _status() -> str:
    try:
        client: DirectCall = default_client()
    except MissingCredentials:
        return say("status_no_account")
    sandbox = running_sandbox()
    on_sandbox = sandbox is not None and client.base_url == sandbox.url
    lines = [
        say("status_account", None, client_id=client.client_id),
        say(
            "status_server",
            None,
            base_url=client.base_url,
            kind=say("status_sandbox" if on_sandbox else "status_real_server"),
        ),
        say("status_token", None, life=_describe_life(client.token_expires_in())),
    ]
    return "\n".join(lines)


def _messages() -> pd.DataFrame | str:
    """Return what the sandbox received, phones masked (``sb.messages()`` has them whole)."""
    from directcall_nb.display import mask_phone

    sandbox = running_sandbox()
    if sandbox is None:
        return say("sandbox_needed")
    shown = sandbox.messages()
    for column in ("phone", "destino", "origem", "sender"):
        if column in shown.columns:
            shown[column] = shown[column].map(mask_phone)
    return shown


def _replies(limit: int) -> pd.DataFrame | str:
    """Sync the replies of the account in use; return the latest ``limit`` as a display shows them.

    What the sync found (new replies, opt-outs) is printed first, in the displays' language.
    """
    from directcall_nb.i18n import say_count
    from directcall_nb.journal import Journal
    from directcall_nb.replies import replies_display, sync_replies

    if limit < 1:
        raise _UsageError(say("magic_limit_too_small"))
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


def _history(last: int, path: str | None) -> CampaignHistory | str:
    """Return the journal's last campaigns to show, or why there are none."""
    from directcall_nb.history import CampaignHistory
    from directcall_nb.journal import Journal

    if last < 1:
        return say("magic_last_too_small", None, last=last)
    journal = Journal(path)
    try:
        campaigns = journal.campaigns()
    finally:
        journal.close()
    if campaigns.empty:
        return say("history_empty", None, path=journal.path)
    return CampaignHistory(campaigns, last=last)


@magics_class
class DirectCallMagics(Magics):
    """The ``%directcall`` line magic."""

    @line_magic
    def directcall(self, line: str) -> Any:
        """Set up DirectCall in this kernel; ``%directcall help`` lists the commands."""
        try:
            args = _parser().parse_args(shlex.split(line))
        except (_UsageError, ValueError) as exc:
            print(say("magic_unreadable", None, problem=exc, usage=say("magic_usage")))
            return None
        try:
            if args.command == "sandbox":
                print(_stop_sandbox() if args.stop else _start_sandbox(args.balance))
            elif args.command == "login":
                print(_login(args.base_url, args.client_id))
            elif args.command == "status":
                print(_status())
            elif args.command == "history":
                shown = _history(args.last, args.journal)
                if isinstance(shown, str):
                    print(shown)
                    return None
                return shown
            elif args.command in ("messages", "replies"):
                found = _messages() if args.command == "messages" else _replies(args.limit)
                if isinstance(found, str):
                    print(found)
                    return None
                return found
            else:
                print(say("magic_usage"))
        except (DirectCallError, ValueError, _UsageError) as exc:
            problem = explain(exc) if isinstance(exc, DirectCallError) else exc
            print(say("magic_failed", None, command=args.command, problem=problem))
        return None


def load_ipython_extension(ipython: Any) -> None:
    """Register the ``%directcall`` magic (once, however often the extension is loaded)."""
    if "DirectCallMagics" not in ipython.magics_manager.registry:
        ipython.register_magics(DirectCallMagics)
