"""The delivery statuses the journal keeps, and what the audit makes of them."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from directcall_nb.errors import InputError
from directcall_nb.journal import Delivery, Journal

ANA, BRUNO, CARLA = "5511912345678", "5521987654321", "5531998760004"
CAMPAIGN = {
    "server": "https://api.directcallsoft.com", "account": "analista@example.com.br",
    "sender": "5511930000000", "channel": "sms", "schedule": None, "template": "Oi",
    "price_per_segment": Decimal("0.08"), "rows": 3,
}  # fmt: skip


def sent_request(journal: Journal, recipients: list[str], text: str = "Oi") -> tuple[int, int]:
    campaign = journal.start_campaign(**CAMPAIGN)  # type: ignore[arg-type]
    claim = journal.claim(campaign, text=text, recipients=recipients, segments_each=2)
    assert claim.request_id is not None
    journal.mark_sent(claim.request_id, callerid=str(100 + campaign), codigo="000", msg="ok")
    return campaign, claim.request_id


def test_a_later_read_replaces_an_earlier_one(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        campaign, request = sent_request(journal, [ANA, BRUNO])
        journal.record_deliveries([Delivery(request, ANA, "pending", "aguardando")])
        journal.record_deliveries(
            [Delivery(request, ANA, "delivered", "entregue"), Delivery(request, BRUNO, "failed")]
        )
        found = journal.deliveries(campaign)
    assert found["recipient"].tolist() == [ANA, BRUNO]
    assert found["status"].tolist() == ["delivered", "failed"]
    assert found["detail"].iloc[0] == "entregue"
    assert found["detail"].isna().iloc[1]
    assert found["checked"].dt.tz is not None


def test_a_status_outside_the_vocabulary_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        _, request = sent_request(journal, [ANA, BRUNO])
        with pytest.raises(InputError, match="delivered, pending, failed, cancelled, unknown"):
            journal.record_deliveries(
                [Delivery(request, ANA, "delivered"), Delivery(request, BRUNO, "entregue")]
            )
        assert journal.deliveries().empty


def test_campaigns_give_rates_over_what_was_sent_cost_and_brazil_times(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        _, request = sent_request(journal, [ANA, BRUNO, CARLA])
        journal.record_deliveries(
            [Delivery(request, ANA, "delivered"), Delivery(request, BRUNO, "delivered"),
             Delivery(request, CARLA, "unknown", "no short number")]
        )  # fmt: skip
        journal.start_campaign(**CAMPAIGN)  # type: ignore[arg-type]  # nothing sent yet
        campaigns = journal.campaigns()
    first, empty = campaigns.iloc[0], campaigns.iloc[1]
    assert (first["sent"], first["delivered"], first["replied"], first["opted_out"]) == (3, 2, 0, 0)
    assert first["delivery_rate"] == pytest.approx(2 / 3)
    assert first["reply_rate"] == 0.0
    assert first["cost"] == Decimal("0.48")
    assert isinstance(first["cost"], Decimal)
    assert str(first["created_brazil"].tz) == "America/Sao_Paulo"
    assert first["created"] - first["created_brazil"] == timedelta(0)
    assert first["created_brazil"].utcoffset() == timedelta(hours=-3)
    assert math.isnan(empty["delivery_rate"])
    assert empty["cost"] == Decimal("0")
