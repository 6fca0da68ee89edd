"""Reconciliation end to end, through the sandbox's custom fields and usage statement.

The sandbox keeps each send's ``campos[...]`` with its messages (``Sandbox.messages()["campos"]``)
and lists delivered messages in ``/extrato/list``, filtered by period, sender and custom field,
page by page, after a delay its clock follows. Its own records are the truth: what it delivered,
under which callerid and tag, and the log of every request with the fault it met.

- After a campaign through every fault and one reconciliation, no row is ambiguous unless the
  statement's answer about it was made unreadable (an HTTP 503 page); every row settled ``sent``
  was delivered exactly once, every row settled ``not_sent`` never was, and a plain re-run
  delivers exactly those, once.
- After a campaign killed half way (SIGKILL), a reconciliation without delay and a plain re-run
  deliver every row exactly once, without ``resend_ambiguous``.
- A statement slower than the send is waited for.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from helpers import (
    BILL_TEMPLATE,
    CODE_TEMPLATE,
    FAULT_SEEDS,
    SENDER,
    chaos_sandbox,
    customers_with_bills,
    customers_with_codes,
    deliveries,
    kill_a_campaign_half_way,
    send_campaign,
    send_until_settled,
    tokens_expiring,
)

import directcall_nb
from directcall_nb import Faults, Journal, Sandbox
from directcall_nb.sending._reconcile import TAG_FIELD


def settled_phones(settled: pd.DataFrame, journal: Path) -> dict[str, set[str]]:
    """Return the phones of the requests ``reconcile`` settled, by outcome."""
    with Journal(journal) as opened:
        messages = opened.messages()
    phone_of = messages.groupby("request_id")["recipient"].apply(
        lambda keys: {key.partition("#")[0] for key in keys}
    )
    found: dict[str, set[str]] = {"sent": set(), "not_sent": set(), "ambiguous": set()}
    for request_id, outcome in zip(settled["request_id"], settled["outcome"], strict=True):
        found[str(outcome)] |= phone_of[request_id]
    return found


def every_delivery_is_a_request_not_settled_unsent(sb: Sandbox, journal: Path) -> None:
    """Assert that each message delivered carries the tag of a request not settled unsent.

    That request is in the journal: sent, under the callerid the message was delivered with, or
    one whose statement could not be read.
    """
    with Journal(journal) as opened:
        requests = opened.requests().set_index("tag")
        messages = opened.messages()
    delivered = sb.messages()
    tags = delivered["campos"].map(lambda fields: fields.get(TAG_FIELD))
    assert tags.notna().all(), "a journaled send without its tag"
    assert tags.is_unique  # one recipient per request here
    found = requests.loc[tags]
    assert set(found["state"]) <= {"sent", "ambiguous"}
    recipient_of = messages.set_index("request_id")["recipient"].str.partition("#")[0]
    assert (recipient_of.loc[found["request_id"]].array == delivered["phone"]).all()
    sent = (found["state"] == "sent").to_numpy()
    assert (found["callerid"].to_numpy()[sent] == delivered["callerid"].to_numpy()[sent]).all()


@pytest.mark.parametrize("seed", FAULT_SEEDS)
def test_after_a_campaign_through_every_fault_one_reconciliation_settles_what_it_can_read(
    seed: int, tmp_path: Path
) -> None:
    rows = 1_000
    frame = customers_with_codes(rows)
    journal = tmp_path / "journal.sqlite3"
    with chaos_sandbox(rows, seed) as sb:
        client = sb.client()
        with tokens_expiring(sb):
            reports = send_until_settled(frame, CODE_TEMPLATE, client, journal)
        left = reports[-1].rows
        assert (left["status"] == "ambiguous").sum() >= 10
        # The statement's answers fail too: about one in five is an HTTP 503 page.
        sb.set_faults(Faults(server_error=0.2, seed=seed, endpoints=("/extrato/list",)))
        logged = len(sb.requests())

        settled = directcall_nb.reconcile(client, journal=journal, older_than=timedelta(0))

        log = sb.requests().iloc[logged:]
        asked = log[(log["endpoint"] == "/extrato/list") & (log["http_status"] != 401)]
        phones = settled_phones(settled, journal)
        before = deliveries(sb)
        every_delivery_is_a_request_not_settled_unsent(sb, journal)
        sb.set_faults(None)
        rerun = send_campaign(frame, CODE_TEMPLATE, client=client, journal=journal)
        after = deliveries(sb)

    # Every ambiguous request was asked about, once (one page each: the tag filters), in order.
    assert settled["asked"].notna().all()
    assert len(asked) == len(settled) == (left["status"] == "ambiguous").sum()
    unreadable = asked["fault"].eq("server_error").to_numpy()
    assert unreadable.any()
    assert not unreadable.all()
    outcome = settled["outcome"].to_numpy()
    assert set(outcome[unreadable]) == {"ambiguous"}
    assert set(outcome[~unreadable]) <= {"sent", "not_sent"}
    assert {"sent", "not_sent"} <= set(outcome[~unreadable])  # both kinds of drop happened
    assert settled.loc[unreadable, "detail"].str.contains("not a DirectCall envelope").all()
    # Sent means delivered once; not sent means never delivered.
    assert before.reindex(sorted(phones["sent"]), fill_value=0).eq(1).all()
    assert before.reindex(sorted(phones["not_sent"]), fill_value=0).eq(0).all()
    # The re-run delivers exactly the rows settled not_sent, once; nothing is ever twice.
    assert after.max() == 1
    assert set(after.index) - set(before.index) == phones["not_sent"]
    status = rerun.rows.set_index("phone")["status"]
    assert set(status.index[status == "sent"]) == phones["not_sent"]
    assert set(status.index[status == "ambiguous"]) == phones["ambiguous"]
    assert set(status) <= {"sent", "already_sent", "ambiguous"}


def test_a_campaign_killed_half_way_is_settled_and_finished_by_a_plain_rerun(
    tmp_path: Path,
) -> None:
    rows = 400
    frame = customers_with_bills(rows)
    journal = tmp_path / "journal.sqlite3"

    with Sandbox(latency=0.05, balance=10 * rows) as sb:
        kill_a_campaign_half_way(sb, frame, tmp_path, journal)
        # The requests the killed process had in flight are finished by the sandbox or never
        # reach it: stopping the server waits for the requests it is handling.
        sb.stop()
        sb.start()
        with Journal(journal) as left:
            at_kill = left.messages()
        in_flight = set(at_kill.loc[at_kill["state"] == "pending", "recipient"])
        assert in_flight
        sends = sb.requests()
        sends = sends[sends["endpoint"] == "/sms/send"]
        accepted = {r[0] for r in sends.loc[sends["codigo"] == "000", "recipients"]}
        client = sb.client()

        settled = directcall_nb.reconcile(client, journal=journal, older_than=timedelta(0))
        rerun = send_campaign(frame, BILL_TEMPLATE, client=client, journal=journal)
        times = deliveries(sb)

    phones = settled_phones(settled, journal)
    assert set(settled["outcome"]) <= {"sent", "not_sent"}
    assert phones["sent"] == in_flight & accepted
    assert phones["not_sent"] == in_flight - accepted
    assert len(times) == rows
    assert times.eq(1).all()  # 400 of 400, each once
    status = rerun.rows.set_index("phone")["status"]
    assert set(status) <= {"sent", "already_sent"}
    assert phones["not_sent"] <= set(status.index[status == "sent"])
    assert phones["sent"] <= set(status.index[status == "already_sent"])


def test_a_statement_slower_than_the_send_is_waited_for(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    frame = customers_with_codes(8)
    every_answer_lost = Faults(drop_before=0.5, drop_after=0.5, seed=11)
    with Sandbox(balance=1_000, faults=every_answer_lost) as sb:
        client = sb.client()
        first = send_campaign(frame, CODE_TEMPLATE, client=client, journal=journal)
        assert set(first.rows["status"]) == {"ambiguous"}
        sb.set_faults(None)
        sb.set_statement_delay(20 * 60)  # a delivery shows in the statement 20 minutes later

        soon = directcall_nb.reconcile(client, journal=journal)
        assert set(soon["outcome"]) == {"ambiguous"}
        assert soon["detail"].str.startswith("too recent for the statement").all()
        assert not (sb.requests()["endpoint"] == "/extrato/list").any()

        sb.clock.advance(minutes=31)
        settled = directcall_nb.reconcile(client, journal=journal, now=moved(minutes=31))
        phones = settled_phones(settled, journal)
        delivered = set(deliveries(sb).index)
        rerun = send_campaign(frame, CODE_TEMPLATE, client=client, journal=journal)
        times = deliveries(sb)

    assert phones["sent"] == delivered
    assert phones["not_sent"] == set(frame_phones(first)) - delivered
    assert phones["sent"]
    assert phones["not_sent"]
    assert len(times) == 8
    assert times.eq(1).all()
    status = rerun.rows.set_index("phone")["status"]
    assert set(status.index[status == "sent"]) == phones["not_sent"]


def test_a_voice_file_send_is_found_through_the_statements_pages(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    phones = [f"55319{8200_0000 + i:08d}" for i in range(12)]
    frame = pd.DataFrame({"tel": phones})
    with Sandbox(balance=1_000, faults=Faults(drop_after=1.0, seed=1)) as sb:
        client = sb.client()
        first = directcall_nb.send(
            frame, "Sua consulta é amanhã às 9h.", phone="tel", sender=SENDER, channel="voice",
            client=client, journal=journal, progress=False,
        )  # fmt: skip
        assert set(first.rows["status"]) == {"ambiguous"}
        sb.set_faults(None)
        sb.set_statement_page_size(5)
        settled = directcall_nb.reconcile(client, journal=journal, older_than=timedelta(0))
        delivered = sb.messages()
        rerun = directcall_nb.send(
            frame, "Sua consulta é amanhã às 9h.", phone="tel", sender=SENDER, channel="voice",
            client=client, journal=journal, progress=False,
        )  # fmt: skip
        times = deliveries(sb)

    with Journal(journal) as opened:
        (request,) = opened.requests().itertuples()
    assert (len(delivered), set(delivered["channel"])) == (12, {"voice"})
    assert {fields[TAG_FIELD] for fields in delivered["campos"]} == {request.tag}
    assert settled[["outcome", "recipients"]].values.tolist() == [["sent", 12]]
    assert settled.loc[0, "callerid"] == delivered["callerid"].iloc[0] == request.callerid
    assert set(rerun.rows["status"]) == {"already_sent"}
    assert times.eq(1).all()


def moved(**by: float) -> Callable[[], datetime]:
    """Our clock, moved as the sandbox's was (its clock is the real one plus an offset)."""
    offset = timedelta(**by)
    return lambda: datetime.now(UTC) + offset


def frame_phones(report: directcall_nb.SendReport) -> list[str]:
    return [str(p) for p in report.rows["phone"]]
