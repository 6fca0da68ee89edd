"""What several test modules share, as plain functions and constants (fixtures are in conftest).

- **campaigns**: the sender, a personalised campaign sent through ``df.directcall``, the
  deliveries a sandbox made; the campaign through every fault (`chaos_sandbox`,
  `send_until_settled`, `tokens_expiring`) and the campaign killed half way
  (`kill_a_campaign_half_way`);
- **the sandbox over HTTP**: a new access token;
- **libphonenumber asked value by value** (`library_answer`): the reference that phone answers
  are checked against;
- **small things**: a free loopback port, a monotonic clock that a test moves.

pytest puts ``tests/`` on ``sys.path`` (it holds the root ``conftest.py``), so a test module
imports ``from helpers import ...``. The benchmarks use the campaign send, the sender, the free
port and the phone reference too; they reach them through ``benchmarks/common.py``, so that the
test suite checks on every run what a benchmark relies on.
"""

from __future__ import annotations

import math
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Unpack

import httpx
import pandas as pd
import phonenumbers
import pytest

from directcall_nb import Faults, Sandbox
from directcall_nb.client import DirectCall
from directcall_nb.options import OptionValues
from directcall_nb.report import SendReport
from directcall_nb.sending import JournalChoice

# -- campaigns ------------------------------------------------------------------------------------

#: The sender of the campaigns (DirectCall's digits).
SENDER = "551130600300"

#: A campaign of access codes, to `customers_with_codes`: every row has its own text.
CODE_TEMPLATE = "Olá {nome}, seu código de acesso é {codigo}."
#: A campaign of bills, to `customers_with_bills`: every row has its own text.
BILL_TEMPLATE = "Olá {nome}, sua fatura de R$ {valor} vence amanhã."


def customers_with_codes(count: int) -> pd.DataFrame:
    """Return São Paulo mobiles written as people type them, each with its own access code."""
    return pd.DataFrame(
        {
            "celular": [f"(11) 9{7000 + i // 10_000:04d}-{i % 10_000:04d}" for i in range(count)],
            "nome": [f"Cliente {i}" for i in range(count)],
            "codigo": [f"{(i * 7919) % 1_000_003:07d}" for i in range(count)],
        }
    )


def customers_with_bills(count: int) -> pd.DataFrame:
    """Return Belo Horizonte mobiles written as people type them, each with its own bill."""
    return pd.DataFrame(
        {
            "celular": [f"(31) 9{8200 + i // 10_000:04d}-{i % 10_000:04d}" for i in range(count)],
            "nome": [f"Cliente {i}" for i in range(count)],
            "valor": [f"{100 + i},{i % 100:02d}" for i in range(count)],
        }
    )


def send_campaign(
    frame: pd.DataFrame,
    template: str,
    *,
    client: DirectCall,
    journal: JournalChoice,
    **options: Unpack[OptionValues],
) -> SendReport:
    """Send ``template`` to the ``celular`` column from `SENDER`, without a progress bar."""
    report: SendReport = frame.directcall.send(
        template,
        phone="celular",
        sender=SENDER,
        client=client,
        journal=journal,
        progress=False,
        **options,
    )
    return report


def deliveries(sb: Sandbox) -> pd.Series:
    """Return how many messages the sandbox delivered to each phone."""
    return sb.messages().groupby("phone").size()


# -- a campaign through every fault ---------------------------------------------------------------

#: The seeds of the faults the campaign goes through, one campaign each.
FAULT_SEEDS = (3, 17, 2024)
#: Runs allowed before the campaign must have settled.
MAX_RUNS = 8


def chaos_sandbox(rows: int, seed: int) -> Sandbox:
    """Return a sandbox for ``rows`` messages that fails in every way it can, as ``seed`` says.

    Server errors, connections dropped before and after the message was processed, access
    tokens that live one second, and latency.
    """
    faults = Faults(server_error=0.3, drop_before=0.03, drop_after=0.03, seed=seed)
    return Sandbox(balance=10 * rows, token_ttl=1.0, latency=0.002, faults=faults)


@contextmanager
def tokens_expiring(sb: Sandbox, every: float = 0.2) -> Iterator[None]:
    """Invalidate every access token of ``sb`` again and again while the block runs."""
    done = threading.Event()

    def expire() -> None:
        while not done.wait(every):
            sb.expire_tokens()

    thread = threading.Thread(target=expire, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def send_until_settled(
    frame: pd.DataFrame, template: str, client: DirectCall, journal: Path
) -> list[SendReport]:
    """Send again and again until a run sends nothing new and has nothing left to try."""
    reports: list[SendReport] = []
    for _ in range(MAX_RUNS):
        reports.append(send_campaign(frame, template, client=client, journal=journal))
        counts = reports[-1].counts
        if not any(counts.get(status) for status in ("sent", "failed", "not_sent")):
            return reports
    pytest.fail(f"the campaign had not settled after {MAX_RUNS} runs: {reports[-1].counts}")


# -- a campaign killed half way -------------------------------------------------------------------

#: The campaign of bills as an analyst's script runs it: it knows only the environment an analyst
#: sets (credentials, the API's address, the journal's file) and the table's path.
KILLED_CAMPAIGN = textwrap.dedent(
    f"""
    import sys

    import pandas as pd

    import directcall_nb  # noqa: F401  (registers df.directcall)

    frame = pd.read_csv(sys.argv[1], dtype=str)
    frame.directcall.send({BILL_TEMPLATE!r}, phone="celular", sender={SENDER!r}, progress=False)
    print("finished", flush=True)
    """
)


def kill_half_way(child: subprocess.Popen[str], sb: Sandbox, half: int) -> None:
    """SIGKILL ``child`` once the sandbox has delivered ``half`` of its messages."""
    deadline = time.monotonic() + 120
    while len(sb.messages()) < half:
        if child.poll() is not None:
            _, errors = child.communicate()
            pytest.fail(f"the campaign ended before it could be killed:\n{errors}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the campaign did not get half way in two minutes")
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)


def kill_a_campaign_half_way(sb: Sandbox, frame: pd.DataFrame, folder: Path, journal: Path) -> None:
    """Send the bills of ``frame`` to ``sb`` from a child process, and SIGKILL it half way.

    The table and the script are written to ``folder``; the child's journal is ``journal``.
    """
    table = folder / "clientes.csv"
    frame.to_csv(table, index=False)
    script = folder / "campaign.py"
    script.write_text(KILLED_CAMPAIGN, encoding="utf-8")
    environment = {
        **os.environ,
        "DIRECTCALL_CLIENT_ID": sb.client_id,
        "DIRECTCALL_CLIENT_SECRET": sb.client_secret,
        "DIRECTCALL_BASE_URL": sb.url,
        "DIRECTCALL_NB_JOURNAL": str(journal),
    }
    child = subprocess.Popen(
        [sys.executable, str(script), str(table)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    kill_half_way(child, sb, len(frame) // 2)
    assert child.returncode == -signal.SIGKILL


# -- the sandbox over HTTP ------------------------------------------------------------------------


def access_token(http: httpx.Client, sb: Sandbox) -> str:
    """Return a new access token of ``sb``'s account, asked for over ``http``."""
    answer = http.post(
        "/request_token", data={"client_id": sb.client_id, "client_secret": sb.client_secret}
    )
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    assert isinstance(token, str)
    assert token
    return token


# -- libphonenumber asked value by value ----------------------------------------------------------

#: (phone, valid, line_type), as `directcall_nb.normalize_phones` gives them for a row.
Answer = tuple[str | None, bool, str | None]

_EXCEL_FLOAT = re.compile(r"[\t\n\f\r ]*(\+?[0-9]+)\.0+[\t\n\f\r ]*")
_GAP = r"[^\d+\uff0b]*"
_LEADING_0055 = re.compile(f"^({_GAP})0{_GAP}0{_GAP}5{_GAP}5")


def library_text(value: object) -> str | None:
    """Return the text libphonenumber is given for ``value``, or None where it is no number.

    Numbers and bytes are written out; an Excel float (``5511912345678.0``) loses its ``.0`` and
    a leading ``0055`` reads as ``+55``: the two readings ``normalize_phones`` documents.
    """
    if value is None or value is pd.NA or isinstance(value, bool):
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            return None
        value = int(value)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None
        value = str(int(value))
    text = str(value)
    excel = _EXCEL_FLOAT.fullmatch(text)
    if excel:
        text = excel.group(1)
    return _LEADING_0055.sub(r"\1+55", text, count=1)


def library_answer(value: object, allow_international: bool = False) -> Answer:
    """Return (phone, valid, line_type) from phonenumbers, after the two documented readings."""
    text = library_text(value)
    if text is None:
        return None, False, None
    try:
        number = phonenumbers.parse(text, "BR")
    except phonenumbers.NumberParseException:
        return None, False, None
    valid = phonenumbers.is_valid_number(number)
    kind = phonenumbers.number_type(number)
    line_type = phonenumbers.PhoneNumberType.to_string(kind).lower() if valid else None
    national = phonenumbers.national_significant_number(number)
    if valid and phonenumbers.region_code_for_number(number) == "BR":
        return f"55{national}", True, line_type
    if valid and allow_international:
        return f"00{number.country_code}{national}", True, line_type
    return None, False, line_type


# -- small things ---------------------------------------------------------------------------------


def free_port() -> int:
    """Return a loopback port that nothing listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MovingClock:
    """A monotonic clock (for ``DirectCall(clock=...)``) that moves only when a test moves it."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        """Return the time the test set."""
        return self.now
