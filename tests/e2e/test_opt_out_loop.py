"""The whole opt-out loop through the sandbox: a campaign, replies, a sync, the campaign again."""

from __future__ import annotations

import pandas as pd
from helpers import SENDER

from directcall_nb import Journal, Sandbox, sync_replies

TEXT = "Olá {nome}, sua fatura vence amanhã. Para não receber mais, responda SAIR."


def test_customers_who_answered_sair_or_pare_are_not_messaged_again(
    sb: Sandbox, journal: Journal
) -> None:
    clientes = pd.DataFrame(
        {
            "celular": [f"(11) 9{1000_0000 + i:08d}" for i in range(6)],
            "nome": [f"Cliente {i}" for i in range(6)],
        }
    )
    client = sb.client()
    first = clientes.directcall.send(
        TEXT, phone="celular", sender=SENDER, client=client, journal=journal
    )
    phones = first.rows["phone"].tolist()
    sb.reply(phones[1], "SAIR")
    sb.reply(phones[4], "Pare.")
    sb.reply(phones[2], "Obrigado, vou pagar")
    synced = sync_replies(client, journal=journal)
    assert synced.set_index("phone")["opt_out"].to_dict() == {
        phones[1]: True,
        phones[4]: True,
        phones[2]: False,
    }
    before = sb.messages()

    again = clientes.directcall.send(
        TEXT, phone="celular", sender=SENDER, client=client, journal=journal
    )
    offer = clientes.directcall.send(
        "{nome}, uma oferta para você.", phone="celular", sender=SENDER, client=client,
        journal=journal,
    )  # fmt: skip

    assert again.rows["status"].tolist() == [
        "already_sent", "opted_out", "already_sent", "already_sent", "opted_out", "already_sent",
    ]  # fmt: skip
    assert offer.rows["status"].tolist() == [
        "sent",
        "opted_out",
        "sent",
        "sent",
        "opted_out",
        "sent",
    ]
    assert "respondeu 'SAIR' em" in offer.why([1], "pt")[0]
    assert "respondeu 'Pare.' em" in offer.why([4], "pt")[0]
    received = sb.messages()
    assert len(received) == len(before) + 4
    assert set(received["phone"]) == set(phones)
    assert received.groupby("phone").size().to_dict() == {
        phone: 1 if phone in (phones[1], phones[4]) else 2 for phone in phones
    }
