"""Many floats written as `directcall_nb.text._template.format_value` writes each one.

`format_value` writes a whole float as an integer (``2.0`` → ``"2"``) and any other as Python's
``repr``: the shortest digits that read back as the same float. Arrow writes the same shortest
digits, so `write_floats` lets Arrow write a column's floats at once and Python only those
Arrow would write otherwise: with an exponent, very small or large, not finite.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.text._template import format_value

__all__ = ["write_floats"]

_TEXT = pa.large_string()
#: Whole floats below this are exact as 64-bit integers.
_EXACT_WHOLE = 2.0**53
#: Python writes floats between these without an exponent.
_PLAIN_LOW, _PLAIN_HIGH = 1e-4, 1e16


def write_floats(values: npt.NDArray[np.floating]) -> pa.LargeStringArray:
    """Return each float as `format_value` writes it (null for NaN).

    Parameters
    ----------
    values : numpy.ndarray of float
        Read as 64-bit floats, as `format_value` reads any float.
    """
    numbers = np.asarray(values, dtype=np.float64)
    size = np.abs(numbers)
    finite = np.isfinite(numbers)
    whole = finite & (np.floor(numbers) == numbers) & (size < _EXACT_WHOLE)
    as_integers = pc.cast(pa.array(np.where(whole, numbers, 0).astype(np.int64)), _TEXT)
    written = pc.if_else(pa.array(whole), as_integers, pc.cast(pa.array(numbers), _TEXT))
    plain = (size >= _PLAIN_LOW) & (size < _PLAIN_HIGH)
    plain &= ~np.asarray(pc.match_substring(written, "e").to_numpy(zero_copy_only=False))
    by_python = np.flatnonzero(~whole & ~plain)
    if len(by_python) == 0:
        return written
    mask = np.zeros(len(numbers), dtype=bool)
    mask[by_python] = True
    others = pa.array([format_value(float(numbers[i])) for i in by_python.tolist()], _TEXT)
    found: pa.LargeStringArray = pc.replace_with_mask(written, pa.array(mask), others)
    return found
