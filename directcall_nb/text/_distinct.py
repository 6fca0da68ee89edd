"""A column's values as codes, one a row, and the distinct texts they are written as.

`formatted_distinct` factorizes a column (Arrow for text and floats, a slice of rows at a
time; pandas for the rest), then writes each distinct value once with
:func:`directcall_nb.text._template.format_value` (floats all at once: :mod:`._floats`), and
merges the values written alike (``1`` and ``1.0``). The texts stay Arrow text, a few bytes
each beyond their characters, not a Python string each.

A long column of Arrow text whose values are mostly distinct (names with surnames, links,
codes) is not factorized: each row is its own value, and its texts are the column's own, not
copied. Hashing a million distinct texts would take several times the memory they take.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.frames import arrow_data
from directcall_nb.memory import release_freed
from directcall_nb.text._floats import write_floats
from directcall_nb.text._template import format_moments, format_value

__all__ = ["Texts", "formatted_distinct"]

_Obj = npt.NDArray[np.object_]
_Codes = npt.NDArray[np.signedinteger[Any]]
#: Distinct texts: Arrow text, or Python strings when some text is not valid Unicode (a lone
#: surrogate, which Arrow cannot hold and the estimate refuses).
Texts: TypeAlias = pa.Array | pa.ChunkedArray | _Obj

_TEXT = pa.large_string()

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
    data = arrow_data(column)
    if data is not None and (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        return data
    return None


#: Rows dictionary-encoded at a time: Arrow builds each slice's codes apart (one dictionary
#: for all), so that its buffers stay the size of a slice rather than of the column.
_ENCODE_ROWS = 1 << 16
#: A column of text longer than `_ENCODE_ROWS` whose first `_ENCODE_ROWS` rows hold more than
#: this share of distinct values is not factorized (each row is its own value).
_MOSTLY_DISTINCT = 0.5


def _as_texts(values: Any) -> Texts:
    """Distinct Python strings as Arrow text (kept as they are when one is not valid Unicode)."""
    strings = np.asarray(values, dtype=object)
    try:
        found: pa.LargeStringArray = pa.array(strings, type=_TEXT)
    except (UnicodeEncodeError, pa.ArrowException):
        return strings
    return found


def _row_codes(text: pa.ChunkedArray) -> tuple[_Codes, pa.ChunkedArray]:
    """Each row as its own value: its position (-1 where missing), the column's text as texts."""
    codes = np.arange(len(text), dtype=np.int32)
    if text.null_count:  # (a missing row's text is never read: it is measured as "")
        codes[text.is_null().to_numpy(zero_copy_only=False)] = -1
        text = text.fill_null("")
    return codes, text


def _mostly_distinct(text: pa.ChunkedArray) -> bool:
    """Tell whether a long text column's first rows hold mostly distinct values."""
    if len(text) <= _ENCODE_ROWS:
        return False
    first = text.slice(0, _ENCODE_ROWS)
    return bool(pc.count_distinct(first).as_py() > _MOSTLY_DISTINCT * _ENCODE_ROWS)


def _encoded(data: pa.ChunkedArray) -> tuple[_Codes, pa.Array]:
    """Arrow's dictionary encoding, a slice of rows at a time: codes (-1: null), distinct values."""
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
        return np.zeros(0, dtype=np.int32), pa.array([], data.type)
    codes = np.empty(len(encoded), dtype=np.int32)
    start = 0
    for chunk in encoded.chunks:
        codes[start : start + len(chunk)] = chunk.indices.fill_null(-1).to_numpy()
        start += len(chunk)
    return codes, encoded.chunk(0).dictionary


def formatted_distinct(column: pd.Series) -> tuple[_Codes, Texts]:
    """Codes of each row and the distinct formatted texts they point to (-1: missing).

    Equal cells share a code only when they are written alike: an object column that mixes
    kinds whose equal values are written differently is written cell by cell first. In a
    column of Arrow text of mostly distinct values, each row is its own value.
    """
    text = _arrow_column(column)
    if text is not None:
        if _mostly_distinct(text):
            return _row_codes(text)
        codes, dictionary = _encoded(text)
        release_freed()
        return codes, dictionary
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        codes, floats = _encoded(pa.chunked_array([pa.array(column.to_numpy(), from_pandas=True)]))
        release_freed()
        return _float_codes(codes, floats.to_numpy(zero_copy_only=False))
    if pd.api.types.is_object_dtype(dtype) and (
        pd.api.types.infer_dtype(column, skipna=True) not in _SAFE_OBJECT_KINDS
    ):
        column = _written_row_by_row(column)
    try:
        wide_codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except (TypeError, NotImplementedError):  # unhashable cells (lists, dicts): format first
        wide_codes, uniques = pd.factorize(_written_row_by_row(column), use_na_sentinel=True)
    codes = np.asarray(wide_codes, dtype=np.int64)
    dtype = column.dtype
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return codes, _as_texts(uniques)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return codes, _as_texts(format_moments(pd.DatetimeIndex(uniques)))
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return codes, pc.cast(pa.array(np.asarray(uniques)), _TEXT)
    formatted = pd.Series(
        [v if type(v) is str else format_value(v) for v in np.asarray(uniques, dtype=object)],
        dtype=object,
    )
    merged, distinct = pd.factorize(formatted, use_na_sentinel=True)  # 1 and 1.0: "1"
    lookup = np.append(np.asarray(merged, dtype=np.int32), np.int32(-1))  # 4 bytes a row
    return lookup[codes], _as_texts(distinct)


def _float_codes(codes: _Codes, uniques: npt.NDArray[np.floating]) -> tuple[_Codes, Texts]:
    """Return the rows' codes among the distinct floats' texts, and those texts (no NaN).

    Distinct floats are written differently (the shortest digits that read back as the float),
    but for 0.0 and -0.0: both are "0".
    """
    texts = write_floats(uniques)
    zeros = np.flatnonzero(uniques == 0)
    if len(zeros) < 2:
        return codes, texts
    kept = np.ones(len(uniques) + 1, dtype=bool)  # the last place stands for -1 (missing)
    kept[zeros[1:]] = False
    lookup = (np.cumsum(kept, dtype=np.int32) - 1).astype(np.int32)
    lookup[zeros[1:]] = lookup[zeros[0]]
    lookup[-1] = -1
    return lookup[codes], texts.filter(pa.array(kept[:-1]))
