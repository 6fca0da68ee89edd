"""Estimates over whole frames: counts, reasons, cost, and agreement with a per-row reference."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import directcall_nb
from directcall_nb import Estimator, Options
from directcall_nb.errors import (
    ColumnNotFound,
    InputError,
    InvalidOption,
    InvalidSender,
    MessageTooLong,
    UnknownPlaceholder,
)
from directcall_nb.vocabulary import Channel

MOBILE_A = "5511912345678"
MOBILE_B = "5521987654321"
LANDLINE = "551134567890"


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nome": ["Ana", "Bruno", "Carla", None, "Ana", "Eduarda", "Fábio"],
            "celular": [
                "(11) 91234-5678",
                "+55 21 98765-4321",
                "(11) 3456-7890",
                "(21) 99876-5432",
                "11912345678",
                "(23) 91234-5678",
                "",
            ],
            "valor": [10.5, 20, 30, 40, 10.5, 60, 70],
        },
        index=[101, 102, 103, 104, 105, 106, 107],
    )


def test_counts_reasons_and_cost(customers: pd.DataFrame) -> None:
    est = customers.directcall.estimate(
        "Olá {nome}, sua fatura vence amanhã", phone="celular", price_per_segment="0.10"
    )
    rows = est.rows
    assert list(rows.index) == list(customers.index)
    # Ana (101) and Bruno (102) will receive it; Ana again (105) is a duplicate.
    assert est.recipients == 2
    assert est.duplicates == 1
    assert est.invalid == 4
    assert list(rows["status"]) == [
        "ok",
        "ok",
        "invalid",
        "invalid",
        "duplicate",
        "invalid",
        "invalid",
    ]
    assert rows.loc[101, "phone"] == MOBILE_A
    assert rows.loc[101, "text"] == "Olá Ana, sua fatura vence amanhã"
    assert "channel='voice'" in rows.loc[103, "reason"]
    assert "'nome'" in rows.loc[104, "reason"]
    assert "fill" in rows.loc[104, "reason"]
    assert "23" in rows.loc[106, "reason"]
    assert rows.loc[107, "reason"]
    assert rows.loc[105, "reason"].startswith("same phone and same text")
    assert est.segments == 2
    assert est.cost == Decimal("0.20")
    assert rows["encoding"].loc[101] == "UCS-2"


def test_same_phone_with_other_text_is_not_a_duplicate(customers: pd.DataFrame) -> None:
    customers.loc[105, "nome"] = "Ana Maria"
    est = customers.directcall.estimate("Olá {nome}", phone="celular")
    assert est.duplicates == 0
    assert est.rows.loc[105, "status"] == "ok"
    assert est.recipients == 3


def test_dedupe_off_counts_every_row(customers: pd.DataFrame) -> None:
    est = customers.directcall.estimate("Olá {nome}", phone="celular", dedupe=False)
    assert est.duplicates == 0
    assert est.recipients == 3


def test_voice_accepts_landlines_and_bills_one_per_call(customers: pd.DataFrame) -> None:
    long_text = "Olá {nome}. " + "x" * 300
    est = customers.directcall.estimate(long_text, phone="celular", channel="voice")
    assert est.rows.loc[103, "status"] == "ok"
    assert est.recipients == 3
    assert est.segments == 3


def test_fill_value_makes_empty_rows_valid(customers: pd.DataFrame) -> None:
    est = customers.directcall.estimate("Olá {nome}", phone="celular", fill="cliente")
    assert est.rows.loc[104, "status"] == "ok"
    assert est.rows.loc[104, "text"] == "Olá cliente"


def test_unknown_placeholder_lists_the_columns(customers: pd.DataFrame) -> None:
    with pytest.raises(UnknownPlaceholder) as info:
        customers.directcall.estimate("Olá {name}", phone="celular")
    message = str(info.value)
    assert "{name}" in message
    assert "'nome'" in message
    assert "'celular'" in message


def test_missing_phone_column_lists_the_columns(customers: pd.DataFrame) -> None:
    with pytest.raises(ColumnNotFound) as info:
        customers.directcall.estimate("Olá", phone="telefone")
    assert "'telefone'" in str(info.value)
    assert "'celular'" in str(info.value)
    with pytest.raises(ColumnNotFound):
        customers.directcall.validate(phone="telefone")


def test_template_too_long_is_an_error_before_anything(customers: pd.DataFrame) -> None:
    with pytest.raises(MessageTooLong):
        customers.directcall.estimate("x" * 701, phone="celular")


def test_a_row_made_too_long_by_its_values_is_invalid() -> None:
    frame = pd.DataFrame({"tel": [MOBILE_A, MOBILE_B], "obs": ["curta", "y" * 700]})
    est = frame.directcall.estimate("Nota: {obs}", phone="tel")
    assert est.rows["status"].tolist() == ["ok", "invalid"]
    assert "700" in est.rows["reason"].iloc[1]


def test_show_sender_counts_the_sender_and_needs_one() -> None:
    frame = pd.DataFrame({"tel": [MOBILE_A]})
    text = "x" * 135
    assert frame.directcall.estimate(text, phone="tel").segments == 1
    shown = frame.directcall.estimate(text, phone="tel", sender=LANDLINE, show_sender=True)
    assert shown.segments == 2
    with pytest.raises(InvalidOption, match=r"show_sender=True .* needs the sender"):
        frame.directcall.estimate(text, phone="tel", show_sender=True)
    with pytest.raises(InvalidSender):
        frame.directcall.estimate(text, phone="tel", sender="12345")


def test_bad_options_are_refused() -> None:
    frame = pd.DataFrame({"tel": [MOBILE_A]})
    with pytest.raises(InputError, match="price_per_segment"):
        frame.directcall.estimate("oi", phone="tel", price_per_segment="grátis")
    with pytest.raises(InputError, match="channel"):
        frame.directcall.estimate("oi", phone="tel", channel="fax")


def test_estimator_reuses_facts_and_gives_the_same_answers(customers: pd.DataFrame) -> None:
    estimator = Estimator(customers, phone="celular")
    first = estimator.estimate("Olá {nome}", Options(price_per_segment=Decimal("0.1")))
    second = estimator.estimate("Oi {nome}, {valor}")
    fresh = customers.directcall.estimate("Oi {nome}, {valor}", phone="celular")
    assert first.cost == Decimal("0.2")
    assert second.rows.equals(fresh.rows)
    assert second.rows.loc[101, "text"] == "Oi Ana, 10.5"


def test_html_summary_shows_counts_cost_and_reasons(customers: pd.DataFrame) -> None:
    frame = pd.concat([customers] * 300, ignore_index=True)
    est = frame.directcall.estimate("Olá {nome}", phone="celular", price_per_segment="0.75")
    page = est._repr_html_()
    assert "R$ 1,50" in page  # 2 recipients after dedupe x 0,75
    assert "(23) 9****-5678" in page
    assert "(23) 91234-5678" not in page
    assert "DDD 23" in page
    assert "and 1.190 more in .rows" in page
    assert "|" not in page
    assert "Recipients: 2" in repr(est)


def _reference(
    frame: pd.DataFrame, template: str, column: str, channel: str
) -> tuple[int, int, int]:
    """Run the per-row loop an analyst writes today: libphonenumber, str.format, count_segments."""
    recipients = segments = invalid = 0
    seen: set[tuple[str, str]] = set()
    for raw, value in zip(frame["tel"], frame[column], strict=True):
        try:
            number = phonenumbers.parse(str(raw), "BR")
        except phonenumbers.NumberParseException:
            invalid += 1
            continue
        kind = phonenumbers.number_type(number)
        ok_type = channel == "voice" or kind in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        if not (phonenumbers.is_valid_number(number) and number.country_code == 55 and ok_type):
            invalid += 1
            continue
        text = template.replace("{" + column + "}", value)
        key = (f"55{number.national_number}", text)
        if key in seen:
            continue
        seen.add(key)
        recipients += 1
        segments += 1 if channel == "voice" else math.ceil(len(text) / 140)
    return recipients, invalid, segments


@settings(max_examples=60, deadline=None)
@given(
    phones=st.lists(
        st.sampled_from(
            [
                "11912345678",
                "(21) 98765-4321",
                "1134567890",
                "(23) 91234-5678",
                "abc",
                "11987654321",
            ]
        ),
        min_size=1,
        max_size=25,
    ),
    values=st.lists(st.text(alphabet="abcçã €{", max_size=160), min_size=25, max_size=25),
    channel=st.sampled_from(["sms", "voice"]),
)
def test_agrees_with_a_per_row_reference(
    phones: list[str], values: list[str], channel: Channel
) -> None:
    frame = pd.DataFrame({"tel": phones, "v": values[: len(phones)]})
    est = frame.directcall.estimate("Olá {v}!", phone="tel", channel=channel)
    assert (est.recipients, est.invalid, est.segments) == _reference(
        frame, "Olá {v}!", "v", channel
    )


def test_validate_on_the_accessor_matches_normalize_phones(customers: pd.DataFrame) -> None:
    checked = customers.directcall.validate(phone="celular")
    direct = directcall_nb.normalize_phones(customers["celular"])
    pd.testing.assert_frame_equal(checked, direct)
    assert checked["valid"].to_numpy().tolist() == [True, True, True, True, True, False, False]
    assert isinstance(checked["valid"].to_numpy(), np.ndarray)


# -- rows that could not be sent are invalid here, before anything is sent --------------------


def test_rows_whose_message_cannot_be_sent_are_invalid_with_a_reason() -> None:
    frame = pd.DataFrame(
        {
            "tel": [MOBILE_A, MOBILE_B, "5521987650003", "5521987650004", "5521987650005",
                    "5521987650006"],
            "nome": ["Ana", "\u00a0", "Bi\x00a", "Caio\ud800", b"Dan\xc3\xa9", b"Eva\xff"],
        }
    )  # fmt: skip
    est = frame.directcall.estimate("{nome}", phone="tel")
    rows = est.rows
    assert rows["status"].tolist() == ["ok", "invalid", "invalid", "invalid", "ok", "invalid"]
    assert "empty (or only spaces)" in rows["reason"].iloc[1]
    for position in (2, 3, 5):
        assert (
            "column 'nome' holds a character DirectCall cannot carry"
            in (rows["reason"].iloc[position])
        )
    assert rows["text"].iloc[4] == "Dané"  # bytes are UTF-8 text
    assert (est.recipients, est.invalid) == (2, 4)
    assert est.segments == 2


def test_equal_cells_of_different_kinds_keep_their_own_text() -> None:
    sao_paulo = ZoneInfo("America/Sao_Paulo")
    instant = datetime(2026, 12, 1, 15, 30, tzinfo=ZoneInfo("UTC"))
    cells = [True, 1, 0, Decimal("10.50"), Decimal("10.5"), instant, instant.astimezone(sao_paulo)]
    frame = pd.DataFrame(
        {"tel": [f"55119876500{i:02d}" for i in range(len(cells))], "v": pd.Series(cells)}
    )
    texts = frame.directcall.estimate("[{v}]", phone="tel").rows["text"].tolist()
    assert texts == [
        "[True]",
        "[1]",
        "[0]",
        "[10.50]",
        "[10.5]",
        "[01/12/2026 15:30]",
        "[01/12/2026 12:30]",
    ]


def test_one_rows_reason_is_the_reason_the_whole_column_gives() -> None:
    long = "x" * 701
    frame = pd.DataFrame(
        {
            "tel": [MOBILE_A, MOBILE_A, "abc", "551134567890", MOBILE_B, "5521987650003",
                    "5521987650004", "5521987650005", "", "(23) 91234-5678"],
            "nome": ["Ana", "Ana", "Bia", "Caio", None, "D\x00", " ", long, "E", None],
            "sobrenome": ["S", "S", "T", "U", "V", None, "", "", "W", "X"],
        }
    ).astype(object)  # fmt: skip
    for channel in ("sms", "voice"):
        est = frame.directcall.estimate("{nome}{sobrenome}", phone="tel", channel=channel)
        for language in ("en", "pt"):
            whole = est.reasons(language).tolist()
            one = [est.reason_at(i) for i in range(len(frame))]
            assert [r.text(language) if r else None for r in one] == whole
        kinds = [r.kind if r else None for r in one]
        assert kinds[:2] == [None, "duplicate"]
        assert kinds[2] == "phone"
        assert kinds[8] == "phone"
        assert kinds[4] == "missing_column"
        assert kinds[5] == "missing_column"
        assert kinds[6] == "empty"
        assert kinds[7] == "too_long"
        assert kinds[3] == ("line_type" if channel == "sms" else None)


def test_a_foreign_number_written_twice_is_one_recipient_and_a_brazilian_one_stays() -> None:
    frame = pd.DataFrame(
        {
            "celular": [
                "+1 650 253 0000",
                "+1 (650) 253-0000",
                "(11) 91234-5678",
                "+55 11 91234-5678",
                "+351 912 345 678",
            ]
        }
    )
    est = directcall_nb.estimate(
        frame, "Oi", phone="celular", journal=False, channel="voice", allow_international=True
    )
    assert (est.recipients, est.duplicates) == (3, 2)
    assert est.rows["status"].tolist() == ["ok", "duplicate", "ok", "duplicate", "ok"]


@pytest.mark.parametrize("written", ["({ddd}) 9{n:04d}-{n:04d}", "+351 91{n:07d}"])
def test_duplicates_are_found_across_a_long_list(written: str) -> None:
    # 150,000 rows from 40,000 numbers: the same number far apart in the list is a duplicate
    rng = np.random.default_rng(11)
    picks = rng.integers(0, 40_000, 150_000)
    phones = [written.format(ddd=11 + n % 3, n=n) for n in picks.tolist()]
    frame = pd.DataFrame({"celular": phones})
    options = Options(channel="voice", allow_international=True)
    est = Estimator(frame, phone="celular").estimate("Olá", options)
    normalized = directcall_nb.normalize_phones(phones, allow_international=True)
    valid = normalized["valid"].to_numpy()
    repeated = normalized["phone"].duplicated(keep="first").to_numpy() & valid
    assert est.duplicates == int(repeated.sum()) > 0
    assert est.recipients == int((valid & ~repeated).sum())
    assert (est.rows["status"].to_numpy() == "duplicate").tolist() == repeated.tolist()
