"""A column's values as codes, one a row, and the distinct texts they are written as.

`formatted_distinct` factorizes a column (Arrow for text and floats, a slice of rows at a
time; pandas for the rest), then writes each distinct value once with
:func:`directcall_nb.text._template.format_value` (floats all at once: :mod:`._floats`), and
merges the values written alike (``1`` and ``1.0``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.memory import release_freed
from directcall_nb.text._floats import write_floats
from directcall_nb.text._template import format_moments, format_value

__all__ = ["formatted_distinct"]

_Obj = npt.NDArray[np.object_]

#: ``pandas.api.types.infer_dtype`` answers for object columns whose equal values always write
#: the same text; any other mix (``True`` beside ``1``, ``Decimal("10.50")`` beside
#: ``Decimal("10.5")``, one instant in two time zones) is written value by value.
_SAFE_OBJECT_KINDS = frozenset(
    ("string", "empty", "integer", "floating", "mixed-integer-float", "boolean", "bytes")
)


def _written_row_by_row(column: pd.Series) -> pd.Series:
    """Each cell written by `format_value` (missing cells stay None)."""
    values = column.to_numpy(dtype=object)
    written = np.frompyfunc(format_value, 1, 1)(values) if len(values) else values
    return pd.Series(written, dtype=object)


def _arrow_column(column: pd.Series) -> pa.ChunkedArray | None:
    """Return the Arrow array of a column of Arrow text (None for any other column)."""
    dtype = column.dtype
    arrow = isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    )
    data = column.array.__arrow_array__() if arrow else None
    if isinstance(data, pa.ChunkedArray) and pa.types.is_string(data.type):
        return data
    if isinstance(data, pa.ChunkedArray) and pa.types.is_large_string(data.type):
        return data
    return None


#: Rows dictionary-encoded at a time: Arrow builds each slice's codes apart (one dictionary
#: for all), so that its buffers stay the size of a slice rather than of the column.
_ENCODE_ROWS = 1 << 16


def _factorized(column: pd.Series) -> tuple[npt.NDArray[np.signedinteger[Any]], Any]:
    """``pandas.factorize`` of the column (-1: missing), NaN missing for NumPy floats.

    NumPy floats and Arrow text are encoded by Arrow, a slice of rows at a time: its table
    grows with the distinct values and its codes take 4 bytes a row, where pandas sizes its
    table for every row of a float column and gives 8-byte codes.
    """
    dtype = column.dtype
    data = _arrow_column(column)
    if data is None and isinstance(dtype, np.dtype) and dtype.kind == "f":
        data = pa.chunked_array([pa.array(column.to_numpy(), from_pandas=True)])
    if data is None:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        return np.asarray(codes, dtype=np.int64), uniques
    sliced = pa.chunked_array(
        [
            chunk.slice(start, _ENCODE_ROWS)
            for chunk in data.chunks
            for start in range(0, len(chunk), _ENCODE_ROWS)
        ],
        data.type,
    )
    encoded = pc.dictionary_encode(sliced)  # every chunk's indices point into one dictionary
    if len(encoded) == 0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=object)
    codes = np.empty(len(encoded), dtype=np.int32)
    start = 0
    for chunk in encoded.chunks:
        codes[start : start + len(chunk)] = chunk.indices.fill_null(-1).to_numpy()
        start += len(chunk)
    uniques = encoded.chunk(0).dictionary.to_numpy(zero_copy_only=False)
    return codes, uniques


def formatted_distinct(column: pd.Series) -> tuple[npt.NDArray[np.signedinteger[Any]], _Obj]:
    """Codes of each row and the distinct formatted texts they point to (-1: missing).

    Equal cells share a code only when they are written alike: an object column that mixes
    kinds whose equal values are written differently is written cell by cell first.
    """
    if pd.api.types.is_object_dtype(column.dtype) and (
        pd.api.types.infer_dtype(column, skipna=True) not in _SAFE_OBJECT_KINDS
    ):
        column = _written_row_by_row(column)
    try:
        codes, uniques = _factorized(column)
        release_freed()
    except (TypeError, NotImplementedError):  # unhashable cells (lists, dicts): format first
        codes, uniques = pd.factorize(_written_row_by_row(column), use_na_sentinel=True)
    dtype = column.dtype
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return codes, np.asarray(uniques, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return codes, format_moments(pd.DatetimeIndex(uniques))
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return codes, np.asarray(np.asarray(uniques).astype(str), dtype=object)
    merged, distinct = _merged_texts(uniques)
    if len(distinct) == len(uniques):  # no two values are written alike: the codes stand
        return codes, np.asarray(distinct, dtype=object)
    lookup = np.append(np.asarray(merged, dtype=np.int32), np.int32(-1))  # 4 bytes a row
    return lookup[codes], np.asarray(distinct, dtype=object)


def _merged_texts(uniques: Any) -> tuple[npt.NDArray[np.signedinteger[Any]], Any]:
    """Each distinct value's code among their distinct texts (1 and 1.0 both: "1")."""
    if isinstance(uniques, np.ndarray) and uniques.dtype.kind == "f":
        return _float_texts(uniques)
    formatted = pd.Series(
        [v if type(v) is str else format_value(v) for v in np.asarray(uniques, dtype=object)],
        dtype=object,
    )
    return pd.factorize(formatted, use_na_sentinel=True)


def _float_texts(uniques: npt.NDArray[np.floating]) -> tuple[npt.NDArray[np.int32], _Obj]:
    """Distinct floats' codes among their texts, and those texts (none of them NaN).

    Distinct floats are written differently (the shortest digits that read back as the float),
    but for 0.0 and -0.0: both are "0".
    """
    texts = np.asarray(write_floats(uniques).to_numpy(zero_copy_only=False), dtype=object)
    zeros = np.flatnonzero(uniques == 0)
    if len(zeros) < 2:
        return np.arange(len(uniques), dtype=np.int32), texts
    kept = np.ones(len(uniques), dtype=bool)
    kept[zeros[1:]] = False
    merged = (np.cumsum(kept, dtype=np.int32) - 1).astype(np.int32)
    merged[zeros[1:]] = merged[zeros[0]]
    return merged, texts[kept]
