"""The keys rows repeated across partitions are found by: exact phones, digests alike everywhere."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from directcall_nb.partitioned._keys import phone_codes, text_digests


def texts(*values: str) -> np.ndarray:
    return np.array(values, dtype=object)


def test_a_text_has_one_digest_whether_its_partition_has_one_text_or_many() -> None:
    alone = text_digests(texts("Olá Ana", "Olá Ana"))
    mixed = text_digests(texts("Olá Bia", "Olá Ana"))
    assert alone[0] == alone[1] == mixed[1]
    assert mixed[0] != mixed[1]


@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=20))
def test_digests_are_those_of_each_text_alone(values: list[str]) -> None:
    together = text_digests(texts(*values))
    one_by_one = [text_digests(texts(value))[0] for value in values]
    assert together.tolist() == one_by_one


def test_every_phone_is_its_own_number() -> None:
    phones = texts("5511987654321", "00351912345678", "0012025550123", "551130600300", "001")
    codes = phone_codes(phones)
    assert len(set(codes.tolist())) == len(phones)
    assert codes[0] == 5511987654321  # a Brazilian number is its digits
