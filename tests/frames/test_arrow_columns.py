"""The engines read Arrow-backed pandas columns, as a Polars frame becomes, with the same answers.

A frame of Python objects, the same frame with ``pd.ArrowDtype`` / ``string[pyarrow]`` columns,
and the Polars frame of the same values must validate and estimate alike, cell for cell.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from directcall_nb import estimate, validate

PHONES = [
    "(11) 91234-5678", "+55 21 98765-4321", "5511912345678", "011 91234-5678",
    "0 15 11 91234-5678", "0800 123 4567", "4004-0001", "+1 650 253 0000", "190", "", " ",
    "n/a", "sem telefone", "(23) 91234-5678", "1191234567", None,
]  # fmt: skip
WORDS = ["Ana", "José", "Zoë", "€10", "[promo]", "😀", "", None, "a" * 200]


def arrow_backed(frame: pd.DataFrame, text_dtype: Any) -> pd.DataFrame:
    """Return ``frame`` with text columns of ``text_dtype`` and whole numbers as Arrow int64."""
    return frame.astype(
        {"celular": text_dtype, "nome": text_dtype, "itens": pd.ArrowDtype(pa.int64())}
    )


def cells(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """Return the rows of ``frame`` as tuples, a missing value as None."""
    return list(frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(PHONES), st.sampled_from(WORDS), st.none() | st.integers(0, 99)),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(
        [pd.ArrowDtype(pa.large_string()), pd.ArrowDtype(pa.string()), "string[pyarrow]"]
    ),
)
def test_arrow_columns_validate_and_estimate_like_python_objects(
    rows: list[tuple[str | None, str | None, int | None]], text_dtype: Any
) -> None:
    objects = pd.DataFrame(rows, columns=["celular", "nome", "itens"], dtype=object)
    arrow = arrow_backed(objects, text_dtype)
    assert cells(validate(arrow, phone="celular")) == cells(validate(objects, phone="celular"))
    text = "Oi {nome}, {itens} itens"
    options: dict[str, Any] = {"policy": "gsm", "fill": "-", "journal": False}
    mine = estimate(arrow, text, phone="celular", **options)
    theirs = estimate(objects, text, phone="celular", **options)
    assert cells(mine.rows) == cells(theirs.rows)
    assert (mine.recipients, mine.segments) == (theirs.recipients, theirs.segments)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(PHONES), st.sampled_from(WORDS), st.none() | st.integers(0, 99)),
        min_size=1,
        max_size=30,
    )
)
def test_a_polars_frame_estimates_like_the_pandas_frame_of_its_values(
    rows: list[tuple[str | None, str | None, int | None]],
) -> None:
    columns = ["celular", "nome", "itens"]
    objects = pd.DataFrame(rows, columns=columns, dtype=object)
    polars_frame = pl.DataFrame(rows, schema=columns, orient="row")
    options: dict[str, Any] = {"policy": "gsm", "fill": "-", "journal": False}
    mine = estimate(polars_frame, "Oi {nome}, {itens} itens", phone="celular", **options)
    theirs = estimate(objects, "Oi {nome}, {itens} itens", phone="celular", **options)
    assert mine.rows.rows() == cells(theirs.rows)
    assert (mine.recipients, mine.duplicates, mine.segments) == (
        theirs.recipients, theirs.duplicates, theirs.segments,
    )  # fmt: skip
