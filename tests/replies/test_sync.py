"""`sync_replies` against the sandbox, over loopback: stored once, linked, opt-outs suppressed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from helpers import SENDER, send_campaign

import directcall_nb
from directcall_nb import Journal, Sandbox, sync_replies
from directcall_nb.errors import InvalidOption
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.replies import SYNC_OVERLAP
from directcall_nb.report import SendReport
from directcall_nb.sending import use_client

ANA, BETO, CAIO = "5511987650001", "5511987650002", "5511987650003"
STRANGER = "5521999990009"
OTHER_SENDER = "551130600399"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.sqlite3") as journal:
        yield journal


def customers(*phones: str) -> pd.DataFrame:
    return pd.DataFrame({"celular": list(phones), "nome": [f"Cliente {p[-1]}" for p in phones]})


def campaign(sb: Sandbox, store: Journal, *phones: str, **options: object) -> SendReport:
    return send_campaign(
        customers(*phones), "Olá {nome}, sua fatura vence amanhã.", client=sb.client(),
        journal=store, **options,  # type: ignore[arg-type]
    )  # fmt: skip


def later(minutes: float) -> datetime:
    """Return a moment ``minutes`` from now, to the second, in Brazil time."""
    return (datetime.now(BRAZIL_TIME) + timedelta(minutes=minutes)).replace(microsecond=0)


def answer(sb: Sandbox, phone: str, text: str, minutes: float, to: str = SENDER) -> datetime:
    """Queue ``phone``'s reply ``minutes`` from now, and move the sandbox's clock past it."""
    at = later(minutes)
    sb.reply(phone, text, at=at, to=to)
    return at


def sync(sb: Sandbox, store: Journal, minutes: float = 120, **options: object) -> pd.DataFrame:
    """Sync the replies up to ``minutes`` ahead (the sandbox's clock is moved past it first)."""
    sb.clock.set(later(minutes + 1).timestamp())
    until = later(minutes)
    return sync_replies(sb.client(), journal=store, until=until, **options)  # type: ignore[arg-type]


def listings(sb: Sandbox) -> int:
    return int((sb.requests()["endpoint"] == "/sms/recebimento").sum())


def test_sair_and_pare_put_two_customers_on_the_suppression_list(
    sb: Sandbox, store: Journal
) -> None:
    report = campaign(sb, store, ANA, BETO, CAIO)
    at_ana = answer(sb, ANA, "SAIR", 5)
    at_beto = answer(sb, BETO, "Pare.", 6)
    at_caio = answer(sb, CAIO, "Obrigado, vou pagar", 7)

    new = sync(sb, store)

    assert new["phone"].tolist() == [ANA, BETO, CAIO]
    assert new["text"].tolist() == ["SAIR", "Pare.", "Obrigado, vou pagar"]
    assert new["opt_out"].tolist() == [True, True, False]
    assert new["campaign"].tolist() == [report.campaign_id] * 3
    assert new["received_at"].tolist() == [pd.Timestamp(t) for t in (at_ana, at_beto, at_caio)]
    assert str(new["received_at"].dt.tz) == "America/Sao_Paulo"
    listed = store.suppressed().set_index("phone")
    assert sorted(listed.index) == [ANA, BETO]
    assert listed.loc[ANA, "source"] == "reply"
    assert (listed.loc[ANA, "reason"], listed.loc[BETO, "reason"]) == ("SAIR", "PARE")
    assert (listed.loc[ANA, "reply_text"], listed.loc[BETO, "reply_text"]) == ("SAIR", "Pare.")
    assert listed.loc[ANA, "since"] == pd.Timestamp(at_ana)


def test_no_quero_mais_opts_out_and_the_keywords_can_be_chosen(sb: Sandbox, store: Journal) -> None:
    campaign(sb, store, ANA, BETO)
    answer(sb, ANA, "não quero mais", 5)
    answer(sb, BETO, "Chega!", 6)

    new = sync(sb, store, keywords=["NÃO QUERO", "chega"])

    assert new["opt_out"].tolist() == [True, True]
    assert store.suppressions()[ANA].reason == "NÃO QUERO"
    assert store.suppressions()[BETO].reason == "chega"


def test_the_session_keywords_are_the_default_of_a_sync(sb: Sandbox, store: Journal) -> None:
    campaign(sb, store, ANA, BETO)
    answer(sb, ANA, "Chega!", 5)
    answer(sb, BETO, "SAIR", 6)
    directcall_nb.options.opt_out_keywords = ["chega"]  # type: ignore[attr-defined]
    try:
        new = sync(sb, store)
    finally:
        directcall_nb.options.opt_out_keywords = None  # type: ignore[attr-defined]

    assert new["opt_out"].tolist() == [True, False]
    assert list(store.suppressions()) == [ANA]


def test_a_sync_run_twice_stores_nothing_twice_and_returns_nothing_new(
    sb: Sandbox, store: Journal
) -> None:
    campaign(sb, store, ANA)
    answer(sb, ANA, "SAIR", 5)
    assert len(sync(sb, store)) == 1

    again = sync(sb, store)
    from_the_start = sync(sb, store, since=later(-60))

    assert again.empty
    assert from_the_start.empty
    assert list(again.columns) == ["phone", "sent_to", "text", "received_at", "campaign", "opt_out"]
    assert store.replies()["text"].tolist() == ["SAIR"]
    answer(sb, ANA, "sair mesmo", 125)
    assert sync(sb, store, minutes=180)["text"].tolist() == ["sair mesmo"]
    assert store.replies()["text"].tolist() == ["SAIR", "sair mesmo"]


def test_a_sync_starts_where_the_last_one_stopped_less_a_short_overlap(
    sb: Sandbox, store: Journal
) -> None:
    answer(sb, ANA, "antes da primeira campanha", -30)
    campaign(sb, store, ANA)
    first_end, second_end = later(120), later(180)
    sb.clock.set(first_end.timestamp() + 60)
    assert sync_replies(sb.client(), journal=store, until=first_end).empty  # from the campaign
    assert store.synced_until(server=sb.url, account=sb.client_id) == first_end

    sb.reply(ANA, "listada com atraso", at=first_end - timedelta(minutes=5))  # overlap: read
    sb.reply(ANA, "bem antes", at=first_end - timedelta(minutes=30))  # before it: not read
    sb.reply(ANA, "depois", at=first_end + timedelta(minutes=10))
    sb.clock.set(second_end.timestamp() + 60)
    new = sync_replies(sb.client(), journal=store, until=second_end)

    assert new["text"].tolist() == ["listada com atraso", "depois"]
    assert timedelta(minutes=10) == SYNC_OVERLAP
    assert store.synced_until(server=sb.url, account=sb.client_id) == second_end


def test_every_page_is_read(sb: Sandbox, store: Journal) -> None:
    campaign(sb, store, ANA, BETO, CAIO)
    for minute in range(7):
        answer(sb, (ANA, BETO, CAIO)[minute % 3], f"resposta {minute}", 5 + minute)

    new = sync(sb, store, per_page=2)

    assert new["text"].tolist() == [f"resposta {minute}" for minute in range(7)]
    assert listings(sb) == 4


def test_a_reply_answers_the_latest_message_sent_before_it(sb: Sandbox, store: Journal) -> None:
    first = campaign(sb, store, ANA)
    second = campaign(sb, store, ANA, schedule=later(60))
    answer(sb, ANA, "já paguei", 30)  # before the second campaign is delivered
    answer(sb, ANA, "de novo?", 90)  # after

    new = sync(sb, store)

    assert new["campaign"].tolist() == [first.campaign_id, second.campaign_id]
    assert first.replies()["text"].tolist() == ["já paguei"]
    assert second.replies()["text"].tolist() == ["de novo?"]


def test_a_reply_answers_the_campaign_of_the_number_it_was_written_to(
    sb: Sandbox, store: Journal
) -> None:
    ours = campaign(sb, store, ANA)
    theirs: SendReport = customers(ANA).directcall.send(
        "Outra mensagem, {nome}.", phone="celular", sender=OTHER_SENDER, client=sb.client(),
        journal=store, progress=False,
    )  # fmt: skip
    answer(sb, ANA, "é comigo?", 5, to=SENDER)
    answer(sb, ANA, "e agora?", 6, to=OTHER_SENDER)
    answer(sb, ANA, "pelo número curto", 7, to="28888")

    new = sync(sb, store)

    assert new["campaign"].tolist() == [ours.campaign_id, theirs.campaign_id, theirs.campaign_id]
    assert new["sent_to"].tolist() == [SENDER, OTHER_SENDER, "28888"]


def test_a_reply_from_a_number_never_messaged_is_stored_with_no_campaign(
    sb: Sandbox, store: Journal
) -> None:
    campaign(sb, store, ANA)
    answer(sb, STRANGER, "Quem é?", 5)
    answer(sb, STRANGER, "SAIR", 6)

    new = sync(sb, store)

    assert new["phone"].tolist() == [STRANGER, STRANGER]
    assert new["campaign"].isna().all()
    assert STRANGER in store.suppressions()
    assert store.replies()["campaign"].isna().all()


def test_a_report_shows_only_its_own_campaigns_replies(sb: Sandbox, store: Journal) -> None:
    bills = campaign(sb, store, ANA)
    other = send_campaign(
        customers(BETO), "Promoção para {nome}!", client=sb.client(), journal=store
    )
    answer(sb, ANA, "ok", 5)
    answer(sb, BETO, "PARE", 6)
    sync(sb, store)

    assert bills.replies()["phone"].tolist() == [ANA]
    assert other.replies()["opt_out"].tolist() == [True]
    dry = customers(ANA).directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=store,
        dry_run=True,
    )  # fmt: skip
    assert dry.replies().empty


def test_the_client_and_journal_default_like_a_send(sb: Sandbox, private_journal: Path) -> None:
    use_client(sb.client())
    try:
        report = customers(ANA).directcall.send(
            "Oi {nome}", phone="celular", sender=SENDER, progress=False
        )
        answer(sb, ANA, "SAIR", 5)
        sb.clock.set(later(121).timestamp())
        new = sync_replies(until=later(120))
    finally:
        use_client(None)

    assert new["campaign"].tolist() == [report.campaign_id]
    assert report.journal == private_journal
    with Journal(private_journal) as journal:
        assert ANA in journal.suppressions()


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"since": "ontem"}, "since"),
        ({"until": 3}, "until"),
        ({"since": "2026-12-02", "until": "2026-12-01"}, "since"),
        ({"keywords": "SAIR"}, "keywords"),
        ({"per_page": 0}, "per_page"),
        ({"journal": False}, "journal"),
    ],
)
def test_bad_arguments_are_refused_before_the_server_is_asked(
    sb: Sandbox, store: Journal, options: dict[str, object], option: str
) -> None:
    journal = options.pop("journal", store)
    with pytest.raises(InvalidOption) as caught:
        sync_replies(sb.client(), journal=journal, **options)  # type: ignore[arg-type]

    assert caught.value.option == option
    assert sb.requests().empty
    assert store.replies().empty


def test_a_client_that_is_none_is_refused_by_name(store: Journal) -> None:
    with pytest.raises(InvalidOption) as caught:
        sync_replies("https://api.directcallsoft.com", journal=store)  # type: ignore[arg-type]

    assert caught.value.option == "client"
    assert "DirectCall client" in str(caught.value)
