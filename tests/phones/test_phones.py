"""normalize_phones / normalize_phone: what analysts see, and agreement with libphonenumber.

The reference for agreement is ``phonenumbers`` itself, called value by value
(:func:`helpers.library_answer`), with the two readings the module documents as deliberate:
Excel floats (``5511912345678.0``) and ``0055`` read as ``+55``. Reasons are checked against the
per-row oracle, :func:`directcall_nb.phones._library.answer_value`: the library asked about one
value.
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
from collections.abc import Sequence

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pytest
from helpers import Answer, library_answer
from hypothesis import given, settings
from hypothesis import strategies as st

from directcall_nb.phones import PhoneResult, normalize_phone, normalize_phones
from directcall_nb.phones._automaton import compile_patterns
from directcall_nb.phones._library import answer_value

# -- checks against the reference ---------------------------------------------------------------


def answers(frame: pd.DataFrame) -> list[Answer]:
    return [
        (None if pd.isna(p) else str(p), bool(v), None if pd.isna(t) else str(t))
        for p, v, t in zip(frame["phone"], frame["valid"], frame["line_type"], strict=True)
    ]


def assert_agrees(values: Sequence[object], allow_international: bool = False) -> pd.DataFrame:
    frame = normalize_phones(values, allow_international=allow_international)
    got = answers(frame)
    reasons = [None if pd.isna(r) else str(r) for r in frame["reason"]]
    for value, answer, reason in zip(values, got, reasons, strict=True):
        assert answer == library_answer(value, allow_international), repr(value)
        oracle = answer_value(value, allow_international)
        assert (*answer, reason) == (oracle.phone, oracle.valid, oracle.line_type, oracle.reason)
    # a reason exactly where the number is not valid
    assert (frame["reason"].isna() == frame["valid"]).all()
    assert frame.loc[~frame["valid"], "reason"].str.len().gt(0).all()
    return frame


def assert_documented_shape(frame: pd.DataFrame, length: int) -> None:
    assert list(frame.columns) == ["phone", "valid", "line_type", "reason"]
    assert len(frame) == length
    assert frame["phone"].dtype == "string"
    assert frame["valid"].dtype == np.dtype(bool)
    assert frame["line_type"].dtype == "string"
    assert frame["reason"].dtype == "string"


# -- what each kind of input gives -----------------------------------------------------------------

MOBILE = ("5511912345678", True, "mobile")


@pytest.mark.parametrize(
    "value",
    [
        "(11) 91234-5678",
        "+55 11 91234-5678",
        "5511912345678",
        "011 91234-5678",
        "0 15 11 91234-5678",
        "0 21 (11) 91234-5678",
        "0055 11 91234-5678",
        "005511912345678",
        "+55 (11) 9 1234.5678",
        " 11.91234.5678 ",
        "tel: (11) 91234-5678",
        "11912345678",
        11912345678,
        5511912345678,
        5511912345678.0,
        np.float64(5511912345678.0),
        "5511912345678.0",
        "11912345678.00",
        b"(11) 91234-5678",
    ],
)
def test_the_usual_spellings_of_a_mobile_number_all_give_it(value: object) -> None:
    assert answers(normalize_phones([value])) == [MOBILE]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("(11) 2345-6789", ("551123456789", True, "fixed_line")),
        ("0800 123 4567", ("558001234567", True, "toll_free")),
        ("4004-1234", ("5540041234", True, "shared_cost")),
        ("0900 123 4567", ("559001234567", True, "premium_rate")),
        ("+55 11 91234-5678 ext. 12", MOBILE),
    ],
)
def test_other_brazilian_numbers(value: str, expected: Answer) -> None:
    assert answers(normalize_phones([value])) == [expected]
    assert library_answer(value) == expected


@pytest.mark.parametrize("value", ["", "   ", None, float("nan"), pd.NA, np.nan, pd.NaT])
def test_blanks_and_missing_values_are_empty(value: object) -> None:
    frame = normalize_phones([value])
    assert answers(frame) == [(None, False, None)]
    assert frame["reason"].iloc[0] == "empty"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("abc", ["not a phone number", "'abc'"]),
        ("23 91234-5678", ["DDD 23 does not exist"]),
        ("(11) 8123-4567", ["8-digit mobile", "leading 9 is missing", "5511981234567"]),
        ("91234-5678", ["too short for a Brazilian number", "9 digits", "DDD"]),
        ("(11) 1234-5678", ["12345678", "not a valid number in DDD 11"]),
        ("+55 1", ["too short", "1 digit)"]),
        ("0 123 4567", ["too short", "(8 digits)"]),  # the trunk 0 stays: 7 digits are too few
        ("(11) 91234-56789", ["too long for a Brazilian number", "12 digits"]),
        ("+999 1234 5678", ["unknown country code", "+999 1234 5678"]),
        (True, ["not a phone number", "True"]),
        (1.5, ["not a phone number", "1.5"]),
        (float("inf"), ["not a phone number", "inf"]),
        (b"\xff11912345678", ["not a phone number"]),
        (object(), ["not a phone number", "object"]),
    ],
)
def test_invalid_numbers_say_why(value: object, words: list[str]) -> None:
    frame = normalize_phones([value])
    assert answers(frame) == [(None, False, None)]
    reason = frame["reason"].iloc[0]
    for word in words:
        assert word in reason


def test_a_valid_foreign_number_is_refused_unless_asked_for() -> None:
    refused = normalize_phones(["+1 650 253 0000"])
    assert answers(refused) == [(None, False, "fixed_line_or_mobile")]
    assert "foreign number (US" in refused["reason"].iloc[0]
    assert "pass allow_international=True" in refused["reason"].iloc[0]

    allowed = normalize_phones(["+1 650 253 0000"], allow_international=True)
    assert answers(allowed) == [("0016502530000", True, "fixed_line_or_mobile")]
    assert allowed["reason"].isna().all()


def test_international_format_keeps_the_leading_zero_of_italian_numbers() -> None:
    frame = normalize_phones(["+39 06 1234 5678"], allow_international=True)
    assert answers(frame) == [("00390612345678", True, "fixed_line")]


def test_0055_and_plus_55_are_brazilian_with_or_without_allow_international() -> None:
    values = ["0055 11 91234-5678", "+55 11 91234-5678", "00 55 (11) 91234-5678"]
    for allow in (False, True):
        assert answers(normalize_phones(values, allow_international=allow)) == [MOBILE] * 3


def test_the_two_deliberate_readings_differ_from_a_bare_parse() -> None:
    # libphonenumber reads 00 55 as Brazil's international prefix through carrier 55 ...
    assert phonenumbers.parse("0055 11 91234-5678", "BR").country_code == 1
    # ... and keeps the 0 of an Excel float as a digit.
    assert not phonenumbers.is_valid_number(phonenumbers.parse("5511912345678.0", "BR"))
    assert answers(normalize_phones(["0055 11 91234-5678", "5511912345678.0"])) == [MOBILE] * 2


# -- shapes of input and output --------------------------------------------------------------------


def test_a_series_keeps_its_index_even_with_repeated_labels() -> None:
    series = pd.Series(
        ["(11) 91234-5678", "abc", None, "(21) 2345-6789"], index=["x", "y", "x", "z"]
    )
    frame = normalize_phones(series)
    assert list(frame.index) == ["x", "y", "x", "z"]
    assert frame["phone"].tolist() == ["5511912345678", pd.NA, pd.NA, "552123456789"]
    assert frame["valid"].tolist() == [True, False, False, True]
    assert_documented_shape(frame, 4)


def test_a_list_gets_a_range_index() -> None:
    frame = normalize_phones(["(11) 91234-5678", "(11) 91234-5678"])
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame["phone"].tolist() == ["5511912345678"] * 2


def test_empty_input_gives_an_empty_frame_with_the_documented_columns() -> None:
    empties: list[object] = [[], pd.Series([], dtype=object), pd.Series([], dtype="string")]
    for empty in empties:
        assert_documented_shape(normalize_phones(empty), 0)  # type: ignore[arg-type]


def test_a_column_with_nothing_in_it() -> None:
    frame = normalize_phones(pd.Series([None, np.nan, "", pd.NA], index=[5, 6, 7, 8]))
    assert_documented_shape(frame, 4)
    assert list(frame.index) == [5, 6, 7, 8]
    assert not frame["valid"].any()
    assert frame["reason"].tolist() == ["empty"] * 4


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["(11) 91234-5678", None, "x"], dtype="string"),
        pd.Series(["(11) 91234-5678", None, "x"], dtype="str"),
        pd.Series(["(11) 91234-5678", None, "x"], dtype="category"),
        pd.Series([11912345678, None, -1], dtype="Int64"),
        pd.Series([5511912345678.0, np.nan, 0.5]),
        np.array(["(11) 91234-5678", None, "x"], dtype=object),
        pd.Index(["(11) 91234-5678", "", "x"]),
        ("(11) 91234-5678", "", "x"),
        (v for v in ["(11) 91234-5678", "", "x"]),
    ],
    ids=["string", "str", "category", "Int64", "float", "ndarray", "Index", "tuple", "generator"],
)
def test_every_kind_of_column_is_read(column: object) -> None:
    frame = normalize_phones(column)  # type: ignore[arg-type]
    assert_documented_shape(frame, 3)
    assert answers(frame)[0] == MOBILE
    assert frame["valid"].tolist() == [True, False, False]


def test_a_column_of_integers_is_read_as_digits() -> None:
    frame = normalize_phones(pd.Series([11912345678, 5511912345678, 1123456789]))
    assert frame["phone"].tolist() == ["5511912345678", "5511912345678", "551123456789"]


def test_bytes_are_read_as_text_alone_or_among_floats() -> None:
    assert answers(normalize_phones([b"(11) 91234-5678"])) == [MOBILE]
    assert answers(normalize_phones([b"(11) 91234-5678", 1.0]))[0] == MOBILE


def test_booleans_are_not_phone_numbers() -> None:
    frame = normalize_phones(pd.Series([True, False]))
    assert not frame["valid"].any()
    assert frame["reason"].tolist() == ["not a phone number: True", "not a phone number: False"]
    nullable = normalize_phones(pd.Series([True, None], dtype="boolean"))
    assert nullable["reason"].tolist() == ["not a phone number: True", "empty"]


def test_unsigned_integers_keep_their_value() -> None:
    frame = normalize_phones(pd.Series([2**64 - 1, 11912345678], dtype="uint64"))
    assert frame["phone"].tolist() == [pd.NA, "5511912345678"]
    assert "18446744073709551615" in frame["reason"].iloc[0]


@pytest.mark.parametrize("value", [pd.DataFrame({"phone": ["1"]}), "(11) 91234-5678", 11912345678])
def test_one_value_or_a_frame_is_refused_with_a_hint(value: object) -> None:
    with pytest.raises(TypeError, match="normalize_phone"):
        normalize_phones(value)  # type: ignore[arg-type]


def test_normalize_phone_reads_one_number_as_a_row_would_be_read() -> None:
    result = normalize_phone("(11) 91234-5678")
    assert result == PhoneResult("5511912345678", True, "mobile", None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.phone = "x"  # type: ignore[misc]
    assert normalize_phone("(11) 8123-4567").reason is not None
    assert normalize_phone(None) == PhoneResult(None, False, None, "empty")
    assert normalize_phone("+1 650 253 0000", allow_international=True).phone == "0016502530000"


def test_a_number_gets_the_same_answer_alone_and_in_a_crowd() -> None:
    values = ["(11) 8123-4567", "+1 650 253 0000", "011 91234-5678", "abc", "4004-1234"]
    crowd = normalize_phones(values * 50)
    for i, value in enumerate(values):
        alone = normalize_phone(value)
        row = crowd.iloc[i]
        reason = None if pd.isna(row["reason"]) else row["reason"]
        assert (alone.valid, alone.reason) == (bool(row["valid"]), reason)


# -- properties ------------------------------------------------------------------------------------

anything = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 +-().x#;/\t٣０", max_size=25),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.just(pd.NA),
    st.booleans(),
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(anything, max_size=30), st.booleans())
def test_never_raises_and_always_has_the_documented_shape(
    values: list[object], allow_international: bool
) -> None:
    frame = normalize_phones(values, allow_international=allow_international)
    assert_documented_shape(frame, len(values))
    assert (frame["phone"].isna() == ~frame["valid"]).all()
    assert (frame["reason"].isna() == frame["valid"]).all()


PREFIXES = [
    "", "", "", "+55", "+55 ", "55", "0055", "00 55 ", "0", "0 ", "015", "0 15 ", "0 21 ",
    "0 99 ", "0 41", "0 12 ", "0 55 ", "90", "00", "0014 55 ", "0021 ", "+", "+55 0", "550",
    "5555", "+1 ", "+351 ", "+54 9 ",
]  # fmt: skip
PUNCTUATION = [" ", "-", ".", "(", ")", "/", "  "]


@st.composite
def brazilian_looking(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(PREFIXES))
    area = draw(st.text("0123456789", min_size=1, max_size=3))
    if draw(st.booleans()):
        area = f"({area})"
    first = draw(st.sampled_from(["9", "8", "7", "6", "2", "3", "4", "5", "1", "0", ""]))
    rest = draw(st.text("0123456789", min_size=5, max_size=10))
    pieces = list(prefix + area + first + rest)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(pieces)))
        pieces.insert(at, draw(st.sampled_from(PUNCTUATION)))
    return "".join(pieces)


@settings(max_examples=600, deadline=None)
@given(st.lists(brazilian_looking(), min_size=1, max_size=40), st.booleans())
def test_brazilian_looking_numbers_agree_with_libphonenumber(
    values: list[str], allow_international: bool
) -> None:
    assert_agrees(list(values), allow_international)


# Special values analysts' columns hold: Brazilian numbers that are no fixed line or mobile,
# numbers of other countries (one region, several regions sharing a code, a non-geographic
# code, national prefixes with a transform rule, unknown codes), words.
SPECIAL_STARTS = [
    "0800", "0800 ", "0300", "0303", "0500", "0900", "4004", "4004-", "4003", "4020", "3003",
    "300", "800", "19", "0 12 0800", "0 21 4004",
]  # fmt: skip
CALLING_CODES = [
    "1", "1 ", "351", "351 ", "44", "39", "54 9", "54", "49", "33", "7", "86", "81", "800",
    "808", "870", "882", "999", "0", "290", "262", "590", "599", "47", "61", "212", "52 1",
]  # fmt: skip
WORDS = ["n/a", "N/A", "sem telefone", "-", "não tem", "0", "xxx", "190", "192", "911", "112"]


@st.composite
def special_values(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:  # Brazilian non-geographic, toll free, premium, emergency
        start = draw(st.sampled_from(SPECIAL_STARTS))
        text = start + draw(st.text("0123456789", min_size=0, max_size=8))
    elif kind == 1:  # another country, after + or Brazil's IDD (00 + carrier)
        prefix = draw(st.sampled_from(["+", "+", "+ ", "0021 ", "0014", "00 ", "+0"]))
        code = draw(st.sampled_from(CALLING_CODES))
        text = prefix + code + draw(st.text("0123456789", min_size=1, max_size=13))
    elif kind == 2:
        return draw(st.sampled_from(WORDS))
    else:  # wrong lengths
        text = draw(st.text("0123456789", min_size=1, max_size=18))
    pieces = list(text)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(pieces)))
        pieces.insert(at, draw(st.sampled_from(PUNCTUATION)))
    return "".join(pieces)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.one_of(special_values(), brazilian_looking()), min_size=1, max_size=40),
    st.booleans(),
)
def test_special_values_agree_with_libphonenumber(
    values: list[str], allow_international: bool
) -> None:
    assert_agrees(list(values), allow_international)


@pytest.mark.parametrize(
    ("value", "expected", "reason"),
    [
        ("0800 123 4567", ("558001234567", True, "toll_free"), None),
        ("0300 123 4567", ("553001234567", True, "shared_cost"), None),
        ("3003-1234", ("5530031234", True, "shared_cost"), None),
        ("190", (None, False, None), "too short for a Brazilian number (3 digits)"),
        ("+1 (650) 253-0000", (None, False, "fixed_line_or_mobile"), "foreign number (US, +1)"),
        ("+1 268 464 1234", (None, False, "mobile"), "foreign number (AG, +1)"),
        ("+1 999 253 0000", (None, False, None), "not a valid number for country code +1"),
        ("+351 912 345 678", (None, False, "mobile"), "foreign number (PT, +351)"),
        ("+351 812 345 678", (None, False, None), "not a valid number for PT, +351"),
        ("+44 7400 123456", (None, False, "mobile"), "foreign number (GB, +44)"),
        ("+800 1234 5678", (None, False, "toll_free"), "foreign number (country code +800)"),
        ("sem telefone", (None, False, None), "not a phone number: 'sem telefone'"),
    ],
)
def test_special_values_say_what_they_are(value: str, expected: Answer, reason: str | None) -> None:
    frame = assert_agrees([value])
    assert answers(frame) == [expected]
    got = frame["reason"].iloc[0]
    assert (reason is None and pd.isna(got)) or (reason is not None and reason in got)


def test_foreign_numbers_are_answered_in_every_shape_of_column() -> None:
    values = ["+1 650 253 0000", "+351 912 345 678", "0021 1 650 253 0000", "+54 9 11 2345 6789"]
    for allow in (False, True):
        frame = assert_agrees(values * 3, allow_international=allow)
        assert frame["valid"].all() == allow
        assert frame["line_type"].notna().all()
    allowed = normalize_phones(values, allow_international=True)
    assert allowed["phone"].tolist() == [
        "0016502530000", "00351912345678", "0016502530000", "005491123456789"
    ]  # fmt: skip


def test_a_value_repeated_all_over_a_long_column_gets_one_answer() -> None:
    words = ["sem telefone", "n/a", "+999 1234", "0xx11 91234-5678"]
    values = pd.Series(words * 40_000)  # several pieces, answered in threads
    frame = normalize_phones(values)
    for i, word in enumerate(words):
        expected = answer_value(word)
        rows = frame.iloc[i :: len(words)]
        assert rows["reason"].eq(expected.reason).all() if expected.reason else True
        assert (
            rows["phone"].isna() if expected.phone is None else rows["phone"].eq(expected.phone)
        ).all()


# -- a large column --------------------------------------------------------------------------------


def messy_column(rows: int, seed: int) -> list[object]:
    """Numbers as spreadsheets have them: many formats, some broken, some not numbers at all."""
    rng = np.random.default_rng(seed)
    digits = np.array(list("0123456789"))
    values: list[object] = []
    for _ in range(rows):
        area = "".join(rng.choice(digits, 2))
        kind = rng.integers(0, 4)
        if kind == 0:
            body = "9" + "".join(rng.choice(digits, 8))
        elif kind == 1:
            body = str(rng.integers(2, 6)) + "".join(rng.choice(digits, 7))
        else:
            body = "".join(rng.choice(digits, rng.integers(4, 12)))
        text = str(rng.choice(PREFIXES)) + area + body
        pieces = list(text)
        for _ in range(rng.integers(0, 4)):
            pieces.insert(int(rng.integers(0, len(pieces) + 1)), str(rng.choice(PUNCTUATION)))
        text = "".join(pieces)
        roll = rng.random()
        if roll < 0.04:
            only = "".join(ch for ch in text if ch.isdigit())[:15]
            values.append(float(only) if only and roll < 0.02 else f"{only}.0")
        elif roll < 0.06:
            values.append(str(rng.choice(["tel: ", "Cel ", "abc ", "٣", "x"])) + text)
        elif roll < 0.08:
            values.append(text + str(rng.choice([" ramal 2", " x12", " ext. 4", "#", "\n", "a"])))
        elif roll < 0.09:
            values.append([None, "", np.nan, "  ", True, 12, 2.5, pd.NA][int(rng.integers(0, 8))])
        elif roll < 0.15:  # special values, about 6%
            start = str(rng.choice([*SPECIAL_STARTS, *(f"+{c}" for c in CALLING_CODES), *WORDS]))
            values.append(start + "".join(rng.choice(digits, rng.integers(0, 10))))
        else:
            values.append(text)
    return values


@pytest.mark.parametrize("allow_international", [False, True])
def test_twenty_thousand_messy_numbers_agree_with_libphonenumber(
    allow_international: bool,
) -> None:
    values = messy_column(20_000, seed=7)
    frame = assert_agrees(values, allow_international)
    # the column is varied enough to mean something
    assert 0.2 < frame["valid"].mean() < 0.8
    assert frame["line_type"].nunique() >= 4


@pytest.mark.parametrize("allow_international", [False, True])
def test_a_column_of_many_pieces_keeps_each_answer_in_its_row(allow_international: bool) -> None:
    distinct = messy_column(4_000, seed=11)
    rows = len(distinct) * 40  # more rows than normalize_phones answers in one piece
    values = pd.Series(distinct * 40, index=np.arange(rows)[::-1] * 3)
    frame = normalize_phones(values, allow_international=allow_international)
    assert frame.index.equals(values.index)
    expected = [answer_value(value, allow_international) for value in distinct] * 40
    reasons = [None if pd.isna(r) else r for r in frame["reason"]]
    got = [(*answer, reason) for answer, reason in zip(answers(frame), reasons, strict=True)]
    assert got == [(a.phone, a.valid, a.line_type, a.reason) for a in expected]
    assert (frame["reason"].isna() == frame["valid"]).all()
    # numbers of other countries in every piece, answered by their rules (not one by one)
    foreign = frame["phone"].str.startswith("00", na=False) | frame["reason"].str.contains(
        "+", regex=False, na=False
    )
    assert foreign.iloc[: rows // 2].sum() > 100
    assert foreign.iloc[rows // 2 :].sum() > 100


@pytest.mark.timeout(120)
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_process_can_still_normalise_a_large_column() -> None:
    values = messy_column(300_000 // 50, seed=3) * 50  # large enough to use the threads
    expected = normalize_phones(values)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        signal.alarm(60)  # a child stuck waiting for threads it does not have dies
        try:
            frame = normalize_phones(values)
            os.write(writer, b"1" if frame.equals(expected) else b"0")
        finally:
            os._exit(0)
    os.close(writer)
    _, status = os.waitpid(child, 0)
    assert os.read(reader, 1) == b"1"
    assert status == 0


# -- the automaton that matches the line types' patterns -------------------------------------------


def brazilian_patterns() -> list[str]:
    """Return the national number patterns of libphonenumber's Brazilian metadata."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("BR")
    assert meta is not None
    descs = [meta.general_desc, meta.fixed_line, meta.mobile, meta.toll_free, meta.premium_rate]
    descs += [meta.shared_cost, meta.no_international_dialling]
    return [d.national_number_pattern for d in descs if d is not None and d.national_number_pattern]


OTHER_PATTERNS = ["1(?:2|34)*5", "[^3]\\d{2,4}", "9?\\d{8}", "(?:0|90)?[1-9]\\d", ".1|", "2{0,3}"]

digit_strings = st.builds(
    lambda start, rest: (start + rest)[:18],
    st.sampled_from(["", "0", "1", "11", "119", "21", "55", "800", "900", "300", "4004", "12"]),
    st.text("0123456789", max_size=14),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(digit_strings, max_size=60))
def test_the_automaton_says_which_patterns_match_whole_as_re_does(numbers: list[str]) -> None:
    patterns = brazilian_patterns() + OTHER_PATTERNS
    automaton = compile_patterns(patterns)
    assert automaton is not None
    found = automaton.matches(pa.array(numbers, pa.large_string()))
    for number, bits in zip(numbers, found.tolist(), strict=True):
        expected = [re.fullmatch(pattern, number) is not None for pattern in patterns]
        assert [bool(bits >> i & 1) for i in range(len(patterns))] == expected, number


def test_the_automaton_refuses_numbers_too_long_for_it() -> None:
    automaton = compile_patterns(["\\d*"])
    assert automaton is not None
    with pytest.raises(ValueError, match="digits"):
        automaton.matches(pa.array(["1" * 19], pa.large_string()))


@pytest.mark.parametrize("pattern", ["^1", "1$", "\\b1", "(?=1)1", "(1)\\1", "1++", "(?>1)", "\\w"])
def test_patterns_the_automaton_does_not_model_give_none(pattern: str) -> None:
    assert compile_patterns(["1", pattern]) is None


@pytest.mark.parametrize("allow_international", [False, True])
def test_a_plus_or_letters_after_the_first_digit_are_read_as_the_library_does(
    allow_international: bool,
) -> None:
    values = [
        "55 +11 91234 5678",
        "1 +1 212 555 0100",
        "5 5+11912345678",
        "11+5511912345678",
        "tel 11 x 91234-5678",
        "11 91234-5678 ramal",
        "+55 11 91234-5678 x",
        "(11) 91234-5678",
    ]
    assert_agrees(values * 3, allow_international=allow_international)  # in one piece, repeated
    # words after the number on every row: more letters to place than the text has bytes
    wordy = [f"{value} ramal 22, falar com a Ana na recepcao" for value in values]
    assert_agrees(wordy, allow_international=allow_international)
