"""Campaigns end to end: a DataFrame sent through the sandbox over real sockets."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from directcall_nb import Journal, Sandbox
from directcall_nb.errors import CostLimitExceeded, InvalidSchedule, InvalidSender

SENDER = "551130600300"
BRT = ZoneInfo("America/Sao_Paulo")


def customers(n: int = 40) -> pd.DataFrame:
    """Mobiles, with a landline, an invalid number, a duplicate row and an empty name."""
    phones = [f"(11) 9{1000_0000 + i:08d}" for i in range(n)]
    names: list[str | None] = [f"Cliente {i}" for i in range(n)]
    phones += ["(11) 3456-7890", "(23) 91234-5678", phones[0], "(21) 99876-5432"]
    names += ["Fixo", "Errado", names[0], None]
    return pd.DataFrame({"celular": phones, "nome": names})


def delivered(sb: Sandbox) -> pd.DataFrame:
    return sb.messages()[["phone", "text"]].sort_values(["phone", "text"]).reset_index(drop=True)


def test_the_sandbox_receives_exactly_the_estimated_messages(sb: Sandbox, journal: Journal) -> None:
    frame = customers()
    text = "Olá {nome}, sua fatura vence amanhã."
    est = frame.directcall.estimate(text, phone="celular", sender=SENDER)
    before = sb.balance
    report = frame.directcall.send(
        text, phone="celular", sender=SENDER, client=sb.client(), journal=journal
    )
    expected = est.rows[est.rows["status"] == "ok"][["phone", "text"]]
    expected = expected.astype(str).sort_values(["phone", "text"]).reset_index(drop=True)
    assert delivered(sb).astype(str).equals(expected)
    assert before - sb.balance == est.segments
    assert report.counts == {"sent": 40, "invalid": 3, "duplicate": 1}
    sent = report.rows[report.rows["status"] == "sent"]
    assert sent["callerid"].notna().all()
    assert set(sent["callerid"]) == set(sb.messages()["callerid"])
    assert report.rows.index.equals(frame.index)


def test_one_text_to_many_goes_in_chunked_files(sb: Sandbox, journal: Journal) -> None:
    frame = pd.DataFrame({"tel": [f"55119{20_000_000 + i:08d}" for i in range(12_000)]})
    report = frame.directcall.send(
        "Promoção de hoje!", phone="tel", sender=SENDER, client=sb.client(), journal=journal
    )
    assert [r.recipients for r in report.requests] == [5_000, 5_000, 2_000]
    assert report.counts == {"sent": 12_000}
    messages = sb.messages()
    assert len(messages) == 12_000
    assert messages["phone"].is_unique
    assert messages["callerid"].nunique() == 3


def test_a_dry_run_sends_nothing_and_shows_the_requests(sb: Sandbox) -> None:
    report = customers().directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), dry_run=True
    )
    assert report.counts["dry_run"] == 40
    assert len(report.plan) == 40
    assert sb.messages().empty
    assert sb.requests().empty
    assert "Dry run" in report._repr_html_()


def test_refusals_come_before_anything_is_sent(sb: Sandbox, journal: Journal) -> None:
    frame = customers()
    client = sb.client()
    with pytest.raises(InvalidSender):
        frame.directcall.send("Oi", phone="celular", sender="123", client=client, journal=journal)
    with pytest.raises(CostLimitExceeded, match="R\\$ 4,10"):
        frame.directcall.send(
            "Oi", phone="celular", sender=SENDER, client=client, journal=journal,
            price_per_segment="0.10", max_cost="3.99",
        )  # fmt: skip
    with pytest.raises(InvalidSchedule):
        frame.directcall.send(
            "Oi", phone="celular", sender=SENDER, client=client, journal=journal,
            schedule=datetime.now(BRT) - timedelta(minutes=5),
        )  # fmt: skip
    assert sb.requests().empty


def test_running_out_of_balance_stops_cleanly_and_reports_truthfully(
    journal: Journal,
) -> None:
    frame = customers(60)
    with Sandbox(balance=25) as sb:
        report = frame.directcall.send(
            "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(),
            journal=journal, concurrency=1,
        )  # fmt: skip
        delivered_phones = set(sb.messages()["phone"])
    counts = report.counts
    assert counts["sent"] == 25
    assert counts["failed"] == 1
    assert counts["not_sent"] == 34
    sent_phones = set(report.rows.loc[report.rows["status"] == "sent", "phone"])
    assert sent_phones == delivered_phones
    failed = report.rows[report.rows["status"] == "failed"]
    assert failed["codigo"].tolist() == ["201"]
    assert report.stopped is not None
    assert "201" in report.stopped


def test_a_second_run_sends_nothing_twice(sb: Sandbox, journal: Journal) -> None:
    frame = customers()
    client = sb.client()
    first = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=client, journal=journal
    )
    second = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=client, journal=journal
    )
    assert first.counts["sent"] == 40
    assert second.counts.get("sent", 0) == 0
    assert second.counts["already_sent"] == 40
    sent = (first.rows["status"] == "sent").to_numpy()
    assert second.rows["callerid"][sent].notna().all()
    assert second.rows["callerid"][sent].equals(first.rows["callerid"][sent])
    assert second.rows["callerid"][~sent].isna().all()
    assert len(sb.messages()) == 40
    audit = journal.messages()
    assert (audit["state"] == "sent").sum() == 40


def test_without_a_journal_it_sends_and_says_there_is_no_guarantee(sb: Sandbox) -> None:
    frame = customers(3)
    for run in (1, 2):
        report = frame.directcall.send(
            "Oi", phone="celular", sender=SENDER, client=sb.client(), journal=False
        )
        assert report.journal is None
        assert report.counts["sent"] == 4
        assert any("journal=False" in note for note in report.notes())
        assert len(sb.messages()) == 4 * run  # nothing guards against the second run


def test_journal_true_is_the_default_file(sb: Sandbox, private_journal: Path) -> None:
    frame = customers(3)
    first = frame.directcall.send("Oi", phone="celular", sender=SENDER, client=sb.client())
    again = frame.directcall.send(
        "Oi", phone="celular", sender=SENDER, client=sb.client(), journal=True
    )
    assert first.journal == again.journal == private_journal
    assert (first.counts["sent"], again.counts["already_sent"]) == (4, 4)
    assert len(sb.messages()) == 4
    with Journal(private_journal) as journal:
        assert len(journal.campaigns()) == 2


def test_scheduled_voice_campaign_then_delivery_status(sb: Sandbox, journal: Journal) -> None:
    frame = customers(5)
    when = datetime.now(BRT).replace(tzinfo=None) + timedelta(hours=2)
    client = sb.client()
    report = frame.directcall.send(
        "Sua fatura vence amanhã", phone="celular", sender=SENDER, client=client,
        channel="voice", schedule=when, journal=journal,
    )  # fmt: skip
    assert report.counts["scheduled"] == 7  # voice reaches the landline too
    messages = sb.messages()
    assert set(messages["channel"]) == {"voice"}
    assert set(messages["status"]) == {"agendado"}
    rows = report.refresh_status(client)
    assert set(rows.loc[rows["status"] == "scheduled", "delivery"]) == {"agendado"}


def test_delivery_status_after_an_immediate_send(sb: Sandbox, journal: Journal) -> None:
    client = sb.client()
    report = customers(4).directcall.send(
        "Oi", phone="celular", sender=SENDER, client=client, journal=journal
    )
    rows = report.refresh_status(client)
    assert rows.loc[rows["status"] == "sent", "delivery"].notna().all()
    assert rows.loc[rows["status"] == "invalid", "delivery"].isna().all()


def test_concurrent_personalised_campaign_with_latency(sb: Sandbox, journal: Journal) -> None:
    sb.set_latency(0.05)
    frame = customers(80)
    report = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        concurrency=8,
    )  # fmt: skip
    assert report.counts["sent"] == 80
    messages = sb.messages()
    assert len(messages) == 80
    assert not messages.duplicated(["phone", "text"]).any()


def test_a_new_sandbox_is_a_new_account_for_the_journal(journal: Journal) -> None:
    frame = customers(3)
    with Sandbox() as first, Sandbox() as second:
        assert first.client_id != second.client_id
        for sb in (first, second):
            report = frame.directcall.send(
                "Oi", phone="celular", sender=SENDER, client=sb.client(), journal=journal
            )
            assert report.counts["sent"] == 4
            assert len(sb.messages()) == 4


def test_the_report_reads_in_portuguese_too(sb: Sandbox, journal: Journal) -> None:
    report = customers(3).directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        price_per_segment="0.10",
    )  # fmt: skip
    page = visible(report.to_html("pt"))
    assert "Relatório de envio" in page
    assert "enviadas 3" in page
    assert "Cobrado nesta execução: R$ 0,30" in page
    assert "Gasto" not in page
    assert "inválidas 3" in page
    assert "Send report" not in page
    assert "a coluna nome está vazia nesta linha" in page
    assert ".rows" not in page
    assert "telefone inválido: o DDD 23 não existe" in page
    assert report.summary("pt") == "3 enviadas, 3 inválidas, 1 duplicada"
    unpriced = customers(3).directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal
    )
    assert "preço não informado" in visible(unpriced.to_html("pt"))
    assert "—" not in visible(unpriced.to_html("pt"))
    dry = customers(3).directcall.send("Oi", phone="celular", sender=SENDER, dry_run=True)
    assert "Plano: 1 requisição, 4 destinatários, 4 segmentos" in visible(dry.plan.to_html("pt"))
    assert "Simulação: nada foi enviado. Seria feita 1 requisição." in visible(dry.to_html("pt"))


def visible(markup: str) -> str:
    import html
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_an_empty_frame_is_estimated_and_sent_as_nothing(sb: Sandbox, journal: Journal) -> None:
    frame = customers().iloc[:0]
    text = "Olá {nome}, sua fatura vence amanhã."
    est = frame.directcall.estimate(text, phone="celular", sender=SENDER, price_per_segment="0.08")
    assert (est.recipients, est.invalid, est.segments, est.cost) == (0, 0, 0, 0)
    assert est.rows.empty
    report = frame.directcall.send(
        text, phone="celular", sender=SENDER, client=sb.client(), journal=journal
    )
    assert report.rows.empty
    assert "nenhuma linha" in report.summary("pt")
    assert sb.messages().empty
