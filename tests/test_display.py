"""Money, counts and masked phones as a Brazilian reader expects them."""

from __future__ import annotations

from decimal import Decimal

from directcall_nb.display import format_brl, format_count, html_table, mask_phone


def test_money_in_reais() -> None:
    assert format_brl(Decimal("1234.56")) == "R$ 1.234,56"
    assert format_brl(Decimal("0.005")) == "R$ 0,01"
    assert format_brl(Decimal("1234567")) == "R$ 1.234.567,00"
    assert format_brl(Decimal("-2.5")) == "-R$ 2,50"
    assert format_brl(None) == "—"


def test_counts_use_dots() -> None:
    assert format_count(1_234_567) == "1.234.567"
    assert format_count(12) == "12"


def test_masked_phones_hide_the_middle() -> None:
    assert mask_phone("5511912345678") == "55 11 9****-5678"
    assert mask_phone("551134567890") == "55 11 3***-7890"
    assert mask_phone("0014155552671") == "0014*****2671"
    assert mask_phone(None) == ""


def test_tables_escape_their_cells() -> None:
    page = html_table(["a"], [["<script>"]])
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_huge_amounts_are_written_whole_and_never_raise() -> None:
    import pandas as pd

    assert format_brl(Decimal("1e30")) == "R$ 1" + ".000" * 10 + ",00"
    frame = pd.DataFrame({"tel": ["5511912345678"] * 3})
    est = frame.directcall.estimate("Oi", phone="tel", price_per_segment="1e30", dedupe=False)
    assert "R$ 3.000" in repr(est) and "R$ 3.000" in est._repr_html_()
