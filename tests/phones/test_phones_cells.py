"""normalize_phones: one rule for every kind of cell (text, bytes, ints, floats, Decimals, ...).

A column gives each cell the answer that cell gets alone, read value by value by the rule
(:func:`directcall_nb.phones._library.answer_value`), whatever else the column holds.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directcall_nb.phones import PhoneResult, normalize_phone, normalize_phones
from directcall_nb.phones._library import answer_value

MOBILE = PhoneResult("5511912345678", True, "mobile", None)


def results(frame: pd.DataFrame) -> list[PhoneResult]:
    def text(value: object) -> str | None:
        return None if pd.isna(value) else str(value)  # type: ignore[call-overload]

    return [
        PhoneResult(text(p), bool(v), text(t), text(r))
        for p, v, t, r in zip(
            frame["phone"], frame["valid"], frame["line_type"], frame["reason"], strict=True
        )
    ]


# -- Decimal: like the int or float it equals ------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        Decimal("5511912345678"),
        Decimal("5511912345678.0"),  # as the float from Excel
        Decimal("5511912345678.000"),
        Decimal("11912345678"),
        Decimal("5.511912345678E+12"),
    ],
)
def test_a_whole_decimal_is_its_digits(value: Decimal) -> None:
    assert normalize_phone(value) == MOBILE
    assert results(normalize_phones([value, "x"]))[0] == MOBILE


def test_a_decimal_reads_like_the_int_and_the_float_it_equals() -> None:
    for number in [5511912345678, 1123456789, 8001234567, 190, 0, -5, 123]:
        by_int = normalize_phone(number)
        assert normalize_phone(Decimal(number)) == by_int
        assert normalize_phone(Decimal(f"{number}.0")) == normalize_phone(float(number)) == by_int


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (Decimal("5511912345678.5"), "not a phone number: Decimal('5511912345678.5')"),
        (Decimal("0.5"), "not a phone number: Decimal('0.5')"),
        (Decimal("Infinity"), "not a phone number: Decimal('Infinity')"),
        (Decimal("-Infinity"), "not a phone number: Decimal('-Infinity')"),
        (Decimal("NaN"), "empty"),
        (Decimal("sNaN"), "empty"),
    ],
)
def test_a_decimal_that_is_not_whole_is_not_a_phone_number(value: Decimal, reason: str) -> None:
    expected = PhoneResult(None, False, None, reason)
    assert normalize_phone(value) == expected
    # the same among other Decimals, and among other kinds of value
    assert results(normalize_phones([Decimal("5511912345678"), value]))[1] == expected
    assert results(normalize_phones(["(11) 91234-5678", value, 1.0]))[1] == expected


def test_a_decimal_fraction_is_refused_like_a_float_fraction() -> None:
    assert normalize_phone(1.5).reason == "not a phone number: 1.5"
    assert normalize_phone(Decimal("1.5")).reason == "not a phone number: Decimal('1.5')"


def test_an_arrow_decimal_column_is_read_by_the_same_rule() -> None:
    column = pd.Series(
        [Decimal("5511912345678"), Decimal("1.5"), None],
        dtype=pd.ArrowDtype(pa.decimal128(20, 2)),
    )
    got = results(normalize_phones(column))
    assert got[0] == MOBILE
    assert got[1].reason == "not a phone number: Decimal('1.50')"  # as the column holds it
    assert got[2].reason == "empty"


def test_very_long_whole_numbers_are_too_long_not_a_crash() -> None:
    for value in [10**5000, Decimal("1E+100000"), -(10**400)]:
        result = normalize_phone(value)
        assert not result.valid
        assert result.reason is not None
        assert result.reason.startswith("too long to be a phone number: '")
        assert result.reason == answer_value(value).reason


# -- bytes: UTF-8 text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [b"(11) 91234-5678", bytearray(b"11 91234-5678"), np.bytes_(b"5511912345678")]
)
def test_bytes_are_utf8_text(value: object) -> None:
    assert normalize_phone(value) == MOBILE
    assert results(normalize_phones([value, 1.0, "x"]))[0] == MOBILE


def test_bytes_that_are_not_utf8_are_refused_with_a_reason() -> None:
    expected = PhoneResult(None, False, None, "not a phone number: b'\\xff11912345678'")
    assert normalize_phone(b"\xff11912345678") == expected
    assert results(normalize_phones([b"(11) 91234-5678", b"\xff11912345678"])) == [
        MOBILE,
        expected,
    ]


def test_an_arrow_binary_column_is_read_as_utf8_text() -> None:
    column = pd.Series([b"(11) 91234-5678", None], dtype=pd.ArrowDtype(pa.binary()))
    assert results(normalize_phones(column)) == [MOBILE, PhoneResult(None, False, None, "empty")]


# -- everything else -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (True, "not a phone number: True"),
        (np.True_, "not a phone number: np.True_"),
        (pd.Timestamp("2024-01-01"), "not a phone number: Timestamp('2024-01-01 00:00:00')"),
        ([11912345678], "not a phone number: [11912345678]"),
        (np.datetime64("NaT"), "empty"),
        (np.float32("nan"), "empty"),
        (None, "empty"),
        (pd.NA, "empty"),
    ],
)
def test_other_cells_are_refused_or_empty(value: object, reason: str) -> None:
    expected = PhoneResult(None, False, None, reason)
    assert normalize_phone(value) == expected
    assert results(normalize_phones(["(11) 91234-5678", value]))[1] == expected


def test_the_rule_is_in_the_docstring() -> None:
    doc = normalize_phones.__doc__ or ""
    for words in ["Decimal", "bytes", "UTF-8", "fraction", "5511912345678.0"]:
        assert words in doc


# -- a column answers each cell as the cell alone --------------------------------------------------

numbers = st.sampled_from(
    [5511912345678, 11912345678, 1123456789, 8001234567, 40041234, 190, 0, -11912345678, 12]
)
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["(11) 91234-5678", "0800 123 4567", "+1 650 253 0000", "n/a", ""]),
    numbers,
    numbers.map(float),
    numbers.map(np.int64),
    numbers.map(np.float64),
    numbers.map(Decimal),
    numbers.map(lambda n: Decimal(n).quantize(Decimal("0.0"))),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**14, min_value=-1),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("5511912345678.5")]),
    st.binary(max_size=15),
    st.sampled_from([b"(11) 91234-5678", b"0800 123 4567", b"\xff\xfe"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.booleans(),
    st.none(),
    st.just(pd.NA),
    st.just(pd.NaT),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(cells, max_size=25), st.booleans())
def test_a_column_answers_each_cell_as_the_cell_alone(
    values: list[object], allow_international: bool
) -> None:
    got = results(normalize_phones(values, allow_international=allow_international))
    assert got == [answer_value(value, allow_international) for value in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(cells, min_size=1, max_size=25), st.integers(0, 3))
def test_a_column_of_one_kind_answers_each_cell_as_the_cell_alone(
    values: list[object], pick: int
) -> None:
    kind = type(values[min(pick, len(values) - 1)])
    same = [value for value in values if type(value) is kind]
    assert results(normalize_phones(same)) == [answer_value(value) for value in same]
