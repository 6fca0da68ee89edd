"""A campaign whose process is killed half way (SIGKILL: no clean-up at all) is finished by the
next run without sending anything twice.

The campaign runs in a child process that knows only the environment an analyst would set
(credentials, the API's address, the journal's file) and is killed while requests are in flight.
The next run, in this process, must send what was never sent, skip what was, and report the
requests that were in flight at the kill as ambiguous: the child may or may not have got them
delivered, and nobody recorded the answer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from directcall_nb import Journal, Sandbox
from directcall_nb.client import DirectCall
from directcall_nb.options import DEFAULT_CONCURRENCY
from directcall_nb.report import SendReport

SENDER = "551130600300"
TEMPLATE = "Olá {nome}, sua fatura de R$ {valor} vence amanhã."
ROWS = 300

CAMPAIGN = textwrap.dedent(
    f"""
    import sys

    import pandas as pd

    import directcall_nb  # noqa: F401  (registers df.directcall)

    frame = pd.read_csv(sys.argv[1], dtype=str)
    frame.directcall.send({TEMPLATE!r}, phone="celular", sender={SENDER!r}, progress=False)
    print("finished", flush=True)
    """
)


def customers(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "celular": [f"(31) 9{8200 + i // 10_000:04d}-{i % 10_000:04d}" for i in range(count)],
            "nome": [f"Cliente {i}" for i in range(count)],
            "valor": [f"{100 + i},{i % 100:02d}" for i in range(count)],
        }
    )


def send(
    frame: pd.DataFrame, client: DirectCall, journal: Path, *, resend_ambiguous: bool = False
) -> SendReport:
    report: SendReport = frame.directcall.send(
        TEMPLATE,
        phone="celular",
        sender=SENDER,
        client=client,
        journal=journal,
        resend_ambiguous=resend_ambiguous,
        progress=False,
    )
    return report


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


def deliveries(sb: Sandbox) -> pd.Series:
    return sb.messages().groupby("phone").size()


def test_a_campaign_killed_half_way_is_finished_by_the_next_run_and_nothing_is_sent_twice(
    tmp_path: Path,
) -> None:
    frame = customers(ROWS)
    table = tmp_path / "clientes.csv"
    frame.to_csv(table, index=False)
    script = tmp_path / "campaign.py"
    script.write_text(CAMPAIGN, encoding="utf-8")
    journal = tmp_path / "journal.sqlite3"

    with Sandbox(latency=0.05, balance=10 * ROWS) as sb:
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
        kill_half_way(child, sb, ROWS // 2)
        assert child.returncode == -signal.SIGKILL
        assert len(sb.messages()) < ROWS

        # What the killed process left in the journal: the requests it had in flight.
        with Journal(journal) as left:
            at_kill = left.messages()
        in_flight = set(at_kill.loc[at_kill["state"] == "pending", "recipient"])
        sent_before = set(at_kill.loc[at_kill["state"] == "sent", "recipient"])
        assert 1 <= len(in_flight) <= DEFAULT_CONCURRENCY

        client = sb.client()
        rerun = send(frame, client, journal)
        rows = rerun.rows.set_index("phone")
        delivered = deliveries(sb)
        callerid_of = sb.messages().set_index("phone")["callerid"]
        log_before_resend = len(sb.requests())

        # The re-run: nothing twice, the rest sent, the in-flight requests ambiguous.
        assert delivered.max() == 1
        assert set(rows.index[rows["status"] == "ambiguous"]) == in_flight
        assert set(rows.index[rows["status"] == "already_sent"]) == sent_before
        assert set(rows["status"]) == {"already_sent", "sent", "ambiguous"}
        settled = rows[rows["status"] != "ambiguous"]
        assert delivered.reindex(settled.index).eq(1).all()
        assert (settled["callerid"] == callerid_of.reindex(settled.index).array).all()

        # Sending the ambiguous ones again completes the campaign; those the sandbox had
        # accepted from the killed process (its log says so) are then delivered twice.
        resent = send(frame, client, journal, resend_ambiguous=True)
        log = sb.requests().iloc[:log_before_resend]
        sends = log[log["endpoint"] == "/sms/send"]
        accepted_then = {r[0] for r in sends.loc[sends["codigo"] == "000", "recipients"]}
        final = sb.messages()

    final_rows = resent.rows.set_index("phone")
    assert set(final_rows.index[final_rows["status"] == "sent"]) == in_flight
    assert set(final_rows["status"]) == {"sent", "already_sent"}
    times = final.groupby("phone").size()
    assert set(times.index[times == 2]) == in_flight & accepted_then
    assert set(times) <= {1, 2} and len(times) == ROWS
    # Each row's report callerid is one of its deliveries: the latest one.
    latest = final.groupby("phone")["callerid"].last()
    assert (final_rows["callerid"] == latest.reindex(final_rows.index).array).all()
