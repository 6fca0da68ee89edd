"""Any column of phone numbers as Arrow text, and the reasons already known.

:func:`as_series` takes a Series or any iterable (strings, ints, floats from Excel, missing
values, anything) and gives it as a Series. :func:`read_column` gives (a piece of) that Series
as text, null where the answer is known already, and those answers' reasons: empty, or not a
phone number.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["EMPTY", "as_series", "not_a_number", "read_column", "shown"]

#: The reason of a missing or blank value.
EMPTY = "empty"

_MAX_SHOWN = 40


def shown(value: object) -> str:
    """``repr(value)``, cut to a length that fits in a sentence."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def not_a_number(value: object) -> str:
    """The reason for a value that is no phone number at all."""
    return f"not a phone number: {shown(value)}"


def as_series(values: Iterable[Any]) -> pd.Series:
    """``values`` as a Series (a Series as it is, anything else with a RangeIndex).

    Raises
    ------
    TypeError
        When ``values`` is one value or a DataFrame rather than a column.
    """
    if isinstance(values, pd.DataFrame):
        raise TypeError(
            "normalize_phones takes one column of numbers, not a DataFrame: "
            "pass a column, e.g. normalize_phones(df['phone'])"
        )
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(
            f"normalize_phones takes a column of numbers (a Series or a list), "
            f"not {type(values).__name__}; for a single number use normalize_phone"
        )
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, (pd.Index, pd.api.extensions.ExtensionArray, np.ndarray)):
        return pd.Series(np.asarray(values, dtype=object).ravel())
    return pd.Series(list(values), dtype=object)


def read_column(series: pd.Series) -> tuple[pa.StringArray, dict[int, str]]:
    """The values as text (null where a reason is known) and those reasons by position."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        series = series.astype(object)
        dtype = series.dtype
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return _as_string_array(pa.array(series.array)), {}
    if pd.api.types.is_bool_dtype(dtype):
        missing = series.isna().to_numpy()
        preset = {i: EMPTY if missing[i] else not_a_number(bool(v)) for i, v in enumerate(series)}
        return _nulls(len(series)), preset
    if pd.api.types.is_integer_dtype(dtype):
        ints = pa.array(series.array if series.hasnans else series.to_numpy())
        missing = series.isna().to_numpy()
        return pc.cast(ints, pa.string()), {int(i): EMPTY for i in np.flatnonzero(missing)}
    if pd.api.types.is_float_dtype(dtype):
        return _read_floats(series.to_numpy(dtype=np.float64, na_value=np.nan))
    return _read_objects(np.asarray(series.to_numpy(dtype=object), dtype=object))


def _nulls(count: int) -> pa.StringArray:
    return pa.nulls(count, pa.string())


def _as_string_array(array: pa.Array | pa.ChunkedArray) -> pa.StringArray:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks else pa.array([], pa.string())
    if array.type != pa.string():
        array = array.cast(pa.string())
    return array


def _read_floats(values: npt.NDArray[np.float64]) -> tuple[pa.StringArray, dict[int, str]]:
    """Floats from Excel: whole numbers become their digits; NaN is empty; others are refused."""
    whole = np.isfinite(values) & (np.abs(values) < 1e18)
    whole[whole] = values[whole] == np.round(values[whole])
    ints = np.where(whole, values, 0).astype(np.int64)
    text = pc.cast(pa.array(ints, mask=~whole), pa.string())
    preset = {
        int(i): EMPTY if math.isnan(values[i]) else not_a_number(float(values[i]))
        for i in np.flatnonzero(~whole)
    }
    return text, preset


def _read_objects(values: npt.NDArray[np.object_]) -> tuple[pa.StringArray, dict[int, str]]:
    """Python objects: strings (and UTF-8 bytes) stay, numbers are read as above, the rest is
    refused."""
    try:  # text and missing values (None, NaN, NA, NaT) alone: all at once
        return pa.array(values, type=pa.string(), from_pandas=True), {}
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    is_text = np.fromiter(map(isinstance, values, itertools.repeat(str)), np.bool_, len(values))
    others = np.flatnonzero(~is_text)
    is_float = np.fromiter(
        map(isinstance, values[others], itertools.repeat(float)), np.bool_, len(others)
    )
    float_rows = others[is_float]
    float_texts, float_preset = _read_floats(values[float_rows].astype(np.float64))
    preset = {int(float_rows[i]): reason for i, reason in float_preset.items()}
    texts = values.copy()  # strings stay; the others become text or are masked out below
    texts[float_rows] = float_texts.to_pylist()
    for row in others[~is_float]:
        texts[row], reason = _read_scalar(values[row])
        if reason is not None:
            preset[int(row)] = reason
    missing = np.zeros(len(values), dtype=np.bool_)
    missing[list(preset)] = True
    return pa.array(texts, type=pa.string(), mask=missing), preset


def _read_scalar(value: object) -> tuple[str | None, str | None]:
    """(text, reason) for one value that is neither a string nor a Python float."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None, EMPTY
    if isinstance(value, (bool, np.bool_)):
        return None, not_a_number(value)
    if isinstance(value, bytes):  # as Arrow reads bytes among strings: UTF-8 text
        try:
            return value.decode("utf-8"), None
        except UnicodeDecodeError:
            return None, not_a_number(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value)), None
    if isinstance(value, np.floating):
        number = float(value)
        if math.isnan(number):
            return None, EMPTY
        if math.isfinite(number) and number == round(number) and abs(number) < 1e18:
            return str(int(number)), None
    try:
        missing = bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        missing = False
    return None, EMPTY if missing else not_a_number(value)
