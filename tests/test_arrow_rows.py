"""Rows read from a chunked column of phones, chunk by chunk, come back as asked."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from directcall_nb.arrow_rows import take_rows


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.one_of(st.none(), st.text("0123456789", max_size=13)), max_size=6),
             max_size=5),
    st.data(),
)  # fmt: skip
def test_rows_come_back_in_the_order_asked(
    chunks: list[list[str | None]], data: st.DataObject
) -> None:
    column = pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks], pa.large_string())
    rows = sum(len(c) for c in chunks)
    positions = data.draw(st.lists(st.integers(0, rows - 1), max_size=20) if rows else st.just([]))
    taken = take_rows(column, np.array(positions, dtype=np.int64))
    flat = [value for chunk in chunks for value in chunk]
    assert taken.to_pylist() == [flat[p] for p in positions]
