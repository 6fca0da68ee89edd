"""The replies kept in the journal: each once, linked to the campaign it answers, opt-outs too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from directcall_nb.journal import InboundReply, Journal, campaign_replies

SERVER, OTHER_SERVER = "https://api.directcallsoft.com", "http://127.0.0.1:8787"
ACCOUNT = "analista@empresa.com.br"
SENDER = "551130600300"
ANA, BETO = "5511912345678", "5521987654321"
NOON = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.sqlite3")


def sent(journal: Journal, *phones: str, server: str = SERVER, text: str = "Oi") -> int:
    """Record a campaign from `SENDER` whose one request to ``phones`` DirectCall accepted."""
    campaign_id = journal.start_campaign(
        server=server, account=ACCOUNT, sender=SENDER, channel="sms", schedule=None,
        template=text, price_per_segment=None, rows=len(phones),
    )  # fmt: skip
    claim = journal.claim(campaign_id, text=text, recipients=phones, segments_each=1)
    assert claim.request_id is not None
    journal.mark_sent(claim.request_id, callerid=f"{campaign_id}00", codigo="000", msg="ok")
    return campaign_id


def reply(phone: str, text: str, at: datetime | None, server_id: str | None = None,
          opt_out: str | None = None) -> InboundReply:  # fmt: skip
    return InboundReply(phone, SENDER, text, at, server_id, opt_out)


def record(journal: Journal, *replies: InboundReply, until: datetime | None = None,
           server: str = SERVER) -> pd.DataFrame:  # fmt: skip
    return journal.record_replies(
        replies, server=server, account=ACCOUNT, synced_until=until or datetime.now(UTC)
    )


def test_a_reply_is_kept_once_by_its_server_id(journal: Journal) -> None:
    sent(journal, ANA)
    later = datetime.now(UTC) + timedelta(minutes=5)
    first = record(journal, reply(ANA, "ok", later, "7"), reply(ANA, "ok", later, "7"))
    again = record(journal, reply(ANA, "ok", later, "7"), reply(ANA, "ok", later, "8"))

    assert first["text"].tolist() == ["ok"]
    assert again["text"].tolist() == ["ok"]  # the same words, another reply
    assert len(journal.replies()) == 2


def test_without_an_id_a_reply_is_its_phone_time_and_text(journal: Journal) -> None:
    first = record(journal, reply(ANA, "ok", NOON), reply(ANA, "ok", NOON + timedelta(seconds=1)))
    again = record(journal, reply(ANA, "ok", NOON), reply(BETO, "ok", NOON))

    assert len(first) == 2
    assert again["phone"].tolist() == [BETO]


def test_a_reply_without_a_time_is_taken_to_arrive_at_the_end_of_the_sync(
    journal: Journal,
) -> None:
    sent(journal, ANA)
    end = datetime.now(UTC) + timedelta(hours=1)
    new = record(journal, reply(ANA, "PARE", None, opt_out="PARE"), until=end)
    again = record(journal, reply(ANA, "PARE", None, opt_out="PARE"), until=end + timedelta(1))

    assert new["received_at"].tolist() == [pd.Timestamp(end).tz_convert("America/Sao_Paulo")]
    assert new["campaign"].notna().all()
    assert again.empty
    assert journal.suppressions()[ANA].since == end


def test_a_number_already_suppressed_keeps_its_entry(journal: Journal) -> None:
    journal.suppress([ANA], reason="lista Não Me Ligue", source="import")
    new = record(journal, reply(ANA, "SAIR", NOON, opt_out="SAIR"))

    assert new["opt_out"].tolist() == [True]
    assert journal.suppressions()[ANA].source == "import"


def test_a_reply_to_another_server_answers_none_of_this_ones_campaigns(journal: Journal) -> None:
    sent(journal, ANA, server=SERVER)
    later = datetime.now(UTC) + timedelta(minutes=5)

    new = record(journal, reply(ANA, "ok", later), server=OTHER_SERVER)

    assert new["campaign"].isna().all()


def test_replies_are_read_by_campaign_oldest_first(journal: Journal) -> None:
    bills = sent(journal, ANA, text="Sua fatura")
    promo = sent(journal, BETO, text="Promoção")
    later = datetime.now(UTC) + timedelta(minutes=5)
    record(
        journal,
        reply(BETO, "PARE", later + timedelta(minutes=2), opt_out="PARE"),
        reply(ANA, "paguei", later + timedelta(minutes=1)),
        reply(ANA, "obrigado", later + timedelta(minutes=3)),
    )

    assert journal.replies(bills)["text"].tolist() == ["paguei", "obrigado"]
    assert journal.replies(promo)["opt_out"].tolist() == [True]
    assert journal.replies()["text"].tolist() == ["paguei", "PARE", "obrigado"]
    assert campaign_replies(journal.path, promo)["phone"].tolist() == [BETO]
    assert campaign_replies(None, promo).empty


def test_an_empty_journal_has_a_frame_of_replies_with_its_columns(journal: Journal) -> None:
    empty = journal.replies()

    assert list(empty.columns) == ["phone", "sent_to", "text", "received_at", "campaign", "opt_out"]
    assert str(empty["received_at"].dt.tz) == "America/Sao_Paulo"
    assert journal.synced_until(server=SERVER, account=ACCOUNT) is None


def test_the_sync_point_never_moves_back(journal: Journal) -> None:
    record(journal, until=NOON)
    record(journal, until=NOON - timedelta(hours=1))

    assert journal.synced_until(server=SERVER, account=ACCOUNT.upper()) == NOON
    assert journal.synced_until(server=OTHER_SERVER, account=ACCOUNT) is None
