"""Chaos: a campaign through a sandbox that fails in every way it can, sent again and again.

A personalised campaign (one text per row) goes through server errors, connections dropped
before and after the message was processed, access tokens that expire in the middle, and
latency, and is sent again on the same journal until a run has nothing new to send. The
sandbox's own records (what it delivered, and the log of what every request asked for and
what became of it) are the truth the reports are checked against:

- no message is ever delivered twice;
- a row reported sent was delivered exactly once, under the callerid the report gives;
- a row never delivered is never reported sent;
- a row is ambiguous exactly when the connection of its last request was dropped: whether it
  was dropped before or after the sandbox processed it cannot be known by the client, so both
  are ambiguous, and only the sandbox's log tells them apart (a request processed before its
  connection was dropped delivered the message only if it was accepted: not when its token had
  just expired);
- sending the ambiguous rows again (``resend_ambiguous=True``) delivers every one of them, and
  delivers twice exactly those whose lost answer came after delivery: the risk that option takes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from helpers import (
    CODE_TEMPLATE,
    FAULT_SEEDS,
    SENDER,
    chaos_sandbox,
    customers_with_codes,
    deliveries,
    send_campaign,
    send_until_settled,
    tokens_expiring,
)

from directcall_nb import Faults, Sandbox
from directcall_nb.errors import ResponseLost, ServerFailure

ROWS = 1_000
DROPS = ("drop_before", "drop_after")


def send_log(sb: Sandbox) -> pd.DataFrame:
    """Return the sandbox's log of ``/sms/send`` requests, one recipient each, in arrival order."""
    log = sb.requests()
    sends = log[log["endpoint"] == "/sms/send"].reset_index(drop=True)
    assert sends["recipients"].map(len).eq(1).all(), "a personalised request has one recipient"
    sends["phone"] = sends["recipients"].str[0]
    return sends


def describe(last: pd.DataFrame) -> list[str]:
    """Return the rows of the last-request table, one line each, for an assertion message."""
    return [f"{phone}: fault {row.fault}, codigo {row.codigo}" for phone, row in last.iterrows()]


def test_the_sandbox_log_tells_what_every_send_asked_for_whatever_became_of_it() -> None:
    many = [f"55119{8000_0000 + i:08d}" for i in range(12)]
    with Sandbox() as sb:
        client = sb.client()
        client.send(many[:2], "dois", sender=SENDER)
        client.send(many, "arquivo", sender=SENDER)  # 12 numbers: a destino_csv file
        for fault, faults in (
            ("server_error", Faults(server_error=1.0)),
            ("drop_before", Faults(drop_before=1.0)),
            ("drop_after", Faults(drop_after=1.0)),
        ):
            sb.set_faults(faults)
            with pytest.raises((ServerFailure, ResponseLost)):
                client.send([many[0]], fault, sender=SENDER)
        log = sb.requests()
    sends = log[log["endpoint"] == "/sms/send"]
    assert sends["recipients"].tolist() == [
        tuple(many[:2]),
        tuple(many),
        (many[0],),
        (many[0],),
        (many[0],),
    ]
    assert sends["texto"].tolist() == [
        "dois",
        "arquivo",
        "server_error",
        "drop_before",
        "drop_after",
    ]
    assert sends["fault"].fillna("").tolist() == [
        "",
        "",
        "server_error",
        "drop_before",
        "drop_after",
    ]
    token_requests = log[log["endpoint"] == "/request_token"]
    assert token_requests["recipients"].isna().all()
    assert token_requests["texto"].isna().all()


def test_a_sandbox_file_written_before_the_log_kept_recipients_gains_them(
    tmp_path: Path,
) -> None:
    database = tmp_path / "sandbox.sqlite3"
    with sqlite3.connect(database) as old:
        old.execute(
            "CREATE TABLE requests (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, "
            "method TEXT NOT NULL, endpoint TEXT NOT NULL, http_status INTEGER, codigo TEXT, "
            "fault TEXT)"
        )
        old.execute(
            "INSERT INTO requests (at, method, endpoint, http_status, codigo, fault) "
            "VALUES (1.0, 'POST', '/sms/send', 200, '000', NULL)"
        )
    old.close()
    with Sandbox(database=database) as sb:
        sb.client().send(["5511987650000"], "depois", sender=SENDER)
        log = sb.requests()
    sends = log[log["endpoint"] == "/sms/send"]
    assert sends["recipients"].tolist() == [None, ("5511987650000",)]
    assert sends["texto"].fillna("").tolist() == ["", "depois"]


@pytest.mark.parametrize("seed", FAULT_SEEDS)
def test_a_campaign_through_every_fault_is_sent_once_or_reported_ambiguous(
    seed: int, tmp_path: Path
) -> None:
    frame = customers_with_codes(ROWS)
    journal = tmp_path / "journal.sqlite3"
    with chaos_sandbox(ROWS, seed) as sb:
        client = sb.client()
        with tokens_expiring(sb):
            reports = send_until_settled(frame, CODE_TEMPLATE, client, journal)
        log = send_log(sb)
        delivered = deliveries(sb)
        callerid_of = sb.messages().set_index("phone")["callerid"]

        # Every kind of trouble happened, tokens included.
        assert {"server_error", *DROPS} <= set(log["fault"].dropna())
        assert (log["http_status"] == 401).any(), "no token expired during the campaign"

        rows = reports[-1].rows
        assert rows["text"].is_unique
        assert rows["phone"].is_unique
        assert len(rows) == ROWS
        times = delivered.reindex(rows["phone"], fill_value=0).to_numpy()
        status = rows["status"].to_numpy()

        # Nothing was delivered twice.
        assert delivered.max() == 1

        # Sent means delivered once, under the callerid the report gives.
        said_sent = rows[rows["status"].isin(["sent", "already_sent"])]
        assert (times[status == "sent"] == 1).all()
        assert (times[status == "already_sent"] == 1).all()
        assert (said_sent["callerid"] == callerid_of.reindex(said_sent["phone"]).array).all()
        # ... and each report said "sent" for a row at most once over all the runs.
        sent_in = pd.concat([r.rows["status"].eq("sent") for r in reports], axis=1).sum(axis=1)
        assert sent_in.max() == 1
        assert set(rows.loc[sent_in == 1, "status"]) <= {"sent", "already_sent"}

        # Never delivered means never said sent.
        assert set(status[times == 0]) <= {"failed", "invalid", "ambiguous"}

        # Ambiguous exactly when the last request for the row lost its answer.
        last = log.groupby("phone")[["fault", "codigo"]].last().reindex(rows["phone"])
        dropped = last["fault"].isin(DROPS).to_numpy()
        ambiguous = status == "ambiguous"
        assert describe(last[ambiguous & ~dropped]) == [], "ambiguous, yet no answer was lost"
        assert describe(last[dropped & ~ambiguous]) == [], "an answer was lost, yet not ambiguous"
        assert set(status) <= {"already_sent", "ambiguous"}
        # Lost after delivery: processed and accepted (codigo 000), then the answer was lost.
        # Lost before, or after a refusal (an expired token): nothing was delivered.
        lost_after_delivery = (last["fault"].eq("drop_after") & last["codigo"].eq("000")).to_numpy()
        assert lost_after_delivery.any()
        assert (dropped & ~lost_after_delivery).any()
        assert (times[lost_after_delivery] == 1).all()
        assert (times[dropped & ~lost_after_delivery] == 0).all()

        # Sending the ambiguous rows again delivers each; twice exactly those dropped after.
        sb.set_faults(None)
        resent = send_campaign(
            frame, CODE_TEMPLATE, client=client, journal=journal, resend_ambiguous=True
        )
        again = deliveries(sb).reindex(rows["phone"], fill_value=0).to_numpy()
        final_callerid = sb.messages().groupby("phone")["callerid"].last()

    assert (again[lost_after_delivery] == 2).all()
    assert (again[~lost_after_delivery] == 1).all()
    assert (
        resent.rows["status"].to_numpy()
        == pd.Series(dropped).map({True: "sent", False: "already_sent"}).to_numpy()
    ).all()
    assert (resent.rows["callerid"] == final_callerid.reindex(resent.rows["phone"]).array).all()
