"""The ``directcall-nb`` command line.

``directcall-nb sandbox`` serves the local DirectCall imitation until interrupted and prints how
to reach it; ``directcall-nb demo`` copies the tutorials to a working folder and opens JupyterLab
there (each tutorial starts its own sandbox; `directcall_nb.demo` does the work). Each subcommand
is one ``_add_<name>`` function registering its parser and the function that runs it.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TextIO

from directcall_nb.demo import DEFAULT_DEMO_FOLDER, run_demo

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace, TextIO], int]

#: The port tried first by ``directcall-nb sandbox`` (a free one is used if it is taken).
DEFAULT_SANDBOX_PORT = 8787


def _sandbox_banner(url: str, client_id: str, client_secret: str, balance: int, ttl: float) -> str:
    """Return what ``directcall-nb sandbox`` prints: a shell script, each line working pasted.

    Lines that are not commands are comments; the commands run in order: the first ``curl``
    keeps the access token in ``$TOKEN``, which the second one sends with.
    """
    q = shlex.quote
    token_from_answer = q(r's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
    return "\n".join(
        [
            f"# DirectCall sandbox running at {url}",
            f"#   balance: {balance} credits, access tokens live {ttl:g} s",
            "#",
            "# Demo credentials (valid for this sandbox only):",
            f"#   client id:     {client_id}",
            f"#   client secret: {client_secret}",
            "#",
            "# Point directcall_nb at it (DirectCall() in Python started from this shell):",
            f"export DIRECTCALL_CLIENT_ID={q(client_id)} "
            f"DIRECTCALL_CLIENT_SECRET={q(client_secret)} DIRECTCALL_BASE_URL={q(url)}",
            "#",
            "# Or try it with curl, pasting these lines in order (the first keeps the token):",
            f"TOKEN=$(curl -s -d client_id={q(client_id)} "
            f"--data-urlencode client_secret={q(client_secret)} "
            f"{q(url + '/request_token')} | sed -n {token_from_answer})",
            'curl -s --data-urlencode "access_token=$TOKEN" -d origem=5541999990000 '
            f"-d destino=5541999990001 --data-urlencode texto='Olá!' {q(url + '/sms/send')}; echo",
            "#",
            "# What it delivered:",
            f"curl -s {q(url + '/_sandbox/messages')}; echo",
            "#",
            "# Move its clock 10 minutes on:",
            f"curl -s -d advance=600 {q(url + '/_sandbox/clock')}; echo",
            "#",
            "# Press Ctrl-C to stop.",
        ]
    )


def _run_sandbox(args: argparse.Namespace, out: TextIO) -> int:
    from directcall_nb.sandbox import Sandbox

    options = {
        "host": args.host,
        "balance": args.balance,
        "token_ttl": args.token_ttl,
        "latency": args.latency,
        "database": args.database,
        "client_id": args.client_id,
        "client_secret": args.client_secret,
    }
    try:
        sandbox = Sandbox(port=DEFAULT_SANDBOX_PORT if args.port is None else args.port, **options)
        try:
            sandbox.start()
        except OSError:
            if args.port is not None:
                raise
            sandbox = Sandbox(port=0, **options)  # the usual port is taken: any free one will do
            sandbox.start()
    except (ValueError, TypeError, OSError) as exc:
        print(f"directcall-nb sandbox: {exc}", file=sys.stderr)
        return 2

    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
    banner = _sandbox_banner(
        sandbox.url, sandbox.client_id, sandbox.client_secret, sandbox.balance, args.token_ttl
    )
    try:
        print(banner, file=out, flush=True)
        while not stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    print("DirectCall sandbox stopped.", file=out, flush=True)
    return 0


def _add_sandbox(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "sandbox",
        help="serve a local imitation of the DirectCall API",
        description="Serve a local imitation of the DirectCall API on 127.0.0.1 until Ctrl-C.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"port to listen on (default {DEFAULT_SANDBOX_PORT}, or a free one if taken; 0 = any)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument(
        "--balance",
        type=int,
        default=None,
        help="credits of the account: one per 140-character SMS part, one per voice call "
        "(default 10000, or what --database holds)",
    )
    parser.add_argument(
        "--token-ttl", type=float, default=3600.0, help="seconds an access token lives"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds added before every answer"
    )
    parser.add_argument(
        "--database",
        default=":memory:",
        help="SQLite file keeping sends and balance between runs (default: in memory)",
    )
    parser.add_argument(
        "--client-id",
        default=None,
        help="the demo account id (default: a new one, or demo@sandbox.local with --database)",
    )
    parser.add_argument(
        "--client-secret", default=None, help="the demo account secret (default: a random one)"
    )
    parser.set_defaults(run=_run_sandbox)


def _add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "demo",
        help="open working copies of the tutorials in JupyterLab",
        description="Copy the tutorial notebooks to a working folder (the originals are never "
        "opened, so JupyterLab's autosave cannot change them) and open JupyterLab there; each "
        "tutorial starts its own local sandbox. The URL to open is printed last, once "
        "JupyterLab is ready.",
    )
    parser.add_argument(
        "--notebooks", default="notebooks", help="the tutorials to copy (default notebooks)"
    )
    parser.add_argument(
        "--work-dir",
        default=DEFAULT_DEMO_FOLDER,
        help=f"the working folder the copies go to and JupyterLab opens (default "
        f"{DEFAULT_DEMO_FOLDER}); copies you changed there are kept",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="replace the copies you changed with fresh copies of the tutorials",
    )
    parser.add_argument("--port", type=int, default=None, help="JupyterLab's port")
    parser.add_argument(
        "--no-browser", action="store_true", help="print the URL without opening a browser"
    )
    parser.set_defaults(run=run_demo)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of ``directcall-nb`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="directcall-nb",
        description="Send SMS and voice campaigns through DirectCall from pandas DataFrames.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    _add_sandbox(commands)
    _add_demo(commands)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run ``directcall-nb`` with ``argv`` (default: the process's arguments).

    Returns
    -------
    int
        The exit status.
    """
    args = build_parser().parse_args(argv)
    run: Command = args.run
    return run(args, sys.stdout if out is None else out)


if __name__ == "__main__":
    sys.exit(main())
