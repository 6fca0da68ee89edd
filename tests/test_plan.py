"""The request plan: one request per distinct text, destino up to 10, chunked destino_csv."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from directcall_nb.errors import CostLimitExceeded, InvalidOption, InvalidSender
from directcall_nb.estimation import Estimate
from directcall_nb.plan import build_plan

SENDER = "551130600300"


def _frame(n: int, names: list[str] | None = None) -> pd.DataFrame:
    phones = [f"55119{10_000_000 + i:08d}" for i in range(n)]
    return pd.DataFrame({"tel": phones, "nome": names or ["Ana"] * n})


def test_one_text_to_few_goes_in_destino() -> None:
    est = _frame(10).directcall.estimate("Oi", phone="tel", sender=SENDER)
    plan = build_plan(est)
    assert len(plan) == 1
    assert plan.requests[0].field == "destino"
    assert len(plan.requests[0].phones) == 10


def test_eleven_go_in_a_file_and_large_groups_are_chunked() -> None:
    est = _frame(11).directcall.estimate("Oi", phone="tel", sender=SENDER)
    assert build_plan(est).requests[0].field == "destino_csv"
    big = _frame(12_001).directcall.estimate("Oi", phone="tel", sender=SENDER, chunk_size=5_000)
    plan = build_plan(big)
    assert [len(r.phones) for r in plan] == [5_000, 5_000, 2_001]
    assert plan.recipients == 12_001
    assert len({p for r in plan for p in r.phones}) == 12_001


def test_personalised_texts_make_one_request_each_and_rows_map_back() -> None:
    frame = _frame(5, ["Ana", "Bia", "Ana", "Caio", "Bia"])
    est = frame.directcall.estimate("Oi {nome}", phone="tel", sender=SENDER)
    plan = build_plan(est)
    assert sorted(r.text for r in plan) == ["Oi Ana", "Oi Bia", "Oi Caio"]
    for request in plan:
        for position, phone in zip(request.positions, request.phones, strict=True):
            assert frame["tel"].iloc[position] == phone
            assert request.text == "Oi " + frame["nome"].iloc[position]


def test_invalid_and_duplicate_rows_are_not_planned() -> None:
    frame = pd.DataFrame({"tel": ["5511912345678", "5511912345678", "abc"]})
    plan = build_plan(frame.directcall.estimate("Oi", phone="tel", sender=SENDER))
    assert plan.recipients == 1


def test_cost_and_max_cost() -> None:
    est = _frame(30).directcall.estimate(
        "x" * 150, phone="tel", sender=SENDER, price_per_segment="0.10"
    )
    plan = build_plan(est)
    assert plan.segments == 60
    assert plan.cost == Decimal("6.00")

    def limited(limit: str) -> Estimate:
        est: Estimate = _frame(30).directcall.estimate(
            "x" * 150, phone="tel", sender=SENDER, price_per_segment="0.10", max_cost=limit
        )
        return est

    assert build_plan(limited("6")).cost == Decimal("6.00")
    with pytest.raises(CostLimitExceeded, match="R\\$ 6,00"):
        build_plan(limited("5.99"))
    with pytest.raises(InvalidOption, match="max_cost=10 needs the price") as error:
        _frame(3).directcall.estimate("Oi", phone="tel", sender=SENDER, max_cost=10)
    assert error.value.option == "max_cost"


def test_a_send_needs_a_sender() -> None:
    est = _frame(3).directcall.estimate("Oi", phone="tel")
    with pytest.raises(InvalidSender, match="sender"):
        build_plan(est)


def test_plan_table() -> None:
    est = _frame(12).directcall.estimate("Oi", phone="tel", sender=SENDER, price_per_segment="1")
    table = build_plan(est).to_frame()
    assert table.to_dict("records") == [
        {
            "field": "destino_csv",
            "recipients": 12,
            "segments": 12,
            "cost": Decimal("12"),
            "text": "Oi",
        }
    ]


def test_without_dedupe_every_row_is_its_own_message_whatever_the_chunking() -> None:
    phones = ["5511912345678", "5521987654321"] * 6 + ["5511912345678"]
    frame = pd.DataFrame({"tel": phones})
    est = frame.directcall.estimate("Oi", phone="tel", sender=SENDER, dedupe=False, chunk_size=5)
    plan = build_plan(est)
    assert [len(r.phones) for r in plan] == [5, 5, 3]
    keys = [key for request in plan for key in request.keys]
    assert len(keys) == len(set(keys)) == 13
    assert keys[:4] == ["5511912345678", "5521987654321", "5511912345678#2", "5521987654321#2"]
    assert keys[-1] == "5511912345678#7"
    deduped = build_plan(frame.directcall.estimate("Oi", phone="tel", sender=SENDER))
    assert [r.keys for r in deduped] == [("5511912345678", "5521987654321")]
