"""Floats written all at once are written exactly as `format_value` writes each one."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from directcall_nb.text import column_facts, format_value
from directcall_nb.text._floats import write_floats

EDGES = [
    0.0, -0.0, 1.0, -2.0, 0.1, 0.30000000000000004, 1e-4, 9.999e-5, 1e-5, 1.5e-7, 5e-324,
    123456789012345.6, 9999999999999998.0, 1e16, 1e16 + 2, 1.5e20, 2.0**53, 2.0**53 + 2,
    -(2.0**53) - 2, 1.7976931348623157e308, 3928533484357.726, 88054358413.71361,
    float("inf"), float("-inf"), float("nan"), 19.99, 1234.5, 20.0,
]  # fmt: skip


def expected(values: list[float]) -> list[str | None]:
    return [format_value(v) for v in values]


def test_edge_floats_are_written_as_format_value_writes_them() -> None:
    assert write_floats(np.array(EDGES)).to_pylist() == expected(EDGES)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=60))
def test_any_floats_are_written_as_format_value_writes_them(values: list[float]) -> None:
    assert write_floats(np.array(values, dtype=np.float64)).to_pylist() == expected(values)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-(10**6), 10**6), max_size=60), st.sampled_from([1, 10, 100, 1000]))
def test_prices_with_decimals_are_written_as_format_value_writes_them(
    cents: list[int], scale: int
) -> None:
    values = [c / scale for c in cents]
    assert write_floats(np.array(values)).to_pylist() == expected(values)


def test_a_float_column_is_rendered_as_format_value_writes_each_cell() -> None:
    for dtype in (np.float64, np.float32):
        column = pd.Series([19.9, 20.0, None, -0.0, 0.0, 1e-5, 2.5e16, 19.9], dtype=dtype)
        facts = column_facts(column)
        cells = [format_value(v) for v in column.astype(object)]
        assert facts.values.tolist() == [("" if t is None else t) for t in cells]
        assert facts.missing.tolist() == [t is None for t in cells]
        assert facts.codes[3] == facts.codes[4]  # -0.0 and 0.0 are both written "0"
        assert facts.codes[0] == facts.codes[7]
