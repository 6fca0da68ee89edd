"""Money, counts and masked phones as a Brazilian reader expects them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from directcall_nb.display import (
    format_brl,
    format_count,
    html_table,
    mask_numbers,
    mask_phone,
    quoted,
)


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
    assert mask_phone("551134567890") == "55 11 ****-7890"
    assert mask_phone("0014155552671") == "00141****2671"
    assert mask_phone(None) == ""
    assert mask_phone(float("nan")) == ""
    assert mask_numbers("(11) 91234-5678, ou 11 91234 5678") == "(11) 9****-5678, ou 11 9**** 5678"
    assert mask_numbers("R$ 12.345.678,90 em 01/12/2026") == "R$ 12.345.678,90 em 01/12/2026"


def test_masking_can_be_turned_off_and_must_be_a_bool() -> None:
    import directcall_nb
    from directcall_nb.errors import InvalidOption

    directcall_nb.options.mask_phones = False  # type: ignore[attr-defined]
    try:
        assert mask_phone("5511912345678") == "55 11 91234-5678"
        assert mask_numbers("did you mean 5571981829474?") == "did you mean 5571981829474?"
    finally:
        directcall_nb.options.mask_phones = True  # type: ignore[attr-defined]
    assert mask_phone("5511912345678") == "55 11 9****-5678"
    with pytest.raises(InvalidOption, match="mask_phones"):
        directcall_nb.options.mask_phones = "no"  # type: ignore[attr-defined]


def test_tables_escape_their_cells() -> None:
    page = html_table(["a"], [["<script>"]])
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_huge_amounts_are_written_whole_and_never_raise() -> None:
    import pandas as pd

    assert format_brl(Decimal("1e30")) == "R$ 1" + ".000" * 10 + ",00"
    frame = pd.DataFrame({"tel": ["5511912345678"] * 3})
    est = frame.directcall.estimate("Oi", phone="tel", price_per_segment="1e30", dedupe=False)
    assert "R$ 3.000" in repr(est)
    assert "R$ 3.000" in est._repr_html_()


def test_a_quoted_value_is_its_repr_cut_to_forty_characters() -> None:
    assert quoted("abc") == "'abc'"
    assert quoted(Decimal("1.5")) == "Decimal('1.5')"
    assert quoted("x" * 50) == "'" + "x" * 36 + "..."
    assert len(quoted("x" * 50)) == 40
    # Python refuses the repr of a whole number of thousands of digits: its first ones show.
    assert quoted(10**5000) == "1" + "0" * 36 + "..."
    assert quoted(-(10**5000)) == "-1" + "0" * 35 + "..."
