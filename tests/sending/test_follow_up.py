"""After the send, through the sandbox: where each message stands, and the campaign's funnel.

Replies are written into the journal's ``replies`` table as the reply sync records them (a
reply linked to the request it answers, ``opt_out`` 1 for an opt-out): `reply_in_journal`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
from helpers import SENDER

from directcall_nb import Journal, Sandbox

#: Four mobiles and a number that is not one.
PHONES = ["11912340001", "11912340002", "21987650003", "31998760004", "123"]


def clientes() -> pd.DataFrame:
    return pd.DataFrame({"celular": PHONES, "nome": ["Ana", "Bruno", "Carla", "Davi", "Eva"]})


def reply_in_journal(path: Path, *, phone: str, text: str, opt_out: bool) -> None:
    """Record a reply from ``phone`` to the latest request sent to it, as the reply sync does."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            (request_id,) = conn.execute(
                "SELECT max(request_id) FROM messages WHERE recipient = ? AND state = 'sent'",
                (phone,),
            ).fetchone()
            conn.execute(
                "INSERT INTO replies (key, server, account, phone, sent_to, text, received_at, "
                "request_id, opt_out, synced_at) VALUES (?, 'server', 'account', ?, ?, ?, "
                "'2026-11-03T12:00:00+00:00', ?, ?, '2026-11-03T12:05:00+00:00')",
                (f"{phone}-{text}", phone, SENDER, text, request_id, int(opt_out)),
            )
    finally:
        conn.close()


def test_sms_without_short_number_is_unknowable_and_says_why(sb: Sandbox, journal: Journal) -> None:
    client = sb.client()
    report = clientes().directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=client, journal=journal.path
    )
    asked_before = len(sb.requests())
    rows = report.refresh_status(client)
    sent = rows["status"] == "sent"
    assert sent.sum() == 4
    assert (rows.loc[sent, "delivery"] == "unknown").all()
    assert rows.loc[sent, "delivery_note"].str.contains("short number").all()
    assert rows.loc[~sent, "delivery"].isna().all()
    assert len(sb.requests()) == asked_before  # nothing DirectCall cannot answer was asked
    recorded = journal.deliveries()
    assert sorted(recorded["recipient"]) == sorted(rows.loc[sent, "phone"])
    assert set(recorded["status"]) == {"unknown"}
    assert recorded["detail"].str.contains("short number").all()
    funnel = report.funnel("pt")["count"]
    assert (funnel["sent"], funnel["delivered"], funnel["unconfirmed"]) == (4, 0, 4)
    (campaign,) = journal.campaigns().to_dict("records")
    assert (campaign["delivered"], campaign["unconfirmed"]) == (0, 4)
    assert campaign["delivery_rate"] != campaign["delivery_rate"]  # NaN: nothing confirmed


def test_short_number_statuses_are_read_and_recorded_in_the_journal(
    sb: Sandbox, journal: Journal
) -> None:
    client = sb.client()
    sb.set_delivery_status("5521987650003", "nao_entregue")
    report = clientes().directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=client, journal=journal.path,
        short_number=True,
    )  # fmt: skip
    rows = report.refresh_status(client)
    assert rows["delivery"].tolist()[:4] == ["entregue", "entregue", "nao_entregue", "entregue"]
    recorded = journal.deliveries().set_index("recipient")["status"]
    assert recorded.to_dict() == {
        "5511912340001": "delivered",
        "5511912340002": "delivered",
        "5521987650003": "failed",
        "5531998760004": "delivered",
    }
    campaigns = journal.campaigns()
    assert campaigns["delivered"].tolist() == [3]
    assert campaigns["delivery_rate"].tolist() == [0.75]


def test_the_funnel_after_a_send_a_refresh_and_replies(sb: Sandbox, journal: Journal) -> None:
    client = sb.client()
    sb.set_delivery_status("5521987650003", "nao_entregue")
    report = clientes().directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=client, journal=journal.path,
        short_number=True,
    )  # fmt: skip
    report.refresh_status(client)
    reply_in_journal(journal.path, phone="5511912340001", text="Obrigado!", opt_out=False)
    reply_in_journal(journal.path, phone="5511912340002", text="SAIR", opt_out=True)
    reply_in_journal(journal.path, phone="5511912340002", text="sair!!", opt_out=True)

    funnel = report.funnel("pt")
    assert funnel["count"].to_dict() == {
        "planned": 4, "sent": 4, "delivered": 3, "unconfirmed": 0, "failed": 1, "replied": 2,
        "opted_out": 1,
    }  # fmt: skip
    assert funnel["stage"].tolist() == [
        "planejadas", "enviadas", "entregues", "entrega não confirmada", "com falha",
        "responderam", "pediram para sair",
    ]  # fmt: skip
    assert funnel["share"].tolist() == [1.0, 1.0, 0.75, 0.0, 0.25, 0.5, 0.25]
    assert report.funnel("en")["stage"].tolist()[-1] == "opted out"

    campaigns = journal.campaigns()
    assert campaigns[["sent", "delivered", "replied", "opted_out"]].iloc[0].tolist() == [
        4, 3, 2, 1,
    ]  # fmt: skip
    assert campaigns[["delivery_rate", "reply_rate", "opt_out_rate"]].iloc[0].tolist() == [
        0.75, 0.5, 0.25,
    ]  # fmt: skip


def test_a_report_not_refreshed_counts_what_the_journal_read_before(
    sb: Sandbox, journal: Journal
) -> None:
    client = sb.client()
    frame = clientes()
    first = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=client, journal=journal.path,
        short_number=True,
    )  # fmt: skip
    first.refresh_status(client)
    again = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=client, journal=journal.path,
        short_number=True,
    )  # fmt: skip
    assert again.counts["already_sent"] == 4
    funnel = again.funnel("en")
    assert funnel.loc["sent", "count"] == 4
    assert funnel.loc["delivered", "count"] == 4


def test_a_dry_run_plans_without_sending(sb: Sandbox, journal: Journal) -> None:
    report = clientes().directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, dry_run=True, journal=journal.path
    )
    counts = report.funnel("en")["count"]
    assert counts["planned"] == 4
    assert counts[["sent", "delivered", "failed", "replied", "opted_out"]].sum() == 0
