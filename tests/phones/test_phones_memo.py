"""Validating, then estimating on the same frame: one set of phone answers, always the frame's.

The estimator of a frame whose Arrow phone column was just validated reuses the validation's
answers (the same normalised phones in memory) instead of reading the column again; a column
edited, replaced or held as Python objects is read again, and nothing is kept once the
validation result and the estimator are gone.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pandas as pd
import pyarrow as pa

from directcall_nb import Estimator, Options, validate

STRING = pd.ArrowDtype(pa.string())
NUMBERS = ["(11) 91234-5678", "+55 21 98765-4321", "0800 123 4567", "(11) 3456-7890", "x"]


def customers(dtype: pd.ArrowDtype | type[object] = STRING) -> pd.DataFrame:
    return pd.DataFrame(
        {"nome": ["Ana", "Bia", "Caio", "Dora", "Eva"], "celular": pd.Series(NUMBERS, dtype=dtype)}
    )


def phone_buffer(result: pd.DataFrame) -> int:
    """Return the address of the normalised phones' text in memory."""
    chunked = pa.chunked_array(result["phone"].array.__arrow_array__())
    return int(chunked.chunk(0).buffers()[2].address)


def sent(frame: pd.DataFrame) -> list[bool]:
    estimate = Estimator(frame, phone="celular").estimate("Oi {nome}", Options())
    return [bool(flag) for flag in estimate.sendable]


def test_the_estimate_after_validating_reads_the_same_phones_in_memory() -> None:
    frame = customers()
    result = validate(frame, phone="celular")
    estimate = Estimator(frame, phone="celular").estimate("Oi {nome}", Options())
    assert phone_buffer(estimate.phones.frame) == phone_buffer(result)
    assert estimate.sendable.tolist() == [True, True, False, False, False]
    assert estimate.table["phone"].tolist() == result["phone"].tolist()
    assert estimate.table["line_type"].tolist() == result["line_type"].tolist()


def test_a_cell_edited_after_validating_is_read_again() -> None:
    frame = customers()
    result = validate(frame, phone="celular")
    frame.loc[0, "celular"] = "(23) 91234-5678"  # an area code that does not exist
    estimate = Estimator(frame, phone="celular").estimate("Oi {nome}", Options())
    assert estimate.sendable.tolist() == [False, True, False, False, False]
    assert "DDD 23" in str(estimate.table["reason"].iloc[0])
    assert result["valid"].iloc[0]  # the validation result is what it was


def test_a_column_replaced_after_validating_is_read_again() -> None:
    frame = customers()
    result = validate(frame, phone="celular")
    frame["celular"] = pd.Series(["x", *NUMBERS[1:]], dtype=STRING)
    assert sent(frame) == [False, True, False, False, False]
    assert result["valid"].iloc[0]


def test_a_column_of_python_objects_edited_in_place_is_read_again() -> None:
    frame = customers(dtype=object)
    validate(frame, phone="celular")
    frame.loc[1, "celular"] = "x"  # pandas writes into the same array
    assert sent(frame) == [True, False, False, False, False]


def test_answers_for_numbers_abroad_are_not_shared_across_the_choice() -> None:
    frame = customers()
    frame.loc[4, "celular"] = "+1 212 555 0100"
    local = validate(frame, phone="celular")
    abroad = validate(frame, phone="celular", allow_international=True)
    assert not local["valid"].iloc[4]
    assert abroad["valid"].iloc[4]
    options = Options(channel="voice", allow_international=True)
    estimate = Estimator(frame, phone="celular").estimate("Oi {nome}", options)
    assert estimate.sendable[4]


def test_nothing_is_kept_once_the_result_is_dropped() -> None:
    frame = customers()
    result = validate(frame, phone="celular")
    phones = weakref.ref(result["phone"].array.__arrow_array__())
    assert phones() is not None
    del result
    gc.collect()
    assert phones() is None
    assert sent(frame) == [True, True, False, False, False]


def test_large_columns_agree_with_a_fresh_reading() -> None:
    rng = np.random.default_rng(3)
    ddds, subscribers = rng.choice([11, 23, 31], 3000), rng.integers(0, 10**8, 3000)
    numbers = [f"({ddd}) 9{n:08d}" for ddd, n in zip(ddds, subscribers, strict=True)]
    frame = pd.DataFrame({"nome": ["Ana"] * 3000, "celular": pd.Series(numbers, dtype=STRING)})
    as_objects = frame.astype({"celular": object})  # never remembered: read afresh
    fresh = Estimator(as_objects, phone="celular").estimate("Oi {nome}", Options())
    result = validate(frame, phone="celular")
    shared = Estimator(frame, phone="celular").estimate("Oi {nome}", Options())
    pd.testing.assert_frame_equal(shared.table, fresh.table)
    assert phone_buffer(shared.phones.frame) == phone_buffer(result)
    assert shared.recipients == fresh.recipients == int(result["valid"].sum())
