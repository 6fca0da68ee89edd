"""A campaign killed half way (SIGKILL) is finished by the next run, nothing sent twice.

The kill leaves no clean-up at all. The campaign runs in a child process that knows only the
environment an analyst would set (credentials, the API's address, the journal's file) and is
killed while requests are in flight. The next run, in this process, must send what was never
sent, skip what was, and report the requests that were in flight at the kill as ambiguous: the
child may or may not have got them delivered, and nobody recorded the answer.
"""

from __future__ import annotations

from pathlib import Path

from helpers import (
    BILL_TEMPLATE,
    customers_with_bills,
    deliveries,
    kill_a_campaign_half_way,
    send_campaign,
)

from directcall_nb import Journal, Sandbox
from directcall_nb.options import DEFAULT_CONCURRENCY

ROWS = 300


def test_a_campaign_killed_half_way_is_finished_by_the_next_run_and_nothing_is_sent_twice(
    tmp_path: Path,
) -> None:
    frame = customers_with_bills(ROWS)
    journal = tmp_path / "journal.sqlite3"

    with Sandbox(latency=0.05, balance=10 * ROWS) as sb:
        kill_a_campaign_half_way(sb, frame, tmp_path, journal)
        assert len(sb.messages()) < ROWS

        # What the killed process left in the journal: the requests it had in flight.
        with Journal(journal) as left:
            at_kill = left.messages()
        in_flight = set(at_kill.loc[at_kill["state"] == "pending", "recipient"])
        sent_before = set(at_kill.loc[at_kill["state"] == "sent", "recipient"])
        assert 1 <= len(in_flight) <= DEFAULT_CONCURRENCY

        client = sb.client()
        rerun = send_campaign(frame, BILL_TEMPLATE, client=client, journal=journal)
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
        resent = send_campaign(
            frame, BILL_TEMPLATE, client=client, journal=journal, resend_ambiguous=True
        )
        log = sb.requests().iloc[:log_before_resend]
        sends = log[log["endpoint"] == "/sms/send"]
        accepted_then = {r[0] for r in sends.loc[sends["codigo"] == "000", "recipients"]}
        final = sb.messages()

    final_rows = resent.rows.set_index("phone")
    assert set(final_rows.index[final_rows["status"] == "sent"]) == in_flight
    assert set(final_rows["status"]) == {"sent", "already_sent"}
    times = final.groupby("phone").size()
    assert set(times.index[times == 2]) == in_flight & accepted_then
    assert set(times) <= {1, 2}
    assert len(times) == ROWS
    # Each row's report callerid is one of its deliveries: the latest one.
    latest = final.groupby("phone")["callerid"].last()
    assert (final_rows["callerid"] == latest.reindex(final_rows.index).array).all()
